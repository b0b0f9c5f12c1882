"""Plotly figures for comparing regions. Pure functions of DataFrames: no streamlit here.

Every chart carries its title, its unit and a source-and-year line on the chart itself, so a
screenshot or the PNG download still says where the figures come from. Colours are fixed by role
so the same region looks the same everywhere (the focus region, the reference — Kota Kediri by
default —, the peers, and every other region as grey context), and only those highlighted
regions are named on the chart. Legends sit below the plot and ticks are few, so a chart stays
readable on a 390-pixel phone as well as on the Command Center screen.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from .formats import number
from .i18n import t

FOCUS, REFERENCE, CONTEXT = "#d1495b", "#0b6e4f", "#c9ccd1"
PEER_COLORS = ("#edae49", "#00798c", "#30638e", "#8d6a9f", "#6f4e37", "#4c956c", "#a44a3f", "#2d3047")
MAP_SCALE = "Viridis"
FONT = dict(family="Source Sans Pro, sans-serif", size=13)
#: What st.plotly_chart is given as `config` (see config()): a PNG download at twice the size, and no plotly logo.
_IMAGE = {"format": "png", "scale": 2}
#: A ranking of more regions than this is drawn as a strip of points, not one bar per region.
MAX_BARS = 40
_LABEL_POSITIONS = ("top center", "bottom center", "middle right", "middle left")


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


def layout(fig: go.Figure, title: str, source: str, height: int = 440, legend: bool = True) -> go.Figure:
    """Title at the top, the source-and-year line at the bottom left, the legend below the plot."""
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=16)), font=FONT, height=height, showlegend=legend,
        margin=dict(l=10, r=10, t=60, b=120 if legend else 70), legend=dict(orientation="h", x=0, xanchor="left", y=-0.18, yanchor="top", title_text=""),
    )
    fig.add_annotation(text=source, xref="paper", yref="paper", x=0, xanchor="left", y=0, yanchor="top", yshift=-(95 if legend else 45),
                       showarrow=False, align="left", font=dict(size=11, color="#555"))
    return fig


def profile(percentiles: pd.DataFrame, names: dict[str, str], colors: dict[str, str], title: str, source: str, lang: str = "id") -> go.Figure:
    """Horizontal grouped bars: each region's percentile (0–100, higher is better) per indicator.
    Indicators down the side, so their names have room on a phone.

    `percentiles` columns: region_code, indicator_label, percentile, value, year.
    """
    fig = go.Figure()
    labels = list(dict.fromkeys(percentiles["indicator_label"]))
    for code in colors:
        part = percentiles[percentiles["region_code"] == code]
        if part.empty:
            continue
        shown = [number(v, lang, unknown=t("common.unknown", lang)) for v in part["value"]]
        fig.add_bar(
            y=part["indicator_label"], x=part["percentile"], orientation="h", name=names.get(code, code), marker_color=colors[code],
            customdata=list(zip(shown, part["year"].astype(str))),
            hovertemplate="%{y}<br>" + t("chart.percentile", lang) + " %{x:.0f}<br>" + t("chart.value", lang)
            + " %{customdata[0]} (%{customdata[1]})<extra>" + names.get(code, code) + "</extra>",
        )
    fig.update_xaxes(range=[0, 100], title=t("chart.percentile_axis", lang), dtick=25)
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], automargin=True)
    fig.update_layout(barmode="group", bargap=0.25)
    return layout(fig, title, source, height=max(360, 110 + 22 * len(labels) * max(1, len(colors))))


def time_series(values: pd.DataFrame, names: dict[str, str], colors: dict[str, str], title: str, unit: str, source: str,
                lang: str = "id") -> go.Figure:
    """Lines over the years, each region named at its last point; points that carry a caveat (a
    series break) are open circles.

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
            x=part["year"], y=part["value"], mode="lines+markers+text", name=name,
            line=dict(color=colors[code], width=3),
            marker=dict(size=9, symbol=["circle-open" if c else "circle" for c in caveat]),
            text=[""] * (len(part) - 1) + [name], textposition="middle right", textfont=dict(color=colors[code]),
            customdata=[number(v, lang) for v in part["value"]],
            hovertemplate="%{x}: %{customdata}<extra>" + name + "</extra>",
        )
    fig.update_xaxes(dtick=1, title=t("chart.year", lang))
    fig.update_yaxes(title=unit, nticks=6)
    return layout(fig, f"{title} ({unit})" if unit else title, source)


