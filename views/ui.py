"""The one door from pages to the core: cached resources, error messages, safe text, shared widgets.

Caching lives here and only here: the model, the prepared engine and the state stores are shared
resources (read-only or safe across threads, shared across sessions), and so are the knowledge
base and the region tables (read-only by contract, keyed by their files: shared, not copied, so
what they work out once, such as a Dataset's latest values, stays worked out); the programme
tables and the analyses a page reruns (peers, gaps, recommendations) are cached per input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn

import pandas as pd
import streamlit as st

from rujukan import charts, markdown
from rujukan.access import ADMIN, CURATOR, role_of
from rujukan.assessment import Assessment, AssessmentStore
from rujukan.config import Settings
from rujukan.database import file_identity, is_url
from rujukan.documents import Document, DocumentLibrary
from rujukan.embeddings import Embedder, load_embedder, needs_build
from rujukan.errors import RujukanError
from rujukan.feedback import FeedbackStore, new_session_id
from rujukan.i18n import t
from rujukan.journey import Programme, load_programme
from rujukan.keyword import highlight
from rujukan.outlines import DETAILED_PROVINCES, NATIONAL_FILE, OUTLINE_FILES, load_national, load_outlines
from rujukan.practices import KnowledgeBase, Practice, Source, cited_numbers, load_knowledge, source_name
from rujukan.queue import is_stale
from rujukan.recommend import Recommendation, default_peers, indicator_gaps, recommend
from rujukan.regions import DEFAULT_FOCUS, Dataset, find_peers, load_dataset
from rujukan.revisions import RevisionStore
from rujukan.search import MAX_QUERY_CHARS, Match, SearchEngine, cut_query, excerpt
from rujukan.service import Ready, prepare
from rujukan.visits import RecordedVisit, VisitLog
from rujukan.vocabulary import dimension_label, section_label, status_label

PRACTICE_PAGE = "views/praktik.py"
DOCUMENT_PAGE = "views/dokumen.py"
BRIEF_PAGE = "views/brief.py"
#: The URL parameter of the reference regions (repeated: ?ref=3571&ref=3328).
REFERENCE_PARAM = "ref"
#: Practices recommended for a region's gaps.
RECOMMENDED = 5
DIMENSION_COLORS = {
    "governance": "blue",
    "branding": "violet",
    "economy": "orange",
    "living": "red",
    "society": "green",
    "environment": "gray",
}


def lang() -> str:
    return "en" if st.session_state.get("lang") == "en" else "id"


def settings() -> Settings:
    try:
        return Settings.from_env()
    except RujukanError as exc:
        fail(exc)


# ------------------------------------------------------------------ errors


def show_error(exc: RujukanError, prefix: str | None = None, level: Literal["error", "warning"] = "error") -> None:
    """A RujukanError as a message a person can act on (after a translated prefix), never a traceback."""
    message = text(str(exc))
    if prefix:
        message = f"{t(prefix, lang())} {message}"
    if level == "warning":
        st.warning(message, icon=":material/warning:")
    else:
        st.error(message, icon=":material/error:")


@contextmanager
def report_errors(prefix: str | None = None, level: Literal["error", "warning"] = "error") -> Iterator[None]:
    """Run a block; a RujukanError raised in it is shown (see show_error) and the rest of the page goes on."""
    try:
        yield
    except RujukanError as exc:
        show_error(exc, prefix, level)


def fail(exc: RujukanError) -> NoReturn:
    """Show an error a user can act on, then stop the page (never a traceback)."""
    show_error(exc, "common.error_prefix")
    st.stop()


# ------------------------------------------------------------------ cached data


def files_signature(files: Iterable[Path]) -> tuple:
    """Changes whenever one of the files is added, removed or edited: a cache key."""
    return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in sorted(files))


def _folder_signature(folder: Path, pattern: str) -> tuple:
    return files_signature(folder.glob(pattern) if folder.is_dir() else [])


def _signature(s: Settings) -> tuple:
    """Changes with any record or attached document: a new search engine is prepared then."""
    return _folder_signature(s.practices_dir, "*.md") + _folder_signature(s.documents_folder, "*.json")


def document_library() -> DocumentLibrary:
    return settings().document_library()


@st.cache_resource(show_spinner=False, max_entries=8)
def _documents(s: Settings, signature: tuple) -> list[Document]:
    return s.document_library().documents()


def documents() -> list[Document]:
    """Every attached document (read again when one is added or removed)."""
    s = settings()
    return _documents(s, _signature(s))


def document_link(document: Document, page: int, label: str | None = None) -> None:
    """A link to the document viewer, opened at `page`."""
    st.page_link(DOCUMENT_PAGE, label=text(label or t("document.open", lang(), page=page)), query_params={"doc": document.id, "page": str(page)},
                 icon=":material/description:")


def record_documents(p: Practice) -> None:
    """The documents attached to a practice, each a link to the viewer."""
    attached = [d for d in documents() if d.practice_id == p.id]
    if not attached:
        return
    lng = lang()
    st.subheader(t("document.of_practice", lng))
    for d in attached:
        document_link(d, 1, f"{d.title} ({d.kind.upper()}, {t('document.pages', lng).lower()}: {len(d.pages)})")
        if not d.text_layer:
            st.caption(t("document.no_text_layer", lng))


@st.cache_resource(show_spinner=False, max_entries=8)
def _knowledge(s: Settings, signature: tuple) -> KnowledgeBase:
    return load_knowledge(s.practices_dir)


def knowledge() -> KnowledgeBase:
    s = settings()
    return _knowledge(s, _signature(s))


@st.cache_resource(show_spinner=False)
def _dataset(data_dir: str, signature: tuple) -> Dataset:
    return load_dataset(Path(data_dir))


def dataset() -> Dataset:
    """The built region tables (cached until a file changes); stops the page with a message if unreadable."""
    s = settings()
    try:
        return _dataset(str(s.data_dir), _folder_signature(s.data_dir, "*.csv"))
    except RujukanError as exc:
        fail(exc)


@st.cache_data(show_spinner=False)
def _programme(data_dir: str, signature: tuple, known: tuple[str, ...]) -> Programme:
    return load_programme(Path(data_dir), known)


def programme(kb: KnowledgeBase) -> Programme:
    """The programme's stages, milestones and visits (data/programme); stops the page with a message if unusable."""
    s = settings()
    try:
        return _programme(str(s.data_dir), _folder_signature(s.data_dir / "programme", "*.csv"), tuple(sorted(p.id for p in kb.practices)))
    except RujukanError as exc:
        fail(exc)


