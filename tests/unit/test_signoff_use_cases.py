"""The sign-off and home-exercise use cases against the in-memory fake (no database): the same
rules as on SQLite and PostgreSQL (tests/integration/test_signoff_store.py), in microseconds,
and the fake keeps to the repository's Protocol."""

from __future__ import annotations

from datetime import date

import pytest
from fakes import FakeStore, fake_workspace
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.assessment import Prescription
from safetycheck.domain.checklist import Mode
from safetycheck.domain.signoff import SignOff
from safetycheck.services import assessments as visits
from safetycheck.services import removal, signoff
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.people import create_person
from safetycheck.services.workspace import Workspace

DAY = date(2026, 11, 20)


@pytest.fixture
def fake(content: Content) -> tuple[Workspace, FakeStore]:
    return fake_workspace(content, TickingClock())


def test_set_read_carry_and_undo(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    ada = create_person(ws, "Ada Byrne")
    first = visits.start_assessment(ws, ada.id, "Carol", Mode.OT, Mode.OT, DAY)
    commits = store.commits
    stored = signoff.set_signoff(ws, first.id, " Reg\t1 ", "Org", "", DAY)
    assert stored == SignOff("Reg 1", "Org", "", DAY)
    assert store.commits == commits + 1  # one unit of work, committed
    prescribed = (Prescription("calf_stretch", "hold 30 s"), Prescription("toe_lifts"))
    assert signoff.set_exercises(ws, first.id, prescribed) == prescribed
    assessment = visits.load_assessment(ws, first.id)
    assert (assessment.assessor.credentials, assessment.next_review) == ("Reg 1", DAY)
    assert assessment.exercises == prescribed
    # The same assessor's next visit starts with the details, not the review.
    second = visits.start_assessment(ws, ada.id, "Carol", Mode.OT, Mode.OT, DAY)
    assert signoff.read_signoff(ws, second.id).signoff == SignOff("Reg 1", "Org", "")
    # Deleted and put back: all of it.
    gone = removal.delete_visit(ws, first.id)
    removal.restore(ws, gone)
    again = visits.load_assessment(ws, first.id)
    assert (again.assessor, again.next_review, again.exercises) == (
        assessment.assessor,
        DAY,
        prescribed,
    )


def test_refused_changes_nothing_and_commits_nothing(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    ada = create_person(ws, "Ada Byrne")
    info = visits.start_assessment(ws, ada.id, "Ann", Mode.CAREGIVER, Mode.CAREGIVER, DAY)
    commits = store.commits
    with pytest.raises(InvalidInputError, match="Only an occupational therapist's visit"):
        signoff.set_exercises(ws, info.id, [Prescription("toe_lifts")])
    with pytest.raises(InvalidInputError, match="cannot be before the visit"):
        signoff.set_next_review(ws, info.id, date(2026, 1, 1))
    assert store.commits == commits
    assert signoff.read_signoff(ws, info.id).signoff == SignOff()
