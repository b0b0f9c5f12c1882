"""Yang ditanyakan: for mentors and curators — frequent questions, the knowledge base's gaps,
feedback per practice, weekly trends; every table exportable as a formula-safe CSV."""

import datetime as dt

import pandas as pd
import streamlit as st

from rujukan import queue, tables
from rujukan.formats import safe_csv
from rujukan.i18n import t
from rujukan.queue import SOURCE, STALE, UNANSWERED, UNKNOWN
from views import ui

lang = ui.lang()
st.title(t("nav.curate", lang))
st.write(t("curate.intro", lang))
store = ui.feedback_store()
if store is None:
    st.stop()

titles = {p.id: ui.title_of(p) for p in ui.knowledge().practices}
views = (
    ("curate.top_questions", store.top_questions, "top_questions"),
    ("curate.unanswered", store.unanswered, "unanswered"),
    ("curate.feedback_by_practice", store.feedback_by_practice, "feedback_by_practice"),
    ("curate.comments", store.comments, "comments"),
    ("curate.weekly", store.weekly_trend, "weekly_trend"),
)
for label, read, view in views:
    st.subheader(t(label, lang))
    with ui.report_errors():
        frame = read()
        shown = tables.curator_table(view, frame, titles, lang)
        if ui.table(shown):  # text people typed is shown as text: st.dataframe renders no markup
            export = pd.concat([frame.reset_index(drop=True), shown.add_prefix("· ")], axis=1)  # the codes, and beside them what the page shows
            st.download_button(t("curate.export", lang), safe_csv(export), file_name=f"rujukan-{view}.csv", mime="text/csv", key=f"csv::{view}")

st.subheader(t("curate.queue", lang))
settings = ui.settings()
st.caption(t("curate.queue_intro", lang, days=settings.stale_days))
with ui.report_errors():
    kinds = {STALE: "curate.queue_stale", SOURCE: "curate.queue_source", UNKNOWN: "curate.queue_unknown", UNANSWERED: "curate.queue_unanswered"}
    details = {
        STALE: lambda i: t("curate.queue_stale_detail", lang, date=i.detail or t("common.unknown", lang)),
        SOURCE: lambda i: t("curate.queue_source_detail", lang, number=i.detail),
        UNKNOWN: lambda i: t("curate.queue_unknown_detail", lang, share=i.detail),
        UNANSWERED: lambda i: t("curate.queue_unanswered_detail", lang, question=i.detail, count=i.count),
    }
    items = queue.build(ui.knowledge(), dt.date.today(), settings.stale_days, store.unanswered(limit=20))
    shown = pd.DataFrame([{t("curate.queue_kind", lang): t(kinds[i.kind], lang), t("curate.queue_practice", lang): titles.get(i.practice_id, i.practice_id),
                           t("curate.queue_detail", lang): details[i.kind](i)} for i in items])
    if ui.table(shown, key="queue"):
        st.download_button(t("curate.export", lang), safe_csv(shown), file_name="rujukan-queue.csv", mime="text/csv", key="csv::queue")
