"""The plan's sign-off in the program: an occupational therapist's credentials, organisation
and contact on the first step (filled in from their last visit, saved as typed), the next
review date and the home exercises where the visit is finished (the summary of the walkthrough
and of a finished visit). A caregiver is asked none of it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from drive import fill_who, wait_idle
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget, QWizard
from pytestqt.qtbot import QtBot
from recorders import MessageBoxes
from test_mnemonics import clashes

from safetycheck.domain.assessment import Prescription
from safetycheck.domain.checklist import Mode
from safetycheck.domain.signoff import SignOff
from safetycheck.services import assessments as visits
from safetycheck.services import signoff
from safetycheck.services.errors import InvalidInputError
from safetycheck.services.workspace import Workspace
from safetycheck_ui.exercise_dialog import ExerciseDialog, SignOffBar, with_mnemonic
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.session import WalkthroughSession
from safetycheck_ui.summary_page import SummaryPage
from safetycheck_ui.summary_window import SummaryWindow
from safetycheck_ui.who_page import WhoPage
from safetycheck_ui.wizard import WalkthroughWizard

LEFT = Qt.MouseButton.LeftButton
DAY = date(2026, 11, 20)


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click a tick box on its words (a box as wide as its dialog is pressed there)."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(box.fontMetrics().height(), box.height() // 2))


def earlier_visit(ws: Workspace, assessor: str = "Luis") -> str:
    """A finished OT visit of another person, with the assessor's details given."""
    info = visits.start_assessment_for_new_person(
        ws, "Ben Okafor", 1950, assessor, Mode.OT, Mode.OT, visit_date=DAY
    )
    signoff.set_signoff(ws, info.id, "HCPC OT12345", "Northside OT", "020 7946 0000", None)
    return info.id


def new_walkthrough(qtbot: QtBot, window: MainWindow) -> tuple[WalkthroughWizard, WhoPage]:
    wizard = window.new_walkthrough(None)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    page = wizard.currentPage()
    assert isinstance(page, WhoPage)
    return wizard, page


def details_shown(page: WhoPage) -> list[bool]:
    return [field.isVisible() for field in page.details]


