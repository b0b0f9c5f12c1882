"""Question -> a short answer built from the knowledge base alone, every sentence cited.

No language model writes anything: the answer is a fixed frame sentence followed by up to
three sentences copied from the practice records, each with a numbered citation to the
practice, the section and the original source URL. How it works:

1. The question is cleaned (rujukan.search.clean_query); no words -> declined.
2. The hybrid search picks the candidate practices (top 3).
3. Their summary and body sections are cut into sentences. A sentence keeps its own [n]
   marks; a sentence without one takes the next citation in its paragraph (the mark that
   covers it), else the paragraph's last one.
4. Question and sentences are embedded with the project's model (sentence vectors are cached
   per practice content hash, so repeated questions cost one query embedding and a search).
   A sentence scores its cosine similarity, plus KEYWORD_BONUS times the share of the
   question's keywords it contains, plus NUMBER_BONUS when it holds a number of the question.
5. The best sentences are picked (at most 2 per practice, best-scoring practice first).
   Declined when the best cosine similarity is below DECLINE_BELOW for the question's
   language (chosen with bench/answer_quality.py); the closest practices are then offered.
   confidence = 0.5 at that threshold, rising linearly to 1.0 at CONFIDENT_SPAN above it and
   falling to 0.0 at 0.1 below it: a reading of the evidence, not a probability.

"Catatan Rujukan:" sentences are the editors' reading, not a reported fact. They are kept
(a "how to replicate" question has little else) but with their label, as written in the
record, and a small score penalty, so a sourced fact wins when one answers the question.

Text is data: the question is never followed as an instruction, and nothing here builds
markup; the caller escapes the text it shows.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from .i18n import t
from .keyword import tokens
from .practices import CITATION_PATTERN, KnowledgeBase, Practice, strip_citations
from .search import SearchEngine, clean_query
from .vocabulary import UNKNOWN_TEXT

#: Below this best-sentence cosine similarity the evidence is too weak to answer, per question
#: language: an English question meets Indonesian sentences across languages and scores lower
#: (chosen with the sweep of bench/answer_quality.py, see bench/README.md).
DECLINE_BELOW = {"id": 0.84, "en": 0.81}
#: Confidence is the best cosine mapped linearly: 0.5 at the threshold, 1.0 at CONFIDENT_SPAN above.
CONFIDENT_SPAN = 0.06
KEYWORD_BONUS = 0.04
NUMBER_BONUS = 0.02
EDITOR_PENALTY = 0.02
EDITOR_LABEL = "Catatan Rujukan:"
CANDIDATE_PRACTICES = 3
PER_PRACTICE = 2
#: A second or third sentence must score within this of the best one to be shown.
KEEP_WITHIN = 0.04

_ENGLISH = frozenset(
    """the what which who whom whose when where why how is are was were does did do has have
    had much many of for to in on and with cost costs budget legal basis start started run runs
    agency results result lessons replicate study studied who's what's how's city practice
    programme program fund funds by from about long it its there their they can could""".split()
)
_INDONESIAN = frozenset(
    """apa apakah siapa kapan dimana mana berapa bagaimana gimana mengapa kenapa yang dan di ke
    dari untuk dengan pada dalam ini itu atau juga oleh sebagai adalah dana biaya dasar hukum
    mulai dimulai hasil pelajaran cara mereplikasi mempelajari menjalankan warga kota kabupaten
    program tahun sudah telah berapa per""".split()
)


@dataclass(frozen=True)
class Citation:
    number: int
    practice_id: str
    practice_title: str
    section: str  # a section key, or "summary"
    source_number: int | None  # the [n] of the record
    source_url: str
    source_title: str
    text: str  # the cited sentence as written in the record, without its [n] marks


@dataclass(frozen=True)
class Answer:
    question: str
    lang: str  # "id" | "en"
    answer: str  # frame sentence + cited sentences, each ending with [k]
    citations: tuple[Citation, ...]
    confidence: float  # 0..1: best cosine; 0.5 at the decline threshold, 1.0 at CONFIDENT_SPAN above
    declined: bool
    reason: str  # why declined: "empty", "no_words", "weak_evidence"; "" when answered
    closest: tuple[tuple[str, str], ...]  # (practice id, title), best first
    followups: tuple[str, ...]


@dataclass(frozen=True)
class _Sentence:
    practice_id: str
    section: str
    text: str  # without [n] marks
    source_number: int | None
    editorial: bool


def detect_lang(question: str) -> str:
    """'en' when the question has more English than Indonesian marker words, else 'id'."""
    words = re.findall(r"[a-z']+", question.lower())
    en = sum(w in _ENGLISH for w in words)
    idn = sum(w in _INDONESIAN for w in words)
    return "en" if en > idn else "id"


# -- sentences of a record ------------------------------------------------------------------

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
_ABBREVIATIONS = ("No.", "Dr.", "dr.", "H.", "Hj.", "St.", "Jl.", "Kec.", "Kab.", "Prof.", "Ir.", "dkk.", "dll.", "a.n.", "S.")


def _split_sentences(paragraph: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SPLIT.split(paragraph):
        if pieces and pieces[-1].endswith(_ABBREVIATIONS):
            pieces[-1] += " " + piece
        else:
            pieces.append(piece)
    return [p.strip() for p in pieces if p.strip()]


def _paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs; each list item is a paragraph of its own (without its bullet)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().splitlines()
        if lines and re.match(r"\s*[-*]\s+", lines[0]):
            items: list[str] = []
            for ln in lines:
                if re.match(r"\s*[-*]\s+", ln):
                    items.append(re.sub(r"^\s*[-*]\s+", "", ln))
                elif items:
                    items[-1] += " " + ln.strip()
            out.extend(items)
        elif block.strip():
            out.append(" ".join(ln.strip() for ln in lines))
    return out


def practice_sentences(practice: Practice) -> list[_Sentence]:
    """Every citable sentence of the summary and the body sections, with its source number."""
    parts = [("summary", practice.summary)] + [(s.key, s.text) for s in practice.sections]
    sentences: list[_Sentence] = []
    for section, text in parts:
        if not text or text.strip() == UNKNOWN_TEXT:
            continue
        for paragraph in _paragraphs(text):
            raw = _split_sentences(paragraph)
            own = [_in_order(s) for s in raw]
            for i, sentence in enumerate(raw):
                number = own[i][0] if own[i] else next((o[0] for o in own[i + 1:] if o), None)
                if number is None:
                    number = next((o[-1] for o in reversed(own[:i]) if o), None)
                clean = strip_citations(sentence).strip()
                clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
                if len(clean) < 12 or not any(ch.isalpha() for ch in clean):
                    continue
                sentences.append(_Sentence(practice.id, section, clean, number, clean.startswith(EDITOR_LABEL)))
    return sentences


def _in_order(sentence: str) -> list[int]:
    """The [n] numbers of a sentence in the order they appear."""
    return [int(n) for group in CITATION_PATTERN.findall(sentence) for n in group.split(",")]


# -- sentence vectors, cached per record version ---------------------------------------------

_CACHE: dict[tuple[str, str, str], tuple[list[_Sentence], np.ndarray]] = {}
_LOCK = threading.Lock()


def _sentences_with_vectors(engine: SearchEngine, practice: Practice) -> tuple[list[_Sentence], np.ndarray]:
    key = (getattr(engine.embedder, "identity", type(engine.embedder).__name__), practice.id, practice.content_hash)
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    sentences = practice_sentences(practice)
    title = _short_title(practice)
    texts = [f"{title}. {s.text}" for s in sentences]
    vectors = engine.embedder.embed_passages(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    value = (sentences, np.asarray(vectors, dtype=np.float32))
    with _LOCK:
        _CACHE[key] = value
    return value


# -- answering -------------------------------------------------------------------------------


def answer_question(engine: SearchEngine, question: str, *, max_sentences: int = 3) -> Answer:
    """A short cited answer from the knowledge base, or a decline with the closest practices."""
    cleaned, notices = clean_query(question or "")
    lang = detect_lang(cleaned)
    practices = engine.kb.by_id()
    if "query_empty" in notices or "query_no_words" in notices:
        closest = tuple((p.id, p.title) for p in engine.kb.practices[:CANDIDATE_PRACTICES])
        reason = "empty" if "query_empty" in notices else "no_words"
        return Answer(cleaned, lang, "", (), 0.0, True, reason, closest, ())

    result = engine.search(cleaned, top_k=CANDIDATE_PRACTICES)
    closest = tuple((m.practice.id, m.practice.title) for m in result.matches)
    if not result.matches:
        return Answer(cleaned, lang, "", (), 0.0, True, "weak_evidence", closest, ())

    scored = _score_sentences(engine, cleaned, result.matches)
    if not scored:
        return Answer(cleaned, lang, "", (), 0.0, True, "weak_evidence", closest, ())

    scored.sort(key=lambda s: (-s[0], s[2]))
    best_cosine = max(s[1] for s in scored)
    confidence = _confidence(best_cosine, lang)
    if best_cosine < DECLINE_BELOW[lang]:
        return Answer(cleaned, lang, "", (), round(confidence, 3), True, "weak_evidence", closest, ())

    best = scored[0][0]
    picked: list[tuple[float, float, int, _Sentence]] = []
    per_practice: dict[str, int] = {}
    for item in scored:
        if len(picked) >= max(1, max_sentences):
            break
        score, _, _, sentence = item
        if picked and score < best - KEEP_WITHIN:
            break
        if per_practice.get(sentence.practice_id, 0) >= PER_PRACTICE:
            continue
        if any(sentence.text == p[3].text for p in picked):
            continue
        picked.append(item)
        per_practice[sentence.practice_id] = per_practice.get(sentence.practice_id, 0) + 1
    # Best practice first (by its best sentence), then each practice's sentences best first.
    order = list(dict.fromkeys(p[3].practice_id for p in picked))
    picked.sort(key=lambda p: (order.index(p[3].practice_id), -p[0]))

    citations: list[Citation] = []
    for number, (_, _, _, sentence) in enumerate(picked, start=1):
        practice = practices[sentence.practice_id]
        source = practice.source(sentence.source_number) if sentence.source_number else None
        citations.append(
            Citation(
                number=number,
                practice_id=practice.id,
                practice_title=practice.title,
                section=sentence.section,
                source_number=sentence.source_number if source else None,
                source_url=source.url if source else "",
                source_title=source.title if source else "",
                text=sentence.text,
            )
        )
    first = practices[citations[0].practice_id]
    frame = _frame(first, lang)
    body = " ".join(f"{c.text.rstrip('.').rstrip()} [{c.number}]." for c in citations)
    followups = tuple(_followups(first, lang, {c.section for c in citations if c.practice_id == first.id}, cleaned))
    return Answer(cleaned, lang, f"{frame} {body}", tuple(citations), round(confidence, 3), False, "", closest, followups)


def _score_sentences(engine: SearchEngine, cleaned: str, matches) -> list[tuple[float, float, int, _Sentence]]:
    """(score, cosine, practice rank, sentence) for every sentence of the matched practices."""
    query_vector = np.asarray(engine.embedder.embed_queries([cleaned])[0], dtype=np.float32)
    query_terms = set(tokens(cleaned))
    query_numbers = {term for term in query_terms if any(ch.isdigit() for ch in term)}

    scored: list[tuple[float, float, int, _Sentence]] = []  # (score, cosine, practice rank, sentence)
    for rank, match in enumerate(matches):
        sentences, vectors = _sentences_with_vectors(engine, match.practice)
        if not sentences:
            continue
        cosines = vectors @ query_vector
        for sentence, cosine in zip(sentences, cosines):
            terms = set(tokens(sentence.text))
            overlap = len(query_terms & terms) / len(query_terms) if query_terms else 0.0
            score = float(cosine) + KEYWORD_BONUS * overlap
            if query_numbers & terms:
                score += NUMBER_BONUS
            if sentence.editorial:
                score -= EDITOR_PENALTY
            scored.append((score, float(cosine), rank, sentence))
    return scored



def best_similarity(engine: SearchEngine, question: str) -> float:
    """The best sentence cosine for a question (what the decline threshold is compared with)."""
    cleaned, notices = clean_query(question or "")
    if "query_empty" in notices or "query_no_words" in notices:
        return 0.0
    matches = engine.search(cleaned, top_k=CANDIDATE_PRACTICES).matches
    return max((s[1] for s in _score_sentences(engine, cleaned, matches)), default=0.0)


def warm_up(engine: SearchEngine) -> int:
    """Embed every practice's sentences now (e.g. at app start); returns how many."""
    return sum(len(_sentences_with_vectors(engine, p)[0]) for p in engine.kb.practices)


