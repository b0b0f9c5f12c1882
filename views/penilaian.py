"""Penilaian mandiri: a region's self-assessment (Rujukan's own checklist), its gaps against Kota
Kediri and peers, and Kediri practices recommended for the largest gaps.

Shareable state in the URL: ?region=3328
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from views import ui
from rujukan.assessment import (
    INSTITUTION_STATES,
    INSTITUTIONS,
    NOTICE,
    SCALE,
    Assessment,
    AssessmentStore,
    default_path,
    institution_label,
    state_label,
)
from rujukan.errors import RujukanError
from rujukan.recommend import (
    KEDIRI,
    KEDIRI_YEAR,
    MAPPING_NOTE,
    PREREQUISITES_LABEL,
    default_peers,
    gaps,
    indicator_gaps,
    recommend,
)
from rujukan.vocabulary import DIMENSIONS, dimension_label, section_label

STRINGS: dict[str, dict[str, str]] = {
    "title": {"id": "Penilaian mandiri", "en": "Self-assessment"},
    "intro": {
        "id": "Nilai sendiri posisi daerah pada enam dimensi smart city dan kelembagaannya, lihat kesenjangannya "
              "terhadap Kota Kediri dan daerah sebanding, lalu praktik Kediri yang menjawab kesenjangan terbesar.",
        "en": "Rate your region on the six smart-city dimensions and its institutions, see the gaps to Kota Kediri "
              "and similar regions, then the Kediri practices that answer the largest gaps.",
    },
    "region": {"id": "Daerah", "en": "Region"},
    "scale": {"id": "Skala penilaian (1–4)", "en": "Rating scale (1–4)"},
    "not_assessed": {"id": "belum dinilai", "en": "not assessed"},
    "form": {"id": "Isi penilaian", "en": "Fill in the assessment"},
    "date": {"id": "Tanggal penilaian", "en": "Assessment date"},
    "dimensions": {"id": "Dimensi", "en": "Dimensions"},
    "institutions": {"id": "Kelembagaan program", "en": "Programme institutions"},
    "note": {"id": "Catatan", "en": "Note"},
    "save": {"id": "Simpan", "en": "Save"},
    "saved": {"id": "Penilaian {region} tanggal {date} tersimpan.", "en": "Assessment of {region} on {date} saved."},
    "store_error": {"id": "Penyimpanan tidak dapat dipakai:", "en": "The store cannot be used:"},
    "past": {"id": "Penilaian tersimpan", "en": "Saved assessments"},
    "none_saved": {"id": "Belum ada penilaian tersimpan untuk daerah ini.", "en": "No saved assessment for this region yet."},
    "pick": {"id": "Pilih penilaian", "en": "Choose an assessment"},
    "load": {"id": "Muat ke formulir untuk diubah", "en": "Load into the form to edit"},
    "delete": {"id": "Hapus", "en": "Delete"},
    "deleted": {"id": "Penilaian tanggal {date} dihapus.", "en": "Assessment of {date} deleted."},
    "export": {"id": "Unduh CSV", "en": "Download CSV"},
    "gaps": {"id": "Kesenjangan", "en": "Gaps"},
    "dim_gaps": {"id": "Dimensi: penilaian mandiri {date} terhadap Kota Kediri {year}", "en": "Dimensions: self-assessment of {date} against Kota Kediri {year}"},
    "no_assessment": {"id": "Simpan penilaian untuk melihat kesenjangan per dimensi.", "en": "Save an assessment to see the gaps per dimension."},
    "indicative": {
        "id": "Skor Kediri memakai skala evaluasi resmi (maksimum tidak disebut di sumber); perbandingan ini hanya petunjuk. "
              "Skor lingkungan Kediri 2022 tidak dipublikasikan, jadi kesenjangannya tidak diketahui.",
        "en": "Kediri's scores are on the official evaluation's scale (maximum not stated in the sources); this comparison is indicative. "
              "Kediri's 2022 environment score was not published, so that gap is unknown.",
    },
    "peers": {"id": "Daerah sebanding", "en": "Peer regions"},
    "peers_help": {"id": "Nilai rata-rata daerah sebanding diambil dari penilaian mandiri terakhir mereka yang tersimpan di sini.",
                   "en": "The peers' mean comes from their latest self-assessments saved here."},
    "ind_gaps": {"id": "Indikator BPS: persentil (100 = terbaik) terhadap Kota Kediri dan daerah sebanding", "en": "BPS indicators: percentile (100 = best) against Kota Kediri and peers"},
    "recs": {"id": "Praktik yang disarankan", "en": "Recommended practices"},
    "recs_intro": {
        "id": "Dicari lewat mesin pencari Rujukan untuk dimensi dan masalah tiap kesenjangan terbesar; isinya tepat seperti catatan praktik, dan yang tidak diketahui ditulis demikian.",
        "en": "Found through Rujukan's search for each largest gap's dimension and problem; the content is the practice record's own, and what is unknown says so.",
    },
    "no_recs": {"id": "Tidak ada kesenjangan yang bisa dijawab praktik Kediri.", "en": "No gap that a Kediri practice could answer."},
    "why": {"id": "Mengapa", "en": "Why"},
    "stages": {"id": "Tahapan", "en": "Stages"},
    "costs": {"id": "Biaya", "en": "Costs"},
    "legal": {"id": "Dasar hukum", "en": "Legal basis"},
    "prereq": {"id": "Yang perlu disiapkan sebelum meniru", "en": "What a region needs before copying it"},
    "sources": {"id": "Sumber", "en": "Sources"},
    "open": {"id": "Buka praktik", "en": "Open the practice"},
    "not_published": {"id": "tidak dipublikasikan", "en": "not published"},
    "unknown": {"id": "tidak diketahui", "en": "unknown"},
    "content_lang": {"id": "", "en": "The recommendation texts are in Indonesian, as in the records."},
}
STATUS = {
    "gap": {"id": "tertinggal", "en": "behind"},
    "no_gap": {"id": "setara/di atas", "en": "level or above"},
    "unknown": {"id": "tidak diketahui", "en": "unknown"},
    "not_assessed": {"id": "belum dinilai", "en": "not assessed"},
}


def tr(key: str, **values: str) -> str:
    text = STRINGS[key][lang] or STRINGS[key]["id"]
    return text.format(**values) if values else text


def level_label(level: int) -> str:
    return f"{level} — {SCALE[level][0 if lang == 'id' else 1].split(':')[0]}" if level else tr("not_assessed")


def load_into_form(a: Assessment) -> None:
    """Put a saved assessment into the form's widgets (runs as a callback, before the widgets exist)."""
    st.session_state["pm_date"] = dt.date.fromisoformat(a.date)
    for dim in DIMENSIONS:
        st.session_state[f"pm_score_{dim}"] = a.scores.get(dim) or 0
    for item in INSTITUTIONS:
        st.session_state[f"pm_inst_{item}"] = a.institutions.get(item, "no")
    st.session_state["pm_note"] = a.note
    st.session_state["pm_viewing"] = a.date


