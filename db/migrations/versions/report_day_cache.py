"""report_days: closed business days' report figures, so long reports read few rows

Revision ID: report_day_cache
Revises: counter_priority_run
Create Date: 2026-11-29 20:33:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "report_day_cache"
down_revision: str | None = "counter_priority_run"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("no_shows", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.Column("transferred", sa.Integer(), nullable=False),
        sa.Column("called", sa.Integer(), nullable=False),
        sa.Column("waits", sa.Text(), nullable=False),
        sa.Column("spans", sa.Text(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_report_days_counter_id_counters")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], name=op.f("fk_report_days_operator_id_operators")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_report_days_service_id_services")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_days")),
    )
    with op.batch_alter_table("report_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_days_business_date"), ["business_date"], unique=False)
    op.create_table(
        "report_cached_days",
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("built_at", db.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("business_date", name=op.f("pk_report_cached_days")),
    )


def downgrade() -> None:
    op.drop_table("report_cached_days")
    with op.batch_alter_table("report_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_days_business_date"))
    op.drop_table("report_days")