def _confidence(best_cosine: float, lang: str) -> float:
    """0.5 at the decline threshold, 1.0 at CONFIDENT_SPAN above it, 0.0 at 0.1 below it."""
    threshold = DECLINE_BELOW[lang]
    if best_cosine >= threshold:
        value = 0.5 + 0.5 * (best_cosine - threshold) / CONFIDENT_SPAN
    else:
        value = 0.5 * (best_cosine - (threshold - 0.1)) / 0.1
    return float(min(1.0, max(0.0, value)))


def _frame(practice: Practice, lang: str) -> str:
    region = practice.region_name or "Kota Kediri"
    if lang == "en":  # "Kediri's practice records", not "Kota Kediri's"
        region = region.replace("Kota ", "").replace("Kabupaten ", "")
    return t("answer.frame", lang, region=region)


def _short_title(practice: Practice) -> str:
    """'KURNIA (Kredit Usaha Melayani Warga)' -> 'KURNIA'; a title without a gloss stays whole."""
    title = re.split(r"\s+[—–-]\s+|\s+\(", practice.title, maxsplit=1)[0].strip()
    return title or practice.title


# -- questions to start with and to follow up ------------------------------------------------

#: Question kinds (worded in rujukan.i18n, "followup.<kind>") -> the sections whose answer the question repeats.
FOLLOWUPS: dict[str, tuple[str, ...]] = {
    "budget": ("costs",),
    "legal_basis": (),
    "started": ("history", "stages"),
    "agency": (),
    "replicated_by": (),
    "results": ("results",),
    "replicate": ("replicate", "lessons"),
}


