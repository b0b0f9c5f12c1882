"""A record's fields as answers: which field a question asks about, the field's value (or that it
is unknown), and the record sentence that sources it.

The front matter holds a practice's legal basis, agency, budget, start, status and visitors; the
body holds the same facts with their [n] citations. An answer quotes the field and cites the body
sentence that states it; a field with no such sentence is cited to the record itself, and an
empty field is said to be unknown, never filled in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from .practices import CITATION_PATTERN, Practice, strip_citations
from .sentences import Sentence, short_title
from .vocabulary import UNKNOWN_TEXT

FIELDS = ("legal_basis", "agency", "budget", "started", "status", "results", "replicated_by")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")

#: What a question about each field says, in Bahasa Indonesia and English (matched on the folded
#: question: lower case, no accents, "yg" -> "yang"). Written from the development set's phrasings.
_ASKS: dict[str, str] = {
    "legal_basis": r"dasar hukum|landasan hukum|payung hukum|dasar regulasi|regulasi(nya)?|peraturan|perwali|perda\b|perbup|keputusan wali ?kota"
                   r"|\baturan(nya)?\b|legal basis|legal foundation|legal ground|regulations?\b|\blaws?\b|by-?laws?|decree|ordinance|legislation",
    "agency": r"siapa (yang |sih yang |saja yang )?(menjalankan|mengelola|mengurus|ngurus|mengoperasikan|bertanggung ?jawab|pengelola|pelaksana)"
              r"|(dijalankan|dikelola|diurus|dioperasikan|ditangani) (oleh )?(siapa|opd|dinas|instansi)|siapa pengelola|siapa penanggung ?jawab"
              r"|(opd|dinas|instansi|lembaga|rumah sakit|perangkat daerah|badan) (mana|apa)( yang)?( (menjalankan|mengelola|mengurus|menangani|pelaksana))?"
              r"|penanggung ?jawab(nya)?|pengelola(nya)?\b|pelaksana(nya)?\b"
              r"|who (runs|ran|manages|managed|operates|operated|handles|is in charge|is responsible|oversees|looks after)"
              r"|which (agency|department|office|body|unit|hospital|institution)|(run|managed|operated|handled) by|in charge of",
    "budget": r"berapa (biaya|dana|anggaran|duit|uang)|biaya(nya)?\b|anggaran(nya)?\b|sumber dana|dana(nya)? (berapa|dari mana)|pendanaan|dibiayai"
              r"|how much (money|funding|budget|does|did|is|was|do)|\bcosts?\b|\bbudget|funding|funded|\bspen[dt]\b",
    "started": r"kapan\b.*\b(dimulai|mulai|diluncurkan|diresmikan|dibuka|berdiri|dibentuk|dirintis|diperkenalkan|ada|lahir|beroperasi)"
               r"|sejak kapan|sejak tahun berapa|tahun berapa\b.*\b(dimulai|mulai|diluncurkan|dibuka|diresmikan)|mulai (kapan|tahun berapa)"
               r"|when (did|was|were)\b.*\b(start|begin|began|launch|launched|introduced|open|opened|set up|established|created)"
               r"|since when|what year\b.*\b(start|launch|begin|began|open)|start(ed)? (in )?(what|which) year|how long has"
               r"|tahun mulai|waktu mulai|tanggal mulai|start (year|date)|launch (year|date)|year (it|they) (started|began)",
    "status": r"masih (berjalan|ada|jalan|aktif|beroperasi|dipakai|digunakan|dijalankan|buka)|sudah (berhenti|berakhir|selesai|tidak)"
              r"|\bstatus(nya)?\b|still (running|active|operating|in use|going|around|working|open)|\bis\b.*\bstill\b"
              r"|(has|have|was)\b.*\b(ended|stopped|discontinued|closed)|discontinued",
    "results": r"\bhasil(nya)?\b|dampak(nya)?|capaian(nya)?|manfaat(nya)?|keberhasilan|\bresults?\b|\bimpact|\boutcomes?\b|achieve(d|ments?)",
    "replicated_by": r"(siapa|daerah|kota|kabupaten|pemda)( lain)?( mana| apa)?( saja)? (yang )?(sudah )?(pernah )?(belajar|mempelajari|meniru"
                     r"|mereplikasi|studi tiru|berkunjung|datang|mengadopsi)|studi tiru|ditiru|direplikasi|diadopsi"
                     r"|(which|what|who|any|other)\b.*\b(studied|copied|visited|came to (learn|study)|come to (learn|study)|learned|learnt"
                     r"|replicated|adopted)|benchmark",
}
_PATTERNS = {name: re.compile(pattern) for name, pattern in _ASKS.items()}

_REGULATION = re.compile(r"(?:No\.?|Nomor)\s*(\d+)\s*(?:Tahun|/)\s*(\d{4})", re.IGNORECASE)
_START_WORDS = re.compile(r"sejak|mulai|dimulai|diluncurkan|diresmikan|dibuka|berdiri|dirintis|diperkenalkan|beroperasi|pertama|digagas|dibentuk",
                          re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case, accents and punctuation folded to spaces, Indonesian chat spellings expanded."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return re.sub(r"\b(yg)\b", "yang", re.sub(r"\b(gmn|gimana)\b", "bagaimana", text)).strip()


def asked_fields(question: str) -> list[str]:
    """The fields a question asks about, in FIELDS order (none for a question about something else)."""
    folded = fold(question)
    return [name for name in FIELDS if _PATTERNS[name].search(folded)]


# ------------------------------------------------------------------ which practices a question names


def practice_names(practice: Practice) -> dict[str, str | None]:
    """The names people type for a practice (folded) -> the capitals a question must write it in, for
    a short all-capital name (SIE, MPP, EMAS: 'harga emas' names no practice), else None. Names are
    its titles and short names and the keywords that spell them, not keywords that point elsewhere."""
    short = short_title(practice)
    raw = [practice.title, short, re.split(r"\s+[—–-]\s+", practice.title_en)[0].split(" (")[0], practice.id.replace("-", " ")]
    raw += [x for x in re.findall(r"\(([^)]*)\)", practice.title) if x.isupper()]
    folded_short = fold(short)
    first = folded_short.split(" ")[0]
    for keyword in practice.keywords:
        k = fold(keyword)
        part_of_name = f" {k} " in f" {folded_short} " and (" " in k or k == first or any(ch.isdigit() for ch in k))  # not 'peduli'
        if k and (part_of_name or k.replace(" ", "") == folded_short.replace(" ", "") or f" {folded_short} " in f" {k} "):
            raw.append(keyword)
    names: dict[str, str | None] = {}
    for name in raw:
        key = fold(name)
        if len(key) >= 3:
            capitals = name if name.isupper() and len(name) <= 4 else None
            names[key] = capitals if key not in names else (names[key] and capitals)
    return names


def named_practices(practices: list[Practice], question: str) -> list[Practice]:
    """The practices a question names, in the order it names them."""
    folded = f" {fold(question)} "
    found: list[tuple[int, Practice]] = []
    for practice in practices:
        for name, capitals in sorted(practice_names(practice).items(), key=lambda item: -len(item[0])):
            at = folded.find(f" {name} ")
            if at >= 0 and (capitals is None or re.search(rf"\b{re.escape(capitals)}\b", question)):
                found.append((at, practice))
                break
    found.sort(key=lambda pair: pair[0])
    return list(dict.fromkeys(p for _, p in found))


# ------------------------------------------------------------------ a field's value and its source


@dataclass(frozen=True)
class Evidence:
    """A record sentence that states a field's value, or the field itself (sentence None)."""

    text: str
    section: str  # a section key, "summary", or "fields" (the record's front matter)
    source_number: int | None


