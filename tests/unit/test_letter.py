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
    ABOUT,
    EXERCISES,
    FALLS,
    GAIT,
    LEVEL,
    PLAN,
    REQUESTS,
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


# ---- about the person ------------------------------------------------------------------------

FOOT_DROP = {
    "person.fd.present": "yes",
    "person.fd.side": "left",
    "person.fd.cause": "back",
    "person.fd.seen": "yes",
    "person.fd.brace": "afo",
    "person.fd.numbness": "yes",
}


def about(built: DoctorLetter) -> tuple[str, ...]:
    return section(built, ABOUT).blocks[0].bullets


def test_about_the_person_says_the_foot_drop_brace_and_feet_as_answered(
    content: Content,
) -> None:
    answers = {
        **FOOT_DROP,
        "steadi.si.09": "yes",
        "person.diabetes": "yes",
        "person.habit.blood_sugar": "no",
        "person.night_toilet": "twice",
        "person.vision": "multifocal",
        "person.medicines": "four_plus",
        "steadi.si.11": "yes",
        "brace.night": "no",
    }
    built = letter(content, make_assessment(content, answers))
    facts = about(built)
    assert facts[0] == (
        "Foot drop: left side; cause as reported: back problem (disc, narrowing of the spine); "
        "examined by a doctor or specialist; wears an ankle-foot orthosis (AFO); numbness or "
        "tingling on the top of the foot or the outer shin."
    )
    assert "Footwear at home: closed shoes with a firm, non-slip sole." in facts
    assert "Brace and skin checks: walking to the toilet at night without the brace." in facts
    assert "Feeling in the feet: some feeling lost, as reported." in facts
    assert "Diabetes: yes; blood sugar not well controlled, as reported." in facts
    assert (
        "Eyesight: wears bifocal, trifocal or varifocal glasses when walking; eyes checked in "
        "the past year." in facts
    )
    assert (
        "Medicines: four or more a day; takes medicine for sleep or mood; none makes them "
        "light-headed or more tired than usual; reviewed by a doctor or pharmacist in the past "
        "year." in facts
    )
    assert "Night-time toilet trips: twice or more a night." in facts
    # Near the top: straight after the warning signs and the requests.
    titles = [s.title for s in built.sections]
    assert titles[:3] == [WARNING_SIGNS, REQUESTS, ABOUT]


def test_about_the_person_says_not_asked_never_no(content: Content) -> None:
    # Only foot drop (cause unknown) and the stroke question answered.
    answers = {"person.fd.present": "yes", "person.fd.cause": "unknown", "person.rf.stroke": "no"}
    facts = about(letter(content, make_assessment(content, answers, complete=False)))
    assert facts[0] == (
        "Foot drop: side not asked; cause not known; whether a doctor has examined it: not "
        "asked; brace: not asked; numbness on the top of the foot or the outer shin: not asked."
    )
    for topic in ("Footwear", "Brace and skin checks", "Feeling in the feet", "Diabetes"):
        assert f"{topic}: not asked." in facts
    for topic in ("Walking aid", "Eyesight", "Medicines", "Night-time toilet trips"):
        assert f"{topic}: not asked." in facts
    text = " ".join(facts).lower()
    for said_as_no in (": no.", "none", "no problem"):
        assert said_as_no not in text
    # Nothing answered about foot drop: not asked, and no brace line at all.
    nothing = about(letter(content, make_assessment(content, {}, complete=False)))
    assert nothing[0] == "Foot drop: not asked."
    assert not any(fact.startswith("Brace") for fact in nothing)


def test_a_safe_visit_says_what_was_answered(content: Content) -> None:
    facts = about(letter(content, make_assessment(content)))
    assert facts[0] == "Foot drop: no."
    assert "Diabetes: no." in facts
    assert "Night-time toilet trips: none." in facts
    assert "Feeling in the feet: no loss reported." in facts
    assert not any(fact.startswith("Brace") for fact in facts)  # no foot drop: no brace line


def test_the_person_records_notes_are_quoted_and_labelled(content: Content) -> None:
    plain = make_assessment(content)
    assert len(section(letter(content, plain), ABOUT).blocks) == 1  # no notes: no line
    noted = replace(plain, person=replace(plain.person, notes="Lives alone.\n Has a cat."))
    notes = section(letter(content, noted), ABOUT).blocks[1].text
    assert notes == "Notes in the person's record, as written there: Lives alone. Has a cat."
    long = replace(plain, person=replace(plain.person, notes="word " * 200))
    cut = section(letter(content, long), ABOUT).blocks[1].text
    assert cut.endswith("… (the rest is in the record)")
    assert len(cut) < 340


# ---- the requests for the doctor -------------------------------------------------------------


def requests(built: DoctorLetter) -> tuple[str, ...]:
    found = section(built, REQUESTS)
    assert found.numbered
    return found.blocks[0].bullets


