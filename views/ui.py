"""What the pages share: cached resources, safe text, and the practice widgets.

Caching lives here and only here: the model and the prepared engine are shared resources
(read-only, shared across sessions); the knowledge base is cached data keyed by the files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NoReturn

import streamlit as st

from rujukan.config import Settings
from rujukan.embeddings import Embedder, load_embedder, needs_build
from rujukan.errors import RujukanError
from rujukan.feedback import FeedbackStore, default_path, new_session_id
from rujukan.i18n import t
from rujukan.regions import Dataset, load_dataset
from rujukan.visits import RecordedVisit, VisitLog
from rujukan.visits import default_path as visits_path
from rujukan.practices import KnowledgeBase, Practice, cited_numbers, load_knowledge
from rujukan.search import Match
from rujukan.service import Ready, prepare
from rujukan.vocabulary import STATUSES, UNKNOWN_LABEL, dimension_label, section_label

PRACTICE_PAGE = "views/praktik.py"
DIMENSION_COLORS = {
    "governance": "blue",
    "branding": "violet",
    "economy": "orange",
    "living": "red",
    "society": "green",
    "environment": "gray",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def lang() -> str:
    return "en" if st.session_state.get("lang") == "en" else "id"


def settings() -> Settings:
    try:
        return Settings.from_env()
    except RujukanError as exc:
        fail(exc)


def files_signature(files) -> tuple:
    """Changes whenever one of the files is added, removed or edited: a cache key."""
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(files))


def _signature(s: Settings) -> tuple:
    return files_signature(s.practices_dir.glob("*.md") if s.practices_dir.is_dir() else [])


@st.cache_data(show_spinner=False)
def _knowledge(s: Settings, signature: tuple) -> KnowledgeBase:
    return load_knowledge(s.practices_dir)


def knowledge() -> KnowledgeBase:
    s = settings()
    return _knowledge(s, _signature(s))


@st.cache_data(show_spinner=False)
def _dataset(data_dir: str, signature: tuple) -> Dataset:
    return load_dataset(Path(data_dir))


def dataset() -> Dataset:
    """The built region tables (cached until a file changes); stops the page with a message if unreadable."""
    s = settings()
    try:
        return _dataset(str(s.data_dir), files_signature(s.data_dir.glob("*.csv")))
    except RujukanError as exc:
        fail(exc)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> FeedbackStore:
    return FeedbackStore(Path(path))


def store() -> FeedbackStore | None:
    """The shared feedback store; None (with a warning) when it cannot be opened, so the page goes on."""
    try:
        return _store(str(default_path(settings())))
    except RujukanError as exc:
        st.warning(text(str(exc)))
        return None


def recorded_visits(practice_id: str) -> list[RecordedVisit]:
    """Visits recorded when briefs were made, for one practice; [] (with a warning) if unreadable."""
    try:
        return VisitLog(visits_path(settings())).list_for_practice(practice_id)
    except RujukanError as exc:
        st.warning(text(str(exc)))
        return []


def session_id() -> str:
    """A random id for this browser session: no personal data, only to keep sessions apart."""
    if "session_id" not in st.session_state:
        st.session_state["session_id"] = new_session_id()
    return st.session_state["session_id"]


def log_once(kind: str, query: str, result_count: int, top_practice: str | None, top_score: float | None, declined: bool) -> int | None:
    """Record a question or search once per session and text (reruns do not count again)."""
    key = f"logged::{kind}::{query}"
    if key not in st.session_state:
        s = store()
        try:
            st.session_state[key] = s.log_event(session_id(), kind, query, result_count, top_practice, top_score, declined) if s else None
        except RujukanError as exc:
            st.warning(text(str(exc)))
            st.session_state[key] = None
    return st.session_state[key]


def feedback_widget(event_id: int | None, key: str, practice_id: str | None = None, with_comment: bool = False) -> None:
    """Thumbs up/down (and an optional comment) stored against the event."""
    if event_id is None:
        return
    l = lang()
    with st.container(horizontal=True):
        choice = st.feedback("thumbs", key=f"fb::{key}")
        comment = st.text_input(t("comment", l), key=f"fbc::{key}", label_visibility="collapsed", placeholder=t("comment", l)) if with_comment else ""
    sent = f"fbsent::{key}"
    if choice is not None and not st.session_state.get(sent):
        s = store()
        try:
            if s:
                s.add_feedback(session_id(), event_id, helpful=choice == 1, comment=comment or "", practice_id=practice_id)
                st.session_state[sent] = True
                st.toast(t("thanks", l))
        except RujukanError as exc:
            st.warning(text(str(exc)))


@st.cache_resource(show_spinner=False)
def _embedder(s: Settings) -> Embedder:
    return load_embedder(s, log=lambda _msg: None)


@st.cache_resource(show_spinner=False)
def _ready(s: Settings, signature: tuple) -> Ready:
    return prepare(s, log=lambda _msg: None, embedder=_embedder(s), kb=_knowledge(s, signature))


def ready() -> Ready:
    """The search engine, indexing what changed on first use; stops the page with a message on failure."""
    s = settings()
    try:
        if needs_build(s):
            st.info(t("building_model", lang(), folder=text(str(s.model_cache))))
        with st.spinner(t("preparing", lang())):
            return _ready(s, _signature(s))
    except RujukanError as exc:
        fail(exc)


def fail(exc: RujukanError) -> NoReturn:
    """Show an error a user can act on, then stop the page (never a traceback)."""
    st.error(f"{t('error_prefix', lang())} {text(str(exc))}", icon=":material/error:")
    st.stop()


@st.cache_resource(show_spinner=False)
def _answers_warm(_engine, signature: tuple) -> int:
    from rujukan.answer import warm_up

    return warm_up(_engine)


def answers_ready() -> Ready:
    """The engine with every record sentence embedded once, so the first question is quick."""
    prepared = ready()
    s = settings()
    with st.spinner(t("preparing", lang())):
        _answers_warm(prepared.engine, _signature(s))
    return prepared


def text(value: str) -> str:
    """Escape Markdown so text from records and users shows as written, never as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value)


