"""House rules and small pure functions: config, keyword tokens, query cleaning."""

import ast
from pathlib import Path

import pytest

from rujukan.config import DEFAULT_MODEL, REPO_ROOT, VARIABLES, Settings
from rujukan.errors import ConfigError
from rujukan.keyword import KeywordIndex, tokens
from rujukan.search import MAX_QUERY_CHARS, Filters, clean_query

CORE = Path(__file__).parents[1] / "rujukan"


def test_core_never_imports_streamlit():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_settings_defaults_and_overrides(monkeypatch, tmp_path):
    for name, _, _ in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    s = Settings.from_env()
    assert s.model == DEFAULT_MODEL
    assert s.practices_dir == REPO_ROOT / "knowledge" / "practices"
    assert s.index_dir == REPO_ROOT / "data" / "index"
    assert s.chroma_host == "" and s.chroma_port == 8000
    monkeypatch.setenv("RUJUKAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RUJUKAN_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("RUJUKAN_CHROMA_PORT", "9001")
    s = Settings.from_env()
    assert s.index_dir == tmp_path / "index" and (s.chroma_host, s.chroma_port) == ("127.0.0.1", 9001)
    monkeypatch.setenv("RUJUKAN_INDEX_DIR", str(tmp_path / "elsewhere"))
    assert Settings.from_env().index_dir == tmp_path / "elsewhere" and Settings.from_env().data_dir == tmp_path


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_bad_port_is_named(monkeypatch, port):
    monkeypatch.setenv("RUJUKAN_CHROMA_PORT", port)
    with pytest.raises(ConfigError, match="RUJUKAN_CHROMA_PORT"):
        Settings.from_env()


def test_every_setting_is_documented_in_readme():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name, _, _ in VARIABLES if name not in readme] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Perwali 32/2021", ["perwali", "32/2021", "32", "2021"]),
        ("e-SPTPD", ["e-sptpd", "e", "sptpd"]),
        ("Pelayanan Publik dan KURNIA", ["pelayanan", "publik", "kurnia"]),
        ("Àkses Kesehatan", ["akses", "kesehatan"]),
        ("🙂🙂", []),
    ],
)
def test_tokens(text, expected):
    assert tokens(text) == expected


def test_bm25_prefers_the_rare_exact_term():
    index = KeywordIndex({"a": "dana RT untuk warga", "b": "Perwali 32/2021 tentang dana RT", "c": "warga dan kelurahan"})
    assert [doc for doc, _ in index.top("perwali 32/2021", 10)] == ["b"]
    ranked = index.top("dana warga", 10)
    assert ranked[0][0] == "a" and {doc for doc, _ in ranked} == {"a", "b", "c"}
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert len(index.top("dana warga", 1)) == 1
    shared = index.matched_terms(tokens("perwali 32/2021 anggaran"), set(tokens("Perwali 32/2021 tentang dana RT")))
    assert set(shared) == {"32/2021", "perwali", "32", "2021"}
    assert [index.idf(t) for t in shared] == sorted((index.idf(t) for t in shared), reverse=True)  # rarest first


def test_bm25_scores_match_the_textbook_formula():
    import math
    import random

    rng = random.Random(3)
    words = [f"w{i}" for i in range(40)]
    docs = {f"d{i}": " ".join(rng.choice(words) for _ in range(rng.randint(3, 30))) for i in range(200)}
    index = KeywordIndex(docs)
    toks = {d: tokens(t) for d, t in docs.items()}
    avg = sum(map(len, toks.values())) / len(toks)
    query = "w1 w2 w3 w39"
    expected = {}
    for d, ts in toks.items():
        score = 0.0
        for term in set(tokens(query)):
            tf, df = ts.count(term), sum(term in t for t in toks.values())
            if tf:
                idf = math.log(1 + (len(toks) - df + 0.5) / (df + 0.5))
                score += idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * len(ts) / avg))
        if score:
            expected[d] = score
    got = dict(index.top(query, 1000))
    assert got.keys() == expected.keys()
    assert all(abs(got[d] - expected[d]) < 1e-4 * expected[d] for d in got)


@pytest.mark.parametrize(
    "raw, text, notices",
    [
        ("", "", ["query_empty"]),
        ("   \n\t ", "", ["query_empty"]),
        ("😀🎉🙏", "😀🎉🙏", ["query_no_words"]),
        ("<script>alert(1)</script>", "<script>alert(1)</script>", []),
        ("dana\x00 RT\u200b", "dana RT", []),
    ],
)
def test_clean_query(raw, text, notices):
    assert clean_query(raw) == (text, notices)


def test_long_query_is_capped():
    text, notices = clean_query("dana warga " * 1000)
    assert len(text) <= MAX_QUERY_CHARS and notices == ["query_truncated"]


def test_filters(tmp_path):
    from rujukan.practices import parse_practice

    practice, _ = parse_practice(Path(__file__).parent / "fixtures" / "contoh-praktik.md")
    assert Filters().allows(practice)
    assert Filters(dimensions=("governance", "economy")).allows(practice)
    assert not Filters(dimensions=("economy",)).allows(practice)
    assert not Filters(statuses=("ended",)).allows(practice)
    assert Filters(year_from=2019, year_to=2019).allows(practice)
    assert not Filters(year_from=2020).allows(practice)
    assert not Filters(agencies=("Dinas Kesehatan",)).allows(practice)


@pytest.mark.parametrize(
    "value, lang, decimals, expected",
    [(1442.5, "id", None, "1.442,5"), (1442.5, "en", None, "1,442.5"), (12.1832, "id", None, "12,18"), (12.1832, "en", 1, "12.2"),
     (9700, "id", None, "9.700"), (3.31, "en", 0, "3"), (-0.001, "id", None, "0"), (None, "id", None, ""), (float("nan"), "en", None, "")],
)
def test_numbers_read_as_each_language_writes_them(value, lang, decimals, expected):
    from rujukan.formats import number

    assert number(value, lang, decimals) == expected