lang = ui.lang()
st.title(tr("title"))
st.info(NOTICE[lang], icon=":material/info:")
st.write(tr("intro"))

ds = ui.dataset()
names = ds.names()
province = dict(zip(ds.regions["code"], ds.regions["province"]))
codes = list(ds.regions.sort_values("name")["code"])
label_of = lambda code: f"{names.get(code, code)} — {province.get(code, '')}"  # noqa: E731
wanted = st.query_params.get("region", "3328")
region = st.selectbox(tr("region"), codes, index=codes.index(wanted if wanted in names else "3328"), format_func=label_of, key="pm_region")
st.query_params["region"] = region
if st.session_state.get("pm_form_region") != region:  # a new region starts from an empty form
    for key in [k for k in st.session_state if str(k).startswith(("pm_score_", "pm_inst_"))] + ["pm_note", "pm_viewing", "pm_date"]:
        st.session_state.pop(key, None)
    st.session_state["pm_form_region"] = region

with st.expander(tr("scale")):
    for level, words in SCALE.items():
        st.markdown(f"**{level}** — {ui.text(words[0 if lang == 'id' else 1])}")

try:
    store: AssessmentStore | None = AssessmentStore(default_path(ui.settings()))
except RujukanError as exc:
    st.error(f"{tr('store_error')} {ui.text(str(exc))}", icon=":material/error:")
    store = None

