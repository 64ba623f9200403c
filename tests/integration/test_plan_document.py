"""The action plan an OT signs and a family acts on, read back from the PDF: measurements against
their ranges, done actions with their date and note, effort, jobs by who, what to do first by its
rule, bookmarks, continued headers, the sign-off, metadata and large print."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from factories import make_assessment

from safetycheck.content import Content
from safetycheck.domain.assessment import (
    ActionKind,
    ActionState,
    ActionStatus,
    Assessment,
    Assessor,
    Prescription,
)
from safetycheck.domain.checklist import AnswerType, Mode, Page
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.plan import FIRST_STEPS_RULE
from safetycheck.domain.report import measurement
from safetycheck.reports.fonts import FontSet
from safetycheck.reports.layout import styles
from safetycheck.reports.plan_pdf import ActionPlanRenderer
from safetycheck.services.reports import plan_report, write_plan_pdf

ROOMS = (
    ("hallway", "Hallway", True, False),
    ("bathroom", "Bathroom", True, False),
    ("kitchen", "Kitchen", False, False),
    ("bedroom", "Bedroom", True, False),
)
PERSON = {"person.fd.present": "yes", "person.fd.brace": "afo", "steadi.si.01": "yes"}


def text_of(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = []
    if first is not None:
        pages += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def page_texts(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    return [text_of(path, n) for n in range(1, count + 1)]


def write(
    tmp_path: Path, content: Content, assessment: Assessment, large_print: bool = False
) -> Path:
    report = plan_report(content, assessment)
    target = tmp_path / "plan.pdf"
    write_plan_pdf(report, target, large_print=large_print)
    return target


@pytest.fixture(scope="module")
def ot_visit(content: Content) -> Assessment:
    visit = make_assessment(
        content,
        person=PERSON,
        rooms=ROOMS,
        mode=Mode.OT,
        changes={
            ("room.floors.rugs", "r1"): "no",
            ("room.clutter.paths", "r1"): "no",
            ("room.bath.ot.toilet_height", "r2"): 400.0,
            ("room.bath.ot.grab_height", "r2"): 870.0,
            ("room.floors.rugs", "r3"): "no",
            ("room.light.bed_lamp", "r4"): "no",
        },
    )
    done = ActionStatus(
        ActionKind.HAZARD,
        "room.floors.rugs",
        "r3",
        ActionState.DONE,
        date(2026, 11, 27),
        "Rug taken up by Tom",
    )
    assessor = Assessor(
        "Priya Nair", Mode.OT, "HCPC OT12345", "Northside Community Therapy", "020 7946 0000"
    )
    return replace(visit, actions=(done,), assessor=assessor, next_review=date(2027, 2, 26))


@pytest.fixture(scope="module")
def ot_plan(
    tmp_path_factory: pytest.TempPathFactory, content: Content, ot_visit: Assessment
) -> Path:
    return write(tmp_path_factory.mktemp("ot"), content, ot_visit)


def test_measurements_print_with_their_unit_and_reference_range(ot_plan: Path) -> None:
    text = text_of(ot_plan)
    assert "Toilet seat height: 400 mm — too low; recommended 430–485 mm." in text
    # A measurement that found nothing wrong is printed too, with its range.
    assert (
        "Grab bar height by the toilet: 870 mm — within the recommended range; "
        "recommended 840–915 mm." in text
    )


def test_a_done_action_prints_its_date_and_note_and_leaves_the_lists(
    ot_plan: Path, content: Content, ot_visit: Assessment
) -> None:
    text = text_of(ot_plan)
    assert "Done on 27 November 2026: Rug taken up by Tom" in text
    report = plan_report(content, ot_visit)
    kitchen_rug = [
        job
        for group in report.jobs
        for job in group.jobs
        if job.where == "Kitchen" and job.finding.startswith("Loose rug")
    ]
    assert kitchen_rug == [], "a done job is not on the list of jobs"
    assert all("Kitchen" not in line.where for line in report.first_actions)
    kitchen = next(count for count in report.room_counts if count.name == "Kitchen")
    assert (kitchen.open, kitchen.done) == (0, 1)


def test_effort_and_who_print_with_every_action(ot_plan: Path) -> None:
    text = text_of(ot_plan)
    priority, effort = "(Urgent|Soon|When possible)", "(Quick to do|Some work|A big job)"
    assert re.search(rf"Loose rug or mat {priority} · \w[\w ]* · {effort}", text)


def test_jobs_are_grouped_by_who_does_them(
    ot_plan: Path, content: Content, ot_visit: Assessment
) -> None:
    report = plan_report(content, ot_visit)
    whos = [group.who for group in report.jobs]
    assert len(whos) == len(set(whos)), "each person who does jobs has one list"
    pages = page_texts(ot_plan)
    jobs_page = next(n for n, page in enumerate(pages) if page.startswith("Jobs by who does them"))
    jobs_text = " ".join(pages[jobs_page:])
    for group in report.jobs:
        assert group.who in jobs_text
        for job in group.jobs:
            assert f"{job.where}: {job.finding}." in jobs_text


def test_what_to_do_first_follows_its_rule(content: Content, ot_visit: Assessment) -> None:
    evaluation = evaluate(content, ot_visit)
    steps = evaluation.plan.first_steps(5)
    texts = [step.action.text for step in steps]
    assert len(texts) == len(set(texts)), "each job once"
    kinds = [
        step.action.item if step.action.kind is ActionKind.PERSON else step.action.category
        for step in steps
    ]
    assert len(kinds) == len(set(kinds)), "at most one of each kind of problem"
    assert not any(evaluation.plan.is_done(step.action) for step in steps)
    # Both rugs that are still to fix are one line naming both rooms... unless one is done.
    rug = next((s for s in steps if s.action.item == "room.floors.rugs"), None)
    if rug is not None:
        assert rug.rooms == ("Hallway",)
    report = plan_report(content, ot_visit)
    assert report.first_rule == FIRST_STEPS_RULE


def test_the_same_job_in_many_rooms_is_one_line(content: Content) -> None:
    rooms = tuple((("bedroom", f"Bedroom {n}", False, False)) for n in range(1, 8))
    changes: dict[tuple[str, str | None], str | float] = {
        ("room.floors.rugs", f"r{n}"): "no" for n in range(1, 8)
    }
    visit = make_assessment(content, rooms=rooms, changes=changes)
    report = plan_report(content, visit)
    rugs = [line for line in report.first_actions if "rug" in line.text.lower()]
    assert len(rugs) == 1
    assert rugs[0].where == "Bedroom 1, Bedroom 2 and 5 more rooms"


def test_an_ot_plan_never_sends_the_reader_to_an_occupational_therapist(
    tmp_path: Path, content: Content
) -> None:
    # Every check found unsafe in every room, and no walking test: every action the content has.
    changes: dict[tuple[str, str | None], str | float] = {}
    for item in content.checklist.items:
        if item.type is AnswerType.CHECK:
            for n, (kind, *_rest) in enumerate(ROOMS, start=1):
                if item.page is Page.ROOM and item.applies_to_room(kind):
                    changes[(item.id, f"r{n}")] = "no"
            if item.page is not Page.ROOM and item.page is not Page.PERSON:
                changes[(item.id, None)] = "no"
    person = {**PERSON, "steadi.si.03": "yes", "person.gait.test": "not_done"}
    for mode in (Mode.CAREGIVER, Mode.OT):
        visit = make_assessment(content, person=person, rooms=ROOMS, changes=changes, mode=mode)
        visit = replace(visit, assessor=Assessor("A", mode))
        report = plan_report(content, visit)
        words = [line.what_to_do for s in report.sections for line in s.actions]
        words += [line.text for line in report.first_actions]
        sends = [w for w in words if "occupational therapist" in w.lower()]
        if mode is Mode.OT:
            assert sends == [], sends
        else:
            assert len(sends) >= 5, "the caregiver's plan does send them to one"
        target = tmp_path / f"{mode.value}.pdf"
        write_plan_pdf(report, target)
        asks = "Ask an occupational therapist" in text_of(target)
        assert asks is (mode is Mode.CAREGIVER), mode


def outline_pages(path: Path) -> list[tuple[str, int]]:
    """Every bookmark's title and the number of the page it opens, in outline order."""
    found: list[tuple[str, int]] = []
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        numbers = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}

        def walk(items: list[pikepdf.OutlineItem]) -> None:
            for item in items:
                target: Any = item.destination
                if target is None and item.action is not None:
                    target = item.action.D
                if isinstance(target, pikepdf.String | pikepdf.Name):
                    target = resolve(pdf, target)
                found.append((item.title, numbers[target[0].objgen]))
                walk(item.children)

        walk(outline.root)
    return found


