"""Perjalanan: a region's journey through the stages of the smart-city movement beside Kediri's.

Shareable as ?focus=3328. The data are data/programme/*.csv, checked by rujukan.journey.
"""

from pathlib import Path

import pandas as pd
import streamlit as st

from views import ui
from rujukan.errors import RujukanError
from rujukan.journey import KEDIRI, Programme, current_stage, journey_figure, kediri_at, load_programme, milestones_of, next_stage

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Perjalanan", "Journey"),
    "intro": (
        "Tahapan Gerakan Menuju 100 Smart City yang sudah dilalui sebuah daerah, pada satu sumbu waktu dengan perjalanan Kota Kediri. "
        "Penanda kosong = tanggal tidak pasti atau perkiraan (~); tonggak tanpa tanggal hanya ada di tabel.",
        "The stages of the 100 Smart City movement a region has gone through, on one time axis with Kota Kediri's journey. "
        "Open markers = uncertain or approximate (~) dates; milestones without a date appear only in the table.",
    ),
    "focus": ("Daerah fokus", "Focus region"),
    "chart": ("Tahapan dari waktu ke waktu", "Stages over time"),
    "current": ("Tahap terjauh {name}", "{name}'s furthest stage"),
    "none": ("Belum ada tonggak yang tercatat untuk daerah ini.", "No milestone is recorded for this region yet."),
    "kediri_did": ("Yang dilakukan Kota Kediri pada tahap ini", "What Kota Kediri did at this stage"),
    "kediri_next": ("Tahap berikutnya: {stage}", "Next stage: {stage}"),
    "kediri_nothing": ("Tidak ada tonggak Kota Kediri yang tercatat pada tahap ini.", "No Kota Kediri milestone is recorded at this stage."),
    "last_stage": ("Ini tahap terakhir dalam daftar; evaluasi berulang setiap tahun.", "This is the last stage in the list; evaluation repeats every year."),
    "missing": ("Tahap tanpa tonggak tercatat: {stages}", "Stages with no recorded milestone: {stages}"),
    "uncertain": ("tanggal tidak pasti", "uncertain date"),
    "no_date": ("tanggal tidak diketahui", "date unknown"),
    "source": ("sumber", "source"),
    "practices": ("Praktik terkait", "Related practices"),
    "table": ("Tonggak dan sumbernya", "Milestones and their sources"),
    "visits": ("Kunjungan belajar {name} ke Kota Kediri", "{name}'s study visits to Kota Kediri"),
    "col_region": ("Wilayah", "Region"),
    "col_stage": ("Tahap", "Stage"),
    "col_date": ("Tanggal", "Date"),
    "col_uncertain": ("Tidak pasti", "Uncertain"),
    "col_what": ("Yang terjadi", "What happened"),
    "col_practices": ("Praktik", "Practices"),
    "col_source": ("Sumber", "Source"),
}


def tr(key: str, lang: str, **values: object) -> str:
    text = TEXTS[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text


@st.cache_data(show_spinner=False)
def _programme(data_dir: str, signature: tuple, known: tuple[str, ...]) -> Programme:
    return load_programme(Path(data_dir), known)


def programme(kb) -> Programme:
    folder = ui.settings().data_dir / "programme"
    signature = ui.files_signature(folder.glob("*.csv") if folder.is_dir() else [])
    try:
        return _programme(str(ui.settings().data_dir), signature, tuple(sorted(p.id for p in kb.practices)))
    except RujukanError as exc:
        ui.fail(exc)


def date_label(row: pd.Series, lang: str) -> str:
    if not row["date"]:
        return tr("no_date", lang)
    return row["date"] + (f" ({tr('uncertain', lang)})" if row["date_uncertain"] else "")


lang = ui.lang()
st.title(tr("title", lang))
st.write(tr("intro", lang))
kb = ui.knowledge()
practices = kb.by_id()
prog = programme(kb)
regions = prog.regions()
choices = [c for c in regions if c != KEDIRI] or list(regions)
wanted = st.query_params.get("focus", "")
default = wanted if wanted in choices else ("3328" if "3328" in choices else choices[0])
focus = st.selectbox(tr("focus", lang), choices, index=choices.index(default), format_func=lambda c: f"{regions[c]} ({c})", key="journey_focus")
st.query_params["focus"] = focus
name = regions[focus]

st.subheader(tr("chart", lang))
shown = [KEDIRI, focus] if focus != KEDIRI else [KEDIRI]
st.plotly_chart(journey_figure(prog, shown, regions, lang), key="journey_chart")

stage = current_stage(prog, focus)
st.subheader(tr("current", lang, name=ui.text(name)))
if stage is None:
    st.info(tr("none", lang))
else:
    st.markdown(f"**{ui.text(prog.stage_name(stage, lang))}**")
    done = set(milestones_of(prog, focus)["stage_id"])
    missing = [prog.stage_name(s, lang) for s in prog.stages["id"] if s not in done and s != "study_visit"]
    if missing:
        st.caption(tr("missing", lang, stages=ui.text(", ".join(missing))))
    following = next_stage(prog, stage)
    columns = st.columns(2)
    for column, stage_id, heading in (
        (columns[0], stage, tr("kediri_did", lang)),
        (columns[1], following, tr("kediri_next", lang, stage=ui.text(prog.stage_name(following, lang))) if following else None),
    ):
        with column.container(border=True):
            if stage_id is None:
                st.caption(tr("last_stage", lang))
                continue
            st.markdown(f"**{heading}**")
            rows = kediri_at(prog, stage_id, kb)
            if rows.empty:
                st.caption(tr("kediri_nothing", lang))
            linked: list[str] = []
            for _, row in rows.iterrows():
                st.markdown(f"- {ui.text(date_label(row, lang))}: {ui.text(row['what_id'])} [{tr('source', lang)}]({row['source_url']})")
                linked.extend(p for p in row["practices"] if p not in linked)
            if linked:
                st.caption(tr("practices", lang))
                for pid in linked:
                    if pid in practices:
                        st.page_link("views/praktik.py", label=ui.title_of(practices[pid]), query_params={"practice": pid}, icon=":material/arrow_forward:")

st.subheader(tr("table", lang))
table = pd.concat([milestones_of(prog, focus), milestones_of(prog, KEDIRI) if focus != KEDIRI else None])
table = pd.DataFrame({
    "region_name": table["region_name"],
    "stage": table["stage_id"].map(lambda s: prog.stage_name(s, lang)),
    "date": table["date"],
    "date_uncertain": table["date_uncertain"],
    "what_id": table["what_id"],
    "practice_ids": table["practices"].map(", ".join),
    "source_url": table["source_url"],
})
st.dataframe(
    table, hide_index=True, key="journey_table",
    column_config={
        "region_name": tr("col_region", lang), "stage": tr("col_stage", lang), "date": tr("col_date", lang),
        "date_uncertain": tr("col_uncertain", lang), "what_id": tr("col_what", lang), "practice_ids": tr("col_practices", lang),
        "source_url": st.column_config.LinkColumn(tr("col_source", lang)),
    },
)

visits = prog.visits[prog.visits["region_code"] == focus]
if not visits.empty:
    st.subheader(tr("visits", lang, name=ui.text(name)))
    st.dataframe(
        visits[["date", "what_id", "practice_ids", "source_url"]], hide_index=True, key="journey_visits",
        column_config={"date": tr("col_date", lang), "what_id": tr("col_what", lang), "practice_ids": tr("col_practices", lang),
                       "source_url": st.column_config.LinkColumn(tr("col_source", lang))},
    )
