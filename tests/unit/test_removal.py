"""Deleting a visit or a person and undoing it, against the in-memory unit of work.

The same on SQLite and PostgreSQL, with the rows counted: tests/integration/test_removal_db.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from fakes import FakeStore, fake_workspace
from support import TickingClock

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode
from safetycheck.domain.falls import Fall, FallPlace, Seen
from safetycheck.exchange.assessment_json import assessment_from_document
from safetycheck.services import assessments as visits
from safetycheck.services import removal
from safetycheck.services.demo import create_demo
from safetycheck.services.errors import ConflictError, NotFoundError
from safetycheck.services.falls import falls_for_person, record_falls
from safetycheck.services.people import create_person, get_person, list_people
from safetycheck.services.transfer import import_document
from safetycheck.services.workspace import Workspace


@pytest.fixture
def fake(content: Content) -> tuple[Workspace, FakeStore]:
    return fake_workspace(content, TickingClock())


def person_visits(ws: Workspace, person_id: str) -> list[visits.AssessmentInfo]:
    return list(visits.list_assessments(ws, person_id).items)


def edited_demo(ws: Workspace) -> str:
    """The demo's newest visit with one action ticked and one edited."""
    newest = create_demo(ws)
    actions = visits.list_actions(ws, newest)
    visits.mark_action(ws, actions[0].id, "done", done_on=date(2026, 12, 1))
    visits.edit_action(
        ws, actions[1].id, text="Mine", priority="urgent", who="ot", expected_version=1
    )
    return newest


