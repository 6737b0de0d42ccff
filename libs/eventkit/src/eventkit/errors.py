"""Errors the application layer raises and the HTTP layer maps (architecture §8)."""


class BusinessRuleViolation(Exception):
    """A command refused by a business rule: HTTP 409 `{error: code, message}`.

    `code` is stable and machine-readable (`insufficient_stock`, `invalid_state`, ...).
    """

    # Positional-only: a refusal's details may then name any field, `code` and `message` too.
    def __init__(self, code: str, message: str, /, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class DependencyUnavailable(Exception):
    """Another service this request needs did not answer (refused, timed out, or answered 5xx):
    an infrastructure failure (`eventkit.failures`), so HTTP 503 with Retry-After — never a 500,
    and never a refusal of the request itself."""


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


class NotYetKnown(BusinessRuleViolation):
    """An id of master data or a document owned by **another** service that this service knows
    only from that service's events, and has not heard of (yet): HTTP 409
    `{error: "not_yet_known", message, details: {kind, id, source_service}}` with `Retry-After`.

    Across services the copies are eventually consistent (outbox relay → broker → inbox): an
    item registered in inventory a moment ago may not have reached sales. Answering 404 would
    lie — the id exists, only the news has not arrived — so the command is refused as
    retryable and writes nothing. An id that was never registered at `source_service` stays
    refused this way: the service cannot tell "not yet" from "never". Ids a service owns itself
    stay `NotFound` (404).
    """

    code = "not_yet_known"
    #: Seconds a client should wait before retrying (the cross-service lag is normally far
    #: below a second; docs/eventkit.md "Consistency").
    retry_after = 1

    def __init__(self, kind: str, identifier: object, source_service: str) -> None:
        super().__init__(
            self.code,
            f"{kind} {identifier!s} is not known here yet: waiting to hear of it from the "
            f"{source_service} service, whose events may still be on their way; retry shortly "
            f"(if {source_service} never registered it, it stays unknown)",
            kind=kind,
            id=str(identifier),
            source_service=source_service,
        )
        self.kind = kind
        self.identifier = str(identifier)
        self.source_service = source_service
