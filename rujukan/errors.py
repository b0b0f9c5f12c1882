"""One family of errors a user can cause, each with a message a person can act on."""


class RujukanError(Exception):
    """Base of every error the app shows to a user instead of a traceback."""


class ConfigError(RujukanError):
    """A setting (environment variable) has a value that cannot be used."""


class RecordError(RujukanError):
    """A practice record cannot be read; the message names the file and the field."""


class ModelError(RujukanError):
    """The embedding model cannot be built or loaded."""


class StoreError(RujukanError):
    """The search index cannot be opened, read or written."""


class ChromaUnreachable(StoreError):
    """A Chroma server is configured but does not answer."""
