"""The action plan as one self-contained HTML page: the accessible alternative to the PDF,
which ReportLab cannot tag. Lays out a finished PlanReport, in the PDF's order, with real
headings, lists, tables with header cells, and photos inline with their captions as alt text.

Standard library only. Every piece of user text is escaped, and every element that holds some
reads its own direction (`dir="auto"`, or `<bdi>` inside a fixed sentence), so a name in Arabic
or Hebrew reads right inside English text.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from html import escape

from safetycheck.domain.dates import long_date
from safetycheck.domain.report import (
    ActionLine,
    PhotoImage,
    PlanReport,
    Section,
)

OPEN_QUESTIONS_LISTED = 10  # more than this: the count only (the blank checklist has them all)
LEVEL_WORDS = ("low", "moderate", "high")  # the ranks 0, 1, 2 of PlanReport.level_lowest/highest
# A box to tick on paper; the words beside it ("To do", "Done on …") say the same aloud.
BOX = '<span class="tick" aria-hidden="true">☐</span> '
TICKED = '<span class="tick" aria-hidden="true">☑</span> '
_SURROGATE = re.compile("[\ud800-\udfff]")

# One stylesheet in the page: black on white, large type, nothing fetched from anywhere.
STYLE = """
:root { color-scheme: light; }
html { font-size: %(base)s; }
body { margin: 0; background: #fff; color: #000; font-family: system-ui, "Segoe UI", Roboto,
  "Noto Sans", "DejaVu Sans", Arial, sans-serif; line-height: 1.5; }
