"""Cari praktik: query box, filters, and result cards with the passage that matched."""

import streamlit as st

from rujukan.errors import RujukanError
from rujukan.i18n import t
from rujukan.search import Filters
from rujukan.vocabulary import DIMENSIONS, STATUSES, dimension_label
from views import ui

lang = ui.lang()
kb = ui.knowledge()
st.title(t("nav.search", lang))
ui.show_problems(kb)

was_cut = ui.cut_long_text("q")  # a pasted document would make a URL no browser can reopen
query = st.text_input(t("search.label", lang), placeholder=t("search.placeholder", lang), key="q", bind="query-params")

years = sorted({p.start_year for p in kb.practices if p.start_year})
asked_dims = st.query_params.get_all("dim")
url_dims = [d for d in asked_dims if d in DIMENSIONS]
if len(url_dims) < len(asked_dims):
    ui.ignored("dim", ", ".join(d for d in asked_dims if d not in DIMENSIONS))


def clear_filters() -> None:
    st.session_state.update(dim=[], agency=[], status=[], ref=[])
    if len(years) > 1:
        st.session_state["years"] = (years[0], years[-1])


chosen_before = url_dims or st.query_params.get_all(ui.REFERENCE_PARAM) or any(st.session_state.get(k) for k in ("dim", "agency", "status", "ref"))
with st.expander(t("search.filters", lang), expanded=bool(chosen_before)):  # open when a filter (e.g. from a shared link) is on
    choose = t("common.choose", lang)
    regions = ui.reference_regions(kb, key="ref")
    dims = st.multiselect(
        t("search.filter_dimension", lang), list(DIMENSIONS), default=url_dims, format_func=lambda d: dimension_label(d, lang),
        key="dim", placeholder=choose, select_all=False,
    )
    agencies = st.multiselect(
        t("search.filter_agency", lang), sorted({p.agency for p in kb.practices if p.agency}), key="agency", placeholder=choose, select_all=False
    )
    statuses = st.multiselect(t("search.filter_status", lang), list(STATUSES), format_func=ui.status_of, key="status", placeholder=choose, select_all=False)
    year_range = st.slider(t("search.filter_years", lang), years[0], years[-1], (years[0], years[-1]), key="years") if len(years) > 1 else None

st.query_params["dim"] = dims  # the dimension filter is part of the shareable URL
filters = Filters(
    dimensions=tuple(dims),
    agencies=tuple(agencies),
    statuses=tuple(statuses),
    year_from=year_range[0] if year_range and year_range[0] > years[0] else None,
    year_to=year_range[1] if year_range and year_range[1] < years[-1] else None,
    regions=regions,
)

if filters.active:  # what narrows the results, always in view
    with st.container(horizontal=True, gap="small"):
        st.caption(t("search.active_filters", lang))
        names = kb.regions()
        for code in filters.regions:
            st.badge(ui.text(names.get(code, code)), color="gray", icon=":material/location_on:")
        for dim in filters.dimensions:
            st.badge(dimension_label(dim, lang), color=ui.DIMENSION_COLORS.get(dim, "gray"), icon=":material/filter_alt:")
        for agency in filters.agencies:
            st.badge(ui.text(agency), color="gray", icon=":material/filter_alt:")
        for status in filters.statuses:
            st.badge(ui.status_of(status), color="gray", icon=":material/filter_alt:")
        if year_range and (filters.year_from or filters.year_to):
            st.badge(f"{t('search.filter_years', lang)} {year_range[0]}–{year_range[1]}", color="gray", icon=":material/filter_alt:")
        st.button(t("search.clear_filters", lang), on_click=clear_filters, key="clear_filters", icon=":material/filter_alt_off:", type="tertiary")

if query and query.strip():
    engine = ui.ready().engine
    try:
        result = engine.search(query, top_k=5, filters=filters)
    except RujukanError as exc:  # e.g. the Chroma server stopped answering: say which, keep the page
        ui.fail(exc)
    for notice in ui.query_notices(result.notices, was_cut):
        (st.warning if notice == "no_results" else st.info)(t(f"notice.{notice}", lang))
    if result.matches:
        st.caption(f"{t('search.results_for', lang, n=len(result.matches))} “{ui.text(result.query[:200])}”")
        if result.weak:
            st.warning(t("search.weak_results", lang), icon=":material/search_off:")
    top = result.matches[0] if result.matches else None
    # a search where nothing matches well is one of the knowledge base's gaps, like a declined question
    event = ui.log_once("search", result.query, len(result.matches), top.practice.id if top else None, top.score if top else None,
                        bool(result.matches) and result.weak)
    for rank, match in enumerate(result.matches, start=1):
        ui.result_card(engine, match, rank, event, result.vector)
else:
    st.info(t("notice.query_empty", lang))
