"""checklist 2.1: carry the pets and bulbs answers of every room over to the whole-home questions

Checklist 2.1 asks "pets underfoot" and "bulbs working" once for the whole home instead of in
every room. Where a visit answered the old question in every one of its rooms and the new one
has no answer, the least safe room answer is stored for the home: a "no" anywhere is a "no";
"not applicable" only when every room said so. A visit with a room left unanswered carries
nothing (that room could have held the hazard): the new question starts unanswered. The rooms'
notes go with it, each after its room's name. The old answers stay as they were (nothing scores
them; an export still carries them). No table changes. The database is copied before this runs
(store/database.py). The same rule reads older files: exchange/assessment_json.py.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen here (a migration must not read today's content): (old item asked in every room, the
# new whole-home item). Both are checks: yes (safe), no (hazard), na (not there).
CARRIED = (
    ("room.floors.pets", "home.floors.pets"),
    ("room.light.bulbs", "home.light.bulbs"),
)
LEAST_SAFE_FIRST = ("no", "yes", "na")
HAZARD = "no"  # both carried questions find their hazard on a "no"
MAX_NOTE = 20_000

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
rooms = sa.table(
    "rooms",
    sa.column("id", sa.String),
    sa.column("assessment_id", sa.String),
    sa.column("name", sa.String),
    sa.column("position", sa.Integer),
)


def upgrade() -> None:
    connection = op.get_bind()
    rooms_of: dict[str, list[Any]] = defaultdict(list)
    for room in connection.execute(sa.select(rooms).order_by(rooms.c.position)):
        rooms_of[room.assessment_id].append(room)
    for old, new in CARRIED:
        taken = {
            row.assessment_id
            for row in connection.execute(
                sa.select(answers.c.assessment_id).where(
                    answers.c.item_id == new, answers.c.room_id.is_(None)
                )
            )
        }
        by_visit: dict[str, dict[str, Any]] = defaultdict(dict)
        for row in connection.execute(
            sa.select(answers).where(answers.c.item_id == old, answers.c.room_id.is_not(None))
        ):
            by_visit[row.assessment_id][row.room_id] = row
        for visit_id, given in by_visit.items():
            home = [room for room in rooms_of.get(visit_id, []) if room.id in given]
            if visit_id in taken or not home:
                continue  # answered anew, or not at all
            values = {given[room.id].value_text for room in home}
            value = next((v for v in LEAST_SAFE_FIRST if v in values), None)
            if value is None or not values <= set(LEAST_SAFE_FIRST):
                continue
            every_room = len(home) == len(rooms_of[visit_id])
            if value != HAZARD and not every_room:
                # A hazard in one room is the home's whatever the others hold; "safe" follows
                # only from every room (one left unanswered could have held the hazard).
                continue
            note = "\n".join(
                f"{room.name}: {given[room.id].note}" for room in home if given[room.id].note
            )
            times = [given[room.id].answered_at for room in home if given[room.id].answered_at]
            connection.execute(
                answers.insert().values(
                    id=uuid.uuid4().hex,
                    assessment_id=visit_id,
                    item_id=new,
                    room_id=None,
                    value_text=value,
                    value_number=None,
                    unit="",
                    note=note[:MAX_NOTE],
                    answered_at=max(times) if times else None,
                    version=1,
                )
            )


def downgrade() -> None:
    """The carried answers stay: checklist 2.0 never reads those questions, and removing them
    could remove answers given since."""