def test_a_caregiver_is_not_asked_and_an_ot_starts_with_their_last_details(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    earlier_visit(gui_ws)
    wizard, page = new_walkthrough(qtbot, window)
    fill_who(wizard, name="Rosa Martínez")  # (Luis, a caregiver)
    assert details_shown(page) == [False, False, False]
    qtbot.mouseClick(page.role_ot, LEFT)
    assert details_shown(page) == [True, True, True]
    page.assessor.editingFinished.emit()  # the name typed: Luis's last details are looked up
    qtbot.waitUntil(lambda: page.credentials.text() == "HCPC OT12345")
    assert (page.organisation.text(), page.contact.text()) == ("Northside OT", "020 7946 0000")
    assert not clashes(wizard, "who, OT")  # the new fields' Alt+letters are the page's own
    chain = focus_chain(page.assessor)
    fields = [page.credentials, page.organisation, page.contact, page.visit_date]
    assert [w for w in chain if w in fields] == fields  # by Tab, in the order shown
    # A field changed before the visit starts is what the visit starts with.
    page.contact.clear()
    qtbot.keyClicks(page.contact, "luis@example.org")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    assert wizard.session is not None
    stored = signoff.read_signoff(gui_ws, wizard.session.assessment_id).signoff
    assert stored == SignOff("HCPC OT12345", "Northside OT", "luis@example.org")
    wizard.close()
    wait_idle(qtbot, window.ops)


def test_a_caregivers_visit_starts_with_no_details(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    earlier_visit(gui_ws)  # Luis as an OT, elsewhere
    wizard, _page = new_walkthrough(qtbot, window)
    fill_who(wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    assert wizard.session is not None
    assert signoff.read_signoff(gui_ws, wizard.session.assessment_id).signoff == SignOff()
    wizard.close()
    wait_idle(qtbot, window.ops)


def test_an_ot_who_typed_nothing_yet_starts_with_their_last_details(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Next pressed before the look-up came back: the service fills them in (never empty by
    accident)."""
    earlier_visit(gui_ws)
    wizard, page = new_walkthrough(qtbot, window)
    monkeypatch.setattr(page, "_look_up_details", lambda: None)
    fill_who(wizard, ot=True)
    assert page.details_for_start() is None
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    assert wizard.session is not None
    view = signoff.read_signoff(gui_ws, wizard.session.assessment_id)
    assert view.signoff.credentials == "HCPC OT12345"
    wizard.close()
    wait_idle(qtbot, window.ops)


def test_details_changed_after_the_start_are_saved_as_typed(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    info = visits.start_assessment_for_new_person(
        gui_ws, "Ada Byrne", 1946, "Carol", Mode.OT, Mode.OT, visit_date=DAY
    )
    session = WalkthroughSession.open(gui_ws, info.id)
    wizard = WalkthroughWizard(gui_ws, window.ops, session, resume_at="who")
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.currentPage()
    assert isinstance(page, WhoPage)
    assert details_shown(page) == [True, True, True]
    assert page.credentials.isEnabled()  # the rest of who and how is fixed once started
    assert not page.assessor.isEnabled()
    qtbot.keyClicks(page.credentials, "OT Reg 9")
    assert page.details_status.text() == "Saving…"
    assert not page.isComplete()  # Next waits for it
    qtbot.waitUntil(lambda: page.details_status.text() == "✓ Saved.", timeout=5000)
    assert page.isComplete()
    assert signoff.read_signoff(gui_ws, info.id).signoff.credentials == "OT Reg 9"
    assert session.assessment.assessor.credentials == "OT Reg 9"
    # Typed and Next pressed at once: written before the page is left.
    qtbot.keyClicks(page.organisation, "Ward 7")
    assert page.validatePage()
    assert signoff.read_signoff(gui_ws, info.id).signoff.organisation == "Ward 7"
    wizard.close()
    wait_idle(qtbot, window.ops)


# ---- the summary: next review and home exercises ------------------------------------------------


def finished(ws: Workspace, role: Mode = Mode.OT) -> str:
    info = visits.start_assessment_for_new_person(
        ws, "Ada Byrne", 1946, "Carol", role, role, visit_date=DAY
    )
    visits.finish_assessment(ws, info.id)
    return info.id


def summary_window(qtbot: QtBot, window: MainWindow, visit: str) -> SummaryWindow:
    shown = SummaryWindow(window.ws, window.ops, visits.get_info(window.ws, visit), window)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: shown.signoff.view is not None)
    return shown


def test_a_caregivers_summary_has_no_review_or_exercises(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    shown = summary_window(qtbot, window, finished(gui_ws, Mode.CAREGIVER))
    assert not shown.signoff.isVisible()
    shown.close()


def test_the_next_review_is_saved_when_set_and_when_cleared(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    visit = finished(gui_ws)
    shown = summary_window(qtbot, window, visit)
    bar = shown.signoff
    assert bar.isVisible()
    assert not bar.review_tick.isChecked()
    assert not bar.review_date.isEnabled()
    assert bar.review_date.minimumDate() == QDate(2026, 11, 20)  # never before the visit
    qtbot.mouseClick(bar.review_tick, LEFT)
    assert bar.review_date.isEnabled()
    offered = bar.review_date.date()
    assert offered == QDate(2026, 11, 20).addDays(91)
    qtbot.waitUntil(lambda: "Saved: next review" in bar.status.accessibleName(), timeout=5000)
    assert bar.status.text() == "✓ Saved"  # short: the row fits a small screen
    assert signoff.read_signoff(gui_ws, visit).signoff.next_review == DAY + timedelta(days=91)
    bar.review_date.setDate(QDate(2027, 5, 20))
    qtbot.waitUntil(
        lambda: not bar.saving() and "2027" in bar.status.accessibleName(), timeout=5000
    )
    assert signoff.read_signoff(gui_ws, visit).signoff.next_review == date(2027, 5, 20)
    qtbot.mouseClick(bar.review_tick, LEFT)
    qtbot.waitUntil(
        lambda: bar.status.accessibleName() == "Saved: no date for the next review.", timeout=5000
    )
    assert signoff.read_signoff(gui_ws, visit).signoff.next_review is None
    # Changed and the window closed at once: written all the same.
    qtbot.mouseClick(bar.review_tick, LEFT)
    shown.close()
    window.ops.wait()
    assert signoff.read_signoff(gui_ws, visit).signoff.next_review == date(2027, 5, 20)


def test_the_exercise_dialog_prescribes_the_ticked_ones_with_their_doses(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    visit = finished(gui_ws)
    shown = summary_window(qtbot, window, visit)
    bar = shown.signoff
    assert bar.exercises_button.text() == "Home e&xercises…"
    dialog = bar.choose_exercises()
    assert isinstance(dialog, ExerciseDialog)
    qtbot.waitExposed(dialog)
    choices = signoff.exercise_choices(gui_ws)
    assert [tick.accessibleName() for tick in dialog.ticks] == [c.name for c in choices]
    assert not any(dose.isEnabled() for dose in dialog.doses)
    toe = [c.id for c in choices].index("toe_lifts")
    heel = [c.id for c in choices].index("heel_walking")
    tick(qtbot, dialog.ticks[heel])
    assert dialog.doses[heel].text() == choices[heel].default_dose  # offered, to be changed
    dialog.doses[heel].selectAll()
    qtbot.keyClicks(dialog.doses[heel], "5 steps holding the counter")
    tick(qtbot, dialog.ticks[toe])
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: bar.dialog is None, timeout=5000)
    wanted = (
        Prescription("toe_lifts", choices[toe].default_dose),
        Prescription("heel_walking", "5 steps holding the counter"),
    )  # in the content's order
    assert signoff.read_signoff(gui_ws, visit).exercises == wanted
    assert bar.exercises_button.text() == "Home e&xercises (2)…"
    # Opened again: what is prescribed, ticked, with its dose; unticking takes one away.
    again = bar.choose_exercises()
    assert again is not None
    assert [tick.isChecked() for tick in again.ticks] == [
        c.id in {"toe_lifts", "heel_walking"} for c in choices
    ]
    assert again.doses[heel].text() == "5 steps holding the counter"
    tick(qtbot, again.ticks[toe])
    assert again.prescriptions() == (Prescription("heel_walking", "5 steps holding the counter"),)
    qtbot.mouseClick(again.cancel_button, LEFT)  # Cancel: nothing written
    qtbot.waitUntil(lambda: bar.dialog is None)
    window.ops.wait()
    assert signoff.read_signoff(gui_ws, visit).exercises == wanted
    shown.close()


def test_a_refused_save_keeps_the_dialog_and_what_was_ticked(
    qtbot: QtBot,
    window: MainWindow,
    gui_ws: Workspace,
    boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit = finished(gui_ws)
    shown = summary_window(qtbot, window, visit)
    dialog = shown.signoff.choose_exercises()
    assert dialog is not None

    def refuse(*_args: object) -> None:
        raise InvalidInputError("The dose of 'toe_lifts' can be at most 200 characters.")

    monkeypatch.setattr(signoff, "set_exercises", refuse)
    tick(qtbot, dialog.ticks[0])
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: bool(boxes.shown), timeout=5000)
    assert "at most 200 characters" in boxes.shown[-1][2]
    assert dialog.isVisible()
    assert dialog.ticks[0].isChecked()
    assert dialog.buttons.isEnabled()  # to change and save again, or cancel
    assert signoff.read_signoff(gui_ws, visit).exercises == ()
    dialog.reject()
    shown.close()


def focus_chain(start: QWidget) -> list[QWidget]:
    """The widgets Tab reaches from `start`, in order, once round."""
    chain: list[QWidget] = [start]
    widget = start.nextInFocusChain()
    while widget is not None and widget is not start and len(chain) < 100:
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def test_every_control_of_the_dialog_is_reached_by_tab_with_its_own_alt_letter(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    visit = finished(gui_ws)
    choices = signoff.exercise_choices(gui_ws)
    dialog = ExerciseDialog(
        gui_ws, window.ops, visit, choices, [Prescription(c.id) for c in choices], "Ada", window
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    chain = focus_chain(dialog.ticks[0])
    wanted: list[QWidget] = [
        w for pair in zip(dialog.ticks, dialog.doses, strict=True) for w in pair
    ]
    assert chain[: len(wanted)] == wanted  # each tick, then its dose
    assert {dialog.save_button, dialog.cancel_button} <= set(chain)
    assert not clashes(dialog, "ExerciseDialog")
    keys = [t.text().lower().split("&")[1][:1] for t in dialog.ticks if "&" in t.text()]
    assert len(keys) == len(dialog.ticks)  # every exercise has one
    dialog.close()


def test_mnemonics_are_given_to_unused_letters() -> None:
    taken = {"s", "c"}
    assert with_mnemonic("Toe lifts", taken) == "&Toe lifts"
    assert with_mnemonic("Towel slides", taken) == "T&owel slides"  # T, then S, are taken
    assert with_mnemonic("Calf stretch", taken) == "C&alf stretch"
    assert taken == {"s", "c", "t", "o", "a"}
    assert with_mnemonic("Fish & chips", {"f"}) == "Fish && &chips"
    assert with_mnemonic("ab", {"a", "b"}) == "ab"


def test_the_walkthroughs_summary_writes_the_review_before_it_finishes(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    info = visits.start_assessment_for_new_person(
        gui_ws, "Ada Byrne", 1946, "Carol", Mode.OT, Mode.OT, visit_date=DAY
    )
    session = WalkthroughSession.open(gui_ws, info.id)
    wizard = WalkthroughWizard(gui_ws, window.ops, session, resume_at="summary")
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.currentPage()
    assert isinstance(page, SummaryPage)
    bar = page.signoff
    qtbot.waitUntil(lambda: bar.view is not None and bar.isVisible())
    assert not clashes(wizard, "summary, OT")
    bar.review_tick.setChecked(True)  # and Finish pressed straight away
    page.validatePage()  # (Finish then asks about the unanswered questions)
    QApplication.processEvents()
    assert signoff.read_signoff(gui_ws, info.id).signoff.next_review == DAY + timedelta(days=91)
    assert session.assessment.next_review == DAY + timedelta(days=91)
    wizard.close()
    wait_idle(qtbot, window.ops)


def test_the_bar_alone_reads_what_is_stored(
    qtbot: QtBot, window: MainWindow, gui_ws: Workspace
) -> None:
    visit = finished(gui_ws)
    signoff.set_next_review(gui_ws, visit, date(2027, 1, 4))
    signoff.set_exercises(gui_ws, visit, [Prescription("calf_stretch", "hold 30 s")])
    bar = SignOffBar(gui_ws, window.ops)
    qtbot.addWidget(bar)
    bar.show_visit(visit)
    qtbot.waitUntil(lambda: bar.view is not None)
    assert bar.review_tick.isChecked()
    assert bar.next_review() == date(2027, 1, 4)
    assert bar.exercises_button.text() == "Home e&xercises (1)…"
    assert "Calf stretch" in bar.exercises_button.accessibleDescription()
    bar.close()
