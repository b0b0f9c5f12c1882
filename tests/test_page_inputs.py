"""Inputs that broke a page or said something false (issue 14 §7, §10): a query far beyond the
search's limit, a question without words, and the command line's notices."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rujukan.config import REPO_ROOT
from rujukan.search import MAX_QUERY_CHARS

from conftest import open_page

pytestmark = pytest.mark.model  # the app opens on Beranda, which prepares the search engine
CUT = "Pertanyaan sangat panjang; hanya 1.000 karakter pertama yang dipakai."


def url_value(at, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("page, key", [("views/cari.py", "q"), ("views/tanya.py", "tanya")])
def test_a_huge_query_is_cut_in_the_url_and_said_to_be_cut(app_env, page, key):
    at = open_page(page, 300, **{key: "dana RT " * 15_000})  # 120,000 characters: a URL no browser reopens
    assert len(url_value(at, key)) <= MAX_QUERY_CHARS
    assert CUT in [i.value for i in at.info]
    at.text_input(key=key).input("dana kelurahan " * 200).run()  # 3,000 typed characters
    assert not at.exception and len(at.text_input(key=key).value) <= MAX_QUERY_CHARS and len(url_value(at, key)) <= MAX_QUERY_CHARS
    assert CUT in [i.value for i in at.info]


@pytest.mark.parametrize("question", ["🙂🙂🙂", "?!… —"])
def test_a_question_without_words_lists_no_fake_neighbours(app_env, question):
    at = open_page("views/tanya.py", 300, tanya=question)
    assert any("tidak berisi kata atau angka" in i.value for i in at.info)
    assert not at.get("page_link") or all("tanya" in link.proto.page for link in at.get("page_link"))  # no practice offered as "closest"
    assert not any("Belum ada jawaban" in w.value or "cukup kuat" in w.value for w in at.warning)


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rujukan", *args], capture_output=True, text=True, env={**os.environ, **env}, cwd=REPO_ROOT,
                          timeout=300)


def test_the_command_line_words_its_notices_and_offers_no_fake_neighbours(ready, session_env):
    empty = _cli(["search", "   "], session_env)
    assert "Type a problem or question to search." in empty.stderr and "query_empty" not in empty.stderr
    emoji = _cli(["ask", "🙂🙂"], session_env)
    assert emoji.stdout.strip() == "No answer: the question has nothing to search with."
    assert "The query has no words or numbers" in emoji.stderr and "query_no_words" not in emoji.stderr
