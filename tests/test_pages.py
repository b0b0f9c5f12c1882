"""Every page through AppTest, on the real knowledge base, model and Chroma folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rujukan.config import REPO_ROOT
from rujukan.practices import load_knowledge

from conftest import open_page, plain

TIMEOUT = 180  # the first search of the session loads the model and indexes
FIXTURE = Path(__file__).parent / "fixtures" / "contoh-praktik.md"


def app(page: str | None = None, lang: str = "id", **params: str) -> AppTest:
    if lang != "id":
        params["lang"] = lang.upper()
    return open_page(page, TIMEOUT, **params)


def all_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "header") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.model
def test_home_shows_counts_and_starters(app_env):
    at = app()
    kb = load_knowledge(REPO_ROOT / "knowledge" / "practices")
    assert at.title[0].value == "Rujukan"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Praktik"] == str(len(kb.practices))
    assert metrics["Dimensi tercakup"] == "6 / 6"
    assert not at.warning  # the shipped knowledge base has no broken record


@pytest.mark.model
def test_search_page_from_a_shared_url(app_env, ready):
    at = app("views/cari.py", q="bagaimana warga RT mengusulkan penggunaan dana")
    assert at.text_input(key="q").value == "bagaimana warga RT mengusulkan penggunaan dana"
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert len(cards) == 5 and cards[0].startswith("#### 1. ")
    text = all_text(at)
    assert "Cocok di bagian" in text and "kemiripan makna" in text
    assert "Sumber:" in text and "https://" in text


@pytest.mark.model
def test_search_in_english_switches_labels(app_env, ready):
    at = app("views/cari.py", lang="en", q="dashboard for the mayor")
    assert at.title[0].value == "Search practices"
    text = all_text(at)
    assert "Matched in section" in text
    assert "Sistem Informasi Eksekutif" in text or "Executive Information" in text


@pytest.mark.model
def test_typing_a_query_updates_results(app_env, ready):
    at = app("views/cari.py")
    assert "Ketik masalah" in all_text(at)
    at.text_input(key="q").input("kredit usaha mikro bunga rendah").run()
    assert not at.exception
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert cards, all_text(at)


@pytest.mark.model
@pytest.mark.parametrize(
    "query, notice",
    [("😀🎉🙏", "tidak berisi kata"), ("dana warga " * 600, "hanya 1.000 karakter")],
)
def test_odd_queries_give_a_message_not_a_traceback(app_env, ready, query, notice):
    at = app("views/cari.py", q=query)
    assert notice in all_text(at)


@pytest.mark.model
def test_markup_in_a_query_is_shown_as_text(app_env, ready):
    at = app("views/cari.py", q="<img src=x onerror=alert(1)> **dana** RT")
    caption = next(c.value for c in at.caption if "praktik untuk" in c.value)
    assert "\\<img" in caption and "\\*\\*dana\\*\\*" in caption


@pytest.mark.model
def test_filters_narrow_the_results(app_env, ready):
    at = app("views/cari.py", q="program untuk warga", dim="economy")
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    kb = load_knowledge(REPO_ROOT / "knowledge" / "practices")
    economy = {p.title for p in kb.practices if "economy" in p.dimensions}
    assert cards and all(any(title in plain(card) for title in economy) for card in cards)


def test_practice_page_shows_the_whole_record(app_env):
    at = app("views/praktik.py", practice="prodamas-plus")
    kb = load_knowledge(REPO_ROOT / "knowledge" / "practices")
    p = kb.get("prodamas-plus")
    assert at.title[0].value == p.title
    subheaders = [s.value for s in at.subheader]
    assert "Riwayat" in subheaders and "Sumber" in subheaders and "Praktik terkait" in subheaders
    text = all_text(at)
    for source in p.sources:
        assert source.url in text
    links = {link.proto.query_string for link in at.get("page_link") if link.proto.page == "praktik"}
    assert {f"practice={r}" for r in p.related} <= links


def test_practice_page_sets_kediri_beside_the_chosen_region(app_env):
    at = app("views/praktik.py", practice="prodamas-plus", focus="7371")
    assert "Konteks penerapan" in [s.value for s in at.subheader]
    assert at.selectbox(key="transfer_focus").value == "7371"
    table = next(d.value for d in at.dataframe if "Kota Makassar" in d.value.columns)
    assert {"Kota Kediri", "Sumber", "Tahun"} <= set(table.columns)
    text = all_text(at).replace("\\", "")
    assert "Jumlah penduduk (SP2020): Kota Makassar" in text and "Rujukan tidak memegang angka APBD" in text
    at.selectbox(key="transfer_focus").set_value("3328").run()
    assert not at.exception and "Kabupaten Tegal adalah kabupaten, Kota Kediri kota" in all_text(at).replace("\\", "")


def test_unknown_fields_are_shown_as_unknown(app_env):
    at = app("views/praktik.py", practice="bank-sampah")
    table = at.table[0].value
    assert "tidak diketahui" in table.to_string()


def test_unknown_practice_id_gives_a_message(app_env):
    at = app("views/praktik.py", practice="<b>tidak-ada</b>")
    assert at.error and "tidak\\-ada" in at.error[0].value and "\\<b\\>" in at.error[0].value


def test_practice_list_without_an_id(app_env):
    at = app("views/praktik.py")
    kb = load_knowledge(REPO_ROOT / "knowledge" / "practices")
    assert len(at.get("page_link")) >= len(kb.practices)


def test_sources_page_lists_every_source(app_env):
    at = app("views/sumber.py")
    kb = load_knowledge(REPO_ROOT / "knowledge" / "practices")
    urls = {s.url for p in kb.practices for s in p.sources}
    table = at.dataframe[0].value
    assert set(table["url"]) == urls and table["date"].notna().all()


@pytest.mark.model
def test_broken_record_warns_and_the_rest_still_work(app_env, monkeypatch, tmp_path, embedder):
    knowledge = tmp_path / "knowledge" / "practices"
    knowledge.mkdir(parents=True)
    shutil.copy(FIXTURE, knowledge / FIXTURE.name)
    (knowledge / "rusak.md").write_text("---\ntitle: [tidak ditutup\n---\n## Masalah\n", encoding="utf-8")
    monkeypatch.setenv("RUJUKAN_KNOWLEDGE_DIR", str(knowledge.parent))
    monkeypatch.setenv("RUJUKAN_INDEX_DIR", str(tmp_path / "index"))
    at = app()
    assert at.warning and "rusak.md: front matter: YAML does not parse" in plain(at.warning[0].value)
    assert {m.label: m.value for m in at.metric}["Praktik"] == "1"
    at = app("views/cari.py", q="masalah yang dijawab")
    assert at.warning and [m.value for m in at.markdown if m.value.startswith("#### 1. Contoh Praktik")]


def test_record_text_is_never_markup(app_env, monkeypatch, tmp_path):
    knowledge = tmp_path / "knowledge" / "practices"
    knowledge.mkdir(parents=True)
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "Sebuah masalah yang dijawab [1].", "<script>alert('x')</script> ![img](http://example.org/x.png) [1]."
    )
    (knowledge / FIXTURE.name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("RUJUKAN_KNOWLEDGE_DIR", str(knowledge.parent))
    monkeypatch.setenv("RUJUKAN_INDEX_DIR", str(tmp_path / "index"))  # its own index, not the session's
    at = app("views/praktik.py", practice="contoh-praktik")
    shown = all_text(at)
    assert "\\<script\\>" in shown and "\\!\\[img\\]" in shown
    assert "<script>" not in shown.replace("\\<script\\>", "")


@pytest.mark.model
def test_home_prepares_the_index_and_names_the_model(app_env, ready):
    at = app()
    status = next(c.value for c in at.caption if "Indeks pencarian" in c.value)
    assert str(ready.engine.store.count()) in status and "multilingual\\-e5\\-small" in status


@pytest.mark.model
def test_unreachable_chroma_server_is_a_message_naming_it(app_env, monkeypatch):
    from conftest import free_port

    port = free_port()
    monkeypatch.setenv("RUJUKAN_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("RUJUKAN_CHROMA_PORT", str(port))
    for page in (None, "views/cari.py"):
        at = app(page, q="dana RT")
        assert at.error and f"127.0.0.1:{port}" in plain(at.error[0].value)
    assert at.text_input(key="q").value == "dana RT"  # the rest of the page still works


def test_bad_setting_is_a_message_naming_it(app_env, monkeypatch):
    monkeypatch.setenv("RUJUKAN_CHROMA_PORT", "delapan ribu")
    at = app()
    assert at.error and "RUJUKAN_CHROMA_PORT" in plain(at.error[0].value)


def test_practice_page_lists_visits_recorded_with_briefs(app_env):
    from rujukan.config import Settings
    from rujukan.visits import VisitLog

    VisitLog(Settings.from_env().visits_db).record("3328", "2026-12-01", ["si-malik"], "belajar <b>Si-Malik</b>")
    at = app("views/praktik.py", practice="si-malik")
    assert "Kunjungan yang dicatat lewat Rujukan (rencana, bukan fakta bersumber)" in [s.value for s in at.subheader]
    line = next(m.value for m in at.markdown if "Kabupaten Tegal" in m.value and "belajar" in m.value)
    assert "2026\\-12\\-01" in line and "\\<b\\>" in line


@pytest.mark.model
def test_a_search_nothing_answers_says_so_and_marks_its_cards(app_env, ready):
    at = app("views/cari.py", q="xqzt blorf")
    assert at.warning and "Tidak ada praktik yang cocok dengan baik" in plain(at.warning[0].value)
    assert all("kecocokan lemah" in plain(c.value) for c in at.caption if "Cocok di bagian" in plain(c.value))


@pytest.mark.model
def test_cards_speak_the_interface_language_and_mark_the_shared_words(app_env, ready):
    at = app("views/cari.py", lang="en", q="dashboard for the mayor")
    text = all_text(at)
    sie = ready.engine.kb.get("sistem-informasi-eksekutif")
    assert plain(ui_text(sie.summary_en.split(" [1]")[0])).split(" (SIE)")[0][:40] in plain(text)
    assert sie.summary.split(" [")[0][:40] not in plain(text)  # the Indonesian summary is not repeated beside it
    assert "**mayor**" in text or "**dashboard**" in text
    assert "record text, in Indonesian" in text  # said of the cards quoting an Indonesian section
    at = app("views/cari.py", q="Perwali 72/2021")
    assert "**Perwali**" in all_text(at) and "**72**" in all_text(at)


def ui_text(value: str) -> str:
    from views.ui import text

    return text(value)


def test_practice_page_in_english_says_which_parts_are_in_indonesian(app_env):
    at = app("views/praktik.py", lang="en", practice="prodamas-plus")
    said = [c.value for c in at.caption if c.value.startswith("Record text, in Indonesian:")]
    assert len(said) == 1 and "Problem" in said[0] and "How to replicate" in said[0], [c.value for c in at.caption]
    indonesian = app("views/praktik.py", practice="prodamas-plus")
    assert not any("in Indonesian" in c.value or "berbahasa Indonesia" in c.value for c in indonesian.caption)


# ------------------------------------------------------------------ reference regions (issue 13 §5)


def badges(at: AppTest) -> list[str]:
    """The labels of the page's badges (st.badge is Markdown ":gray-badge[:material/icon: label]")."""
    found = (re.fullmatch(r":[a-z]+-badge\[(?::material/[a-z_]+: )?(.*)\]", m.value, re.DOTALL) for m in at.markdown)
    return [plain(f.group(1)) for f in found if f]


