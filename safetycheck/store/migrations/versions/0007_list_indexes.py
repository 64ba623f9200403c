"""indexes for keyset paging and an index for substring search of names

(Placeholder: the storage helper of issue 15 fills this in.)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-11 11:00:00
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
