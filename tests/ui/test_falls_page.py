"""Falls since the last visit (ui/falls_page.py): asked first on every follow-up, saved as
given, never "no falls" until someone said so."""

from __future__ import annotations

from datetime import date

from drive import wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from safetycheck.domain.checklist import Mode
from safetycheck.domain.falls import FallPlace, Seen
from safetycheck.domain.steps import StepKind
from safetycheck.services import assessments as visits
from safetycheck.services.falls import falls_since_last_visit
from safetycheck.services.workspace import Workspace
from safetycheck_ui.falls_page import FallsPage, months_between
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.session import WalkthroughSession
from safetycheck_ui.step_page import StepPage
from safetycheck_ui.wizard import WalkthroughWizard


def follow_up(qtbot: QtBot, window: MainWindow, ws: Workspace) -> WalkthroughWizard:
    first = visits.start_assessment_for_new_person(
        ws, "Ada Byrne", 1946, "Carol", Mode.OT, Mode.OT, visit_date=date(2026, 9, 14)
    )
    visits.finish_assessment(ws, first.id)
    second = visits.start_assessment(ws, first.person_id, "Carol", Mode.OT, Mode.OT)
    session = WalkthroughSession.open(ws, second.id)
    assert [s.kind for s in session.steps()][:3] == [
        StepKind.WHO,
        StepKind.FALLS,
        StepKind.PERSON,
    ]
    wizard = WalkthroughWizard(ws, window.ops, session, resume_at="falls")
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.currentPage()
    assert isinstance(page, FallsPage)
    qtbot.waitUntil(page.count.hasFocus)
    return wizard


def test_a_first_visit_asks_no_falls_since_the_last(gui_ws: Workspace) -> None:
    info = visits.start_assessment_for_new_person(gui_ws, "Ada", 1946, "Carol", Mode.OT, Mode.OT)
    session = WalkthroughSession.open(gui_ws, info.id)
    assert StepKind.FALLS not in [s.kind for s in session.steps()]


def test_not_asked_is_not_no_falls_and_zero_then_enter_goes_on(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    wizard = follow_up(qtbot, window, gui_ws)
    page = wizard.currentPage()
    assert isinstance(page, FallsPage)
    session = page.session()
    assert falls_since_last_visit(gui_ws, session.assessment_id).count is None
    assert page.count.text() == "Not asked yet"
    assert "14" in page.question.text()  # the last visit's date, in the program's format
    qtbot.keyClick(page.count, Qt.Key.Key_0)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    wait_idle(qtbot, wizard.ops)
    assert wizard.currentPage() is not page
    following = wizard.currentPage()
    assert isinstance(following, StepPage)
    assert following.step.kind is StepKind.PERSON
    saved = falls_since_last_visit(gui_ws, session.assessment_id)
    assert saved.count == 0
    assert saved.falls == ()
    # Recorded, the number reads 0, never "Not asked yet", and cannot be set back to it.
    assert page.count.text() == "0"
    page.count.setValue(-1)
    assert page.count.value() == 0
    page._show(session.falls())  # as initializePage does
    assert page.count.text() == "0"


def test_two_falls_one_described_are_kept_exactly(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    wizard = follow_up(qtbot, window, gui_ws)
    page = wizard.currentPage()
    assert isinstance(page, FallsPage)
    session = page.session()
    page.count.setValue(2)
    assert [f.isVisible() for f in page.fall_forms] == [True, True]
    form = page.fall_forms[0]
    form.month.setCurrentIndex(form.month.findData("2026-10"))
    form.hurt.setCurrentIndex(form.hurt.findData("yes"))
    hall = next(r for r in session.rooms() if r.kind == "hallway")
    form.place.setCurrentIndex(form.place.findText(hall.name))
    qtbot.keyClicks(form.what, "tripped on the mat at night")
    form.what.editingFinished.emit()
    form.seen.setCurrentIndex(form.seen.findData("hospital"))
    qtbot.waitUntil(lambda: page.isComplete() and "Saved" in page.status.text(), timeout=5000)
    saved = falls_since_last_visit(gui_ws, session.assessment_id)
    assert saved.count == 2
    assert len(saved.falls) == 1  # the second fall: counted, nothing known of it
    fall = saved.falls[0]
    assert (fall.month, fall.hurt, fall.place, fall.seen) == (
        "2026-10",
        "yes",
        FallPlace.ROOM,
        Seen.HOSPITAL,
    )
    assert fall.room_key == session.room_keys[hall.id]
    assert fall.what_happened == "tripped on the mat at night"
    # Opened again, the page shows what was saved.
    page._show(session.falls())  # as initializePage does
    assert page.count.value() == 2
    assert page.fall_forms[0].what.text() == "tripped on the mat at night"


def test_months_are_those_since_the_last_visit() -> None:
    assert months_between(date(2026, 11, 20), date(2027, 1, 5)) == [
        "2027-01",
        "2026-12",
        "2026-11",
    ]


def test_finishing_lists_the_falls_not_asked_and_goes_back_to_them(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    from safetycheck_ui.wizard import FinishCheck

    wizard = follow_up(qtbot, window, gui_ws)
    page = wizard.currentPage()
    assert isinstance(page, FallsPage)
    wizard.show_unanswered()  # (as Finish does)
    check = wizard.finish_check
    assert check is not None
    listed = check.listed()
    assert listed[0] == ("Falls since the last visit: not asked yet", [])
    falls_entry = check.tree.topLevelItem(0)
    assert falls_entry is not None
    check.tree.setCurrentItem(falls_entry)
    check.done(FinishCheck.GO_BACK)
    qtbot.waitUntil(lambda: wizard.finish_check is None)
    assert wizard.currentPage() is page
    # Once asked (none), the falls are not listed any more.
    page.count.setValue(0)
    qtbot.waitUntil(lambda: page.isComplete() and "no falls" in page.status.text(), timeout=5000)
    wizard.show_unanswered()
    check = wizard.finish_check
    assert check is not None
    assert not any(line.startswith("Falls since") for line, _questions in check.listed())
    check.reject()
