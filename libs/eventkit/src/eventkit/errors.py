"""Errors the application layer raises and the HTTP layer maps (architecture §8)."""


class BusinessRuleViolation(Exception):
    """A command refused by a business rule: HTTP 409 `{error: code, message}`.

    `code` is stable and machine-readable (`insufficient_stock`, `invalid_state`, ...).
    """

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class NotFound(Exception):
    """An id the command or query names does not exist: HTTP 404."""

    def __init__(self, kind: str, identifier: object) -> None:
        super().__init__(f"{kind} {identifier!s} not found")
        self.kind = kind
        self.identifier = str(identifier)
