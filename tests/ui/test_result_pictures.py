"""The summary's pictures and what it adds to the words: the level on its scale, what adds most
as bars, the score since the last finished visit and with the home fixed, the notes and photos;
on real visits stored in a real database, shown by the real summary view."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path

from drive import FOOT_DROP_AFO
from factories import make_assessment
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget, QWizard
from pytestqt.qtbot import QtBot

from safetycheck.domain.assessment import Assessment, VisitStatus
from safetycheck.domain.checklist import Mode
from safetycheck.domain.evaluation import since_last_visit
from safetycheck.domain.stratification import Level, LevelRange
from safetycheck.services import assessments as visits
from safetycheck.services.transfer import store_assessment
from safetycheck.services.workspace import Workspace
from safetycheck_ui import style
from safetycheck_ui.charts import BarChart, LevelGauge
from safetycheck_ui.main_window import MainWindow
from safetycheck_ui.operations import Operations
from safetycheck_ui.summary import SummaryView
from safetycheck_ui.summary_page import SummaryPage

LEFT = Qt.MouseButton.LeftButton
HALLWAY = "r2"  # make_assessment's rooms: entrance r1, hallway r2, living room r3, …
# (stored, the rooms get ids of their own: `room_id` finds one by its name)
Answers = Mapping[tuple[str, str | None], str | float]
RUGS_EVERYWHERE: Answers = {("room.floors.rugs", f"r{n}"): "no" for n in range(1, 7)}


def store(
    ws: Workspace,
    person: Mapping[str, str | float],
    changes: Answers | None = None,
    *,
    on: date,
    finished: bool = True,
    mode: Mode = Mode.CAREGIVER,
    notes: Mapping[tuple[str, str | None], str] | None = None,
) -> str:
    """A visit of the one test person, every question answered (safely unless said)."""
    assessment: Assessment = make_assessment(
        ws.content, person=person, changes=changes, mode=mode, notes=notes
    )
    assessment = replace(
        assessment,
        id=uuid.uuid4().hex,
        date=on,
        status=VisitStatus.COMPLETED if finished else VisitStatus.IN_PROGRESS,
    )
    with ws.unit_of_work() as uow:
        visit_id = store_assessment(uow, ws, assessment)
        uow.commit()
    return visit_id


def shown(qtbot: QtBot, ws: Workspace, ops: Operations, visit_id: str) -> SummaryView:
    view = SummaryView(ws, ops)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    with qtbot.waitSignal(view.shown, timeout=30_000):
        view.show_visit(visit_id)
    return view


def ink_columns(widget: QWidget, colour: QColor) -> list[int]:
    """The x of every column where the widget, rendered, has pixels of this colour."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    wanted = colour.rgb() & 0xFFFFFF
    return [
        x
        for x in range(image.width())
        if any(image.pixel(x, y) & 0xFFFFFF == wanted for y in range(image.height()))
    ]


def marked(gauge: LevelGauge) -> tuple[int, int]:
    """Where the gauge's marker (drawn in the highlight colour) is: its leftmost and rightmost
    columns."""
    columns = ink_columns(gauge, gauge.palette().color(QPalette.ColorRole.Highlight))
    assert columns, "the gauge marks nothing"
    return columns[0], columns[-1]


def test_the_gauge_says_the_level_and_points_at_it(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations
) -> None:
    low = shown(qtbot, gui_ws, ops, store(gui_ws, {}, mode=Mode.OT, on=date(2026, 1, 5)))
    moderate_id = store(
        gui_ws, {"steadi.si.03": "yes", "person.gait.tug": 18.0}, mode=Mode.OT, on=date(2026, 2, 5)
    )
    moderate = shown(qtbot, gui_ws, ops, moderate_id)
    unsettled = shown(
        qtbot, gui_ws, ops, store(gui_ws, {"steadi.si.03": "yes"}, on=date(2026, 3, 5))
    )
    assert low.gauge is not None
    assert moderate.gauge is not None
    assert unsettled.gauge is not None
    assert low.evaluation is not None
    assert low.evaluation.result.level is Level.LOW
    assert low.gauge.accessibleName() == "Fall-risk level"
    assert low.gauge.accessibleDescription().startswith("This visit: Low risk.")
    assert moderate.gauge.accessibleDescription().startswith("This visit: Moderate risk.")
    # Unfinished certainty: the range, never a point.
    assert unsettled.evaluation is not None
    assert unsettled.evaluation.result.level_range == LevelRange(Level.LOW, Level.MODERATE)
    assert unsettled.gauge.accessibleDescription().startswith(
        "This visit: not settled yet, between low and moderate."
    )
    # The same words are in what the summary says (and reads out).
    assert "This visit: Moderate risk" in moderate.text.toPlainText()
    # Drawn where it says: the marker moves right with the level, and a range spans both steps.
    for view in (low, moderate, unsettled):
        assert view.gauge is not None
        view.gauge.resize(600, view.gauge.heightForWidth(600))
    low_left, low_right = marked(low.gauge)
    moderate_left, moderate_right = marked(moderate.gauge)
    range_left, range_right = marked(unsettled.gauge)
    # Each step is a third of the width: the marker's middle is in the step it names.
    assert 0 < (low_left + low_right) / 2 < 200 < (moderate_left + moderate_right) / 2 < 400
    assert low_right < 210
    assert moderate_right < 410
    assert range_left <= low_left + 2
    assert range_right >= moderate_right - 2


