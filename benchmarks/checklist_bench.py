"""The blank checklist's render time, as a ratio to a one-paragraph ReportLab PDF.

`.venv/bin/python benchmarks/checklist_bench.py [--rounds N]`

The machines these run on are shared and loaded, so each checklist render is timed between
renders of the baseline (the same one-paragraph document as reports_bench.py), in the same
process, and the table gives both medians and their ratio, in wall-clock time and in CPU time
(which another process's load disturbs less). The target: under 0.3 s where the baseline takes
2.5 ms (the reference run in docs/performance.md), that is a ratio under 120.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from reportlab.platypus import Paragraph, SimpleDocTemplate

from safetycheck.content import load_content
from safetycheck.domain.checklist import Mode
from safetycheck.reports.checklist_pdf import BlankChecklistRenderer
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.layout import styles

TARGET_SECONDS = 0.3
REFERENCE_BASELINE = 0.0025  # seconds, docs/performance.md (issue 4)
TARGET_RATIO = TARGET_SECONDS / REFERENCE_BASELINE


def baseline() -> None:
    SimpleDocTemplate(io.BytesIO()).build([Paragraph("One line.", styles()["body"])])


def both_clocks(action: Callable[[], None]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def pages(render: Callable[[io.BytesIO], None]) -> int:
    buffer = io.BytesIO()
    render(buffer)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(buffer.getvalue())
        pdf.flush()
        info = subprocess.run(["pdfinfo", pdf.name], capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    content = load_content()
    fonts = FontSet()
    print(
        f"| checklist | pages | median ms (wall) | baseline ms | ratio | median ms (CPU) | "
        f"baseline ms | ratio | target ratio < {TARGET_RATIO:.0f} |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for mode in (Mode.CAREGIVER, Mode.OT):

        def render(target: io.BytesIO, mode: Mode = mode) -> None:
            BlankChecklistRenderer(fonts).render(
                content.checklist, mode, target, content.model.stratification.gait
            )

        count = pages(render)  # also the warm-up
        baseline()
        base: list[tuple[float, float]] = []
        runs: list[tuple[float, float]] = []
        for _ in range(args.rounds):
            base += [both_clocks(baseline) for _ in range(3)]
            runs.append(both_clocks(lambda: render(io.BytesIO())))
        figures = []
        for clock in (0, 1):
            run = statistics.median(sample[clock] for sample in runs)
            bare = statistics.median(sample[clock] for sample in base)
            figures.append((run * 1000, bare * 1000, run / bare))
        met = "yes" if max(ratio for _, _, ratio in figures) < TARGET_RATIO else "NO"
        cells = " | ".join(f"{r:.0f} | {b:.2f} | {q:.0f}" for r, b, q in figures)
        print(f"| {mode.value} | {count} | {cells} | {met} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
