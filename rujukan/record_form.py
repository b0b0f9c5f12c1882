"""The structured editor (issue 13 §2): a practice record as the values of a form, and back.

from_text reads a record's Markdown into FormValues: the front-matter fields as texts and lists,
the sources and the visiting regions as rows, the body sections by key in the schema's order.
to_text writes them back in the style of knowledge/practices/*.md (their field order, quoting
and list styles). A field whose value did not change is written as its original lines, so a
save through the form changes only what was edited; the fields the form does not show
(verified_by, fields the schema does not know) and any text before the first section heading
are carried over untouched. verified_against is held but not shown: it changes only when
deleting a source renumbers the sources (renumber_sources), as the citations do. A text the form cannot show without changing it
(YAML that does not parse, an unknown or repeated heading, a value of another type) raises
FormError: the page then offers the Markdown text only.

problems_by_field places the validator's problems (rujukan.practices) on the form's fields; the
checks themselves, citations included, stay in the validator.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field, fields
from typing import Any

import yaml

from .errors import RujukanError
from .practices import CITATION_PATTERN, FRONT_MATTER, LIST_FIELDS, cited_numbers
from .vocabulary import SECTION_BY_KEY, SECTIONS, UNKNOWN_TEXT

#: The front matter's fields in the order the records write them.
ORDER = ("id", "title", "title_en", "summary", "summary_en", "region", "dimensions", "agency", "started", "ended", "status", "legal_basis",
         "budget", "keywords", "related", "replicated_by", "uncertain", "sources", "last_verified", "verified_by", "verified_against")
TEXT_FIELDS = ("id", "title", "title_en", "summary", "summary_en", "agency", "started", "ended", "status", "budget", "last_verified")
#: The front-matter fields the form shows; every other field is carried over as it is.
FORM_FIELDS = (*TEXT_FIELDS, *LIST_FIELDS, "region", "sources", "replicated_by", "verified_against")
SOURCE_COLUMNS = ("url", "title", "publisher", "date")
VISIT_COLUMNS = ("region", "date", "what", "source")
TABLES = ("sources", "replicated_by")
SECTION_KEYS = tuple(SECTION_BY_KEY)
#: Lists the form edits one item per line (the others are chosen from their allowed values).
LINE_LISTS = ("legal_basis", "keywords")
KEDIRI = ("3571", "Kota Kediri")

_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|$)")
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t]*$", re.MULTILINE)
#: Characters YAML does not take raw in a double-quoted text (or reads as a line break): written as \\u escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_FIELD = re.compile(r"^(sources|replicated_by)(?:\[(\d+)\](?:\.([a-z_]+))?)?$")
_SECTION_FIELD = re.compile(r"^section '(.+)'$")
_MISSING_SOURCE = re.compile(r"^citation \[(\d+)\]")  # the validator's words for a citation without its source


class FormError(RujukanError):
    """The text cannot be shown in the form without changing it; the message says why."""


@dataclass
class SourceRow:
    url: str = ""
    title: str = ""
    publisher: str = ""
    date: str = ""


@dataclass
class VisitRow:
    region: str = ""
    date: str = ""
    what: str = ""
    source: int | None = None


@dataclass(frozen=True)
class Layout:
    """How the text the values came from was written, so that to_text can keep what did not change."""

    text: str
    opening: str  # the opening '---' line
    closing: str  # from the end of the front matter to the start of the body
    preamble: str  # front-matter lines before the first field (comments)
    order: tuple[str, ...]  # the fields in their order
    meta: dict[str, Any]  # the parsed front matter
    segments: dict[str, str] | None  # each field's own lines; None when the front matter cannot be cut per field
    body: str
    body_preamble: str  # the body before its first heading
    chunks: dict[str, tuple[str, str]]  # section key -> (its text as written, heading included; its text stripped)


@dataclass
class FormValues:
    """What the form shows: front-matter fields as texts and lists, sources and visits as rows,
    sections by key ("" when the section is absent)."""

    id: str = ""
    title: str = ""
    title_en: str = ""
    summary: str = ""
    summary_en: str = ""
    region_code: str = ""
    region_name: str = ""
    dimensions: list[str] = field(default_factory=list)
    agency: str = ""
    started: str = ""
    ended: str = ""
    status: str = ""
    legal_basis: list[str] = field(default_factory=list)
    budget: str = ""
    keywords: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    replicated_by: list[VisitRow] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    last_verified: str = ""
    verified_against: list[int] | None = None  # not shown; None when the record does not have the field
    sections: dict[str, str] = field(default_factory=lambda: dict.fromkeys(SECTION_KEYS, ""))
    layout: Layout | None = field(default=None, compare=False, repr=False)


def new_record(practice_id: str = "") -> FormValues:
    """The form for a new practice: Kota Kediri, status unknown, every other field empty (unknown),
    and the required sections written as unknown."""
    sections = {key: (UNKNOWN_TEXT if SECTIONS[SECTION_BY_KEY[key]][1] else "") for key in SECTION_KEYS}
    return FormValues(id=practice_id, region_code=KEDIRI[0], region_name=KEDIRI[1], status="unknown", sections=sections)


# ------------------------------------------------------------------ reading


def from_text(text: str) -> FormValues:
    """A record's Markdown as form values (with its layout, for to_text); FormError when the form
    cannot show it as it is."""
    text = text.replace("\r\n", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        raise FormError("the text does not start with '---', YAML fields and a closing '---'")
    front, body = match.group(1), match.group(2)
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        raise FormError(f"the front matter's YAML does not parse ({getattr(exc, 'problem', exc)})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict) or not all(isinstance(k, str) for k in meta):
        raise FormError("the front matter is not a mapping of field: value")
    preamble, order, segments = _segments(front, meta)
    body_preamble, chunks = _chunks(body)
    layout = Layout(text=text, opening=text[:match.start(1)], closing=text[match.end(1):match.start(2)], preamble=preamble, order=order,
                    meta=meta, segments=segments, body=body, body_preamble=body_preamble, chunks=chunks)
    region = _mapping(meta, "region", ("code", "name"))
    values = FormValues(
        **{key: _text(meta, key) for key in TEXT_FIELDS},  # type: ignore[arg-type]
        **{key: _list(meta, key) for key in LIST_FIELDS},  # type: ignore[arg-type]
        region_code=_cell_text(region.get("code"), "region.code"), region_name=_cell_text(region.get("name"), "region.name"),
        sources=[SourceRow(**{c: _cell_text(row.get(c), f"sources[{n}].{c}") for c in SOURCE_COLUMNS})
                 for n, row in enumerate(_rows(meta, "sources", SOURCE_COLUMNS), start=1)],
        replicated_by=[_visit(row, n) for n, row in enumerate(_rows(meta, "replicated_by", VISIT_COLUMNS), start=1)],
        verified_against=_numbers(meta, "verified_against"),
        sections={key: chunks[key][1] if key in chunks else "" for key in SECTION_KEYS},
        layout=layout,
    )
    # The guard: what the form holds, written out afresh, must read back as the text it came from.
    if _normalised(yaml.safe_load(_front(values, keep=False)) or {}) != _normalised(meta):
        raise FormError("the form cannot hold the front matter as it is written")
    return values


def _segments(front: str, meta: dict[str, Any]) -> tuple[str, tuple[str, ...], dict[str, str] | None]:
    """The lines before the first field, the fields in order, and each field's own lines (None when
    the front matter does not cut into fields that each read back as their value)."""
    lines = front.split("\n")
    preamble: list[str] = []
    cut: list[tuple[str, list[str]]] = []
    for line in lines:
        found = _KEY_LINE.match(line)
        if found:
            cut.append((found.group(1), [line]))
        elif cut:
            cut[-1][1].append(line)
        else:
            preamble.append(line)
    order = tuple(key for key, _ in cut)
    segments = {key: "\n".join(seg) for key, seg in cut}
    fits = len(set(order)) == len(order) == len(meta) and set(order) == set(meta)
    if fits:
        for key, seg in segments.items():
            try:
                if yaml.safe_load(seg) != {key: meta[key]}:
                    fits = False
            except yaml.YAMLError:
                fits = False
    if not fits:
        return "\n".join(preamble) + ("\n" if preamble else ""), tuple(k for k in ORDER if k in meta) + tuple(k for k in meta if k not in ORDER), None
    return "".join(line + "\n" for line in preamble), order, segments


def _chunks(body: str) -> tuple[str, dict[str, tuple[str, str]]]:
    found = list(_HEADING.finditer(body))
    chunks: dict[str, tuple[str, str]] = {}
    last = -1
    for i, heading in enumerate(found):
        name = heading.group(1)
        if name not in SECTIONS:
            raise FormError(f"the section heading '## {name}' is not one of the record's sections ({', '.join(SECTIONS)})")
        key = SECTIONS[name][0]
        position = SECTION_KEYS.index(key)
        if position <= last:
            raise FormError(f"the section '## {name}' is repeated or out of order")
        last = position
        end = found[i + 1].start() if i + 1 < len(found) else len(body)
        chunks[key] = (body[heading.start():end], body[heading.end():end].strip())
    return body[:found[0].start()] if found else body, chunks


def _text(meta: dict[str, Any], key: str) -> str:
    return _cell_text(meta.get(key), key)


def _cell_text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FormError(f"{where} is {_kind(value)} {value!r}; the form shows it only as quoted text (correct it in the Markdown text)")
    return value


def _kind(value: Any) -> str:
    return {"date": "a date", "datetime": "a date", "int": "a number", "float": "a number", "bool": "yes/no", "list": "a list",
            "dict": "a mapping"}.get(type(value).__name__, type(value).__name__)


def _list(meta: dict[str, Any], key: str) -> list[str]:
    value = meta.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormError(f"{key} is not a list of texts; the form shows it only as one (correct it in the Markdown text)")
    if key in LINE_LISTS and any(not v.strip() or v != v.strip() or "\n" in v for v in value):
        raise FormError(f"{key} has an empty item, or one with spaces around it or a line break; the form shows one item per line")
    return list(value)


def _mapping(meta: dict[str, Any], key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    value = meta.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict) or not set(value) <= set(allowed):
        raise FormError(f"{key} is not a mapping of {', '.join(allowed)}; the form shows only those")
    return value


def _rows(meta: dict[str, Any], key: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    value = meta.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(row, dict) and set(row) <= set(columns) for row in value):
        raise FormError(f"{key} is not a list of rows {{{', '.join(columns)}}}; the form shows only those")
    return value


def _numbers(meta: dict[str, Any], key: str) -> list[int] | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        raise FormError(f"{key} is not a list of source numbers (correct it in the Markdown text)")
    return list(value)


def _visit(row: dict[str, Any], n: int) -> VisitRow:
    source = row.get("source")
    if source is not None and (not isinstance(source, int) or isinstance(source, bool)):
        raise FormError(f"replicated_by[{n}].source is {_kind(source)} {source!r}; the form shows a source number only")
    region, date, what = (_cell_text(row.get(c), f"replicated_by[{n}].{c}") for c in ("region", "date", "what"))
    return VisitRow(region, date, what, source)


# ------------------------------------------------------------------ writing


def to_text(values: FormValues) -> str:
    """The record's Markdown: YAML front matter in the records' field order and style, then the
    sections in the schema's order. What did not change since from_text is written as it was."""
    layout = values.layout
    opening, closing = (layout.opening, layout.closing) if layout else ("---\n", "\n---\n")
    return opening + _front(values, keep=True) + closing + _body(values)