def _outline_files() -> tuple[Path, tuple]:
    """The data folder and the signature of the outline files (what the outlines and maps are cached by)."""
    data = settings().data_dir
    files = [data / NATIONAL_FILE, *(data / "raw" / name for name in OUTLINE_FILES)]
    return data, files_signature(p for p in files if p.exists())


@st.cache_resource(show_spinner=False, max_entries=64)
def _map_outlines(data_dir: str, signature: tuple, province: str | None) -> dict:
    national = load_national(Path(data_dir))
    if province is None:
        return national
    if province in DETAILED_PROVINCES:
        detailed = load_outlines(Path(data_dir) / "raw")
        return {"type": "FeatureCollection", "features": [f for f in detailed["features"] if f["id"][:2] == province]}
    return {"type": "FeatureCollection", "features": [f for f in national["features"] if f["id"][:2] == province]}


def map_outlines(province: str | None = None) -> dict:
    """Outlines for a map: all Indonesia (province None), or one province's regions (Jawa Timur and
    Jawa Tengah in their detailed outlines); features without geometry are regions the source has no
    outline for. Read once per file version; shared, treat as read-only. OutlineError if unusable."""
    data, signature = _outline_files()
    return _map_outlines(str(data), signature, province)


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(name: str, *args):
    return getattr(charts, name)(*args)


def figure(build: Callable, *args):
    """A chart from rujukan.charts, built once per its inputs (a rerun redraws the same figure;
    the figure is shared: do not change it)."""
    if getattr(charts, build.__name__, None) is not build:
        raise ValueError(f"{build!r} is not a figure of rujukan.charts")
    return _figure(build.__name__, *args)


@st.cache_resource(show_spinner=False, max_entries=64)
def _region_map(signature: tuple, province: str | None, values: pd.DataFrame, names: dict, colors: dict, title: str, unit: str, source: str,
                lang: str):
    return charts.region_map(map_outlines(province), values, names, colors, title, unit, source, lang)