def test_what_adds_most_is_drawn_in_the_model_order_with_its_points(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations
) -> None:
    visit_id = store(gui_ws, FOOT_DROP_AFO, RUGS_EVERYWHERE, on=date(2026, 1, 5))
    view = shown(qtbot, gui_ws, ops, visit_id)
    assert view.evaluation is not None
    assert view.contributors_chart is not None
    result, summary = view.evaluation.result, view.evaluation.summary
    scored = [c for c in result.contributors if c.points > 0]
    assert len(scored) > len(summary.top_reasons) >= 5  # a long list: only the biggest drawn
    chart = view.contributors_chart
    top = chart.bars[: len(summary.top_reasons)]
    assert [(bar.label, bar.value) for bar in top] == [(c.label, c.points) for c in scored[:8]]
    assert [bar.figure for bar in top] == [f"+{c.points}" for c in scored[:8]]
    # The rest together in words (not a bar: it would look like the biggest reason), so what
    # the chart says adds up to the score.
    count, rest = summary.smaller_reasons
    assert chart.bars == top
    assert count > 0
    assert chart.footnote == f"And {count} smaller reasons, together +{rest}."
    assert sum(bar.value for bar in chart.bars) + rest == result.score
    said = chart.accessibleDescription()
    positions = [said.index(f"{c.label}: +{c.points}") for c in scored[:8]]
    assert positions == sorted(positions)
    # Lengths to scale: the biggest reason has the longest bar, the order never goes up.
    lengths = [rect.width() for rect in chart.bar_rects()[: len(top)]]
    assert lengths == sorted(lengths, reverse=True)
    assert lengths[0] > 2 * lengths[-1] or top[0].value < 2 * top[-1].value
    assert ink_columns(chart, chart.palette().color(QPalette.ColorRole.Highlight))  # not blank


def test_fixing_the_home_and_since_the_last_visit_only_with_a_finished_one(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations
) -> None:
    person = {"steadi.si.03": "yes", "steadi.si.01": "yes"}
    started = store(gui_ws, person, RUGS_EVERYWHERE, on=date(2026, 1, 5), finished=False)
    first = shown(qtbot, gui_ws, ops, store(gui_ws, person, RUGS_EVERYWHERE, on=date(2026, 2, 5)))
    assert visits.get_info(gui_ws, started).status is VisitStatus.IN_PROGRESS
    # An earlier visit never finished is not a last visit.
    assert first.since_last is None
    assert "Since the last visit" not in first.text.toPlainText()
    assert first.evaluation is not None
    assert first.score_chart is not None
    result = first.evaluation.result
    assert result.home_hazards == 6
    assert result.score_if_home_fixed < result.score
    # What fixing the home would change: the domain's sentence, and the same figures drawn.
    assert first.evaluation.summary.score_line in first.text.toPlainText()
    assert f"from {result.score} to {result.score_if_home_fixed}" in (
        first.evaluation.summary.score_line
    )
    assert [bar.value for bar in first.score_chart.bars] == [
        result.score,
        result.score_if_home_fixed,
    ]
    # Four rugs taken away since: down, with the fixes counted.
    fewer = {key: value for key, value in RUGS_EVERYWHERE.items() if key[1] in ("r1", "r2")}
    second = shown(qtbot, gui_ws, ops, store(gui_ws, person, fewer, on=date(2026, 5, 5)))
    assert second.since_last is not None
    assert second.evaluation is not None
    now = second.evaluation.result
    assert second.since_last.comparison.score_then == result.score
    line = since_last_visit(
        score_then=result.score,
        score_now=now.score,
        level_then="between low and moderate",
        level_now="between low and moderate",
        fixed=4,
        new=0,
        not_checked=0,
        complete=True,
    )
    assert line.startswith(f"Score down from {result.score} to {now.score}; 4 fixes done.")
    said = second.text.toPlainText()
    assert f"Since the last visit (2026-02-05): {line}" in said
    assert said.index("Fall risk:") < said.index("Since the last visit")
    assert second.score_chart is not None
    assert [(bar.label, bar.value) for bar in second.score_chart.bars[:2]] == [
        ("Last visit (2026-02-05)", result.score),
        ("This visit", now.score),
    ]