def yaml_values(values: FormValues) -> dict[str, Any]:
    """The front-matter fields the form shows, as the YAML values to_text writes."""
    out: dict[str, Any] = {key: getattr(values, key) for key in TEXT_FIELDS}
    out.update({key: list(getattr(values, key)) for key in LIST_FIELDS})
    out["region"] = {"code": values.region_code, "name": values.region_name}
    out["sources"] = [{c: getattr(row, c) for c in SOURCE_COLUMNS} for row in values.sources]
    out["replicated_by"] = [{c: getattr(row, c) for c in VISIT_COLUMNS if c != "source" or row.source is not None} for row in values.replicated_by]
    if values.verified_against is not None:
        out["verified_against"] = list(values.verified_against)
    return out


def _front(values: FormValues, keep: bool) -> str:
    """The front matter without its '---' lines; `keep`: unchanged fields as their original lines."""
    layout = values.layout
    new = yaml_values(values)
    meta = layout.meta if layout else {}
    keys = list(layout.order) if layout else [k for k in ORDER if k in new]
    for key in (k for k in ORDER if k in new and k not in keys and not _empty(new[k])):  # a field the text did not have yet
        at = max((i + 1 for i, k in enumerate(keys) if k in ORDER and ORDER.index(k) < ORDER.index(key)), default=0)
        keys.insert(at, key)
    parts = []
    for key in keys:
        value = new[key] if key in new else meta[key]
        same = key not in new or _normal_value(key, value) == _normal_value(key, meta.get(key))
        if keep and same and layout is not None and layout.segments is not None:
            parts.append(layout.segments[key])
        else:
            parts.append(_emit(key, value))
    return (layout.preamble if layout else "") + "\n".join(parts)