def _has(practice: Practice, kind: str) -> bool:
    if kind in ("results", "replicate"):
        section = practice.section(kind)
        return bool(section and section.text.strip() != UNKNOWN_TEXT)
    return bool(getattr(practice, kind))


def _question(practice: Practice, kind: str, lang: str) -> str:
    return t(f"followup.{kind}", lang, title=_short_title(practice))


def _followups(practice: Practice, lang: str, cited_sections: set[str], asked: str, n: int = 3) -> list[str]:
    out: list[str] = []
    for kind, sections in FOLLOWUPS.items():
        if len(out) >= n:
            break
        if not _has(practice, kind) or set(sections) & cited_sections:
            continue
        q = _question(practice, kind, lang)
        if q.casefold() != asked.casefold():
            out.append(q)
    return out


def starter_questions(kb: KnowledgeBase, lang: str = "id", n: int = 6) -> list[str]:
    """Deterministic questions the knowledge base can answer: one kind after another, each
    about a practice not used yet, only for fields the record actually has."""
    kinds = ("budget", "legal_basis", "started", "replicated_by", "agency", "results")
    practices = sorted(kb.practices, key=lambda p: p.id)
    used: set[str] = set()
    out: list[str] = []
    progress = True
    while len(out) < n and progress:
        progress = False
        for kind in kinds:
            if len(out) >= n:
                break
            practice = next((p for p in practices if p.id not in used and _has(p, kind)), None)
            if practice is None:
                continue
            used.add(practice.id)
            out.append(_question(practice, kind, lang))
            progress = True
    return out