def region_map(province: str | None, values: pd.DataFrame, names: dict[str, str], colors: dict[str, str], title: str, unit: str, source: str,
               lang: str):
    """charts.region_map over map_outlines(province), drawn once per its inputs (a rerun shows the same map); OutlineError as map_outlines()."""
    return _region_map(_outline_files()[1], province, values, names, colors, title, unit, source, lang)


# ------------------------------------------------------------------ analyses (cached per input)
# A page reruns on every click: the peers, gaps and recommendations for the same region, peers and
# saved assessment are worked out once per data and index version (and shared across sessions).


def _data_key() -> tuple:
    s = settings()
    return str(s.data_dir), _folder_signature(s.data_dir, "*.csv")


@st.cache_data(show_spinner=False, max_entries=256)
def _suggested_peers(_ds: Dataset, key: tuple, region: str) -> list[str]:
    return default_peers(_ds, region)


def suggested_peers(ds: Dataset, region: str) -> list[str]:
    """rujukan.recommend.default_peers for the built tables."""
    return _suggested_peers(ds, _data_key(), region)


@st.cache_data(show_spinner=False, max_entries=256)
def _peers(_ds: Dataset, key: tuple, focus: str, indicators: tuple[str, ...], k: int, same_kind: bool, same_province: bool,
           same_size: bool) -> list:
    return find_peers(_ds, focus, list(indicators), k=k, same_kind=same_kind, same_province=same_province, same_size=same_size)


def peers(ds: Dataset, focus: str, indicators: list[str], k: int, same_kind: bool = False, same_province: bool = False,
          same_size: bool = False) -> list:
    """rujukan.regions.find_peers for the built tables, once per input."""
    return _peers(ds, _data_key(), focus, tuple(indicators), k, same_kind, same_province, same_size)


@st.cache_data(show_spinner=False, max_entries=256)
def _indicator_gaps(_ds: Dataset, key: tuple, region: str, peers: tuple[str, ...]) -> pd.DataFrame:
    return indicator_gaps(_ds, region, peers=list(peers))


def region_indicator_gaps(ds: Dataset, region: str, peers: list[str]) -> pd.DataFrame:
    """rujukan.recommend.indicator_gaps for the built tables."""
    return _indicator_gaps(ds, _data_key(), region, tuple(peers))


@st.cache_resource(show_spinner=False, max_entries=256)
def _recommendations(_engine: SearchEngine, _ds: Dataset, _assessment: Assessment | None, key: tuple) -> list[Recommendation]:
    region, peers, references = key[2], key[4], key[5]
    return recommend(_engine, _ds, region, _assessment, k=RECOMMENDED, peers=list(peers), references=references)


def recommendations(engine: SearchEngine, ds: Dataset, region: str, assessment: Assessment | None, peers: list[str],
                    references: tuple[str, ...] = ()) -> list[Recommendation]:
    """rujukan.recommend.recommend (up to RECOMMENDED) for the built tables and the prepared index, from
    the practices of the reference regions (none: every region's)."""
    saved = None if assessment is None else (assessment.date, assessment.updated, tuple(sorted(assessment.scores.items())))
    return _recommendations(engine, ds, assessment, (_data_key(), _signature(settings()), region, saved, tuple(peers), tuple(references)))


# ------------------------------------------------------------------ the state stores


def _identity(target: Path | str) -> tuple[int, int] | None:
    """Part of a store's cache key: an SQLite file moved aside or replaced is opened (and its schema made) anew."""
    return None if is_url(target) else file_identity(Path(target))


def _target(text: str) -> Path | str:
    return text if is_url(text) else Path(text)


@st.cache_resource(show_spinner=False)
def _feedback_store(target: str, identity: tuple[int, int] | None) -> FeedbackStore:
    return FeedbackStore(_target(target))


@st.cache_resource(show_spinner=False)
def _assessment_store(target: str, identity: tuple[int, int] | None) -> AssessmentStore:
    return AssessmentStore(_target(target))


@st.cache_resource(show_spinner=False)
def _visit_log(target: str, identity: tuple[int, int] | None) -> VisitLog:
    return VisitLog(_target(target))


