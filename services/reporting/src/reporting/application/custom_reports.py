"""Saving a custom report: validate it against the catalogue's whitelist, then record it as an
event of reporting's own store. Running one builds the same request a `GET /reports/{name}`
would, from the saved choice."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import (
    NO_STREAM,
    BusinessRuleViolation,
    CommandContext,
    EventStore,
    InvalidCommand,
    NewEvent,
    NotFound,
)
from reporting.application.catalogue import ReportRequest
from reporting.application.reports import build_request
from reporting.domain.custom_report import CustomReportDefined, custom_report_stream

SERVICE = "reporting"

#: Where a catalogue refusal at a query parameter lands in the saved definition's body.
_BODY_FIELDS = {"group_by": ("group_by",), "sort": ("sort",), "measures": ("measures",)}


def request_of(
    definition: CustomReportDefined, limit: int | None = None, offset: int = 0
) -> ReportRequest:
    """The report request the definition stands for (raises as `build_request` does)."""
    return build_request(
        definition.report,
        _typed_filters(definition.filters),
        ",".join(definition.group_by) or None,
        ",".join(definition.sort) or None,
        limit,
        offset,
        definition.measures,
    )


def _typed_filters(filters: dict[str, str]) -> dict[str, object]:
    typed: dict[str, object] = {}
    for name, value in filters.items():
        if name in ("from", "to"):
            typed[name] = date.fromisoformat(value)
        elif name in ("days", "weeks", "lead_time_weeks", "review_weeks", "season_weeks"):
            typed[name] = int(value)
        elif name == "service_level":
            typed[name] = float(value)
        elif name in ("x_max_cv", "y_max_cv"):
            typed[name] = Decimal(value)
        else:
            typed[name] = value
    return typed


def validate(definition: CustomReportDefined) -> None:
    """Refuse what the catalogue would refuse, at the body field that holds it."""
    try:
        request_of(definition)
    except NotFound as error:
        raise InvalidCommand(f"no report {definition.report!r}", ("body", "report")) from error
    except InvalidCommand as error:
        _, parameter, *rest = error.loc
        field = _BODY_FIELDS.get(str(parameter), ("filters", parameter))
        raise InvalidCommand(error.message, ("body", *field, *rest)) from error


async def define_custom_report(
    conn: AsyncConnection,
    store: EventStore,
    context: CommandContext,
    definition: CustomReportDefined,
) -> dict[str, Any]:
    validate(definition)
    stream = custom_report_stream(definition.custom_report_id)
    if await store.stream_version(conn, stream) > 0:
        raise BusinessRuleViolation(
            "custom_report_exists", f"custom report {definition.custom_report_id} exists"
        )
    event = NewEvent(stream, definition.event_type, definition.payload())
    await store.append(conn, [event], {stream: NO_STREAM}, context.metadata(SERVICE))
    return {"custom_report_id": definition.custom_report_id, "name": definition.name}
