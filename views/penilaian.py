"""Penilaian mandiri: a region's self-assessment (Rujukan's own checklist), its gaps against Kota
Kediri and peers, and Kediri practices recommended for the largest gaps.

Shareable state in the URL: ?region=3328 (the region assessed), &ref=3571 (repeated: the reference
regions whose practices are recommended; none = every region's)
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from rujukan import tables
from rujukan.assessment import INSTITUTION_STATES, INSTITUTIONS, LEVELS, Assessment, AssessmentStore, institution_label, scale_label, state_label
from rujukan.formats import safe_csv
from rujukan.i18n import t
from rujukan.practices import source_name
from rujukan.recommend import KEDIRI, KEDIRI_YEAR, TRANSFERABLE, gaps
from rujukan.vocabulary import DIMENSIONS, dimension_label
from views import ui

STORE_ERROR = "assessment.store_error"


def level_label(level: int) -> str:
    return f"{level} — {scale_label(level, lang).split(':')[0]}" if level else t("assessment.not_assessed", lang)


def load_into_form(a: Assessment) -> None:
    """Put a saved assessment into the form's widgets (runs as a callback, before the widgets exist)."""
    st.session_state["pm_date"] = dt.date.fromisoformat(a.date)
    for dim in DIMENSIONS:
        st.session_state[f"pm_score_{dim}"] = a.scores.get(dim) or 0
    for item in INSTITUTIONS:
        st.session_state[f"pm_inst_{item}"] = a.institutions.get(item, "no")
    st.session_state["pm_note"] = a.note
    st.session_state["pm_viewing"] = a.date


lang = ui.lang()
st.title(t("assessment.title", lang))
st.info(t("assessment.notice", lang), icon=":material/info:")
st.write(t("assessment.intro", lang))

ds = ui.dataset()
names = ds.names()
codes = list(ds.regions.sort_values("name")["code"])
label_of = ui.region_label(ds)
region = st.selectbox(t("assessment.region", lang), codes, index=ui.region_index(codes, ui.url_region("region", codes)), format_func=label_of, key="pm_region")
st.query_params["region"] = region
if st.session_state.get("pm_form_region") != region:  # a new region starts from an empty form
    for key in [k for k in st.session_state if str(k).startswith(("pm_score_", "pm_inst_"))] + ["pm_note", "pm_viewing", "pm_date"]:
        st.session_state.pop(key, None)
    st.session_state["pm_form_region"] = region

with st.expander(t("assessment.scale", lang)):
    for level in LEVELS:
        st.markdown(f"**{level}** — {ui.text(scale_label(level, lang))}")

store: AssessmentStore | None = None
saved: list[Assessment] = []
with ui.report_errors(STORE_ERROR):
    store = ui.assessment_store()
    saved = store.assessments(region)

# ------------------------------------------------------------------ past assessments
st.subheader(t("assessment.past", lang))
if not saved or store is None:
    st.caption(t("assessment.none_saved", lang))
else:
    by_date = {a.date: a for a in saved}
    dates = list(by_date)
    viewing = st.session_state.get("pm_viewing")
    picked = st.selectbox(t("assessment.pick", lang), dates, index=dates.index(viewing) if viewing in by_date else 0, key="pm_pick")
    st.dataframe(tables.assessments_table(saved, lang), hide_index=True)
    with st.container(horizontal=True):
        st.button(t("assessment.load", lang), key="pm_load", on_click=load_into_form, args=(by_date[picked],), icon=":material/edit:")
        if st.button(t("assessment.delete", lang), key="pm_delete", icon=":material/delete:"):
            with ui.report_errors(STORE_ERROR):
                store.delete(region, picked)
                st.session_state.pop("pm_viewing", None)
                st.toast(t("assessment.deleted", lang, date=picked))
                st.rerun()
        with ui.report_errors(STORE_ERROR):
            export = pd.concat([store.table(region).reset_index(drop=True), tables.assessments_table(saved, lang)], axis=1)
            st.download_button(t("assessment.export", lang), safe_csv(export), file_name=f"penilaian-{region}.csv",
                               mime="text/csv", key="pm_export", icon=":material/download:")

# ------------------------------------------------------------------ the form
st.subheader(t("assessment.form", lang))
# defaults through Session State only, so a loaded assessment can replace them without a warning
st.session_state.setdefault("pm_date", dt.date.today())
st.session_state.setdefault("pm_note", "")
for dim in DIMENSIONS:
    st.session_state.setdefault(f"pm_score_{dim}", 0)
for item in INSTITUTIONS:
    st.session_state.setdefault(f"pm_inst_{item}", "no")
