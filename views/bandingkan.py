"""Bandingkan wilayah: a focus region beside a reference and its peers, on official BPS figures.

The whole view is in the URL: ?focus=3328&ref=3571&ind=ipm,poverty&peers=3329,3327&k=5
"""


import streamlit as st

from rujukan import charts, tables
from rujukan.formats import number, safe_csv
from rujukan.i18n import t
from rujukan.outlines import DETAILED_PROVINCES
from rujukan.regions import (
    KEDIRI,
    MAX_UPLOAD_BYTES,
    PER_UNIT,
    compare,
    national_indicators,
    percentile_profile,
    population_band,
    rank_within,
    validate_upload,
)
from views import ui

MAX_PEERS = 10  # suggested peers at most (the slider's end)

lang = ui.lang()
st.title(t("nav.compare", lang))
st.write(t("compare.intro", lang))
ds = ui.dataset()
names = ds.names()
regions = ds.regions.sort_values("name")
label_of = ui.region_label(ds)
ind_meta = ds.indicators.set_index("id")
ind_name = lambda i: ind_meta.at[i, "name_en" if lang == "en" else "name_id"] if i in ind_meta.index else i  # noqa: E731
codes = list(regions["code"])
params = st.query_params


def param_codes(key: str) -> list[str]:
    return ui.url_values(key, names, many=True)


def peer_count(raw: str | None) -> int:
    """The URL's k, limited to 1–MAX_PEERS (a notice says so); 5 when absent or not a number."""
    if raw is None:
        return 5
    if not raw.strip().isdigit():
        ui.ignored("k", raw)
        return 5
    wanted = int(raw)
    if not 1 <= wanted <= MAX_PEERS:
        limited = min(max(wanted, 1), MAX_PEERS)
        ui.ignored("k", raw, used=str(limited))
        return limited
    return wanted


c1, c2 = st.columns(2)
focus_index = ui.region_index(codes, next(iter(param_codes("focus")), None))
reference_index = ui.region_index(codes, next(iter(param_codes("ref")), None), KEDIRI)
focus = c1.selectbox(t("compare.focus", lang), codes, index=focus_index, format_func=label_of, key="focus_box")
reference = c2.selectbox(t("compare.reference", lang), codes, index=reference_index, format_func=label_of, key="ref_box")
all_indicators = list(ds.indicators["id"])
wanted = ui.url_values("ind", all_indicators, many=True) or national_indicators(ds)
chosen = st.multiselect(
    t("compare.indicators", lang), all_indicators, default=wanted, format_func=ind_name, key="ind_box", placeholder=t("common.choose", lang), select_all=False
)

with st.expander(t("compare.peers", lang), expanded=True):
    manual_default = param_codes("peers")
    mode = st.radio(t("compare.peers_mode", lang), ["suggest", "manual"], index=1 if manual_default else 0, horizontal=True,
                    format_func=lambda m: t("compare.peers_suggest" if m == "suggest" else "compare.peers_manual", lang), key="peer_mode")
    peers: list[str] = []
    if mode == "manual":
        options = [c for c in codes if c not in (focus, reference)]
        peers = st.multiselect(t("compare.peers", lang), options, default=[c for c in manual_default if c in options], format_func=label_of, key="peer_box",
                               placeholder=t("common.choose", lang), select_all=False)
    else:
        k = st.slider(t("compare.peers_k", lang), 1, MAX_PEERS, peer_count(params.get("k")), key="k_box")
        same_kind = st.checkbox(t("compare.same_kind", lang), key="kind_box")
        same_province = st.checkbox(t("compare.same_province", lang), key="prov_box")
        population = ds.latest("population").set_index("region_code")["value"].to_dict()
        same_size = False
        if focus in population:
            low, high = population_band(population[focus])
            same_size = st.checkbox(t("compare.same_size", lang, name=ui.text(names[focus]), low=number(low, lang, 0), high=number(high, lang, 0)),
                                    key="size_box")
        if chosen:
            found = []
            with ui.report_errors(level="warning"):
                found = ui.peers(ds, focus, chosen, k=k, same_kind=same_kind, same_province=same_province, same_size=same_size)
            peers = [p.code for p in found if p.code != reference]
            if found:
                st.caption(t("compare.peers_table", lang, focus=ui.text(names[focus])))
                st.dataframe(tables.peers_table(found, label_of, ind_name, lang, population), hide_index=True)

params.update({"focus": focus, "ref": reference, "ind": ",".join(chosen)})
for key in ("peers", "k"):
    if key in params:
        del params[key]
if mode == "manual":
    params["peers"] = ",".join(peers)
else:
    params["k"] = str(k)

if not chosen:
    st.info(t("compare.indicators", lang) + "?")
    st.stop()

