"""Report benchmarks, run in their own process so peak memory is the reports' own.

Prints one JSON object: rows of (name, samples in seconds, target) and the peak RSS in MB.
Run through benchmarks/run.py, which prints the table.
"""

from __future__ import annotations

import io
import json
import random
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from factories import make_assessment  # noqa: E402
from PIL import Image  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from safetycheck.content import Content, load_content  # noqa: E402
from safetycheck.domain.assessment import Assessment, Photo, PrintCopy  # noqa: E402
from safetycheck.domain.checklist import AnswerType, Mode, Page  # noqa: E402
from safetycheck.domain.report import Change, PlanReport  # noqa: E402
from safetycheck.exchange.assessment_json import assessment_to_document  # noqa: E402
from safetycheck.imaging import prepare_photo  # noqa: E402
from safetycheck.reports.checklist_pdf import BlankChecklistRenderer  # noqa: E402
from safetycheck.reports.fonts import FontSet  # noqa: E402
from safetycheck.reports.layout import styles  # noqa: E402
from safetycheck.reports.plan_pdf import ActionPlanRenderer  # noqa: E402
from safetycheck.services.reports import plan_report  # noqa: E402


def timed(action: object, rounds: int) -> list[float]:
    assert callable(action)
    action()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def large_assessment() -> tuple[Content, Assessment]:
    """12 rooms, every hazard found, 20 photos, long notes everywhere."""
    content = load_content()
    checklist = content.checklist
    kinds = [
        "entrance",
        "hallway",
        "living",
        "kitchen",
        "bedroom",
        "bedroom",
        "bedroom",
        "bathroom",
        "bathroom",
        "stairs",
        "laundry",
        "garage_yard",
    ]
    rooms = tuple(
        (kind, f"{kind.replace('_', ' ').title()} {n}", n % 2 == 0, kind == "stairs")
        for n, kind in enumerate(kinds, start=1)
    )
    person = {
        "person.fd.present": "yes",
        "person.fd.brace": "afo",
        "person.night_toilet": "twice",
        "steadi.si.01": "yes",
        "steadi.si.03": "yes",
        "footwear.indoor": "socks",
    }
    base = make_assessment(content, person=person, rooms=rooms, mode=Mode.OT)
    rng = random.Random(1)
    note = " ".join(
        rng.choice(
            ["the", "rug", "curls", "near", "door", "and", "light", "is", "dim", "at", "night"]
        )
        for _ in range(120)
    )
    changes: dict[tuple[str, str | None], str | float] = {}
    for item in checklist.items:
        if item.type is AnswerType.CHECK and item.page is Page.ROOM:
            for n, kind in enumerate(kinds, start=1):
                if item.applies_to_room(kind):
                    changes[(item.id, f"r{n}")] = "no"
        elif item.type is AnswerType.CHECK and item.page is not Page.PERSON:
            changes[(item.id, None)] = "no"
    worst = make_assessment(
        content,
        person=person,
        rooms=rooms,
        changes=changes,
        mode=Mode.OT,
        notes=dict.fromkeys(changes, note),
    )
    photos = []
    picture = io.BytesIO()
    Image.effect_noise((2400, 1800), 60).convert("RGB").save(picture, format="JPEG")
    prepared = prepare_photo(picture.getvalue())
    for n, key in enumerate(list(changes)[:20]):
        photos.append(
            Photo(
                f"ph{n}",
                key[0],
                key[1],
                f"photo{n}.jpg",
                prepared.media_type,
                prepared.width,
                prepared.height,
                prepared.data,
                prepared.original_sha256,
                prepared.original_bytes,
                PrintCopy(prepared.print_data, prepared.print_width, prepared.print_height),
            )
        )
    assert base is not None
    return content, replace(worst, photos=tuple(photos))


def main() -> int:
    content, large = large_assessment()
    demo_json = HERE.parent / "data" / "demo" / "demo-visit-2.json"
    from safetycheck.exchange.assessment_json import read_assessment_file

    demo = read_assessment_file(demo_json, content.checklist)
    change = Change(date(2026, 8, 27), 178, 154, "high", "high", ("Loose rug (Hallway)",), (), ())
    demo_report = plan_report(content, demo, change)
    large_report = plan_report(content, large)
    fonts = FontSet()

    def render_plan(report: PlanReport) -> None:
        ActionPlanRenderer(fonts).render(report, io.BytesIO())

    def render_blank(mode: Mode) -> None:
        BlankChecklistRenderer(fonts).render(content.checklist, mode, io.BytesIO())

    def baseline() -> None:
        SimpleDocTemplate(io.BytesIO()).build([Paragraph("One line.", styles()["body"])])

    # A visit stored before migration 0006 (or read from a format 3 file): no print copies.
    uncopied = replace(large, photos=tuple(replace(p, for_print=None) for p in large.photos))
    rows = [
        ("baseline: one-paragraph ReportLab PDF", timed(baseline, 20), None),
        (
            "large plan's content, print copies kept",
            timed(lambda: plan_report(content, large), 5),
            0.1,
        ),
        (
            "large plan's content, print copies made (older data)",
            timed(lambda: plan_report(content, uncopied), 3),
            None,
        ),
        ("demo action plan", timed(lambda: render_plan(demo_report), 10), None),
        (
            "large plan (12 rooms, all hazards, 20 photos)",
            timed(lambda: render_plan(large_report), 5),
            1.0,
        ),
        ("blank checklist, caregiver", timed(lambda: render_blank(Mode.CAREGIVER), 10), 0.3),
        ("blank checklist, OT", timed(lambda: render_blank(Mode.OT), 10), 0.3),
    ]
    buffer = io.BytesIO()
    ActionPlanRenderer(fonts).render(large_report, buffer)
    if len(sys.argv) > 1:
        # The large visit as a file, so run.py can time `safetycheck report` on it end to end.
        Path(sys.argv[1]).write_text(json.dumps(assessment_to_document(large)), encoding="utf-8")
    print(json.dumps({"rows": rows, "large_bytes": len(buffer.getvalue())}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
