"""Question -> a short answer built from the knowledge base alone, every statement cited, or an
honest decline with the closest practices.

No language model writes anything. Two ways to answer:

1. A **field question** ("Apa dasar hukum Prodamas Plus?", "Who runs Home Care PEDULI?") names
   one or more practices and asks about a field of their records (rujukan.fields): the answer
   gives the field's value for each, cited to the record sentence that states it, or says the
   field is unknown in the record and offers, labelled as such, what the record does say.
2. Any other question is answered with up to three **record sentences** (rujukan.sentences), the
   ones closest to it in meaning among the practices it names and the practices search finds.

Confidence is the estimated chance that the answer is right, fitted on the development set
(bench/eval/questions.jsonl) by bench/answer_quality.py, which prints the reliability table it
rests on: for sentence answers a logistic model of how well the best sentence matches (its cosine
similarity, how far it stands out from the rest of the knowledge base, how many of the question's
rare words it shares); for field answers the share of field answers that were right. A question
below ANSWER_BELOW is declined. The earlier method (sentences only, a cosine threshold) stays
available as method="sentences" so the bench can measure both in one run.

"Catatan Rujukan:" sentences are the editors' reading, not a reported fact: kept with their label
and a small score penalty. Text is data: the question is never followed as an instruction, and
nothing here builds markup; the caller escapes what it shows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import numpy as np

from .fields import FieldFact, asked_fields, date_text, field_fact, fold, named_practices
from .i18n import t
from .keyword import detect_lang, tokens
from .practices import KnowledgeBase, Practice
from .search import COSINE_BASELINE, Filters, SearchEngine, clean_query
from .sentences import Sentence, short_title
from .vocabulary import UNKNOWN_TEXT, status_label

METHODS = ("shipped", "sentences")
#: The earlier method's decline thresholds on the best sentence cosine, per question language; the
#: calibrated model measures its cosine feature from the same point.
DECLINE_BELOW = COSINE_BASELINE
#: Confidence of a sentence answer: logistic(INTERCEPT + Σ weight × feature), fitted by
#: bench/answer_quality.py on the development set (features in answer_features()).
CALIBRATION = {"intercept": -8.01, "cosine": 10.942, "peak": 1.287, "support": 9.096}
#: The share of field answers on the development set that named the right value or said "unknown"
#: where the record is silent (bench/answer_quality.py), with add-one smoothing.
FIELD_CONFIDENCE = 0.936  # 43 of 45 field answers right
#: Below this confidence a question is declined; below WEAK_BELOW an answer is shown as resting on
#: weak evidence. Chosen from the reliability table and threshold sweep of bench/answer_quality.py
#: on the development set: would-be answers under 0.2 were never right, those from 0.2 to 0.7 about
#: half the time, those above 0.9 in 19 of 20 cases.
ANSWER_BELOW = 0.25
WEAK_BELOW = 0.7
CONFIDENT_SPAN = 0.06  # the earlier method's confidence: 0.5 at its threshold, 1.0 this far above
KEYWORD_BONUS = 0.04
NUMBER_BONUS = 0.02
EDITOR_PENALTY = 0.02
CANDIDATE_PRACTICES = 3
PER_PRACTICE = 2
#: A second or third sentence must score within this of the best one to be shown.
KEEP_WITHIN = 0.04
KNOWN_INSTEAD = 2  # sentences offered, labelled, when a field is unknown

#: What a citation is made from: (practice id, section, the text it quotes, the record's source number).
_Cited = tuple[str, str, str, int | None]
#: A statement of an answer: its text with one {} where each of its citations' marks goes, and those citations.
_Statement = tuple[str, list[_Cited]]


@dataclass(frozen=True)
class Citation:
    number: int
    practice_id: str
    practice_title: str
    section: str  # a section key, "summary", or "fields" (the record's front matter)
    source_number: int | None  # the [n] of the record
    source_url: str
    source_title: str
    text: str  # the cited sentence (or field value) as written in the record, without [n] marks
    document_id: str = ""  # the sentence is from this attached document (rujukan.documents)…
    document_title: str = ""
    page: int = 0  # …, this page (1-based)


@dataclass(frozen=True)
class Answer:
    question: str
    lang: str  # "id" | "en"
    answer: str  # frame sentence + cited statements, each ending with [k]
    citations: tuple[Citation, ...]
    confidence: float  # 0..1: the estimated chance the answer is right (see the module's docstring)
    declined: bool
    reason: str  # why declined: "empty", "no_words", "weak_evidence"; "" when answered
    closest: tuple[tuple[str, str], ...]  # (practice id, title), best first
    followups: tuple[str, ...]
    fields: tuple[FieldFact, ...] = ()  # for a field question: what each record says, known or not
    basis: dict[str, float] = field(default_factory=dict)  # what the confidence rests on (answer_features, or {"field": 1})
    notices: tuple[str, ...] = ()  # search.NOTICES about the question itself (cut to length, no words…)

    @property
    def weak(self) -> bool:
        """Answered, but on weak evidence: the page says so beside the answer."""
        return not self.declined and self.confidence < WEAK_BELOW


# -- answering -------------------------------------------------------------------------------


def answer_question(engine: SearchEngine, question: str, *, max_sentences: int = 3, method: str = "shipped",
                    min_confidence: float | None = None, filters: Filters | None = None) -> Answer:
    """A short cited answer from the knowledge base, or a decline with the closest practices (none
    for a question without words: nothing is close to it), with the notices about the question.

    min_confidence: decline below it (default: ANSWER_BELOW; the earlier method's own threshold
    with method="sentences"); 0 answers everything, which the bench uses to see what would be said.
    filters: only the practices they allow are used (e.g. Filters(regions=...): the reference regions),
    both those search finds and those the question names.
    """
    answer = _answered(engine, question, max_sentences=max_sentences, method=method, min_confidence=min_confidence, filters=filters)
    return replace(answer, notices=tuple(clean_query(question or "")[1]))


def _answered(engine: SearchEngine, question: str, *, max_sentences: int, method: str, min_confidence: float | None,
              filters: Filters | None = None) -> Answer:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    cleaned, notices = clean_query(question or "")
    lang = detect_lang(cleaned)
    if "query_empty" in notices or "query_no_words" in notices:
        reason = "empty" if "query_empty" in notices else "no_words"
        return Answer(cleaned, lang, "", (), 0.0, True, reason, (), ())

    result = engine.search(cleaned, top_k=CANDIDATE_PRACTICES, filters=filters)
    query = result.vector if result.vector is not None else engine.embedder.embed_queries([cleaned])[0]
    query = np.asarray(query, dtype=np.float32)
    allowed = [p for p in engine.kb.practices if filters is None or filters.allows(p)]
    named = named_practices(allowed, cleaned) if method == "shipped" else []
    closest = tuple(dict.fromkeys([(p.id, p.title) for p in named] + [(m.practice.id, m.practice.title) for m in result.matches]))

    if method == "shipped":
        fields = asked_fields(cleaned)
        if fields and named:
            return _field_answer(engine, cleaned, lang, query, named, fields, closest)

    candidates = list(dict.fromkeys([*named, *(m.practice for m in result.matches)]))
    scored = _score_sentences(engine, cleaned, query, candidates)
    if not scored:
        return Answer(cleaned, lang, "", (), 0.0, True, "weak_evidence", closest, ())
    scored.sort(key=lambda s: (-s[0], s[2]))
    if method == "sentences":  # 0.5 exactly at its cosine threshold
        basis = {"cosine": max(s[1] for s in scored)}
        confidence = _earlier_confidence(basis["cosine"], lang)
    else:
        basis = answer_features(engine, cleaned, query, lang, scored)
        confidence = calibrated(basis)
    threshold = min_confidence if min_confidence is not None else (0.5 if method == "sentences" else ANSWER_BELOW)
    if confidence < threshold:
        return Answer(cleaned, lang, "", (), round(confidence, 3), True, "weak_evidence", closest, (), basis=basis)

    picked = _pick(scored, max_sentences)
    citations = _citations(engine, [(s.practice_id, s.section, s.text, s.source_number) for s in picked])
    citations = [_from_document(engine, c, s) for c, s in zip(citations, picked, strict=True)]
    first = engine.kb.by_id()[citations[0].practice_id]
    body = " ".join(f"{c.text.rstrip('.').rstrip()} [{c.number}]." for c in citations)
    followups = tuple(_followups(first, lang, {c.section for c in citations if c.practice_id == first.id}, cleaned))
    frame = t("answer.frame_document", lang, title=citations[0].document_title, practice=first.title) if citations[0].document_id else _frame(first, lang)
    return Answer(cleaned, lang, f"{frame} {body}", tuple(citations), round(confidence, 3), False, "", closest, followups,
                  basis=basis)


def _field_answer(engine: SearchEngine, question: str, lang: str, query: np.ndarray, practices: list[Practice], fields: list[str],
                  closest: tuple[tuple[str, str], ...]) -> Answer:
    """One statement per practice and field: the value with its citation, or 'unknown in the record'
    followed by what the record does say, labelled."""
    facts: list[FieldFact] = []
    statements: list[_Statement] = []
    for practice in practices:
        sentences, vectors = engine.sentences(practice)
        for name in fields:
            fact = field_fact(practice, name, sentences, vectors, query)
            facts.append(fact)
            statements.extend(_field_statements(practice, fact, lang, sentences, vectors, query))
    cited = [item for _, items in statements for item in items]
    citations = _citations(engine, cited)
    numbers = iter(c.number for c in citations)
    parts = [text.format(*(f"[{next(numbers)}]" for _ in items)) for text, items in statements]
    first = practices[0]
    answer = f"{_frame(first, lang)} " + " ".join(parts)
    followups = tuple(q for q in _followups(first, lang, set(), question) if not any(q == _question(first, f, lang) for f in fields))
    return Answer(question, lang, answer, tuple(citations), FIELD_CONFIDENCE, False, "", closest, followups, tuple(facts), {"field": 1.0})


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _field_statements(practice: Practice, fact: FieldFact, lang: str, sentences: list[Sentence], vectors: np.ndarray,
                      query: np.ndarray) -> list[_Statement]:
    title = short_title(practice)
    label = t(f"field.{fact.field}", lang)
    if not fact.known:
        out: list[_Statement] = [(_escape(_capital(t("answer.field_unknown", lang, field=label, title=title))), [])]
        known = _known_instead(practice, sentences, vectors, query)
        if known:
            out.append((_escape(t("answer.known_instead", lang, title=title)), []))
            out += [(_escape(s.text.rstrip(".")) + " {}.", [(practice.id, s.section, s.text, s.source_number)]) for s in known]
        return out
    shown = [_value_text(fact.field, value, lang) for value in fact.values]
    marks = [(practice.id, e.section, e.text, e.source_number) for e in fact.evidence]
    uncertain = f" ({t('common.uncertain', lang)})" if fact.uncertain else ""
    if fact.field in ("results", "budget") and all(e.section != "fields" for e in fact.evidence):
        # sentences of the record's own section: quoted one by one, each with its mark
        head = _escape(_capital(t("answer.field_known", lang, field=label, title=title, values="")).rstrip())
        return [(head, [])] + [(_escape(text.rstrip(".")) + " {}.", [mark]) for text, mark in zip(shown, marks)]
    values = "; ".join(f"{_escape(v)} {{}}" for v in shown)
    return [(_escape(_capital(t("answer.field_known", lang, field=label, title=title, values=""))) + values + _escape(uncertain) + ".", marks)]


def _escape(text: str) -> str:
    """Text placed in a str.format template: braces of the record stay braces."""
    return text.replace("{", "{{").replace("}", "}}")


def _value_text(field: str, value: str, lang: str) -> str:
    if field == "started":
        return date_text(value, lang)
    if field == "status":
        return status_label(value, lang)
    visit = re.fullmatch(r"(.*) \((\d{4}(?:-\d{2}){0,2})\)", value) if field == "replicated_by" else None
    return f"{visit.group(1)} ({date_text(visit.group(2), lang)})" if visit else value


def _known_instead(practice: Practice, sentences: list[Sentence], vectors: np.ndarray, query: np.ndarray) -> list[Sentence]:
    """What the record does say that is closest to the question (offered, labelled, for an unknown field)."""
    if not sentences or len(vectors) != len(sentences):
        return []
    order = np.argsort(-(vectors @ query), kind="stable")
    return [sentences[i] for i in order if not sentences[i].editorial][:KNOWN_INSTEAD]


def _citations(engine: SearchEngine, items: list[_Cited]) -> list[Citation]:
    """Numbered citations for (practice id, section, text, source number) items, in order."""
    practices = engine.kb.by_id()
    out = []
    for number, (practice_id, section, text, source_number) in enumerate(items, start=1):
        practice = practices[practice_id]
        source = practice.source(source_number) if source_number else None
        out.append(Citation(number, practice.id, practice.title, section, source_number if source else None,
                            source.url if source else "", source.title if source else "", text))
    return out


def _from_document(engine: SearchEngine, citation: Citation, sentence: Sentence) -> Citation:
    """A citation of a document's sentence names the document and its page (its source is the document)."""
    document = engine.documents.get(sentence.document_id) if sentence.document_id else None
    if document is None:
        return citation
    return replace(citation, source_number=None, source_url=document.source_url, source_title=document.title, document_id=document.id,
                   document_title=document.title, page=sentence.page)


