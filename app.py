"""Rujukan: the Streamlit entry point (page config, language, navigation)."""

import streamlit as st

from rujukan.i18n import LANGUAGES, t
from views import ui

st.set_page_config(page_title="Rujukan", page_icon=":material/travel_explore:", layout="wide")

asked = st.query_params.get("lang")  # before the switch bound to it replaces an unknown value
with st.sidebar:
    st.segmented_control(
        t("common.language", ui.lang()),  # named in both languages: whoever cannot read one finds the other
        options=list(LANGUAGES),
        format_func=str.upper,  # shown, and written in the URL, as ID / EN
        default="id",
        required=True,
        key="lang",
        bind="query-params",
    )

lang = ui.lang()
if asked is not None and asked.lower() not in LANGUAGES:
    ui.ignored("lang", asked)  # the bound switch falls back to Indonesian: said, not silent
pages = [
    st.Page("views/beranda.py", title=t("nav.home", lang), icon=":material/home:", default=True),
    st.Page("views/cari.py", title=t("nav.search", lang), icon=":material/search:", url_path="cari"),
    st.Page("views/praktik.py", title=t("nav.practice", lang), icon=":material/menu_book:", url_path="praktik"),
    st.Page("views/tanya.py", title=t("nav.ask", lang), icon=":material/help:", url_path="tanya"),
    st.Page("views/perjalanan.py", title=t("nav.journey", lang), icon=":material/timeline:", url_path="perjalanan"),
    st.Page("views/penilaian.py", title=t("nav.assessment", lang), icon=":material/checklist:", url_path="penilaian"),
    st.Page("views/bandingkan.py", title=t("nav.compare", lang), icon=":material/compare_arrows:", url_path="bandingkan"),
    st.Page("views/brief.py", title=t("nav.brief", lang), icon=":material/description:", url_path="kunjungan"),
    st.Page("views/dokumen.py", title=t("nav.documents", lang), icon=":material/description:", url_path="dokumen"),
    st.Page("views/sumber.py", title=t("nav.sources", lang), icon=":material/link:", url_path="sumber"),
    st.Page("views/kurasi.py", title=t("nav.curate", lang), icon=":material/insights:", url_path="kurasi"),
    st.Page("views/sunting.py", title=t("nav.edit", lang), icon=":material/edit_note:", url_path="sunting"),
]
st.navigation(pages).run()
