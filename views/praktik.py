"""A practice: the whole record with its sources and related practices (?practice=<id>)."""

import streamlit as st

from rujukan import tables
from rujukan.i18n import t
from rujukan.transfer import differences, transfer_context, year_note
from rujukan.vocabulary import section_label
from views import ui

lang = ui.lang()
unknown = t("common.unknown", lang)
kb = ui.knowledge()
ui.show_problems(kb)
practices = kb.by_id()
wanted = st.query_params.get("practice", "")

if not wanted:
    st.title(t("nav.practice", lang))
    for p in sorted(kb.practices, key=ui.title_of):
        ui.practice_link(p)
    st.stop()

p = practices.get(wanted)
if p is None:
    st.error(t("practice.unknown_practice", lang, id=ui.text(wanted[:100])))
    st.stop()

st.title(ui.text(ui.title_of(p)))
st.caption(ui.text(p.title_en if lang == "id" else p.title))
ui.dimension_badges(p)
ui.shortlist_button(p, key="practice")
st.markdown(ui.body(p.summary_en if lang == "en" else p.summary, p.sources))

facts = [
    ("practice.field_region", "region", f"{p.region_name} ({p.region_code})"),
    ("practice.field_agency", "agency", p.agency),
    ("practice.field_started", "started", p.started),
    ("practice.field_ended", "ended", p.ended),
    ("practice.field_status", "status", ui.status_of(p.status)),
    ("practice.field_legal_basis", "legal_basis", "; ".join(p.legal_basis)),
    ("practice.field_budget", "budget", p.budget),
    ("practice.field_last_verified", "last_verified", p.last_verified),
]
st.table({t(label, lang): ui.field_value(p, name, value) for label, name, value in facts})

if lang == "en" and p.sections:  # the records are written in Indonesian; only the summary has an English version
    said = t("search.record_language", lang)
    st.caption(said[:1].upper() + said[1:] + ": " + ", ".join(section_label(s.key, lang) for s in p.sections) + ".")
for section in p.sections:
    st.subheader(section_label(section.key, lang))
    st.markdown(ui.body(section.text, p.sources))

st.subheader(t("transfer.title", lang))
ds = ui.dataset()
st.caption(t("transfer.intro", lang, origin=ui.text(p.region_name)))
codes = list(ds.regions.sort_values("name")["code"])
focus = st.selectbox(t("transfer.focus", lang), codes, index=ui.region_index(codes, ui.url_region("focus", codes)), format_func=ui.region_label(ds),
                     key="transfer_focus")
st.query_params["focus"] = focus
with ui.report_errors(level="warning"):
    context = transfer_context(ds, p, focus)
    st.markdown("\n".join(f"- {ui.text(line)}" for line in differences(context, ds, lang)))  # the words first: a phone shows them whole
    ui.table(tables.transfer_table(context, ds, lang), key="transfer_table")
    st.caption(year_note(context, lang))

if p.replicated_by:
    st.subheader(t("practice.replicated_by", lang))
    for visit in p.replicated_by:
        src = p.source(visit.source)
        cited = f" {ui.source_link(f'[{visit.source}] {src.publisher or src.title}', src.url)}" if src else f" \\[{visit.source}\\]"
        st.markdown(f"- {ui.text(visit.region)}, {ui.text(visit.date or unknown)}: {ui.text(visit.what)}{cited}")

planned = ui.recorded_visits(p.id)
if planned:
    names = ui.dataset().names()
    st.subheader(t("practice.planned_visits", lang))
    for visit in planned:
        st.markdown(f"- {ui.text(names.get(visit.region_code, visit.region_code))}, {ui.text(visit.date or unknown)}: {ui.text(visit.purpose)}")

related = [practices[r] for r in p.related if r in practices]
if related:
    st.subheader(t("practice.related", lang))
    for r in related:
        ui.practice_link(r)

st.subheader(t("common.sources", lang))
for s in p.sources:
    st.markdown(f"{s.number}\\. {ui.source_link(s.title or s.url, s.url)} — {ui.text(s.publisher or unknown)}, {ui.text(s.date or unknown)}")
