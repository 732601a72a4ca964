"""The events NOTIFY names the services its events touch, so a waiting counter wakes only for its own.

Revision ID: events_notify_services
Revises: report_day_cache
"""

from __future__ import annotations

from alembic import op

revision: str = "events_notify_services"
down_revision: str | None = "report_day_cache"
branch_labels = None
depends_on = None

# As db.models.EVENTS_DDL at this revision (a migration keeps its own copy: the model may move on).
_FUNCTION = (
    "CREATE OR REPLACE FUNCTION antre_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE ids text; BEGIN "
    "SELECT CASE WHEN bool_or(service_id IS NULL) OR count(DISTINCT service_id) > 200 THEN '*' "
    "ELSE string_agg(DISTINCT service_id::text, ',') END INTO ids FROM new_events; "
    "PERFORM pg_notify('antre_events', coalesce(ids, '*')); RETURN NULL; END $$"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS events_notify ON events")
    op.execute("CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS new_events "
               "FOR EACH STATEMENT EXECUTE FUNCTION antre_notify_events()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE OR REPLACE FUNCTION antre_notify_events() RETURNS trigger LANGUAGE plpgsql AS "
               "$$ BEGIN PERFORM pg_notify('antre_events', ''); RETURN NULL; END $$")
    op.execute("DROP TRIGGER IF EXISTS events_notify ON events")
    op.execute("CREATE TRIGGER events_notify AFTER INSERT ON events "
               "FOR EACH STATEMENT EXECUTE FUNCTION antre_notify_events()")
