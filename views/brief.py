"""Bahan kunjungan: a briefing pack (DOCX) for a delegation's study visit to Kota Kediri.

The choice is in the URL: ?region=3328&practices=prodamas-plus,sistem-informasi-eksekutif
Making a pack records the visit (region, date, practices, purpose) in the visit log; making it
again for the same visit updates that record. A PDF is made on request where LibreOffice is
installed. A visit recorded by mistake can be deleted here.
"""

import datetime as dt

import streamlit as st

from rujukan import tables
from rujukan.brief import build_brief, docx_to_pdf, pdf_available, visit_purpose
from rujukan.errors import RujukanError
from rujukan.i18n import t
from rujukan.regions import KEDIRI
from views import ui

lang = ui.lang()
st.title(t("brief.title", lang))
st.write(t("brief.intro", lang))

kb = ui.knowledge()
ui.show_problems(kb)
ds = ui.dataset()
names = ds.names()
codes = [c for c in ds.regions.sort_values("name")["code"] if c != KEDIRI]
practices = {p.id: p for p in sorted(kb.practices, key=ui.title_of)}
params = st.query_params
# the practices in the link, else those the session added from search results and practice pages
wanted_practices = ui.url_values("practices", practices, many=True) or [p for p in ui.shortlist() if p in practices]

region = st.selectbox(t("brief.region", lang), codes, index=ui.region_index(codes, ui.url_region("region", codes)), format_func=ui.region_label(ds),
                      key="brief_region")
chosen = st.multiselect(
    t("brief.practices", lang), list(practices), default=wanted_practices,
    format_func=lambda i: ui.title_of(practices[i]) if i in practices else i, key="brief_practices", placeholder=t("common.choose", lang), select_all=False,
)
c1, c2 = st.columns([1, 2])
visit_date = c1.date_input(t("brief.date", lang), value=None, format="YYYY-MM-DD", key="brief_date")
purpose = c2.text_area(t("brief.purpose", lang), placeholder=t("brief.purpose_help", lang), max_chars=2000, key="brief_purpose")

params["region"] = region
st.session_state["shortlist"] = list(chosen)  # what is chosen here is the session's shortlist
if chosen:
    params["practices"] = ",".join(chosen)
elif "practices" in params:
    del params["practices"]

if st.button(t("brief.build", lang), type="primary", key="brief_build"):
    for held in ("brief_doc", "brief_pdf"):
        st.session_state.pop(held, None)
    try:
        with st.spinner(t("brief.building", lang)):
            stated = visit_purpose(kb, ds, region, chosen, purpose or None)  # the one typed, or one written from the practices
            data = build_brief(kb, ds, region, chosen, visit_date=visit_date, purpose=stated)
    except RujukanError as exc:
        ui.show_error(exc, "brief.error")
    else:
        file_name = f"bahan-kunjungan-{region}-{(visit_date or dt.date.today()).isoformat()}.docx"
        st.session_state["brief_doc"] = (file_name, data)
        with ui.report_errors("brief.not_recorded", level="warning"):
            visit_id = ui.visit_log().record(region, visit_date, chosen, stated)
            st.success(t("brief.ready", lang, id=str(visit_id)), icon=":material/check_circle:")
        if not purpose:
            st.caption(t("brief.stated_purpose", lang, purpose=ui.text(stated)))

if "brief_doc" in st.session_state:
    file_name, data = st.session_state["brief_doc"]
    c1, c2 = st.columns(2)
    c1.download_button(
        t("brief.download", lang), data=data, file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:", key="brief_download",
    )
    if not pdf_available():
        c2.caption(t("brief.pdf_missing", lang))
    elif "brief_pdf" in st.session_state:
        c2.download_button(
            t("brief.pdf_download", lang), data=st.session_state["brief_pdf"], file_name=file_name.removesuffix(".docx") + ".pdf",
            mime="application/pdf", icon=":material/picture_as_pdf:", key="brief_pdf_download",
        )
    elif c2.button(t("brief.pdf", lang), icon=":material/picture_as_pdf:", key="brief_pdf_make"):
        try:
            with st.spinner(t("brief.pdf_building", lang)):
                st.session_state["brief_pdf"] = docx_to_pdf(data)
        except RujukanError as exc:
            ui.show_error(exc, "brief.pdf_error")
        else:
            st.rerun()  # offer the download in the button's place

st.subheader(t("brief.earlier", lang))
if "brief_flash" in st.session_state:
    st.success(st.session_state.pop("brief_flash"), icon=":material/check:")
visits = []
with ui.report_errors(level="warning"):
    visits = ui.visit_log().visits()
if visits:
    def practice_title(practice_id: str) -> str:
        return ui.title_of(practices[practice_id]) if practice_id in practices else practice_id

    st.dataframe(tables.visits_table(visits, ui.region_label(ds), practice_title, lang), hide_index=True)
    with st.expander(t("brief.delete_title", lang), icon=":material/delete:"):
        listed = {v.id: v for v in visits}
        which = st.selectbox(
            t("brief.delete_which", lang), list(listed), key="brief_delete_which",
            format_func=lambda i: f"{i} · {listed[i].date or t('common.unknown', lang)} · {names.get(listed[i].region_code, listed[i].region_code)}",
        )
        if st.button(t("brief.delete", lang), key="brief_delete"):
            with ui.report_errors(level="warning"):
                gone = ui.visit_log().delete(which)
                st.session_state["brief_flash"] = t("brief.deleted" if gone else "brief.delete_missing", lang, id=str(which))
                st.rerun()
else:
    st.caption(t("brief.none", lang))