saved: list[Assessment] = []
if store is not None:
    try:
        saved = store.list(region)
    except RujukanError as exc:
        st.error(f"{tr('store_error')} {ui.text(str(exc))}", icon=":material/error:")

# ------------------------------------------------------------------ past assessments
st.subheader(tr("past"))
if not saved:
    st.caption(tr("none_saved"))
else:
    by_date = {a.date: a for a in saved}
    dates = list(by_date)
    viewing = st.session_state.get("pm_viewing")
    picked = st.selectbox(tr("pick"), dates, index=dates.index(viewing) if viewing in by_date else 0, key="pm_pick")
    table = pd.DataFrame(
        [{"date": a.date, **{dimension_label(d, lang): a.scores[d] for d in DIMENSIONS},
          **{institution_label(i, lang): state_label(a.institutions[i], lang) for i in INSTITUTIONS}, "note": a.note}
         for a in saved]
    )
    st.dataframe(table, hide_index=True)
    with st.container(horizontal=True):
        st.button(tr("load"), key="pm_load", on_click=load_into_form, args=(by_date[picked],), icon=":material/edit:")
        if st.button(tr("delete"), key="pm_delete", icon=":material/delete:"):
            try:
                store.delete(region, picked)
                st.session_state.pop("pm_viewing", None)
                st.toast(tr("deleted", date=picked))
                st.rerun()
            except RujukanError as exc:
                st.error(f"{tr('store_error')} {ui.text(str(exc))}", icon=":material/error:")
        try:
            st.download_button(tr("export"), store.export_csv(region), file_name=f"penilaian-{region}.csv",
                               mime="text/csv", key="pm_export", icon=":material/download:")
        except RujukanError as exc:
            st.error(f"{tr('store_error')} {ui.text(str(exc))}", icon=":material/error:")

# ------------------------------------------------------------------ the form
st.subheader(tr("form"))
# defaults through Session State only, so a loaded assessment can replace them without a warning
st.session_state.setdefault("pm_date", dt.date.today())
st.session_state.setdefault("pm_note", "")
for dim in DIMENSIONS:
    st.session_state.setdefault(f"pm_score_{dim}", 0)
for item in INSTITUTIONS:
    st.session_state.setdefault(f"pm_inst_{item}", "no")
with st.form("pm_form"):
    day = st.date_input(tr("date"), key="pm_date")
    st.markdown(f"**{tr('dimensions')}**")
    scores = {}
    for dim in DIMENSIONS:
        scores[dim] = st.select_slider(dimension_label(dim, lang), options=[0, *SCALE],
                                       format_func=level_label, key=f"pm_score_{dim}")
    st.markdown(f"**{tr('institutions')}**")
    states = {}
    for item in INSTITUTIONS:
        states[item] = st.radio(institution_label(item, lang), list(INSTITUTION_STATES), horizontal=True,
                                format_func=lambda s: state_label(s, lang), key=f"pm_inst_{item}")
    note = st.text_area(tr("note"), key="pm_note", max_chars=4000)
    submitted = st.form_submit_button(tr("save"), type="primary", icon=":material/save:")

if submitted and store is not None:
    try:
        stored = store.save(region, day, {d: (v or None) for d, v in scores.items()}, states, note)
    except RujukanError as exc:
        st.error(f"{tr('store_error')} {ui.text(str(exc))}", icon=":material/error:")
    else:
        st.session_state["pm_viewing"] = stored.date
        st.session_state["pm_flash"] = tr("saved", region=ui.text(names[region]), date=stored.date)
        st.rerun()  # draw the list of saved assessments (above the form) with the new one
