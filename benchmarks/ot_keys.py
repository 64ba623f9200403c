"""Keystrokes of an OT's visit in the grid, counted through the real widgets (offscreen Qt).

    ot_keys.py [DB_URL]

Drives a full OT visit of the home in issue 13 (the six usual rooms and the stairs: seven
rooms), then a follow-up where nothing changed, by key presses only, each sent to the widget
that has the focus as a keyboard would (QTest.keyClick). Every question asked is answered;
the measurements are typed digit by digit and Enter; one note is typed. Counted: every key
from the first question to the summary. Not counted, and said so: the who-and-how page (the
person's name and the date are typed whatever the view) and adding the stairs to the rooms
table (done through the session, as the rooms table is the same page in both views); leaving
the rooms table is counted (Enter).

Also timed (median and worst, ms): a key that answers -> the next question painted, in the
grid, on a page of at least 17 questions. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from safetycheck_ui.grid_page import GridPage
    from safetycheck_ui.item_row import ItemRow
    from safetycheck_ui.wizard import WalkthroughWizard

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent

# The first visit's answers other than the safe one (the rest: safe, as tests/ui/drive.py).
FIRST_VISIT: dict[str, str | float] = {
    "person.fd.present": "yes",
    "person.fd.side": "left",
    "person.fd.brace": "afo",
    "person.night_toilet": "twice",
    "room.floors.rugs": "yes",
}
MEASURED = {  # typed in mm (the program's unit at first)
    "room.bath.ot.toilet_height": "455",
    "room.bath.ot.grab_height": "880",
    "room.stairs.ot.riser": "180",
    "room.stairs.ot.rail_height": "915",
    "footwear.ot.heel_height": "10",
}
NOTE = ("room.floors.rugs", "mat by the door")


class Keyboard:
    """Presses keys on whatever has the focus, as a keyboard does, and counts them."""

    def __init__(self) -> None:
        from safetycheck_ui.operations import Operations

        self.ops = Operations()
        self.pressed = 0
        self.timings: list[float] = []  # answer key -> the next question painted (ms)

    def settle(self) -> None:
        from PySide6.QtWidgets import QApplication

        while not self.ops.idle:
            self.ops.wait(20)
            QApplication.processEvents()
        QApplication.processEvents()

    def focused(self) -> QWidget:
        from PySide6.QtWidgets import QApplication

        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the focus"
        return widget

    def key(self, which: Qt.Key) -> None:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        self.pressed += 1
        QTest.keyClick(self.focused(), which)
        QApplication.processEvents()

    def type(self, text: str) -> None:
        from PySide6.QtTest import QTest

        for char in text:
            self.pressed += 1
            QTest.keyClicks(self.focused(), char)

    def timed_answer(self, page: GridPage, row: ItemRow, which: Qt.Key) -> None:
        """Press the answer key; time until the question that then has the focus has been
        painted (offscreen, painting is done when the events are processed)."""
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        watch = _Painted()
        rows = page.asked_rows()
        for each in rows:
            each.installEventFilter(watch)
        self.pressed += 1
        start = time.perf_counter()
        QTest.keyClick(row, which)
        deadline = start + 2.0
        while time.perf_counter() < deadline:
            QApplication.processEvents()
            now = row_of(QApplication.focusWidget())
            if now is not None and now is not row and watch.at.get(id(now), 0) > start:
                if len(rows) >= 17:
                    self.timings.append((watch.at[id(now)] - start) * 1000)
                break
        for each in rows:
            each.removeEventFilter(watch)


def row_of(widget: QWidget | None) -> ItemRow | None:
    from safetycheck_ui.item_row import ItemRow

    while widget is not None and not isinstance(widget, ItemRow):
        widget = widget.parentWidget()
    return widget


def _painted_filter() -> type:
    from PySide6.QtCore import QEvent, QObject

    class Painted(QObject):
        """When each watched row was last painted."""

        def __init__(self) -> None:
            super().__init__()
            self.at: dict[int, float] = {}

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.at[id(watched)] = time.perf_counter()
            return False

    return Painted


def answer_key(row: ItemRow, value: str | float) -> Qt.Key:
    from PySide6.QtCore import Qt

    from safetycheck.domain.checklist import AnswerType

    if row.item.type is AnswerType.CHOICE:
        number = [o.value for o in row.item.options].index(str(value)) + 1
        return Qt.Key(Qt.Key.Key_0 + number)
    return {"yes": Qt.Key.Key_Y, "no": Qt.Key.Key_N, "na": Qt.Key.Key_A}[str(value)]


def answer_page(keys: Keyboard, wizard: WalkthroughWizard, page: GridPage, follow_up: bool) -> int:
    """Answer every question of a grid page by keys, then Enter to the next page; returns
    the questions answered by a key of their own."""
    from drive import safe_value
    from PySide6.QtCore import Qt

    from safetycheck.domain.checklist import AnswerType

    questions = 0
    kept_all = False
    while wizard.currentPage() is page:
        keys.settle()
        row = row_of(keys.focused())
        assert row is not None, f"{page.step.key}: no question has the focus"
        if follow_up and not kept_all and any(r.suggestion() for r in page.asked_rows()):
            kept_all = True
            keys.key(Qt.Key.Key_C)  # keep every answer of the last visit on this page
            continue
        if row.current() is not None or row.saving:
            keys.key(Qt.Key.Key_Return)  # the last question answered: the next page
            continue
        questions += 1
        if follow_up and row.suggestion() is not None:
            keys.key(Qt.Key.Key_Return)  # nothing changed: keep the last visit's answer
            continue
        if row.item.type is AnswerType.MEASURE:
            keys.type(MEASURED.get(row.item.id) or f"{safe_value(row):g}")
            keys.key(Qt.Key.Key_Return)
            continue
        value = FIRST_VISIT.get(row.item.id, safe_value(row))
        keys.timed_answer(page, row, answer_key(row, value))
        if not follow_up and row.item.id == NOTE[0] and row.current() is not None:
            keys.key(Qt.Key.Key_Up)  # back to it
            keys.key(Qt.Key.Key_F2)
            keys.type(NOTE[1])
            keys.key(Qt.Key.Key_Return)  # the note saved, the focus back on the row
            keys.key(Qt.Key.Key_Down)
    return questions


def walk(keys: Keyboard, wizard: WalkthroughWizard, follow_up: bool) -> tuple[int, int]:
    """Keys and questions from the first page to the summary."""
    from PySide6.QtCore import Qt

    from safetycheck_ui.falls_page import FallsPage
    from safetycheck_ui.grid_page import GridPage

    keys.pressed = 0
    questions = 0
    wizard.show()
    keys.settle()
    while wizard.nextId() != -1:
        page = wizard.currentPage()
        if isinstance(page, GridPage):
            questions += answer_page(keys, wizard, page, follow_up)
        elif isinstance(page, FallsPage):
            keys.type("0")  # no falls since the last visit
            keys.key(Qt.Key.Key_Return)
        else:
            keys.key(Qt.Key.Key_Return)  # the rooms table: Enter is Next
        keys.settle()
    return keys.pressed, questions


def main() -> int:
    url = sys.argv[1] if len(sys.argv) > 1 else ""
    sys.path.insert(0, str(HERE.parent / "tests" / "ui"))
    global _Painted  # (made once Qt is imported)
    _Painted = _painted_filter()
    from safetycheck.domain.checklist import Mode
    from safetycheck.services import assessments as visits
    from safetycheck.services.workspace import open_workspace
    from safetycheck_ui.app import create_application
    from safetycheck_ui.session import WalkthroughSession
    from safetycheck_ui.wizard import WalkthroughWizard

    url = url or f"sqlite:///{tempfile.mkdtemp(prefix='ot-keys-')}/ot.sqlite3"
    app = create_application([])
    ws = open_workspace(url)
    keys = Keyboard()

    first = visits.start_assessment_for_new_person(
        ws, "Rosa Martínez", 1947, "Luis", Mode.OT, Mode.OT, visit_date=date(2026, 11, 3)
    )
    first_session = WalkthroughSession.open(ws, first.id)
    first_session.add_room("stairs")
    wizard = WalkthroughWizard(ws, keys.ops, first_session, resume_at="person")
    first_keys, first_questions = walk(keys, wizard, follow_up=False)
    visits.finish_assessment(ws, first.id)
    wizard.close()
    keys.settle()

    second = visits.start_assessment(ws, first.person_id, "Luis", Mode.OT, Mode.OT)
    session = WalkthroughSession.open(ws, second.id)
    # The first page after who and how: falls since the last visit, when asked, else the person.
    wizard = WalkthroughWizard(ws, keys.ops, session, resume_at=session.steps()[1].key)
    follow_keys, follow_own = walk(keys, wizard, follow_up=True)
    follow_questions = len(session.assessment.answers)
    result = {
        "rooms": len(session.rooms()),
        "first_visit_questions": first_questions,
        "first_visit_keys": first_keys,
        "first_visit_keys_per_question": round(first_keys / first_questions, 2),
        "follow_up_questions": follow_questions,
        "follow_up_answered_by_a_key_of_their_own": follow_own,
        "follow_up_keys": follow_keys,
        "follow_up_keys_per_question": round(follow_keys / max(1, follow_questions), 2),
        "follow_up_unanswered": len(session.unanswered()),
        "answer_to_next_painted_median_ms": round(statistics.median(keys.timings), 2),
        "answer_to_next_painted_max_ms": round(max(keys.timings), 2),
        "timed_answers": len(keys.timings),
    }
    print(json.dumps(result), flush=True)
    ws.close()
    app.quit()
    os._exit(0)


_Painted: type = object


if __name__ == "__main__":
    raise SystemExit(main())
