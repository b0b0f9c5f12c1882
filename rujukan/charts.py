"""Plotly figures for comparing regions. Pure functions of DataFrames: no streamlit here.

Every chart carries its title, its unit and a source-and-year line on the chart itself, so a
screenshot or the PNG download still says where the figures come from. Colours are fixed by role
so the same region looks the same everywhere (the focus region, the reference — Kota Kediri by
default —, the peers, and every other region as grey context), and only those highlighted
regions are named on the chart.

A figure is built on the server, which does not know the screen, and plotly neither wraps text
nor moves a legend out of the way. So each chart is laid out for the narrowest screen it meets (a
390-pixel phone: a 358-pixel chart) and every part has a known place: titles, axis titles, category
labels and the source line are wrapped to widths that fit there; the legend is one entry per line
below the plot; the margins and the height are computed from those lines (layout()). On the
Command Center screen the same chart is simply wider.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from .formats import number
from .i18n import t

FOCUS, REFERENCE, CONTEXT = "#d1495b", "#0b6e4f", "#c9ccd1"
PEER_COLORS = ("#edae49", "#00798c", "#30638e", "#8d6a9f", "#6f4e37", "#4c956c", "#a44a3f", "#2d3047")
MAP_SCALE = "Viridis"
MEDIAN = "#6b6b6b"
#: Figures spanning this many times from least to most are drawn on a log axis (log_scale()).
LOG_SPAN = 100
#: Classes of a map (quantiles), and the fill of a region without a value.
MAP_CLASSES, NO_VALUE = 5, "#e4e4e4"
#: The least and the most pixels a map's plot takes in height.
MAP_HEIGHT = (240, 380)
FONT = dict(family="Source Sans Pro, sans-serif", size=13)
#: What st.plotly_chart is given as `config` (see config()): a PNG download at twice the size, and no plotly logo.
_IMAGE = {"format": "png", "scale": 2}
#: A ranking of more regions than this is drawn as a strip of points, not one bar per region.
MAX_BARS = 40
#: Characters per line that fit a 358-pixel chart: a 16-pixel title, an 11-pixel source line or a
#: 13-pixel axis title; a category label (a region's name) wraps at LABEL_WIDTH.
TITLE_WIDTH, TEXT_WIDTH, LABEL_WIDTH = 40, 58, 28
#: A generous width of one 13-pixel character (measured: 6.1), to make room for labels at the left.
CHAR_PX = 7.0
PHONE_CHART = 358  # pixels: the chart on a 390-pixel phone
EDGE = 10  # pixels between the chart's left edge and its title, labels and source line
LEGEND_ROW, SOURCE_ROW, TITLE_ROW, AXIS_ROW = 21, 14, 21, 17
TICKS = 24  # the tick labels under the plot


def wrap(text: str, width: int) -> list[str]:
    """The text in lines of at most `width` characters (longer words stay whole), as plotly text:
    its own markup (<, >, &) escaped, so a name or a source is shown as typed."""
    return [html.escape(line, quote=False) for line in textwrap.wrap(str(text), width, break_on_hyphens=False)] or [""]


def log_scale(values: Iterable[Any]) -> bool:
    """A log axis for figures that are all positive and span LOG_SPAN times or more (population, area,
    GRDP per head): on a linear axis the few largest squeeze every other region into one corner."""
    present = [float(v) for v in values if v == v and v is not None]
    return bool(present) and min(present) > 0 and max(present) / min(present) >= LOG_SPAN


def median_line(fig: go.Figure, value: float, label: str, axis: str = "x", log: bool = False) -> None:
    """A dashed reference line at `value` across the plot, labelled at its end. (Plotly places a
    shape by the value itself but an annotation, on a log axis, by the value's log10.)"""
    at = math.log10(value) if log else value
    style = dict(color=MEDIAN, width=1, dash="dash")
    font = dict(size=11, color=MEDIAN)
    if axis == "x":
        fig.add_shape(type="line", xref="x", yref="paper", x0=value, x1=value, y0=0, y1=1, line=style)
        fig.add_annotation(text=label, xref="x", yref="paper", x=at, y=1, yanchor="bottom", showarrow=False, font=font)
    else:
        fig.add_shape(type="line", xref="paper", yref="y", x0=0, x1=1, y0=value, y1=value, line=style)
        fig.add_annotation(text=label, xref="paper", yref="y", x=1, xanchor="right", y=at, yanchor="bottom", showarrow=False, font=font)


def lines(text: str, width: int) -> str:
    return "<br>".join(wrap(text, width))


def x_axis(fig: go.Figure, title: str, left: int, **where: Any) -> int:
    """Give the x axis its title, wrapped to the width of a phone's plot (the chart less its
    margins: the title is centred under the plot), and return the pixels under the plot it takes."""
    wrapped = wrap(title, max(18, int((PHONE_CHART - left - 14) / 6.6))) if title else []
    fig.update_xaxes(title="<br>".join(wrapped), **where)
    return TICKS + (AXIS_ROW * len(wrapped) + 6 if wrapped else 0)


def label_margin(labels: Sequence[str]) -> int:
    """The left margin that holds these category labels, each wrapped at LABEL_WIDTH."""
    longest = max((len(line) for label in labels for line in textwrap.wrap(str(label), LABEL_WIDTH)), default=0)
    return EDGE + int(CHAR_PX * longest) + 8


def label_rows(labels: Sequence[str]) -> int:
    """Pixels per category that hold its wrapped label."""
    most = max((len(textwrap.wrap(str(label), LABEL_WIDTH)) for label in labels), default=1)
    return max(20, 6 + 15 * most)


def tick_margin(values: Iterable[Any], lang: str) -> int:
    """The left margin that holds a numeric axis's tick labels."""
    finite = [abs(float(v)) for v in values if pd.notna(v)]
    widest = len(number(max(finite, default=0.0), lang, decimals=0)) + 2  # a tick may carry a decimal
    return EDGE + int(CHAR_PX * widest) + 6


def role_colors(focus: str, reference: str | None, peers: list[str]) -> dict[str, str]:
    """Region code -> colour, in drawing and legend order: focus, reference, then peers."""
    colors = {focus: FOCUS}
    if reference and reference != focus:
        colors[reference] = REFERENCE
    for i, code in enumerate(c for c in peers if c not in colors):
        colors[code] = PEER_COLORS[i % len(PEER_COLORS)]
    return colors


def config(filename: str) -> dict:
    """The plotly config of a chart whose PNG download (the camera of its toolbar) is called `filename`."""
    return {"displaylogo": False, "toImageButtonOptions": {**_IMAGE, "filename": filename}, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def layout(fig: go.Figure, title: str, source: str, plot_height: int, *, left: int, below: int = TICKS, legend_rows: int = 0,
           y_title: str = "") -> go.Figure:
    """Title at the top, the y axis's title (if any) written across above the plot, then the plot
    (`plot_height` pixels, `left` pixels of labels beside it), then `below` pixels of axis, the
    legend (one entry per row) and the source-and-year line.
    The figure's height is the sum and the margins are fixed (plotly would otherwise widen them
    for the legend and squeeze the plot), so nothing overlaps on any width."""
    title_lines, source_lines = wrap(title, TITLE_WIDTH), wrap(source, TEXT_WIDTH)
    y_lines = wrap(y_title, TEXT_WIDTH) if y_title else []
    top = 14 + TITLE_ROW * len(title_lines) + 10 + (AXIS_ROW * len(y_lines) + 6 if y_lines else 0)
    legend = LEGEND_ROW * legend_rows
    footer = 8 + SOURCE_ROW * len(source_lines)
    bottom = below + legend + footer
    height = top + plot_height + bottom
    fig.update_layout(
        title=dict(text="<br>".join(title_lines), x=0, xref="container", xanchor="left", y=1, yref="container", yanchor="top",
                   pad=dict(l=EDGE, t=14), font=dict(size=16)),
        font=FONT, height=height, margin=dict(l=left, r=14, t=top, b=bottom, autoexpand=False), showlegend=legend_rows > 0,
        legend=dict(orientation="v", xref="container", x=0, xanchor="left", yref="container", y=(legend + footer) / height, yanchor="top",
                    title_text="", tracegroupgap=0, itemclick=False, itemdoubleclick=False),
        hoverlabel=dict(namelength=-1),
    )
    fig.add_annotation(text="<br>".join(source_lines), xref="paper", yref="paper", x=0, xanchor="left", xshift=EDGE - left, y=0, yanchor="top",
                       yshift=-(below + legend + 4), showarrow=False, align="left", font=dict(size=11, color="#555"))
    if y_lines:  # across, not on its side: plotly places a turned title by margins it would have widened
        fig.add_annotation(text="<br>".join(y_lines), xref="paper", yref="paper", x=0, xanchor="left", xshift=EDGE - left, y=1, yanchor="bottom",
                           yshift=4, showarrow=False, align="left", font=dict(size=13, color="#444"))
    return fig


def profile(percentiles: pd.DataFrame, names: dict[str, str], colors: dict[str, str], title: str, source: str, lang: str = "id") -> go.Figure:
    """One panel per indicator, one bar per region (named beside it, coloured by role): its
    percentile among all regions (0–100, higher is better). No legend to look up: a phone shows
    the names where the bars are.

    `percentiles` columns: region_code, indicator_label, percentile, value, year.
    """
    labels = list(dict.fromkeys(percentiles["indicator_label"])) or [""]
    codes = [c for c in colors if (percentiles["region_code"] == c).any()]
    region_names = [lines(names.get(c, c), LABEL_WIDTH) for c in codes]
    panel = label_rows([names.get(c, c) for c in codes]) * max(1, len(codes))
    gap = 44  # room for the next panel's title
    plot_height = panel * len(labels) + gap * (len(labels) - 1)
    fig = make_subplots(rows=len(labels), cols=1, shared_xaxes=True, vertical_spacing=gap / plot_height if len(labels) > 1 else 0)
    left = label_margin([names.get(c, c) for c in codes])
    for row, label in enumerate(labels, start=1):
        part = percentiles[percentiles["indicator_label"] == label].set_index("region_code")
        present = [c for c in codes if c in part.index]
        shown = [number(part.at[c, "value"], lang, unknown=t("common.unknown", lang)) for c in present]
        fig.add_bar(
            y=[region_names[codes.index(c)] for c in present], x=[part.at[c, "percentile"] for c in present], orientation="h",
            marker_color=[colors[c] for c in present], showlegend=False, name=str(label),
            customdata=list(zip(shown, [str(part.at[c, "year"]) for c in present])),
            hovertemplate="%{y}<br>" + t("chart.percentile", lang) + " %{x:.0f}<br>"
            + t("chart.value", lang) + " %{customdata[0]} (%{customdata[1]})<extra></extra>",
            row=row, col=1,
        )
        fig.update_yaxes(categoryorder="array", categoryarray=region_names[::-1], row=row, col=1)
        domain = fig.layout[f"yaxis{row if row > 1 else ''}"].domain
        fig.add_annotation(text=f"<b>{lines(label, TEXT_WIDTH)}</b>", xref="paper", yref="paper", x=0, xanchor="left", xshift=EDGE - left,
                           y=domain[1], yanchor="bottom", yshift=2, showarrow=False, align="left", font=dict(size=13))
    axis_title = t("chart.percentile_axis", lang)
    fig.update_xaxes(range=[0, 100], dtick=25)
    fig.update_layout(bargap=0.2)
    return layout(fig, title, source, plot_height, left=left, below=x_axis(fig, axis_title, left, row=len(labels), col=1))


def time_series(values: pd.DataFrame, names: dict[str, str], colors: dict[str, str], title: str, unit: str, source: str,
                lang: str = "id") -> go.Figure:
    """Lines over the years, one per highlighted region, named in the legend below; points that
    carry a caveat (a series break) are open circles. The unit is in the title.

    `values` columns: region_code, year, value, caveat.
    """
    fig = go.Figure()
    for code in colors:
        part = values[values["region_code"] == code].sort_values("year")
        if part.empty:
            continue
        caveat = part["caveat"].fillna("").astype(str)
        name = names.get(code, code)
        fig.add_scatter(
            x=part["year"], y=part["value"], mode="lines+markers", name=html.escape(name, quote=False),
            line=dict(color=colors[code], width=3),
            marker=dict(size=9, symbol=["circle-open" if c else "circle" for c in caveat]),
            customdata=[number(v, lang) for v in part["value"]],
            hovertemplate="%{x}: %{customdata}<extra>" + html.escape(name, quote=False) + "</extra>",
        )
    axis_title = t("chart.year", lang)
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(nticks=6, tickformat=",~r")
    fig.update_layout(separators=",." if lang == "id" else ".,")
    left = tick_margin(values["value"], lang)
    return layout(fig, f"{title} ({unit})" if unit else title, source, 300, left=left, below=x_axis(fig, axis_title, left), legend_rows=len(fig.data))


def ranking(values: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], title: str, unit: str, higher_is_better: bool | None,
            source: str, lang: str = "id") -> go.Figure:
    """Every region in scope, best first (largest first for a size: higher_is_better None), the
    highlighted ones coloured and named with their rank.

    Up to MAX_BARS regions: one bar each, all named. More (the national ranking of 514): a strip of
    points along the value axis, grey context, the highlighted regions large and coloured, each
    named with its rank in the legend below.
    `values` columns: region_code, value.
    """
    ordered = values.sort_values("value", ascending=higher_is_better is False).reset_index(drop=True)
    ordered["rank"] = ordered.index + 1
    shown = [number(v, lang) for v in ordered["value"]]
    if len(ordered) <= MAX_BARS:
        plain = [f"{r}. {names.get(c, c)}" for r, c in zip(ordered["rank"], ordered["region_code"])]
        colors = [highlight.get(c, CONTEXT) for c in ordered["region_code"]]
        fig = go.Figure(go.Bar(x=ordered["value"], y=[lines(label, LABEL_WIDTH) for label in plain], orientation="h", marker_color=colors,
                               customdata=shown, hovertemplate="%{y}: %{customdata}<extra></extra>"))
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(nticks=6)
        median_line(fig, float(ordered["value"].median()), t("chart.median", lang, value=number(ordered["value"].median(), lang)))
        left = label_margin(plain)
        return layout(fig, title, source, label_rows(plain) * len(ordered), left=left, below=x_axis(fig, unit, left))
    fig = go.Figure()
    context = ordered[~ordered["region_code"].isin(highlight)]
    fig.add_scatter(
        x=context["value"], y=[0] * len(context), mode="markers", name=t("chart.other_regions", lang), marker=dict(color=CONTEXT, size=7, opacity=0.7),
        customdata=[html.escape(f"{r}. {names.get(c, c)}: {number(v, lang)}", quote=False)
                    for r, c, v in zip(context["rank"], context["region_code"], context["value"])],
        hovertemplate="%{customdata}<extra></extra>",
    )
    for code, color in highlight.items():
        row = ordered[ordered["region_code"] == code]
        if row.empty:
            continue
        rank, value = int(row["rank"].iloc[0]), float(row["value"].iloc[0])
        label = html.escape(t("chart.rank_label", lang, name=names.get(code, code), rank=str(rank), of=str(len(ordered))), quote=False)
        fig.add_scatter(
            x=[value], y=[0], mode="markers", name=label, marker=dict(color=color, size=15, line=dict(color="white", width=1.5)),
            hovertemplate=f"{label}: {number(value, lang)}<extra></extra>",
        )
    direction = "chart.larger_right" if higher_is_better is None else "chart.better_right" if higher_is_better else "chart.better_left"
    log = log_scale(ordered["value"])
    axis_title = f"{unit} · {t(direction, lang)}" + (f" · {t('chart.log_scale', lang)}" if log else "")
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(nticks=6, type="log" if log else "linear")
    median_line(fig, float(ordered["value"].median()), t("chart.median", lang, value=number(ordered["value"].median(), lang)), log=log)
    fig.update_layout(separators=",." if lang == "id" else ".,")
    return layout(fig, title, source, 90, left=EDGE + 4, below=x_axis(fig, axis_title, EDGE + 4), legend_rows=len(fig.data))


def scatter(both: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], x_label: str, y_label: str, title: str, source: str,
            lang: str = "id") -> go.Figure:
    """Every region as a grey point, the highlighted regions coloured and in the legend below;
    the focus and the reference also named beside their points (above and below, so the two do
    not print on each other; peers, close to the focus by design, would).

    `both` columns: region_code, x, y.
    """
    context = both[~both["region_code"].isin(highlight)]
    fig = go.Figure()
    fig.add_scatter(
        x=context["x"], y=context["y"], mode="markers", name=t("chart.other_regions", lang), marker=dict(color=CONTEXT, size=6),
        text=[html.escape(names.get(c, c), quote=False) for c in context["region_code"]], hovertemplate="%{text}<br>%{x}, %{y}<extra></extra>",
    )
    log_x, log_y = log_scale(both["x"]), log_scale(both["y"])

    def share(value: float, column: str, log: bool) -> float:  # where a value lies across its axis, 0 to 1
        low, high = float(both[column].min()), float(both[column].max())
        if log:
            value, low, high = math.log(value), math.log(low), math.log(high)
        return (value - low) / (high - low) if high > low else 0.5

    for i, (code, color) in enumerate(highlight.items()):
        row = both[both["region_code"] == code]
        if row.empty:
            continue
        name = html.escape(names.get(code, code), quote=False)
        across = share(float(row["x"].iloc[0]), "x", log_x)
        side = " left" if across > 0.75 else " right" if across < 0.25 else " center"  # a name near an edge is written inwards
        fig.add_scatter(
            x=row["x"], y=row["y"], mode="markers+text" if i < 2 else "markers", name=name, text=[name],
            textposition=("top", "bottom")[i % 2] + side, textfont=dict(color=color), cliponaxis=False,
            marker=dict(color=color, size=13, line=dict(color="white", width=1)), hovertemplate="%{text}<br>%{x}, %{y}<extra></extra>",
        )
    fig.update_xaxes(nticks=6, type="log" if log_x else "linear")
    fig.update_yaxes(nticks=6, type="log" if log_y else "linear")
    median_line(fig, float(both["x"].median()), t("chart.median_short", lang), "x", log_x)
    median_line(fig, float(both["y"].median()), t("chart.median_short", lang), "y", log_y)
    if log_x:
        x_label += f" · {t('chart.log_scale', lang)}"
    if log_y:
        y_label += f" · {t('chart.log_scale', lang)}"
    fig.update_layout(separators=",." if lang == "id" else ".,")
    left = tick_margin(both["y"], lang)
    return layout(fig, title, source, 340, left=left, below=x_axis(fig, x_label, left), legend_rows=len(fig.data), y_title=y_label)


