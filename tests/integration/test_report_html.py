"""The HTML plan (`report --format html`), read back with the standard library's HTML parser as
a screen reader would meet it: one h1, headings in order, alt text on every photo, red flags
first, user text escaped and in its own direction, nothing fetched from elsewhere."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from support import EXAMPLES, assert_bad_input, cli

from safetycheck.content import Content
from safetycheck.reports.plan_html import render_plan_html
from safetycheck.services import assessments as visits
from safetycheck.services.demo import create_demo
from safetycheck.services.reports import (
    plan_report_for_file,
    plan_report_for_visit,
    write_plan_html,
)
from safetycheck.services.workspace import open_workspace

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic and their forms
ARABIC_NAME = "فاطمة الزهراء"
HEBREW_NOTE = "השטיח במסדרון מחליק"
LONG_ROOM = "Room" + "x" * 196  # 200 characters, no space to break at
HOSTILE_NOTE = "<script>alert('x')</script> & <b>bold</b> &amp;"


@dataclass(eq=False)  # each element is itself: compared by identity
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Text:
    data: str
    within: tuple[Element, ...]  # the open elements, outermost first


class Page(HTMLParser):
    """What the page holds, in document order; it fails on an end tag that closes nothing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[Text] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(Text(data, tuple(self.open)))

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    @property
    def text(self) -> str:
        """The words of the plan itself, in reading order (the contents list left out)."""
        return " ".join(
            " ".join(t.data.split()) for t in self.texts if any(e.tag == "main" for e in t.within)
        )

    def headings(self) -> list[tuple[int, str]]:
        found = []
        for element in self.elements:
            if re.fullmatch(r"h[1-6]", element.tag):
                words = [t.data for t in self.texts if element in t.within]
                found.append((int(element.tag[1]), " ".join(" ".join(words).split())))
        return found


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.open == [], [e.tag for e in page.open]  # every element closed
    return page


def variant(tmp_path: Path, change: Any, name: str = "variant.json") -> Path:
    document = json.loads((EXAMPLES / "foot-drop-afo-night.json").read_text())
    change(document)
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False))
    return path


def assert_accessible(page: Page) -> None:
    """What every plan page must be, whatever it holds."""
    html = page.all("html")
    assert len(html) == 1
    assert html[0].attrs.get("lang") == "en"
    assert any(m.attrs.get("charset", "").lower() == "utf-8" for m in page.all("meta"))
    titles = [t.data for t in page.texts if t.within[-1].tag == "title"]
    assert len(titles) == 1
    assert titles[0].strip()
    assert len(page.all("main")) == 1
    assert page.all("a")[0].attrs.get("href") == "#main"  # the skip link comes first
    headings = page.headings()
    assert [level for level, _ in headings].count(1) == 1
    assert headings[0][0] == 1
    for (before, text_before), (after, text) in itertools.pairwise(headings):
        assert after <= before + 1, f"h{before} {text_before!r} is followed by h{after} {text!r}"
    assert all(words for _, words in headings)
    for image in page.all("img"):
        assert image.attrs.get("alt", "").strip(), image.attrs
    for cell in page.all("th"):
        assert cell.attrs.get("scope") in ("row", "col"), cell.attrs
    # Nothing is fetched: no script, no style sheet or font from elsewhere, links within.
    assert not page.all("script")
    assert not page.all("link")
    assert not page.all("iframe")
    for element in page.elements:
        for name in ("src", "href", "srcset", "action", "data"):
            value = element.attrs.get(name)
            if value is not None:
                assert value.startswith(("#", "data:image/")), (element.tag, name, value[:60])
    style = " ".join(t.data for t in page.texts if t.within[-1].tag == "style")
    assert "url(" not in style
    assert "@import" not in style
    # Every id a link names is on the page, once.
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    for link in page.all("a"):
        assert link.attrs["href"].removeprefix("#") in ids


def assert_reads_its_own_direction(page: Page, words: str) -> None:
    """Every piece of text holding `words` is in an element with dir="auto" (or a <bdi>)."""
    holding = [t for t in page.texts if words in t.data]
    assert holding, words
    for text in holding:
        nearest = next(
            (e for e in reversed(text.within) if "dir" in e.attrs or e.tag == "bdi"), None
        )
        assert nearest is not None, (text.data[:40], [e.tag for e in text.within])
        assert nearest.tag == "bdi" or nearest.attrs["dir"] == "auto"


