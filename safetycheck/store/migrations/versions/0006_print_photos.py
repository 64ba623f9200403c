"""photos keep a print-size copy, made once when they are attached or imported

`photos` gains three columns: `print_data` (the print-size JPEG, imaging.PRINT_MAX_SIDE on its
long side at most), `print_width` and `print_height`. All three may be NULL and are NULL for
every existing photo: a report makes the copy of such a photo as it always did (a photo
attached or imported from now on has its copy, and its report does not make it again).

The existing photos are not given copies here. Making one decodes, shrinks and encodes the
photo: measured as a migration would do it (read, copy, write back), 44-57 ms of CPU a stored
1600 x 1200 photo on a busy 2-core machine (about 43 ms on a quiet one for the benchmark's
photo), so a practice database of 10,000 photos would keep the program from opening for 7 to
10 minutes, once, at the upgrade. Left NULL, the upgrade costs nothing and those photos'
reports stay as fast as they were.

The columns are added in place (ALTER TABLE ADD COLUMN), never by copying the table. No data
changes. The database is copied before this runs (store/database.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-11 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("photos", sa.Column("print_data", sa.LargeBinary(), nullable=True))
    op.add_column("photos", sa.Column("print_width", sa.Integer(), nullable=True))
    op.add_column("photos", sa.Column("print_height", sa.Integer(), nullable=True))


def downgrade() -> None:
    # In place, not in batch mode: SQLite 3.35 and newer drop a column in place.
    for column in ("print_height", "print_width", "print_data"):
        op.drop_column("photos", column)