def test_with_one_region_the_search_page_says_so_instead_of_a_picker(app_env):
    at = app("views/cari.py")
    assert "Semua praktik dari Kota Kediri." in [c.value for c in at.caption]
    assert "ref" not in [m.key for m in at.multiselect]
    at = app("views/cari.py", lang="en")
    assert "Every practice is from Kota Kediri." in [c.value for c in at.caption]


@pytest.mark.model
def test_the_search_page_filters_by_reference_region_kept_in_the_url(two_regions_app):
    from conftest import SECOND_REGION

    query = "layanan kesehatan gratis ke rumah warga miskin"
    at = app("views/cari.py", q=query)
    picker = at.multiselect(key="ref")
    assert picker.label == "Wilayah rujukan" and picker.value == [] and picker.options == ["Kabupaten Tegal", "Kota Kediri"]  # by name
    cards = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert len(cards) == 5 and "Kabupaten Tegal" in badges(at) and "Kota Kediri" in badges(at)  # every card names its region
    picker.set_value([SECOND_REGION["code"]]).run()
    assert not at.exception and at.query_params["ref"] in (SECOND_REGION["code"], [SECOND_REGION["code"]])
    assert [m.value for m in at.markdown if m.value.startswith("#### ")] == ["#### 1. Home Care PEDULI"]
    assert badges(at).count("Kabupaten Tegal") == 2 and "Kota Kediri" not in badges(at)  # the active filter, and the card's region
    # the shared link opens the same way, and clearing the filters clears the region too
    at = app("views/cari.py", q=query, ref=SECOND_REGION["code"])
    assert at.multiselect(key="ref").value == [SECOND_REGION["code"]] and len([m for m in at.markdown if m.value.startswith("#### ")]) == 1
    at.button(key="clear_filters").click().run()
    assert at.multiselect(key="ref").value == [] and len([m for m in at.markdown if m.value.startswith("#### ")]) == 5