if "pm_flash" in st.session_state:
    st.success(st.session_state.pop("pm_flash"), icon=":material/check:")

# ------------------------------------------------------------------ gaps
st.header(tr("gaps"))
current = next((a for a in saved if a.date == st.session_state.get("pm_viewing")), saved[0] if saved else None)
peer_options = [c for c in codes if c not in (region, KEDIRI)]
suggested = [c for c in default_peers(ds, region) if c in peer_options]
peers = st.multiselect(tr("peers"), peer_options, default=suggested, format_func=label_of, key="pm_peers", help=tr("peers_help"))

if current is None:
    st.info(tr("no_assessment"))
else:
    peer_scores = {}
    if store is not None:
        try:
            peer_scores = {c: a.scores for c in peers if (a := store.latest(c)) is not None}
        except RujukanError as exc:
            st.error(f"{tr('store_error')} {ui.text(str(exc))}", icon=":material/error:")
    st.subheader(tr("dim_gaps", date=current.date, year=str(KEDIRI_YEAR)))
    table = gaps(current, ds, peer_scores).copy()
    table["label"] = table["dimension"].map(lambda d: dimension_label(d, lang))
    table["kediri_2022"] = [tr("not_published") if pd.isna(v) else f"{float(v):g}" for v in table["kediri_2022"]]
    table["status"] = table["status"].map(lambda s: STATUS[s][lang])
    st.dataframe(table, hide_index=True)
    st.caption(tr("indicative"))

st.subheader(tr("ind_gaps"))
try:
    ind_table = indicator_gaps(ds, region, peers=peers)
except RujukanError as exc:
    st.warning(ui.text(str(exc)))
    ind_table = None
if ind_table is not None:
    if lang == "en":
        english = dict(zip(ds.indicators["id"], ds.indicators["name_en"]))
        ind_table = ind_table.assign(name=ind_table["indicator"].map(english))
    st.dataframe(ind_table, hide_index=True)
    st.caption(MAPPING_NOTE[lang])

# ------------------------------------------------------------------ recommendations
st.header(tr("recs"))
st.caption(tr("recs_intro"))
if lang == "en":
    st.caption(tr("content_lang"))
engine = ui.ready().engine
try:
    recommendations = recommend(engine, ds, region, current, k=5, peers=peers)
except RujukanError as exc:
    st.warning(ui.text(str(exc)))
    recommendations = []
if not recommendations:
    st.info(tr("no_recs"))
for number, rec in enumerate(recommendations, start=1):
    with st.container(border=True):
        st.markdown(f"#### {number}. {ui.text(rec.title_en if lang == 'en' else rec.title)}")
        st.badge(dimension_label(rec.dimension, lang), color=ui.DIMENSION_COLORS.get(rec.dimension, "gray"))
        st.markdown(f"**{tr('why')}:** {ui.text(rec.why)}")
        st.caption(f"{section_label(rec.section, lang)} · {rec.score:.2f}")
        with st.expander(tr("stages")):
            st.markdown(ui.body(rec.stages))
        with st.expander(tr("costs")):
            st.markdown(ui.body(rec.costs))
        st.markdown(f"**{tr('legal')}:** {ui.text(rec.legal_basis)}")
        with st.expander(tr("prereq")):
            st.caption(PREREQUISITES_LABEL[rec.prerequisites_from][lang])
            st.markdown("\n".join(f"- {ui.text(item)}" for item in rec.prerequisites))
        if rec.sources:
            st.caption(f"{tr('sources')}: " + " · ".join(f"[{ui.text(url)}]({url})" for url in rec.sources))
        st.page_link("views/praktik.py", label=tr("open"), query_params={"practice": rec.practice_id}, icon=":material/arrow_forward:")
