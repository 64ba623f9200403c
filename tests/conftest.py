"""Test set-up: Qt offscreen, the bundled content once per session, GUI tests marked."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

# Before anything imports Qt: no display is needed, and every test renders the same way.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from safetycheck.content import Content, load_content
from safetycheck.services.workspace import Workspace, open_workspace

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


# ---- databases ---------------------------------------------------------------------------------

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


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'safetycheck.sqlite3'}"
    url = postgres_url_or_fail()
    reset_postgres(url)
    return url


@pytest.fixture
def ws(db_url: str, content: Content) -> Iterator[Workspace]:
    workspace = open_workspace(db_url, content, clock=TickingClock())
    yield workspace
    workspace.close()
