"""Writing files safely: a temporary file in the target folder, flushed, then renamed into place.

A failure part-way leaves the old file (if any) untouched and no half-written file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputPathError(ValueError):
    """The target cannot be written; the message says why in plain words."""


def check_output_path(path: Path, protected: Iterable[Path | None] = ()) -> Path:
    """Refuse a folder, a missing or unwritable folder, something that is not a plain file, and
    the files in use (the database, the file being read) before any work is done."""
    target = path.expanduser()
    if target.is_dir():
        raise OutputPathError(f"{target} is a folder; give a file name")
    if target.exists() and not target.is_file():
        raise OutputPathError(f"{target} is not a regular file; give a file name")
    resolved = target.resolve()
    for keep in protected:
        if keep is None:
            continue
        keep = keep.expanduser().resolve()
        if resolved in (
            keep,
            keep.with_name(keep.name + "-wal"),
            keep.with_name(keep.name + "-shm"),
        ):
            raise OutputPathError(
                f"{target} is a file in use (the database or the file being "
                "read); choose another name"
            )
    folder = target.parent
    if not folder.is_dir():
        raise OutputPathError(f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"cannot write in the folder {folder} (permission denied)")
    return target


def write_atomically(path: Path, data: bytes, protected: Iterable[Path | None] = ()) -> None:
    target = check_output_path(path, protected)
    folder = target.parent
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=folder
        )
    except OSError as exc:
        raise OutputPathError(f"cannot write in the folder {folder}: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise OutputPathError(f"cannot write {target}: {exc.strerror or exc}") from None
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
