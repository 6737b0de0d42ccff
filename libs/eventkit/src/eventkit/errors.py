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

    def __init__(self, kind: str, identifier: object, message: str | None = None) -> None:
        super().__init__(message or f"{kind} {identifier!s} not found")
        self.kind = kind
        self.identifier = str(identifier)


class InvalidCommand(Exception):
    """A command that is well-formed but not acceptable as input (a rule on the input itself,
    found below the HTTP edge): HTTP 422 `{error: "validation_error", details: [{loc, msg}]}`."""

    def __init__(self, message: str, loc: tuple[str | int, ...] = ("body",)) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
