"""indexes for keyset paging and an index for substring search of names

Keyset paging (a page starts after the last row of the page before) needs an index in each
list's order:

- people by folded name, then id: `ix_people_name_order` (name_folded, id) replaces
  `ix_people_name_folded` (name_folded), which it contains;
- visits newest first (read backwards): `ix_assessments_newest` (visit_date, created_at, id)
  for every visit, and `ix_assessments_person_newest` (person_id, visit_date, created_at, id)
  for one person's, which replaces `ix_assessments_person_date` (person_id, visit_date).

Substring search of the folded names:

- SQLite: an FTS5 table with the trigram tokenizer over `people.name_folded` (external
  content: it keeps only the index, keyed by the people table's rowid), filled from the rows
  there are and kept in step by three triggers. Made only where this SQLite has FTS5 and the
  trigram tokenizer (3.34 or newer); without them the search scans, as before. A later
  migration that copies the `people` table (batch mode) renumbers its rowids: it must then run
  `INSERT INTO people_fts(people_fts) VALUES ('rebuild')`.
- PostgreSQL: a GIN index with pg_trgm's `gin_trgm_ops` on `people.name_folded`, after
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`. If the extension cannot be had (not installed on
  the server, or the role may not create it: from PostgreSQL 13 it is a trusted extension,
  which needs the CREATE privilege on the database), the index is left out and the search
  scans, as before; a warning says so. An administrator can add it later:
      CREATE EXTENSION pg_trgm;
      CREATE INDEX ix_people_name_trigram ON people USING gin (name_folded gin_trgm_ops);

One data change: `people.name_folded` is computed again for the people whose value changes.
The fold of names (store/repositories.py `fold`) now casefolds once more after the
decomposition, which can make capitals ("™" is "TM", "℃" is "°C"); before, such a name was
found ignoring case on one search path and not on another. Only the rows whose folded name
differs are written, before the indexes and the full-text table are made. Downgrade leaves the
refolded names as they are (the old code searches them as well as it did the old ones). No
table is copied. The database is copied before this runs (store/database.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-11 11:00:00
"""

from __future__ import annotations

import logging
import sqlite3
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

FTS = "people_fts"
SQLITE_SEARCH = (
    # case_sensitive 1: the names are folded already, and so is what is searched for.
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(name_folded, content='people', "
    "content_rowid='rowid', tokenize='trigram case_sensitive 1', columnsize=0)",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON people BEGIN "
    f"INSERT INTO {FTS}(rowid, name_folded) VALUES (new.rowid, new.name_folded); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON people BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, name_folded) VALUES ('delete', old.rowid, old.name_folded); "
    "END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF name_folded ON people BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, name_folded) VALUES ('delete', old.rowid, old.name_folded); "
    f"INSERT INTO {FTS}(rowid, name_folded) VALUES (new.rowid, new.name_folded); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
)


REFOLD_BATCH = 10_000  # people read (and their changed names written) per statement


def fold(text: str) -> str:
    """store/repositories.py `fold` as this migration knows it (a copy: a later change to
    that one must not change what this migration did)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold().strip()


def refold_names() -> int:
    """`name_folded` computed again where the fold changed it, a batch of people at a time
    (in the primary key's order); how many were written."""
    people = sa.table(
        "people",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("name_folded", sa.String),
    )
    write = (
        sa.update(people)
        .where(people.c.id == sa.bindparam("key"))
        .values(name_folded=sa.bindparam("folded"))
    )
    connection = op.get_bind()
    written, last = 0, None
    while True:
        query = sa.select(people.c.id, people.c.name, people.c.name_folded)
        if last is not None:
            query = query.where(people.c.id > last)
        rows = connection.execute(query.order_by(people.c.id).limit(REFOLD_BATCH)).all()
        if not rows:
            return written
        changed = [
            {"key": key, "folded": folded}
            for key, name, stored in rows
            if (folded := fold(name)) != stored
        ]
        if changed:
            connection.execute(write, changed)
            written += len(changed)
        last = rows[-1][0]


def sqlite_has_trigram_search() -> bool:
    """Whether this SQLite library has FTS5 with the trigram tokenizer."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        probe.close()
    return True


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    refold_names()  # first: the new indexes and the full-text table are made from the new names
    op.drop_index("ix_people_name_folded", table_name="people")
    op.create_index("ix_people_name_order", "people", ["name_folded", "id"])
    op.drop_index("ix_assessments_person_date", table_name="assessments")
    op.create_index(
        "ix_assessments_person_newest",
        "assessments",
        ["person_id", "visit_date", "created_at", "id"],
    )
    op.create_index("ix_assessments_newest", "assessments", ["visit_date", "created_at", "id"])
    if dialect == "sqlite":
        if sqlite_has_trigram_search():
            for statement in SQLITE_SEARCH:
                op.execute(statement)
        else:
            log.warning("SQLite has no FTS5 trigram tokenizer: name search will scan")
    elif dialect == "postgresql" and _pg_trgm():
        op.create_index(
            "ix_people_name_trigram",
            "people",
            ["name_folded"],
            postgresql_using="gin",
            postgresql_ops={"name_folded": "gin_trgm_ops"},
        )


def _pg_trgm() -> bool:
    """CREATE EXTENSION IF NOT EXISTS pg_trgm, in a savepoint: False (and the migration goes
    on) when it is refused."""
    connection = op.get_bind()
    savepoint = connection.begin_nested()
    try:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        log.warning("no pg_trgm (%s): name search will scan", first)
        return False
    savepoint.commit()
    return True


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_people_name_trigram")  # the extension stays
    op.drop_index("ix_assessments_newest", table_name="assessments")
    op.drop_index("ix_assessments_person_newest", table_name="assessments")
    op.create_index("ix_assessments_person_date", "assessments", ["person_id", "visit_date"])
    op.drop_index("ix_people_name_order", table_name="people")
    op.create_index("ix_people_name_folded", "people", ["name_folded"])
