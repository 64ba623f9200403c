"""Shared test helpers: paths, a fixed clock, the PostgreSQL server for storage tests."""

from __future__ import annotations

import os
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
