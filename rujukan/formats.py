"""Small formats shared by the stores, the data and the records: cleaned text, dates, UTC time
stamps and spreadsheet-safe CSV."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by safe_csv itself: parsing records needs none of it
    import pandas as pd

#: Bidirectional overrides/isolates: invisible, and they can make a stored text read differently.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
#: YYYY, YYYY-MM or YYYY-MM-DD, optionally prefixed "~" (approximate).
PARTIAL_DATE = re.compile(r"^(~)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FIRST_YEAR, LAST_YEAR = 1900, 2100
#: A text cell starting with one of these runs as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text: Any, limit: int, keep_newlines: bool = False) -> str:
    """Strip control and bidi-override characters and cap the length; the rest is kept verbatim."""
    text = str(text).translate(_BIDI)
    allowed = "\n\t" if keep_newlines else ""
    text = "".join(
        ch if (ch in allowed or unicodedata.category(ch) != "Cc") else ("" if ch in "\x00\x7f" else " ")
        for ch in text.replace("\r\n", "\n")
    )
    return text.strip()[:limit]


def iso_date(value: dt.date | str | None) -> dt.date | None:
    """A calendar date from a date, a datetime or 'YYYY-MM-DD'; None or "" is None.

    Raises ValueError for anything else; the caller says which date it was in its own error.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def partial_date(text: str, approximate: bool = True) -> tuple[dt.date, dt.date, bool] | None:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (with a leading '~' when `approximate` allows it) as
    (first day, last day, approximate); None when the text is not such a date in 1900–2100."""
    match = PARTIAL_DATE.match(text)
    if not match or (match.group(1) and not approximate):
        return None
    tilde, year, month, day = match.groups()
    try:
        if day:
            start = end = dt.date(int(year), int(month), int(day))
        elif month:
            start = dt.date(int(year), int(month), 1)
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        else:
            start, end = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    except ValueError:
        return None
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        return None
    return start, end, bool(tilde)


def utc_stamp(moment: dt.datetime | None = None) -> str:
    """A moment (default: now) as UTC ISO 8601 text to the second: 2024-05-31T08:15:00Z."""
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _neutralise(cell: Any) -> Any:
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def safe_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV in which no text cell (or header) can run as a spreadsheet formula.

    Text starting with = + - @ tab or CR gets a leading single quote; numbers stay numbers.
    Lines end in CRLF, as spreadsheets expect, which also makes every CR or LF inside a cell quoted.
    """
    import pandas as pd

    out = df.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])):
            out[column] = out[column].astype(object).map(_neutralise)
    out.columns = [_neutralise(str(c)) for c in out.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def number(value: Any, lang: str = "id", decimals: int | None = None, unknown: str = "") -> str:
    """A figure as people read it: Indonesian 1.442,5 and English 1,442.5; at most `decimals`
    decimals (default: as many as the value has, up to 2), no trailing zeros; `unknown` for a
    missing value (None, NaN, pandas' NA or an empty string)."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return unknown
    if f != f or f in (float("inf"), float("-inf")):
        return unknown
    places = 2 if decimals is None else decimals
    text = f"{f:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


#: Characters an address must carry percent-encoded: they would end or open a Markdown link (and quotes an HTML attribute).
_URL_UNSAFE = re.compile(r"[\s()\[\]<>\"'`\\]")


def url_problem(url: str) -> str:
    """What is wrong with a source address ("" when it is a plain http(s) address): it must parse
    with an http(s) scheme and a host, and carry no whitespace, brackets, angle brackets or quotes
    unencoded (write %28 for "(" and so on)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"{url!r} is not an address ({exc})"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http(s) address"
    bad = _URL_UNSAFE.search(url)
    if bad:
        return f"{url!r} has {bad.group()!r} unencoded; percent-encode it (for example ( as %28, ) as %29, a space as %20)"
    return ""


def write_atomically(path: Path, data: bytes) -> Path:
    """Write a file so that a reader (or a crash) sees the old content or the new, never a part:
    a temporary file beside it, flushed to disk, then os.replace. OSError as the system gives it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
