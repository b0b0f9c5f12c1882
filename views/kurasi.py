"""Yang ditanyakan: for mentors and curators — frequent questions, the knowledge base's gaps,
feedback per practice, weekly trends; every table exportable as a formula-safe CSV."""

import streamlit as st

from views import ui
from rujukan.errors import RujukanError
from rujukan.i18n import t

lang = ui.lang()
st.title(t("nav_curate", lang))
st.write(t("curate_intro", lang))
store = ui.store()
if store is None:
    st.stop()

views = (
    ("top_questions", store.top_questions, "top_questions"),
    ("unanswered", store.unanswered, "unanswered"),
    ("feedback_by_practice", store.feedback_by_practice, "feedback_by_practice"),
    ("weekly", store.weekly_trend, "weekly_trend"),
)
for label, read, table in views:
    st.subheader(t(label, lang))
    try:
        frame = read()
        st.dataframe(frame, hide_index=True)
        st.download_button(t("export", lang), store.export_csv(table), file_name=f"rujukan-{table}.csv", mime="text/csv", key=f"csv::{table}")
    except RujukanError as exc:
        st.error(ui.text(str(exc)))
