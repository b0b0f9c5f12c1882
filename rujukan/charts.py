"""Plotly figures for comparing regions. Pure functions of DataFrames: no streamlit here.

Colours are fixed by role so the same region looks the same in every chart: the focus region,
the reference (Kota Kediri by default), the peers, and all other regions as grey context.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go

FOCUS, REFERENCE, CONTEXT = "#d1495b", "#0b6e4f", "#c9ccd1"
PEER_COLORS = ("#edae49", "#00798c", "#30638e", "#8d6a9f", "#6f4e37", "#4c956c", "#a44a3f", "#2d3047")
FONT = dict(family="Source Sans Pro, sans-serif", size=13)


def role_colors(focus: str, reference: str | None, peers: list[str]) -> dict[str, str]:
    colors = {code: PEER_COLORS[i % len(PEER_COLORS)] for i, code in enumerate(peers)}
    if reference:
        colors[reference] = REFERENCE
    colors[focus] = FOCUS
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
            customdata=part[["value", "year"]], hovertemplate="%{x}<br>persentil %{y:.0f}<br>nilai %{customdata[0]} (%{customdata[1]})<extra>" + names.get(code, code) + "</extra>",
        )
    fig.update_yaxes(range=[0, 100], title="persentil di antara 514 kab/kota (lebih tinggi = lebih baik)")
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
    """A choropleth of the regions that have outlines, drawn without any tile server.

    `values` columns: region_code, value. Highlighted regions get a thick outline.
    """
    lines = [highlight.get(c, "white") for c in values["region_code"]]
    fig = go.Figure(
        go.Choropleth(
            geojson=geojson, locations=values["region_code"], z=values["value"], featureidkey="id",
            colorscale="Viridis", colorbar_title=unit,
            marker_line_color=lines, marker_line_width=[3 if c in highlight else 0.5 for c in values["region_code"]],
            text=[names.get(c, c) for c in values["region_code"]], hovertemplate="%{text}: %{z}<extra></extra>",
        )
    )
    fig.update_geos(fitbounds="locations", visible=False)
    return _layout(fig, title, height=460)


def figure_json(fig: go.Figure) -> str:
    """A figure as JSON, for tests and for exporting the exact chart a user saw."""
    return json.dumps(fig.to_plotly_json(), default=str)