colors = charts.role_colors(focus, reference, peers)
sources = ds.sources.set_index("id")
source_ids = sorted({s for i in chosen for s in str(ind_meta.at[i, "source"]).split(";") if s in sources.index})
st.caption(
    t("common.sources", lang) + ": "
    + " · ".join(ui.source_link(ds.source_label(s, lang), str(sources.at[s, "url"])) for s in source_ids)
)
shown = [focus, reference, *peers]
TABS = ("compare.tab_profile", "compare.tab_trend", "compare.tab_rank", "compare.tab_scatter", "compare.tab_map", "compare.tab_table", "compare.tab_upload")
tab_labels = [t(k, lang) for k in TABS]
if "tab" not in st.session_state and params.get("tab") and params.get("tab") not in tab_labels:
    ui.ignored("tab", params.get("tab"))  # a tab name of the other language, or garbage: the first tab opens, and says why
# only the open tab is computed and sent (each `if tabs[i].open`; the map alone is 0.3 MB); ?tab=Peta opens the map
tabs = st.tabs(tab_labels, key="tab", on_change="rerun", bind="query-params")



def years_of(frame) -> str:
    found = sorted({int(y) for y in frame["year"].dropna()})
    return t("chart.years", lang, years=f"{found[0]}–{found[-1]}" if len(found) > 1 else str(found[0])) if found else ""


def measure_of(indicator: str, key: str) -> str:
    """The indicator, or its per-head / per-km² counterpart when it has one and the switch says so."""
    variants = {name: other for name, other in PER_UNIT.get(indicator, {}).items() if other in ind_meta.index}
    if not variants:
        return indicator
    picked = st.radio(t("compare.measure", lang), ["total", *variants], horizontal=True, key=f"{key}_measure",
                      format_func=lambda m: t(f"measure.{m}", lang))
    return variants.get(picked, indicator)


def say_not_covered(codes: list[str], indicator: str, year: object) -> None:
    """A caption naming the shown regions the indicator's source does not cover (nothing is left out silently)."""
    if codes:
        used = sorted({s for s in ds.values[ds.values["indicator"] == indicator]["source"] if s and s != "user"})
        st.caption(t("compare.not_covered", lang, names=ui.text(", ".join(names.get(c, c) for c in codes)), indicator=ind_name(indicator),
                     year=str(year), source="; ".join(ds.source_label(s, lang) for s in used)))


def draw(figure, key: str) -> None:
    st.plotly_chart(figure, key=key, config=charts.config(f"rujukan-{key}-{focus}"))


def chart(key: str, build, *args) -> None:
    """A rujukan.charts figure, built once per its inputs (ui.figure), drawn with its PNG name."""
    draw(ui.figure(build, *args), key)


with tabs[0]:
    if tabs[0].open:
        sizes = [i for i in chosen if ind_meta.at[i, "neutral"]]  # population, area…: no better or worse to place a region on
        standing = [i for i in chosen if i not in sizes]
        if standing:
            profile = percentile_profile(ds, focus, [reference, *peers], standing)
            counts = profile.groupby("indicator")["n"].first()  # regions ranked, per indicator: 514, or fewer where the source lacks some
            profile["indicator_label"] = [f"{ind_name(i)} · {t('chart.regions_count', lang, n=str(counts[i]))}" for i in profile["indicator"]]
            chart("chart_profile", charts.profile, profile, names, colors, t("compare.profile_title", lang),
                  tables.source_line(ds, profile["source"], lang, years_of(profile)), lang)
        if sizes:
            st.caption(t("compare.profile_sizes", lang, names=", ".join(ind_name(i) for i in sizes)))

with tabs[1]:
    if tabs[1].open:
        multi_year = [i for i in chosen if ds.values[ds.values["indicator"] == i]["year"].nunique() > 1] or chosen
        trend = st.selectbox(t("compare.trend_indicator", lang), multi_year, format_func=ind_name, key="trend_box")
        series = ds.values[(ds.values["indicator"] == trend) & ds.values["region_code"].isin(shown) & (ds.values["source"] != "user")]
        chart("chart_trend", charts.time_series, series, names, colors, ind_name(trend), ind_meta.at[trend, "unit"],
              tables.source_line(ds, series["source"], lang, years_of(series)), lang)
        for caveat in sorted(set(series["caveat"].dropna()) - {""}):
            st.caption(f"○ {ui.text(caveat)}")

with tabs[2]:
    if tabs[2].open:
        rank_ind = measure_of(st.selectbox(t("compare.rank_indicator", lang), chosen, format_func=ind_name, key="rank_box"), "rank")
        size = bool(ind_meta.at[rank_ind, "neutral"])
        for scope in ("province", "national"):
            ranking = rank_within(ds, rank_ind, scope=scope, region_code=focus)
            if ranking.rank:
                label = {("province", False): "compare.rank_province", ("national", False): "compare.rank_national",
                         ("province", True): "compare.size_province", ("national", True): "compare.size_national"}[scope, size]
                st.markdown(t(label, lang, name=ui.text(names[focus]), rank=ranking.rank, of=ranking.of, year=ranking.year))
            elif scope == "national":
                say_not_covered([focus], rank_ind, ranking.year)
            chart(
                f"chart_rank_{scope}", charts.ranking,
                ranking.table, names, colors, f"{ind_name(rank_ind)} ({ranking.year})", ind_meta.at[rank_ind, "unit"],
                None if size else bool(ind_meta.at[rank_ind, "higher_is_better"]),
                tables.source_line(ds, ranking.table["source"], lang, t("chart.years", lang, years=str(ranking.year))), lang,
            )