def test_a_visit_deleted_and_put_back_is_the_same(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    newest = edited_demo(ws)
    person = visits.get_info(ws, newest).person_id
    before = visits.load_visit(ws, newest, with_photos=True)
    summary = removal.removal_summary_visit(ws, newest)
    assert summary.startswith("This deletes José Álvarez (demo)'s visit of ")
    assert " by Priya Nair, " in summary  # two visits of one day are told apart
    assert summary.endswith(", with its answers.")  # (no photos: not said)
    dated = removal.removal_summary_visit(ws, newest, lambda day: day.isoformat())
    assert f"'s visit of {visits.get_info(ws, newest).date.isoformat()} by " in dated
    commits = store.commits
    gone = removal.delete_visit(ws, newest)
    assert store.commits == commits + 1
    assert gone.what.startswith("the visit of ")
    assert " with " not in gone.what
    assert gone.person is None
    # The document is the interchange file of the visit as it was.
    (document,) = gone.documents
    assert assessment_from_document(document, ws.content.checklist) == (
        visits.in_walkthrough_order(ws.content.checklist, before.assessment)
    )
    with pytest.raises(NotFoundError):
        visits.load_visit(ws, newest)
    assert len(person_visits(ws, person)) == 1
    removal.restore(ws, gone)
    assert store.commits == commits + 2
    assert visits.load_visit(ws, newest, with_photos=True) == before
    assert len(person_visits(ws, person)) == 2


def test_a_person_goes_with_every_visit_and_comes_back(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    newest = edited_demo(ws)
    person_id = visits.get_info(ws, newest).person_id
    person = get_person(ws, person_id)
    before = {
        info.id: visits.load_visit(ws, info.id, True) for info in person_visits(ws, person_id)
    }
    other = create_person(ws, "Ada Byrne", 1946)
    assert removal.removal_summary_person(ws, person_id) == (
        "This deletes José Álvarez (demo) and their details, with 2 visits, their answers, "
        "no photos and no falls records."
    )
    gone = removal.delete_person(ws, person_id)
    assert gone.what == "José Álvarez (demo) with 2 visits and no photos"
    assert gone.person == person
    assert len(gone.documents) == 2
    assert [p.id for p in list_people(ws).items] == [other.id]
    assert not store.visits
    removal.restore(ws, gone)
    assert get_person(ws, person_id) == person
    after = {info.id: visits.load_visit(ws, info.id, True) for info in person_visits(ws, person_id)}
    assert after == before
    # The comparison and the order of the visits are as they were.
    assert person_visits(ws, person_id)[0].id == newest
    assert visits.compare_with_previous(ws, newest) is not None


def test_falls_records_are_counted_and_come_back(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    newest = create_demo(ws)
    person_id = visits.get_info(ws, newest).person_id
    fall = Fall("", "no", FallPlace.OUTSIDE, None, "", "Tripped on the kerb.", Seen.NO)
    recorded = record_falls(ws, newest, 2, [fall])
    assert removal.removal_summary_visit(ws, newest).endswith(
        ", with its answers and the falls record (2 falls since the visit before)."
    )
    assert removal.removal_summary_person(ws, person_id).endswith(
        "with 2 visits, their answers, no photos and 1 falls record."
    )
    gone = removal.delete_person(ws, person_id)
    with pytest.raises(NotFoundError):
        falls_for_person(ws, person_id)
    removal.restore(ws, gone)
    (found,) = falls_for_person(ws, person_id)
    assert (found.visit.id, found.report) == (newest, recorded)


def test_a_person_without_visits(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    ada = create_person(ws, "Ada Byrne", 1946, "likes tea")
    assert removal.removal_summary_person(ws, ada.id) == (
        "This deletes Ada Byrne and their details; they have no visits."
    )
    gone = removal.delete_person(ws, ada.id)
    assert gone.documents == ()
    removal.restore(ws, gone)
    assert get_person(ws, ada.id) == ada


def test_deleting_the_visit_a_later_one_compares_with(fake: tuple[Workspace, FakeStore]) -> None:
    ws, _ = fake
    newest = create_demo(ws)
    person_id = visits.get_info(ws, newest).person_id
    first = person_visits(ws, person_id)[-1]
    third = visits.start_assessment(ws, person_id, "Carol", Mode.OT, Mode.OT)
    visits.finish_assessment(ws, third.id)
    found = visits.compare_with_previous(ws, third.id)
    assert found is not None
    assert found.previous_id == newest
    gone = removal.delete_visit(ws, newest)
    found = visits.compare_with_previous(ws, third.id)
    assert found is not None
    assert found.previous_id == first.id  # the one before
    removal.restore(ws, gone)
    found = visits.compare_with_previous(ws, third.id)
    assert found is not None
    assert found.previous_id == newest


def test_an_undo_is_refused_cleanly_when_the_ids_are_taken(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, store = fake
    newest = create_demo(ws)
    person_id = visits.get_info(ws, newest).person_id
    gone = removal.delete_person(ws, person_id)
    # The person comes back from a file (an import keeps the person's id).
    import_document(ws, gone.documents[0])
    commits, people = store.commits, list_people(ws).items
    with pytest.raises(ConflictError, match=r"^José Álvarez \(demo\) with 2 visits .* cannot be "):
        removal.restore(ws, gone)
    assert store.commits == commits
    assert list_people(ws).items == people
    assert len(person_visits(ws, person_id)) == 1


def test_an_undo_twice_or_after_the_person_went_is_refused(
    fake: tuple[Workspace, FakeStore],
) -> None:
    ws, store = fake
    newest = create_demo(ws)
    person_id = visits.get_info(ws, newest).person_id
    gone = removal.delete_visit(ws, newest)
    removal.restore(ws, gone)
    commits = store.commits
    with pytest.raises(ConflictError, match=r"is in the program again\. Nothing was changed\."):
        removal.restore(ws, gone)
    gone = removal.delete_visit(ws, newest)
    removal.delete_person(ws, person_id)
    with pytest.raises(ConflictError, match=r"has been deleted since\. Nothing was changed\."):
        removal.restore(ws, gone)
    assert store.commits == commits + 2
    assert not store.people


def test_unknown_ids_are_not_found(fake: tuple[Workspace, FakeStore]) -> None:
    ws, store = fake
    for call in (
        removal.delete_visit,
        removal.delete_person,
        removal.removal_summary_visit,
        removal.removal_summary_person,
    ):
        with pytest.raises(NotFoundError):
            call(ws, "nosuchid")
    assert store.commits == 0