def _pick(scored: list[tuple[float, float, int, Sentence]], max_sentences: int) -> list[Sentence]:
    """The best sentences: at most PER_PRACTICE per practice, within KEEP_WITHIN of the best; best
    practice first, then each practice's sentences best first."""
    best = scored[0][0]
    picked: list[tuple[float, Sentence]] = []
    per_practice: dict[str, int] = {}
    for score, _, _, sentence in scored:
        if len(picked) >= max(1, max_sentences):
            break
        if picked and score < best - KEEP_WITHIN:
            break
        if per_practice.get(sentence.practice_id, 0) >= PER_PRACTICE or any(sentence.text == p.text for _, p in picked):
            continue
        picked.append((score, sentence))
        per_practice[sentence.practice_id] = per_practice.get(sentence.practice_id, 0) + 1
    order = list(dict.fromkeys(s.practice_id for _, s in picked))
    picked.sort(key=lambda pair: (order.index(pair[1].practice_id), -pair[0]))
    return [s for _, s in picked]


def _score_sentences(engine: SearchEngine, cleaned: str, query: np.ndarray, practices: list[Practice]) -> list[tuple[float, float, int, Sentence]]:
    """(score, cosine, practice rank, sentence) for every sentence of the candidate practices."""
    query_terms = set(tokens(cleaned))
    query_numbers = {term for term in query_terms if any(ch.isdigit() for ch in term)}
    scored: list[tuple[float, float, int, Sentence]] = []
    for rank, practice in enumerate(practices):
        pairs = [engine.sentences(practice)] + [engine.document_sentences(d.id) for d in engine.practice_documents(practice.id)]
        for sentence, cosine in ((s, c) for sentences, vectors in pairs if sentences for s, c in zip(sentences, vectors @ query)):
            terms = set(tokens(sentence.text))
            overlap = len(query_terms & terms) / len(query_terms) if query_terms else 0.0
            score = float(cosine) + KEYWORD_BONUS * overlap
            if query_numbers & terms:
                score += NUMBER_BONUS
            if sentence.editorial:
                score -= EDITOR_PENALTY
            scored.append((score, float(cosine), rank, sentence))
    return scored