def test_notes_and_photos_show_with_their_question(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations, tmp_path: Path
) -> None:
    note = "The rug by the front door <b>slides</b> on the tiles"
    visit_id = store(
        gui_ws,
        {},
        {("room.floors.rugs", HALLWAY): "no"},
        on=date(2026, 1, 5),
        notes={("room.floors.rugs", HALLWAY): note},
    )
    picture = tmp_path / "hall rug.jpg"
    Image.new("RGB", (640, 480), (200, 30, 30)).save(picture)
    rooms = visits.load_assessment(gui_ws, visit_id).rooms
    hallway = next(room.id for room in rooms if room.name == "Hallway")
    visits.attach_photo(gui_ws, visit_id, "room.floors.rugs", hallway, picture)
    view = shown(qtbot, gui_ws, ops, visit_id)
    question = gui_ws.content.checklist.item("room.floors.rugs").text
    said = view.text.toPlainText()
    assert f"{question} (Hallway): {note}" in said  # as typed, markup and all
    assert view.photo_list is not None
    assert view.photo_list.captions[0].text() == f"{question} (Hallway)\nhall rug.jpg"
    thumbnail = view.photo_list.pictures[0].pixmap()
    assert not thumbnail.isNull()
    assert max(thumbnail.width(), thumbnail.height()) <= 160
    assert "hall rug.jpg" in said
    # Red flags and what is not known stay first; the notes come after the result.
    assert said.index("Fall risk:") < said.index(note)


def test_the_pictures_fit_a_small_screen_at_the_largest_text(
    qtbot: QtBot, gui_ws: Workspace, ops: Operations, qapp: QApplication
) -> None:
    visit_id = store(gui_ws, FOOT_DROP_AFO, RUGS_EVERYWHERE, on=date(2026, 1, 5))
    heights = {}
    try:
        for scale in (1.0, 2.0):
            style.apply_font_scale(qapp, scale)
            window = QWidget()
            qtbot.addWidget(window)
            QVBoxLayout(window).addWidget(view := SummaryView(gui_ws, ops))
            window.resize(1024, 600)
            window.show()
            with qtbot.waitSignal(view.shown, timeout=30_000):
                view.show_visit(visit_id)
            document = view.text
            # Every piece as tall as its text needs at the width it got: nothing cut off.
            qtbot.waitUntil(
                lambda: all(
                    part.height() >= part.heightForWidth(part.width())
                    for part in document.parts  # noqa: B023 (waited for here)
                )
            )
            page = document.widget()
            assert page is not None
            assert document.horizontalScrollBar().maximum() == 0
            assert page.minimumSizeHint().width() <= document.viewport().width()
            for part in document.parts:
                assert part.geometry().right() <= document.viewport().width(), part
            assert view.gauge is not None
            assert view.contributors_chart is not None
            heights[scale] = (view.gauge.height(), view.contributors_chart.height())
    finally:
        style.apply_font_scale(qapp, 1.0)
    assert heights[2.0][0] > heights[1.0][0] * 1.5  # the pictures grow with the text
    assert heights[2.0][1] > heights[1.0][1] * 1.5


def test_the_walkthrough_summary_page_shows_the_range_of_an_unanswered_visit(
    qtbot: QtBot, window: MainWindow
) -> None:
    from drive import fill_who

    wizard = window.new_walkthrough(None)
    fill_who(wizard)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled)
    qtbot.mouseClick(next_button, LEFT)
    while wizard.nextId() != -1:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    summary = wizard.currentPage()
    assert isinstance(summary, SummaryPage)
    qtbot.waitUntil(lambda: summary.view.gauge is not None)
    gauge = summary.view.gauge
    assert gauge is not None
    assert gauge.accessibleDescription().startswith("This visit: not settled yet, between low and")
    assert isinstance(summary.view.score_chart, BarChart)
    said = summary.view.text.toPlainText()
    assert said.index("warning-sign question") < said.index("Fall risk:")  # still first
