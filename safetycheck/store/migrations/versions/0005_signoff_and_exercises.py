"""the plan's sign-off (the assessor's credentials, organisation, contact; the next review) and
the home exercises prescribed

`assessments` gains four columns: `assessor_credentials`, `assessor_organisation` and
`assessor_contact` (text, NOT NULL, '' for every existing visit: not given) and `next_review`
(a date, NULL for every existing visit: not set). They are added in place (ALTER TABLE ADD
COLUMN), never by copying the table: on SQLite a copy of `assessments` would drop the table
every other table points at.

A new table `prescribed_exercises` holds the home exercises a therapist prescribed at a visit
(visit, position, exercise id, dose), one row per exercise; it goes with its visit (ON DELETE
CASCADE). Existing visits have none, so no exercise page is printed for them.

No data changes. The database is copied before this runs (store/database.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DETAILS = ("assessor_credentials", "assessor_organisation", "assessor_contact")


def upgrade() -> None:
    for column in DETAILS:
        op.add_column(
            "assessments",
            sa.Column(column, sa.String(length=200), server_default="", nullable=False),
        )
    op.add_column("assessments", sa.Column("next_review", sa.Date(), nullable=True))

    op.create_table(
        "prescribed_exercises",
        sa.Column("assessment_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=40), nullable=False),
        sa.Column("dose", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_prescribed_exercises_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "position", name=op.f("pk_prescribed_exercises")),
    )
    op.create_index(
        "uq_prescribed_exercises_exercise",
        "prescribed_exercises",
        ["assessment_id", "exercise_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_prescribed_exercises_exercise", table_name="prescribed_exercises")
    op.drop_table("prescribed_exercises")
    # In place, not in batch mode (see upgrade): SQLite 3.35 and newer drop a column in place.
    for column in ("next_review", *reversed(DETAILS)):
        op.drop_column("assessments", column)
