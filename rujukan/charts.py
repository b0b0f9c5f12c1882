"""Plotly figures for comparing regions. Pure functions of DataFrames: no streamlit here.

Colours are fixed by role so the same region looks the same in every chart: the focus region,
the reference (Kota Kediri by default), the peers, and all other regions as grey context.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

FOCUS, REFERENCE, CONTEXT = "#d1495b", "#0b6e4f", "#c9ccd1"
PEER_COLORS = ("#edae49", "#00798c", "#30638e", "#8d6a9f", "#6f4e37", "#4c956c", "#a44a3f", "#2d3047")
MAP_SCALE = "Viridis"
FONT = dict(family="Source Sans Pro, sans-serif", size=13)


def role_colors(focus: str, reference: str | None, peers: list[str]) -> dict[str, str]:
    """Region code -> colour, in drawing and legend order: focus, reference, then peers."""
    colors = {focus: FOCUS}
    if reference and reference != focus:
        colors[reference] = REFERENCE
    for i, code in enumerate(c for c in peers if c not in colors):
        colors[code] = PEER_COLORS[i % len(PEER_COLORS)]
    return colors


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(title=title, font=FONT, height=height, margin=dict(l=10, r=10, t=60, b=10), legend_title_text="")
    return fig


def profile(percentiles: pd.DataFrame, names: dict[str, str], colors: dict[str, str], title: str) -> go.Figure:
    """Grouped bars: each region's percentile (0–100, higher is better) per indicator.

    `percentiles` columns: region_code, indicator_label, percentile, value, year.
    """
    fig = go.Figure()
    for code in colors:
        part = percentiles[percentiles["region_code"] == code]
        if part.empty:
            continue
        fig.add_bar(
            x=part["indicator_label"], y=part["percentile"], name=names.get(code, code), marker_color=colors[code],
            customdata=part[["value", "year"]],
            hovertemplate="%{x}<br>persentil %{y:.0f}<br>nilai %{customdata[0]} (%{customdata[1]})<extra>" + names.get(code, code) + "</extra>",
        )
    fig.update_yaxes(range=[0, 100], title="persentil (lebih tinggi = lebih baik)")
    fig.update_layout(barmode="group")
    return _layout(fig, title)


def time_series(values: pd.DataFrame, names: dict[str, str], colors: dict[str, str], title: str, unit: str) -> go.Figure:
    """Lines over the years; points that carry a caveat (a series break) are drawn as open circles.

    `values` columns: region_code, year, value, caveat.
    """
    fig = go.Figure()
    for code in colors:
        part = values[values["region_code"] == code].sort_values("year")
        if part.empty:
            continue
        caveat = part["caveat"].fillna("").astype(str)
        fig.add_scatter(
            x=part["year"], y=part["value"], mode="lines+markers", name=names.get(code, code),
            line=dict(color=colors[code], width=3),
            marker=dict(size=9, symbol=["circle-open" if c else "circle" for c in caveat]),
            customdata=caveat, hovertemplate="%{x}: %{y}<br>%{customdata}<extra>" + names.get(code, code) + "</extra>",
        )
    fig.update_xaxes(dtick=1, title="tahun")
    fig.update_yaxes(title=unit)
    return _layout(fig, title)


def ranking(values: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], title: str, unit: str, higher_is_better: bool) -> go.Figure:
    """Horizontal bars of every region in scope, best at the top, highlighted regions coloured.

    `values` columns: region_code, value.
    """
    ordered = values.sort_values("value", ascending=not higher_is_better).reset_index(drop=True)
    ordered["rank"] = ordered.index + 1
    labels = [f"{r}. {names.get(c, c)}" for r, c in zip(ordered["rank"], ordered["region_code"])]
    colors = [highlight.get(c, CONTEXT) for c in ordered["region_code"]]
    fig = go.Figure(go.Bar(x=ordered["value"], y=labels, orientation="h", marker_color=colors, hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showticklabels=len(ordered) <= 60)
    fig.update_xaxes(title=unit)
    return _layout(fig, title, height=max(360, min(1400, 18 * len(ordered))))


def scatter(both: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], x_label: str, y_label: str, title: str) -> go.Figure:
    """Every region as a grey point, highlighted regions coloured and labelled.

    `both` columns: region_code, x, y.
    """
    context = both[~both["region_code"].isin(highlight)]
    fig = go.Figure()
    fig.add_scatter(
        x=context["x"], y=context["y"], mode="markers", name="kab/kota lain", marker=dict(color=CONTEXT, size=6),
        text=[names.get(c, c) for c in context["region_code"]], hovertemplate="%{text}<br>%{x}, %{y}<extra></extra>",
    )
    for code, color in highlight.items():
        row = both[both["region_code"] == code]
        if row.empty:
            continue
        fig.add_scatter(
            x=row["x"], y=row["y"], mode="markers+text", name=names.get(code, code), text=[names.get(code, code)],
            textposition="top center", marker=dict(color=color, size=13, line=dict(color="white", width=1)),
        )
    fig.update_xaxes(title=x_label)
    fig.update_yaxes(title=y_label)
    return _layout(fig, title, height=520)


def region_map(geojson: dict, values: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], title: str, unit: str) -> go.Figure:
    """A choropleth of the regions that have outlines, as filled shapes on plain lon/lat axes.

    Plotly's geo maps fetch a world outline from a CDN, which an offline Command Center cannot
    reach; filled scatter shapes need nothing but the data. `values` columns: region_code, value.
    """
    value_of = dict(zip(values["region_code"], values["value"]))
    low, high = (min(value_of.values()), max(value_of.values())) if value_of else (0.0, 1.0)
    span = (high - low) or 1.0
    fig = go.Figure()
    for feature in geojson["features"]:
        code = feature["id"]
        if code not in value_of:
            continue
        xs: list[float | None] = []
        ys: list[float | None] = []
        for polygon in feature["geometry"]["coordinates"]:
            for lon, lat in polygon[0]:
                xs.append(lon)
                ys.append(lat)
            xs.append(None)
            ys.append(None)
        fill = sample_colorscale(MAP_SCALE, [(value_of[code] - low) / span])[0]
        fig.add_scatter(
            x=xs, y=ys, fill="toself", fillcolor=fill, mode="lines", showlegend=False, name=names.get(code, code),
            line=dict(color=highlight.get(code, "white"), width=3 if code in highlight else 0.5),
            hoveron="fills", hoverinfo="text", text=f"{names.get(code, code)}: {value_of[code]}",
        )
    fig.add_scatter(  # the colour bar, carried by one invisible point
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(colorscale=MAP_SCALE, cmin=low, cmax=high, color=[low], showscale=True, colorbar=dict(title=unit)),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(plot_bgcolor="white")
    return _layout(fig, title, height=460)
