"""Bahan kunjungan: a briefing pack (DOCX) for a delegation's study visit to Kota Kediri.

The choice is in the URL: ?region=3328&practices=prodamas-plus,sistem-informasi-eksekutif
Making a pack records the visit (region, date, practices, purpose) in the visit log.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from views import ui
from rujukan.brief import build_brief
from rujukan.regions import KEDIRI
from rujukan.errors import RujukanError
from rujukan.visits import VisitLog, default_path

#: This page's strings (kept here, beside the page): key -> (Bahasa Indonesia, English).
STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Bahan kunjungan", "Briefing pack"),
    "intro": (
        "Susun bahan kunjungan studi ke Kota Kediri: tujuan, draf agenda, perbandingan data BPS dengan grafik, "
        "satu bagian per praktik (masalah, tahapan, biaya, dasar hukum, hasil, pertanyaan yang layak diajukan) "
        "dan semua sumber, dalam satu dokumen Word berbahasa Indonesia.",
        "Prepare a study visit to Kota Kediri: purpose, draft agenda, a comparison of BPS figures with charts, "
        "a section per practice (problem, stages, costs, legal basis, results, questions worth asking) and every "
        "source, in one Word document in Bahasa Indonesia.",
    ),
    "region": ("Wilayah yang berkunjung", "Visiting region"),
    "practices": ("Praktik yang dipelajari", "Practices to study"),
    "date": ("Tanggal kunjungan", "Visit date"),
    "purpose": ("Tujuan kunjungan (boleh dikosongkan)", "Purpose of the visit (optional)"),
    "purpose_help": (
        "Bila kosong, tujuan disusun dari praktik yang dipilih.",
        "When empty, a purpose is written from the chosen practices.",
    ),
    "build": ("Buat bahan kunjungan", "Make the briefing pack"),
    "building": ("Menyusun dokumen…", "Building the document…"),
    "ready": ("Dokumen siap; kunjungan dicatat (nomor {id}).", "The document is ready; the visit is recorded (number {id})."),
    "download": ("Unduh bahan kunjungan (DOCX)", "Download the briefing pack (DOCX)"),
    "error": ("Tidak dapat dibuat:", "Cannot be made:"),
    "not_recorded": ("Dokumen dibuat, tetapi kunjungan tidak tercatat:", "The document was made, but the visit was not recorded:"),
    "earlier": ("Kunjungan yang pernah dicatat", "Visits recorded earlier"),
    "none": ("Belum ada kunjungan yang dicatat.", "No visits recorded yet."),
    "col_date": ("tanggal", "date"),
    "col_region": ("wilayah", "region"),
    "col_practices": ("praktik", "practices"),
    "col_purpose": ("tujuan", "purpose"),
    "col_recorded": ("dicatat", "recorded"),
}


def s(key: str, **values: str) -> str:
    text = STRINGS[key][0 if lang == "id" else 1]
    return text.format(**values) if values else text


lang = ui.lang()
st.title(s("title"))
st.write(s("intro"))

kb = ui.knowledge()
ui.show_problems(kb)
ds = ui.dataset()
names = ds.names()
province = dict(zip(ds.regions["code"], ds.regions["province"]))
codes = [c for c in ds.regions.sort_values("name")["code"] if c != KEDIRI]
practices = {p.id: p for p in sorted(kb.practices, key=ui.title_of)}
params = st.query_params

wanted_region = params.get("region", "3328")
region_default = wanted_region if wanted_region in codes else ("3328" if "3328" in codes else codes[0])
wanted_practices = [p for p in params.get("practices", "").split(",") if p in practices]

region = st.selectbox(
    s("region"), codes, index=codes.index(region_default),
    format_func=lambda c: f"{names.get(c, c)} — {province.get(c, '')}", key="brief_region",
)
chosen = st.multiselect(
    s("practices"), list(practices), default=wanted_practices,
    format_func=lambda i: ui.title_of(practices[i]) if i in practices else i, key="brief_practices",
)
c1, c2 = st.columns([1, 2])
visit_date = c1.date_input(s("date"), value=None, format="YYYY-MM-DD", key="brief_date")
purpose = c2.text_area(s("purpose"), help=s("purpose_help"), max_chars=2000, key="brief_purpose")

params["region"] = region
if chosen:
    params["practices"] = ",".join(chosen)
elif "practices" in params:
    del params["practices"]

if st.button(s("build"), type="primary", key="brief_build"):
    st.session_state.pop("brief_doc", None)
    try:
        with st.spinner(s("building")):
            data = build_brief(kb, ds, region, chosen, visit_date=visit_date, purpose=purpose or None)
    except RujukanError as exc:
        st.error(f"{s('error')} {ui.text(str(exc))}", icon=":material/error:")
    else:
        file_name = f"bahan-kunjungan-{region}-{(visit_date or dt.date.today()).isoformat()}.docx"
        st.session_state["brief_doc"] = (file_name, data)
        try:
            visit_id = VisitLog(default_path(ui.settings())).record(region, visit_date, chosen, purpose)
            st.success(s("ready", id=str(visit_id)), icon=":material/check_circle:")
        except RujukanError as exc:
            st.warning(f"{s('not_recorded')} {ui.text(str(exc))}", icon=":material/warning:")

if "brief_doc" in st.session_state:
    file_name, data = st.session_state["brief_doc"]
    st.download_button(
        s("download"), data=data, file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/download:", key="brief_download",
    )

st.subheader(s("earlier"))
try:
    visits = VisitLog(default_path(ui.settings())).list()
except RujukanError as exc:
    st.warning(ui.text(str(exc)), icon=":material/warning:")
    visits = []
if visits:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    s("col_date"): v.date or "tidak diketahui",
                    s("col_region"): f"{names.get(v.region_code, v.region_code)} ({v.region_code})",
                    s("col_practices"): ", ".join(ui.title_of(practices[p]) if p in practices else p for p in v.practice_ids),
                    s("col_purpose"): v.purpose,
                    s("col_recorded"): v.created,
                }
                for v in visits
            ]
        ),
        hide_index=True,
    )
else:
    st.caption(s("none"))
