"""The state database behind the stores (questions and feedback, self-assessments, visits), through
SQLAlchemy Core: an SQLite file in the state folder by default, or one PostgreSQL database shared
by every app replica when RUJUKAN_DATABASE_URL is set.

- SQLite: a small pool of connections, each used by one operation at a time (safe across
  Streamlit's threads), WAL so readers run beside a writer, every write one BEGIN IMMEDIATE … COMMIT
  (a crash leaves the old state); a read-only folder is read without writing (immutable unless a
  writer left commits in the -wal file) and saving is refused with a message.
- PostgreSQL (psycopg): a small pool checked before use, so a restarted server is used again by
  itself; connecting gives up after CONNECT_TIMEOUT_S and the message names host and port.
- Tables are made and carried forward by Alembic (rujukan/migrations, one branch per store);
  a file made before Alembic (a `schema_version` table) is stamped at its version, then upgraded.
- Every driver or file failure becomes a StateError that says what to do, never a traceback.
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import QueuePool

from .errors import StateError

#: A store's place: an SQLite file, or a PostgreSQL URL (RUJUKAN_DATABASE_URL).
Target = Path | str

MIGRATIONS = Path(__file__).with_name("migrations")
#: Seconds PostgreSQL may take to accept a connection before the page says it is unreachable.
CONNECT_TIMEOUT_S = 3
#: Seconds a PostgreSQL statement, or its wait for a lock, may take.
STATEMENT_TIMEOUT_S, LOCK_TIMEOUT_S = 15, 5
#: Two replicas starting at once carry the schema forward one after the other (pg_advisory_xact_lock).
_MIGRATION_LOCK = 72_805_842


def is_url(target: Target) -> bool:
    return isinstance(target, str) and "://" in target


def file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of a file (None when it is missing): tells a file moved aside or replaced from the one opened."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


class Database:
    def __init__(self, target: Target, label: str, *, busy_timeout: float = 5.0, max_pages: int | None = None,
                 inspect_only: bool = False) -> None:
        """`label` names the store for people ("the feedback database"); `inspect_only` opens an
        SQLite file read-only, changing nothing (for `rujukan doctor`)."""
        self.label = label
        self.inspect_only = inspect_only
        self.busy_timeout = float(busy_timeout)
        self.max_pages = max_pages
        if is_url(target):
            self._open_postgresql(str(target))
        else:
            self._open_sqlite(Path(target))

    # ------------------------------------------------------------------ opening

    def _open_postgresql(self, text: str) -> None:
        try:
            url = make_url(text)
        except sa.exc.ArgumentError:
            raise StateError("RUJUKAN_DATABASE_URL is not a database URL; write it as postgresql+psycopg://user:password@host:5432/name.",
                             "open") from None
        if url.get_backend_name() != "postgresql":
            raise StateError(f"RUJUKAN_DATABASE_URL names {url.get_backend_name()!r}; only PostgreSQL is supported there "
                             "(leave it empty for SQLite files in the state folder).", "open")
        url = url.set(drivername="postgresql+psycopg")
        self.kind = "postgresql"
        self.path: Path | None = None
        self.read_only = False
        host = url.host or url.query.get("host") or "local socket"
        self.where = f"PostgreSQL {host}:{url.port or url.query.get('port') or 5432}/{url.database or ''}"
        options = f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000} -c lock_timeout={LOCK_TIMEOUT_S * 1000}"
        self.engine = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_timeout=self.busy_timeout,
                                       connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "options": options})

    def _open_sqlite(self, path: Path) -> None:
        self.kind = "sqlite"
        self.path = path
        self.where = f"SQLite {path}"
        try:
            if not self.inspect_only:
                path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(f"Cannot create the folder {path.parent} for {self.label}: {exc.strerror or exc}. "
                             "Check the path (RUJUKAN_STATE_DIR) and its permissions.", "open") from exc
        #: A folder (or file) that cannot be written, e.g. on read-only media: what it holds is read
        #: (immutable, no locks), and any save says that saving is off.
        self.read_only = self.inspect_only or not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))
        # A few connections stay open, so the -wal and -shm files stay too: reads go on when the disk is full.
        self.engine = sa.create_engine("sqlite://", creator=self._sqlite_connection, poolclass=QueuePool, pool_size=3, max_overflow=12,
                                       pool_timeout=self.busy_timeout)
        _OPEN.add(self)  # closed at exit, so SQLite folds the -wal file back into the database file
        # pysqlite's own transaction handling is off (isolation_level=None); SQLAlchemy's begin says
        # BEGIN IMMEDIATE for a write, so two writers queue at the start instead of failing at commit.
        sa.event.listen(self.engine, "begin", _sqlite_begin)
        sa.event.listen(self.engine, "connect", self._remember_file)
        sa.event.listen(self.engine, "checkout", self._same_file)

    def _remember_file(self, _connection: Any, record: Any) -> None:
        assert self.path is not None
        record.info["file"] = file_identity(self.path)

    def _same_file(self, _connection: Any, record: Any, _proxy: Any) -> None:
        """A pooled connection to a file since moved aside or replaced is dropped: the path is opened anew."""
        assert self.path is not None
        if record.info.get("file") != file_identity(self.path):
            raise sa.exc.DisconnectionError("the state file was moved or replaced")

    def _sqlite_connection(self) -> sqlite3.Connection:
        assert self.path is not None
        if self.inspect_only:
            con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        elif self.read_only:
            if not self.path.exists():
                raise StateError(f"{self._where()} does not exist, and its folder is read-only: nothing is saved there yet, "
                                 "and saving is off.", "readonly")
            # immutable (no locks, no -shm needed) unless a writer left commits in the -wal file, which immutable would not see
            wal = Path(f"{self.path}-wal")
            mode = "ro" if wal.exists() and wal.stat().st_size > 0 else "ro&immutable=1"
            con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode={mode}", uri=True, isolation_level=None, check_same_thread=False)
        else:
            con = sqlite3.connect(str(self.path), timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
        con.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA synchronous = NORMAL")  # with WAL: atomic; the last commits may be lost on power loss
        if self.max_pages is not None:
            con.execute(f"PRAGMA max_page_count = {int(self.max_pages)}")
        return con

    # ------------------------------------------------------------------ operations

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reads (one snapshot), closed afterwards."""
        with self._translated(), self.engine.connect() as con:
            yield con

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction, committed at the end and rolled back on any error."""
        if self.read_only:
            raise StateError(f"Saving is off: {self.label} {self.path} is in a read-only folder. What it holds is shown; "
                             "nothing new is saved until the folder (RUJUKAN_STATE_DIR) can be written.", "readonly")
        with self._translated(), self.engine.connect() as con:
            con.execution_options(rujukan_write=True)
            with con.begin():
                yield con

    def frame(self, statement: sa.Executable) -> pd.DataFrame:
        with self.read() as con:
            result = con.execute(statement)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    def insert(self, table: sa.Table) -> Any:
        """An INSERT that can say ON CONFLICT … DO UPDATE in this database's dialect."""
        from sqlalchemy.dialects import postgresql, sqlite

        return postgresql.insert(table) if self.kind == "postgresql" else sqlite.insert(table)

    def dispose(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ schema (Alembic)

    def upgrade(self, branch: str, legacy: Mapping[int, str]) -> None:
        """Make this store's tables, or carry them forward to its newest revision, in one
        transaction (a failed upgrade leaves the database as it was). A revision this Rujukan
        does not know (made by a newer one) is refused rather than misread. `legacy` maps the
        `schema_version` of a file made before Alembic to the revision it equals. A read-only
        file is only checked (it cannot be carried forward)."""
        from alembic import command

        if self.read_only:
            found = self.revision(branch, legacy)
            if found != head(branch):
                raise StateError(f"{self._where()} is at schema {found}, this Rujukan reads {head(branch)}, and the folder is read-only, "
                                 "so it cannot be carried forward.", "readonly")
            return
        from alembic.util.exc import CommandError

        if self.kind == "sqlite":
            with self._translated():
                mode = self._wal_mode()
            if str(mode).lower() != "wal":  # e.g. a file system without shared memory
                raise StateError(f"{self._where()} cannot use WAL mode (got {mode!r}).", "open")
        with self.write() as con:
            if self.kind == "postgresql":
                con.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            config = _alembic_config(con)
            current = self._branch_revision(con, branch)
            if current is None:
                old = _legacy_version(con)
                if old is not None:
                    if old not in legacy:
                        raise self._newer(f"schema {old}", branch)
                    command.stamp(config, legacy[old])
            elif current not in revisions(branch):
                raise self._newer(current, branch)
            if current != head(branch):
                try:
                    command.upgrade(config, f"{branch}@head")
                except CommandError as exc:  # e.g. another store's revision in a shared database is one this Rujukan does not know
                    raise StateError(f"{self._where()} cannot be carried forward: {exc}. It was probably changed by a newer Rujukan; "
                                     "update the app.", "newer") from exc

    def _wal_mode(self) -> str:
        """Switch the file to WAL (outside any transaction, as SQLite requires). The switch does not
        wait for another process's lock, so it is tried again until busy_timeout."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            raw = self._sqlite_connection()
            try:
                mode = str(raw.execute("PRAGMA journal_mode").fetchone()[0])
                if mode.lower() != "wal":
                    mode = str(raw.execute("PRAGMA journal_mode = WAL").fetchone()[0])
                return mode
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            finally:
                raw.close()
            time.sleep(0.05)

    def revision(self, branch: str, legacy: Mapping[int, str]) -> str | None:
        """The store's revision in the database (a legacy file's by its schema_version), or None when it has no tables yet."""
        with self.read() as con:
            found = self._branch_revision(con, branch)
            if found is None:
                old = _legacy_version(con)
                found = legacy.get(old, f"schema {old}") if old is not None else None
        return found

    @staticmethod
    def _branch_revision(con: Connection, branch: str) -> str | None:
        if not sa.inspect(con).has_table("alembic_version"):
            return None
        rows = con.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        return next((r for r in rows if r.startswith(f"{branch}_")), None)

    def _newer(self, found: str, branch: str) -> StateError:
        return StateError(f"{self._where()} was made by a newer Rujukan (it is at {found}; this one knows up to {head(branch)}). "
                          "Update the app or move the file aside.", "newer")

    # ------------------------------------------------------------------ errors

    def _where(self) -> str:
        return f"{self.label[0].upper()}{self.label[1:]} ({self.where})"

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.DBAPIError as exc:
            raise self.translate(exc.orig or exc) from exc
        except sqlite3.Error as exc:
            raise self.translate(exc) from exc
        except OSError as exc:
            raise StateError(f"Cannot use {self.label} ({self.where}): {exc.strerror or exc}.", "io") from exc

    def translate(self, exc: BaseException) -> StateError:
        if isinstance(exc, sqlite3.Error):
            return self._translate_sqlite(exc)
        return self._translate_postgresql(exc)

    def _translate_postgresql(self, exc: BaseException) -> StateError:
        code = str(getattr(exc, "sqlstate", "") or "")
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if code.startswith("08") or code in ("57P01", "57P02", "57P03") or any(
            part in text.lower() for part in ("connection refused", "could not connect", "timeout expired", "server closed",
                                              "connection failed", "no such file", "consuming input failed")):
            return StateError(f"{self._where()} cannot be reached: {text}. Check that the server runs and accepts connections; "
                              "the app uses it again by itself when it is back.", "unreachable")
        if code in ("28P01", "28000", "3D000", "42501"):
            return StateError(f"{self._where()} refused the connection: {text}. Check RUJUKAN_DATABASE_URL (user, password, "
                              "database name) and the user's rights.", "open")
        if code in ("55P03", "40001", "40P01", "57014"):
            return StateError(f"{self._where()} is busy (another session is writing to it); please try again in a moment.", "busy")
        if code in ("53100", "53200", "53300"):
            return StateError(f"Cannot save to {self.label} ({self.where}): the server is out of disk, memory or connections "
                              f"({text}). Free some, then try again.", "full")
        if code == "25006":
            return StateError(f"Cannot write {self.label} ({self.where}): the database is read-only. What it holds is shown.", "readonly")
        return StateError(f"{self._where()} gave an error: {text}.", "error")

    def _translate_sqlite(self, exc: sqlite3.Error) -> StateError:
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc).lower()
        where = f"{self.label} {self.path}"
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text:
            return StateError(f"{self._where()} is busy (another session is writing to it); please try again in a moment.", "busy")
        if name.startswith("SQLITE_FULL") or "disk is full" in text:
            return StateError(f"Cannot save to {where}: the disk (or the store's size limit) is full. "
                              "Free some space or archive the file, then try again.", "full")
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
            assert self.path is not None
            return StateError(f"{self._where()} is damaged or is not a database. Move the file aside "
                              f"(e.g. rename it to {self.path.name}.broken, with its -wal and -shm files) and a new one is created.", "corrupt")
        if name.startswith("SQLITE_READONLY") or "readonly" in text:
            return StateError(f"Cannot write {where}: it is read-only. Check the file's and folder's permissions.", "readonly")
        if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) or "unable to open" in text:
            return StateError(f"Cannot open {where}. Check that the folder (RUJUKAN_STATE_DIR) exists and can be written.", "open")
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            return StateError(f"A disk error occurred while using {where}. Check the disk (free space, permissions), then try again.", "io")
        return StateError(f"{self._where()} gave an error: {exc}.", "error")


_OPEN: weakref.WeakSet[Database] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for database in list(_OPEN):
        database.dispose()


def _sqlite_begin(con: Connection) -> None:
    con.exec_driver_sql("BEGIN IMMEDIATE" if con.get_execution_options().get("rujukan_write") else "BEGIN")


def _legacy_version(con: Connection) -> int | None:
    """The `schema_version` of a file made before Alembic, or None."""
    if not sa.inspect(con).has_table("schema_version"):
        return None
    found = con.execute(sa.text("SELECT max(version) FROM schema_version")).scalar()
    return None if found is None else int(found)


def _alembic_config(con: Connection | None = None) -> Any:
    """Alembic's configuration for rujukan/migrations, migrating on `con` (env.py reads it)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = con
    return config


@lru_cache(maxsize=1)
def _script() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def revisions(branch: str) -> set[str]:
    """Every revision of a store's tables that this Rujukan knows."""
    return {r.revision for r in _script().walk_revisions() if r.revision.startswith(f"{branch}_")}


def head(branch: str) -> str:
    """The newest revision of a store's tables that this Rujukan knows."""
    return str(_script().get_revision(f"{branch}@head").revision)
