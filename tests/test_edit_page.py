"""Sunting praktik through AppTest (issue 13 §1–2): who may edit, a save with its reason, the
problems named by field, the preview, a stale save refused with the difference, history, diff
and restore. The real sign-in journey is in tests/test_sign_in.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rujukan.revisions import RevisionStore

pytestmark = pytest.mark.model

AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "c", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}
ANI = {"is_logged_in": True, "email": "ani@kedirikota.test", "groups": ["diskominfo"]}


@pytest.fixture
def curating(app_env, monkeypatch, tmp_path):
    """The app on a copy of the records and of the built index, with curators named."""
    shutil.copytree(Path(app_env["RUJUKAN_KNOWLEDGE_DIR"]) / "practices", tmp_path / "knowledge" / "practices")
    shutil.copytree(app_env["RUJUKAN_INDEX_DIR"], tmp_path / "index")
    monkeypatch.setenv("RUJUKAN_KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    monkeypatch.setenv("RUJUKAN_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("RUJUKAN_CURATORS", "group:diskominfo")
    return tmp_path


def editor(user: dict | None = None, **params):
    from streamlit.testing.v1 import AppTest

    from rujukan.config import REPO_ROOT

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/sunting.py")
    return at.run()


def messages(at) -> str:
    return "\n".join(m.value for m in [*at.info, *at.warning, *at.error, *at.success, *at.caption]).replace("\\", "")  # markdown escapes


def test_visitors_are_asked_to_sign_in_and_others_are_refused(curating):
    at = editor({"is_logged_in": False})
    assert "Masuk dulu untuk menyunting" in messages(at) and not at.text_area and not at.exception
    at = editor({"is_logged_in": True, "email": "budi@contoh.test"})
    assert "budi@contoh.test tidak termasuk kurator" in messages(at) and not at.text_area


def test_a_curator_checks_previews_and_saves_an_edit(curating, embedder):
    at = editor(ANI, practice="bank-sampah")
    assert "ani@kedirikota.test (kurator)" in messages(at)
    box = at.text_area(key="edit_text::bank-sampah")
    box.set_value(box.value.replace("## Hasil\n", "## Hasil\n\nCatatan Rujukan: hasil baru dari kurator [1].\n", 1))
    at.button(key="edit_check").click().run()
    assert "Tidak ada masalah" in messages(at)
    assert any("hasil baru dari kurator" in m.value for m in at.markdown)  # the preview shows the new text
    assert (curating / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8").count("hasil baru") == 0  # not saved yet
    at.text_input(key="edit_reason::bank-sampah").set_value("tambah hasil")
    at.button(key="edit_save").click().run()
    assert "Tersimpan sebagai revisi 2" in messages(at) and not at.exception
    assert "hasil baru dari kurator [1]." in (curating / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")
    [saved] = [r for r in RevisionStore(curating / "state" / "revisions.sqlite3", curating / "knowledge" / "practices").history("bank-sampah")
               if r.number == 2]
    assert (saved.author, saved.reason) == ("ani@kedirikota.test", "tambah hasil")
    from rujukan.config import Settings
    from rujukan.service import prepare

    ready = prepare(Settings.from_env(), log=lambda _m: None, embedder=embedder)  # the page re-embedded it already: nothing left to do
    assert ready.report.embedded_practices == () and not ready.report.rebuilt
    assert ready.engine.search("hasil baru dari kurator", top_k=1).matches[0].practice.id == "bank-sampah"


def test_problems_are_named_by_field_and_nothing_is_written(curating):
    before = (curating / "knowledge" / "practices" / "bank-sampah.md").read_bytes()
    at = editor(ANI, practice="bank-sampah")
    box = at.text_area(key="edit_text::bank-sampah")
    box.set_value(box.value.replace("status: unknown", "status: maybe"))
    at.text_input(key="edit_reason::bank-sampah").set_value("salah")
    at.button(key="edit_save").click().run()
    shown = "\n".join(e.value for e in at.error)
    assert "**status**" in shown and "Belum disimpan" in shown
    assert (curating / "knowledge" / "practices" / "bank-sampah.md").read_bytes() == before


def test_a_save_based_on_an_older_revision_is_refused_with_the_difference(curating):
    at = editor(ANI, practice="bank-sampah")  # Ani opens the record at revision 1 …
    store = RevisionStore(curating / "state" / "revisions.sqlite3", curating / "knowledge" / "practices")
    text = store.latest("bank-sampah").text
    store.save("bank-sampah", text.replace("## Hasil\n", "## Hasil\n\nCatatan Rujukan: Budi lebih dulu [1].\n", 1), "budi", "lebih dulu", 1)
    box = at.text_area(key="edit_text::bank-sampah")  # … and saves her own edit after Budi's
    box.set_value(box.value.replace("## Hasil\n", "## Hasil\n\nCatatan Rujukan: suntingan Ani [1].\n", 1))
    at.text_input(key="edit_reason::bank-sampah").set_value("punya Ani")
    at.button(key="edit_save").click().run()
    assert "diubah orang lain" in "\n".join(e.value for e in at.error)
    assert any("Budi lebih dulu" in c.value for c in at.code)  # the difference, shown
    assert "suntingan Ani" not in (curating / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")


def test_history_diff_and_restore(curating):
    store = RevisionStore(curating / "state" / "revisions.sqlite3", curating / "knowledge" / "practices")
    original = store.latest("bank-sampah").text
    store.save("bank-sampah", original.replace("## Hasil\n", "## Hasil\n\nCatatan Rujukan: sementara [1].\n", 1), "budi", "coba", 1)
    at = editor(ANI, practice="bank-sampah")
    assert any("+Catatan Rujukan: sementara [1]." in c.value for c in at.code)  # revision 1 against 2
    at.button(key="edit_restore").click().run()
    assert "Revisi 1 dipulihkan sebagai revisi 3" in messages(at)
    assert (curating / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8") == original


def test_a_curator_marks_a_record_checked_against_a_source(curating):
    at = editor(ANI, practice="bank-sampah")
    at.multiselect(key="checked_sources").set_value([1])
    next(b for b in at.button if b.proto.form_id == "checked").click().run()
    assert "Ditandai sudah diperiksa (revisi 2)" in messages(at) and not at.exception
    record = (curating / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")
    assert 'verified_by: "ani@kedirikota.test"' in record and "verified_against: [1]" in record
    from conftest import open_page

    page = open_page("views/praktik.py", 300, practice="bank-sampah")  # the practice page says who checked it against which source
    cells = [str(v).replace("\\", "") for table in page.table for v in table.value.to_numpy().ravel()]
    assert any("2026" in c and "oleh ani@kedirikota.test, terhadap sumber" in c and "1" in c.split("sumber")[-1] for c in cells), cells


# ------------------------------------------------------------------ the structured form (issue 13 §2)


def _in_order(node):
    """Every element of a page, in the order it is drawn (containers left out)."""
    for child in getattr(node, "children", {}).values():
        if type(child).__name__ not in ("Block", "Column", "Tab"):
            yield child
        yield from _in_order(child)


def message_under(at, key: str) -> str:
    """The error drawn right under the widget with this key ("" when the next element is not an error)."""
    elements = list(_in_order(at.main))
    at_widget = next(i for i, e in enumerate(elements) if getattr(e, "key", None) == key)
    after = elements[at_widget + 1] if at_widget + 1 < len(elements) else None
    return after.value.replace("\\", "") if type(after).__name__ == "Error" else ""


def test_the_form_edits_one_field_and_the_save_changes_only_that(curating):
    path = curating / "knowledge" / "practices" / "bank-sampah.md"
    before = path.read_text(encoding="utf-8")
    at = editor(ANI, practice="bank-sampah")
    assert [t.label for t in at.tabs] == ["Formulir", "Teks Markdown"]
    assert at.text_input(key="form::bank-sampah::title").value == "Bank Sampah"
    assert at.multiselect(key="form::bank-sampah::dimensions").value == ["environment"]
    at.text_input(key="form::bank-sampah::agency").set_value("Dinas Lingkungan Hidup Kota Kediri").run()
    assert 'agency: "Dinas Lingkungan Hidup Kota Kediri"' in at.text_area(key="edit_text::bank-sampah").value  # one draft, both tabs
    at.text_input(key="edit_reason::bank-sampah").set_value("pelaksana diisi")
    at.button(key="edit_save").click().run()
    assert "Tersimpan sebagai revisi 2" in messages(at) and not at.exception
    after = path.read_text(encoding="utf-8")
    assert [line for line in after.splitlines() if line not in before.splitlines()] == ['agency: "Dinas Lingkungan Hidup Kota Kediri"']
    assert len(after.splitlines()) == len(before.splitlines())
    [saved] = [r for r in RevisionStore(curating / "state" / "revisions.sqlite3", curating / "knowledge" / "practices").history("bank-sampah")
               if r.number == 2]
    assert saved.text == after and (saved.author, saved.reason) == ("ani@kedirikota.test", "pelaksana diisi")


def test_an_invalid_value_is_named_under_its_field_and_nothing_is_written(curating):
    path = curating / "knowledge" / "practices" / "bank-sampah.md"
    before = path.read_bytes()
    at = editor(ANI, practice="bank-sampah")
    at.text_input(key="form::bank-sampah::started").set_value("kemarin")
    at.text_input(key="edit_reason::bank-sampah").set_value("salah")
    at.button(key="edit_save").click().run()
    assert "'kemarin' is not a date" in message_under(at, "form::bank-sampah::started")
    assert message_under(at, "form::bank-sampah::ended") == ""  # only the field it names
    assert "1 masalah" in at.error[0].value and path.read_bytes() == before
    at.text_input(key="form::bank-sampah::started").set_value("2016").run()  # fixed: its message goes with it
    assert message_under(at, "form::bank-sampah::started") == "" and not at.error

    box = at.text_area(key="edit_text::bank-sampah")  # a source date and a dimension the form's pickers do not offer, typed as text
    box.set_value(box.value.replace('date: "~2023-11"', 'date: "kemarin"').replace("dimensions: [environment]", "dimensions: [environment, smart-x]"))
    at.button(key="edit_check").click().run()
    assert at.multiselect(key="form::bank-sampah::dimensions").value == ["environment", "smart-x"]  # the form follows the text
    assert "'smart-x' is not a dimension" in message_under(at, "form::bank-sampah::dimensions")
    under_sources = message_under(at, "form::bank-sampah::sources.2")  # the sources table, filled anew from the text
    assert "Baris 1, Tanggal: 'kemarin' is not YYYY" in under_sources, under_sources
    assert path.read_bytes() == before


def test_a_new_practice_starts_from_kediri_and_is_written_through_both_tabs(curating):
    at = editor(ANI)
    assert at.selectbox(key="edit_pick").value == "__new__"
    assert (at.text_input(key="form::__new__::region_code").value, at.text_input(key="form::__new__::region_name").value) == ("3571", "Kota Kediri")
    assert at.selectbox(key="form::__new__::status").value == "unknown" and at.text_input(key="form::__new__::agency").value == ""
    at.text_input(key="edit_new_id").set_value("arsip-digital").run()
    at.text_input(key="form::__new__::title").set_value("Arsip Digital").run()
    at.text_input(key="form::__new__::title_en").set_value("Digital archive").run()
    at.text_area(key="form::__new__::summary").set_value("Pemkot Kediri mengarsipkan dokumen secara digital [1].").run()
    at.text_area(key="form::__new__::summary_en").set_value("Kota Kediri keeps its documents in a digital archive [1].").run()
    at.multiselect(key="form::__new__::dimensions").set_value(["governance"]).run()
    at.text_input(key="form::__new__::last_verified").set_value("2026-11-29").run()
    box = at.text_area(key="edit_text::__new__")
    assert "id: arsip-digital" in box.value and "title: Arsip Digital" in box.value
    source = '  - {url: "https://kedirikota.go.id/arsip", title: "", publisher: "kedirikota.go.id", date: "2024"}'
    box.set_value(box.value.replace("sources: []", f"sources:\n{source}"))
    at.run()
    assert at.text_input(key="form::__new__::title").value == "Arsip Digital"  # the form, filled again from the text, kept what was typed
    at.text_input(key="edit_reason::__new__").set_value("praktik baru")
    at.button(key="edit_save").click().run()
    assert "Tersimpan sebagai revisi 1" in messages(at), [e.value for e in at.error]
    record = (curating / "knowledge" / "practices" / "arsip-digital.md").read_text(encoding="utf-8")
    assert 'region: {code: "3571", name: Kota Kediri}' in record and "status: unknown" in record and "## Masalah\n\nTidak diketahui." in record
