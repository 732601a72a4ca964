"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 16:29:50.854144
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.models


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('color', sa.String(length=9), nullable=False),
    sa.Column('icon', sa.String(length=200), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('code', name=op.f('uq_agencies_code'))
    )
    op.create_table('venue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('code_format', sa.String(length=64), nullable=False),
    sa.Column('priority_every', sa.Integer(), nullable=False),
    sa.Column('regular_every', sa.Integer(), nullable=False),
    sa.Column('transfer_to_front', sa.Boolean(), nullable=False),
    sa.Column('requeue_to_front', sa.Boolean(), nullable=False),
    sa.Column('default_service_minutes', sa.Integer(), nullable=False),
    sa.Column('hours', sa.JSON(), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venue'))
    )
    op.create_table('operators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('operator', 'supervisor', 'admin', name='role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('pin_hash', sa.String(length=300), nullable=True),
    sa.Column('must_change_pin', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_operators_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operators')),
    sa.UniqueConstraint('username', name=op.f('uq_operators_username'))
    )
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operators_agency_id'), ['agency_id'], unique=False)

    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('requirements_en', sa.JSON(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.Column('fee_note', sa.String(length=200), nullable=False),
    sa.Column('completion_minutes', sa.Integer(), nullable=False),
    sa.Column('expected_service_minutes', sa.Integer(), nullable=True),
    sa.Column('recent_service_minutes', sa.Double(), nullable=True),
    sa.Column('daily_quota', sa.Integer(), nullable=True),
    sa.Column('hours', sa.JSON(), nullable=True),
    sa.Column('allow_priority', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_services_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('code', name=op.f('uq_services_code'))
    )
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_services_agency_id'), ['agency_id'], unique=False)

    op.create_table('counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('zone', sa.String(length=50), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_counters_agency_id_agencies')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_counters_operator_id_operators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counters')),
    sa.UniqueConstraint('code', name=op.f('uq_counters_code'))
    )
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counters_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counters_operator_id'), ['operator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counters_zone'), ['zone'], unique=False)

    op.create_table('daily_sequences',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_daily_sequences_service_id_services')),
    sa.PrimaryKeyConstraint('service_id', 'business_date', name=op.f('pk_daily_sequences'))
    )
    op.create_table('counter_services',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_counter_services_counter_id_counters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_counter_services_service_id_services'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('counter_id', 'service_id', name=op.f('pk_counter_services'))
    )
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.Boolean(), nullable=False),
    sa.Column('priority_category', sa.String(length=40), nullable=True),
    sa.Column('status', sa.Enum('waiting', 'called', 'serving', 'held', 'done', 'no_show', 'cancelled', 'transferred', name='ticket_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('to_front', sa.Boolean(), nullable=False),
    sa.Column('queued_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('called_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('no_show_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('held_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('transferred_at', db.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('recall_count', sa.Integer(), nullable=False),
    sa.Column('transferred_from_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('print_failed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_tickets_counter_id_counters')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_tickets_operator_id_operators')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_tickets_service_id_services')),
    sa.ForeignKeyConstraint(['transferred_from_id'], ['tickets.id'], name=op.f('fk_tickets_transferred_from_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    sa.UniqueConstraint('service_id', 'business_date', 'sequence', name=op.f('uq_tickets_service_id_business_date_sequence'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_code'), ['code'], unique=False)
        batch_op.create_index('ix_tickets_counter_status', ['counter_id', 'status'], unique=False)
        batch_op.create_index('ix_tickets_day_status', ['business_date', 'status'], unique=False)
        batch_op.create_index('ix_tickets_queue', ['service_id', 'business_date', 'status', 'priority', 'to_front', 'queued_at'], unique=False)
        batch_op.create_index('uq_tickets_active_counter', ['counter_id'], unique=True, sqlite_where=sa.text("status IN ('called', 'serving')"), postgresql_where=sa.text("status IN ('called', 'serving')"))

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('issued', 'called', 'recalled', 'started', 'finished', 'no_show', 'requeued', 'transferred', 'cancelled', 'held', 'resumed', 'print_failed', 'counter_opened', 'counter_closed', 'signed_in', 'signed_out', 'sign_in_failed', 'locked_out', 'pin_changed', 'config_loaded', name='event_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_events_counter_id_counters')),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], name=op.f('fk_events_operator_id_operators')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_events_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_events_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_events_counter_kind', ['counter_id', 'kind', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_ticket_id'))
        batch_op.drop_index('ix_events_counter_kind')
        batch_op.drop_index(batch_op.f('ix_events_at'))

    op.drop_table('events')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('uq_tickets_active_counter', sqlite_where=sa.text("status IN ('called', 'serving')"), postgresql_where=sa.text("status IN ('called', 'serving')"))
        batch_op.drop_index('ix_tickets_queue')
        batch_op.drop_index('ix_tickets_day_status')
        batch_op.drop_index('ix_tickets_counter_status')
        batch_op.drop_index(batch_op.f('ix_tickets_code'))

    op.drop_table('tickets')
    op.drop_table('counter_services')
    op.drop_table('daily_sequences')
    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counters_zone'))
        batch_op.drop_index(batch_op.f('ix_counters_operator_id'))
        batch_op.drop_index(batch_op.f('ix_counters_agency_id'))

    op.drop_table('counters')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_services_agency_id'))

    op.drop_table('services')
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operators_agency_id'))

    op.drop_table('operators')
    op.drop_table('venue')
    op.drop_table('agencies')