main, nav, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1rem 0 0.75rem; }
h2 { font-size: 1.4rem; line-height: 1.3; margin: 2rem 0 0.5rem; padding-top: 0.5rem;
  border-top: 3px solid #000; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 0.4rem; }
h4 { font-size: 1.05rem; margin: 1.1rem 0 0.25rem; }
p, ul, ol, dl, table, figure { margin: 0.4rem 0 0.8rem; }
a { color: #00338a; text-decoration: underline; }
a:focus, a:hover { outline: 3px solid #000; outline-offset: 2px; background: #ffec80; }
.skip { position: absolute; left: 0.5rem; top: -10rem; padding: 0.5rem 1rem; background: #fff;
  border: 3px solid #000; font-weight: bold; }
.skip:focus { top: 0.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
nav { font-size: 0.95rem; margin-top: 0.5rem; }
nav summary { cursor: pointer; font-weight: bold; }
nav ol { padding-left: 1.5rem; }
.typed { white-space: pre-line; }
main, table, td, th, li, dd, p, h1, h2, h3, h4, figcaption { overflow-wrap: anywhere; }
.box { border: 4px solid #000; padding: 0.25rem 1rem; margin: 1rem 0; }
.flags { border-color: #a00000; background: #fff0f0; }
.box h2 { border-top: 0; margin-top: 0.5rem; }
.flags h2 { color: #7a0000; }
.flags h3 { text-transform: uppercase; }
.notice { border-color: #7a4e00; background: #fff6e0; }
.quiet { border-width: 2px; }
.level { font-size: 1.5rem; font-weight: bold; text-transform: uppercase; margin: 0.25rem 0; }
.gauge { display: flex; list-style: none; padding: 0; margin: 0.5rem 0; max-width: 30rem; }
.gauge li { flex: 1; text-align: center; padding: 0.35rem 0.25rem; border: 2px solid #000;
  margin-right: -2px; background: #fff; }
.gauge li.here { background: #000; color: #fff; font-weight: bold; }
.small { font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%%; table-layout: fixed; }
.about-visit th { width: 12rem; }
th.number { width: 12rem; }
.corner { width: 7rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #000; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; }
td.number, th.number { text-align: right; white-space: nowrap; }
.bar { display: inline-block; height: 0.8rem; background: #000; vertical-align: middle; }
.points { float: right; }
.actions { list-style: none; padding: 0; }
.actions > li { border-left: 5px solid #000; padding: 0.1rem 0 0.1rem 0.8rem; margin: 1rem 0; }
.actions > li.done { border-left-style: dotted; }
.state { font-weight: bold; }
.state .typed { font-weight: normal; }
.tick { font-size: 1.3em; line-height: 1; }
.jobs { list-style: none; padding: 0; }
.jobs li { margin: 0.6rem 0; padding-left: 2rem; text-indent: -2rem; }
dl.facts { display: grid; grid-template-columns: 8rem 1fr; gap: 0.15rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
figure img { max-width: 100%%; height: auto; border: 1px solid #000; }
figcaption { font-size: 0.95rem; }
.signature { margin-top: 2.5rem; }
.signature span { display: inline-block; min-width: 60%%; border-bottom: 2px solid #000; }
footer { margin-top: 2rem; padding-bottom: 2rem; border-top: 1px solid #000; font-size: 0.9rem; }
@media print {
  html { font-size: %(print)s; }
  .skip, nav { display: none; }
  a { color: #000; }
  main, footer { max-width: none; padding: 0; }
  h2, h3, h4, caption { break-after: avoid; page-break-after: avoid; }
  tr, figure, .gauge, .signature, .actions > li { break-inside: avoid; page-break-inside: avoid; }
  .flags, .notice, thead th, .gauge li.here, .bar { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
}
"""


def _e(text: str) -> str:
    """Text as HTML: markup prints as written; a lone surrogate (not text) becomes U+FFFD."""
    return escape(_SURROGATE.sub("\ufffd", text), quote=True)


def _u(text: str) -> str:
    """User text inside a fixed sentence: isolated, so it reads in its own direction."""
    return f"<bdi>{_e(text)}</bdi>"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class _Page:
    """Builds the page: the HTML as a list of strings, and the ids for the contents list."""

    def __init__(self, report: PlanReport) -> None:
        self.report = report
        self.out: list[str] = []
        self.contents: list[tuple[str, str, list[tuple[str, str]]]] = []  # id, title, rooms
        self._ids = 0

    def add(self, *html: str) -> None:
        self.out.extend(html)

    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}-{self._ids}"

    def section_start(self, key: str, title: str, css: str = "") -> None:
        """A top-level part (an h2), named in the contents list."""
        heading = f"{key}-title"
        klass = f' class="{css}"' if css else ""
        self.add(f'<section id="{key}" aria-labelledby="{heading}"{klass}>')
        self.add(f'<h2 id="{heading}" dir="auto">{_e(title)}</h2>')
        self.contents.append((key, title, []))

    def bullets(self, items: Iterable[str], css: str = "") -> None:
        klass = f' class="{css}"' if css else ""
        rows = [f'<li dir="auto">{_e(item)}</li>' for item in items]
        if rows:
            self.add(f"<ul{klass}>", *rows, "</ul>")

    def labelled(self, label: str, text: str) -> None:
        self.add(f'<p dir="auto"><strong>{_e(label)}</strong> {_e(text)}</p>')

    # ---- page 1 ------------------------------------------------------------------------------

    def head(self) -> None:
        report = self.report
        name = report.person_name
        title = report.title
        if name and title.endswith(name):
            shown = f"{_e(title.removesuffix(name))}{_u(name)}"
        else:
            shown = _e(title)
        self.add(f'<h1 id="top" dir="auto">{shown}</h1>')
        # A name is isolated from the words around it: "(born 1951)" stays after it whichever
        # way the name reads.
        born = f" (born {report.birth_year})" if report.birth_year else ""
        role = f", {_e(report.assessor_role.lower())}" if report.assessor_role else ""
        facts = [
            ("Person", f"{_u(name)}{born}"),
            ("Date of the visit", long_date(report.visit_date)),
            ("Assessed by", f"{_u(report.assessor)}{role}"),
        ]
        self.add('<table class="about-visit"><caption class="visually-hidden">This visit</caption>')
        for label, value in facts:
            self.add(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>')
        self.add("</table>")

    def red_flags(self) -> None:
        report = self.report
        if report.red_flags:
            self.section_start(
                "red-flags",
                "Red flags: act on these before anything else in this plan",
                "box flags",
            )
            for group in report.red_flag_groups:
                self.add(f'<h3 dir="auto">{_e(group.title)}</h3>')
                self.bullets(f"{sign}." for sign in group.signs)
                self.add(f'<p dir="auto">{_e(group.advice)}</p>')
            if report.unanswered_red_flags:
                self.add("<h3>Warning-sign questions not answered yet</h3>")
                self.bullets(f"{sign}." for sign in report.unanswered_red_flags)
            self.add("</section>")
            return
        quiet = "box quiet" if not report.unanswered_red_flags else "box notice"
        self.section_start("red-flags", "Red flags", quiet)
        status = report.red_flag_status
        if not report.unanswered_red_flags:
            self.add(f'<p dir="auto">{_e(status)}</p>', "</section>")
            return
        # The status ends with the list of questions; show them one to a line.
        listed = "; ".join(report.unanswered_red_flags)
        head, found, _ = status.rpartition(f": {listed}.")
        self.add(f'<p dir="auto"><strong>{_e(f"{head}:" if found else status)}</strong></p>')
        if found:
            self.bullets(f"{sign}." for sign in report.unanswered_red_flags)
        self.add(
            "<p>Ask these questions as soon as you can. Every warning sign, and what to do if "
            f'one appears, is under <a href="#seek-help">{_e(report.text.seek_help_title)}</a>, '
            "near the end of this plan.</p>",
            "</section>",
        )

    def certainty(self) -> None:
        report = self.report
        lines = [line for line in (report.certainty, report.version_note) if line]
        if lines:
            self.add('<div class="box notice" role="note">')
            self.add(*(f'<p dir="auto"><strong>{_e(line)}</strong></p>' for line in lines[:1]))
            self.add(*(f'<p dir="auto">{_e(line)}</p>' for line in lines[1:]))
            self.add("</div>")

    def level(self) -> None:
        report = self.report
        self.section_start("level", "Fall risk")
        self.add(f'<p class="level" dir="auto">{_e(report.level_label)}</p>')
        low = max(0, min(report.level_lowest, 2))
        high = max(low, min(report.level_highest, 2))
        if low == high:
            where = (
                f"On the scale of three levels (low, moderate, high), the risk is "
                f"{LEVEL_WORDS[low]}."
            )
        else:
            where = (
                "The level is not settled yet: on the scale of three levels (low, moderate, "
                f"high), it is somewhere from {LEVEL_WORDS[low]} to {LEVEL_WORDS[high]}."
            )
        self.add(f"<p>{_e(where)}</p>")
        # The same in a picture for the eye; the sentence above says it for a screen reader.
        self.add('<ol class="gauge" aria-hidden="true">')
        for rank, word in enumerate(LEVEL_WORDS):
            if low <= rank <= high:
                self.add(f'<li class="here">{word.capitalize()} ◆</li>')
            else:
                self.add(f"<li>{word.capitalize()}</li>")
        self.add("</ol>")
        why = [f"{reason.rstrip('.')}." for reason in report.level_reasons]
        if len(why) == 1:
            self.labelled("Why:", why[0])
        elif why:
            self.add("<p><strong>Why:</strong></p>")
            self.bullets(why)
        if report.missing:
            self.labelled("Still to find out:", "; ".join(report.missing) + ".")
        self.labelled("Stay Independent check:", report.stay_independent)
        self.add("</section>")

    def first_actions(self) -> None:
        report = self.report
        self.section_start("first", "What to do first")
        if not report.first_actions:
            nothing = report.nothing_to_fix_line or "Nothing is left to do."
            self.add(f"<p>{_e(nothing)}</p>", "</section>")
            return
        self.add("<ol>")
        for first in report.first_actions:
            where = f"{_u(first.where)}: " if first.where else ""
            meta = " · ".join(part for part in (first.priority, first.who) if part)
            self.add(
                f'<li dir="auto">{where}{_e(first.text)}'
                f'<br><span class="small">{_e(meta)}</span></li>'
            )
        self.add("</ol>")
        if report.first_rule:
            self.add(f'<p class="small">{_e(report.first_rule)}</p>')
        self.add(
            '<p class="small">What adds most to the risk, room by room, is under '
            '<a href="#pictures">What adds most, and where</a>. What to do if a warning sign '
            f'appears is under <a href="#seek-help">{_e(report.text.seek_help_title)}</a>.</p>',
            "</section>",
        )

    # ---- what adds most, the rooms, the change ---------------------------------------------

    def pictures(self) -> None:
        report = self.report
        self.section_start("pictures", "What adds most, and where")
        self.add(f'<p dir="auto">{_e(report.score_line)}</p>')
        if report.score_meaning:
            self.add(f'<p class="small">{_e(report.score_meaning)}</p>')
        if report.unanswered:
            asked = (
                "1 question was"
                if report.unanswered == 1
                else f"{report.unanswered} questions were"
            )
            self.add(f"<p>{asked} not answered; they add nothing to the score.</p>")
        self.add("<h3>What adds most to the risk</h3>")
        rows = list(report.top_reasons)
        if report.other_points > 0:
            rows.append(("Smaller reasons together", report.other_points))
        if not rows:
            self.add("<p>Nothing so far.</p>")
        else:
            top = max(points for _, points in rows) or 1
            self.add(
                "<table><caption>Points each reason adds to the score</caption>",
                '<thead><tr><th scope="col">Reason</th>'
                '<th scope="col" class="number">Points</th></tr></thead><tbody>',
            )
            for label, points in rows:
                width = max(1, round(7 * points / top))
                self.add(
                    f'<tr><td dir="auto">{_e(label)}</td><td><span class="bar" '
                    f'style="width: {width}rem" aria-hidden="true"></span>'
                    f'<span class="points">+{points}</span></td></tr>'
                )
            self.add(
                "</tbody>",
                f'<tfoot><tr><th scope="row">Score</th><td class="number">{report.score}'
                "</td></tr></tfoot></table>",
            )
        self.rooms_overview()
        if report.change is not None:
            self.change()
        self.add("</section>")

    def rooms_overview(self) -> None:
        report = self.report
        if not report.room_counts:
            return
        self.add("<h3>Problems found, room by room</h3>")
        counted = [room for room in report.room_counts if room.open or room.done]
        if not counted:
            self.add("<p>No problem was found in any room so far.</p>")
            return
        self.add(
            "<table><caption>Problems found in each room or part of the plan: still to do, "
            "and done</caption>",
            '<thead><tr><th scope="col">Room</th><th scope="col" class="number">Still to do</th>'
            '<th scope="col" class="number">Done</th></tr></thead><tbody>',
        )
        for room in counted:
            self.add(
                f'<tr><th scope="row" dir="auto">{_e(room.name)}</th>'
                f'<td class="number">{room.open}</td><td class="number">{room.done}</td></tr>'
            )
        self.add("</tbody></table>")
        clear = [room.name for room in report.room_counts if not room.open + room.done]
        if clear:
            names = ", ".join(_u(name) for name in clear)
            self.add(f'<p dir="auto"><strong>Nothing found so far in:</strong> {names}.</p>')

    def change(self) -> None:
        change = self.report.change
        assert change is not None
        then = long_date(change.previous_date)
        self.add(
            "<h3>Since the last visit</h3>",
            "<table><caption>The last visit and this one</caption>",
            '<thead><tr><td class="corner"></td><th scope="col">Last visit, '
            f'{_e(then)}</th><th scope="col">This visit</th></tr></thead><tbody>',
            f'<tr><th scope="row">Level</th><td dir="auto">{_e(change.level_then)} risk</td>'
            f'<td dir="auto">{_e(change.level_now)} risk</td></tr>',
            f'<tr><th scope="row">Score</th><td>{change.score_then}</td>'
            f"<td>{change.score_now}</td></tr>",
            "</tbody></table>",
            f"<p>Fixed since then: {len(change.fixed) + len(change.done_now)}. "
            f"Still to do: {len(change.still_open)}. "
            f"Found for the first time: {len(change.new)}.</p>",
        )
        for title, items in (
            ("Fixed since then", change.fixed),
            ("Done at this visit", change.done_now),
            ("Marked not needed at this visit", change.not_needed_now),
            ("Still to do", change.still_open),
            ("Found for the first time", change.new),
        ):
            if items:
                self.add(f"<h4>{_e(title)}</h4>")
                self.bullets(items)

    # ---- room by room ------------------------------------------------------------------------

    def photo(self, image: PhotoImage) -> None:
        caption = image.caption or "Photo"
        source = f"data:{_media_type(image.data)};base64,{base64.b64encode(image.data).decode()}"
        # The caption is the alt text; shown under the photo too, it is hidden from a screen
        # reader so it is not read twice.
        self.add(
            f'<figure><img src="{source}" alt="{_e(caption)}" width="{image.width}" '
            f'height="{image.height}">'
            f'<figcaption aria-hidden="true" dir="auto">{_e(caption)}</figcaption></figure>'
        )

    def action(self, line: ActionLine, level: int) -> None:
        css = ' class="done"' if line.done else ""
        self.add(f"<li{css}>", f'<h{level} dir="auto">{_e(line.finding)}</h{level}>')
        if line.done:
            when = f" on {long_date(line.done_on)}" if line.done_on else ""
            state = f"{TICKED}Done{when}."
            if line.done_note:  # what was written when it was ticked, as in the PDF
                state = (
                    f'{TICKED}Done{when}: <span class="typed" dir="auto">{_e(line.done_note)}'
                    "</span>"
                )
        elif line.not_needed:
            when = f" on {long_date(line.done_on)}" if line.done_on else ""
            state = f"{TICKED}Not needed, as marked{when}."
            if line.done_note:
                state = (
                    f"{TICKED}Not needed, as marked{when}: "
                    f'<span class="typed" dir="auto">{_e(line.done_note)}</span>'
                )
        else:
            state = f"{BOX}To do."
        self.add(f'<p class="state">{state}</p>', '<dl class="facts">')
        if line.measurement is not None:
            self.add(f'<dt>Measured</dt><dd dir="auto">{_e(line.measurement.line)}</dd>')
        own = ' <span class="small">(the assessor’s own words)</span>' if line.edited else ""
        self.add(f'<dt>What to do</dt><dd><span dir="auto">{_e(line.what_to_do)}</span>{own}</dd>')
        for label, value in (
            ("Priority", line.priority),
            ("Who", line.who),
            ("Effort", line.effort),
        ):
            if value:
                self.add(f'<dt>{label}</dt><dd dir="auto">{_e(value)}</dd>')
        if line.note:
            self.add(f'<dt>Note</dt><dd class="typed" dir="auto">{_e(line.note)}</dd>')
        self.add("</dl>")
        for image in line.photos:
            self.photo(image)
        self.add("</li>")

    def section(self, section: Section, level: int, key: str) -> None:
        """A room (level 3, under "Room by room") or a part asked once (level 2)."""
        self.add(f'<section id="{key}" aria-labelledby="{key}-title">')
        self.add(f'<h{level} id="{key}-title" dir="auto">{_e(section.title)}</h{level}>')
        below = level + 1
        if section.subtitle:
            self.add(f'<p class="small" dir="auto">{_e(section.subtitle)}</p>')
        if section.measurements:
            self.add(f"<h{below}>Measured</h{below}>")
            self.bullets(m.line for m in section.measurements)
        count = len(section.unanswered)
        if not section.actions:
            found = "Nothing to fix was found so far" if count else "Nothing to fix was found here"
            many = f", but {count} questions here are not answered yet" if count else ""
            if count > OPEN_QUESTIONS_LISTED:
                self.add(f"<p>{found}{many} (the blank checklist has them all).</p>")
            else:
                self.add(f"<p>{found}.</p>")
        else:
            self.add('<ul class="actions">')
            for line in section.actions:
                self.action(line, below)
            self.add("</ul>")
        if 0 < count <= OPEN_QUESTIONS_LISTED:
            self.add(f"<h{below}>Not answered yet here</h{below}>")
            self.bullets(section.unanswered)
        elif count and section.actions:
            self.add(
                f"<p><strong>{count} questions here are not answered yet</strong> (the blank "
                "checklist has them all).</p>"
            )
        if section.notes:
            title = "Other notes from this room" if section.actions else "Notes"
            self.add(f"<h{below}>{title}</h{below}>", "<ul>")
            for note in section.notes:
                self.add(
                    f'<li><strong dir="auto">{_e(note.question)} ({_e(note.answer)}):</strong> '
                    f'<span class="typed" dir="auto">{_e(note.note)}</span></li>'
                )
            self.add("</ul>")
        for image in section.photos:
            self.photo(image)
        self.add("</section>")

    def sections(self) -> None:
        rooms = [s for s in self.report.sections if s.is_room]
        pages = [s for s in self.report.sections if not s.is_room]
        if rooms:
            self.section_start("rooms", "Room by room")
            listed = self.contents[-1][2]
            for section in rooms:
                key = self.new_id("room")
                listed.append((key, section.title))
                self.section(section, 3, key)
            self.add("</section>")
        for section in pages:
            key = self.new_id("part")
            self.contents.append((key, section.title, []))
            self.section(section, 2, key)

    # ---- after the rooms ---------------------------------------------------------------------

    def jobs(self) -> None:
        report = self.report
        if not report.jobs:
            return
        self.section_start("jobs", "Jobs by who does them")
        self.add(
            "<p>The same jobs as above, sorted by who does them: a list to hand over. "
            "Tick each one when it is done.</p>"
        )
        for group in report.jobs:
            self.add(
                f'<h3 dir="auto">{_e(group.who)}</h3>',
                f"<p>{_plural(len(group.jobs), 'job', 'jobs')} still to do.</p>",
                '<ul class="jobs">',
            )
            for job in group.jobs:
                meta = "; ".join(part for part in (job.priority, job.effort.lower()) if part)
                self.add(
                    f'<li dir="auto">{BOX}<strong>{_u(job.where)}: {_u(job.finding)}.</strong> '
                    f'{_e(job.what_to_do)} <span class="small">({_e(meta)})</span></li>'
                )
            self.add("</ul>")
        self.add("</section>")

    def help_page(self) -> None:
        report, text = self.report, self.report.text
        if report.brace_worn:
            self.section_start("skin", text.skin_routine_title)
            self.bullets(text.skin_routine)
            self.add("</section>")
        self.section_start("seek-help", text.seek_help_title)
        for tier in report.urgency_tiers:
            self.add(f'<h3 dir="auto">{_e(tier.title)}</h3>')
            self.bullets(f"{sign}." for sign in tier.signs)
            self.add(f'<p dir="auto">{_e(tier.advice)}</p>')
        self.add(*(f'<p dir="auto">{_e(line)}</p>' for line in text.seek_help), "</section>")

    def sign_off(self) -> None:
        report = self.report
        signer = report.sign_off
        if signer is None:
            return
        self.section_start("sign-off", "Sign-off")
        intro, facts = signer.intro, signer.rows()
        self.add(f"<p>{intro}</p>", '<dl class="facts">')
        for label, value in facts:
            self.add(f'<dt>{label}</dt><dd class="typed" dir="auto">{_e(value)}</dd>')
        self.add(
            "</dl>",
            '<p class="signature">Signature (on the printed copy): '
            '<span aria-hidden="true">&nbsp;</span></p>',
            "</section>",
        )

    def about(self) -> None:
        report = self.report
        self.section_start("about", "About this plan")
        self.add(
            f"<p>{_e(report.disclaimer)}</p>",
            f'<p class="small">Checklist: {_e(report.mode.lower())}, version '
            f"{_e(report.checklist_version)}; risk model {_e(report.model_version)}.</p>",
            f'<p class="small">{_e(report.text.attribution)}</p>',
            "<h3>Sources the checklist draws on</h3>",
        )
        self.bullets(report.sources, "small")
        if report.person_notes:
            self.add(
                "<h3>Notes about the person</h3>",
                f'<p class="typed" dir="auto">{_e(report.person_notes)}</p>',
            )
        self.add("</section>")

    def exercises(self) -> None:
        """The home exercises the therapist prescribed and the evening quick check, when
        chosen: what the printed pages say, with the week's ticks as a sentence."""
        sheet = self.report.exercises
        if sheet is None:
            return
        if sheet.exercises:
            self.section_start("exercises", "Home exercises")
            self.add(f'<p dir="auto">{_e(sheet.intro)}</p>')
            self.bullets(sheet.cautions)
            for number, exercise in enumerate(sheet.exercises, start=1):
                self.add(
                    f'<h3 dir="auto">{number}. {_e(exercise.name)}</h3>',
                    f'<p dir="auto"><strong>How much:</strong> {_e(exercise.dose)}</p>',
                    *(f'<p dir="auto">{_e(line)}</p>' for line in exercise.how),
                )
                for caution in exercise.cautions:
                    self.labelled("Take care:", caution)
            self.add(
                '<p class="small">The printed page has a box for each day of the week '
                f"({_e(', '.join(sheet.days))}) to tick after each exercise.</p>",
                "</section>",
            )
        evening = sheet.evening
        self.section_start("evening", evening.title)
        self.add(f'<p dir="auto">{_e(evening.intro)}</p>')
        self.bullets(evening.items)
        self.add(*(f'<p dir="auto">{_e(line)}</p>' for line in evening.after), "</section>")

    def navigation(self) -> str:
        rows = []
        for key, title, rooms in self.contents:
            inner = ""
            if rooms:
                links = "".join(
                    f'<li><a href="#{room_key}" dir="auto">{_e(name)}</a></li>'
                    for room_key, name in rooms
                )
                inner = f"<ol>{links}</ol>"
            rows.append(f'<li><a href="#{key}" dir="auto">{_e(title)}</a>{inner}</li>')
        return (
            '<nav aria-label="Contents of this plan"><details><summary>Contents of this plan'
            f"</summary><ol>{''.join(rows)}</ol></details></nav>"
        )


def _media_type(data: bytes) -> str:
    """The image's type from its first bytes (the print copies are JPEG)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def render_plan_html(report: PlanReport, large_print: bool = False) -> str:
    """The whole plan as one HTML page, in the PDF's order. `large_print` sets a larger base
    size (on screen and on paper)."""
    page = _Page(report)
    page.head()
    page.red_flags()
    page.certainty()
    page.level()
    page.first_actions()
    page.pictures()
    page.sections()
    page.jobs()
    page.help_page()
    page.sign_off()
    page.exercises()
    page.about()
    sizes = (
        {"base": "150%", "print": "16pt"} if large_print else {"base": "112.5%", "print": "12pt"}
    )
    footer = (
        f"Action plan for {_u(report.person_name)}, visit of {long_date(report.visit_date)}. "
        f"Checklist {_e(report.checklist_version)}, risk model {_e(report.model_version)}."
    )
    parts: Sequence[str] = (
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="safetycheck">',
        f'<title dir="auto">{_e(report.title)} — {long_date(report.visit_date)}</title>',
        f"<style>{STYLE % sizes}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the plan</a>',
        page.navigation(),
        '<main id="main" tabindex="-1">',
        *page.out,
        "</main>",
        f'<footer><p dir="auto">{footer}</p></footer>',
        "</body>",
        "</html>",
    )
    return "\n".join(parts) + "\n"