@dataclass(frozen=True)
class FieldFact:
    practice_id: str
    field: str
    values: tuple[str, ...]  # as the record writes them; empty when the record does not know
    uncertain: bool  # the record marks the value as not certain
    evidence: tuple[Evidence, ...]

    @property
    def known(self) -> bool:
        return bool(self.values)


def field_fact(practice: Practice, field: str, sentences: list[Sentence], vectors: np.ndarray | None = None,
               query: np.ndarray | None = None) -> FieldFact:
    """What the record says about one field, with the sentences that source it."""
    uncertain = field in practice.uncertain
    if field == "legal_basis":
        values = tuple(practice.legal_basis)
        return FieldFact(practice.id, field, values, uncertain, tuple(_regulation_evidence(v, sentences) for v in values))
    if field == "agency":
        values = (practice.agency,) if practice.agency else ()
        return FieldFact(practice.id, field, values, uncertain, tuple(_agency_evidence(v, sentences) for v in values))
    if field == "budget":
        return _budget(practice, uncertain, sentences, vectors, query)
    if field == "started":
        values = (practice.started,) if practice.started else ()
        return FieldFact(practice.id, field, values, uncertain, tuple(_start_evidence(v, sentences) for v in values))
    if field == "status":
        values = (practice.status,) if practice.status in ("running", "ended") else ()
        return FieldFact(practice.id, field, values, uncertain, tuple(Evidence(practice.status, "fields", None) for _ in values))
    if field == "results":  # a results section is short: its first sentences, in the record's order
        chosen = [s for s in sentences if s.section == "results" and not s.editorial][:3]
        return FieldFact(practice.id, field, tuple(s.text for s in chosen), uncertain, tuple(Evidence(s.text, s.section, s.source_number) for s in chosen))
    if field == "replicated_by":
        visits = practice.replicated_by
        values = tuple(f"{v.region} ({v.date})" if v.date else v.region for v in visits)
        evidence = tuple(Evidence(f"{v.region}, {v.date or '?'}: {v.what}".strip(), "fields", v.source) for v in visits)
        return FieldFact(practice.id, field, values, uncertain, evidence)
    raise ValueError(f"unknown field {field!r}; fields are {', '.join(FIELDS)}")


