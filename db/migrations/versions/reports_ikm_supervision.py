"""reports, IKM survey, supervision: target wait per service, survey tables, supervisor event kinds

Revision ID: reports_ikm_supervision
Revises: web_bookings_apikeys_secrets
Create Date: 2026-11-29 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models

revision: str = "reports_ikm_supervision"
down_revision: str | None = "web_bookings_apikeys_secrets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("issued", "called", "recalled", "started", "finished", "no_show", "requeued", "transferred",
             "cancelled", "held", "resumed", "print_failed", "counter_opened", "counter_closed", "signed_in",
             "signed_out", "sign_in_failed", "locked_out", "pin_changed", "config_loaded")
NEW_KINDS = ("service_opened", "service_closed", "quota_changed", "moved", "operator_saved", "operator_disabled")


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name="event_kind", native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_wait_minutes", sa.Integer(), server_default="30", nullable=False))
    # The kinds are a CHECK constraint: widening it means re-creating it (a table copy on SQLite).
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("kind", type_=_kind(OLD_KINDS + NEW_KINDS), existing_type=_kind(OLD_KINDS),
                              existing_nullable=False)
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("overall", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_survey_responses_agency_id_agencies")),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_survey_responses_counter_id_counters")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"],
                                name=op.f("fk_survey_responses_operator_id_operators")),
        sa.ForeignKeyConstraint(["service_id"], ["services.id"], name=op.f("fk_survey_responses_service_id_services")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_survey_responses_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_survey_responses_ticket_id")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_responses_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index("ix_survey_responses_day_service", ["business_date", "service_id"], unique=False)
    op.create_table(
        "survey_answers",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["survey_responses.id"],
                                name=op.f("fk_survey_answers_response_id_survey_responses"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("response_id", "element", name=op.f("pk_survey_answers")),
    )


def downgrade() -> None:
    op.drop_table("survey_answers")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_responses_day_service")
        batch_op.drop_index(batch_op.f("ix_survey_responses_agency_id"))
    op.drop_table("survey_responses")
    op.execute("DELETE FROM events WHERE kind IN (%s)" % ", ".join(f"'{k}'" for k in NEW_KINDS))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("kind", type_=_kind(OLD_KINDS), existing_type=_kind(OLD_KINDS + NEW_KINDS),
                              existing_nullable=False)
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_column("target_wait_minutes")
