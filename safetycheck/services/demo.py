"""Use case: load a realistic sample person with two visits, for trying the program out."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import timedelta

from safetycheck.domain.assessment import ActionState, Person, VisitStatus
from safetycheck.exchange.assessment_json import assessment_from_document
from safetycheck.resources import data_dir
from safetycheck.services.transfer import store_assessment
from safetycheck.services.workspace import Workspace

FIRST_VISIT_DAYS_AGO = 91
# Ticked done on the current visit, so the plan shows a done action with its date and note.
FIXED_AT_THE_VISIT = "room.clutter.paths"
# Fixed on the first visit's plan before the second visit (what the demo shows as "fixed").
DONE_BEFORE_SECOND_VISIT = (
    "room.floors.rugs",
    "room.light.night_light",
    "room.bath.mat",
    "room.bath.grab_tub",
    "room.stairs.rails",
    "footwear.indoor",
)


def create_demo(ws: Workspace) -> str:
    """A new sample person (foot drop with an AFO, up at night) with an earlier and a current
    completed visit; returns the current visit's id. One transaction: an interrupted demo
    leaves nothing behind."""
    folder = data_dir() / "demo"
    person = Person(
        uuid.uuid4().hex,
        "José Álvarez (demo)",
        1951,
        "Sample person created by 'safetycheck demo'. Left foot drop since a lumbar "
        "disc operation; wears an ankle-foot orthosis (AFO) on the left.",
    )
    today = ws.today()
    visits = []
    with ws.unit_of_work() as uow:
        for name, days_ago in (
            ("demo-visit-1.json", FIRST_VISIT_DAYS_AGO),
            ("demo-visit-2.json", 0),
        ):
            document = json.loads((folder / name).read_text(encoding="utf-8"))
            assessment = assessment_from_document(document, ws.content.checklist)
            visit_day = today - timedelta(days=days_ago)
            review = assessment.next_review  # as far after the visit as in the file
            assessment = replace(
                assessment,
                person=person,
                status=VisitStatus.COMPLETED,
                date=visit_day,
                actions=(),
                next_review=review and visit_day + (review - assessment.date),
            )
            visits.append(store_assessment(uow, ws, assessment))
        first_done_on = today - timedelta(days=FIRST_VISIT_DAYS_AGO - 20)
        for action in uow.visits.actions(visits[0]):
            if action.item in DONE_BEFORE_SECOND_VISIT:
                uow.visits.set_action(
                    action,
                    status=ActionState.DONE,
                    done_on=first_done_on,
                    note=action.note,
                    now=ws.now(),
                )
        for action in uow.visits.actions(visits[-1]):  # one fixed while the OT was there
            if action.item == FIXED_AT_THE_VISIT:
                uow.visits.set_action(
                    action,
                    status=ActionState.DONE,
                    done_on=today,
                    note="Cleared with the family during the visit; the boxes went to the garage.",
                    now=ws.now(),
                )
        uow.commit()
    return visits[-1]