def feedback_store() -> FeedbackStore | None:
    """The shared store of questions and feedback; None (with a warning) when it cannot be opened, so the page goes on."""
    target = settings().feedback_db
    try:
        return _feedback_store(str(target), _identity(target))
    except RujukanError as exc:
        show_error(exc, level="warning")
        return None


def assessment_store() -> AssessmentStore:
    """The shared self-assessment store; raises RujukanError when it cannot be opened."""
    target = settings().assessments_db
    return _assessment_store(str(target), _identity(target))


def visit_log() -> VisitLog:
    """The shared log of visits recorded with briefing packs; raises RujukanError when it cannot be opened."""
    target = settings().visits_db
    return _visit_log(str(target), _identity(target))


@st.cache_resource(show_spinner=False)
def _revision_store(target: str, identity: tuple[int, int] | None, practices_dir: str) -> RevisionStore:
    return RevisionStore(_target(target), Path(practices_dir))


def revision_store() -> RevisionStore:
    """The revisions of the records; stops the page with a message when the store cannot be opened."""
    s = settings()
    try:
        return _revision_store(str(s.revisions_db), _identity(s.revisions_db), str(s.practices_dir))
    except RujukanError as exc:
        fail(exc)


def recorded_visits(practice_id: str) -> list[RecordedVisit]:
    """Visits recorded when briefs were made, for one practice; [] (with a warning) if unreadable."""
    with report_errors(level="warning"):
        return visit_log().visits_for_practice(practice_id)
    return []


# ------------------------------------------------------------------ regions


def url_values(key: str, known: Iterable[str], many: bool = False) -> list[str]:
    """The URL parameter's values (comma-separated when `many`) that are among `known`; any other value
    is named in a notice, not dropped silently (the page then writes the URL anew without it)."""
    raw = st.query_params.get(key)
    if not raw:
        return []
    parts = [part.strip() for part in raw.split(",")] if many else [raw.strip()]
    allowed = set(known)
    bad = [part for part in parts if part and part not in allowed]
    if bad:
        ignored(key, ", ".join(bad))
    return [part for part in parts if part in allowed]


def ignored(key: str, value: str, used: str = "") -> None:
    """A notice naming a URL parameter's value that the page does not use, or (`used`) has limited."""
    shown = text(value[:80] + ("…" if len(value) > 80 else ""))
    message = t("common.param_limited", lang(), param=text(key), value=shown, used=used) if used else \
        t("common.param_ignored", lang(), param=text(key), value=shown)
    st.warning(message, icon=":material/link_off:")


def url_region(key: str, codes: list[str]) -> str | None:
    """The region code the URL asks for under `key` if it is a choice (else a notice, and None)."""
    return next(iter(url_values(key, codes)), None)


def region_index(codes: list[str], wanted: str | None, default: str = DEFAULT_FOCUS) -> int:
    """Where a region picker starts: the region asked for (e.g. in the URL) if it is a choice, else
    the default (Kabupaten Tegal), else the first choice."""
    for code in (wanted, default):
        if code in codes:
            return codes.index(code)
    return 0


def reference_regions(kb: KnowledgeBase, key: str) -> tuple[str, ...]:
    """The "Wilayah rujukan" control: the reference regions whose practices a page uses (BPS codes;
    none chosen = every region), kept in the URL as ?ref=3571&ref=3328 like the page's other filters.
    Only regions with at least one record are offered; while every record is of one region, a caption
    says so instead of a picker with a single choice."""
    lng = lang()
    regions = kb.regions()
    asked = st.query_params.get_all(REFERENCE_PARAM)
    wanted = [code for code in dict.fromkeys(asked) if code in regions]
    if any(code not in regions for code in asked):
        ignored(REFERENCE_PARAM, ", ".join(code for code in asked if code not in regions))
    if len(regions) <= 1:
        if regions:
            st.caption(t("reference.only_one", lng, name=text(next(iter(regions.values())))))
        st.query_params[REFERENCE_PARAM] = wanted
        return ()
    chosen = st.multiselect(t("reference.label", lng), list(regions), default=wanted, format_func=regions.__getitem__, key=key,
                            help=t("reference.help", lng), placeholder=t("reference.all", lng), select_all=False)
    st.query_params[REFERENCE_PARAM] = chosen
    return tuple(chosen)


