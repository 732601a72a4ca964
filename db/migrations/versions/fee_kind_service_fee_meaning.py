"""services: fee_kind (free / fixed / bill) and fee_note_en

A fee of 0 with a note used to read as "free" even when the note named a bill to pay; the kind
says what the fee means. Existing rows get the meaning the old data implied: an amount is
fixed, no amount with a note is a bill, no amount and no note is free.

Revision ID: fee_kind_service_fee_meaning
Revises: 0001
Create Date: 2026-11-29 20:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fee_kind_service_fee_meaning"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fee_kind", sa.String(length=10), server_default="free", nullable=False))
        batch_op.add_column(sa.Column("fee_note_en", sa.String(length=200), server_default="", nullable=False))
    op.execute("UPDATE services SET fee_kind = 'fixed' WHERE fee > 0")
    op.execute("UPDATE services SET fee_kind = 'bill' WHERE fee = 0 AND fee_note <> ''")


def downgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_column("fee_note_en")
        batch_op.drop_column("fee_kind")
