"""A practice: the whole record with its sources and related practices (?practice=<id>)."""

import streamlit as st

from rujukan import tables
from rujukan.i18n import t
from rujukan.transfer import differences, transfer_context, year_note
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

ui.record(p, shortlist_key="practice")

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

ui.record_replications(p)

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

ui.record_documents(p)
ui.record_sources(p)
