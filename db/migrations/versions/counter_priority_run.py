"""Counters remember their run of priority/regular calls (the priority ratio without reading events).

Revision ID: counter_priority_run
Revises: tickets_report_grain_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "counter_priority_run"
down_revision: str | None = "tickets_report_grain_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.add_column(sa.Column("priority_run", sa.Integer(), nullable=False, server_default=sa.text("0")))
        batch.add_column(sa.Column("run_date", sa.Date(), nullable=True))
    # A counter that called today before the upgrade starts a fresh run: at worst one ticket
    # earlier or later in the ratio, once.


def downgrade() -> None:
    with op.batch_alter_table("counters") as batch:
        batch.drop_column("run_date")
        batch.drop_column("priority_run")
