"""The PDFs read back: what a caregiver or OT would find on the page, and the bad-input cases.

The commands run in this process (`cli`); tests/integration/test_cli.py starts the real one."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from support import EXAMPLES, assert_bad_input, cli, disk_full

from safetycheck.content import Content
from safetycheck.domain.checklist import Mode, Urgency
from safetycheck.reports.fonts import PLACEHOLDER, FontSet
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.reports import (
    plan_report_for_file,
    plan_report_for_visit,
    write_checklist_pdf,
    write_plan_pdf,
)
from safetycheck.services.workspace import open_workspace


def pdf_text(path: Path, *extra: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *extra, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(path: Path, *extra: str) -> dict[str, str]:
    out = subprocess.run(
        ["pdfinfo", *extra, str(path)], capture_output=True, text=True, check=True
    ).stdout
    return {
        k.strip(): v.strip()
        for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)
    }


def flat(text: str) -> str:
    return " ".join(text.split())


def variant(tmp_path: Path, change: Any, name: str = "variant.json") -> Path:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    change(document)
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False))
    return path


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    db = f"sqlite:///{folder / 'db.sqlite3'}"
    newest = cli("demo", db=db).stdout.strip()
    target = folder / "plan.pdf"
    result = cli("report", newest, "-o", target, db=db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return target


def page_count(path: Path) -> int:
    return int(pdf_info(path)["Pages"])


def page_with(path: Path, words: str) -> str:
    """The flattened text of the first page that holds `words`."""
    for number in range(1, page_count(path) + 1):
        page = flat(pdf_text(path, "-f", str(number), "-l", str(number)))
        if words in page:
            return page
    raise AssertionError(f"no page holds {words!r}")


def report_of(tmp_path: Path, change: Any, name: str) -> Path:
    target = tmp_path / f"{name}.pdf"
    result = cli("report", variant(tmp_path, change, f"{name}.json"), "-o", target)
    assert result.returncode == 0, result.stderr
    return target


def test_plan_cover_holds_person_level_and_stay_independent(demo_plan: Path) -> None:
    first_page = flat(pdf_text(demo_plan, "-f", "1", "-l", "1"))
    assert "Home safety action plan for José Álvarez (demo)" in first_page
    assert "Priya Nair, occupational therapist" in first_page
    assert re.search(r"Fall risk (LOW|MODERATE|HIGH|LOW TO MODERATE|LOW TO HIGH) RISK", first_page)
    assert "Stay Independent check: 4 of 14 points; 4 or more: may be at risk" in first_page
    # Page 1 is what a family reads first: the level with its gauge and what to do first, and
    # where the rest is, by real page numbers.
    assert "What to do first" in first_page
    named = re.search(r"room by room, is on page (\d+); .* appears, on page (\d+)\.", first_page)
    assert named, first_page
    pictures_page, help_page = named.groups()
    assert flat(pdf_text(demo_plan, "-f", pictures_page, "-l", pictures_page)).startswith(
        "What adds most, and where"
    )
    assert "When to get help straight away" in flat(
        pdf_text(demo_plan, "-f", help_page, "-l", help_page)
    )
    pictures = flat(pdf_text(demo_plan, "-f", "2", "-l", "2"))
    assert pictures.startswith("What adds most, and where")
    assert re.search(r"Score \d+: the points below add up to it\.", pictures)
    assert (
        "the biggest here, “Wears bifocal or varifocal glasses when walking”, adds 25" in pictures
    )
    assert "It is not a chance of falling" in pictures
    assert pictures.index("Since the last visit") < pictures.index("Fixed since then:")


def test_plan_of_a_visit_with_no_answers_says_it_is_unfinished(tmp_path: Path) -> None:
    def empty(document: dict[str, Any]) -> None:
        document["answers"] = []
        document["assessment"]["status"] = "in_progress"

    target = report_of(tmp_path, empty, "empty")
    first_page = flat(pdf_text(target, "-f", "1", "-l", "1"))
    assert re.search(r"Not finished: \d+ questions unanswered — the risk is between", first_page)
    assert "warning-sign questions not answered yet:" in first_page
    for sign in (
        "New loss of bladder or bowel control",
        "Sudden weakness or numbness of the face, an arm or a leg",
        "Foot drop or leg weakness that is new in the past four weeks",
    ):
        assert sign in first_page, sign
    assert first_page.index("warning-sign questions") < first_page.index("Fall risk")
    assert "LOW TO HIGH RISK" in first_page
    text = flat(pdf_text(target))
    assert "No red flags" not in text
    assert "Nothing needs fixing" not in text
    assert "Nothing to fix has been found so far, but not every question is answered yet." in text
    assert "Nothing to fix was found here." not in text  # every room has questions left


def test_red_flags_are_on_the_first_page_under_their_urgency(
    tmp_path: Path, content: Content
) -> None:
    def flags(document: dict[str, Any]) -> None:
        for answer in document["answers"]:
            if answer["item"] in ("person.rf.bladder_bowel", "person.rf.leg_new"):
                answer["value"] = "yes"

    target = report_of(tmp_path, flags, "flags")
    first_page = flat(pdf_text(target, "-f", "1", "-l", "1"))
    emergency = content.checklist.urgency(Urgency.EMERGENCY)
    today = content.checklist.urgency(Urgency.TODAY)
    assert "RED FLAGS" in first_page
    assert "CALL THE EMERGENCY NUMBER NOW" in first_page
    assert emergency.title == "Call the emergency number now"
    # Each sign under its tier's title, with the tier's advice; the most urgent tier first.
    emergency_at = first_page.index(emergency.title.upper())
    today_at = first_page.index(today.title.upper())
    assert emergency_at < first_page.index("New loss of bladder or bowel control") < today_at
    assert today_at < first_page.index("New pain, swelling, warmth or a change in colour")
    assert emergency_at < first_page.index(emergency.advice) < today_at
    assert today_at < first_page.index(today.advice)
    assert first_page.index("RED FLAGS") < first_page.index("Fall risk")
    assert "SEEK MEDICAL ATTENTION NOW" not in first_page
    assert "No red flags" not in flat(pdf_text(target))
    # The page on when to get help uses the same words, for every tier.
    help_page = page_with(target, "When to get help straight away")
    for tier in content.checklist.urgencies:
        assert tier.title.upper() in help_page
        assert tier.advice in help_page
    assert "New loss of bladder or bowel control" in help_page
    assert "call a doctor or emergency services now" not in help_page


def test_a_visit_finished_with_questions_left_says_so(tmp_path: Path) -> None:
    def unfinished(document: dict[str, Any]) -> None:
        document["assessment"]["status"] = "completed"
        left_out = ("person.frail.fatigue", "person.frail.weight_loss")
        document["answers"] = [a for a in document["answers"] if a["item"] not in left_out]

    first_page = flat(pdf_text(report_of(tmp_path, unfinished, "left"), "-f", "1", "-l", "1"))
    assert "This visit was finished with 2 questions unanswered" in first_page
    assert "Not finished" not in first_page


def test_a_visit_recorded_with_checklist_1_says_so(tmp_path: Path) -> None:
    def old(document: dict[str, Any]) -> None:
        document["checklist_version"] = "1.0"
        document["answers"] = [
            a for a in document["answers"] if not a["item"].startswith("person.frail.")
        ]

    first_page = flat(pdf_text(report_of(tmp_path, old, "old"), "-f", "1", "-l", "1"))
    assert (
        "Recorded with checklist 1.0; scored now with model 2.0; questions added since "
        "checklist 1.0 are unanswered." in first_page
    )
    assert "version 1.0; risk model 2.0" in flat(pdf_text(report_of(tmp_path, old, "o2")))


def test_plan_has_every_part_a_reader_needs(demo_plan: Path) -> None:
    text = flat(pdf_text(demo_plan))
    for part in (
        "What to do first",
        "Front entrance",
        "Hallway",
        "Spare bedroom",
        "Bathroom",
        "Stairs to the garden",
        "Footwear",
        "Brace and skin",
        "Skin check, every day",
        "When to get help straight away",
        "does not replace advice",
        "Sources the checklist draws on",
        "What to do:",
        "The CDC does not endorse this program",
    ):
        assert part in text, part
    # Notes on checks that were fine are printed too.
    assert "Runner rug taken up in September — floor now clear." in text
    assert "walks to the toilet in socks" in text


def test_every_page_says_page_x_of_y(demo_plan: Path) -> None:
    pages = int(pdf_info(demo_plan)["Pages"])
    assert pages >= 4
    for number in range(1, pages + 1):
        page = pdf_text(demo_plan, "-f", str(number), "-l", str(number))
        assert f"Page {number} of {pages}" in page


def test_plan_metadata(demo_plan: Path) -> None:
    info = pdf_info(demo_plan)
    assert info["Title"] == "Home safety action plan for José Álvarez (demo)"
    assert info["Author"] == "Priya Nair (Occupational therapist)"
    assert info["Subject"].startswith("Fall-risk home safety action plan")
    assert b"/Lang (en)" in demo_plan.read_bytes()


def test_user_text_prints_exactly_as_typed(tmp_path: Path) -> None:
    long_note = " ".join(f"word{n:04d}" for n in range(2000))

    def tricky(document: dict[str, Any]) -> None:
        document["person"]["name"] = "Zoë <O'Brien> & Søn"
        document["person"]["birth_year"] = None
        for answer in document["answers"]:
            if answer["item"] == "room.floors.rugs":
                answer["note"] = "Rug <b>not</b> fixed & curls > 2 cm; see </para> tag"
            if answer["item"] == "room.light.night_light" and answer["value"] == "no":
                answer["note"] = long_note  # the one hallway answer that found no night-light
        document["rooms"][1]["name"] = "Hall & <landing>"

    target = tmp_path / "tricky.pdf"
    result = cli("report", variant(tmp_path, tricky), "-o", target)
    assert result.returncode == 0, result.stderr
    text = flat(pdf_text(target))
    assert "Zoë <O'Brien> & Søn" in text
    assert "Rug <b>not</b> fixed & curls > 2 cm; see </para> tag" in text
    assert "Hall & <landing>" in text
    words = re.findall(r"word\d{4}", text)
    assert words == [f"word{n:04d}" for n in range(2000)]  # every word, in order, none lost
    assert int(pdf_info(target)["Pages"]) > 5  # the long note ran over several pages


def test_character_missing_from_dejavu_uses_a_system_font(tmp_path: Path, content: Content) -> None:
    def script_a(document: dict[str, Any]) -> None:
        document["person"]["name"] = "ℊrace Byrne"  # U+210A: not in DejaVu Sans

    report = plan_report_for_file(content, variant(tmp_path, script_a))
    target = tmp_path / "fallback.pdf"
    warnings = write_plan_pdf(report, target)
    assert warnings == []
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuMathTeXGyre" in fonts or "SafetyFallback" in fonts
    text = flat(pdf_text(target))
    assert "ℊrace Byrne" in text
    assert text.count("ℊrace Byrne") >= 3  # title, cover table and the footer of every page


def test_character_no_font_has_gets_a_placeholder_and_a_warning() -> None:
    fonts = FontSet(find_fallbacks=lambda _char: [])
    markup = fonts.markup("ሀ Wei & <co>")  # Ethiopic: no bundled font has it
    assert markup == f"{PLACEHOLDER} Wei &amp; &lt;co&gt;"
    assert fonts.warnings() == [
        f"no font on this computer can print ሀ (U+1200); printed as {PLACEHOLDER} instead"
    ]


def test_photo_is_printed_next_to_its_finding(tmp_path: Path, content: Content) -> None:
    ws = open_workspace(f"sqlite:///{tmp_path / 'db.sqlite3'}", content)
    try:
        newest = create_demo(ws)
        loaded = visits.load_assessment(ws, newest)
        hall = next(r.id for r in loaded.rooms if r.kind == "hallway")
        picture = tmp_path / "cord.jpg"
        Image.new("RGB", (1200, 900), (30, 90, 160)).save(picture)
        visits.attach_photo(ws, newest, "room.clutter.cords", hall, picture)
        target = tmp_path / "photo.pdf"
        write_plan_pdf(plan_report_for_visit(ws, newest), target)
    finally:
        ws.close()
    listing = subprocess.run(
        ["pdfimages", "-list", str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(listing) == 1
    fields = listing[0].split()  # page, num, type, width, height, ...
    assert (fields[3], fields[4]) == ("900", "675")  # the print-sized copy of 1200 x 900


def test_password_protects_the_plan(tmp_path: Path) -> None:
    target = tmp_path / "secret.pdf"
    result = cli("report", EXAMPLES / "recent-faller.json", "-o", target, "--password", "s3cret")
    assert result.returncode == 0, result.stderr
    locked = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True)
    assert locked.returncode != 0
    assert "Doris Whitfield" in pdf_text(target, "-upw", "s3cret")


# ---- the blank checklist -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.CAREGIVER, Mode.OT])
def test_blank_checklist_has_every_item_in_walkthrough_order(
    tmp_path: Path, content: Content, mode: Mode
) -> None:
    target = tmp_path / f"blank-{mode.value}.pdf"
    result = cli("checklist", "-o", target, "--mode", mode.value)
    assert result.returncode == 0, result.stderr
    text = flat(pdf_text(target))
    codes = re.findall(r"Code ([a-z0-9_.]+)", text)
    asked = [item for item in content.checklist.items if item.asked_in(mode)]
    # Person, whole-home, footwear and brace items once each; room items once per kind they
    # apply to.
    expected: list[str] = [i.id for i in asked if i.page.value == "person"]
    expected += [i.id for i in asked if i.page.value == "home"]
    for kind in content.checklist.room_kinds:
        expected += [i.id for i in asked if i.page.value == "room" and i.applies_to_room(kind.id)]
    expected += [i.id for i in asked if i.page.value == "footwear"]
    expected += [i.id for i in asked if i.page.value == "brace"]
    assert codes == expected
    # Warning signs, room sheets, measurements and page codes: test_blank_checklist.py.
    assert "On the room sheets No is always the problem." in text
    assert "<b>" not in text
    assert ("Not measured" in text) is (mode is Mode.OT)
    pages = int(pdf_info(target)["Pages"])
    assert f"Page {pages} of {pages}" in pdf_text(target, "-f", str(pages), "-l", str(pages))


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["checklist"], ["report", str(EXAMPLES / "recent-faller.json")]]
)
def test_bad_output_paths_change_nothing(tmp_path: Path, command: list[str]) -> None:
    assert_bad_input(cli(*command, "-o", tmp_path / "missing" / "x.pdf"), "does not exist")
    assert_bad_input(cli(*command, "-o", tmp_path), "is a folder")
    assert_bad_input(cli(*command, "-o", "/sys/safetycheck.pdf"), "cannot write")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command", [["checklist"], ["report", str(EXAMPLES / "recent-faller.json")]]
)
def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = tmp_path / "keep.pdf"
    existing.write_bytes(b"%PDF-1.4 an older report")
    before = hashlib.sha256(existing.read_bytes()).hexdigest()
    with monkeypatch.context() as patch:  # the disk fills up while the new PDF is written
        patch.setattr(os, "fsync", disk_full)
        failed = cli(*command, "-o", existing)
    assert_bad_input(failed, "cannot write", str(existing), "No space left")
    assert hashlib.sha256(existing.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.pdf"]  # no part-written file


def test_report_of_an_unknown_visit(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    cli("demo", db=db)
    assert_bad_input(
        cli("report", "abcd1234", "-o", tmp_path / "x.pdf", db=db), "no assessment with id"
    )
    assert not (tmp_path / "x.pdf").exists()


def test_writing_replaces_an_existing_file_whole(tmp_path: Path, content: Content) -> None:
    target = tmp_path / "blank.pdf"
    target.write_bytes(b"old")
    write_checklist_pdf(content, Mode.CAREGIVER, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert target.read_bytes().rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blank.pdf"]


def test_a_hazard_done_at_this_visit_is_not_still_to_do(demo_plan: Path) -> None:
    text = flat(pdf_text(demo_plan))
    still = text[
        text.index("Still to do:") : text.index(
            "Found for the first time:", text.index("Still to do:")
        )
    ]
    assert "Clutter in the walkway (Spare bedroom)" not in still
    assert "Done at this visit: Clutter in the walkway (Spare bedroom)." in text


def test_a_hazard_marked_not_needed_at_this_visit_is_not_still_to_do(
    tmp_path: Path, content: Content
) -> None:
    ws = open_workspace(f"sqlite:///{tmp_path / 'db.sqlite3'}", content)
    try:
        current = create_demo(ws)
        cord = next(
            a
            for a in visits.list_actions(ws, current)
            if a.item == "room.clutter.cords"  # found at both demo visits (Hallway)
        )
        before = plan_report_for_visit(ws, current).change
        assert before is not None
        assert "Cord across the walkway (Hallway)" in before.still_open
        visits.mark_action(ws, cord.id, "not_needed", note="The lamp was moved; no cord now.")
        change = plan_report_for_visit(ws, current).change
    finally:
        ws.close()
    assert change is not None
    assert "Cord across the walkway (Hallway)" not in change.still_open
    assert change.not_needed_now == ("Cord across the walkway (Hallway)",)
    assert change.done_now == before.done_now