def _body(values: FormValues) -> str:
    layout = values.layout
    chunks = layout.chunks if layout else {}
    parts: list[str] = []
    for key in SECTION_KEYS:
        text = values.sections.get(key, "").replace("\r\n", "\n").strip()
        if key in chunks and chunks[key][1] == text:
            parts.append(chunks[key][0])
        elif text:
            parts.append(f"## {SECTION_BY_KEY[key]}\n\n{text}\n")
    if layout is not None and parts == [chunk for chunk, _ in chunks.values()]:
        return layout.body
    out = layout.body_preamble if layout else "\n"
    for i, part in enumerate(parts):
        if i and not out.endswith("\n\n"):
            out += "\n" if out.endswith("\n") else "\n\n"
        out += part
    return out.rstrip("\n") + "\n" if parts else out


def _empty(value: Any) -> bool:
    return value in ("", [], None) or value == {"code": "", "name": ""}


def _emit(key: str, value: Any) -> str:
    """One field in the records' style; any value the style cannot write exactly is written by YAML itself."""
    written = _styled(key, value)
    try:
        if written is not None and yaml.safe_load(written) == {key: value}:
            return written
    except yaml.YAMLError:
        pass
    return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=None).rstrip("\n")


def _styled(key: str, value: Any) -> str | None:
    if key in ("summary", "summary_en") and isinstance(value, str):
        return _folded(key, value)
    if key in ("agency", "started", "ended", "budget", "last_verified", "verified_by") and isinstance(value, str):
        return f"{key}: {quoted(value)}"
    if key in ("id", "title", "title_en", "status") and isinstance(value, str):
        return f"{key}: {_plain(value)}"
    if key == "region" and isinstance(value, dict):
        return f"{key}: {{code: {quoted(value.get('code', ''))}, name: {_plain(value.get('name', ''), flow=True)}}}"
    if not isinstance(value, list):
        return None
    if not value:
        return f"{key}: []"
    if key in ("dimensions", "related", "uncertain"):
        return f"{key}: [{', '.join(_plain(v, flow=True) for v in value)}]"
    if key == "keywords":
        return f"{key}:\n" + "\n".join(f"  - {_plain(v)}" for v in value)
    if key == "legal_basis":
        return f"{key}: [{quoted(value[0])}]" if len(value) == 1 else f"{key}:\n" + "\n".join(f"  - {quoted(v)}" for v in value)
    if key == "sources":
        return f"{key}:\n" + "\n".join("  - {" + ", ".join(f"{c}: {quoted(row.get(c, ''))}" for c in SOURCE_COLUMNS) + "}" for row in value)
    if key == "replicated_by":
        def visit(row: dict[str, Any]) -> str:
            cells = [f"region: {_plain(row.get('region', ''), flow=True)}", f"date: {quoted(row.get('date', ''))}", f"what: {quoted(row.get('what', ''))}"]
            return "  - {" + ", ".join(cells + ([f"source: {row['source']}"] if row.get("source") is not None else [])) + "}"
        return f"{key}:\n" + "\n".join(visit(row) for row in value)
    if key == "verified_against":
        return f"{key}: {json.dumps(value)}"
    return None


