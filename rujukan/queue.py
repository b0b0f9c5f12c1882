"""The curators' queue (issue 13 §4): what in the knowledge base most needs a person.

Four kinds of item, each pointing at the practice (and source) it is about:
- STALE: a record not checked against its sources for more than `stale_days` (RUJUKAN_STALE_DAYS);
- SOURCE: a source with no date or no title as published;
- UNKNOWN: a record whose facts are mostly unknown (agency, start, legal basis, budget, and the
  body sections written "Tidak diketahui.");
- UNANSWERED: questions people asked that had no good answer (from the question log).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .formats import iso_date
from .practices import KnowledgeBase, Practice
from .vocabulary import UNKNOWN_TEXT

STALE, SOURCE, UNKNOWN, UNANSWERED = "stale", "source", "unknown", "unanswered"
KINDS = (STALE, SOURCE, UNKNOWN, UNANSWERED)
#: A record unchecked for longer than this is flagged (the default of RUJUKAN_STALE_DAYS).
STALE_DAYS = 365
#: A record with at least this share of its facts unknown is queued.
MOSTLY_UNKNOWN = 0.5
#: The facts counted for MOSTLY_UNKNOWN besides the body sections.
FACTS = ("agency", "started", "legal_basis", "budget")


@dataclass(frozen=True)
class Item:
    kind: str  # one of KINDS
    practice_id: str  # "" for a question
    detail: str  # the date last checked, the source number, the share unknown, or the question
    count: int = 1  # for a question: how often it was asked


def age_days(practice: Practice, today: dt.date) -> int | None:
    """Days since the record was last checked, or None when its date cannot be read."""
    try:
        checked = iso_date(practice.last_verified)
    except ValueError:
        return None
    return None if checked is None else (today - checked).days


def is_stale(practice: Practice, today: dt.date, stale_days: int = STALE_DAYS) -> bool:
    age = age_days(practice, today)
    return age is None or age > stale_days


def unknown_share(practice: Practice) -> float:
    """The share of the counted facts and body sections that the record says are unknown."""
    facts = [bool(getattr(practice, name)) for name in FACTS]
    sections = [s.text.strip() != UNKNOWN_TEXT for s in practice.sections]
    known = facts + sections
    return 1 - sum(known) / len(known) if known else 1.0


def build(kb: KnowledgeBase, today: dt.date, stale_days: int = STALE_DAYS, unanswered: pd.DataFrame | None = None) -> list[Item]:
    """Every item, most pressing kind first: stale records (oldest first), sources missing a date or
    title, mostly unknown records, then unanswered questions (most asked first)."""
    items: list[Item] = []
    practices = sorted(kb.practices, key=lambda p: p.id)
    stale = [(age_days(p, today), p) for p in practices if is_stale(p, today, stale_days)]
    items += [Item(STALE, p.id, p.last_verified) for _age, p in sorted(stale, key=lambda a: -(a[0] if a[0] is not None else 10**6))]
    items += [Item(SOURCE, p.id, str(s.number)) for p in practices for s in p.sources if not s.date or not s.title]
    items += [Item(UNKNOWN, p.id, f"{unknown_share(p):.0%}") for p in practices if unknown_share(p) >= MOSTLY_UNKNOWN]
    if unanswered is not None and not unanswered.empty:
        items += [Item(UNANSWERED, "", str(row["question"]), int(row["count"])) for row in unanswered.to_dict("records")]
    return items
