"""Search end to end with the real model and a real Chroma folder; server mode on `chroma run`."""

import json
import os
import subprocess
import sys

import pytest

from rujukan.config import REPO_ROOT, Settings
from rujukan.search import RELEVANCE_FLOOR, excerpt
from rujukan.service import prepare
from rujukan.vocabulary import UNKNOWN_TEXT


def ids(result):
    return [m.practice.id for m in result.matches]


@pytest.mark.model
@pytest.mark.parametrize(
    "query, expected",
    [
        ("bagaimana warga RT mengusulkan penggunaan dana", "prodamas-plus"),
        ("dashboard for the mayor", "sistem-informasi-eksekutif"),
        ("Perwali 72/2021", "si-malik"),
        ("KURNIA", "kurnia"),
    ],
)
def test_the_issue_examples_find_their_practice(ready, query, expected):
    result = ready.engine.search(query, top_k=3)
    assert expected in ids(result), [(m.practice.id, round(m.score, 3)) for m in result.matches]


@pytest.mark.model
def test_results_are_grouped_by_practice_with_a_passage(ready):
    result = ready.engine.search("pelayanan publik", top_k=10)
    found = ids(result)
    assert len(found) == len(set(found)) == 10
    assert all(m.passage and m.section for m in result.matches)
    assert [m.score for m in result.matches] == sorted((m.score for m in result.matches), reverse=True)
    for m in result.matches:
        assert m.passage in {c for c in _chunk_texts(ready, m.practice.id)}


def _chunk_texts(ready, practice_id):
    from rujukan.chunks import practice_chunks

    return [c.text for c in practice_chunks(ready.engine.kb.get(practice_id))]


@pytest.mark.model
def test_methods_differ_where_they_should(ready):
    """Keyword-only finds nothing for a paraphrase without shared words; dense still does."""
    query = "olahraga"  # a word no record uses
    assert ready.engine.search(query, method="keyword").matches == []
    assert ready.engine.search(query, method="dense").matches


@pytest.mark.model
def test_second_prepare_reembeds_nothing(ready, real_settings, embedder):
    again = prepare(real_settings, log=lambda m: None, embedder=embedder)
    assert again.report.embedded_practices == () and again.report.unchanged == len(ready.engine.kb.practices)


@pytest.mark.model
@pytest.mark.server
def test_server_mode_gives_the_same_ranking(ready, embedder, chroma_server, tmp_path):
    host, port = chroma_server
    settings = Settings.from_env(
        {
            "RUJUKAN_KNOWLEDGE_DIR": str(REPO_ROOT / "knowledge"),
            "RUJUKAN_INDEX_DIR": str(tmp_path / "index"),
            "RUJUKAN_CHROMA_HOST": host,
            "RUJUKAN_CHROMA_PORT": str(port),
        }
    )
    served = prepare(settings, log=lambda m: None, embedder=embedder)
    assert served.engine.store.count() == ready.engine.store.count()
    assert not (tmp_path / "index").exists()  # nothing was written to the embedded folder
    for query in ("layanan kesehatan ke rumah", "free English lessons", "Perwali 4/2023"):
        assert ids(served.engine.search(query)) == ids(ready.engine.search(query))
    assert prepare(settings, log=lambda m: None, embedder=embedder).report.chunks_embedded == 0


def _cli(args, env, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "rujukan", *args],
        capture_output=True, text=True, env={**os.environ, **env}, cwd=REPO_ROOT, timeout=300,
    )


@pytest.mark.model
def test_cli_search_json(ready, session_env):
    done = _cli(["search", "layanan kesehatan gratis ke rumah warga miskin", "--top", "3", "--json"], session_env)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert len(items) == 3 and items[0]["id"] == "home-care-peduli"
    assert {"id", "title", "score", "passage"} <= set(items[0])
    assert items[0]["score"] >= items[1]["score"] >= items[2]["score"]