def ranking(values: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], title: str, unit: str, higher_is_better: bool,
            source: str, lang: str = "id") -> go.Figure:
    """Every region in scope, best first, the highlighted ones coloured and named with their rank.

    Up to MAX_BARS regions: one bar each, all named. More (the national ranking of 514): a strip of
    points along the value axis, grey context, the highlighted regions large, coloured and labelled.
    `values` columns: region_code, value.
    """
    ordered = values.sort_values("value", ascending=not higher_is_better).reset_index(drop=True)
    ordered["rank"] = ordered.index + 1
    shown = [number(v, lang) for v in ordered["value"]]
    if len(ordered) <= MAX_BARS:
        labels = [f"{r}. {names.get(c, c)}" for r, c in zip(ordered["rank"], ordered["region_code"])]
        colors = [highlight.get(c, CONTEXT) for c in ordered["region_code"]]
        fig = go.Figure(go.Bar(x=ordered["value"], y=labels, orientation="h", marker_color=colors, customdata=shown,
                               hovertemplate="%{y}: %{customdata}<extra></extra>"))
        fig.update_yaxes(autorange="reversed", automargin=True)
        fig.update_xaxes(title=unit, nticks=6)
        return layout(fig, title, source, height=max(360, min(1200, 110 + 20 * len(ordered))), legend=False)
    fig = go.Figure()
    context = ordered[~ordered["region_code"].isin(highlight)]
    fig.add_scatter(
        x=context["value"], y=[0] * len(context), mode="markers", name=t("chart.other_regions", lang), marker=dict(color=CONTEXT, size=7, opacity=0.7),
        customdata=[f"{r}. {names.get(c, c)}: {number(v, lang)}" for r, c, v in zip(context["rank"], context["region_code"], context["value"])],
        hovertemplate="%{customdata}<extra></extra>",
    )
    for i, (code, color) in enumerate(highlight.items()):
        row = ordered[ordered["region_code"] == code]
        if row.empty:
            continue
        rank, value = int(row["rank"].iloc[0]), float(row["value"].iloc[0])
        label = t("chart.rank_label", lang, name=names.get(code, code), rank=str(rank), of=str(len(ordered)))
        fig.add_scatter(
            x=[value], y=[0], mode="markers+text", name=label, text=[label], textposition=("top center", "bottom center")[i % 2],
            marker=dict(color=color, size=15, line=dict(color="white", width=1.5)), textfont=dict(color=color),
            hovertemplate=f"{label}: {number(value, lang)}<extra></extra>",
        )
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(title=f"{unit} · {t('chart.better_right' if higher_is_better else 'chart.better_left', lang)}", nticks=6)
    return layout(fig, title, source, height=340)


def scatter(both: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], x_label: str, y_label: str, title: str, source: str,
            lang: str = "id") -> go.Figure:
    """Every region as a grey point, the highlighted regions coloured and named (labels placed
    around their points in turn, so neighbours do not print on top of each other).

    `both` columns: region_code, x, y.
    """
    context = both[~both["region_code"].isin(highlight)]
    fig = go.Figure()
    fig.add_scatter(
        x=context["x"], y=context["y"], mode="markers", name=t("chart.other_regions", lang), marker=dict(color=CONTEXT, size=6),
        text=[names.get(c, c) for c in context["region_code"]], hovertemplate="%{text}<br>%{x}, %{y}<extra></extra>",
    )
    for i, (code, color) in enumerate(highlight.items()):
        row = both[both["region_code"] == code]
        if row.empty:
            continue
        fig.add_scatter(
            x=row["x"], y=row["y"], mode="markers+text", name=names.get(code, code), text=[names.get(code, code)],
            textposition=_LABEL_POSITIONS[i % len(_LABEL_POSITIONS)], textfont=dict(color=color),
            marker=dict(color=color, size=13, line=dict(color="white", width=1)),
        )
    fig.update_xaxes(title=x_label, nticks=6)
    fig.update_yaxes(title=y_label, nticks=6)
    return layout(fig, title, source, height=540)


def region_map(geojson: dict, values: pd.DataFrame, names: dict[str, str], highlight: dict[str, str], title: str, unit: str, source: str,
               lang: str = "id") -> go.Figure:
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
            hoveron="fills", hoverinfo="text", text=f"{names.get(code, code)}: {number(value_of[code], lang)}",
        )
    fig.add_scatter(  # the colour bar, carried by one invisible point, lying below the map
        x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(colorscale=MAP_SCALE, cmin=low, cmax=high, color=[low], showscale=True,
                    colorbar=dict(title=unit, orientation="h", x=0, xanchor="left", y=-0.02, yanchor="top", len=1, thickness=12)),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(plot_bgcolor="white")
    return layout(fig, title, source, height=560)  # the room of a legend below: the colour bar lies there
