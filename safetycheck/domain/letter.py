"""The letter for the person's doctor: the finished, frozen content (a pure builder).

From one assessment and its evaluation: the warning signs with their urgency, the Stay
Independent result with its meaning, the falls risk level in the World Falls Guidelines' words
with its reasons, the falls since the last visit, the walking test against its cut-offs, the
medicines and eyesight answers that call for a review, what the home plan changes, the home
exercises given, and the assessor's sign-off. Plain clinical language; no score without what it
means; nothing not asked is ever said as "none"; nothing is put as a diagnosis. The renderer
(reports/letter_pdf.py) only lays these values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from safetycheck.domain.assessment import (
    ActionKind,
    Assessment,
    VisitStatus,
    effective_facts,
    is_hazard,
    item_applies,
)
from safetycheck.domain.checklist import Checklist, Mode, Who
from safetycheck.domain.evaluation import Evaluation
from safetycheck.domain.exercises import ExerciseContent, prescribed_exercises
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.domain.parameters import ModelParameters
from safetycheck.domain.report import ROLE_LABELS, answer_label, visit_certainty
from safetycheck.domain.scoring import StayIndependentResult
from safetycheck.domain.stratification import Level, LevelRange

TO = "To the person's doctor"
WARNING_SIGNS = "Warning signs (red flags)"
SCREEN = "Fall-risk screen: Stay Independent (CDC STEADI)"
LEVEL = "Falls risk level (World Falls Guidelines 2022)"
FALLS = "Falls since the last visit"
GAIT = "Walking and balance test"
REVIEW = "Medicines and eyesight"
PLAN = "What the home plan changes"
EXERCISES = "Home exercises given"

# The answers a doctor may want to review, by topic: any answer that is not one of the item's
# safe answers (content: data/checklist/person.toml) is listed.
REVIEW_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Medicines",
        ("steadi.si.10", "steadi.si.11", "person.medicines", "person.habit.meds_review"),
    ),
    ("Eyesight", ("person.vision", "person.habit.vision_check")),
)
TOP_FIXES = 4
# CDC STEADI's own Timed Up and Go line (data/checklist/checklist.toml, source cdc-tug): said
# beside the guidelines' cut-off, which is higher, so a result between them is not read as fine.
STEADI_TUG = ("person.gait.tug", 12.0)
# What the World Falls Guidelines 2022 advise for each group (clinical notes, section 8.1).
MANAGEMENT = {
    Level.LOW: "education about falls, and exercise for general health",
    Level.MODERATE: "targeted exercise for strength and balance",
    Level.HIGH: "a multifactorial falls risk assessment and an intervention tailored to it",
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class LetterRules(Protocol):
    """What building the letter needs (the loaded content satisfies this)."""

    @property
    def checklist(self) -> Checklist: ...

    @property
    def model(self) -> ModelParameters: ...

    @property
    def exercises(self) -> ExerciseContent: ...


@dataclass(frozen=True, slots=True)
class LetterBlock:
    """A paragraph, and the list that follows it (if any)."""

    text: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LetterSection:
    """One part of the letter's body: a heading and its paragraphs with their lists."""

    title: str
    blocks: tuple[LetterBlock, ...]
    urgent: bool = False  # a warning sign was reported: printed framed

    def text(self) -> str:
        """Everything the section says, as one text (for a reader that searches it)."""
        return " ".join(" ".join((block.text, *block.bullets)) for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Signatory:
    """Who signs the letter (each detail may be empty but the name and role)."""

    name: str
    role: str
    credentials: str
    organisation: str
    contact: str
    signed_on: date
    next_review: date | None


@dataclass(frozen=True, slots=True)
class DoctorLetter:
    """Everything the letter prints, in order."""

    to: str
    person_name: str
    birth_year: int | None
    regarding: str  # "Re: José Álvarez, born 1951"
    visit_date: date
    letter_date: date
    opening: str
    in_brief: str  # the level, the warning signs and the falls, in one sentence
    notice: str  # what is not yet known about the visit ("" when nothing is)
    sections: tuple[LetterSection, ...]
    closing: str
    sign_off: Signatory

    def section(self, title: str) -> LetterSection | None:
        for section in self.sections:
            if section.title == title:
                return section
        return None


def long_date(day: date) -> str:
    """ "1 December 2026": the same in every locale (a letter is read elsewhere)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _in_sentence(text: str) -> str:
    """A finding inside a sentence: "Loose rug" becomes "loose rug" ("AFO …" stays)."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


# ---- the sections ----------------------------------------------------------------------------


def _section(title: str, *blocks: LetterBlock | str, urgent: bool = False) -> LetterSection:
    return LetterSection(
        title,
        tuple(LetterBlock(b) if isinstance(b, str) else b for b in blocks),
        urgent,
    )


def _warning_signs(evaluation: Evaluation) -> LetterSection:
    summary = evaluation.summary
    unasked = tuple(_sentence(sign) for sign in summary.unanswered_red_flags)
    if summary.red_flags:
        flags = tuple(f"{flag.title}: {_sentence(flag.text)}" for flag in summary.red_flags)
        blocks = [
            LetterBlock(
                "These warning signs were reported at the visit, most urgent first, each with "
                "what the family was told to do:",
                flags,
            )
        ]
        if unasked:
            blocks.append(LetterBlock("Warning-sign questions not asked yet:", unasked))
        return _section(WARNING_SIGNS, *blocks, urgent=True)
    if unasked:
        return _section(
            WARNING_SIGNS,
            LetterBlock(
                "No warning sign has been reported so far, but these warning-sign questions "
                "were not asked:",
                unasked,
            ),
        )
    return _section(WARNING_SIGNS, "Every warning-sign question was asked; none was answered yes.")


def _screen(result: StayIndependentResult) -> LetterSection:
    """The brochure's result with its meaning: 12 yes/no questions, 0 to 14 points, 4 or more
    means the person may be at risk of falling."""
    if result.score is None:
        found = (
            f"No total yet: {_plural(result.missing, 'question')} of the 12 "
            f"{'is' if result.missing == 1 else 'are'} unanswered "
            f"({_plural(result.points_so_far, 'point')} from those answered"
        )
        found += (
            "; that is already 4 or more, so the person may be at risk of falling)."
            if result.points_so_far >= 4
            else "; 4 or more of the 14 would mean the person may be at risk of falling)."
        )
    elif result.score >= 4:
        found = (
            f"Score {result.score} of 14 on its 12 yes/no questions: 4 or more, so the person "
            "may be at risk of falling."
        )
    else:
        found = (
            f"Score {result.score} of 14 on its 12 yes/no questions: under 4, the brochure's "
            "at-risk line."
        )
    lines = [found]
    if result.key_questions_words:
        lines.append(
            "Yes to a STEADI key question ("
            + "; ".join(result.key_questions_words)
            + "): this screens the person as at risk, whatever the total."
        )
    return _section(SCREEN, *lines)


def _level_words(level_range: LevelRange) -> str:
    if level_range.known is not None:
        return level_range.known.guideline_word
    return f"between {level_range.lowest.guideline_word} and {level_range.highest.guideline_word}"


def _level(evaluation: Evaluation) -> LetterSection:
    strat = evaluation.result.stratification
    known = strat.range.known
    reasons = tuple(_sentence(reason) for reason in strat.reasons)
    if known is not None:
        head = f"Stratified as {known.guideline_word} risk"
        if known is Level.MODERATE:
            head += " (called moderate risk in the family's plan)"
        head += ". The reasons:" if reasons else "."
    else:
        head = f"Not yet settled: the level is {_level_words(strat.range)} risk."
        head += " So far:" if reasons else ""
    blocks: list[LetterBlock | str] = [LetterBlock(head, reasons)]
    if strat.missing:
        blocks.append("To settle it: " + "; ".join(strat.missing) + ".")
    if known is not None:
        blocks.append(f"For this group the guidelines advise {MANAGEMENT[known]}.")
    return _section(LEVEL, *blocks)


def month_words(month: str) -> str:
    if not month:
        return ""
    return f"{MONTHS[int(month[5:]) - 1]} {month[:4]}"


def fall_line(fall: Fall) -> str:
    """One fall: when, where, whether hurt, whether seen; then what happened."""
    when = month_words(fall.month) or "Month not known"
    where = {
        FallPlace.ROOM: f"at home, in the {fall.room_name}",
        FallPlace.OUTSIDE: "outside the home",
        FallPlace.ELSEWHERE: "away from the home",
    }.get(fall.place, "place not known")
    hurt = {"yes": "hurt", "no": "not hurt"}.get(fall.hurt, "not known whether hurt")
    seen = {
        Seen.NO: "not seen by a doctor",
        Seen.DOCTOR: "seen by a doctor",
        Seen.HOSPITAL: "seen at a hospital",
    }.get(fall.seen, "not known whether a doctor saw them")
    line = f"{when}: {where}; {hurt}; {seen}."
    what = " ".join(fall.what_happened.split())
    return f"{line} What happened: {_sentence(what)}" if what else line


def _falls(report: FallsSinceLastVisit | None, first_visit: bool | None) -> LetterSection:
    if report is None:
        if first_visit:
            return _section(
                FALLS,
                "This was the first visit, so there is no earlier visit to count falls from. "
                "Falls in the past year are part of the screen above.",
            )
        return _section(
            FALLS, "Not recorded: this may be a first visit, or the falls were not asked."
        )
    on = f" on {long_date(report.since_date)}" if report.since_date else ""
    if report.count is None:
        return _section(FALLS, f"Not asked at this visit (the last visit was{on or ' earlier'}).")
    if report.count == 0:
        return _section(FALLS, f"None since the last visit{on}.")
    count = f"{_plural(report.count, 'fall')} since the last visit{on}."
    if len(report.falls) < report.count:
        count += f" {len(report.falls)} of them described."
    return _section(FALLS, LetterBlock(count, tuple(fall_line(fall) for fall in report.falls)))


def _gait(
    rules: LetterRules, assessment: Assessment, facts: dict[str, str]
) -> LetterSection | None:
    """The walking test, when one was done (or could not be done safely)."""
    rule = rules.model.stratification
    if facts.get(rule.gait_choice) == rule.gait_unable:
        return _section(
            GAIT,
            "The person could not do a walking test safely; this counts as impaired gait "
            "and balance.",
        )
    lines: list[str] = []
    for test in rule.gait:
        answer = assessment.answer(test.item)
        if test.item not in facts or answer is None or not isinstance(answer.value, float):
            continue
        value, unit = answer.value, answer.unit or rules.checklist.item(test.item).unit
        impaired = "impaired" if test.impaired(value) else "not impaired"
        if test.impaired_above is not None:
            cut_off = f"over {test.impaired_above:g} {unit}"
        else:
            assert test.impaired_below is not None
            cut_off = f"under {test.impaired_below:g} {unit}"
        line = (
            f"{test.name[:1].upper()}{test.name[1:]}: {value:g} {unit}, {impaired} gait and "
            f"balance by the World Falls Guidelines' cut-off ({cut_off} is impaired)"
        )
        steadi_item, steadi_line = STEADI_TUG
        if test.item == steadi_item:
            at_risk = "at risk" if value >= steadi_line else "not at risk"
            line += f"; {at_risk} by CDC STEADI's ({steadi_line:g} {unit} or more is at risk)"
        lines.append(line + ".")
    if not lines:
        return None
    return _section(GAIT, *lines)


def _review(checklist: Checklist, assessment: Assessment, facts: dict[str, str]) -> LetterSection:
    bullets: list[str] = []
    for topic, item_ids in REVIEW_TOPICS:
        to_review: list[str] = []
        unasked: list[str] = []
        for item_id in item_ids:
            if not checklist.has_item(item_id):
                continue
            item = checklist.item(item_id)
            if not item_applies(item, facts, assessment.mode):
                continue
            answer = assessment.answer(item_id)
            if answer is None:
                unasked.append(item.text)
            elif item.safe_values and str(answer.value) not in item.safe_values:
                if item.finding and is_hazard(item, answer):
                    to_review.append(_sentence(item.finding))
                else:
                    label = answer_label(item, answer.value, answer.unit)
                    to_review.append(f"{item.text} {_sentence(label)}")
        bullets += [f"{topic}: {line}" for line in to_review]
        if unasked:
            bullets.append(f"{topic}, not asked yet: " + " ".join(unasked))
        elif not to_review:
            bullets.append(f"{topic}: asked; no answer calls for a review.")
    return _section(REVIEW, LetterBlock("The answers that may call for a review:", tuple(bullets)))


def _plan(evaluation: Evaluation, complete: bool) -> LetterSection:
    plan = evaluation.plan
    open_actions = [
        a for a in plan.actions if a.kind is not ActionKind.RED_FLAG and not plan.is_closed(a)
    ]
    done = sum(1 for a in plan.actions if a.kind is not ActionKind.RED_FLAG and plan.is_done(a))
    already = f" {_plural(done, 'action was', 'actions were')} already done." if done else ""
    if not open_actions:
        text = "The home action plan has nothing left to do"
        text += "." if complete else " so far; not every question is answered yet."
        return _section(PLAN, text + already)
    home = [a for a in open_actions if a.kind is ActionKind.HAZARD]
    person = [a for a in open_actions if a.kind is ActionKind.PERSON]
    blocks: list[LetterBlock | str] = [
        f"The home action plan lists {_plural(len(open_actions), 'thing')} to do: "
        f"{len(home)} in the home (with footwear and the brace) and {len(person)} about "
        f"health, habits and follow-up.{already}"
    ]
    ordered = plan.first(len(plan.actions))  # the plan's own order of what to do first
    fixes = [a for a in ordered if a.kind is ActionKind.HAZARD][:TOP_FIXES]
    if fixes:
        named = [
            f"{_in_sentence(a.finding)} ({a.room_name})" if a.room_name else _in_sentence(a.finding)
            for a in fixes
        ]
        blocks.append("The first fixes in the home: " + "; ".join(named) + ".")
    for_doctor = tuple(_sentence(a.text) for a in open_actions if a.who is Who.DOCTOR)
    if for_doctor:
        blocks.append(LetterBlock("The plan asks the family to raise these with you:", for_doctor))
    return _section(PLAN, *blocks)


def _exercises(rules: LetterRules, assessment: Assessment) -> LetterSection | None:
    if not assessment.exercises:
        return None
    sheet = prescribed_exercises(rules.exercises, assessment)
    lines = tuple(f"{exercise.name}: {exercise.dose}." for exercise in sheet.exercises)
    if not lines:
        return None
    return _section(
        EXERCISES, LetterBlock("A home exercise sheet was given, with these exercises:", lines)
    )


# ---- the letter ------------------------------------------------------------------------------


def _in_brief(
    evaluation: Evaluation, report: FallsSinceLastVisit | None, first_visit: bool | None
) -> str:
    """The letter in one sentence: the level, the warning signs, the falls since last time."""
    summary = evaluation.summary
    level_range = evaluation.result.level_range
    if level_range.known is not None:
        parts = [f"{level_range.known.guideline_word} falls risk"]
    else:
        parts = [f"falls risk not yet settled ({_level_words(level_range)})"]
    if summary.red_flags:
        count = _plural(len(summary.red_flags), "warning sign")
        parts.append(f"{count} reported (most urgent: {summary.red_flags[0].title.lower()})")
    elif summary.unanswered_red_flags:
        count = _plural(len(summary.unanswered_red_flags), "warning-sign question")
        parts.append(f"no warning sign reported so far, but {count} not asked")
    else:
        parts.append("no warning signs (every question asked)")
    if report is not None:
        if report.count is None:
            parts.append("falls since the last visit not asked")
        elif report.count == 0:
            parts.append("no falls since the last visit")
        else:
            parts.append(f"{_plural(report.count, 'fall')} since the last visit")
    elif first_visit:
        parts.append("a first visit")
    return "In brief: " + "; ".join(parts) + "."


def _opening(assessment: Assessment) -> str:
    name = assessment.person.name
    day = long_date(assessment.date)
    if assessment.assessor.role is Mode.CAREGIVER:
        return (
            f"I am {name}'s caregiver. On {day} I went through the safetycheck home fall-safety "
            "checklist with them. This letter tells you what it found, for your review."
        )
    return (
        f"I assessed {name}'s risk of falling and the safety of their home on {day}. This "
        "letter summarises what I found, for your review."
    )


def build_doctor_letter(
    rules: LetterRules,
    assessment: Assessment,
    evaluation: Evaluation,
    *,
    today: date,
    first_visit: bool | None = None,
) -> DoctorLetter:
    """The letter of one visit. `today` is the letter's date; `first_visit` says whether the
    person had an earlier visit (None: not known, as for a visit read from a file)."""
    checklist = rules.checklist
    facts = effective_facts(checklist, assessment)
    summary = evaluation.summary
    finished = assessment.status is VisitStatus.COMPLETED
    sections = [
        _warning_signs(evaluation),
        _screen(evaluation.result.stay_independent),
        _level(evaluation),
        _falls(assessment.falls, first_visit),
    ]
    gait = _gait(rules, assessment, facts)
    if gait is not None:
        sections.append(gait)
    sections.append(_review(checklist, assessment, facts))
    sections.append(_plan(evaluation, summary.complete))
    exercises = _exercises(rules, assessment)
    if exercises is not None:
        sections.append(exercises)
    person, assessor = assessment.person, assessment.assessor
    born = f", born {person.birth_year}" if person.birth_year else ", year of birth not recorded"
    notice = ""
    if not finished or summary.unanswered:
        # The level itself is in the letter's own words below; this says what is open.
        notice = visit_certainty(summary, finished)
        if not finished and not notice.startswith("Not finished"):
            notice = f"This visit is not marked finished yet. {notice}".strip()
    return DoctorLetter(
        to=TO,
        person_name=person.name,
        birth_year=person.birth_year,
        regarding=f"Re: {person.name}{born}",
        visit_date=assessment.date,
        letter_date=today,
        opening=_opening(assessment),
        in_brief=_in_brief(evaluation, assessment.falls, first_visit),
        notice=notice,
        sections=tuple(sections),
        closing=(
            "This letter reports a screen and a home assessment; it does not diagnose anything. "
            "The level follows the World Falls Guidelines 2022 as the safetycheck program "
            "applies them."
        ),
        sign_off=Signatory(
            name=assessor.name,
            role=ROLE_LABELS.get(assessor.role.value, assessor.role.value),
            credentials=assessor.credentials,
            organisation=assessor.organisation,
            contact=assessor.contact,
            signed_on=today,
            next_review=assessment.next_review,
        ),
    )
