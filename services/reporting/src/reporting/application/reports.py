"""Running a report: resolve the request against the catalogue, then rows — fetched for JSON,
streamed from a server-side cursor for exports."""

from collections.abc import AsyncIterator, Mapping
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from reporting.adapters.analysis_queries import abc_rows, cash_forecast_rows, customer_rows
from reporting.adapters.forecast_queries import (
    forecast_rows,
    plan_rows,
    transfer_rows,
    xyz_rows,
)
from reporting.adapters.report_queries import (
    GROUPED,
    grouped_select,
    slow_movers_select,
    stock_daily_select,
)
from reporting.application.catalogue import (
    ReportRequest,
    check_filters,
    report,
    resolve_group_by,
    resolve_measures,
    resolve_sort,
)

#: Reports whose rows are computed in Python (ranked or forecast over every row at once).
COMPUTED = {
    "customers": customer_rows,
    "abc": abc_rows,
    "demand_forecast": forecast_rows,
    "forecast": plan_rows,
    "transfer_suggestions": transfer_rows,
    "xyz": xyz_rows,
    "cash_forecast": cash_forecast_rows,
}

#: Idle days after which stock counts as slow-moving when the request does not say.
DEFAULT_IDLE_DAYS = 90


def build_request(
    name: str,
    filters: Mapping[str, object],
    group_by: str | None,
    sort: str | None,
    limit: int | None,
    offset: int,
    measures: tuple[str, ...] = (),
) -> ReportRequest:
    spec = report(name)
    chosen = resolve_group_by(spec, group_by)
    shown = resolve_measures(spec, measures)
    return ReportRequest(
        spec,
        check_filters(spec, dict(filters)),
        chosen,
        resolve_sort(spec, sort, chosen, shown),
        limit,
        offset,
        shown,
    )


def columns_of(request: ReportRequest) -> list[str]:
    return [*request.group_by, *(request.measures or request.spec.measures)]


def _select(request: ReportRequest) -> Select[Any] | None:
    name = request.spec.name
    if name in GROUPED:
        return grouped_select(request)
    if name == "stock_daily":
        return stock_daily_select(request)
    if name == "slow_movers":
        days = request.get("days")
        return slow_movers_select(request, days if isinstance(days, int) else DEFAULT_IDLE_DAYS)
    return None


async def _computed(conn: AsyncConnection, request: ReportRequest) -> list[dict[str, Any]]:
    rows = await COMPUTED[request.spec.name](conn, request)
    for name, descending in reversed(request.sort):
        present = [r for r in rows if r[name] is not None]
        absent = [r for r in rows if r[name] is None]
        rows = sorted(present, key=itemgetter(name), reverse=descending) + absent
    end = None if request.limit is None else request.offset + request.limit
    return rows[request.offset : end]


async def stream_rows(engine: AsyncEngine, request: ReportRequest) -> AsyncIterator[dict[str, Any]]:
    """Rows one at a time; a SQL report reads them through a server-side cursor."""
    async with engine.connect() as conn:
        query = _select(request)
        if query is None:
            for row in await _computed(conn, request):
                yield row
            return
        result = await conn.stream(query.execution_options(yield_per=1000))
        async for row in result.mappings():
            yield dict(row)


async def stream_columns(
    engine: AsyncEngine, request: ReportRequest
) -> AsyncIterator[dict[str, Any]]:
    """`stream_rows` with only the columns the request shows."""
    columns = columns_of(request)
    async for row in stream_rows(engine, request):
        yield {c: row.get(c) for c in columns}


async def fetch_rows(engine: AsyncEngine, request: ReportRequest) -> list[dict[str, Any]]:
    return [row async for row in stream_columns(engine, request)]


def cell(value: object) -> object:
    """A value as exports show it: decimals as plain text, dates ISO."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value
