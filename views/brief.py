"""Bahan kunjungan: a briefing pack (DOCX) for a delegation's study visit to Kota Kediri.

The choice is in the URL: ?region=3328&practices=prodamas-plus,sistem-informasi-eksekutif
Making a pack records the visit (region, date, practices, purpose) in the visit log.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from rujukan.brief import build_brief
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
wanted_practices = [p for p in params.get("practices", "").split(",") if p in practices]

region = st.selectbox(t("brief.region", lang), codes, index=ui.region_index(codes, params.get("region")), format_func=ui.region_label(ds), key="brief_region")
chosen = st.multiselect(
    t("brief.practices", lang), list(practices), default=wanted_practices,
    format_func=lambda i: ui.title_of(practices[i]) if i in practices else i, key="brief_practices",
)
c1, c2 = st.columns([1, 2])
visit_date = c1.date_input(t("brief.date", lang), value=None, format="YYYY-MM-DD", key="brief_date")
purpose = c2.text_area(t("brief.purpose", lang), help=t("brief.purpose_help", lang), max_chars=2000, key="brief_purpose")

params["region"] = region
if chosen:
    params["practices"] = ",".join(chosen)
elif "practices" in params:
    del params["practices"]

if st.button(t("brief.build", lang), type="primary", key="brief_build"):
    st.session_state.pop("brief_doc", None)
    try:
        with st.spinner(t("brief.building", lang)):
            data = build_brief(kb, ds, region, chosen, visit_date=visit_date, purpose=purpose or None)
    except RujukanError as exc:
        ui.show_error(exc, "brief.error")
    else:
        file_name = f"bahan-kunjungan-{region}-{(visit_date or dt.date.today()).isoformat()}.docx"
        st.session_state["brief_doc"] = (file_name, data)
        with ui.report_errors("brief.not_recorded", level="warning"):
            visit_id = ui.visit_log().record(region, visit_date, chosen, purpose)
            st.success(t("brief.ready", lang, id=str(visit_id)), icon=":material/check_circle:")

if "brief_doc" in st.session_state:
    file_name, data = st.session_state["brief_doc"]
    st.download_button(
        t("brief.download", lang), data=data, file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:", key="brief_download",
    )

st.subheader(t("brief.earlier", lang))
visits = []
with ui.report_errors(level="warning"):
    visits = ui.visit_log().visits()
if visits:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("brief.col_date", lang): v.date or t("common.unknown", lang),
                    t("brief.col_region", lang): f"{names.get(v.region_code, v.region_code)} ({v.region_code})",
                    t("brief.col_practices", lang): ", ".join(ui.title_of(practices[p]) if p in practices else p for p in v.practice_ids),
                    t("brief.col_purpose", lang): v.purpose,
                    t("brief.col_recorded", lang): v.created,
                }
                for v in visits
            ]
        ),
        hide_index=True,
    )
else:
    st.caption(t("brief.none", lang))
