"""Yang ditanyakan: for mentors and curators — frequent questions, the knowledge base's gaps,
feedback per practice, weekly trends; every table exportable as a formula-safe CSV."""

import pandas as pd
import streamlit as st

from rujukan import tables
from rujukan.formats import safe_csv
from rujukan.i18n import t
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
