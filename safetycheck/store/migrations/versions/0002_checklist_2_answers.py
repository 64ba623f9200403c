"""checklist 2.0: carry two brace-skin answers over to the questions that replace them

Checklist 2.0 asks every warning-sign question the same way round (Yes = the sign is there).
Two checklist 1.0 questions asked it the other way round; their answers are exact opposites of
the new questions', so each is copied over, inverted, wherever the new question has no answer.
The old answers stay as they were (nothing scores them; an export still carries them). No table
changes. The database is copied before this runs (store/database.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen here (a migration must not read today's content): (old item, new item, value map,
# the answers under which checklist 1.0 asked the old item). An answer kept from before its
# question stopped applying is not carried.
BRACE = ("afo", "other_brace")
CARRIED = (
    (
        "brace.skin.intact",
        "brace.skin.damage",
        {"yes": "no", "no": "yes"},
        {"person.fd.brace": BRACE},
    ),
    (
        "brace.skin.fade30",
        "brace.skin.red30",
        {"yes": "no", "no": "yes"},
        {"person.fd.brace": BRACE, "brace.skin.fade20": ("no",)},
    ),
)

answers = sa.table(
    "answers",
    sa.column("id", sa.String),
    sa.column("assessment_id", sa.String),
    sa.column("item_id", sa.String),
    sa.column("room_id", sa.String),
    sa.column("value_text", sa.String),
    sa.column("value_number", sa.Float),
    sa.column("unit", sa.String),
    sa.column("note", sa.Text),
    sa.column("answered_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer),
)


def upgrade() -> None:
    connection = op.get_bind()
    for old, new, values, asked_when in CARRIED:
        gates = _person_answers(connection, set(asked_when))
        taken = {
            row.assessment_id
            for row in connection.execute(
                sa.select(answers.c.assessment_id).where(
                    answers.c.item_id == new, answers.c.room_id.is_(None)
                )
            )
        }
        rows = connection.execute(
            sa.select(answers).where(answers.c.item_id == old, answers.c.room_id.is_(None))
        ).all()
        for row in rows:
            if row.assessment_id in taken or row.value_text not in values:
                continue  # already answered anew, or "not applicable" (no longer offered)
            visit_gates = gates.get(row.assessment_id, {})
            if any(visit_gates.get(item) not in allowed for item, allowed in asked_when.items()):
                continue  # kept from before the question stopped applying
            connection.execute(
                answers.insert().values(
                    id=uuid.uuid4().hex,
                    assessment_id=row.assessment_id,
                    item_id=new,
                    room_id=None,
                    value_text=values[row.value_text],
                    value_number=None,
                    unit="",
                    note=row.note,
                    answered_at=row.answered_at,
                    version=1,
                )
            )


def _person_answers(connection: sa.Connection, items: set[str]) -> dict[str, dict[str, str]]:
    """The person-level answers to these items, by visit."""
    found: dict[str, dict[str, str]] = {}
    rows = connection.execute(
        sa.select(answers.c.assessment_id, answers.c.item_id, answers.c.value_text).where(
            answers.c.item_id.in_(sorted(items)), answers.c.room_id.is_(None)
        )
    )
    for row in rows:
        found.setdefault(row.assessment_id, {})[row.item_id] = row.value_text
    return found


def downgrade() -> None:
    """The carried answers stay: checklist 1.0 never reads those questions, and removing them
    could remove answers given since."""
