"""The letter for the doctor, as values: each section says what the answers say, and only that.
Red flags come with their urgency; what was not asked is never said as "none"; a score always
comes with what it means; nothing reads as a diagnosis."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from factories import make_assessment

from safetycheck.content import Content
from safetycheck.domain.assessment import Assessment, Assessor, Prescription, VisitStatus
from safetycheck.domain.checklist import Mode
from safetycheck.domain.evaluation import evaluate
from safetycheck.domain.falls import Fall, FallPlace, FallsSinceLastVisit, Seen
from safetycheck.domain.letter import (
    EXERCISES,
    FALLS,
    GAIT,
    LEVEL,
    PLAN,
    REVIEW,
    SCREEN,
    WARNING_SIGNS,
    DoctorLetter,
    LetterSection,
    build_doctor_letter,
)

TODAY = date(2026, 12, 2)


def letter(
    content: Content, assessment: Assessment, first_visit: bool | None = True
) -> DoctorLetter:
    return build_doctor_letter(
        content, assessment, evaluate(content, assessment), today=TODAY, first_visit=first_visit
    )


def section(built: DoctorLetter, title: str) -> LetterSection:
    found = built.section(title)
    assert found is not None, f"no section {title!r} in {[s.title for s in built.sections]}"
    return found


def everything(built: DoctorLetter) -> str:
    return " ".join(
        [built.regarding, built.opening, built.in_brief, built.notice, built.closing]
        + [s.title + " " + s.text() for s in built.sections]
    )


# ---- the warning signs -----------------------------------------------------------------------


def test_red_flags_come_framed_with_their_urgency_most_urgent_first(content: Content) -> None:
    assessment = make_assessment(
        content, {"person.rf.new_weakness": "yes", "person.rf.stroke": "yes"}
    )
    built = letter(content, assessment)
    assert built.sections[0].title == WARNING_SIGNS
    signs = section(built, WARNING_SIGNS)
    assert signs.urgent
    flags = signs.blocks[0].bullets
    assert flags[0].startswith("Call the emergency number now: Sudden weakness or numbness")
    assert flags[1].startswith("Get seen today: Foot drop or leg weakness that is new")
    assert "2 warning signs reported (most urgent: call the emergency number now)" in (
        built.in_brief
    )


def test_no_red_flag_is_said_only_when_every_question_was_asked(content: Content) -> None:
    built = letter(content, make_assessment(content))
    signs = section(built, WARNING_SIGNS)
    assert not signs.urgent
    assert signs.text() == "Every warning-sign question was asked; none was answered yes."
    assert "no warning signs (every question asked)" in built.in_brief


def test_warning_signs_not_asked_are_listed_never_said_as_none(content: Content) -> None:
    # Only the stroke question answered (no): the others are not asked.
    assessment = make_assessment(content, {"person.rf.stroke": "no"}, complete=False)
    built = letter(content, assessment)
    signs = section(built, WARNING_SIGNS)
    assert "were not asked" in signs.text()
    assert "none was answered yes" not in everything(built)
    assert any("loss of bladder or bowel control" in b for b in signs.blocks[0].bullets)
    assert not any("stroke" in b for b in signs.blocks[0].bullets)  # asked: not listed
    assert "no warning sign reported so far, but" in built.in_brief
    # Marked finished with questions open: the letter says so before anything else.
    assert built.notice.startswith("This visit was finished with ")
    assert "questions unanswered" in built.notice


# ---- the screen and the level ----------------------------------------------------------------


def test_the_stay_independent_score_comes_with_its_meaning(content: Content) -> None:
    at_risk = letter(
        content,
        make_assessment(
            content, {"steadi.si.02": "yes", "steadi.si.06": "yes", "steadi.si.07": "yes"}
        ),
    )
    text = section(at_risk, SCREEN).text()
    assert text.startswith(
        "Score 4 of 14 on its 12 yes/no questions: 4 or more, so the person may be at risk "
        "of falling."
    )
    low = section(letter(content, make_assessment(content)), SCREEN).text()
    assert "Score 0 of 14 on its 12 yes/no questions: under 4, the brochure's at-risk line." in low
    assert "key question" not in low


def test_an_unfinished_screen_says_how_many_questions_are_missing(content: Content) -> None:
    answers = {f"steadi.si.{n:02d}": "no" for n in range(1, 10)}
    built = letter(content, make_assessment(content, answers, complete=False))
    text = section(built, SCREEN).text()
    assert text == (
        "No total yet: 3 questions of the 12 are unanswered (0 points from those answered; "
        "4 or more of the 14 would mean the person may be at risk of falling)."
    )
    assert "Score" not in text


def test_a_key_question_screens_whatever_the_total(content: Content) -> None:
    built = letter(content, make_assessment(content, {"steadi.si.05": "yes"}))
    text = section(built, SCREEN).text()
    assert "Score 1 of 14 on its 12 yes/no questions: under 4" in text
    assert "Yes to a STEADI key question (is worried about falling)" in text


def test_the_level_is_in_the_guidelines_words_with_its_reasons(content: Content) -> None:
    # Case-found (unsteady), OT mode, a slow Timed Up and Go: intermediate.
    assessment = make_assessment(
        content, {"steadi.si.03": "yes", "person.gait.tug": 16.5}, mode=Mode.OT
    )
    built = letter(content, assessment)
    level = section(built, LEVEL)
    assert level.blocks[0].text.startswith("Stratified as intermediate risk (called moderate")
    reasons = level.blocks[0].bullets
    assert any(r.startswith("Screened at risk (case finding): feels unsteady") for r in reasons)
    assert any("Timed Up and Go 16.5 s (over 15 s)" in r for r in reasons)
    assert "the guidelines advise targeted exercise for strength and balance" in level.text()
    assert built.in_brief.startswith("In brief: intermediate falls risk;")


def test_an_unsettled_level_says_what_would_settle_it(content: Content) -> None:
    # Caregiver mode has no walking test: a case-found person is low to intermediate.
    built = letter(content, make_assessment(content, {"steadi.si.03": "yes"}))
    level = section(built, LEVEL)
    assert level.blocks[0].text.startswith("Not yet settled: the level is between low and")
    assert "To settle it: a gait and balance test" in level.text()
    assert "the guidelines advise" not in level.text()  # no group yet, so no management


# ---- the falls -------------------------------------------------------------------------------


def with_falls(assessment: Assessment, report: FallsSinceLastVisit | None) -> Assessment:
    return replace(assessment, falls=report)


def test_falls_not_asked_are_never_none(content: Content) -> None:
    since = date(2026, 9, 1)
    asked_not = with_falls(make_assessment(content), FallsSinceLastVisit(None, since_date=since))
    built = letter(content, asked_not, first_visit=False)
    text = section(built, FALLS).text()
    assert text == "Not asked at this visit (the last visit was on 1 September 2026)."
    assert "falls since the last visit not asked" in built.in_brief
    none = with_falls(make_assessment(content), FallsSinceLastVisit(0, since_date=since))
    assert section(letter(content, none, False), FALLS).text() == (
        "None since the last visit on 1 September 2026."
    )


def test_falls_on_a_first_visit_and_in_a_file(content: Content) -> None:
    first = section(letter(content, make_assessment(content), first_visit=True), FALLS)
    assert first.text().startswith("This was the first visit")
    unknown = section(letter(content, make_assessment(content), first_visit=None), FALLS)
    assert unknown.text().startswith("Not recorded: this may be a first visit")


def test_each_fall_described_with_what_is_not_known(content: Content) -> None:
    falls = (
        Fall(
            "2026-10",
            "yes",
            FallPlace.ROOM,
            "k1",
            "Bathroom",
            "Slipped  getting out",
            Seen.HOSPITAL,
        ),
        Fall("", "unknown", FallPlace.UNKNOWN, None, "", "", Seen.UNKNOWN),
    )
    report = FallsSinceLastVisit(3, falls, since_date=date(2026, 9, 1))
    built = letter(content, with_falls(make_assessment(content), report), first_visit=False)
    block = section(built, FALLS).blocks[0]
    assert block.text == ("3 falls since the last visit on 1 September 2026. 2 of them described.")
    assert block.bullets == (
        "October 2026: at home, in the Bathroom; hurt; seen at a hospital. What happened: "
        "Slipped getting out.",
        "Month not known: place not known; not known whether hurt; not known whether a doctor "
        "saw them.",
    )
    assert "3 falls since the last visit" in built.in_brief


# ---- the walking test ------------------------------------------------------------------------


def test_the_gait_test_is_there_only_when_done_with_both_cut_offs(content: Content) -> None:
    between = make_assessment(content, {"person.gait.tug": 13.0}, mode=Mode.OT)
    text = section(letter(content, between), GAIT).text()
    assert text == (
        "Timed Up and Go: 13 s, not impaired gait and balance by the World Falls Guidelines' "
        "cut-off (over 15 s is impaired); at risk by CDC STEADI's (12 s or more is at risk)."
    )  # between the two cut-offs: never said as just fine
    unable = make_assessment(content, {"person.gait.test": "unable"}, mode=Mode.OT)
    assert "could not do a walking test safely" in section(letter(content, unable), GAIT).text()
    not_done = make_assessment(content, {"person.gait.test": "not_done"}, mode=Mode.OT)
    assert letter(content, not_done).section(GAIT) is None
    assert letter(content, make_assessment(content)).section(GAIT) is None  # caregiver: none
    speed = make_assessment(
        content, {"person.gait.test": "speed", "person.gait.speed": 0.6}, mode=Mode.OT
    )
    text = section(letter(content, speed), GAIT).text()
    assert text == (
        "Gait speed: 0.6 m/s, impaired gait and balance by the World Falls Guidelines' cut-off "
        "(under 0.8 m/s is impaired)."
    )
    assert "STEADI" not in text


# ---- medicines and eyesight ------------------------------------------------------------------


def test_medicines_and_eyesight_answers_that_call_for_a_review(content: Content) -> None:
    assessment = make_assessment(
        content,
        {
            "steadi.si.11": "yes",
            "person.medicines": "unknown",
            "person.habit.meds_review": "no",
        },
    )
    bullets = section(letter(content, assessment), REVIEW).blocks[0].bullets
    assert "Medicines: Do you take medicine to help you sleep or to lift your mood? Yes." in (
        bullets
    )
    assert any(
        b.startswith("Medicines: How many medicines") and b.endswith("Not known.") for b in bullets
    )
    assert "Medicines: Medicines not reviewed in the past year." in bullets
    assert "Eyesight: asked; no answer calls for a review." in bullets


def test_review_questions_not_asked_are_said_so(content: Content) -> None:
    assessment = make_assessment(content, {"person.vision": "poor"}, complete=False)
    bullets = section(letter(content, assessment), REVIEW).blocks[0].bullets
    assert any(b.startswith("Eyesight: How well does the person see") for b in bullets)
    assert any(
        b.startswith("Eyesight, not asked yet: Has the person had their eyes") for b in bullets
    )
    assert any(b.startswith("Medicines, not asked yet:") for b in bullets)
    assert not any("no answer calls for a review" in b for b in bullets)


# ---- the plan, the exercises, the sign-off ---------------------------------------------------


def test_what_the_plan_changes_counts_and_names_the_first_fixes(content: Content) -> None:
    assessment = make_assessment(
        content,
        {"steadi.si.08": "yes"},
        changes={("room.floors.rugs", "r2"): "no", ("room.light.night_light", "r5"): "no"},
    )
    plan = section(letter(content, assessment), PLAN)
    assert plan.blocks[0].text.startswith("The home action plan lists ")
    assert " 2 in the home (with footwear and the brace)" in plan.blocks[0].text
    fixes = plan.blocks[1].text
    assert fixes.startswith("The first fixes in the home: ")
    assert "loose rug or mat (Hallway)" in fixes
    assert "(Bedroom)" in fixes
    doctor = plan.blocks[-1]
    assert doctor.text == "The plan asks the family to raise these with you:"
    assert any("rushing" in b for b in doctor.bullets)  # the urgency factor's advice


def test_nothing_to_fix_is_said_only_as_the_answers_allow(content: Content) -> None:
    complete = section(letter(content, make_assessment(content)), PLAN).text()
    assert complete == "The home action plan has nothing left to do."
    partial = make_assessment(content, {"steadi.si.01": "no"}, complete=False)
    assert (
        "so far; not every question is answered yet"
        in section(letter(content, partial), PLAN).text()
    )


def test_exercises_given_with_the_dose_as_prescribed(content: Content) -> None:
    plain = make_assessment(content, mode=Mode.OT)
    assert letter(content, plain).section(EXERCISES) is None
    prescribed = replace(
        plain,
        exercises=(
            Prescription("heel_walking", "5 steps, once a day"),
            Prescription("toe_lifts"),
        ),
    )
    bullets = section(letter(content, prescribed), EXERCISES).blocks[0].bullets
    assert bullets == ("Heel walking: 5 steps, once a day.", "Toe lifts: 10 lifts, twice a day.")


def test_the_sign_off_and_the_header(content: Content) -> None:
    assessment = replace(
        make_assessment(content, mode=Mode.OT),
        assessor=Assessor(
            "Priya Nair", Mode.OT, "HCPC OT12345", "Northside Community OT", "020 7946 0000"
        ),
        next_review=date(2027, 3, 1),
    )
    built = letter(content, assessment)
    assert built.to == "To the person's doctor"
    assert built.regarding == "Re: Test Person, born 1944"
    assert built.letter_date == TODAY
    sign = built.sign_off
    assert (sign.name, sign.role, sign.credentials) == (
        "Priya Nair",
        "Occupational therapist",
        "HCPC OT12345",
    )
    assert (sign.organisation, sign.contact) == ("Northside Community OT", "020 7946 0000")
    assert (sign.signed_on, sign.next_review) == (TODAY, date(2027, 3, 1))
    assert built.opening.startswith("I assessed Test Person's risk of falling")
    unknown_year = replace(assessment, person=replace(assessment.person, birth_year=None))
    assert letter(content, unknown_year).regarding == (
        "Re: Test Person, year of birth not recorded"
    )


def test_an_unfinished_visit_says_so(content: Content) -> None:
    assessment = replace(make_assessment(content), status=VisitStatus.IN_PROGRESS)
    assert letter(content, assessment).notice.startswith("This visit is not marked finished")
    assert letter(content, make_assessment(content)).notice == ""


def test_nothing_reads_as_a_diagnosis_and_no_bare_score(content: Content) -> None:
    busy = make_assessment(
        content,
        {"steadi.si.01": "yes", "person.fall.injured": "yes", "person.rf.leg_new": "yes"},
        changes={("room.floors.rugs", "r2"): "no"},
    )
    text = everything(letter(content, busy)).lower()
    assert "diagnos" not in text.replace("does not diagnose", "")
    # The program's weighted score has no clinical meaning of its own: it is not in the letter.
    assert "points below add up" not in text
    assert "high risk" in text  # a fall with an injury: high, in the guidelines' word