# -- confidence ------------------------------------------------------------------------------


def answer_features(engine: SearchEngine, cleaned: str, query: np.ndarray, lang: str, scored: list[tuple[float, float, int, Sentence]]) -> dict[str, float]:
    """What the calibrated confidence of a sentence answer rests on:

    - cosine: the best sentence's cosine similarity minus the language's offset (DECLINE_BELOW);
    - peak: how far that cosine stands above the question's cosines to every sentence of the
      knowledge base, in standard deviations (an everyday question is about as close to all of them);
    - support: the share of the question's rare words (IDF-weighted) that the best sentence or its
      practice's names and keywords contain.
    """
    best = max(scored, key=lambda s: s[1])
    matrix = engine.sentence_matrix()
    cosines = matrix @ query if len(matrix) else np.zeros(1)
    spread = float(cosines.std()) or 1.0
    practice = engine.kb.by_id()[best[3].practice_id]
    terms = set(tokens(cleaned))
    present = set(tokens(" ".join((best[3].text, practice.title, practice.title_en, *practice.keywords))))
    weight = sum(engine.keywords.idf(term) for term in terms)
    support = sum(engine.keywords.idf(term) for term in terms & present) / weight if weight else 0.0
    return {"cosine": best[1] - DECLINE_BELOW[lang], "peak": (best[1] - float(cosines.mean())) / spread, "support": support}


