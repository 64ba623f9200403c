"""Test set-up: Qt offscreen, the Hypothesis profile, the bundled content once per session, GUI
tests marked, and the databases (SQLite always, PostgreSQL when a server is given)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Before anything imports Qt: no display is needed, and every test renders the same way.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from support import TickingClock, postgres_url_or_fail, reset_postgres

from safetycheck.content import Content, load_content
from safetycheck.services.workspace import Workspace, open_workspace

# How hard the property tests try: HYPOTHESIS_PROFILE=dev (./tasks.sh check) for a quick look,
# ci (./tasks.sh test, and any run that does not say) for the full number of examples. A test's
# own @settings still wins for what it sets itself.
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'safetycheck.sqlite3'}"
    url = postgres_url_or_fail()
    reset_postgres(url)
    return url


@pytest.fixture(scope="session")
def newest_sqlite(tmp_path_factory: pytest.TempPathFactory, content: Content) -> Path:
    """A SQLite database made and migrated by the store once; `ws` starts from a copy of it."""
    path = tmp_path_factory.mktemp("newest") / "safetycheck.sqlite3"
    open_workspace(f"sqlite:///{path}", content).close()
    assert not path.with_name(path.name + "-wal").exists()  # closed: everything is in the file
    return path


@pytest.fixture
def ws(db_url: str, content: Content, newest_sqlite: Path) -> Iterator[Workspace]:
    """A workspace on an empty database at the newest schema. For SQLite that is a copy of one
    migrated file (about 90 ms saved a test; test_database.py covers making a new file), private
    the way the store makes it."""
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        path.parent.mkdir(mode=0o700, parents=True)
        shutil.copyfile(newest_sqlite, path)
        path.chmod(0o600)
    workspace = open_workspace(db_url, content, clock=TickingClock())
    yield workspace
    workspace.close()
