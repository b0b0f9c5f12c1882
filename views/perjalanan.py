"""Perjalanan: a region's journey through the stages of the smart-city movement beside Kediri's.

Shareable as ?focus=3328. The data are data/programme/*.csv, checked by rujukan.journey.
"""

import pandas as pd
import streamlit as st

from rujukan.i18n import t
from rujukan.journey import KEDIRI, current_stage, journey_figure, kediri_at, milestones_of, next_stage
from views import ui


def date_label(row: pd.Series, lang: str) -> str:
    if not row["date"]:
        return t("journey.no_date", lang)
    return row["date"] + (f" ({t('journey.uncertain', lang)})" if row["date_uncertain"] else "")


lang = ui.lang()
st.title(t("journey.title", lang))
st.write(t("journey.intro", lang))
kb = ui.knowledge()
practices = kb.by_id()
prog = ui.programme(kb)
ds = ui.dataset()
regions = ds.names()
recorded = prog.regions()
# any of the 514 regions: those with milestones recorded first, then the rest by name
choices = [c for c in recorded if c != KEDIRI] + [c for c in ds.regions.sort_values("name")["code"] if c not in recorded and c != KEDIRI]
label_of = ui.region_label(ds)
focus = st.selectbox(
    t("journey.focus", lang), choices, index=ui.region_index(choices, ui.url_region("focus", choices)),
    format_func=lambda c: label_of(c) + ("" if c in recorded else f" · {t('journey.none_short', lang)}"), key="journey_focus",
)
st.query_params["focus"] = focus
name = regions[focus]

shown = [KEDIRI, focus] if focus != KEDIRI else [KEDIRI]
st.plotly_chart(journey_figure(prog, shown, regions, lang), key="journey_chart")  # it carries its own title, for its PNG too

stage = current_stage(prog, focus)
st.subheader(t("journey.current", lang, name=ui.text(name)))
if stage is None:
    st.info(t("journey.none", lang))
else:
    st.markdown(f"**{ui.text(prog.stage_name(stage, lang))}**")
    done = set(milestones_of(prog, focus)["stage_id"])
    missing = [prog.stage_name(s, lang) for s in prog.stages["id"] if s not in done and s != "study_visit"]
    if missing:
        st.caption(t("journey.missing", lang, stages=ui.text(", ".join(missing))))
    following = next_stage(prog, stage)
    columns = st.columns(2)
    for column, stage_id, heading in (
        (columns[0], stage, t("journey.kediri_did", lang)),
        (columns[1], following, t("journey.kediri_next", lang, stage=ui.text(prog.stage_name(following, lang))) if following else None),
    ):
        with column.container(border=True):
            if stage_id is None:
                st.caption(t("journey.last_stage", lang))
                continue
            st.markdown(f"**{heading}**")
            rows = kediri_at(prog, stage_id, kb)
            if rows.empty:
                st.caption(t("journey.kediri_nothing", lang))
            linked: list[str] = []
            for _, row in rows.iterrows():
                source = ui.source_link(t("journey.source", lang), str(row["source_url"]))
                st.markdown(f"- {ui.text(date_label(row, lang))}: {ui.text(row['what_id'])} {source}")
                linked.extend(p for p in row["practices"] if p not in linked)
            if linked:
                st.caption(t("journey.practices", lang))
                for pid in linked:
                    if pid in practices:
                        ui.practice_link(practices[pid])

st.subheader(t("journey.table", lang))
table = pd.concat([milestones_of(prog, focus), milestones_of(prog, KEDIRI) if focus != KEDIRI else None])
table = pd.DataFrame({
    "region_name": table["region_name"],
    "stage": table["stage_id"].map(lambda s: prog.stage_name(s, lang)),
    "date": [date_label(row, lang) for _, row in table.iterrows()],
    "what_id": table["what_id"],
    "practices": table["practices"].map(lambda ids: ", ".join(ui.title_of(practices[p]) if p in practices else p for p in ids)),
    "source_url": table["source_url"],
})
ui.table(
    table, key="journey_table",
    column_config={
        "region_name": t("journey.col_region", lang), "stage": t("journey.col_stage", lang), "date": t("journey.col_date", lang),
        "what_id": t("journey.col_what", lang), "practices": t("journey.col_practices", lang),
        "source_url": st.column_config.LinkColumn(t("journey.col_source", lang)),
    },
)
if lang == "en":
    st.caption(t("journey.in_indonesian", lang))

visits = prog.visits[prog.visits["region_code"] == focus]
if not visits.empty:
    st.subheader(t("journey.visits", lang, name=ui.text(name)))
    shown = visits.assign(practice_names=visits["practices"].map(lambda ids: ", ".join(ui.title_of(practices[p]) if p in practices else p for p in ids)))
    st.dataframe(
        shown[["date", "what_id", "practice_names", "source_url"]], hide_index=True, key="journey_visits",
        column_config={"date": t("journey.col_date", lang), "what_id": t("journey.col_what", lang), "practice_names": t("journey.col_practices", lang),
                       "source_url": st.column_config.LinkColumn(t("journey.col_source", lang))},
    )