@pytest.mark.model
def test_the_ask_page_answers_from_the_reference_regions(two_regions_app):
    from conftest import SECOND_REGION

    at = app("views/tanya.py", tanya="Siapa yang menjalankan Home Care PEDULI?", ref=SECOND_REGION["code"])
    assert at.multiselect(key="tanya_ref").value == [SECOND_REGION["code"]]
    links = [link.proto.page_script_hash or link.proto.page for link in at.get("page_link")]
    assert links and all(f"practice={SECOND_REGION['copied']}" not in (link.proto.query_string or "") for link in at.get("page_link"))
    assert any(f"practice={SECOND_REGION['id']}" in (link.proto.query_string or "") for link in at.get("page_link"))
    followups = [link.proto.query_string for link in at.get("page_link") if "tanya=" in (link.proto.query_string or "")]
    assert followups and all(f"ref={SECOND_REGION['code']}" in q for q in followups)  # a follow-up keeps the regions


@pytest.mark.model
def test_the_recommendations_keep_to_the_reference_regions(two_regions_app, monkeypatch, tmp_path):
    from conftest import SECOND_REGION

    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(tmp_path / "state"))  # no saved self-assessment: indicator gaps only
    at = app("views/penilaian.py", region="3328", ref="3571")
    assert at.multiselect(key="pm_ref").value == ["3571"]
    assert "Kota Kediri" in badges(at) and "Kabupaten Tegal" not in badges(at)
    at.multiselect(key="pm_ref").set_value([SECOND_REGION["code"]]).run()
    assert not at.exception and at.query_params["ref"] in (SECOND_REGION["code"], [SECOND_REGION["code"]])
    assert "Kota Kediri" not in badges(at)