def calibrated(features: dict[str, float]) -> float:
    """The estimated chance that a sentence answer is right (logistic model of CALIBRATION)."""
    z = CALIBRATION["intercept"] + sum(CALIBRATION[name] * value for name, value in features.items())
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def _earlier_confidence(best_cosine: float, lang: str) -> float:
    """The earlier method: 0.5 at the decline threshold, 1.0 at CONFIDENT_SPAN above, 0.0 at 0.1 below."""
    threshold = DECLINE_BELOW[lang]
    if best_cosine >= threshold:
        value = 0.5 + 0.5 * (best_cosine - threshold) / CONFIDENT_SPAN
    else:
        value = 0.5 * (best_cosine - (threshold - 0.1)) / 0.1
    return float(min(1.0, max(0.0, value)))


def warm_up(engine: SearchEngine) -> int:
    """Read every practice's sentence vectors (kept with the index) into memory; returns how many."""
    return sum(len(engine.sentences(p)[0]) for p in engine.kb.practices)


def _frame(practice: Practice, lang: str) -> str:
    region = practice.region_name or "Kota Kediri"
    if lang == "en":  # "Kediri's practice records", not "Kota Kediri's"
        region = region.replace("Kota ", "").replace("Kabupaten ", "")
    return t("answer.frame", lang, region=region)


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
    return t(f"followup.{kind}", lang, title=short_title(practice))


def _followups(practice: Practice, lang: str, cited_sections: set[str], asked: str, n: int = 3) -> list[str]:
    out: list[str] = []
    for kind, sections in FOLLOWUPS.items():
        if len(out) >= n:
            break
        if not _has(practice, kind) or set(sections) & cited_sections:
            continue
        q = _question(practice, kind, lang)
        if fold(q) != fold(asked):
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

