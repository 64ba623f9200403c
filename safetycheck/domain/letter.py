"""The letter for the person's doctor: the finished, frozen content (a pure builder).

From one assessment and its evaluation: the person's identifiers, the warning signs with their
urgency, the facts about the person the visit recorded (foot drop, brace, feeling in the feet,
diabetes, eyesight, medicines, night-time toilet trips), the requests to the doctor those facts
lead to, the Stay Independent result with its meaning, the falls risk level in the World Falls
Guidelines' words with its reasons, the falls since the last visit, the walking test against
its cut-offs, what the home plan changes, the home exercises given, and the assessor's sign-off.
Plain clinical language; no score without what it means; nothing not asked is ever said as
"none" or "no"; nothing is put as a diagnosis. The renderer (reports/letter_pdf.py) only lays
these values out.
"""

from __future__ import annotations

from collections.abc import Callable
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
from safetycheck.domain.checklist import Checklist, Mode
from safetycheck.domain.dates import MONTHS, long_date
from safetycheck.domain.evaluation import Evaluation
from safetycheck.domain.exercises import ExerciseContent, prescribed_exercises
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.domain.parameters import ModelParameters
from safetycheck.domain.report import ROLE_LABELS, visit_certainty
from safetycheck.domain.scoring import StayIndependentResult
from safetycheck.domain.stratification import Level, LevelRange

TO = "To the person's doctor"
WARNING_SIGNS = "Warning signs (red flags)"
ABOUT = "About the person"
REQUESTS = "Requests for you"
SCREEN = "Fall-risk screen: Stay Independent (CDC STEADI)"
LEVEL = "Falls risk level (World Falls Guidelines 2022)"
FALLS = "Falls since the last visit"
GAIT = "Walking and balance test"
PLAN = "What the home plan changes"
EXERCISES = "Home exercises given"