def region_badge(name: str) -> None:
    """A practice's reference region, beside its dimension badges."""
    st.badge(text(name), color="gray", icon=":material/location_on:", help=t("reference.label", lang()))


def region_label(ds: Dataset) -> Callable[[str], str]:
    """A picker's label for a region code: "Kabupaten Tegal — Jawa Tengah"."""
    names = ds.names()
    province = dict(zip(ds.regions["code"], ds.regions["province"]))
    return lambda code: f"{names.get(code, code)} — {province.get(code, '')}"


# ------------------------------------------------------------------ questions, searches and feedback


def session_id() -> str:
    """A random id for this browser session: no personal data, only to keep sessions apart."""
    if "session_id" not in st.session_state:
        st.session_state["session_id"] = new_session_id()
    return st.session_state["session_id"]


def log_once(kind: str, query: str, result_count: int, top_practice: str | None, top_score: float | None, declined: bool) -> int | None:
    """Record a question or search once per session and text (reruns do not count again; one that
    could not be saved, e.g. while the database is down, is saved by a later rerun)."""
    key = f"logged::{kind}::{query}"
    if st.session_state.get(key) is None:
        s = feedback_store()
        if s:
            with report_errors(level="warning"):
                st.session_state[key] = s.log_event(session_id(), kind, query, result_count, top_practice, top_score, declined)
    return st.session_state.get(key)


def feedback_widget(event_id: int | None, key: str, practice_id: str | None = None, with_comment: bool = False) -> None:
    """Thumbs up/down (and an optional comment) stored against the event."""
    if event_id is None:
        return
    lng = lang()
    with st.container(horizontal=True):
        choice = st.feedback("thumbs", key=f"fb::{key}")
        comment = ""
        if with_comment:
            comment = st.text_input(t("common.comment", lng), key=f"fbc::{key}", label_visibility="collapsed", placeholder=t("common.comment", lng))
    # saved again whenever the thumb or the comment changes (the store keeps one mark per answer), so a
    # comment typed after the thumb is kept
    sent = f"fbsent::{key}"
    wanted = (choice, (comment or "").strip())
    if choice is not None and st.session_state.get(sent) != wanted:
        s = feedback_store()
        if s:
            with report_errors(level="warning"):
                s.add_feedback(session_id(), event_id, helpful=choice == 1, comment=wanted[1], practice_id=practice_id)
                st.session_state[sent] = wanted
                st.toast(t("common.thanks", lng))


# ------------------------------------------------------------------ the model and the engine


@st.cache_data(show_spinner=False, ttl=30)
def _health(s: Settings) -> list[dict[str, str]]:
    from rujukan.health import check_all

    return [c.to_dict() for c in check_all(s)]


def health_table() -> pd.DataFrame:
    """rujukan.health's checks as people read them (checked at most every 30 s)."""
    lng = lang()
    rows = _health(settings())
    return pd.DataFrame({
        t("home.health_part", lng): [t(f"health_part.{r['part']}", lng) for r in rows],
        t("home.health_status", lng): [t(f"health_status.{r['status']}", lng) for r in rows],
        t("home.health_summary", lng): [r["summary"] for r in rows],
        t("home.health_detail", lng): [r["detail"] for r in rows],
    })


#: Model folders whose model this process holds in memory (a folder deleted afterwards does not unload it).
_LOADED_MODELS: set[str] = set()


@st.cache_resource(show_spinner=False)
def _embedder(s: Settings) -> Embedder:
    embedder = load_embedder(s, log=lambda _msg: None)
    _LOADED_MODELS.add(str(s.model_cache))
    return embedder


@st.cache_resource(show_spinner=False, max_entries=4)  # a new engine per version of the records (each curator's save)
def _ready(s: Settings, signature: tuple) -> Ready:
    return prepare(s, log=lambda _msg: None, embedder=_embedder(s), kb=_knowledge(s, signature))


def ready() -> Ready:
    """The search engine, indexing what changed on first use; stops the page with a message on failure."""
    s = settings()
    try:
        unbuilt = needs_build(s)
        if unbuilt and str(s.model_cache) in _LOADED_MODELS:  # deleted while running: nothing is being built
            st.warning(t("common.model_cache_gone", lang(), folder=text(str(s.model_cache))), icon=":material/warning:")
        elif unbuilt:
            st.info(t("common.building_model", lang(), folder=text(str(s.model_cache))))
        with st.spinner(t("common.preparing", lang())):
            return _ready(s, _signature(s))
    except RujukanError as exc:
        fail(exc)


