"""Events record their transaction id and notify listeners (PostgreSQL followers without a global lock).

Revision ID: events_txid_notify
Revises: reports_ikm_supervision
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision: str = "events_txid_notify"
down_revision: str | None = "reports_ikm_supervision"
branch_labels = None
depends_on = None

# db.models.EVENTS_DDL as it was at this revision (events_notify_services changes the function).
EVENTS_DDL = (
    "ALTER TABLE events ALTER COLUMN txid SET DEFAULT pg_current_xact_id()::text::bigint",
    "CREATE OR REPLACE FUNCTION antre_notify_events() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN PERFORM pg_notify('antre_events', ''); RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER events_notify AFTER INSERT ON events "
    "FOR EACH STATEMENT EXECUTE FUNCTION antre_notify_events()",
)


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("txid", sa.BigInteger(), nullable=True))
        batch.create_index("ix_events_txid_id", ["txid", "id"])
    if op.get_bind().dialect.name == "postgresql":
        # Events written before this revision committed long ago: they sort first, in id order.
        op.execute("UPDATE events SET txid = 0 WHERE txid IS NULL")
        for statement in EVENTS_DDL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_notify ON events")
        op.execute("DROP FUNCTION IF EXISTS antre_notify_events()")
    with op.batch_alter_table("events") as batch:
        batch.drop_index("ix_events_txid_id")
        batch.drop_column("txid")
