"""Yang ditanyakan: for mentors and curators — frequent questions, the knowledge base's gaps,
feedback per practice, weekly trends; every table exportable as a formula-safe CSV."""

import streamlit as st

from rujukan.i18n import t
from views import ui

lang = ui.lang()
st.title(t("nav.curate", lang))
st.write(t("curate.intro", lang))
store = ui.feedback_store()
if store is None:
    st.stop()

views = (
    ("curate.top_questions", store.top_questions, "top_questions"),
    ("curate.unanswered", store.unanswered, "unanswered"),
    ("curate.feedback_by_practice", store.feedback_by_practice, "feedback_by_practice"),
    ("curate.weekly", store.weekly_trend, "weekly_trend"),
)
for label, read, table in views:
    st.subheader(t(label, lang))
    with ui.report_errors():
        frame = read()
        st.dataframe(frame, hide_index=True)
        st.download_button(t("curate.export", lang), store.export_csv(table), file_name=f"rujukan-{table}.csv", mime="text/csv", key=f"csv::{table}")
