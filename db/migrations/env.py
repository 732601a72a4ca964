"""Alembic environment: runs on the connection Antre hands it, or on ANTRE_DB for the alembic CLI."""

from alembic import context

from db.database import create_db_engine, default_url
from db.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_db_engine(config.get_main_option("sqlalchemy.url") or default_url())
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
