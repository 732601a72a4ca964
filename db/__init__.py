"""Antre's core: the database, the queue engine and the venue configuration. Imports no Qt."""

from db.database import default_url, open_database, read_only, transact, unit_of_work
from db.errors import AntreError, AuthError, ConfigError, DatabaseUnavailable, NotFound, QueueEmpty, Refused

__all__ = [
    "AntreError",
    "AuthError",
    "ConfigError",
    "DatabaseUnavailable",
    "NotFound",
    "QueueEmpty",
    "Refused",
    "default_url",
    "open_database",
    "read_only",
    "transact",
    "unit_of_work",
]
