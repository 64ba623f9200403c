"""Writing files safely: a temporary file in the target folder, flushed, then renamed into place.

A failure part-way leaves the old file (if any) untouched and no half-written file behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

MAX_NAME_BYTES = 255  # what Linux, macOS and Windows file systems allow in one name


class OutputPathError(ValueError):
    """The target cannot be written; the message says why in plain words."""


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's device and inode (the same file under any name), or None if there is none."""
    try:
        found = path.stat()
    except (OSError, ValueError):
        return None
    return (found.st_dev, found.st_ino)


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare the name as given
        return path.expanduser().absolute()


def is_protected(path: Path, protected: Iterable[Path | None]) -> bool:
    """Whether `path` names one of the `protected` files: the same resolved path (symlinks
    followed), or the same device and inode (a hard link, another mount of the folder)."""
    target, identity = _resolved(path), _identity(path)
    for keep in protected:
        if keep is None:
            continue
        if _resolved(keep) == target:
            return True
        if identity is not None and _identity(keep) == identity:
            return True
    return False


def check_output_path(path: Path, protected: Iterable[Path | None] = ()) -> Path:
    """Refuse a folder, a missing or unwritable folder, something that is not a plain file, and
    the files in use (the database and its -wal and -shm files, the file being read) before any
    work is done. Files are compared as files, never by how their names are spelled."""
    target = path.expanduser()
    if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
        raise OutputPathError(f"the file name {target.name[:40]}… is too long; choose a shorter")
    try:
        if target.is_symlink():
            target.resolve(strict=True)
    except (OSError, RuntimeError):
        raise OutputPathError(f"{target} is a link that leads nowhere; give a file name") from None
    try:
        if target.is_dir():
            raise OutputPathError(f"{target} is a folder; give a file name")
        if target.exists() and not target.is_file():
            raise OutputPathError(f"{target} is not a regular file; give a file name")
    except OSError as exc:  # a symlink loop, a name too long for the file system
        raise OutputPathError(f"{target} cannot be used: {exc.strerror or exc}") from None
    if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
        raise OutputPathError(
            f"the file name {target.name[:40]}… is too long; choose a shorter one"
        )
    if is_protected(target, protected):
        raise OutputPathError(
            f"{target} is a file in use (the database or the file being read); choose another name"
        )
    folder = target.parent
    if not folder.is_dir():
        raise OutputPathError(f"the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"cannot write in the folder {folder} (permission denied)")
    return target


def write_atomically(path: Path, data: bytes, protected: Iterable[Path | None] = ()) -> None:
    import tempfile  # here: the command line and the window import this module before any write

    target = check_output_path(path, protected)
    folder = target.parent
    try:
        # The temporary name must fit too, whatever the length of the final one.
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name[:64]}.", suffix=".part", dir=folder
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
