"""One SQLite file shared by many sessions: a connection per operation (safe across threads),
WAL, every write one BEGIN IMMEDIATE … COMMIT (a crash leaves the old state), and SQLite's
errors turned into messages a person can act on. Used by the feedback, self-assessment and
visit stores."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import StateError

#: Carries an open write transaction's file from one schema version to the next.
Migration = Callable[[sqlite3.Connection], None]


class SQLiteFile:
    def __init__(
        self,
        path: Path,
        label: str,
        *,
        busy_timeout: float = 5.0,
        max_pages: int | None = None,
    ) -> None:
        """`label` names the file for people ("the feedback database"); the folder is created."""
        self.path = Path(path)
        self.label = label
        self.busy_timeout = float(busy_timeout)
        self.max_pages = max_pages
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(
                f"Cannot create the folder {self.path.parent} for {label}: {exc.strerror or exc}. "
                "Check the path (RUJUKAN_STATE_DIR) and its permissions.",
                "open",
            ) from exc
        #: A folder (or file) that cannot be written, e.g. on read-only media: what it holds is read
        #: (immutable, no locks), and any save says that saving is off.
        self.read_only = not os.access(self.path.parent, os.W_OK) or (self.path.exists() and not os.access(self.path, os.W_OK))

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection for one operation, closed afterwards."""
        con: sqlite3.Connection | None = None
        try:
            if self.read_only:
                if not self.path.exists():
                    raise StateError(f"{self._where()} does not exist, and its folder is read-only: nothing is saved there yet, "
                                     "and saving is off.", "readonly")
                con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)
            else:
                con = sqlite3.connect(str(self.path), timeout=self.busy_timeout, isolation_level=None)
            con.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            con.execute("PRAGMA foreign_keys = ON")
            con.execute("PRAGMA synchronous = NORMAL")  # with WAL: atomic; the last commits may be lost on power loss
            if self.max_pages is not None:
                con.execute(f"PRAGMA max_page_count = {int(self.max_pages)}")
            yield con
        except sqlite3.Error as exc:
            raise self.translate(exc) from exc
        except OSError as exc:
            raise StateError(f"Cannot use {self.label} {self.path}: {exc.strerror or exc}.", "io") from exc
        finally:
            if con is not None:
                con.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, rolled back on any error."""
        if self.read_only:
            raise StateError(f"Saving is off: {self.label} {self.path} is in a read-only folder. What it holds is shown; "
                             "nothing new is saved until the folder (RUJUKAN_STATE_DIR) can be written.", "readonly")
        with self.connection() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def frame(self, sql: str, params: tuple | list = ()) -> pd.DataFrame:
        with self.connection() as con:
            cursor = con.execute(sql, params)
            return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description])

    def create_schema(self, schema: str, version: int, migrations: Mapping[int, Migration] | None = None) -> None:
        """WAL mode, the tables (statement by statement), and a schema version check, all inside one
        transaction: a file made by a newer Rujukan is refused rather than misread, and an older
        file is carried forward by `migrations[n]` (schema n to n+1, in order) before the schema's
        statements run, so a failed upgrade leaves the file as it was. A read-only file is only
        checked for its version (it cannot be carried forward)."""
        if self.read_only:
            self._check_version_read_only(version)
            return
        with self.connection() as con:
            mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # e.g. a file system without shared memory
                raise StateError(f"{self._where()} cannot use WAL mode (got {mode!r}).", "open")
        with self.write() as con:
            known = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
            found = con.execute("SELECT max(version) FROM schema_version").fetchone()[0] if known else None
            if found is not None and found > version:
                raise StateError(
                    f"{self._where()} was made by a newer Rujukan (schema {found}, this one knows {version}). "
                    "Update the app or move the file aside.",
                    "newer",
                )
            if found is not None and found < version:
                for step in range(found, version):
                    migrate = (migrations or {}).get(step)
                    if migrate is None:
                        raise StateError(
                            f"{self._where()} has schema {found}, and this Rujukan cannot carry schema {step} forward to {step + 1}. "
                            "Move the file aside (a new one is created) or open it with the Rujukan that made it.",
                            "error",
                        )
                    migrate(con)
            for statement in filter(None, (s.strip() for s in schema.split(";"))):
                con.execute(statement)
            if found is None or found < version:
                con.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def _check_version_read_only(self, version: int) -> None:
        with self.connection() as con:
            found = con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if found != version:
            raise StateError(f"{self._where()} has schema {found}, this Rujukan reads {version}, and the folder is read-only, so it "
                             "cannot be carried forward.", "readonly")

    def _where(self) -> str:
        return f"{self.label[0].upper()}{self.label[1:]} {self.path}"

    def translate(self, exc: sqlite3.Error) -> StateError:
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc).lower()
        where = f"{self.label} {self.path}"
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text:
            return StateError(f"{self._where()} is busy (another session is writing to it); please try again in a moment.", "busy")
        if name.startswith("SQLITE_FULL") or "disk is full" in text:
            return StateError(
                f"Cannot save to {where}: the disk (or the store's size limit) is full. "
                "Free some space or archive the file, then try again.",
                "full",
            )
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
            return StateError(
                f"{self._where()} is damaged or is not a database. Move the file aside "
                f"(e.g. rename it to {self.path.name}.broken, with its -wal and -shm files) and a new one is created.",
                "corrupt",
            )
        if name.startswith("SQLITE_READONLY") or "readonly" in text:
            return StateError(f"Cannot write {where}: it is read-only. Check the file's and folder's permissions.", "readonly")
        if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) or "unable to open" in text:
            return StateError(f"Cannot open {where}. Check that the folder (RUJUKAN_STATE_DIR) exists and can be written.", "open")
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            return StateError(f"A disk error occurred while using {where}. Check the disk (free space, permissions), then try again.", "io")
        return StateError(f"{self._where()} gave an error: {exc}.", "error")
