"""Shared test helpers: paths, a fixed clock, the PostgreSQL server for storage tests, the
command line (in this process or in a real one) and line-by-line reading of a child process."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import select
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
PG_ENV = "SAFETYCHECK_TEST_PG_URL"

# Changes to the environment for one command: a value sets the variable, None removes it.
EnvChanges = Mapping[str, str | None]


class TickingClock:
    """A clock for tests: starts at a fixed time and moves one second per reading."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


_WORKER_DATABASES: dict[str, str] = {}


def postgres_url_or_fail() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return _worker_database(url)
    if os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set: on CI the PostgreSQL tests must run, not skip")
    pytest.skip(f"no PostgreSQL server ({PG_ENV} not set; ./tasks.sh test starts one as root)")


def _worker_database(url: str) -> str:
    """With pytest-xdist each worker has a database of its own on the server (tests reset the
    whole schema), made the first time the worker asks."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    if url not in _WORKER_DATABASES:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        base = make_url(url)
        name = f"{base.database or 'postgres'}_{worker}"
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if found is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        _WORKER_DATABASES[url] = base.set(database=name).render_as_string(hide_password=False)
    return _WORKER_DATABASES[url]


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _argv(args: tuple[object, ...], db: str | None) -> list[str]:
    return [*(["--db", db] if db else []), *map(str, args)]


@contextlib.contextmanager
def changed_environment(changes: EnvChanges | None) -> Iterator[None]:
    """Set (or, for None, remove) environment variables, and put every one back afterwards."""
    saved = {name: os.environ.get(name) for name in changes or {}}
    try:
        for name, value in (changes or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_CONTENT: dict[Path, Any] = {}


def _load_content_once(folder: Path | None = None) -> Any:
    """`load_content`, read once per data folder: a command in a process of its own reads the
    bundled content every time, but the tests' commands need not (test_content.py reads it)."""
    from safetycheck.content import load_content
    from safetycheck.resources import data_dir

    root = folder if folder is not None else data_dir()
    if root not in _CONTENT:
        _CONTENT[root] = load_content(root)
    return _CONTENT[root]


@contextlib.contextmanager
def _content_read_once() -> Iterator[None]:
    """Where the command line's modules call `load_content`, call `_load_content_once` instead,
    for the duration of one command (a module that no longer has the name is left alone)."""
    import safetycheck.cli
    import safetycheck.services.workspace

    patched = [
        (module, module.load_content)
        for module in (safetycheck.cli, safetycheck.services.workspace)
        if hasattr(module, "load_content")
    ]
    try:
        for module, _ in patched:
            module.load_content = _load_content_once  # type: ignore[attr-defined]
        yield
    finally:
        for module, original in patched:
            module.load_content = original  # type: ignore[attr-defined]


def cli(
    *args: object, db: str | None = None, env: EnvChanges | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line in this process: `safetycheck.cli.main(argv)` with stdout and stderr
    captured, answered like a finished process (exit code, output). Much faster than a process
    (and the bundled content is read once, not per command); the real entry point has its own
    tests (`run_cli`).

    Both streams are byte streams under text, as in a real process, because error lines are
    written to `sys.stderr.buffer`. An exception that escapes `main` becomes what Python prints
    for it (a traceback on stderr, exit code 1), so a test sees exactly what a user would."""
    from safetycheck.cli import main

    argv = _argv(args, db)
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n")
    with (
        changed_environment(env),
        _content_read_once(),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's --version and --help
            if exit_.code is None or isinstance(exit_.code, int):
                code = exit_.code or 0
            else:
                print(exit_.code, file=sys.stderr)
                code = 1
        except Exception:
            traceback.print_exc()
            code = 1
    captured = []
    for stream in (stdout, stderr):
        stream.flush()
        buffer = stream.buffer
        assert isinstance(buffer, io.BytesIO)
        captured.append(buffer.getvalue().decode("utf-8"))
    return subprocess.CompletedProcess(["safetycheck", *argv], code, captured[0], captured[1])


def run_cli(
    *args: object, db: str | None = None, env: EnvChanges | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line in a real process (`python -m safetycheck`), as a user runs it."""
    environment = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, "-m", "safetycheck", *_argv(args, db)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )


def assert_bad_input(process: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Bad input: exit code 2, one line on stderr starting with `error:`, no traceback.

    Works for `cli` (in this process) and `run_cli` (a real one) alike."""
    assert process.returncode == 2, process.stderr
    lines = process.stderr.splitlines()
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith("error: "), process.stderr
    assert "Traceback" not in process.stderr
    assert process.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def disk_full(_fd: int) -> NoReturn:
    """In place of `os.fsync`: the disk filled up while a file was being written."""
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class LineReader:
    """Reads a child process's output line by line, and fails the test after `timeout` seconds
    without a whole line instead of blocking for ever (a child that hangs or never starts).

    It reads the pipe's file descriptor itself, so never mix it with reads from the stream."""

    def __init__(self, stream: IO[Any], timeout: float = 60) -> None:
        self._fd = stream.fileno()
        self._pending = b""
        self.timeout = timeout

    def readline(self) -> str:
        """The next line with its newline; at the end of the output, what is left ('' if none)."""
        deadline = time.monotonic() + self.timeout
        while b"\n" not in self._pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"the child process printed no whole line in {self.timeout} s")
            ready, _, _ = select.select([self._fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self._fd, 65536)
            if not chunk:  # end of output: the child closed it or died
                rest, self._pending = self._pending, b""
                return rest.decode("utf-8")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode("utf-8") + "\n"


def photo_entry(
    data: bytes,
    media_type: str,
    size: tuple[int, int],
    item: str = "steadi.si.01",
    photo_id: str = "p1",
    filename: str = "photo",
) -> dict[str, object]:
    """A photo entry of the interchange file (docs/interchange.md) holding `data` as given."""
    import base64

    return {
        "id": photo_id,
        "item": item,
        "room": None,
        "filename": filename,
        "media_type": media_type,
        "width": size[0],
        "height": size[1],
        "data": base64.b64encode(data).decode("ascii"),
        "original_sha256": "",
        "original_bytes": 0,
    }


def downgrade_to(url: str, revision: str) -> None:
    """Take a database nothing has open back to an older schema revision with the migrations'
    own downgrades, so a test can build an old database with today's code and then open it."""
    from alembic import command
    from sqlalchemy import create_engine

    from safetycheck.store.migrate import alembic_config

    engine = create_engine(url)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def without_signoff(document: dict[str, Any]) -> dict[str, Any]:
    """An exported visit as a schema before 0005 keeps it: no sign-off details, no next
    review, no exercises (what a downgrade to 0004 or earlier drops)."""
    copy = {**document, "assessment": {**document["assessment"]}}
    copy["assessment"]["assessor"] = {
        **document["assessment"]["assessor"],
        "credentials": "",
        "organisation": "",
        "contact": "",
    }
    copy["assessment"]["next_review"] = None
    copy.pop("exercises", None)
    return copy
