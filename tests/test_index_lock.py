"""Embedded Chroma is safe across threads, not across processes (issue 12 §1): while one process has
an embedded index folder open, a second one may search it but not write to it, and is told why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from rujukan.config import REPO_ROOT

pytestmark = pytest.mark.model

HOLD = "from rujukan.config import Settings; from rujukan.service import prepare; prepare(Settings.from_env(), log=lambda m: None); " \
       "print('open', flush=True); import sys; sys.stdin.read()"


def test_a_second_process_may_search_but_not_write_an_open_folder(session_env, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO_ROOT / "knowledge", knowledge)
    env = {**os.environ, **session_env, "RUJUKAN_KNOWLEDGE_DIR": str(knowledge), "RUJUKAN_INDEX_DIR": str(tmp_path / "index")}
    holder = subprocess.Popen([sys.executable, "-c", HOLD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)
    try:
        assert holder.stdout.readline().strip() == "open"  # the first process built the index and keeps it open
        cli = [sys.executable, "-m", "rujukan"]
        search = subprocess.run([*cli, "search", "dana RT", "--top", "1"], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=300)
        assert search.returncode == 0 and "Prodamas" in search.stdout  # reading beside it is fine
        record = knowledge / "practices" / "bank-sampah.md"
        record.write_text(record.read_text(encoding="utf-8").replace("## Masalah\n", "## Masalah\nKalimat baru untuk uji [1].\n\n", 1), encoding="utf-8")
        index = subprocess.run([*cli, "index"], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=300)
        assert index.returncode == 2 and "Another process has the index folder" in index.stderr and "Chroma server" in index.stderr
    finally:
        holder.communicate(input="", timeout=60)
    again = subprocess.run([*cli, "index"], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]  # once the first process has closed it, the edit is indexed
