"""Storage errors, importable without loading SQLAlchemy (the command line and the program's
first paint stay fast)."""

from __future__ import annotations


class StoreError(Exception):
    """A database problem the user can act on; the message is one plain line."""


class DatabaseNewerError(StoreError):
    """The database was written by a newer safetycheck."""


class DatabaseUnusableError(StoreError):
    """The file is not a safetycheck database, or is damaged."""


class DatabaseUnreachableError(StoreError):
    """The database server cannot be reached, or the URL is wrong."""


class DatabaseMissingError(StoreError):
    """A read-only request named a SQLite file that does not exist (nothing is created)."""


class ConcurrentEditError(Exception):
    """Someone else changed the same row since it was read (the use case words the conflict)."""