@pytest.mark.model
def test_cli_queries_file(ready, session_env, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("dashboard for the mayor\n\nKURNIA\n😀\n", encoding="utf-8")
    done = _cli(["search", "--queries-file", str(queries), "--top", "2"], session_env)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["dashboard for the mayor", "KURNIA", "😀"]
    assert lines[1]["results"][0]["id"] == "kurnia" and lines[2]["results"] == []
    assert all(line["elapsed_ms"] > 0 for line in lines)


def test_cli_validate_names_file_and_field(tmp_path):
    folder = tmp_path / "practices"
    folder.mkdir()
    (folder / "rusak.md").write_text("---\nid: rusak\nstatus: [\n---\n", encoding="utf-8")
    done = _cli(["validate", "--dir", str(folder)], {})
    assert done.returncode == 1
    assert "rusak.md: front matter: YAML does not parse" in done.stdout


def test_cli_validate_passes_on_the_repository():
    done = _cli(["validate"], {})
    assert done.returncode == 0, done.stdout


@pytest.mark.model
def test_cli_index_reports_and_is_incremental(ready, session_env):
    done = _cli(["index"], session_env)
    assert done.returncode == 0, done.stderr
    assert "Indexed 0 changed practice(s)" in done.stderr


def test_cli_unreachable_server_is_a_clear_error(session_env):
    from conftest import free_port

    port = free_port()
    done = _cli(["search", "dana"], {**session_env, "RUJUKAN_CHROMA_HOST": "127.0.0.1", "RUJUKAN_CHROMA_PORT": str(port)})
    assert done.returncode == 2 and f"127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.model
@pytest.mark.parametrize("query", ["xqzt blorf", "lorem ipsum dolor sit amet", "kucing terbang di atas bulan ungu"])
def test_a_query_nothing_answers_is_weak_not_confident(ready, query):
    result = ready.engine.search(query, top_k=5)
    assert result.matches and result.weak and all(m.weak and m.relevance < RELEVANCE_FLOOR for m in result.matches)


@pytest.mark.model
@pytest.mark.parametrize("query, expected", [("dashboard for the mayor", "sistem-informasi-eksekutif"), ("Perwali 72/2021", "si-malik")])
def test_a_real_query_is_not_weak(ready, query, expected):
    result = ready.engine.search(query, top_k=5)
    assert not result.weak and result.matches[0].practice.id == expected and not result.matches[0].weak


@pytest.mark.model
def test_no_passage_is_just_unknown(ready):
    for query in ("xqzt blorf", "biaya program", "dasar hukum"):
        assert all(m.passage.strip() != UNKNOWN_TEXT for m in ready.engine.search(query, top_k=15).matches)


@pytest.mark.model
def test_a_card_shows_the_summary_in_the_interface_language_centred_passages_otherwise(ready):
    engine = ready.engine
    result = engine.search("dashboard for the mayor", top_k=5)
    top = result.matches[0]
    assert top.section == "summary"
    english, indonesian = excerpt(engine, top, "en", result.vector), excerpt(engine, top, "id", result.vector)
    assert english.text == top.practice.summary_en and indonesian.text == top.practice.summary
    assert ", ".join(top.practice.keywords[:3]) not in english.text  # not the summary chunk with its keyword list
    long = next(m for m in engine.search("operator admin OPD tim lapangan", top_k=15).matches if m.section != "summary")
    shown = excerpt(engine, long, "en", engine.embedder.embed_queries(["operator admin OPD tim lapangan"])[0])
    assert shown.lang == "id" and shown.text and shown.text in " ".join(long.passage.split())


@pytest.mark.model
def test_cli_json_says_which_results_are_weak(ready, session_env):
    done = _cli(["search", "xqzt blorf", "--top", "3", "--json"], session_env)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert len(items) == 3 and all(item["weak"] is True and item["relevance"] < RELEVANCE_FLOOR for item in items)
    assert "no practice matches well" in done.stderr


# ------------------------------------------------------------------ reference regions (issue 13 §5)


def test_filters_by_reference_region():
    from rujukan.practices import parse_practice
    from rujukan.search import Filters

    practice, _ = parse_practice(REPO_ROOT / "tests" / "fixtures" / "contoh-praktik.md")  # a practice of Kota Kediri (3571)
    assert not Filters().active and Filters(regions=("3328",)).active
    assert Filters(regions=("3571",)).allows(practice) and Filters(regions=("3328", "3571")).allows(practice)
    assert not Filters(regions=("3328",)).allows(practice)
    assert not Filters(regions=("3571",), dimensions=("economy",)).allows(practice)  # both must allow it


@pytest.mark.model
def test_search_keeps_to_the_reference_regions(two_regions_ready):
    from rujukan.search import Filters

    from conftest import SECOND_REGION

    engine, query = two_regions_ready.engine, "layanan kesehatan gratis ke rumah warga miskin"
    assert {SECOND_REGION["copied"], SECOND_REGION["id"]} <= set(ids(engine.search(query, top_k=5)))
    tegal = engine.search(query, top_k=5, filters=Filters(regions=(SECOND_REGION["code"],)))
    assert ids(tegal) == [SECOND_REGION["id"]]  # the one practice of Kabupaten Tegal, and nothing else
    kediri = engine.search(query, top_k=5, filters=Filters(regions=("3571",)))
    assert ids(kediri)[0] == SECOND_REGION["copied"] and all(m.practice.region_code == "3571" for m in kediri.matches)
    both = engine.search(query, top_k=20, filters=Filters(regions=("3571", SECOND_REGION["code"])))
    assert set(ids(both)) == set(ids(engine.search(query, top_k=20)))


@pytest.mark.model
def test_cli_search_by_reference_region(two_regions_ready, two_regions_env):
    from conftest import SECOND_REGION

    done = _cli(["search", "layanan kesehatan gratis ke rumah warga miskin", "--region", SECOND_REGION["code"], "--json"], two_regions_env)
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert [item["id"] for item in items] == [SECOND_REGION["id"]]
    assert items[0]["region"] == {"code": SECOND_REGION["code"], "name": SECOND_REGION["name"]}
    done = _cli(["search", "layanan kesehatan gratis ke rumah warga miskin", "--region", "3571", "--region", SECOND_REGION["code"],
                 "--top", "3", "--json"], two_regions_env)
    assert done.returncode == 0, done.stderr
    assert {item["region"]["code"] for item in json.loads(done.stdout)} == {"3571", SECOND_REGION["code"]}


@pytest.mark.model
def test_cli_ask_by_reference_region(two_regions_ready, two_regions_env):
    from conftest import SECOND_REGION

    question = "layanan kesehatan gratis ke rumah warga miskin"
    done = _cli(["ask", question, "--region", SECOND_REGION["code"], "--json"], two_regions_env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert not out["declined"] and {c["id"] for c in out["citations"]} == {SECOND_REGION["id"]}
    assert {c["id"] for c in out["closest"]} == {SECOND_REGION["id"]}
    kediri = json.loads(_cli(["ask", question, "--region", "3571", "--json"], two_regions_env).stdout)
    assert SECOND_REGION["id"] not in {c["id"] for c in kediri["citations"]} | {c["id"] for c in kediri["closest"]}


@pytest.mark.parametrize("command", [["search", "dana RT"], ["ask", "dana RT"]])
def test_cli_a_region_without_records_is_refused_naming_the_reference_regions(command):
    done = _cli([*command, "--region", "3328"], {})  # the repository's records are all of Kota Kediri
    assert done.returncode == 2
    assert "No practice record is of region 3328" in done.stderr and "3571 (Kota Kediri)" in done.stderr