def quoted(text: str) -> str:
    """A text as a YAML double-quoted scalar (JSON's escapes, which YAML reads the same)."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(str(text), ensure_ascii=False))


def _plain(text: str, flow: bool = False) -> str:
    """A text unquoted where YAML reads it back as the same text (in a [list] or {mapping} when `flow`), else quoted."""
    if not text or text != text.strip() or "\n" in text:
        return quoted(text)
    try:
        same = yaml.safe_load(f"k: [{text}]" if flow else f"k: {text}") == {"k": [text] if flow else text}
    except yaml.YAMLError:
        same = False
    return text if same else quoted(text)


def _folded(key: str, text: str, width: int = 92) -> str:
    """A long text as a folded block (`>-`) wrapped at `width`, as the records write their summaries."""
    if not text:
        return f'{key}: ""'
    if "\n" in text or text != text.strip() or "  " in text or "\t" in text:
        return f"{key}: {quoted(text)}"
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width + (8 if word.startswith("[") else 0):  # a citation stays by its word
            lines[-1] += " " + word
        else:
            lines.append(word)
    return f"{key}: >-\n" + "\n".join(f"  {line}" for line in lines)


def _normal_value(key: str, value: Any) -> Any:
    """A field's value as the validator reads it: a missing text is "", a missing list [], a row's missing cell ""."""
    if key in TEXT_FIELDS:
        return "" if value is None else value
    if key in LIST_FIELDS or key == "verified_against":
        return [] if value is None else value
    if key == "region":
        return {"code": "", "name": "", **value} if isinstance(value, dict) else ({"code": "", "name": ""} if value is None else value)
    if key in TABLES:
        if value is None:
            return []
        if isinstance(value, list):
            blank = {c: ("" if c != "source" else None) for c in (SOURCE_COLUMNS if key == "sources" else VISIT_COLUMNS)}
            return [{**blank, **row} if isinstance(row, dict) else row for row in value]
    return value


def _normalised(meta: dict[str, Any]) -> dict[str, Any]:
    keys = set(meta) | set(FORM_FIELDS)
    out = {key: _normal_value(key, meta.get(key)) for key in keys}
    return {key: value for key, value in out.items() if key in meta or not _empty(value) and value != []}


# ------------------------------------------------------------------ deleting a source


class CitedSource(FormError):
    """A deleted source is still cited; `cited` maps its number to the form fields that cite it."""

    def __init__(self, cited: dict[int, list[str]]) -> None:
        self.cited = cited
        said = "; ".join(f"source {n} is cited in {', '.join(where)}" for n, where in cited.items())
        super().__init__(f"{said}: remove those citations before the source")


def citing(values: FormValues) -> dict[int, list[str]]:
    """Every source number the record cites, with the form fields that cite it (texts, and the visits' source numbers)."""
    texts = {"summary": values.summary, "summary_en": values.summary_en, "budget": values.budget,
             **{f"sections.{k}": v for k, v in values.sections.items()}}
    found: dict[int, list[str]] = {}
    for name, text in texts.items():
        for number in sorted(cited_numbers(text)):
            found.setdefault(number, []).append(name)
    for i, row in enumerate(values.replicated_by, start=1):
        if row.source is not None:
            found.setdefault(row.source, []).append(f"replicated_by[{i}].source")
    return found


def renumber_sources(values: FormValues, kept: list[int | None], before: int) -> FormValues:
    """The values once rows of the sources table were deleted: `kept` is each remaining row's number
    before (None for a row just added), `before` how many rows there were. Every citation [n], each
    visit's source and verified_against follow their source to its new number, so no fact changes
    its source. CitedSource (nothing changed) when a deleted source is still cited."""
    moved = {old: new for new, old in enumerate(kept, start=1) if old is not None}
    gone = set(range(1, before + 1)) - set(moved)
    cited = {n: where for n, where in citing(values).items() if n in gone}
    if cited:
        raise CitedSource(dict(sorted(cited.items())))

    def renumbered(text: str) -> str:
        return CITATION_PATTERN.sub(lambda m: re.sub(r"\d+", lambda n: str(moved.get(int(n.group()), int(n.group()))), m.group()), text)

    return dataclasses.replace(
        values, summary=renumbered(values.summary), summary_en=renumbered(values.summary_en), budget=renumbered(values.budget),
        sections={k: renumbered(v) for k, v in values.sections.items()},
        replicated_by=[dataclasses.replace(row, source=moved.get(row.source, row.source) if row.source is not None else None)
                       for row in values.replicated_by],
        verified_against=None if values.verified_against is None else [moved[n] for n in values.verified_against if n in moved])


# ------------------------------------------------------------------ the page's tables and lists


def lines(text: str) -> list[str]:
    """A one-item-per-line text area as a list (blank lines dropped)."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def source_rows(records: list[dict[str, Any]]) -> list[SourceRow]:
    """The sources table's rows (cells as a table editor gives them: None or NaN when empty). A row left
    empty is kept, as it is in the text: the validator names it, and dropping it would renumber the sources."""
    return [SourceRow(**{c: _cell(record.get(c)) for c in SOURCE_COLUMNS}) for record in records]


def visit_rows(records: list[dict[str, Any]]) -> list[VisitRow]:
    """The visiting regions' rows (kept even when empty, as source_rows); the source cell as a whole number (None when empty)."""
    rows = []
    for record in records:
        number = record.get("source")
        if number is None or _cell(number) == "":
            source = None
        else:
            try:
                source = int(float(number))
            except (TypeError, ValueError):
                source = None
        rows.append(VisitRow(_cell(record.get("region")), _cell(record.get("date")), _cell(record.get("what")), source))
    return rows


def table_records(rows: list[SourceRow] | list[VisitRow]) -> list[dict[str, Any]]:
    return [{f.name: getattr(row, f.name) for f in fields(row)} for row in rows]


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType":
        return ""
    return str(value)


# ------------------------------------------------------------------ problems on the form


def form_field(problem_field: str) -> str:
    """The form field a validator problem names ("" when the form does not show it): a front-matter
    field, "region.code", "sources[2].url" (row 2, column url), "sections.problem"."""
    if problem_field in TEXT_FIELDS or problem_field in LIST_FIELDS or problem_field in ("region", "region.code", "region.name"):
        return problem_field
    if _FIELD.match(problem_field):
        return problem_field
    heading = _SECTION_FIELD.match(problem_field)
    if heading and heading.group(1) in SECTIONS:
        return f"sections.{SECTIONS[heading.group(1)][0]}"
    return ""


def table_cell(name: str) -> tuple[str, int | None, str | None] | None:
    """A form field of a table as (table, row, column): "sources[2].url" -> ("sources", 2, "url"); None for other fields."""
    found = _FIELD.match(name)
    if not found:
        return None
    return found.group(1), int(found.group(2)) if found.group(2) else None, found.group(3)


def problems_by_field(problems: list, values: FormValues | None = None) -> dict[str, list[str]]:
    """The validator's problems (rujukan.practices.Problem) by the form field they name; "" holds
    those that name no field of the form. With `values`, a citation without its source is placed
    under each field that cites it (the summary, the budget, a section, a visit's source)."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        where = [form_field(problem.field)]
        missing = _MISSING_SOURCE.match(problem.message)
        if values is not None and problem.field == "sources" and missing:
            where = citing(values).get(int(missing.group(1))) or where
        for name in where:
            placed.setdefault(name, []).append(problem.message)
    return placed
