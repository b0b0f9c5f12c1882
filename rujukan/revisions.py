"""Every version of every practice record, and saving an edit safely (issue 13 §2).

The Markdown file in the knowledge folder stays the source of truth (diffable in git); the state
database keeps each revision's full text with who saved it, when and why. Saving:

1. the new text is validated as a record (every problem, field by field, before anything is written);
2. the edit must be based on the latest revision: an edit based on an older one is refused with
   the difference to what was saved since (no lost update);
3. the revision is inserted and the file replaced atomically inside one database transaction: if
   the file cannot be written, the revision is rolled back; a crash after the file was replaced but
   before the commit leaves a file that differs from the latest revision, which the next read
   records as a change made outside the app (so nothing is lost either way).

A file changed outside the app (git pull, an editor) is recorded the same way, as author
OUTSIDE, the first time its history is read or it is edited.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from .database import Database, Target
from .errors import RujukanError, StateError
from .formats import clean_text, utc_stamp, write_atomically
from .practices import FRONT_MATTER, ID_PATTERN, MAX_RECORD_BYTES, Practice, Problem, parse_practice, related_problems

BRANCH = "revisions"
#: The author recorded for a change found in the file but not made through Rujukan.
OUTSIDE = "changed outside Rujukan"
#: The reasons recorded with such a revision (the app shows them in the interface's language).
FIRST_SEEN, FILE_DIFFERS = "the record as it was when its history began", "the file differs from the latest revision"
MAX_REASON_CHARS, MAX_AUTHOR_CHARS = 500, 200

_meta = sa.MetaData()
revision_table = sa.Table(
    "revisions", _meta,
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("practice_id", sa.Text), sa.Column("number", sa.Integer),
    sa.Column("author", sa.Text), sa.Column("reason", sa.Text), sa.Column("created", sa.Text), sa.Column("digest", sa.Text),
    sa.Column("text", sa.Text),
)


class EditRefused(RujukanError):
    """An edit that was not saved: the record has problems (`problems`, each naming its field), or
    it was based on an older revision (`conflict`: the difference to the latest)."""

    def __init__(self, message: str, problems: list[Problem] | None = None, conflict: str = "") -> None:
        super().__init__(message)
        self.problems = problems or []
        self.conflict = conflict


@dataclass(frozen=True)
class Revision:
    practice_id: str
    number: int  # 1, 2, … per practice
    author: str
    reason: str
    created: str  # UTC, ISO 8601
    digest: str  # sha256 of the text
    text: str


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_text(practice_id: str, text: str, known_ids: set[str] | None = None) -> tuple[Practice | None, list[Problem]]:
    """`text` as the record `practice_id`: the practice (for a preview) and every problem, with the
    same checks as loading the knowledge base (`related` checked against `known_ids` when given)."""
    name = f"{practice_id}.md"
    if not ID_PATTERN.match(practice_id or ""):
        return None, [Problem(name, "id", "must be kebab-case letters and digits, e.g. bank-sampah")]
    if len(text.encode("utf-8")) > MAX_RECORD_BYTES:
        return None, [Problem(name, "-", f"a record may be at most {MAX_RECORD_BYTES:,} bytes")]
    with tempfile.TemporaryDirectory(prefix="rujukan-edit-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        practice, problems = parse_practice(path)
    if practice is not None and known_ids is not None:
        problems += related_problems([practice], known_ids | {practice_id})
    return practice, [Problem(name, p.field, p.message) for p in problems]


def validate(practice_id: str, text: str, known_ids: set[str] | None = None) -> list[Problem]:
    """Every problem of `text` as the record `practice_id`."""
    return parse_text(practice_id, text, known_ids)[1]


class RevisionStore:
    """Revisions of the records in `practices_dir`, kept in the state database at `target`."""

    def __init__(self, target: Target, practices_dir: Path) -> None:
        self.practices_dir = Path(practices_dir)
        self._db = Database(target, "the revision history")
        self._db.upgrade(BRANCH, {})

    @property
    def database(self) -> Database:
        return self._db

    def file(self, practice_id: str) -> Path:
        if not ID_PATTERN.match(practice_id or ""):
            raise EditRefused(f"{practice_id!r} is not a practice id (kebab-case letters and digits).")
        return self.practices_dir / f"{practice_id}.md"

    # ------------------------------------------------------------------ reading

    def history(self, practice_id: str) -> list[Revision]:
        """Every revision of a record, oldest first; the file's current text is recorded first if it is not yet."""
        self._record_outside_change(practice_id)
        return self._revisions(practice_id)

    def latest(self, practice_id: str) -> Revision | None:
        found = self.history(practice_id)
        return found[-1] if found else None

    def get(self, practice_id: str, number: int) -> Revision:
        return _pick(self.history(practice_id), practice_id, number)

    def diff(self, practice_id: str, older: int, newer: int) -> str:
        """A unified diff between two revisions of a record."""
        history = self.history(practice_id)
        a, b = _pick(history, practice_id, older), _pick(history, practice_id, newer)
        return _diff(a.text, b.text, f"{practice_id} revision {a.number}", f"{practice_id} revision {b.number}")

    def _latest_digest(self, practice_id: str) -> str | None:
        query = (sa.select(revision_table.c.digest).where(revision_table.c.practice_id == practice_id)
                 .order_by(revision_table.c.number.desc()).limit(1))
        with self._db.read() as con:
            return con.execute(query).scalar()

    def _revisions(self, practice_id: str, con: sa.Connection | None = None) -> list[Revision]:
        query = sa.select(revision_table).where(revision_table.c.practice_id == practice_id).order_by(revision_table.c.number)
        if con is not None:
            rows = con.execute(query).fetchall()
        else:
            with self._db.read() as reader:
                rows = reader.execute(query).fetchall()
        return [Revision(r.practice_id, r.number, r.author, r.reason, r.created, r.digest, r.text) for r in rows]

    # ------------------------------------------------------------------ writing

    def save(self, practice_id: str, text: str, author: str, reason: str, base: int | None, also_known: set[str] | None = None) -> Revision:
        """Save a new version of a record (or a new record, with base None); returns its revision.

        `base` is the revision number the edit started from. EditRefused when the text is not a
        valid record or when a newer revision was saved since `base`. `also_known`: ids that
        `related` may name besides the records on disk (the other rows of a bulk import)."""
        path = self.file(practice_id)
        text = text.replace("\r\n", "\n")
        problems = validate(practice_id, text, {p.stem for p in self.practices_dir.glob("*.md")} | (also_known or set()))
        if problems:
            raise EditRefused(f"The record {practice_id} has {len(problems)} problem(s); nothing was saved.", problems=problems)
        who = clean_text(author or "", MAX_AUTHOR_CHARS)
        why = clean_text(reason or "", MAX_REASON_CHARS, keep_newlines=True)
        if not who:
            raise EditRefused("Say who saves the edit (author).")
        if not why:
            raise EditRefused("Say why the record changes (reason): it is kept with the revision.")
        self._record_outside_change(practice_id)
        with self._db.write() as con:
            self._one_at_a_time(con, practice_id)
            known = self._revisions(practice_id, con)
            latest = known[-1] if known else None
            if latest is not None and base != latest.number:
                since = known[(base or 0):] if base is not None and 0 < base <= len(known) else known
                old = next((r.text for r in known if r.number == base), "")
                raise EditRefused(
                    f"{practice_id} was changed since revision {base} (now at {latest.number}, by {latest.author}); "
                    "nothing was saved. Start from the latest revision, or copy your change onto it.",
                    conflict=_diff(old, latest.text, f"{practice_id} revision {base}", f"{practice_id} revision {latest.number}")
                    + "".join(f"\n# revision {r.number}: {r.author}, {r.created}: {r.reason}" for r in since),
                )
            if latest is None and base not in (None, 0):
                raise EditRefused(f"{practice_id} has no revision {base}; a new record is saved with no base revision.")
            if latest is not None and latest.digest == digest(text):
                return latest  # nothing changed: no new revision
            saved = Revision(practice_id, (latest.number if latest else 0) + 1, who, why, utc_stamp(), digest(text), text)
            con.execute(sa.insert(revision_table).values(practice_id=saved.practice_id, number=saved.number, author=saved.author,
                                                         reason=saved.reason, created=saved.created, digest=saved.digest, text=saved.text))
            try:
                write_atomically(path, text.encode("utf-8"))
            except OSError as exc:
                raise StateError(f"Cannot write the record {path}: {exc.strerror or exc}. Nothing was saved; check that the "
                                 "knowledge folder (RUJUKAN_KNOWLEDGE_DIR) can be written.", "io") from exc
        return saved

    def mark_checked(self, practice_id: str, author: str, sources: list[int], today: dt.date | None = None) -> Revision:
        """The "checked" action: the record was checked today by `author` against these sources.
        Its last_verified, verified_by and verified_against are set in a new revision."""
        latest = self.latest(practice_id)
        if latest is None:
            raise EditRefused(f"{practice_id} has no record to mark as checked.")
        numbers = sorted({int(n) for n in sources})
        if not numbers:
            raise EditRefused("Choose the source(s) the record was checked against.")
        day = (today or dt.date.today()).isoformat()
        text = set_verified(latest.text, day, clean_text(author or "", MAX_AUTHOR_CHARS), numbers)
        cited = ", ".join(f"[{n}]" for n in numbers)
        return self.save(practice_id, text, author, f"checked against sources {cited}", latest.number)

    def _one_at_a_time(self, con: sa.Connection, practice_id: str) -> None:
        """Saves of one record queue (SQLite's BEGIN IMMEDIATE already does), so each sees the one before."""
        if self._db.kind == "postgresql":
            con.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:id))"), {"id": f"revisions:{practice_id}"})

    def restore(self, practice_id: str, number: int, author: str, reason: str = "") -> Revision:
        """Make an earlier revision the latest again (a new revision with its text)."""
        history = self.history(practice_id)
        old = _pick(history, practice_id, number)
        return self.save(practice_id, old.text, author, reason or f"restored revision {old.number}", history[-1].number)

    def _record_outside_change(self, practice_id: str) -> None:
        """If the file differs from the latest revision (or has none yet), record it as it is. Only
        that case writes: reading a history takes no write lock."""
        path = self.file(practice_id)
        try:
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as exc:
            raise StateError(f"Cannot read the record {path}: {exc}.", "io") from exc
        if self._latest_digest(practice_id) == digest(text):
            return
        with self._db.write() as con:
            self._one_at_a_time(con, practice_id)
            known = self._revisions(practice_id, con)
            if known and known[-1].digest == digest(text):  # recorded by another session in the meantime
                return
            first = not known
            con.execute(sa.insert(revision_table).values(
                practice_id=practice_id, number=(known[-1].number if known else 0) + 1, author=OUTSIDE,
                reason=FIRST_SEEN if first else FILE_DIFFERS,
                created=utc_stamp(), digest=digest(text), text=text))


def set_verified(text: str, day: str, who: str, numbers: list[int]) -> str:
    """The record's text with last_verified, verified_by and verified_against set (in its front
    matter, where last_verified was), every other line as it was."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise EditRefused("The record has no front matter to mark as checked.")
    lines = [line for line in match.group(1).split("\n") if not line.startswith(("verified_by:", "verified_against:"))]
    stamp = [f'last_verified: "{day}"', f"verified_by: {json.dumps(who, ensure_ascii=False)}", f"verified_against: {json.dumps(numbers)}"]
    at = next((i for i, line in enumerate(lines) if line.startswith("last_verified:")), len(lines))
    lines[at:at + 1] = stamp
    return "---\n" + "\n".join(lines) + "\n---\n" + match.group(2)


def _pick(history: list[Revision], practice_id: str, number: int) -> Revision:
    found = next((r for r in history if r.number == int(number)), None)
    if found is None:
        raise EditRefused(f"{practice_id} has no revision {number}.")
    return found


def _diff(old: str, new: str, old_name: str, new_name: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name))
