"""Dokumen: the documents attached to practices, and a viewer that opens one at a page (?doc=<id>&page=<n>).

Everyone may read them; signed-in curators attach and remove them (rujukan.documents checks each
file by its content and stores it under its content hash)."""

import streamlit as st

from rujukan.documents import DocumentRefused, render_page
from rujukan.i18n import t
from views import ui

lang = ui.lang()
unknown = t("common.unknown", lang)
kb = ui.knowledge()
practices = kb.by_id()
library = ui.document_library()
docs = ui.documents()


@st.cache_data(show_spinner=False, max_entries=64)
def page_image(sha256: str, page: int) -> bytes:
    """A PDF page as PNG (keyed by the content hash: a document's bytes never change under its name)."""
    document = next(d for d in ui.documents() if d.sha256 == sha256)
    return render_page(library.read_bytes(document), page)


def when(stamp: str) -> str:
    """2026-12-03T18:20:47Z -> 2026-12-03 18:20 UTC."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp


def size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1e3))} KB"


def upload_form() -> None:
    """Curators attach a document to a practice; it is checked, stored and embedded, or refused saying why."""
    curator = ui.curator()
    if curator is None:
        return
    st.caption(t("document.upload_help", lang, mb=ui.settings().document_max_mb))
    ids = sorted(practices, key=lambda i: ui.title_of(practices[i]))
    with st.form("document_upload", clear_on_submit=False):
        practice_id = st.selectbox(t("document.upload_practice", lang), ids, format_func=lambda i: ui.text(ui.title_of(practices[i])),
                                   index=ids.index(st.query_params["practice"]) if st.query_params.get("practice") in ids else 0)
        upload = st.file_uploader(t("document.upload_file", lang), type=["pdf", "docx", "md", "markdown", "txt"])
        title = st.text_input(t("document.upload_doc_title", lang), max_chars=200)
        source_url = st.text_input(t("document.upload_source_url", lang), max_chars=2000)
        licence = st.text_input(t("document.upload_licence", lang), max_chars=500)
        submitted = st.form_submit_button(t("document.upload_submit", lang), type="primary")
    if not submitted:
        return
    if upload is None:
        st.error(t("document.upload_need_file", lang))
        return
    try:
        stored = library.add(upload.getvalue(), upload.name, practice_id=practice_id, known_practices=set(practices), title=title,
                             uploaded_by=curator.who, source_url=source_url, licence=licence)
    except DocumentRefused as exc:
        st.error(t("document.refused", lang, reason=ui.text(str(exc))), icon=":material/block:")
        return
    with st.spinner(t("document.indexing", lang)):
        ui.ready()  # the folder changed: the engine is prepared again, embedding only this document
    key = "document.stored" if stored.text_layer else "document.stored_unsearchable"
    st.success(t(key, lang, id=stored.id, pages=len(stored.pages)), icon=":material/task_alt:")
    ui.document_link(stored, 1)


wanted = st.query_params.get("doc", "")
if not wanted:
    st.title(t("document.title", lang))
    st.write(t("document.intro", lang))
    if not docs:
        st.info(t("document.none", lang))
    for d in docs:
        owner = practices.get(d.practice_id)
        with st.container(border=True):
            ui.document_link(d, 1, d.title)
            st.caption(" · ".join([
                f"{t('document.attached_to', lang)}: {ui.text(ui.title_of(owner) if owner else d.practice_id)}",
                f"{d.kind.upper()}, {t('document.pages', lang).lower()}: {len(d.pages)}",
                f"{t('document.uploaded', lang)} {when(d.uploaded_at)} {t('document.uploaded_by', lang)} {ui.text(d.uploaded_by)}",
            ]))
            if not d.text_layer:
                st.warning(t("document.no_text_layer", lang), icon=":material/visibility_off:")
    with st.expander(t("document.upload_title", lang), icon=":material/upload_file:"):
        upload_form()
    st.stop()

document = next((d for d in docs if d.id == wanted[:64]), None)
if document is None:
    st.error(t("document.missing", lang, id=ui.text(wanted[:64])))
    st.page_link("views/dokumen.py", label=t("document.title", lang), icon=":material/arrow_back:")
    st.stop()

st.title(ui.text(document.title))
owner = practices.get(document.practice_id)
if owner:
    ui.practice_link(owner, f"{t('document.attached_to', lang)}: {ui.title_of(owner)}")
if not document.text_layer:
    st.warning(t("document.no_text_layer", lang), icon=":material/visibility_off:")
not_given = t("document.not_given", lang)
st.table({
    t("document.kind", lang): document.kind.upper(),
    t("document.pages", lang): str(len(document.pages)),
    t("document.uploaded", lang): f"{when(document.uploaded_at)} {t('document.uploaded_by', lang)} {document.uploaded_by}",
    t("document.source_url", lang): document.source_url or not_given,
    t("document.licence", lang): document.licence or not_given,
    t("document.file", lang): f"{document.filename or unknown} ({size(document.size)}, sha256 {document.sha256[:16]}…)",
})
if document.notes:
    st.caption(t("document.reader_notes", lang, notes=ui.text("; ".join(document.notes))))

pages = max(1, len(document.pages))
asked = st.query_params.get("page", "1")
start = min(pages, max(1, int(asked))) if asked.isdigit() else 1
if asked != str(start):
    ui.ignored("page", asked)
page = int(st.number_input(t("document.page", lang), min_value=1, max_value=pages, value=start, step=1, key=f"doc_page::{document.id}"))
st.query_params["page"] = str(page)
st.caption(t("document.page_of", lang, page=page, pages=pages))

if document.kind == "pdf":
    try:
        with st.container(border=True):  # a white page on a white screen needs its edge
            st.image(page_image(document.sha256, page), width="stretch")
    except Exception as exc:  # pdfium could not draw this page: its text below still stands
        st.warning(t("document.image_failed", lang, error=ui.text(type(exc).__name__)))
page_text = document.page_text(page)
if page_text.strip():
    with st.expander(t("document.page_text", lang), expanded=document.kind != "pdf"):
        st.text(page_text)
else:
    st.caption(t("document.page_no_text", lang))

try:
    data = library.read_bytes(document)
except OSError:
    data = None
if data is not None:
    st.download_button(t("document.download", lang), data, file_name=f"{document.id}.{document.kind}", icon=":material/download:")

with st.expander(t("document.remove", lang), icon=":material/delete:"):
    st.caption(t("document.curators_only", lang))
    if ui.curator() is not None and st.button(t("document.remove", lang), key="remove_document", type="primary"):
        with ui.report_errors():
            library.remove(document.id)
            with st.spinner(t("document.indexing", lang)):
                ui.ready()
            st.success(t("document.removed", lang, id=document.id))
            del st.query_params["doc"]
