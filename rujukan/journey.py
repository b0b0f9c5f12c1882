"""The journey through the stages of Gerakan Menuju 100 Smart City: stages, milestones, visits.

Three small CSVs in data/programme/ hold what the sourced facts say: the programme's stages in
order, each region's dated milestones at those stages (with the Kediri practices that belong to
them), and the study visits to Kediri. Every row carries its source URL; a date that is unknown
stays empty and is marked uncertain. Validation names the file, the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pandas as pd
import plotly.graph_objects as go

from .charts import LABEL_WIDTH, label_margin, label_rows, layout, lines
from .errors import ProgrammeError
from .formats import partial_date, url_problem
from .i18n import t
from .practices import KnowledgeBase
from .regions import KEDIRI

STAGE_COLUMNS = ("id", "order", "name_id", "name_en", "description_id", "source_url")
MILESTONE_COLUMNS = ("region_code", "region_name", "stage_id", "date", "date_uncertain", "what_id", "practice_ids", "source_url")
VISIT_COLUMNS = ("region_code", "region_name", "date", "practice_ids", "what_id", "source_url")
REGION_PATTERN = re.compile(r"^\d{2}(\d{2})?$")
#: Colours per region in the timeline: Kediri keeps the reference green of rujukan.charts.
COLORS = ("#0b6e4f", "#d1495b", "#edae49", "#00798c", "#30638e", "#8d6a9f", "#6f4e37")


@dataclass(frozen=True)
class Programme:
    """The stages (sorted by order), the milestones and the visits, as DataFrames.

    Milestones and visits gain `when` (a Timestamp, NaT when the date is empty), `approximate`
    (the date began with "~") and `practices` (a tuple of practice ids).
    """

    stages: pd.DataFrame
    milestones: pd.DataFrame
    visits: pd.DataFrame

    def stage_order(self) -> dict[str, int]:
        return dict(zip(self.stages["id"], self.stages["order"]))

    def stage_name(self, stage_id: str, lang: str = "id") -> str:
        row = self.stages[self.stages["id"] == stage_id]
        return str(row.iloc[0]["name_en" if lang == "en" else "name_id"]) if len(row) else stage_id

    def regions(self) -> dict[str, str]:
        """Region code -> name, for every region with a milestone (in file order)."""
        return dict(zip(self.milestones["region_code"], self.milestones["region_name"]))


def parse_date(text: str) -> tuple[pd.Timestamp, bool] | None:
    """'YYYY', 'YYYY-MM', 'YYYY-MM-DD', optionally prefixed '~'; a partial date is placed at the
    middle of its period. Returns (timestamp, approximate), or None when the text is not a date."""
    parsed = partial_date(text.strip())
    if parsed is None:
        return None
    start, end, approximate = parsed
    return pd.Timestamp(start + (end - start) / 2), approximate


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    name = path.name
    if not path.is_file():
        raise ProgrammeError(str(path), None, None, "file not found")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ProgrammeError(name, None, None, f"cannot be read as a UTF-8 CSV ({exc})") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ProgrammeError(name, 1, missing[0], f"missing column; the header must be {','.join(columns)}")
    return frame[list(columns)].apply(lambda col: col.str.strip())


def _practice_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


def _check_rows(name: str, frame: pd.DataFrame, stage_ids: set[str] | None, practice_ids: set[str] | None, dated: bool) -> pd.DataFrame:
    """Validate the shared columns of milestones and visits and add when/approximate/practices."""
    whens: list[pd.Timestamp | None] = []
    approx: list[bool] = []
    practices: list[tuple[str, ...]] = []
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2  # row 1 is the header

        def fail(column: str, message: str, line: int = line) -> NoReturn:
            raise ProgrammeError(name, line, column, message)

        if not REGION_PATTERN.match(row["region_code"]):
            fail("region_code", f"{row['region_code']!r} is not a BPS region code (2 or 4 digits)")
        if not row["region_name"]:
            fail("region_name", "is required")
        if stage_ids is not None and row["stage_id"] not in stage_ids:
            fail("stage_id", f"{row['stage_id']!r} is not a stage in stages.csv ({', '.join(sorted(stage_ids))})")
        uncertain = False
        if "date_uncertain" in row:
            if row["date_uncertain"].lower() not in ("true", "false"):
                fail("date_uncertain", f"{row['date_uncertain']!r} must be true or false")
            uncertain = row["date_uncertain"].lower() == "true"
        if row["date"]:
            parsed = parse_date(row["date"])
            if parsed is None:
                fail("date", f"{row['date']!r} is not a date YYYY, YYYY-MM or YYYY-MM-DD (prefix ~ when approximate)")
            whens.append(parsed[0])
            approx.append(parsed[1])
        else:
            if dated or not uncertain:
                fail("date", "is empty; an unknown date is allowed only in milestones with date_uncertain true")
            whens.append(None)  # NaT in the column
            approx.append(False)
        if not row["what_id"]:
            fail("what_id", "is required: say in a sentence what happened")
        ids = _practice_list(row["practice_ids"])
        if practice_ids is not None:
            for pid in ids:
                if pid not in practice_ids:
                    fail("practice_ids", f"no practice has the id {pid!r} (see knowledge/practices)")
        practices.append(ids)
        if not row["source_url"]:
            fail("source_url", "is missing: every row needs the source it comes from")
        if url_problem(row["source_url"]):
            fail("source_url", url_problem(row["source_url"]))
    out = frame.copy()
    if "date_uncertain" in out.columns:
        out["date_uncertain"] = out["date_uncertain"].str.lower() == "true"
    out["when"] = pd.to_datetime(pd.Series(whens, index=out.index, dtype="datetime64[ns]"))
    out["approximate"] = approx
    out["practices"] = practices
    return out


def _check_stages(frame: pd.DataFrame) -> pd.DataFrame:
    name = "stages.csv"
    seen: set[str] = set()
    orders: list[int] = []
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2
        if not re.fullmatch(r"[a-z0-9_]+", row["id"]):
            raise ProgrammeError(name, line, "id", f"{row['id']!r} must be lower-case letters, digits and _")
        if row["id"] in seen:
            raise ProgrammeError(name, line, "id", f"{row['id']!r} is repeated")
        seen.add(row["id"])
        if not row["order"].isdigit():
            raise ProgrammeError(name, line, "order", f"{row['order']!r} must be a whole number")
        orders.append(int(row["order"]))
        for column in ("name_id", "name_en", "description_id"):
            if not row[column]:
                raise ProgrammeError(name, line, column, "is required")
        if not row["source_url"]:
            raise ProgrammeError(name, line, "source_url", "is missing: every row needs the source it comes from")
        if url_problem(row["source_url"]):
            raise ProgrammeError(name, line, "source_url", url_problem(row["source_url"]))
    out = frame.copy()
    out["order"] = orders
    return out.sort_values("order", kind="stable").reset_index(drop=True)


def load_programme(data_dir: Path, kb: KnowledgeBase | Iterable[str] | None = None) -> Programme:
    """Read and check data_dir/programme/*.csv (or data_dir itself when the CSVs are there).

    Given a KnowledgeBase (or the practice ids themselves), every practice id must name a practice.
    """
    folder = data_dir / "programme" if (data_dir / "programme").is_dir() else data_dir
    if isinstance(kb, KnowledgeBase):
        known: set[str] | None = {p.id for p in kb.practices}
    else:
        known = set(kb) if kb is not None else None
    stages = _check_stages(_read(folder / "stages.csv", STAGE_COLUMNS))
    milestones = _check_rows("milestones.csv", _read(folder / "milestones.csv", MILESTONE_COLUMNS), set(stages["id"]), known, dated=False)
    visits = _check_rows("visits.csv", _read(folder / "visits.csv", VISIT_COLUMNS), None, known, dated=True)
    order = dict(zip(stages["id"], stages["order"]))
    milestones["stage_order"] = milestones["stage_id"].map(order).astype(int)
    return Programme(stages, milestones.reset_index(drop=True), visits.reset_index(drop=True))


def milestones_of(programme: Programme, region_code: str) -> pd.DataFrame:
    """A region's milestones in stage order, then date (undated last)."""
    rows = programme.milestones[programme.milestones["region_code"] == region_code]
    return rows.sort_values(["stage_order", "when"], na_position="last", kind="stable")


def current_stage(programme: Programme, region_code: str) -> str | None:
    """The furthest stage (highest order) at which the region has a milestone; None if it has none."""
    rows = milestones_of(programme, region_code)
    if rows.empty:
        return None
    return str(rows["stage_id"].to_numpy()[rows["stage_order"].to_numpy().argmax()])  # the first of the furthest


def next_stage(programme: Programme, stage_id: str) -> str | None:
    """The stage after stage_id in the programme's order, or None at the last one."""
    ids = list(programme.stages["id"])
    at = ids.index(stage_id) if stage_id in ids else -1
    return ids[at + 1] if 0 <= at < len(ids) - 1 else None


def kediri_at(programme: Programme, stage_id: str, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """Kota Kediri's milestones at a stage, each with its practice ids (and titles, given a KnowledgeBase)."""
    rows = milestones_of(programme, KEDIRI)
    rows = rows[rows["stage_id"] == stage_id].copy()
    if kb is not None:
        by_id = kb.by_id()
        rows["practice_titles"] = rows["practices"].map(lambda ids: tuple(by_id[p].title for p in ids if p in by_id))
    return rows


def visits_for_practice(programme: Programme, practice_id: str) -> pd.DataFrame:
    """The study visits that looked at a practice, oldest first."""
    visits = programme.visits
    return visits[visits["practices"].map(lambda ids: practice_id in ids)].sort_values("when", kind="stable")


def journey_figure(programme: Programme, region_codes: list[str], names: dict[str, str] | None = None, lang: str = "id") -> go.Figure:
    """One scatter trace per region: date on x, stage (in programme order) on y.

    Milestones with an uncertain or approximate date are open markers; undated ones are left out
    of the figure (they stay in the table). Plain scatter only, so nothing is fetched from a CDN.
    """
    names = names or {}
    known = programme.regions()
    labels = {row["id"]: row["name_en" if lang == "en" else "name_id"] for row in programme.stages.to_dict("records")}
    fig = go.Figure()
    for i, code in enumerate(region_codes):
        rows = programme.milestones[(programme.milestones["region_code"] == code) & programme.milestones["when"].notna()]
        rows = rows.sort_values("when", kind="stable")
        open_marker = (rows["date_uncertain"] | rows["approximate"]).tolist()
        color = COLORS[i % len(COLORS)]
        fig.add_scatter(
            x=rows["when"], y=rows["stage_id"].map(labels), mode="lines+markers", name=names.get(code) or known.get(code, code),
            line=dict(color=color, width=1.5, dash="dot"),
            marker=dict(size=12, color=color, symbol=["circle-open" if o else "circle" for o in open_marker], line=dict(width=2, color=color)),
            customdata=list(zip(rows["date"], rows["what_id"])),
            hovertemplate="%{customdata[0]}<br>%{y}<br>%{customdata[1]}<extra>" + (names.get(code) or known.get(code, code)) + "</extra>",
        )
    order = [labels[s] for s in programme.stages["id"]]
    wrapped = {label: lines(label, LABEL_WIDTH) for label in order}
    for trace in fig.data:
        trace.y = [wrapped.get(y, y) for y in trace.y]
    fig.update_yaxes(categoryorder="array", categoryarray=[wrapped[o] for o in order], type="category", range=[-0.5, len(order) - 0.5])
    fig.update_xaxes(type="date", nticks=6)
    fig.update_layout(hovermode="closest")
    return layout(fig, t("journey.chart", lang), t("journey.chart_source", lang), max(44, label_rows(order)) * len(order), left=label_margin(order),
                  legend_rows=len(fig.data))
