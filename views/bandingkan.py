"""Bandingkan wilayah: a focus region beside a reference and its peers, on official BPS figures.

The whole view is in the URL: ?focus=3328&ref=3571&ind=ipm,poverty&peers=3329,3327&k=5
"""


import pandas as pd
import streamlit as st

from views import ui
from rujukan import charts
from rujukan.errors import RujukanError
from rujukan.i18n import t
from rujukan.outlines import load_outlines
from rujukan.regions import compare, find_peers, latest, national_indicators, percentile_profile, rank_within, safe_csv, validate_upload

lang = ui.lang()
st.title(t("nav_compare", lang))
st.write(t("compare_intro", lang))
ds = ui.dataset()
names = ds.names()
regions = ds.regions.sort_values("name")
province = dict(zip(ds.regions["code"], ds.regions["province"]))
label_of = lambda code: f"{names.get(code, code)} — {province.get(code, '')}"  # noqa: E731
ind_meta = ds.indicators.set_index("id")
ind_name = lambda i: ind_meta.at[i, "name_en" if lang == "en" else "name_id"] if i in ind_meta.index else i  # noqa: E731
codes = list(regions["code"])
params = st.query_params


def param_codes(key: str) -> list[str]:
    return [c for c in params.get(key, "").split(",") if c in names]


c1, c2 = st.columns(2)
focus_default = param_codes("focus")[:1] or ["3328"]
ref_default = param_codes("ref")[:1] or ["3571"]
focus = c1.selectbox(t("focus", lang), codes, index=codes.index(focus_default[0]), format_func=label_of, key="focus_box")
reference = c2.selectbox(t("reference", lang), codes, index=codes.index(ref_default[0]), format_func=label_of, key="ref_box")
all_indicators = list(ds.indicators["id"])
wanted = [i for i in params.get("ind", "").split(",") if i in all_indicators] or national_indicators(ds)
chosen = st.multiselect(t("indicators", lang), all_indicators, default=wanted, format_func=ind_name, key="ind_box")

with st.expander(t("peers", lang), expanded=True):
    manual_default = param_codes("peers")
    mode = st.radio(t("peers_mode", lang), ["suggest", "manual"], index=1 if manual_default else 0, horizontal=True,
                    format_func=lambda m: t("peers_suggest" if m == "suggest" else "peers_manual", lang), key="peer_mode")
    peers: list[str] = []
    if mode == "manual":
        peers = st.multiselect(t("peers", lang), [c for c in codes if c not in (focus, reference)], default=[c for c in manual_default if c not in (focus, reference)], format_func=label_of, key="peer_box")
    else:
        k = st.slider(t("peers_k", lang), 1, 10, int(params.get("k", 5)) if str(params.get("k", "5")).isdigit() else 5, key="k_box")
        same_kind = st.checkbox(t("same_kind", lang), key="kind_box")
        same_province = st.checkbox(t("same_province", lang), key="prov_box")
        if chosen:
            try:
                found = find_peers(ds, focus, chosen, k=k, same_kind=same_kind, same_province=same_province)
            except RujukanError as exc:
                st.warning(ui.text(str(exc)))
                found = []
            peers = [p.code for p in found if p.code != reference]
            if found:
                st.caption(t("peers_table", lang, focus=ui.text(names[focus])))
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("col_region", lang): [label_of(p.code) for p in found],
                            t("col_distance", lang): [round(p.distance, 2) for p in found],
                            t("col_closest", lang): [", ".join(ind_name(i) for i in p.closest[:3]) for p in found],
                        }
                    ),
                    hide_index=True,
                )

params.update({"focus": focus, "ref": reference, "ind": ",".join(chosen)})
for key in ("peers", "k"):
    if key in params:
        del params[key]
if mode == "manual":
    params["peers"] = ",".join(peers)
else:
    params["k"] = str(k)

if not chosen:
    st.info(t("indicators", lang) + "?")
    st.stop()

colors = charts.role_colors(focus, reference, peers)
sources = ds.sources.set_index("id")
source_ids = sorted({s for i in chosen for s in str(ind_meta.at[i, "source"]).split(";") if s in sources.index})
st.caption(
    t("sources", lang) + ": "
    + " · ".join(f"[{ui.text(sources.at[s, 'title'])}]({sources.at[s, 'url']})" for s in source_ids)
)
shown = [focus, reference, *peers]
tabs = st.tabs([t(k, lang) for k in ("tab_profile", "tab_trend", "tab_rank", "tab_scatter", "tab_map", "tab_table", "tab_upload")])

with tabs[0]:
    profile = percentile_profile(ds, focus, [reference, *peers], chosen)
    profile["indicator_label"] = profile["indicator"].map(ind_name)
    st.plotly_chart(charts.profile(profile, names, colors, t("profile_title", lang)), key="chart_profile")

