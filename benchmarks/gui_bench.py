"""Desktop-program benchmarks, each in a process of its own (offscreen Qt).

    gui_bench.py bare                 a bare QWizard: show, first paint, quit
    gui_bench.py walkthrough DB_URL   a full caregiver walkthrough in the guided view: answer ->
                                      next question painted, Next -> next question painted,
                                      Next -> next step painted, memory (peak, and resident
                                      at each stage: Qt and the program, window, storage,
                                      walkthrough)

Each prints one JSON line. benchmarks/run.py runs them next to `safetycheck gui --smoke` and
prints the table.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before Qt is imported, like safetycheck's own STARTED

import json  # noqa: E402
import linecache  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mb() -> float:
    """Resident memory now (VmRSS), for what each stage adds."""
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bare() -> dict[str, float]:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage

    started = STARTED
    app = QApplication([])
    wizard = QWizard()
    for n in range(3):
        page = QWizardPage()
        page.setTitle(f"Page {n + 1}")
        QVBoxLayout(page).addWidget(QLabel("A question"))
        wizard.addPage(page)
    painted: list[float] = []

    class Watch(QObject):
        def eventFilter(self, _o: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append((time.perf_counter() - started) * 1000)
                QTimer.singleShot(0, app.quit)
            return False

    watch = Watch()
    wizard.installEventFilter(watch)
    wizard.show()
    app.exec()
    return {"first_paint_ms": painted[0], "peak_mb": peak_mb()}


def walkthrough(url: str) -> dict[str, object]:
    """In the program's order: Qt and the window first, then storage, then the walkthrough."""
    stages = {"python": resident_mb()}
    sys.path.insert(0, str(HERE.parent / "tests" / "ui"))
    from PySide6.QtWidgets import QApplication

    from safetycheck_ui.app import create_application

    app = create_application([])
    stages["qt_and_app"] = resident_mb()  # PySide6, the program's modules, QApplication
    from drive import answer_row, fill_who, safe_value

    from safetycheck.domain.checklist import AnswerType
    from safetycheck_ui.main_window import MainWindow
    from safetycheck_ui.wizard import ItemsPage

    window = MainWindow()
    window.show()
    QApplication.processEvents()
    stages["window"] = resident_mb()
    from safetycheck.services.workspace import open_workspace

    ws = open_workspace(url)
    window.attach(ws)
    while window.people_model.rowCount() == 0:  # the demo person, read in the background
        QApplication.processEvents()
        time.sleep(0.001)
    stages["storage"] = resident_mb()
    wizard = window.new_walkthrough(None)
    fill_who(wizard)
    wizard.next()
    QApplication.processEvents()
    first_visit: list[float] = []
    revisit: list[float] = []
    answered: list[float] = []  # guided: an answer chosen -> written -> next question painted
    questions = 0
    answers = {"person.fd.present": "yes", "person.fd.brace": "afo", "person.night_toilet": "twice"}
    while True:
        page = wizard.currentPage()
        if isinstance(page, ItemsPage):
            while (row := page.current_row()) is not None:
                questions += 1
                value = answers.get(row.item.id, safe_value(row))
                if row.item.type is AnswerType.MEASURE:
                    answer_row(None, row, value)  # typed, then Next: not timed
                    wizard.next()
                    continue
                start = time.perf_counter()
                row.value_buttons[str(value)].click()
                # Until the answer is written (a worker thread) and the next question is
                # shown: the results are delivered as soon as they arrive (no polling step).
                while page.current == row.item.id:
                    QApplication.processEvents()
                    time.sleep(0.0002)
                shown = page.current_row()
                (shown or page).repaint()
                answered.append((time.perf_counter() - start) * 1000)
        QApplication.processEvents()
        if wizard.nextId() == -1:
            break
        start = time.perf_counter()
        wizard.next()
        wizard.currentPage().repaint()  # paint now, synchronously
        first_visit.append((time.perf_counter() - start) * 1000)
    # Back through every page and forward again: pages already built. Guided, Back goes
    # question by question and Next likewise: time only the presses that change the page.
    while wizard.currentId() != wizard.startId() and wizard.currentPage().objectName() != "person":
        wizard.back()
    next_question: list[float] = []  # guided: Next on a question -> the next question painted
    while wizard.nextId() != -1:
        before = wizard.currentPage()
        start = time.perf_counter()
        wizard.next()
        wizard.currentPage().repaint()
        took = (time.perf_counter() - start) * 1000
        (revisit if wizard.currentPage() is not before else next_question).append(took)
    QApplication.processEvents()
    result: dict[str, object] = {
        "pages": len(first_visit) + 1,
        "next_first_median_ms": statistics.median(first_visit),
        "next_first_max_ms": max(first_visit),
        "next_again_median_ms": statistics.median(revisit),
        "next_all_median_ms": statistics.median(first_visit + revisit),
        "questions": questions,
        "answer_to_next_question_median_ms": statistics.median(answered),
        "answer_to_next_question_max_ms": max(answered),
        "next_question_median_ms": statistics.median(next_question) if next_question else None,
        "peak_mb": peak_mb(),
        "resident_mb": {**stages, "walkthrough": resident_mb()},
        "line_cache_files": len(linecache.cache),
    }
    ws.close()
    app.quit()
    return result


def main() -> int:
    mode = sys.argv[1]
    result = bare() if mode == "bare" else walkthrough(sys.argv[2])
    print(json.dumps(result), flush=True)
    os._exit(0)  # skip Qt teardown: it is not what is measured


if __name__ == "__main__":
    raise SystemExit(main())