def resolve(pdf: pikepdf.Pdf, name: object) -> Any:
    """A named destination's array (ReportLab names its bookmarks)."""
    from pikepdf import NameTree

    dests: Any = NameTree(pdf.Root.Names.Dests) if "/Names" in pdf.Root else pdf.Root.Dests
    value = dests[str(name)]
    return value.D if isinstance(value, pikepdf.Dictionary) else value


def test_every_room_and_section_is_a_bookmark_to_its_own_page(ot_plan: Path) -> None:
    marks = outline_pages(ot_plan)
    titles = [title for title, _ in marks]
    for wanted in (
        "What adds most, and where",
        "Room by room",
        "Hallway",
        "Bathroom",
        "Kitchen",
        "Bedroom",
        "Footwear",
        "Jobs by who does them",
        "When to get help straight away",
        "Sign-off",
        "About this plan",
    ):
        assert wanted in titles, (wanted, titles)
    pages = page_texts(ot_plan)
    assert len({page for _, page in marks}) > 4, "the bookmarks open different pages"
    for title, page in marks:
        assert title in pages[page - 1], (title, page)


def test_a_room_that_runs_onto_another_page_says_so(tmp_path: Path, content: Content) -> None:
    long_note = "The rug by the door curls up at one corner. " * 40
    changes: dict[tuple[str, str | None], str | float] = {}
    notes: dict[tuple[str, str | None], str] = {}
    for item in ("room.floors.rugs", "room.clutter.paths", "room.clutter.cords"):
        changes[(item, "r1")] = "no"
        notes[(item, "r1")] = long_note
    visit = make_assessment(content, rooms=ROOMS, changes=changes, notes=notes)
    pages = page_texts(write(tmp_path, content, visit))
    continued = [page for page in pages if page.startswith("Hallway (continued)")]
    assert continued, "a page that carries on the hallway names it at the top"
    # A room heading is never the last thing on a page.
    for page in pages:
        assert not re.search(r"(Hallway|Bathroom|Kitchen|Bedroom) Action plan ·", page), page


