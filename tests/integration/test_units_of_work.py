"""Units of work on real databases: readers see one moment and never block a writer; writers
take the lock at the start; each use case does its work in one transaction."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from support import ROOT, TickingClock

from safetycheck.content import Content
from safetycheck.services.people import create_person, list_people
from safetycheck.services.workspace import Workspace, open_workspace

sys.path.insert(0, str(ROOT / "benchmarks"))

from use_case_counts import measure


def test_a_reader_sees_one_moment_and_does_not_block_a_writer(
    ws: Workspace, db_url: str, content: Content
) -> None:
    create_person(ws, "Ada Byrne")
    other = open_workspace(db_url, content, clock=TickingClock())
    try:
        with ws.unit_of_work(read_only=True) as reader:
            assert len(reader.people.page("", None, 10)[0]) == 1
            started = time.perf_counter()
            ben = create_person(other, "Ben Okafor")  # a write commits while the read is open
            waited = time.perf_counter() - started
            # Still the moment the read began: the new person is not seen inside it.
            assert len(reader.people.page("", None, 10)[0]) == 1
            assert reader.people.get(ben.id) is None
        assert waited < 2.0  # a write lock held by the reader would make the writer wait
        assert len(list_people(ws).items) == 2
    finally:
        other.close()


def test_a_read_only_unit_of_work_cannot_commit_or_write(ws: Workspace) -> None:
    from safetycheck.services.people import list_people
    from safetycheck.store.errors import StoreError

    with ws.unit_of_work(read_only=True) as reader, pytest.raises(RuntimeError):
        reader.commit()
    with pytest.raises(StoreError), ws.unit_of_work(read_only=True) as reader:
        reader.people.add("Ada", None, "", ws.now())  # the database itself refuses the INSERT
    assert len(list_people(ws).items) == 0


def test_each_use_case_does_its_work_in_one_unit_of_work(tmp_path: Path) -> None:
    """The targets of the architecture issue (before: 2, 4 and 5 units of work; 1, 3, 4 loads;
    1, 2, 3 scorings). benchmarks/use_case_counts.py prints the same figures."""
    counts = measure(tmp_path)
    answer = counts["record_answer on a finished visit"]
    compare = counts["compare with the last visit"]
    report = counts["plan_report_for_visit (the PDF's content)"]
    assert (answer["units_of_work"], answer["visit_loads"], answer["scorings"]) == (1, 1, 1)
    assert compare["units_of_work"] == 1
    assert (compare["visit_loads"], compare["scorings"]) == (2, 2)
    assert report["units_of_work"] == 1
    assert report["visit_loads"] <= 2
    assert report["scorings"] <= 2
    assert report["statements"] <= 15
