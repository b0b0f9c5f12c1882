"""The practice record: parse and validate knowledge/practices/*.md.

A record is YAML front matter (what people filter on) and Markdown body sections (the story).
Validation collects every problem with its file and field instead of stopping at the first,
so a curator can fix a record in one pass and the app can still show the valid ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .formats import partial_date, url_problem
from .i18n import t
from .vocabulary import DIMENSIONS, SECTIONS, STATUSES, UNKNOWN_TEXT

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CITATION_PATTERN = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)

REQUIRED_TEXT = ("id", "title", "title_en", "summary", "summary_en", "status", "last_verified")
OPTIONAL_TEXT = ("agency", "started", "ended", "budget")
LIST_FIELDS = ("dimensions", "legal_basis", "keywords", "related", "uncertain")
KNOWN_FIELDS = set(REQUIRED_TEXT + OPTIONAL_TEXT + LIST_FIELDS) | {"region", "sources", "replicated_by", "verified_by", "verified_against"}
#: Size caps, chosen on the 15 records (largest file 14.6 KB; longest section 223 words, 1,601
#: characters) with ample room: a record beyond them is a mistake (a pasted document), not a practice.
MAX_RECORD_BYTES = 100_000
MAX_SECTION_WORDS, MAX_SECTION_CHARS = 3_000, 25_000
#: The regions a record may name: the BPS table the region data is built into (rujukan.regions reads it
#: with pandas for the comparisons; the records are checked against the same file, read with csv).
REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record, located by file and field."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Source:
    number: int
    url: str
    title: str  # the title as the source published it; "" when that is not known (never composed)
    publisher: str
    date: str


def source_name(source: Source, lang: str = "id") -> str:
    """How a source is named to a person: its title as published; when that is not known, its
    publisher and the label saying the title is unknown (never a title made from its address)."""
    if source.title:
        return source.title
    unknown = t("source.title_unknown", lang)
    return f"{source.publisher} ({unknown})" if source.publisher else unknown


@dataclass(frozen=True)
class Visit:
    """A region that studied or copied the practice."""

    region: str
    date: str
    what: str
    source: int


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    text: str


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    title_en: str
    summary: str
    summary_en: str
    region_code: str
    region_name: str
    dimensions: tuple[str, ...]
    agency: str
    started: str
    ended: str
    status: str
    legal_basis: tuple[str, ...]
    budget: str
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    replicated_by: tuple[Visit, ...]
    uncertain: tuple[str, ...]
    sources: tuple[Source, ...]
    last_verified: str
    sections: tuple[Section, ...]
    path: Path
    content_hash: str = field(repr=False)
    verified_by: str = ""  # who last checked the record against its sources ("" when not said)
    verified_against: tuple[int, ...] = ()  # the numbers of the sources it was checked against

    @property
    def start_year(self) -> int | None:
        return int(self.started[:4]) if self.started else None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def source(self, number: int) -> Source | None:
        return self.sources[number - 1] if 1 <= number <= len(self.sources) else None


@dataclass
class KnowledgeBase:
    """The practices that loaded, and the problems of those that did not."""

    practices: list[Practice]
    problems: list[Problem]

    def by_id(self) -> dict[str, Practice]:
        return {p.id: p for p in self.practices}

    def get(self, practice_id: str) -> Practice | None:
        return self.by_id().get(practice_id)

    def regions(self) -> dict[str, str]:
        """The reference regions: BPS code -> name of every region with at least one record, by name."""
        return dict(sorted({(p.region_code, p.region_name) for p in self.practices}, key=lambda pair: (pair[1], pair[0])))


def load_knowledge(practices_dir: Path) -> KnowledgeBase:
    """Load every record; a record with problems is left out and its problems reported."""
    files = sorted(practices_dir.glob("*.md")) if practices_dir.is_dir() else []
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(str(practices_dir), "-", "no practice records (*.md) found"))
    loaded: list[Practice] = []
    for path in files:
        practice, found = parse_practice(path)
        problems.extend(found)
        if practice is not None and not found:
            loaded.append(practice)
    problems.extend(related_problems(loaded, {path.stem for path in files}))
    bad_files = {p.file for p in problems}
    return KnowledgeBase([p for p in loaded if str(p.path) not in bad_files], problems)


def related_problems(practices: list[Practice], known_ids: set[str]) -> list[Problem]:
    """The checks that need every record's id: each `related` must name a known practice. Ids are
    unique because each must equal its file name."""
    return [
        Problem(str(p.path), "related", f"no practice has the id {rel!r}")
        for p in practices
        for rel in p.related
        if rel not in known_ids
    ]


def parse_practice(path: Path) -> tuple[Practice | None, list[Problem]]:
    """Parse one record; return it (or None when unreadable) and every problem found."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            return None, [Problem(name, "-", f"the file is {size:,} bytes; a record may be at most {MAX_RECORD_BYTES:,} bytes "
                                             "(attach long documents as documents, not as record text)")]
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, "-", f"cannot read the file as UTF-8 text ({exc})")]
    match = FRONT_MATTER.match(text)
    if not match:
        return None, [Problem(name, "front matter", "the file must start with '---', YAML fields, and a closing '---'")]
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        return None, [Problem(name, "front matter", f"YAML does not parse{line}: {getattr(exc, 'problem', exc)}")]
    if not isinstance(meta, dict):
        return None, [Problem(name, "front matter", "must be a YAML mapping of field: value")]

    problems: list[Problem] = []

    def problem(field_name: str, message: str) -> None:
        problems.append(Problem(name, field_name, message))

    for key in sorted(set(meta) - KNOWN_FIELDS, key=str):
        problem(str(key), "unknown field (see knowledge/README.md for the fields)")
    text_values = {key: _text(meta, key, True, problem) for key in REQUIRED_TEXT}
    text_values.update({key: _text(meta, key, False, problem) for key in OPTIONAL_TEXT})
    lists = {key: _string_list(meta, key, problem) for key in LIST_FIELDS}

    practice_id = text_values["id"]
    if practice_id and not ID_PATTERN.match(practice_id):
        problem("id", f"{practice_id!r} must be kebab-case: lower-case letters, digits and hyphens")
    if practice_id and practice_id != path.stem:
        problem("id", f"{practice_id!r} must equal the file name {path.stem!r}")
    if not lists["dimensions"]:
        problem("dimensions", f"list at least one of: {', '.join(DIMENSIONS)}")
    for dim in lists["dimensions"]:
        if dim not in DIMENSIONS:
            problem("dimensions", f"{dim!r} is not a dimension; use one of: {', '.join(DIMENSIONS)}")
    status = text_values["status"]
    if status and status not in STATUSES:
        problem("status", f"{status!r} is not a status; use one of: {', '.join(STATUSES)}")
    for key in ("started", "ended", "last_verified"):
        if text_values[key] and not _valid_date(text_values[key], approximate=False):
            problem(key, f"{text_values[key]!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    for key in lists["uncertain"]:
        if key not in KNOWN_FIELDS:
            problem("uncertain", f"{key!r} is not a field of the record")

    region_code, region_name = _region(meta.get("region"), problem)
    sources = _sources(meta.get("sources"), problem)
    verified_by = _text(meta, "verified_by", False, problem)
    verified_against = _source_numbers(meta.get("verified_against"), len(sources), problem)
    visits = _visits(meta.get("replicated_by"), problem)
    sections = _sections(match.group(2), problem)
    cited = cited_numbers(" ".join([text_values["summary"], text_values["budget"]] + [s.text for s in sections]))
    cited |= {v.source for v in visits}
    for number in sorted(cited):
        if not 1 <= number <= len(sources):
            problem("sources", f"citation [{number}] has no source {number} (there are {len(sources)})")
    for src in sources:
        if src.number not in cited:
            problem(f"sources[{src.number}]", f"source {src.number} ({src.url}) is never cited")

    if problems:
        return None, problems
    return Practice(
        id=practice_id,
        title=text_values["title"],
        title_en=text_values["title_en"],
        summary=text_values["summary"],
        summary_en=text_values["summary_en"],
        region_code=region_code,
        region_name=region_name,
        dimensions=tuple(lists["dimensions"]),
        agency=text_values["agency"],
        started=text_values["started"],
        ended=text_values["ended"],
        status=status,
        legal_basis=tuple(lists["legal_basis"]),
        budget=text_values["budget"],
        keywords=tuple(lists["keywords"]),
        related=tuple(lists["related"]),
        replicated_by=tuple(visits),
        uncertain=tuple(lists["uncertain"]),
        sources=tuple(sources),
        last_verified=text_values["last_verified"],
        sections=tuple(sections),
        path=path,
        content_hash=hashlib.sha256(raw).hexdigest(),
        verified_by=verified_by,
        verified_against=verified_against,
    ), []


def _source_numbers(value: Any, count: int, problem) -> tuple[int, ...]:
    """verified_against: a list of source numbers (1 … count)."""
    if value is None or value == []:
        return ()
    if not isinstance(value, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        problem("verified_against", "must be a list of source numbers, e.g. [1, 3]")
        return ()
    for number in value:
        if not 1 <= number <= count:
            problem("verified_against", f"there is no source {number} (there are {count})")
    return tuple(dict.fromkeys(value))


def _text(meta: dict[str, Any], key: str, required: bool, problem) -> str:
    value = meta.get(key)
    if value is None or value == "":
        if required:
            problem(key, "is required and missing or empty")
        return ""
    if isinstance(value, (dt.date, int)) and key in ("started", "ended", "last_verified"):
        problem(key, f"write the date as a quoted string, e.g. \"{value}\"")
        return ""
    if not isinstance(value, str):
        problem(key, f"must be text, not {type(value).__name__}")
        return ""
    return value.strip()


def _string_list(meta: dict[str, Any], key: str, problem) -> list[str]:
    value = meta.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problem(key, "must be a list of non-empty texts, e.g. [a, b]")
        return []
    return [v.strip() for v in value]


def _valid_date(text: str, approximate: bool) -> bool:
    return partial_date(text, approximate) is not None


def _region(value: Any, problem) -> tuple[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("code"), str) or not value.get("name"):
        problem("region", 'must be {code: "3571", name: Kota Kediri} with the BPS code as quoted text')
        return "", ""
    code, name = value["code"].strip(), " ".join(str(value["name"]).split())
    if not re.fullmatch(r"\d{2}(\d{2})?", code):
        problem("region.code", f"{code!r} is not a BPS region code (2 or 4 digits)")
        return code, name
    try:
        regions = known_regions()
    except OSError as exc:
        problem("region.code", f"the list of regions ({REGIONS_FILE}) cannot be read ({exc}); rebuild it with python -m rujukan data build")
        return code, name
    known = regions.get(code)
    if known is None:
        problem("region.code", f"{code!r} is not the BPS code of a kabupaten/kota (4 digits) or province (2 digits) in data/regions.csv, "
                               "e.g. 3571 for Kota Kediri")
    elif name not in (known, f"Provinsi {known}" if len(code) == 2 else known):
        problem("region.name", f"{name!r} is not the name of region {code}: write {known!r}, as data/regions.csv names it")
    return code, name


def known_regions() -> dict[str, str]:
    """BPS code -> name of every region a record may name: the kabupaten/kota of data/regions.csv
    ("3571" -> "Kota Kediri", "3328" -> "Kabupaten Tegal") and their provinces ("35" -> "Jawa Timur")."""
    stat = REGIONS_FILE.stat()
    return dict(_read_regions(str(REGIONS_FILE), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=2)
def _read_regions(path: str, _mtime: int, _size: int) -> dict[str, str]:
    """The file's regions, read once per version of it."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    provinces = {row["province_code"]: row["province"] for row in rows}
    return provinces | {row["code"]: row["name"] for row in rows}


def _sources(value: Any, problem) -> list[Source]:
    if not isinstance(value, list) or not value:
        problem("sources", "list at least one source: {url, title, publisher, date}")
        return []
    sources: list[Source] = []
    for number, item in enumerate(value, start=1):
        where = f"sources[{number}]"
        if not isinstance(item, dict):
            problem(where, "must be a mapping {url, title, publisher, date}")
            continue
        url, title = str(item.get("url") or "").strip(), str(item.get("title") or "").strip()
        date = item.get("date", "")
        if url_problem(url):
            problem(f"{where}.url", url_problem(url))
        if "title" not in item:
            problem(f"{where}.title", 'is required: the title as the source published it, or "" when that is not known')
        if not isinstance(date, str):
            problem(f"{where}.date", "write the date as quoted text")
            date = ""
        elif date and not _valid_date(date, approximate=True):
            problem(f"{where}.date", f"{date!r} is not YYYY, YYYY-MM, YYYY-MM-DD (prefix ~ when approximate)")
        sources.append(Source(number, url, title, str(item.get("publisher") or "").strip(), date.strip()))
    return sources


def _visits(value: Any, problem) -> list[Visit]:
    if value is None:
        return []
    if not isinstance(value, list):
        problem("replicated_by", "must be a list of {region, date, what, source}")
        return []
    visits: list[Visit] = []
    for i, item in enumerate(value, start=1):
        where = f"replicated_by[{i}]"
        if not isinstance(item, dict) or not item.get("region"):
            problem(where, "must be a mapping with at least region and source")
            continue
        date = item.get("date", "")
        if not isinstance(date, str) or (date and not _valid_date(date, approximate=True)):
            problem(f"{where}.date", f"{date!r} is not a quoted date YYYY, YYYY-MM or YYYY-MM-DD")
            date = ""
        source = item.get("source")
        if not isinstance(source, int) or isinstance(source, bool):
            problem(f"{where}.source", "must be the number of a source in sources")
            continue
        visits.append(Visit(str(item["region"]).strip(), date, str(item.get("what") or "").strip(), source))
    return visits


def _sections(body: str, problem) -> list[Section]:
    """Split the body at '## ' headings and check names, order, and citations."""
    parts = re.split(r"^##[ \t]+(.+?)[ \t]*$", body, flags=re.MULTILINE)
    if parts[0].strip():
        problem("body", "text before the first '## ' section heading")
    sections: list[Section] = []
    order = list(SECTIONS)
    last = -1
    for heading, text in zip(parts[1::2], parts[2::2]):
        text = text.strip()
        if heading not in SECTIONS:
            problem(f"section '{heading}'", f"unknown heading; use: {', '.join(order)}")
            continue
        position = order.index(heading)
        if position <= last:
            problem(f"section '{heading}'", "is repeated or out of order (see knowledge/README.md)")
        last = max(last, position)
        if not text:
            problem(f"section '{heading}'", f"is empty; write '{UNKNOWN_TEXT}' when nothing is known")
        elif text != UNKNOWN_TEXT and not CITATION_PATTERN.search(text):
            problem(f"section '{heading}'", "has no citation [n]: every fact needs a source")
        if len(text.split()) > MAX_SECTION_WORDS or len(text) > MAX_SECTION_CHARS:
            problem(f"section '{heading}'", f"is {len(text.split()):,} words and {len(text):,} characters; a section may be at most "
                                           f"{MAX_SECTION_WORDS:,} words and {MAX_SECTION_CHARS:,} characters")
        sections.append(Section(SECTIONS[heading][0], heading, text))
    present = {s.heading for s in sections}
    for heading, (_, required) in SECTIONS.items():
        if required and heading not in present:
            problem(f"section '{heading}'", "is required")
    return sections


def cited_numbers(text: str) -> set[int]:
    return {int(n) for group in CITATION_PATTERN.findall(text) for n in group.split(",")}


def strip_citations(text: str) -> str:
    """Text without the [n] citation marks, for embedding and keyword matching."""
    return re.sub(r"\s*" + CITATION_PATTERN.pattern, "", text)
