"""A practice: the whole record with its sources and related practices (?practice=<id>)."""

import streamlit as st

from views import ui
from rujukan.i18n import t
from rujukan.vocabulary import UNKNOWN_LABEL, section_label

lang = ui.lang()
kb = ui.knowledge()
ui.show_problems(kb)
practices = kb.by_id()
wanted = st.query_params.get("practice", "")

if not wanted:
    st.title(t("nav_practice", lang))
    for p in sorted(kb.practices, key=ui.title_of):
        ui.practice_link(p)
    st.stop()

p = practices.get(wanted)
if p is None:
    st.error(t("unknown_practice", lang, id=ui.text(wanted[:100])))
    st.stop()

st.title(ui.title_of(p))
st.caption(ui.text(p.title_en if lang == "id" else p.title))
ui.dimension_badges(p)
st.markdown(ui.body(p.summary_en if lang == "en" else p.summary))

facts = [
    ("field_region", "region", f"{p.region_name} ({p.region_code})"),
    ("field_agency", "agency", p.agency),
    ("field_started", "started", p.started),
    ("field_ended", "ended", p.ended),
    ("field_status", "status", ui.status_label(p.status)),
    ("field_legal_basis", "legal_basis", "; ".join(p.legal_basis)),
    ("field_budget", "budget", p.budget),
    ("field_last_verified", "last_verified", p.last_verified),
]
st.table({t(label, lang): ui.field_value(p, name, value) for label, name, value in facts})

for section in p.sections:
    st.subheader(section_label(section.key, lang))
    st.markdown(ui.body(section.text))

if p.replicated_by:
    st.subheader(t("replicated_by", lang))
    for visit in p.replicated_by:
        src = p.source(visit.source)
        st.markdown(f"- {ui.text(visit.region)}, {ui.text(visit.date or UNKNOWN_LABEL[lang])}: {ui.text(visit.what)} [{visit.source}]" + (f" ({ui.text(src.publisher)})" if src else ""))

planned = ui.recorded_visits(p.id)
if planned:
    names = ui.dataset().names()
    st.subheader(t("planned_visits", lang))
    for visit in planned:
        st.markdown(f"- {ui.text(names.get(visit.region_code, visit.region_code))}, {ui.text(visit.date or UNKNOWN_LABEL[lang])}: {ui.text(visit.purpose)}")

related = [practices[r] for r in p.related if r in practices]
if related:
    st.subheader(t("related", lang))
    for r in related:
        ui.practice_link(r)

st.subheader(t("sources", lang))
for s in p.sources:
    st.markdown(f"{s.number}. [{ui.text(s.title)}]({s.url}) — {ui.text(s.publisher)}, {ui.text(s.date or UNKNOWN_LABEL[lang])}")