def _find(sentences: list[Sentence], test) -> Sentence | None:
    return next((s for s in sentences if test(s.text)), None)


def _as_evidence(sentence: Sentence | None, value: str) -> Evidence:
    return Evidence(sentence.text, sentence.section, sentence.source_number) if sentence else Evidence(value, "fields", None)


def _regulation_evidence(value: str, sentences: list[Sentence]) -> Evidence:
    match = _REGULATION.search(value)
    if not match:
        return _as_evidence(_find(sentences, lambda text: value.lower() in text.lower()), value)
    number, year = match.groups()
    pattern = re.compile(rf"\b{number}\s*/\s*{year}\b|(?:No\.?|Nomor)\s*{number}\s+Tahun\s+{year}\b", re.IGNORECASE)
    return _as_evidence(_find(sentences, lambda text: bool(pattern.search(text))), value)


def _agency_evidence(value: str, sentences: list[Sentence]) -> Evidence:
    core = re.sub(r"\s*\(.*?\)", "", value).replace(" Kota Kediri", "").strip().lower()
    return _as_evidence(_find(sentences, lambda text: core in text.lower()), value)


def _start_evidence(value: str, sentences: list[Sentence]) -> Evidence:
    year = value[:4]
    day = date_text(value, "id")
    exact = _find(sentences, lambda text: day in text) if len(value) > 4 else None
    return _as_evidence(exact or _find(sentences, lambda text: year in text and bool(_START_WORDS.search(text))), value)


def _budget(practice: Practice, uncertain: bool, sentences: list[Sentence], vectors: np.ndarray | None, query: np.ndarray | None) -> FieldFact:
    if practice.budget:
        numbers = [int(n) for group in CITATION_PATTERN.findall(practice.budget) for n in group.split(",")]
        text = strip_citations(practice.budget).strip()
        return FieldFact(practice.id, "budget", (text,), uncertain, (Evidence(text, "fields", numbers[0] if numbers else None),))
    costs = practice.section("costs")
    if costs is None or costs.text.strip() == UNKNOWN_TEXT:
        return FieldFact(practice.id, "budget", (), uncertain, ())
    chosen = _best(sentences, vectors, query, {"costs"}, 2)
    return FieldFact(practice.id, "budget", tuple(s.text for s in chosen), uncertain, tuple(Evidence(s.text, s.section, s.source_number) for s in chosen))


def _best(sentences: list[Sentence], vectors: np.ndarray | None, query: np.ndarray | None, sections: set[str], n: int) -> list[Sentence]:
    """The n sentences of the given sections closest to the question (record order when no vectors)."""
    indexed = [(i, s) for i, s in enumerate(sentences) if s.section in sections and not s.editorial]
    if vectors is not None and query is not None and len(vectors) == len(sentences):
        indexed.sort(key=lambda pair: -float(vectors[pair[0]] @ query))
    return [s for _, s in indexed[:n]]


def date_text(value: str, lang: str) -> str:
    """'2023-09-07' -> '7 September 2023'; '2016-05' -> 'Mei 2016' (May 2016); '2016' stays."""
    parts = value.split("-")
    months = MONTHS_EN if lang == "en" else MONTHS_ID
    if len(parts) == 3:
        return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{months[int(parts[1]) - 1]} {parts[0]}"
    return value
