"""Domain errors raised by services and selectors. The API and the views map
them to HTTP once (kesu/api.py, kesu/web): NotFound→404, Forbidden→403,
DomainValidationError→400/422, Conflict→409. Messages are user-facing and
translatable."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str = "", *, field: str | None = None, **data):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.data = data


class DomainValidationError(DomainError):
    status = 400


class NotFound(DomainError):
    """Also used for out-of-scope objects, so their existence does not leak."""

    status = 404


class Forbidden(DomainError):
    """In scope, but this user may not do this action now."""

    status = 403


class Conflict(DomainError):
    """Someone else changed the object first, or the state no longer allows it."""

    status = 409