@pytest.fixture(scope="module")
def demo_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    folder = tmp_path_factory.mktemp("demo")
    db = f"sqlite:///{folder / 'db.sqlite3'}"
    newest = cli("demo", db=db).stdout.strip()
    target = folder / "plan.html"
    result = cli("report", newest, "--format", "html", "-o", target, db=db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return db, newest, target


def test_the_demo_plan_as_html(demo_html: tuple[str, str, Path], content: Content) -> None:
    db, newest, target = demo_html
    page = parsed(target.read_text(encoding="utf-8"))
    assert_accessible(page)
    text = page.text
    assert page.headings()[0] == (1, "Home safety action plan for José Álvarez (demo)")
    ws = open_workspace(db, content, create=False)
    try:
        rooms = visits.load_assessment(ws, newest).rooms
    finally:
        ws.close()
    assert len(rooms) >= 5
    for room in rooms:  # each room is a heading of its own
        assert (3, room.name) in page.headings(), room.name
    for part in (
        "Red flags",
        "Fall risk",
        "What to do first",
        "What adds most, and where",
        "Since the last visit",
        "Room by room",
        "Jobs by who does them",
        "Skin check, every day",
        "When to get help straight away",
        "Sign-off",
        "About this plan",
    ):
        assert part in [words for _, words in page.headings()], part
    # The sections come in the PDF's order.
    order = [words for _, words in page.headings()]
    assert order.index("Red flags") < order.index("Fall risk") < order.index("What to do first")
    assert order.index("Room by room") < order.index("Jobs by who does them")
    assert order.index("When to get help straight away") < order.index("Sign-off")
    # The exercises the demo's therapist prescribed, with their doses, and the evening check.
    assert order.index("Sign-off") < order.index("Home exercises") < order.index("About this plan")
    assert "1. Toe lifts" in order
    assert "10 lifts, twice a day" in text
    assert "Evening quick check" in order
    # The level in words, with where it sits among the three levels, for a screen reader.
    assert "MODERATE RISK" in text.upper()
    assert "On the scale of three levels (low, moderate, high), the risk is moderate." in text
    # The measurements with their ranges, and the charts as tables with captions.
    assert "Toilet seat height: 457.5 mm — within the recommended range" in text
    captions = [t.data for t in page.texts if any(e.tag == "caption" for e in t.within)]
    assert "Points each reason adds to the score" in captions
    assert any(c.startswith("Problems found in each room") for c in captions)
    assert "Runner rug taken up in September — floor now clear." in text
    assert "To do." in text
    assert "The CDC does not endorse this program" in text


def test_red_flags_come_first_under_their_urgency(tmp_path: Path, content: Content) -> None:
    def flags(document: dict[str, Any]) -> None:
        for answer in document["answers"]:
            if answer["item"] in ("person.rf.bladder_bowel", "person.rf.leg_new"):
                answer["value"] = "yes"

    report = plan_report_for_file(content, variant(tmp_path, flags))
    page = parsed(render_plan_html(report))
    assert_accessible(page)
    sections = page.all("section")
    assert sections[0].attrs["id"] == "red-flags"
    labelled = sections[0].attrs["aria-labelledby"]
    assert any(e.attrs.get("id") == labelled and e.tag == "h2" for e in page.elements)
    headings = [words for _, words in page.headings()]
    assert headings[1].startswith("Red flags: act on these")
    text = page.text
    assert text.index("New loss of bladder or bowel control") < text.index("Fall risk")
    assert text.index("Call the emergency number now") < text.index(
        "New loss of bladder or bowel control"
    )
    assert text.index("Get seen today") < text.index("New pain, swelling, warmth")
    assert text.index("New pain, swelling, warmth") < text.index("Fall risk")


def test_user_text_is_escaped_and_reads_in_its_own_direction(
    tmp_path: Path, content: Content
) -> None:
    def hostile(document: dict[str, Any]) -> None:
        document["person"]["name"] = ARABIC_NAME
        document["person"]["notes"] = f"{HOSTILE_NOTE}\nSecond line"
        document["rooms"][1]["name"] = "Hall & <landing>"
        document["rooms"][2]["name"] = LONG_ROOM
        for answer in document["answers"]:
            if answer["item"] == "room.floors.rugs" and answer["room"] == "r2":
                answer["note"] = HEBREW_NOTE
        document["actions"] = [
            {
                "kind": "hazard",
                "item": "room.floors.rugs",
                "room": "r2",
                "status": "done",
                "done_on": "2026-03-03",
                "note": "Taken up by <Sam> & put away",
                "text": "Take the runner up </li></ul><h1>",
            }
        ]

    report = plan_report_for_file(content, variant(tmp_path, hostile))
    html = render_plan_html(report)
    page = parsed(html)
    assert_accessible(page)
    assert "<script" not in html
    assert "<landing>" not in html
    assert "<Sam>" not in html
    text = page.text
    assert HOSTILE_NOTE in text  # printed as typed: the markup is text
    assert "Hall & <landing>" in text
    assert LONG_ROOM in text
    assert (3, LONG_ROOM) in page.headings()
    assert ARABIC_NAME in text
    assert HEBREW_NOTE in text
    for words in (ARABIC_NAME, HEBREW_NOTE, "Hall & <landing>"):
        assert_reads_its_own_direction(page, words)
    for text_node in page.texts:
        if RTL.search(text_node.data):
            assert_reads_its_own_direction(page, text_node.data)
    # A ticked action says so in words, with its date, its note and the assessor's own text.
    assert "Done on 3 March 2026: Taken up by <Sam> & put away" in text
    assert "Taken up by <Sam> & put away" in text
    assert "Take the runner up </li></ul><h1>" in text
    assert "(the assessor’s own words)" in text


def test_photos_are_inline_with_their_caption_as_alt_text(tmp_path: Path, content: Content) -> None:
    ws = open_workspace(f"sqlite:///{tmp_path / 'db.sqlite3'}", content)
    try:
        newest = create_demo(ws)
        hall = next(r for r in visits.load_assessment(ws, newest).rooms if r.kind == "hallway")
        picture = tmp_path / "cord.jpg"
        Image.new("RGB", (1200, 900), (30, 90, 160)).save(picture)
        visits.attach_photo(ws, newest, "room.clutter.cords", hall.id, picture)
        report = plan_report_for_visit(ws, newest)
    finally:
        ws.close()
    page = parsed(render_plan_html(report))
    assert_accessible(page)
    images = page.all("img")
    assert len(images) == 1
    assert images[0].attrs["alt"] == f"Photo: Cord across the walkway — {hall.name}"
    assert images[0].attrs["src"].startswith("data:image/jpeg;base64,/9j/")
    assert (images[0].attrs["width"], images[0].attrs["height"]) == ("900", "675")
    # It is with its finding, inside the hallway's part of the plan.
    at = page.elements.index(images[0])
    headings = [e for e in page.elements[:at] if re.fullmatch(r"h[1-6]", e.tag)]
    finding = [t.data for t in page.texts if headings[-1] in t.within]
    assert finding == ["Cord across the walkway"]


def test_large_print_is_larger(content: Content) -> None:
    report = plan_report_for_file(content, EXAMPLES / "recent-faller.json")
    normal, large = render_plan_html(report), render_plan_html(report, large_print=True)
    assert "html { font-size: 112.5%; }" in normal
    assert "html { font-size: 150%; }" in large
    assert parsed(normal).text == parsed(large).text


def test_cli_writes_html_and_refuses_a_password(tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    result = cli("report", EXAMPLES / "recent-faller.json", "--format", "html", "-o", target)
    assert result.returncode == 0, result.stderr
    page = parsed(target.read_text(encoding="utf-8"))
    assert "Doris Whitfield" in page.text
    large = tmp_path / "large.html"
    result = cli(
        "report", EXAMPLES / "recent-faller.json", "--format", "html", "--large-print", "-o", large
    )
    assert result.returncode == 0, result.stderr
    assert "font-size: 150%" in large.read_text(encoding="utf-8")
    secret = tmp_path / "secret.html"
    password_file = tmp_path / "password.txt"
    password_file.write_text("s3cret\n")
    for given in (["--password", "s3cret"], ["--password-file", password_file]):
        refused = cli(
            "report", EXAMPLES / "recent-faller.json", "--format", "html", *given, "-o", secret
        )
        assert_bad_input(refused, "HTML", "password")
        assert not secret.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["large.html", "password.txt", "plan.html"]


def test_the_format_follows_the_output_name_and_never_contradicts_it(tmp_path: Path) -> None:
    named = tmp_path / "named.html"
    assert cli("report", EXAMPLES / "recent-faller.json", "-o", named).returncode == 0
    assert named.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    for output, wanted in (("wrong.pdf", "html"), ("wrong.htm", "pdf")):
        refused = cli(
            "report", EXAMPLES / "recent-faller.json", "--format", wanted, "-o", tmp_path / output
        )
        assert_bad_input(refused, output, "--format")
        assert not (tmp_path / output).exists()


def test_the_writer_replaces_a_file_whole_and_keeps_protected_ones(
    tmp_path: Path, content: Content
) -> None:
    report = plan_report_for_file(content, EXAMPLES / "recent-faller.json")
    target = tmp_path / "plan.html"
    target.write_text("old")
    assert write_plan_html(report, target) == []
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    keep = tmp_path / "keep.html"
    keep.write_text("keep")
    with pytest.raises(ValueError, match="in use"):
        write_plan_html(report, keep, protected=[keep])
    assert keep.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.html", "plan.html"]


def test_large_print_reaches_the_pdf_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import safetycheck.services.reports as reports

    asked: list[bool] = []
    written = reports.write_plan_pdf

    def spy(*args: Any, **kwargs: Any) -> list[str]:
        asked.append(kwargs.get("large_print", False))
        return written(*args, **kwargs)

    monkeypatch.setattr(reports, "write_plan_pdf", spy)
    for flags in ([], ["--large-print"]):
        target = tmp_path / f"plan{len(flags)}.pdf"
        result = cli("report", EXAMPLES / "recent-faller.json", *flags, "-o", target)
        assert result.returncode == 0, result.stderr
        assert target.read_bytes().startswith(b"%PDF")
    assert asked == [False, True]