def test_requests_are_worded_for_the_doctor_from_the_answers_given(content: Content) -> None:
    # The demo's answers: screened at risk, a slow walking test, sleep medicine, four or more
    # medicines, up twice a night, varifocals, numb feet.
    answers: dict[str, str | float] = {
        **FOOT_DROP,
        "steadi.si.03": "yes",
        "steadi.si.05": "yes",
        "steadi.si.09": "yes",
        "steadi.si.11": "yes",
        "person.night_toilet": "twice",
        "person.vision": "multifocal",
        "person.medicines": "four_plus",
        "person.gait.tug": 16.5,
    }
    built = letter(content, make_assessment(content, answers, mode=Mode.OT))
    assert requests(built) == (
        "Please consider a multifactorial falls risk assessment (screened at risk by CDC "
        "STEADI; intermediate risk by the World Falls Guidelines 2022, which advise targeted "
        "exercise for strength and balance).",
        "Please review the sleep or mood medicine.",
        "Please consider a medication review (four or more medicines daily).",
        "Night-time toilet trips: twice or more a night. Please consider the cause.",
        "Vision: bifocal or varifocal glasses worn when walking. An optician review of "
        "single-vision distance glasses may help.",
        "Some feeling lost in the feet, as reported. Please consider a foot sensation check.",
    )
    # Nothing written to the family ("Ask the doctor …") is passed on to the doctor.
    assert "Ask the doctor" not in everything(built)
    assert "raise these with you" not in everything(built)


def test_a_busy_visit_asks_for_each_finding_once(content: Content) -> None:
    answers = {
        "steadi.si.01": "yes",
        "person.fall.injured": "yes",
        "person.fall.blackout": "yes",
        "steadi.si.08": "yes",
        "steadi.si.09": "yes",
        "steadi.si.10": "yes",
        "steadi.si.11": "yes",
        "steadi.si.12": "yes",
        "person.fd.present": "yes",
        "person.fd.cause": "unknown",
        "person.fd.seen": "no",
        "person.diabetes": "yes",
        "person.habit.blood_sugar": "no",
        "person.night_toilet": "twice",
        "person.vision": "poor",
        "person.habit.vision_check": "no",
        "person.medicines": "four_plus",
        "person.habit.meds_review": "no",
    }
    asked = requests(letter(content, make_assessment(content, answers)))
    assert asked == (
        "Please consider a multifactorial falls risk assessment and an intervention tailored "
        "to it (screened at risk by CDC STEADI; high risk by the World Falls Guidelines 2022).",
        "A fall with a blackout, or with no memory of how it happened: please consider the "
        "cause (possible syncope).",
        "Please review the sleep or mood medicine and the medicine that sometimes causes "
        "light-headedness or tiredness.",
        "Please consider a medication review (four or more medicines daily; none in the past "
        "year).",
        "Night-time toilet trips: twice or more a night; often has to hurry to the toilet. "
        "Please consider the cause.",
        "Vision: poor even with glasses; no eye check in the past year. Please consider an eye "
        "examination.",
        "Some feeling lost in the feet, as reported (the person has diabetes). Please consider "
        "a foot sensation check.",
        "Diabetes: blood sugar reported as not well controlled. Please review.",
        "Often feels sad or down, as reported. Please consider assessing mood.",
        "Foot drop with a cause not known to the person or family, as answered; not yet "
        "examined by a doctor or specialist: please consider referral to find the cause.",
    )
    assert not any("diagnos" in request for request in asked)


def test_requests_follow_only_from_answers_actually_given(content: Content) -> None:
    # A safe visit asks for nothing: no section at all.
    assert letter(content, make_assessment(content)).section(REQUESTS) is None
    # "Not known" medicines and unanswered questions ask for nothing either.
    partial = make_assessment(
        content, {"person.medicines": "unknown", "person.fd.present": "yes"}, complete=False
    )
    assert letter(content, partial).section(REQUESTS) is None
    # Foot drop examined, its cause known, feeling in the feet kept: nothing to ask.
    assert letter(content, make_assessment(content, FOOT_DROP)).section(REQUESTS) is None


def test_an_unsettled_level_asks_for_the_walking_test(content: Content) -> None:
    # Caregiver mode, case-found: STEADI screens at risk, the level waits for a walking test.
    built = letter(content, make_assessment(content, {"steadi.si.03": "yes"}))
    assert requests(built) == (
        "Please consider a multifactorial falls risk assessment (screened at risk by CDC "
        "STEADI; level by the World Falls Guidelines 2022 not yet settled: between low and "
        "intermediate).",
        "No walking and balance test yet: please consider one, such as the Timed Up and Go, "
        "to settle the level.",
    )
    # A foot drop of known cause that no doctor has examined: a referral is asked too.
    unseen = make_assessment(content, {**FOOT_DROP, "person.fd.seen": "no"})
    assert requests(letter(content, unseen))[-1] == (
        "Foot drop not yet examined by a doctor or specialist: please consider referral to "
        "find the cause."
    )


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
    assert len(plan.blocks) == 2  # the family's own requests are not copied to the doctor
    # The urgency factor's request is the doctor's own, among the requests.
    urgency = "Often has to hurry to the toilet. Please consider the cause."
    assert urgency in section(letter(content, assessment), REQUESTS).blocks[0].bullets


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
    assert ("Year of birth", "not recorded") in letter(content, unknown_year).identifiers


def test_the_identifiers_match_the_visit_to_a_record(content: Content) -> None:
    visit = replace(make_assessment(content), id="042e56b57bfe40979b0fe7117a845bf0")
    built = letter(content, visit)
    assert built.identifiers == (
        ("Name", "Test Person"),
        ("Year of birth", "1944"),
        ("Visit date", "26 November 2026"),
        ("Visit reference", "042e56b57bfe"),  # as `safetycheck list` shows it
    )
    assert built.write_in == ("NHS or other number",)  # not stored: a line to write on


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