with tabs[3]:
    if tabs[3].open:
        x_ind = st.selectbox(t("compare.scatter_x", lang), chosen, format_func=ind_name, key="x_box")
        y_ind = st.selectbox(t("compare.scatter_y", lang), chosen, index=min(1, len(chosen) - 1), format_func=ind_name, key="y_box")
        xs, ys = ds.latest(x_ind), ds.latest(y_ind)
        both = xs[["region_code", "value"]].rename(columns={"value": "x"}).merge(ys[["region_code", "value"]].rename(columns={"value": "y"}), on="region_code")
        x_title, y_title = f"{ind_name(x_ind)} ({int(xs['year'].iloc[0])})", f"{ind_name(y_ind)} ({int(ys['year'].iloc[0])})"
        scatter_source = tables.source_line(ds, [*xs["source"], *ys["source"]], lang)
        chart("chart_scatter", charts.scatter, both, names, colors, x_title, y_title, t("chart.regions_count", lang, n=str(len(both))), scatter_source, lang)
        for ind, frame in ((x_ind, xs), (y_ind, ys)):
            say_not_covered([c for c in shown if c not in set(frame["region_code"])], ind, int(frame["year"].iloc[0]) if len(frame) else "-")

with tabs[4]:
    if tabs[4].open:
        province_code, province_name = ds.regions.set_index("code").loc[focus, ["province_code", "province"]]
        scope = st.radio(t("compare.map_scope", lang), ["national", "province"], horizontal=True, key="map_scope",
                         format_func=lambda v: t("compare.map_national", lang) if v == "national" else ui.text(province_name))
        map_ind = measure_of(st.selectbox(t("compare.indicators", lang), chosen, format_func=ind_name, key="map_box"), "map")
        with ui.report_errors(level="warning"):
            province = province_code if scope == "province" else None
            geo = ui.map_outlines(province)
            in_scope = set(regions["code"] if province is None else regions[regions["province_code"] == province]["code"])
            values = ds.latest(map_ind)
            values = values[values["region_code"].isin(in_scope)]
            map_title = f"{ind_name(map_ind)} ({int(values['year'].iloc[0]) if len(values) else '-'})"
            map_source = tables.source_line(ds, values["source"], lang, years_of(values)) + " · " + t(
                "compare.map_outlines_detailed" if province in DETAILED_PROVINCES else "compare.map_outlines_source", lang)
            draw(ui.region_map(province, values, names, colors, map_title, str(ind_meta.at[map_ind, "unit"]), map_source, lang), "chart_map")
            missing = sorted(in_scope - {f["id"] for f in geo["features"] if f.get("geometry")})
            if focus in missing:
                st.info(t("compare.map_focus_no_outline", lang, name=ui.text(names[focus])))
            if missing:
                st.caption(t("compare.map_no_outline", lang, names=ui.text(", ".join(names.get(c, c) for c in missing))))
            say_not_covered([c for c in shown if c in in_scope and c not in set(values["region_code"])], map_ind,
                            int(values["year"].iloc[0]) if len(values) else "-")
            unvalued = len(in_scope - set(values["region_code"]))
            if unvalued:
                st.caption(t("compare.map_no_value", lang, n=str(unvalued)))
        st.caption(t("compare.map_note" if province in DETAILED_PROVINCES else "compare.map_note_national", lang))

with tabs[5]:
    if tabs[5].open:
        st.caption(t("compare.table_note", lang))
        ui.table(tables.comparison_table(ds, focus, reference, peers, chosen, lang))
        values = compare(ds, shown, chosen)
        for caveat in sorted(set(values["caveat"].dropna()) - {""}):
            st.caption(f"○ {ui.text(caveat)}")
        export = tables.labelled_values(ds, values, lang)
        st.download_button(t("compare.download_csv", lang), safe_csv(export), file_name=f"rujukan-{focus}-{reference}.csv", mime="text/csv", key="download")
        st.subheader(t("compare.smart_city_title", lang))
        st.dataframe(tables.smart_city_table(ds, lang), hide_index=True,
                     column_config={t("common.address", lang): st.column_config.LinkColumn(t("common.address", lang))})

with tabs[6]:
    if tabs[6].open:
        upload = st.file_uploader(t("compare.upload_label", lang, limit=str(MAX_UPLOAD_BYTES // 1024 // 1024)), type=["csv"], key="upload")
        if upload is not None:
            result = validate_upload(upload, ds)
            if result.ok:
                st.success(t("compare.upload_ok", lang, n=len(result.values)))
                st.caption(t("compare.user_data_note", lang))
                st.dataframe(tables.labelled_values(ds, result.values, lang), hide_index=True)
            else:
                st.error(t("compare.upload_bad", lang) + "\n\n" + "\n".join(f"- {ui.text(p.worded(lang))}" for p in result.problems))