with st.form("pm_form", enter_to_submit=False):  # no "Press Enter to submit form" (Streamlit cannot translate it)
    day = st.date_input(t("assessment.date", lang), key="pm_date")
    st.markdown(f"**{t('assessment.dimensions', lang)}**")
    scores = {}
    for dim in DIMENSIONS:
        scores[dim] = st.select_slider(dimension_label(dim, lang), options=[0, *LEVELS], format_func=level_label, key=f"pm_score_{dim}")
    st.markdown(f"**{t('assessment.institutions', lang)}**")
    states = {}
    for item in INSTITUTIONS:
        states[item] = st.radio(institution_label(item, lang), list(INSTITUTION_STATES), horizontal=True,
                                format_func=lambda s: state_label(s, lang), key=f"pm_inst_{item}")
    note = st.text_area(t("assessment.note", lang), key="pm_note", max_chars=4000)
    submitted = st.form_submit_button(t("assessment.save", lang), type="primary", icon=":material/save:")

if submitted and store is not None:
    with ui.report_errors(STORE_ERROR):
        stored = store.save(region, day, {d: (v or None) for d, v in scores.items()}, states, note)
        st.session_state["pm_viewing"] = stored.date
        st.session_state["pm_flash"] = t("assessment.saved", lang, region=ui.text(names[region]), date=stored.date)
        st.rerun()  # draw the list of saved assessments (above the form) with the new one
if "pm_flash" in st.session_state:
    st.success(st.session_state.pop("pm_flash"), icon=":material/check:")

# ------------------------------------------------------------------ gaps
st.header(t("assessment.gaps", lang))
current = next((a for a in saved if a.date == st.session_state.get("pm_viewing")), saved[0] if saved else None)
peer_options = [c for c in codes if c not in (region, KEDIRI)]
suggested = [c for c in ui.suggested_peers(ds, region) if c in peer_options]
peers = st.multiselect(
    t("assessment.peers", lang), peer_options, default=suggested, format_func=label_of, key="pm_peers", help=t("assessment.peers_help", lang),
    placeholder=t("common.choose", lang), select_all=False,
)

if current is None:
    st.info(t("assessment.no_assessment", lang))
else:
    peer_scores = {}
    if store is not None:
        with ui.report_errors(STORE_ERROR):
            peer_scores = {c: a.scores for c in peers if (a := store.latest(c)) is not None}
    st.subheader(t("assessment.dim_gaps", lang, date=current.date, year=str(KEDIRI_YEAR)))
    ui.table(tables.dimension_gaps_table(gaps(current, ds, peer_scores), lang))
    st.caption(t("assessment.indicative", lang))

st.subheader(t("assessment.ind_gaps", lang))
ind_table = None
with ui.report_errors(level="warning"):
    ind_table = ui.region_indicator_gaps(ds, region, peers)
if ind_table is not None:
    ui.table(tables.indicator_gaps_table(ind_table, ds, lang))
    st.caption(t("assessment.mapping_note", lang))

# ------------------------------------------------------------------ recommendations
st.header(t("assessment.recs", lang))
st.caption(t("assessment.recs_intro", lang))
if lang == "en":
    st.caption(t("assessment.content_lang", lang))
engine = ui.ready().engine
references = ui.reference_regions(engine.kb, key="pm_ref")
recommendations = []
with ui.report_errors(level="warning"):
    recommendations = ui.recommendations(engine, ds, region, current, peers, references)
if not recommendations:
    st.info(t("assessment.no_recs", lang))
for number, rec in enumerate(recommendations, start=1):
    with st.container(border=True):
        st.markdown(f"#### {number}. {ui.text(rec.title_en if lang == 'en' else rec.title)}")
        practice = engine.kb.get(rec.practice_id)
        with st.container(horizontal=True, gap="small"):
            st.badge(dimension_label(rec.dimension, lang), color=ui.DIMENSION_COLORS.get(rec.dimension, "gray"))
            if practice is not None:
                ui.region_badge(practice.region_name)
        if rec.thin:
            st.warning(t("assessment.thin", lang, known=str(len(rec.documented)), total=str(len(TRANSFERABLE))), icon=":material/info:")
        st.markdown(f"**{t('assessment.why', lang)}:** {ui.text(rec.why(lang))}")
        st.markdown(f"> {ui.text(rec.excerpt)}")
        if lang == "en":
            st.caption(t("search.record_language", lang))
        with st.expander(t("assessment.stages", lang)):
            st.markdown(ui.body(rec.stages, rec.sources))
        with st.expander(t("assessment.costs", lang)):
            st.markdown(ui.body(rec.costs, rec.sources))
        st.markdown(f"**{t('assessment.legal', lang)}:** {ui.text(rec.legal_basis)}")
        with st.expander(t("assessment.prereq", lang)):
            st.caption(t(f"prerequisites_from.{rec.prerequisites_from}", lang))
            st.markdown("\n".join(f"- {ui.text(item)}" for item in rec.prerequisites))
        cited = rec.cited_sources
        more = len(rec.sources) - len(cited)
        st.caption(
            f"{t('common.sources', lang)}: " + " · ".join(f"[{s.number}] {ui.source_link(s.publisher or source_name(s, lang), s.url)}" for s in cited)
            + (f" · {t('assessment.more_sources', lang, n=str(more))}" if more > 0 else "")
        )
        st.page_link("views/praktik.py", label=t("assessment.open", lang), query_params={"practice": rec.practice_id}, icon=":material/arrow_forward:")
