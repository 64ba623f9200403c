"""What a use case can refuse, in one plain line each; the UI and CLI show the message as it is."""

from __future__ import annotations

from safetycheck.store.errors import StoreError

__all__ = ["ConflictError", "InvalidInputError", "NotFoundError", "ServiceError", "StoreError"]


class ServiceError(Exception):
    """Base of the errors a user can cause or fix."""


class NotFoundError(ServiceError):
    """No person, assessment, room, photo or action with that id."""


class ConflictError(ServiceError):
    """Someone else changed the same thing first; nothing was overwritten."""


class InvalidInputError(ServiceError):
    """The request itself is wrong (an unknown item, a value that is not an answer, …)."""
