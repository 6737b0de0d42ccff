"""Saved custom reports: `POST /custom-reports`, `GET /custom-reports[/{id}[/rows]]`."""

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext, NotFound
from eventkit.http import command_context
from eventkit.http.commands import runtime_of
from eventkit.http.errors import jsonable
from eventkit.http.idempotency import run_idempotent
from eventkit.http.schemas import Body, BusinessDate, Code, Days, Name, QueryText
from reporting.adapters.projections.custom_reports import custom_reports
from reporting.application.custom_reports import define_custom_report, request_of
from reporting.domain.custom_report import CustomReportDefined
from reporting.entrypoints.http.reports import MAX_LIMIT, Reader
from reporting.entrypoints.http.responses import DEFAULT_PAGE, Format, report_response

router = APIRouter(tags=["custom reports"])
#: Saving a report definition is a write: it needs the `analyst` role (or admin).
Analyst = Annotated[CommandContext, Depends(command_context("analyst"))]


class CustomFilters(Body):
    start: BusinessDate | None = Field(None, alias="from")
    to: BusinessDate | None = None
    sku: QueryText | None = None
    customer: QueryText | None = None
    supplier: QueryText | None = None
    warehouse: QueryText | None = None
    days: Days | None = None
    weeks: Annotated[int, Field(ge=1, le=520)] | None = None
    service_level: Annotated[float, Field(ge=0.5, le=0.9999)] | None = None
    lead_time_weeks: Annotated[int, Field(ge=0, le=104)] | None = None
    review_weeks: Annotated[int, Field(ge=0, le=104)] | None = None
    season_weeks: Annotated[int, Field(ge=2, le=104)] | None = None
    x_max_cv: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    y_max_cv: Annotated[Decimal, Field(ge=0, le=100)] | None = None


class CustomReportIn(Body):
    custom_report_id: UUID | None = None
    name: Name
    report: Code
    group_by: list[Code] = Field(default_factory=list, max_length=10)
    measures: list[Code] = Field(default_factory=list, max_length=50)
    filters: CustomFilters = Field(default_factory=lambda: CustomFilters.model_validate({}))
    sort: list[QueryText] = Field(default_factory=list, max_length=10)


@router.post("/custom-reports", status_code=201)
async def post_custom_report(body: CustomReportIn, request: Request, ctx: Analyst) -> JSONResponse:
    """201 `{custom_report_id, name}`. A report, dimension, measure, filter or sort column
    outside the catalogue → 422 at that field; an id already used → 409
    `custom_report_exists`."""
    definition = CustomReportDefined(
        custom_report_id=body.custom_report_id or uuid4(),
        name=body.name,
        report=body.report,
        group_by=tuple(body.group_by),
        measures=tuple(body.measures),
        filters={
            k: str(v)
            for k, v in body.filters.model_dump(mode="json", by_alias=True).items()
            if v is not None
        },
        sort=tuple(body.sort),
    )
    runtime = runtime_of(request)

    async def work(conn: AsyncConnection) -> tuple[int, dict[str, Any]]:
        result = await define_custom_report(conn, runtime.store, ctx, definition)
        return 201, jsonable(result)

    key = ctx.idempotency_key
    scoped = f"{ctx.actor}:POST /custom-reports:{key}" if key else None
    body_json = body.model_dump(mode="json", by_alias=True)
    outcome = await run_idempotent(runtime.engine, scoped, body_json, work)
    return JSONResponse(outcome.body, status_code=outcome.status_code)


@router.get("/custom-reports")
async def list_custom_reports(request: Request, _: Reader) -> dict[str, Any]:
    async with runtime_of(request).engine.connect() as conn:
        rows = await conn.execute(select(custom_reports).order_by(custom_reports.c.name))
        return {"custom_reports": [_described(row) for row in rows]}


@router.get("/custom-reports/{custom_report_id}")
async def get_custom_report(custom_report_id: UUID, request: Request, _: Reader) -> dict[str, Any]:
    return _described(await _saved(request, custom_report_id))


@router.get("/custom-reports/{custom_report_id}/rows", response_model=None)
async def get_custom_report_rows(
    custom_report_id: UUID,
    request: Request,
    _: Reader,
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 0,
    fmt: Annotated[Format, Query(alias="format")] = "json",
) -> JSONResponse | StreamingResponse:
    """The saved report's rows, as `GET /reports/{name}` would give them."""
    row = await _saved(request, custom_report_id)
    definition = CustomReportDefined.from_payload(row.definition)
    page = limit if limit is not None or fmt != "json" else DEFAULT_PAGE
    return await report_response(request, request_of(definition, page, offset), fmt, row.name)


async def _saved(request: Request, custom_report_id: UUID) -> Any:
    query = select(custom_reports).where(custom_reports.c.custom_report_id == custom_report_id)
    async with runtime_of(request).engine.connect() as conn:
        row = (await conn.execute(query)).one_or_none()
    if row is None:
        raise NotFound("custom report", custom_report_id)
    return row


def _described(row: Any) -> dict[str, Any]:
    described: dict[str, Any] = jsonable(
        {**row.definition, "defined_by": row.defined_by, "defined_at": row.defined_at}
    )
    return described
