"""photos keep a print-size copy, made once when they are attached or imported

(Placeholder: the photos helper of issue 15 fills this in.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-11 10:00:00
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
