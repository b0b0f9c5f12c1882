"""Beranda: what Rujukan is, what the knowledge base holds, and questions to start with."""

import streamlit as st

from rujukan.i18n import STARTERS, t
from views import ui

lang = ui.lang()
kb = ui.knowledge()

st.title(t("home.title", lang))
st.subheader(t("home.tagline", lang))
st.write(t("home.intro", lang))
ui.show_problems(kb)

sources = {s.url for p in kb.practices for s in p.sources}
dimensions = {d for p in kb.practices for d in p.dimensions}
c1, c2, c3 = st.columns(3)
c1.metric(t("home.count_practices", lang), len(kb.practices))
c2.metric(t("home.count_sources", lang), len(sources))
c3.metric(t("home.count_dimensions", lang), f"{len(dimensions)} / 6")

st.subheader(t("home.starter_title", lang))
with st.container(horizontal=True):
    for question in STARTERS[lang]:
        st.page_link("views/cari.py", label=question, query_params={"q": question}, icon=":material/search:")

# Prepare the model and index now (the first start indexes by itself), so the first search is quick.
engine = ui.ready().engine
with ui.report_errors(level="warning"):
    st.caption(t("home.index_status", lang, chunks=engine.store.count(), model=ui.text(engine.embedder.identity)))

with st.expander(t("home.health", lang), icon=":material/monitor_heart:"):  # for curators: what the app runs on, as `rujukan doctor` says
    st.caption(t("home.health_note", lang))
    ui.table(ui.health_table(), key="health")