def test_the_sign_off_names_the_assessor_and_the_next_review(ot_plan: Path) -> None:
    text = text_of(ot_plan)
    sign_off = text[text.index("Sign-off") :]
    for words in (
        "Priya Nair",
        "Occupational therapist",
        "HCPC OT12345",
        "Northside Community Therapy",
        "020 7946 0000",
        "26 November 2026",
        "26 February 2027",
        "Signature",
    ):
        assert words in sign_off, words


def test_metadata_and_language_are_written(ot_plan: Path) -> None:
    with pikepdf.open(ot_plan) as pdf:
        assert str(pdf.Root.Lang) == "en"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Home safety action plan for Test Person"
        assert "Priya Nair" in str(meta["dc:creator"])
        assert "en" in str(meta["dc:language"])
        assert pdf.Root.Outlines.Count != 0


def test_nothing_a_reader_needs_is_under_9_points_and_large_print_is_14(
    tmp_path: Path, content: Content, ot_visit: Assessment
) -> None:
    normal = styles()
    assert normal["body"].fontSize >= 11
    assert min(style.fontSize for style in normal.values()) >= 9
    large = ActionPlanRenderer(large_print=True).s
    assert large["body"].fontSize >= 14
    small_plan = write(tmp_path, content, ot_visit)
    with pikepdf.open(small_plan) as pdf:
        pages_normal = len(pdf.pages)
    big_plan = tmp_path / "large.pdf"
    write_plan_pdf(plan_report(content, ot_visit), big_plan, large_print=True)
    with pikepdf.open(big_plan) as pdf:
        assert len(pdf.pages) > pages_normal
    # Every word of the large print is large (bar numbers and "(continued)" headers too), but
    # for the footer (9 pt on every plan, below the rule 13 mm from the foot of the page).
    box = subprocess.run(
        ["pdftotext", "-bbox", str(big_plan), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    heights = [
        float(m.group(2)) - float(m.group(1))
        for m in re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', box)
        if float(m.group(1)) < 841.89 - 13 * 72 / 25.4
    ]
    assert heights
    assert min(heights) >= 14 * 0.95
    assert "(continued)" in text_of(big_plan), "the check covered a continued header"


def words_with_boxes(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every page's words with their boxes (x0, y0 from the top, x1, y1)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append(
            [
                (float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5])
                for m in re.finditer(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                    r"([^<]*)</word>",
                    page,
                )
            ]
        )
    return pages


def test_long_names_and_forty_rooms_never_run_into_the_footer(
    tmp_path: Path, content: Content
) -> None:
    name = "Bedroom at the back " + "with the long window " * 9  # about 200 characters
    rooms = tuple(("bedroom", f"{n} {name}"[:200], n % 2 == 0, False) for n in range(1, 41))
    changes: dict[tuple[str, str | None], str | float] = {
        ("room.floors.rugs", f"r{n}"): "no" for n in range(1, 41)
    }
    visit = make_assessment(content, rooms=rooms, changes=changes)
    visit = replace(visit, person=replace(visit.person, name="Maximiliana " * 16))
    target = write(tmp_path, content, visit)
    page_height = 841.89
    rule = page_height - 13 * 72 / 25.4  # the footer's rule, from the top of the page
    body_end = page_height - 20 * 72 / 25.4  # the bottom margin
    pages = words_with_boxes(target)
    assert len(pages) > 5
    for number, words in enumerate(pages, start=1):
        footer = [w for w in words if w[1] > rule]
        body = [w for w in words if w[1] <= rule]
        assert all(w[3] <= body_end + 1 for w in body), (
            number,
            [w for w in body if w[3] > body_end + 1],
        )
        # The footer is one line: the name cut short, never wrapped, never over the number.
        assert footer, number
        assert len({round(w[1]) for w in footer}) <= 2, (number, [w for w in footer if w[1] > 815])
        number_words = [w for w in footer if w[4] in ("Page", "of") or w[4].isdigit()]
        left = max(w[2] for w in footer if w not in number_words)
        assert left < min(w[0] for w in number_words), number


def test_the_exercise_pages_follow_the_plan_only_when_prescribed(
    tmp_path: Path, content: Content, ot_visit: Assessment
) -> None:
    without = text_of(write(tmp_path, content, ot_visit))
    assert "Home exercises for" not in without
    assert "Evening quick check" not in without
    prescribed = replace(
        ot_visit,
        exercises=(Prescription("heel_walking", "10 steps, once a day"), Prescription("toe_lifts")),
    )
    target = tmp_path / "exercises.pdf"
    write_plan_pdf(plan_report(content, prescribed), target)
    pages = page_texts(target)
    exercise_page = next(p for p in pages if p.startswith("Home exercises for Test Person"))
    assert "Heel walking" in exercise_page
    assert "10 steps, once a day" in exercise_page
    assert "Calf stretch" not in exercise_page, "only what was prescribed"
    assert any(p.startswith("Evening quick check") for p in pages)
    assert pages[-1].startswith("About this plan") or "About this plan" in pages[-2]
    with pikepdf.open(target) as pdf, pdf.open_outline() as outline:
        assert {"Home exercises", "Evening quick check"} <= {i.title for i in outline.root}


def test_a_room_heading_never_ends_a_page_and_a_continued_header_is_one_line(
    tmp_path: Path, content: Content
) -> None:
    long_name = "BATHROOM UPSTAIRS BY THE BACK BEDROOM WITH THE SLOPING CEILING " * 3
    rooms = tuple(("bathroom", f"{long_name[:190]} {n}", True, False) for n in range(1, 25))
    changes: dict[tuple[str, str | None], str | float] = {}
    notes: dict[tuple[str, str | None], str] = {}
    for n in range(1, 25):
        for item in ("room.bath.mat", "room.floors.rugs", "room.clutter.paths"):
            changes[(item, f"r{n}")] = "no"
            notes[(item, f"r{n}")] = "Seen at the visit; the family will see to it. " * 3
    visit = make_assessment(content, rooms=rooms, changes=changes, notes=notes)
    target = write(tmp_path, content, visit)
    body_end = 841.89 - 20 * 72 / 25.4
    for words in words_with_boxes(target):
        top = [w for w in words if w[1] < 18 * 72 / 25.4]  # in the top margin: the header
        assert len({round(w[1]) for w in top}) <= 1, "the running header is one line"
        body = sorted((w for w in words if 18 * 72 / 25.4 <= w[1] < body_end), key=lambda w: w[1])
        last_line = [w for w in body if abs(w[1] - body[-1][1]) < 1]
        ending = " ".join(w[4] for w in sorted(last_line))
        assert "On the night route" not in ending, ending
        assert not ending.startswith("BATHROOM"), ending


def test_actions_marked_not_needed_are_not_to_do(content: Content) -> None:
    visit = make_assessment(
        content, rooms=ROOMS, changes={("room.floors.rugs", "r1"): "no"}, complete=True
    )
    marked = replace(
        visit,
        actions=(
            ActionStatus(
                ActionKind.HAZARD,
                "room.floors.rugs",
                "r1",
                ActionState.NOT_NEEDED,
                date(2026, 11, 27),
                "The rug has a non-slip underlay already.",
            ),
        ),
    )
    report = plan_report(content, marked)
    line = next(a for s in report.sections for a in s.actions if a.finding.startswith("Loose rug"))
    assert (line.done, line.not_needed, line.closed) == (False, True, True)
    assert not any("rug" in first.text.lower() for first in report.first_actions)
    assert not any(job.finding.startswith("Loose rug") for g in report.jobs for job in g.jobs)
    hallway = next(c for c in report.room_counts if c.name == "Hallway")
    assert (hallway.open, hallway.done) == (0, 0)


def test_with_everything_closed_the_plan_never_says_nothing_to_do_while_questions_are_open(
    content: Content,
) -> None:
    visit = make_assessment(content, changes={("room.floors.rugs", "r1"): "no"}, complete=False)
    evaluation = evaluate(content, visit)
    closed = tuple(
        ActionStatus(a.kind, a.item, a.room, ActionState.DONE, date(2026, 11, 27))
        for a in evaluation.plan.actions
        if a.kind is not ActionKind.RED_FLAG
    )
    report = plan_report(content, replace(visit, actions=closed))
    assert report.first_actions == ()
    assert report.nothing_to_fix_line.startswith("Everything found so far is done")
    assert "not answered yet" in report.nothing_to_fix_line


@pytest.mark.parametrize(
    ("item", "value", "unit", "line"),
    [
        (
            "room.bath.ot.toilet_height",
            19.1,
            "in",
            "19.1 in — too high; recommended 16.93–19.09 in.",
        ),
        (
            "room.bath.ot.toilet_height",
            485.04,
            "mm",
            "485.04 mm — too high; recommended 430–485 mm.",
        ),
        ("room.bath.ot.toilet_height", 485, "mm", "485 mm — within the recommended range"),
        (
            "footwear.ot.heel_height",
            0.79,
            "in",
            "0.79 in — too high; recommended at most 0.787 in.",
        ),
    ],
)
def test_a_measurement_never_prints_equal_to_the_bound_it_is_outside(
    content: Content, item: str, value: float, unit: str, line: str
) -> None:
    shown = measurement(content.checklist.item(item), value, unit).line
    assert line in shown


def test_walking_tests_print_with_the_cut_off_the_level_uses(content: Content) -> None:
    visit = make_assessment(
        content, person={**PERSON, "person.gait.test": "tug", "person.gait.tug": 14.0}, mode=Mode.OT
    )
    report = plan_report(content, visit)
    person = next(s for s in report.sections if s.title.startswith("The person"))
    lines = [m.line for m in person.measurements]
    assert any(
        line.startswith("Timed Up and Go: 14 s — not impaired; over 15 s counts as impaired")
        for line in lines
    ), lines


def test_a_typed_private_use_character_never_prints_as_another_glyph() -> None:
    fonts = FontSet()
    assert fonts.markup("a\U000f0000b") == "a\u2b1ab"
    assert fonts.warnings() == [
        "the text has a private-use character (U+F0000); printed as ⬚ instead"
    ]


def test_every_urgent_fix_is_in_what_to_do_first(content: Content) -> None:
    rooms = (*ROOMS, ("stairs", "Stairs", False, True))
    changes: dict[tuple[str, str | None], str | float] = {}
    for item in content.checklist.items:
        if item.type is AnswerType.CHECK:
            for n, (kind, *_rest) in enumerate(rooms, start=1):
                if item.page is Page.ROOM and item.applies_to_room(kind):
                    changes[(item.id, f"r{n}")] = "no"
            if item.page is not Page.ROOM and item.page is not Page.PERSON:
                changes[(item.id, None)] = "no"
    visit = make_assessment(content, person=PERSON, rooms=rooms, changes=changes, mode=Mode.OT)
    plan = evaluate(content, visit).plan
    urgent = {
        a.text
        for a in plan.actions
        if a.priority.value == "urgent" and a.kind is not ActionKind.RED_FLAG
    }
    assert len(urgent) > 3
    steps = plan.first_steps(5)
    assert urgent <= {step.action.text for step in steps}
    assert len([s for s in steps if s.action.priority.value != "urgent"]) <= 5
