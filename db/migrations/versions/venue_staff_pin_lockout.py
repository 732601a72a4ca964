"""venue: lockout count of the kiosks' staff PIN

Revision ID: venue_staff_pin_lockout
Revises: events_txid_notify
Create Date: 2026-11-29 20:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "venue_staff_pin_lockout"
down_revision: str | None = "events_txid_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_failed_attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("staff_locked_until", db.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.drop_column("staff_locked_until")
        batch_op.drop_column("staff_failed_attempts")
