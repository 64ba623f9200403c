"""falls since the last visit; a visit's own wording, priority and who-does-it for its actions

Two new tables hold the falls recorded at a follow-up visit: `falls_reports` (one row per visit
that recorded them: how many, since which earlier visit and its date) and `falls` (one row per
fall described, in the order given). Both go with their visit (ON DELETE CASCADE). A visit
without a row was not asked: that is "not known", never "no falls".

`action_items` gains three nullable columns: the edited text, priority and who-does-it of an
action (NULL: the plan's own). Existing rows keep NULL, so every plan reads as before.

No data changes. The database is copied before this runs (store/database.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_override", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("priority_override", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("who_override", sa.String(length=40), nullable=True))

    op.create_table(
        "falls_reports",
        sa.Column("assessment_id", sa.String(length=32), nullable=False),
        sa.Column("fall_count", sa.Integer(), nullable=False),
        sa.Column("since_visit_id", sa.String(length=32), nullable=True),
        sa.Column("since_date", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_falls_reports_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_falls_reports")),
    )
    op.create_table(
        "falls",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("assessment_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("hurt", sa.String(length=10), nullable=False),
        sa.Column("place", sa.String(length=20), nullable=False),
        sa.Column("room_key", sa.String(length=32), nullable=True),
        sa.Column("room_name", sa.String(length=200), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("seen", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_falls_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_falls")),
    )
    with op.batch_alter_table("falls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_falls_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_index("uq_falls_position", ["assessment_id", "position"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("falls", schema=None) as batch_op:
        batch_op.drop_index("uq_falls_position")
        batch_op.drop_index(batch_op.f("ix_falls_assessment_id"))
    op.drop_table("falls")
    op.drop_table("falls_reports")
    # In place, not in batch mode: a batch copy of action_items would lose its expression
    # index (uq_action_items_slot), which SQLite's reflection cannot see. SQLite 3.35 and newer
    # drop a column in place.
    for column in ("who_override", "priority_override", "text_override"):
        op.drop_column("action_items", column)