def map_classes(values: pd.Series, classes: int = MAP_CLASSES) -> list[tuple[float, float]]:
    """Up to `classes` ranges of about equal counts (quantiles), each from its lowest to its highest
    member, so a far outlier stays in view (its class reaches it) instead of washing out a colour scale."""
    present = values.dropna()
    if present.empty:
        return []
    bins = pd.qcut(present.rank(method="first"), min(classes, len(present)), labels=False)
    return [(float(present[bins == b].min()), float(present[bins == b].max())) for b in sorted(bins.unique())]


def _path(rings: list[list[list[float]]]) -> tuple[list[float | None], list[float | None]]:
    """Rings of [lon, lat] as one trace's x and y, a gap (None) after each ring."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        xs.extend([p[0] for p in ring] + [None])
        ys.extend([p[1] for p in ring] + [None])
    return xs, ys


def _centre(rings: list[list[list[float]]]) -> tuple[float, float]:
    """A point inside (roughly) the largest ring: the mean of its vertices, for the hover label."""
    ring = max(rings, key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def region_map(geojson: dict, values: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], title: str, unit: str, source: str,
               lang: str = "id") -> go.Figure:
    """The regions of `geojson` filled by the class of their value (legend below: each class's
    range; regions without a value grey, "not available"), the highlighted regions outlined in
    their role colour with a dot at their centre (a city is a few pixels on a national map).

    Filled shapes on plain lon/lat axes: plotly's geo maps fetch a world outline from a CDN, which an
    offline Command Center cannot reach. One trace per class (kabupaten first, then the cities that
    lie inside them); the name and value show when pointing at a region's centre.
    `values` columns: region_code, value. Features without geometry are skipped (the page lists them).
    """
    value_of = dict(zip(values["region_code"], values["value"]))
    drawn = [f for f in geojson["features"] if f.get("geometry")]
    ranges = map_classes(pd.Series([value_of[f["id"]] for f in drawn if f["id"] in value_of], dtype=float))
    colours = sample_colorscale(MAP_SCALE, [i / max(1, len(ranges) - 1) for i in range(len(ranges))]) if ranges else []

    def class_of(code: str) -> int:
        if code not in value_of:
            return -1
        return next(i for i, (_, high) in enumerate(ranges) if value_of[code] <= high or i == len(ranges) - 1)

    layers: dict[tuple[bool, int], tuple[list, list]] = {}
    centres: list[tuple[float, float, str]] = []
    for feature in drawn:
        code = feature["id"]
        rings = [polygon[0] for polygon in feature["geometry"]["coordinates"]]
        xs, ys = layers.setdefault((names.get(code, "").startswith("Kota"), class_of(code)), ([], []))
        ring_xs, ring_ys = _path(rings)
        xs.extend(ring_xs)
        ys.extend(ring_ys)
        shown = number(value_of[code], lang) if code in value_of else t("chart.map_no_value", lang)
        centres.append((*_centre(rings), html.escape(f"{names.get(code, code)}: {shown}", quote=False)))
    fig = go.Figure()
    labelled: set[int] = set()
    for (_, index), (xs, ys) in sorted(layers.items()):
        label = t("chart.map_no_value", lang) if index < 0 else f"{number(ranges[index][0], lang)} – {number(ranges[index][1], lang)}"
        fig.add_scatter(  # float32 arrays, NaN between rings: plotly checks and sends them far faster and lighter than lists
            x=np.array(xs, dtype=np.float32), y=np.array(ys, dtype=np.float32), fill="toself", fillcolor=NO_VALUE if index < 0 else colours[index],
            mode="lines", line=dict(color="white", width=0.4),
            name=label, legendgroup=str(index), legendrank=index if index >= 0 else 99, showlegend=index not in labelled, hoverinfo="skip",
        )
        labelled.add(index)
    fig.add_scatter(x=[c[0] for c in centres], y=[c[1] for c in centres], text=[c[2] for c in centres], mode="markers", showlegend=False,
                    marker=dict(size=6, opacity=0), hovertemplate="%{text}<extra></extra>")
    by_code = {f["id"]: f for f in drawn}
    for code, colour in highlight.items():
        if code not in by_code:
            continue
        rings = [polygon[0] for polygon in by_code[code]["geometry"]["coordinates"]]
        xs, ys = _path(rings)
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=colour, width=2.5), hoverinfo="skip", showlegend=False)
        x, y = _centre(rings)
        fig.add_scatter(x=[x], y=[y], mode="markers", marker=dict(color=colour, size=9, line=dict(color="white", width=1.5)),
                        name=html.escape(names.get(code, code), quote=False), legendrank=200, hoverinfo="skip")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(plot_bgcolor="white", separators=",." if lang == "id" else ".,")
    unit_lines = wrap(unit, TEXT_WIDTH)
    fig.add_annotation(text="<br>".join(unit_lines), xref="paper", yref="paper", x=0, xanchor="left", y=0, yanchor="top", yshift=-6,
                       showarrow=False, align="left", font=dict(size=13, color="#444"))
    points = [p for f in drawn for polygon in f["geometry"]["coordinates"] for p in polygon[0]]
    lon_span = (max(p[0] for p in points) - min(p[0] for p in points)) if points else 1.0
    lat_span = (max(p[1] for p in points) - min(p[1] for p in points)) if points else 1.0
    # as tall as the shape is on a phone's width, within bounds (a wide screen then shows it larger)
    plot_height = int(min(MAP_HEIGHT[1], max(MAP_HEIGHT[0], (PHONE_CHART - 2 * EDGE) * lat_span / max(lon_span, 1e-6) * 1.5)))
    legend_rows = sum(1 for trace in fig.data if trace.showlegend is not False)
    return layout(fig, title, source, plot_height, left=EDGE, below=10 + AXIS_ROW * len(unit_lines), legend_rows=legend_rows)