def body(value: str) -> str:
    """Like text(), but keeps a record's paragraphs and '- ' bullet lists."""
    lines = []
    for line in value.splitlines():
        bullet = re.match(r"^(\s*)[-*]\s+(.*)$", line)
        lines.append(f"{bullet.group(1)}- {text(bullet.group(2))}" if bullet else text(line))
    return "\n".join(lines)


def show_problems(kb: KnowledgeBase) -> None:
    if kb.problems:
        lines = "\n".join(f"- {text(Path(p.file).name)}: {text(p.field)}: {text(p.message)}" for p in kb.problems)
        st.warning(f"{t('broken_records', lang())}\n\n{lines}", icon=":material/warning:")


def field_value(practice: Practice, name: str, value: str) -> str:
    """A front-matter value for display: unknown when empty, flagged when uncertain."""
    if not value:
        return UNKNOWN_LABEL[lang()]
    shown = text(value)
    return f"{shown} ({t('uncertain', lang())})" if name in practice.uncertain else shown


def status_label(status: str) -> str:
    return STATUSES.get(status, STATUSES["unknown"])[0 if lang() == "id" else 1]


def dimension_badges(practice: Practice) -> None:
    with st.container(horizontal=True, gap="small"):
        for dim in practice.dimensions:
            st.badge(dimension_label(dim, lang()), color=DIMENSION_COLORS.get(dim, "gray"))


def title_of(practice: Practice) -> str:
    return practice.title_en if lang() == "en" else practice.title


def practice_link(practice: Practice, label: str | None = None) -> None:
    st.page_link(PRACTICE_PAGE, label=label or title_of(practice), query_params={"practice": practice.id}, icon=":material/arrow_forward:")


def result_card(match: Match, rank: int, event_id: int | None = None) -> None:
    p = match.practice
    l = lang()
    with st.container(border=True):
        st.markdown(f"#### {rank}. {text(title_of(p))}")
        dimension_badges(p)
        why = f"{t('matched_in', l)} **{section_label(match.section, l)}** · {t('similarity', l)} {match.similarity:.2f}"
        if match.matched_terms:
            why += f" · {t('keywords_matched', l)}: " + ", ".join(f"`{term}`" for term in match.matched_terms[:6])
        st.caption(why)
        st.markdown(body(match.passage))
        cited = sorted(cited_numbers(match.passage))
        sources = [p.source(n) for n in cited if p.source(n)] or list(p.sources[:1])
        st.caption(
            f"{t('sources', l)}: "
            + " · ".join(f"[{s.number}] [{text(s.publisher or s.title)}]({s.url}) {text(s.date)}" for s in sources)
        )
        practice_link(p, t("open_practice", l))
        feedback_widget(event_id, key=f"search::{event_id}::{p.id}", practice_id=p.id)
