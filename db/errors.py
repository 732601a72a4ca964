"""Errors the engine raises; each carries a message fit to show a user as is."""


class AntreError(Exception):
    """Base of every expected, user-facing error."""


class NotFound(AntreError):
    """An unknown service, counter, ticket or operator."""


class Refused(AntreError):
    """The rules refuse the action: quota reached, closed hours, wrong state, empty queue."""

    def __init__(self, message: str, *, reason: str = "refused") -> None:
        super().__init__(message)
        self.reason = reason


class QueueEmpty(Refused):
    """No ticket waits for the counter's services."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="empty")


class Contended(QueueEmpty):
    """Another counter took the ticket this call went for at the same moment: try again (transact does)."""


class DatabaseUnavailable(AntreError):
    """The database cannot be reached or opened."""


class ConfigError(AntreError):
    """The venue configuration is invalid; the message names file, key path and problem."""


class AuthError(AntreError):
    """Sign-in refused: unknown user, wrong PIN, locked or not allowed at this counter."""