@st.cache_resource(show_spinner=False)
def _answers_warm(_engine, signature: tuple) -> int:
    from rujukan.answer import warm_up

    return warm_up(_engine)


def answers_ready() -> Ready:
    """The engine with every record sentence embedded once, so the first question is quick."""
    prepared = ready()
    s = settings()
    try:
        with st.spinner(t("common.preparing", lang())):
            _answers_warm(prepared.engine, _signature(s))
    except RujukanError as exc:
        fail(exc)
    return prepared


# ------------------------------------------------------------------ tables


def table(frame: pd.DataFrame, **options) -> bool:
    """A table as st.dataframe shows it, or, when it has no rows, a line saying so in the
    interface's language (st.dataframe would print its own English "empty"). True when shown."""
    if frame.empty:
        st.caption(t("common.no_rows", lang()))
        return False
    st.dataframe(frame, hide_index=True, **options)
    return True


# ------------------------------------------------------------------ safe text


def cut_long_text(key: str) -> bool:
    """Before a query box bound to the URL parameter `key`: a text beyond search.MAX_QUERY_CHARS (typed,
    pasted or in a link) is cut there, in the box and in the URL, as the search itself cuts it. True
    when it cut (the page then says so)."""
    known = key in st.session_state  # the box exists already: its value is changed, and the URL follows it
    raw = st.session_state.get(key) if known else st.query_params.get(key)
    if isinstance(raw, str) and len(raw) > MAX_QUERY_CHARS:
        cut = cut_query(raw)
        st.session_state[key] = cut
        if not known:  # a link: its parameter seeds the box, so it is cut too
            st.query_params[key] = cut
        return True
    return False


def query_notices(notices: Sequence[str], was_cut: bool) -> list[str]:
    """The search's notices about a query, with "query_truncated" when cut_long_text cut the box."""
    return [*notices, *(["query_truncated"] if was_cut and "query_truncated" not in notices else [])]


def text(value: str) -> str:
    """Text from records, users and URLs as Markdown that shows exactly as written, never as markup."""
    return markdown.escape(str(value))


def body(value: str, sources: Sequence[Source] = ()) -> str:
    """A record's text as safe Markdown: paragraphs, lists, bold, italic and http(s) links kept, each
    [n] a link to source n of `sources`; everything else shown as typed (rujukan.markdown)."""
    return markdown.record_markdown(value, sources)


def source_link(label: str, url: str) -> str:
    """A link to a source for st.markdown, or the label alone when the address is not http(s)."""
    address = markdown.safe_url(url)
    return f"[{text(label)}]({address})" if address else text(label)


# ------------------------------------------------------------------ practices


def show_problems(kb: KnowledgeBase) -> None:
    if kb.problems:
        lines = "\n".join(f"- {text(Path(p.file).name)}: {text(p.field)}: {text(p.message)}" for p in kb.problems)
        st.warning(f"{t('common.broken_records', lang())}\n\n{lines}", icon=":material/warning:")


def field_value(practice: Practice, name: str, value: str) -> str:
    """A front-matter value for display: unknown when empty, flagged when uncertain."""
    if not value:
        return t("common.unknown", lang())
    shown = body(value, practice.sources)  # its [n] linked to the record's sources
    return f"{shown} ({t('common.uncertain', lang())})" if name in practice.uncertain else shown


def status_of(status: str) -> str:
    return status_label(status, lang())


def dimension_badges(practice: Practice, region: bool = False) -> None:
    """The practice's dimensions as badges, and (`region`) its reference region after them."""
    with st.container(horizontal=True, gap="small"):
        for dim in practice.dimensions:
            st.badge(dimension_label(dim, lang()), color=DIMENSION_COLORS.get(dim, "gray"))
        if region:
            region_badge(practice.region_name)


def title_of(practice: Practice) -> str:
    return practice.title_en if lang() == "en" else practice.title


def practice_link(practice: Practice, label: str | None = None) -> None:
    st.page_link(PRACTICE_PAGE, label=text(label or title_of(practice)), query_params={"practice": practice.id}, icon=":material/arrow_forward:")


