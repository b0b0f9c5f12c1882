"""Sumber: every source the knowledge base cites, with its date and the practices citing it."""

import pandas as pd
import streamlit as st

from rujukan.i18n import t
from rujukan.practices import source_name
from views import ui

lang = ui.lang()
kb = ui.knowledge()
st.title(t("nav.sources", lang))
st.write(t("sources.intro", lang))
ui.show_problems(kb)

rows: dict[str, dict] = {}
for p in kb.practices:
    for s in p.sources:
        row = rows.setdefault(s.url, {"title": source_name(s, lang), "publisher": s.publisher, "date": s.date, "url": s.url, "practices": []})
        row["practices"].append(p.id)
table = pd.DataFrame(
    [{**r, "practices": ", ".join(sorted(set(r["practices"])))} for r in rows.values()],
    columns=["title", "publisher", "date", "url", "practices"],
).sort_values(["date", "publisher"], ascending=[False, True])
ui.table(
    table,
    column_config={
        "title": t("sources.col_source", lang),
        "publisher": t("sources.col_publisher", lang),
        "date": t("sources.col_date", lang),
        "url": st.column_config.LinkColumn(t("common.address", lang)),
        "practices": t("sources.col_practices", lang),
    },
)