# The program stores no health-service number: the letter leaves a line to write it on.
NUMBER_LINE = "NHS or other number"
# The visit's reference as `safetycheck list` shows it: the first 12 characters of its id.
VISIT_REFERENCE_LENGTH = 12
NOTES_LENGTH = 240  # the person record's notes are quoted up to this many characters
NOT_ASKED = "not asked"
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
    numbered: bool = False  # the lists are requests: printed 1., 2., …

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
    # What the program knows to match the letter to a record: (label, value) pairs, then the
    # labels of lines left to write on (the program stores no health-service number).
    identifiers: tuple[tuple[str, str], ...]
    write_in: tuple[str, ...]
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


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _in_sentence(text: str) -> str:
    """A finding inside a sentence: "Loose rug" becomes "loose rug" ("AFO …" stays)."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


# ---- the sections ----------------------------------------------------------------------------


def _section(
    title: str, *blocks: LetterBlock | str, urgent: bool = False, numbered: bool = False
) -> LetterSection:
    return LetterSection(
        title,
        tuple(LetterBlock(b) if isinstance(b, str) else b for b in blocks),
        urgent,
        numbered,
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


class _Answers:
    """The person's answers as the letter reads them: only questions the visit asks count, and
    one asked but not answered is "not asked", never "no"."""

    def __init__(self, checklist: Checklist, assessment: Assessment, facts: dict[str, str]):
        self.checklist = checklist
        self.assessment = assessment
        self.facts = facts

    def asked(self, item_id: str) -> bool:
        """Whether the walkthrough asks this question, given the mode and the other answers."""
        if not self.checklist.has_item(item_id):
            return False
        item = self.checklist.item(item_id)
        return item_applies(item, self.facts, self.assessment.mode)

    def value(self, item_id: str) -> str | None:
        """The answer given (None: not asked, or not answered)."""
        return self.facts.get(item_id) if self.asked(item_id) else None

    def label(self, item_id: str) -> str:
        """A choice's answer in its option's words, inside a sentence: "once a night"."""
        value = self.value(item_id)
        if value is None:
            return NOT_ASKED
        return _in_sentence(self.checklist.item(item_id).option_label(value))

    def yes_no(self, item_id: str, yes: str, no: str, unasked: str) -> str | None:
        """The words for a yes, a no, or a question asked but not answered (None: the question
        is not asked at all, as a brace question without a brace)."""
        if not self.asked(item_id):
            return None
        answer = self.facts.get(item_id, "")
        if answer == "na":  # answered: it does not apply, which is not "not asked"
            return "not applicable"
        return {"yes": yes, "no": no}.get(answer, unasked)

    def findings(self, category: str, leaving_out: str = "") -> tuple[list[str], int, int]:
        """The person-level findings of one category (footwear, brace), and how many of its
        questions were answered and not answered (`leaving_out`: one the letter words
        itself)."""
        found: list[str] = []
        answered = unanswered = 0
        for item in self.checklist.items:
            if item.category != category or not item.person_level or item.id == leaving_out:
                continue
            if not self.asked(item.id):
                continue
            answer = self.assessment.answer(item.id)
            if answer is None:
                unanswered += 1
                continue
            answered += 1
            if item.finding and is_hazard(item, answer):
                found.append(_in_sentence(item.finding))
        return found, answered, unanswered


def _joined(*parts: str | None) -> str:
    return "; ".join(part for part in parts if part)


def _topic(name: str, *parts: str | None) -> str:
    """One fact line: "Eyesight: …; …", or just "not asked" when no part was answered."""
    given = [part for part in parts if part]
    if all(part.endswith(NOT_ASKED) for part in given):
        return f"{name}: {NOT_ASKED}."
    return f"{name}: {'; '.join(given)}."


def _foot_drop(answers: _Answers) -> str | None:
    present = answers.yes_no("person.fd.present", "yes", "no", NOT_ASKED)
    if present != "yes":
        return present and f"Foot drop: {present}."
    side = answers.value("person.fd.side")
    cause = answers.value("person.fd.cause")
    if cause is None:
        cause_words = "cause not asked"
    elif cause == "unknown":
        cause_words = "cause not known"
    else:
        cause_words = f"cause as reported: {answers.label('person.fd.cause')}"
    brace = {
        "afo": "wears an ankle-foot orthosis (AFO)",
        "fes": "uses a functional electrical stimulation device (FES)",
        "other_brace": "wears another brace or splint",
        "none": "no brace",
    }
    details = _joined(
        {"left": "left side", "right": "right side", "both": "both sides"}.get(
            side or "", "side not asked"
        ),
        cause_words,
        answers.yes_no(
            "person.fd.seen",
            "examined by a doctor or specialist",
            "not yet examined by a doctor or specialist",
            "whether a doctor has examined it: not asked",
        ),
        brace.get(answers.value("person.fd.brace") or "", "brace: not asked"),
        answers.yes_no(
            "person.fd.numbness",
            "numbness or tingling on the top of the foot or the outer shin",
            "no numbness on the top of the foot or the outer shin",
            "numbness on the top of the foot or the outer shin: not asked",
        ),
    )
    return f"Foot drop: {details}."


def _footwear_and_brace(answers: _Answers) -> list[str]:
    """What is worn at home, the footwear findings, and (with foot drop) the brace and skin
    findings; questions left unanswered are counted, never taken as fine."""
    footwear, answered, unanswered = answers.findings("footwear", leaving_out="footwear.indoor")
    at_home = answers.label("footwear.indoor")
    if at_home == NOT_ASKED and not answered:
        lines = [f"Footwear: {NOT_ASKED}."]
    else:
        shoes = [f"Footwear at home: {at_home}", *footwear]
        if unanswered:
            shoes.append(f"{_plural(unanswered, 'other footwear question')} not asked")
        lines = [_sentence("; ".join(shoes))]
    if answers.value("person.fd.present") == "yes":
        brace, answered, unanswered = answers.findings("brace")
        if not answered:
            checks = NOT_ASKED
        else:
            checks = "; ".join(brace) if brace else "no problem found"
            if unanswered:
                checks += f" ({_plural(unanswered, 'question')} not asked)"
        lines.append(_sentence(f"Brace and skin checks: {checks}"))
    return lines


def _feeling_and_diabetes(answers: _Answers) -> list[str]:
    lines: list[str] = []
    feeling = answers.yes_no(
        "steadi.si.09", "some feeling lost, as reported", "no loss reported", NOT_ASKED
    )
    if feeling:
        lines.append(f"Feeling in the feet: {feeling}.")
    diabetes = answers.yes_no("person.diabetes", "yes", "no", NOT_ASKED)
    if diabetes:
        control = answers.yes_no(
            "person.habit.blood_sugar",
            "blood sugar checked and in the range advised, as reported",
            "blood sugar not well controlled, as reported",
            "blood sugar control not asked",
        )
        lines.append(_topic("Diabetes", diabetes, control))
    return lines


def _walking_aid(answers: _Answers) -> str | None:
    if answers.asked("person.walking_aid"):  # asked in the therapist's mode
        return f"Walking aid at home: {answers.label('person.walking_aid')}."
    aid = answers.yes_no(
        "steadi.si.02",
        "uses a cane or walker, or has been advised to",
        "none used or advised",
        NOT_ASKED,
    )
    return aid and f"Walking aid: {aid}."


def _vision_and_medicines(answers: _Answers) -> list[str]:
    vision = _topic(
        "Eyesight",
        answers.label("person.vision"),
        answers.yes_no(
            "person.habit.vision_check",
            "eyes checked in the past year",
            "no eye check in the past year",
            "eye check in the past year: not asked",
        ),
    )
    count = answers.value("person.medicines")
    medicines = _topic(
        "Medicines",
        {
            "few": "fewer than four a day",
            "four_plus": "four or more a day",
            "unknown": "how many a day not known",
        }.get(count or "", "how many a day not asked"),
        answers.yes_no(
            "steadi.si.11",
            "takes medicine for sleep or mood",
            "no medicine for sleep or mood",
            "medicine for sleep or mood: not asked",
        ),
        answers.yes_no(
            "steadi.si.10",
            "a medicine sometimes makes them light-headed or more tired than usual",
            "none makes them light-headed or more tired than usual",
            "light-headedness or tiredness from a medicine: not asked",
        ),
        answers.yes_no(
            "person.habit.meds_review",
            "reviewed by a doctor or pharmacist in the past year",
            "not reviewed in the past year",
            "review in the past year: not asked",
        ),
    )
    return [vision, medicines]


def _night(answers: _Answers) -> str:
    trips = answers.value("person.night_toilet")
    words = "none" if trips == "none" else answers.label("person.night_toilet")
    hurry = answers.yes_no(
        "steadi.si.08", "often has to hurry to the toilet", "", "hurrying: not asked"
    )
    return _topic("Night-time toilet trips", words, hurry)


def _about(answers: _Answers) -> LetterSection:
    """The person's facts, each from the answers given and in the options' words."""
    facts = [
        _foot_drop(answers),
        *_footwear_and_brace(answers),
        *_feeling_and_diabetes(answers),
        _walking_aid(answers),
        *_vision_and_medicines(answers),
        _night(answers),
    ]
    blocks: list[LetterBlock | str] = [
        LetterBlock("As answered at the visit:", tuple(fact for fact in facts if fact))
    ]
    notes = " ".join(answers.assessment.person.notes.split())
    if notes:
        if len(notes) > NOTES_LENGTH:
            notes = notes[: NOTES_LENGTH - 1].rstrip() + "… (the rest is in the record)"
        blocks.append(f"Notes in the person's record, as written there: {notes}")
    return _section(ABOUT, *blocks)


def _level_requests(evaluation: Evaluation, value: Callable[[str], str | None]) -> list[str]:
    """The falls risk assessment the screen and the level call for, and what settles the
    level."""
    strat = evaluation.result.stratification
    level = strat.range.known
    screened = evaluation.result.stay_independent.at_risk is True
    requests: list[str] = []
    if level is Level.HIGH:
        # World Falls Guidelines 2022: high risk -> a multifactorial falls risk assessment and a
        # tailored intervention (clinical.md 8.1).
        because = "high risk by the World Falls Guidelines 2022"
        if screened:
            because = f"screened at risk by CDC STEADI; {because}"
        requests.append(
            "Please consider a multifactorial falls risk assessment and an intervention "
            f"tailored to it ({because})."
        )
    elif screened:
        # CDC STEADI algorithm: a person screened at risk goes on to an assessment of the
        # modifiable risk factors (clinical.md 1.2); the guidelines' own advice for the group
        # is said beside it (clinical.md 8.1).
        if level is not None:
            group = f"{level.guideline_word} risk by the World Falls Guidelines 2022"
            group += f", which advise {MANAGEMENT[level]}"
        else:
            words = _level_words(strat.range)
            group = f"level by the World Falls Guidelines 2022 not yet settled: {words}"
        requests.append(
            "Please consider a multifactorial falls risk assessment (screened at risk by CDC "
            f"STEADI; {group})."
        )
    if strat.needs_gait_test:
        # World Falls Guidelines 2022: a case-found person is stratified by gait and balance
        # (TUG over 15 s or gait speed under 0.8 m/s: intermediate); clinical.md 8.1 and 8.3.
        requests.append(
            "No walking and balance test yet: please consider one, such as the Timed Up and "
            "Go, to settle the level."
        )
    if value("person.fall.blackout") == "yes":
        # World Falls Guidelines 2022: loss of consciousness or suspected syncope is a severity
        # sign of a fall (clinical.md 8.1).
        requests.append(
            "A fall with a blackout, or with no memory of how it happened: please consider the "
            "cause (possible syncope)."
        )
    return requests


def _medicine_requests(value: Callable[[str], str | None]) -> list[str]:
    to_review = [
        # Stay Independent item 11; sedatives, hypnotics and antidepressants raise the chance
        # of falling (Woolcott 2009, clinical.md 4.2).
        "the sleep or mood medicine" if value("steadi.si.11") == "yes" else None,
        # Stay Independent item 10; World Falls Guidelines 2022: medication review.
        "the medicine that sometimes causes light-headedness or tiredness"
        if value("steadi.si.10") == "yes"
        else None,
    ]
    named = [medicine for medicine in to_review if medicine]
    requests = [f"Please review {' and '.join(named)}."] if named else []
    review = _joined(
        # Four or more medicines: the usual polypharmacy line (clinical.md 4.2; World Falls
        # Guidelines 2022, medication review).
        "four or more medicines daily" if value("person.medicines") == "four_plus" else None,
        # No review by a doctor or pharmacist in the past year (CDC Check for Safety).
        "none in the past year" if value("person.habit.meds_review") == "no" else None,
    )
    if review:
        requests.append(f"Please consider a medication review ({review}).")
    return requests


def _body_requests(value: Callable[[str], str | None]) -> list[str]:
    """Bladder, eyesight, feet and mood."""
    requests: list[str] = []
    bladder = _joined(
        # Nocturia twice or more a night: RR 1.20 for falls (Pesonen 2020, clinical.md 4.2).
        "twice or more a night" if value("person.night_toilet") == "twice" else None,
        # Stay Independent item 8: often rushing to the toilet (urinary urgency, clinical.md
        # 4.2).
        "often has to hurry to the toilet" if value("steadi.si.08") == "yes" else None,
    )
    if bladder:
        # The family's words, not a clinical label on them.
        if value("person.night_toilet") == "twice":
            requests.append(f"Night-time toilet trips: {bladder}. Please consider the cause.")
        else:
            requests.append(f"{bladder[0].upper()}{bladder[1:]}. Please consider the cause.")
    no_check = value("person.habit.vision_check") == "no"
    check = "; no eye check in the past year" if no_check else ""
    vision = value("person.vision")
    if vision == "multifocal":
        # Multifocal glasses when walking: OR 2.29 (Lord 2002, clinical.md 4.2); World Falls
        # Guidelines 2022: vision.
        requests.append(
            f"Vision: bifocal or varifocal glasses worn when walking{check}. An optician review "
            "of single-vision distance glasses may help."
        )
    elif vision == "poor":
        # Poor eyesight even with glasses (clinical.md 4.2; World Falls Guidelines 2022).
        requests.append(
            f"Vision: poor even with glasses{check}. Please consider an eye examination."
        )
    elif no_check:
        # CDC Check for Safety: a yearly eye check.
        requests.append("No eye check in the past year: an eye test may help.")
    if value("steadi.si.09") == "yes":
        # Stay Independent item 9; peripheral neuropathy HR 1.48 for falls (ARIC 2023,
        # clinical.md 4.2); STEADI assesses the feet and footwear.
        with_diabetes = " (the person has diabetes)" if value("person.diabetes") == "yes" else ""
        requests.append(
            f"Some feeling lost in the feet, as reported{with_diabetes}. Please consider a "
            "foot sensation check."
        )
    if value("person.habit.blood_sugar") == "no":
        # The checklist's diabetes question: blood sugar out of range causes dizziness and
        # numb feet (foot-drop guidance, data/checklist/person.toml).
        requests.append("Diabetes: blood sugar reported as not well controlled. Please review.")
    if value("steadi.si.12") == "yes":
        # Stay Independent item 12; depression and falls (clinical.md 4.2).
        requests.append("Often feels sad or down, as reported. Please consider assessing mood.")
    return requests


def _foot_drop_requests(value: Callable[[str], str | None]) -> list[str]:
    cause_unknown = value("person.fd.cause") == "unknown"
    not_seen = value("person.fd.seen") == "no"
    if cause_unknown or not_seen:
        # Foot drop without a known cause, or not yet examined: early evaluation can improve
        # function (data/model/model.toml [[screening]] foot_drop_cause; footdrop guidance).
        what = _joined(
            "with a cause not known to the person or family, as answered"
            if cause_unknown
            else None,
            "not yet examined by a doctor or specialist" if not_seen else None,
        )
        return [f"Foot drop {what}: please consider referral to find the cause."]
    return []


def _requests(answers: _Answers, evaluation: Evaluation) -> LetterSection | None:
    """What the letter asks of the doctor: one request for each answer given that calls for
    one, in the doctor's words, each with a comment citing its source. Each says what it
    follows from; none is a diagnosis."""
    value = answers.value
    requests = [
        *_level_requests(evaluation, value),
        *_medicine_requests(value),
        *_body_requests(value),
        *_foot_drop_requests(value),
    ]
    if not requests:
        return None
    return _section(
        REQUESTS,
        LetterBlock("From what was found at the visit:", tuple(requests)),
        numbered=True,
    )


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
    answers = _Answers(checklist, assessment, facts)
    # The requests come straight after the warning signs, for a doctor who reads only the
    # first page; the facts they follow from come next.
    sections = [_warning_signs(evaluation)]
    requests = _requests(answers, evaluation)
    if requests is not None:
        sections.append(requests)
    sections.append(_about(answers))
    sections += [
        _screen(evaluation.result.stay_independent),
        _level(evaluation),
        _falls(assessment.falls, first_visit),
    ]
    gait = _gait(rules, assessment, facts)
    if gait is not None:
        sections.append(gait)
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
        identifiers=(
            ("Name", person.name),
            ("Year of birth", str(person.birth_year) if person.birth_year else "not recorded"),
            ("Visit date", long_date(assessment.date)),
            ("Visit reference", assessment.id[:VISIT_REFERENCE_LENGTH]),
        ),
        write_in=(NUMBER_LINE,),
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