def emphasised(value: str, terms: tuple[str, ...]) -> str:
    """Record text as safe Markdown (see body()) with the words matching `terms` in bold."""
    return "".join(f"**{text(piece)}**" if hit else text(piece) for piece, hit in highlight(value, terms))


def shortlist() -> list[str]:
    """The practices this session chose for its briefing pack (from search results and practice pages)."""
    return list(st.session_state.get("shortlist", []))


def _add_to_shortlist(practice_id: str) -> None:
    st.session_state["shortlist"] = list(dict.fromkeys([*shortlist(), practice_id]))


def shortlist_button(practice: Practice, key: str) -> None:
    """"Add to the briefing pack", or, once added, a link to the pack with the session's shortlist."""
    lng = lang()
    if practice.id in shortlist():
        st.page_link(BRIEF_PAGE, label=t("brief.in_pack", lng, n=str(len(shortlist()))), query_params={"practices": ",".join(shortlist())},
                     icon=":material/task_alt:")
    else:
        st.button(t("brief.add", lng), key=f"shortlist::{key}", on_click=_add_to_shortlist, args=(practice.id,), icon=":material/playlist_add:",
                  type="tertiary")


def result_card(engine: SearchEngine, match: Match, rank: int, event_id: int | None = None, vector=None) -> None:
    """One result: title, dimensions, why it matched, the passage in the interface language centred
    on its best sentence with the shared words in bold, its sources, a link, and feedback."""
    p = match.practice
    lng = lang()
    with st.container(border=True):
        st.markdown(f"#### {rank}. {text(title_of(p))}")
        dimension_badges(p, region=True)
        where = t("document.cited", lng, title=text(match.document.title), page=match.page) if match.document else section_label(match.section, lng)
        why = f"{t('search.matched_in', lng)} **{where}** · {t('search.similarity', lng)} {match.similarity:.2f}"
        if match.matched_terms:
            why += f" · {t('search.keywords_matched', lng)}: " + ", ".join(f"`{term}`" for term in match.matched_terms[:6])
        if match.weak:
            why += f" · **{t('search.weak_card', lng)}**"
        st.caption(why)
        shown = excerpt(engine, match, lng, vector)
        st.markdown(("… " if shown.cut_before else "") + emphasised(shown.text, match.matched_terms) + (" …" if shown.cut_after else ""))
        if shown.lang not in (lng, "und"):
            st.caption(t("search.record_language", lng))
        if match.document:  # its source is the document itself, at that page
            doc = match.document
            published = f" · {t('document.source_url', lng)}: {source_link(doc.source_url, doc.source_url)}" if doc.source_url else ""
            st.caption(f"{t('common.sources', lng)}: {t('document.cited', lng, title=text(doc.title), page=match.page)}{published}")
        else:
            cited = sorted(cited_numbers(shown.text))
            sources = [s for s in (p.source(n) for n in cited) if s] or list(p.sources[:1])
            st.caption(
                f"{t('common.sources', lng)}: "
                + " · ".join(f"[{s.number}] {source_link(s.publisher or source_name(s, lng), s.url)} {text(s.date)}" for s in sources)
            )
        with st.container(horizontal=True, key=f"card-actions-{p.id}"):  # the key is also its CSS class: a test finds this card's buttons
            if match.document:
                document_link(match.document, match.page)
            practice_link(p, t("common.open_practice", lng))
            shortlist_button(p, key=f"card::{p.id}")
        feedback_widget(event_id, key=f"search::{event_id}::{p.id}", practice_id=p.id)


# ------------------------------------------------------------------ a record as visitors see it (Praktik, and the editor's preview)