with tabs[1]:
    multi_year = [i for i in chosen if ds.values[ds.values["indicator"] == i]["year"].nunique() > 1] or chosen
    trend = st.selectbox(t("trend_indicator", lang), multi_year, format_func=ind_name, key="trend_box")
    series = ds.values[(ds.values["indicator"] == trend) & ds.values["region_code"].isin(shown) & (ds.values["source"] != "user")]
    st.plotly_chart(charts.time_series(series, names, colors, ind_name(trend), ind_meta.at[trend, "unit"]), key="chart_trend")
    for caveat in sorted(set(series["caveat"].dropna()) - {""}):
        st.caption(f"○ {ui.text(caveat)}")

with tabs[2]:
    rank_ind = st.selectbox(t("rank_indicator", lang), chosen, format_func=ind_name, key="rank_box")
    for scope, label in (("province", "rank_province"), ("national", "rank_national")):
        ranking = rank_within(ds, rank_ind, scope=scope, region_code=focus)
        if ranking.rank:
            st.markdown(t(label, lang, name=ui.text(names[focus]), rank=ranking.rank, of=ranking.of, year=ranking.year))
        st.plotly_chart(
            charts.ranking(ranking.table, names, colors, f"{ind_name(rank_ind)} ({ranking.year})", ind_meta.at[rank_ind, "unit"], bool(ind_meta.at[rank_ind, "higher_is_better"])),
            key=f"chart_rank_{scope}",
        )

with tabs[3]:
    x_ind = st.selectbox(t("scatter_x", lang), chosen, format_func=ind_name, key="x_box")
    y_ind = st.selectbox(t("scatter_y", lang), chosen, index=min(1, len(chosen) - 1), format_func=ind_name, key="y_box")
    xs, ys = latest(ds.values, x_ind), latest(ds.values, y_ind)
    both = xs[["region_code", "value"]].rename(columns={"value": "x"}).merge(ys[["region_code", "value"]].rename(columns={"value": "y"}), on="region_code")
    st.plotly_chart(charts.scatter(both, names, colors, f"{ind_name(x_ind)} ({int(xs['year'].iloc[0])})", f"{ind_name(y_ind)} ({int(ys['year'].iloc[0])})", f"{len(both)} kab/kota"), key="chart_scatter")

with tabs[4]:
    st.caption(t("map_note", lang))
    map_ind = st.selectbox(t("indicators", lang), chosen, format_func=ind_name, key="map_box")
    geo = load_outlines(ui.settings().data_dir / "raw")
    outlined = {f["id"] for f in geo["features"]}
    values = latest(ds.values, map_ind)
    values = values[values["region_code"].isin(outlined)]
    st.plotly_chart(charts.region_map(geo, values, names, colors, f"{ind_name(map_ind)} ({int(values['year'].iloc[0]) if len(values) else '-'})", ind_meta.at[map_ind, "unit"]), key="chart_map")

with tabs[5]:
    table = compare(ds, shown, chosen)
    table["source_title"] = table["source"].map(lambda s: sources.at[s, "title"] if s in sources.index else s)
    table["source_url"] = table["source"].map(lambda s: sources.at[s, "url"] if s in sources.index else "")
    st.dataframe(
        table.drop(columns=["source"]),
        hide_index=True,
        column_config={
            "region_code": "BPS", "name": t("col_region", lang), "indicator": t("col_indicator", lang), "year": t("col_year", lang),
            "value": t("col_value", lang), "unit": t("col_unit", lang), "caveat": t("col_caveat", lang),
            "source_title": t("sources", lang), "source_url": st.column_config.LinkColumn(t("col_url", lang)),
        },
    )
    st.download_button(t("download_csv", lang), safe_csv(table), file_name=f"rujukan-{focus}-{reference}.csv", mime="text/csv", key="download")
    st.subheader(t("smart_city_title", lang))
    smart = ds.smart_city.copy()
    smart["value"] = smart["value"].map(lambda v: t("not_published", lang) if pd.isna(v) else f"{v:.2f}")
    st.dataframe(smart, hide_index=True, column_config={"source_url": st.column_config.LinkColumn(t("col_url", lang))})

with tabs[6]:
    upload = st.file_uploader(t("upload_label", lang), type=["csv"], key="upload")
    if upload is not None:
        result = validate_upload(upload, ds)
        if result.ok:
            st.success(t("upload_ok", lang, n=len(result.values)))
            st.caption(t("user_data_note", lang))
            st.dataframe(result.values, hide_index=True)
        else:
            st.error(t("upload_bad", lang) + "\n\n" + "\n".join(f"- {ui.text(str(p))}" for p in result.problems))
