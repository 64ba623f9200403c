"""Shared test helpers: paths, a fixed clock, the PostgreSQL server for storage tests."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
PG_ENV = "SAFETYCHECK_TEST_PG_URL"


class TickingClock:
    """A clock for tests: starts at a fixed time and moves one second per reading."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def postgres_url_or_fail() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set: on CI the PostgreSQL tests must run, not skip")
    pytest.skip(f"no PostgreSQL server ({PG_ENV} not set; ./tasks.sh test starts one as root)")


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run_cli(
    *args: object, db: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command line in a real process, as a user runs it."""
    prefix = ["--db", db] if db else []
    return subprocess.run(
        [sys.executable, "-m", "safetycheck", *prefix, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def assert_bad_input(process: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Bad input: exit code 2, one line on stderr starting with `error:`, no traceback."""
    assert process.returncode == 2, process.stderr
    lines = process.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), process.stderr
    assert "Traceback" not in process.stderr
    assert process.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
