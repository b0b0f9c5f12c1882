"""Speed of the compare page's work, without Streamlit, against reading the tables in the same run.

    python bench/compare_speed.py     # prints figures, writes bench/results/compare_speed.json

"one view" = what views/bandingkan.py computes for one view with every indicator chosen: peers,
the percentile profile of all 514 regions, a time series, the province and national rankings, a
scatter, the national map (507 outlines) and the table with sources. "every figure" = the same with
the trend, rankings and map of every indicator and a scatter of each neighbouring pair. The national
map figure is also timed alone, and the built tables (data/*.csv and data/outlines.geojson) weighed.
Targets (issue 11): one view under 0.5 s, the national map under 0.3 s, the built tables under 5 MB.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rujukan import charts
from rujukan.databuild import build
from rujukan.outlines import NATIONAL_FILE, load_national
from rujukan.regions import find_peers, latest, load_dataset, percentile_profile, rank_within
from rujukan.tables import comparison_table, source_line

from common import ROOT, write

ROUNDS = 5
FOCUS, REFERENCE = "3328", "3571"


def page_work(ds, geo, every_indicator: bool) -> int:
    """What the page computes for one view with all indicators chosen (profile, peers, one trend,
    two rankings, one scatter, one map, the table); with every_indicator, the trend, rankings and
    map of every indicator and a scatter of each neighbouring pair. Returns the figure count."""
    indicators = list(ds.indicators["id"])
    national = [i for i in indicators if len(latest(ds.values, i)) >= 500]
    names = ds.names()
    peers = [p.code for p in find_peers(ds, FOCUS, national, k=5)]
    colors = charts.role_colors(FOCUS, REFERENCE, peers)
    others = [c for c in ds.regions["code"] if c != FOCUS]  # the profile of every region, not only the shown ones
    profile = percentile_profile(ds, FOCUS, others, indicators)
    profile["indicator_label"] = profile["indicator"]
    figures = [charts.profile(profile[profile["region_code"].isin(colors)], names, colors, "profile", source_line(ds, profile["source"], "id"))]
    shown = [FOCUS, REFERENCE, *peers]
    for indicator in indicators if every_indicator else indicators[:1]:
        meta = ds.indicator(indicator)
        series = ds.values[(ds.values["indicator"] == indicator) & ds.values["region_code"].isin(shown)]
        figures.append(charts.time_series(series, names, colors, indicator, meta["unit"], source_line(ds, series["source"], "id")))
        for scope in ("province", "national"):
            ranking = rank_within(ds, indicator, scope=scope, region_code=FOCUS)
            direction = None if meta["neutral"] else bool(meta["higher_is_better"])
            figures.append(charts.ranking(ranking.table, names, colors, indicator, meta["unit"], direction,
                                          source_line(ds, ranking.table["source"], "id")))
        values = latest(ds.values, indicator)
        figures.append(charts.region_map(geo, values, names, colors, indicator, meta["unit"], source_line(ds, values["source"], "id")))
    for x, y in list(zip(indicators, indicators[1:]))[: None if every_indicator else 1]:
        xs, ys = latest(ds.values, x), latest(ds.values, y)
        both = xs[["region_code", "value"]].rename(columns={"value": "x"}).merge(ys[["region_code", "value"]].rename(columns={"value": "y"}), on="region_code")
        figures.append(charts.scatter(both, names, colors, x, y, "scatter", source_line(ds, [*xs["source"], *ys["source"]], "id")))
    comparison_table(ds, FOCUS, REFERENCE, peers, indicators, "id")
    return len(figures)


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def main() -> int:
    data = ROOT / "data"
    builds = []
    for _ in range(3):
        out = Path(tempfile.mkdtemp(prefix="rujukan-build-"))
        try:
            builds.append(build(data / "raw", out).seconds)
        finally:
            shutil.rmtree(out, ignore_errors=True)
    loads, outline_loads, maps, views, everything = [], [], [], [], []
    for _ in range(ROUNDS):
        seconds, ds = timed(lambda: load_dataset(data))
        loads.append(seconds)
        seconds, geo = timed(lambda: load_national(data))
        outline_loads.append(seconds)
        values = latest(ds.values, "grdp_per_head")
        seconds, _ = timed(lambda ds=ds, geo=geo, values=values: charts.region_map(geo, values, ds.names(), charts.role_colors(FOCUS, REFERENCE, []),
                                                                                  "map", "unit", "source").to_json())
        maps.append(seconds)
        seconds, n_view = timed(lambda ds=ds, geo=geo: page_work(ds, geo, every_indicator=False))
        views.append(seconds)
        seconds, n_all = timed(lambda ds=ds, geo=geo: page_work(ds, geo, every_indicator=True))
        everything.append(seconds)
    figures = {
        "data_build_s_median": round(statistics.median(builds), 3),
        "load_tables_s_median": round(statistics.median(loads), 3),
        "load_outlines_s_median": round(statistics.median(outline_loads), 3),
        "national_map_figure_s_median": round(statistics.median(maps), 3),
        "national_map_over_load": round(statistics.median(maps) / statistics.median(loads), 1),
        "one_view_all_indicators_s_median": round(statistics.median(views), 3),
        "one_view_figures": n_view,
        "every_figure_of_every_indicator_s_median": round(statistics.median(everything), 3),
        "every_figure_count": n_all,
        "one_view_over_load": round(statistics.median(views) / statistics.median(loads), 1),
        "regions": int(len(ds.regions)),
        "values": int(len(ds.values)),
        "indicators": int(len(ds.indicators)),
        "built_tables_mb": round(sum(f.stat().st_size for f in [*data.glob("*.csv"), data / NATIONAL_FILE]) / 1e6, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_view_s": 0.5,
        "target_map_s": 0.3,
        "target_built_mb": 5.0,
    }
    for key, value in figures.items():
        print(f"{key:34} {value}")
    print("written:", write("compare_speed", figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
