"""Saves screenshots of the program's main views into this folder, at the four screen and text
sizes it must fit (1024x600 and 1366x768, normal and largest text):

    .venv/bin/python docs/screenshots/make_screenshots.py

Each size runs in a process of its own (tests/ui/fit_check.py: Qt's offscreen platform with a
screen of that size, a throwaway database and settings), driving the real program as a caregiver
would, clicking the same buttons; the fit check runs on the way and its findings are printed.
The PNGs are named `<screen>-<text size>-<view>.png`: first-start, who, question,
question-redflag, home, room-question, summary, finish-dialog and main-window.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The fit check and the helpers the GUI tests drive the walkthrough with.
sys.path.insert(0, str(HERE.parent.parent / "tests" / "ui"))

from fit_check import SCALES, SCREENS, run_child  # noqa: E402


def main() -> int:
    found = 0
    for screen in SCREENS:
        for scale, name in SCALES.items():
            result = run_child(screen, scale, out=HERE)
            label = f"{screen[0]}x{screen[1]} {name} text"
            print(
                f"{label}: {len(result.shots)} screenshots, {len(result.views)} views checked, "
                f"{len(result.violations)} violations, {result.seconds:.0f} s"
            )
            for shot in result.shots:
                print(f"  {shot}")
            for violation in result.violations:
                print(f"  ! {violation}")
            if result.error:
                print(result.error, file=sys.stderr)
                return 2
            found += len(result.violations)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