def record(p: Practice, shortlist_key: str | None = None) -> None:
    """Title, badges, summary, facts table and every body section of a practice."""
    lng = lang()
    st.title(text(title_of(p)))
    st.caption(text(p.title_en if lng == "id" else p.title))
    dimension_badges(p)
    if shortlist_key:
        shortlist_button(p, key=shortlist_key)
    st.markdown(body(p.summary_en if lng == "en" else p.summary, p.sources))
    facts = [
        ("practice.field_region", "region", f"{p.region_name} ({p.region_code})"),
        ("practice.field_agency", "agency", p.agency),
        ("practice.field_started", "started", p.started),
        ("practice.field_ended", "ended", p.ended),
        ("practice.field_status", "status", status_of(p.status)),
        ("practice.field_legal_basis", "legal_basis", "; ".join(p.legal_basis)),
        ("practice.field_budget", "budget", p.budget),
        ("practice.field_last_verified", "last_verified", verified_text(p)),
    ]
    st.table({t(label, lng): field_value(p, name, value) for label, name, value in facts})
    days = settings().stale_days
    if is_stale(p, dt.date.today(), days):
        st.warning(t("practice.stale", lng, date=text(p.last_verified or t("common.unknown", lng)), days=days), icon=":material/history:")
    if lng == "en" and p.sections:  # the records are written in Indonesian; only the summary has an English version
        said = t("search.record_language", lng)
        st.caption(said[:1].upper() + said[1:] + ": " + ", ".join(section_label(s.key, lng) for s in p.sections) + ".")
    for section in p.sections:
        st.subheader(section_label(section.key, lng))
        st.markdown(body(section.text, p.sources))


def verified_text(p: Practice) -> str:
    """When the record was last checked, and by whom against which sources where the record says so."""
    if not p.last_verified or not (p.verified_by or p.verified_against):
        return p.last_verified
    lng = lang()
    against = ", ".join(f"[{n}]" for n in p.verified_against)
    return t("practice.verified", lng, date=p.last_verified, who=p.verified_by or t("common.unknown", lng), sources=against or t("common.unknown", lng))


def record_replications(p: Practice) -> None:
    """The regions that studied or copied the practice, each with its source."""
    if not p.replicated_by:
        return
    lng = lang()
    unknown = t("common.unknown", lng)
    st.subheader(t("practice.replicated_by", lng))
    for visit in p.replicated_by:
        src = p.source(visit.source)
        cited = f" {source_link(f'[{visit.source}] {src.publisher or source_name(src, lng)}', src.url)}" if src else f" \\[{visit.source}\\]"
        st.markdown(f"- {text(visit.region)}, {text(visit.date or unknown)}: {text(visit.what)}{cited}")


def record_sources(p: Practice) -> None:
    lng = lang()
    unknown = t("common.unknown", lng)
    st.subheader(t("common.sources", lng))
    for s in p.sources:  # an unknown title reads as the publisher and "title as published unknown", never the address
        publisher = f" — {text(s.publisher or unknown)}" if s.title else ""
        st.markdown(f"{s.number}\\. {source_link(source_name(s, lng), s.url)}{publisher}, {text(s.date or unknown)}")


# ------------------------------------------------------------------ sign-in (curators only; visitors never sign in)


@dataclass(frozen=True)
class Curator:
    who: str  # the e-mail address the provider gave (else its subject id)
    role: str  # rujukan.access.CURATOR or ADMIN


def sign_in_configured() -> bool:
    """Whether .streamlit/secrets.toml has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all  # noqa: BLE001
        return False


def curator() -> Curator | None:
    """The signed-in curator; otherwise None, after saying why (sign-in not set up, not signed in,
    not a curator) and offering to sign in or out."""
    lng = lang()
    if not sign_in_configured():
        st.info(t("edit.not_configured", lng), icon=":material/lock:")
        return None
    if not st.user.is_logged_in:
        st.info(t("edit.sign_in_needed", lng), icon=":material/lock:")
        st.button(t("edit.sign_in", lng), on_click=st.login, key="sign_in", type="primary")
        return None
    claims = st.user.to_dict()
    who = str(claims.get("email") or claims.get("sub") or "?")
    role = role_of(claims, settings().curators, settings().admins)
    if role is None:
        st.warning(t("edit.refused", lng, who=text(who)), icon=":material/block:")
        st.button(t("edit.sign_out", lng), on_click=st.logout, key="sign_out")
        return None
    with st.container(horizontal=True):
        roles = {ADMIN: t("edit.role_admin", lng), CURATOR: t("edit.role_curator", lng)}
        st.caption(t("edit.signed_in_as", lng, who=text(who), role=roles[role]))
        st.button(t("edit.sign_out", lng), on_click=st.logout, key="sign_out")
    return Curator(who, role)
