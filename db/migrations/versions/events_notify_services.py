"""Each service gets a NOTIFY channel of its own, so a counter waiting for a ticket wakes only for its services.

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
    "DECLARE sid bigint; BEGIN "
    "PERFORM pg_notify('antre_events', ''); "
    "FOR sid IN SELECT DISTINCT service_id FROM new_events WHERE service_id IS NOT NULL LIMIT 200 LOOP "
    "PERFORM pg_notify('antre_service_' || sid, ''); END LOOP; RETURN NULL; END $$"
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
