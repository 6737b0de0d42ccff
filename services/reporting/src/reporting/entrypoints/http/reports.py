"""`GET /reports` (the catalogue) and `GET /reports/{name}` (rows as JSON, CSV or XLSX)."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse, StreamingResponse

from eventkit import InvalidCommand
from eventkit.http.auth import Principal, current_principal
from eventkit.http.schemas import BusinessDate, Days, QueryText
from reporting.application.catalogue import REPORTS
from reporting.application.reports import build_request
from reporting.entrypoints.http.responses import DEFAULT_PAGE, Format, report_response

router = APIRouter(tags=["reports"])

MAX_LIMIT = 1_000_000


async def any_role(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """Reports are read models: any clerk with a role may read them."""
    if not principal.roles:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a role is required")
    return principal


Reader = Annotated[Principal, Depends(any_role)]
Filter = Annotated[QueryText | None, Query()]


@router.get("/reports")
async def list_reports(_: Reader) -> dict[str, Any]:
    """Every report with its dimensions (for `group_by`), measures and filters."""
    return {"reports": [spec.describe() for spec in REPORTS.values()]}


@router.get("/reports/{name}", response_model=None)
async def get_report(
    name: QueryText,
    request: Request,
    _: Reader,
    start: Annotated[BusinessDate | None, Query(alias="from")] = None,
    to: Annotated[BusinessDate | None, Query()] = None,
    sku: Filter = None,
    customer: Filter = None,
    supplier: Filter = None,
    warehouse: Filter = None,
    days: Annotated[Days | None, Query()] = None,
    weeks: Annotated[int | None, Query(ge=1, le=520)] = None,
    service_level: Annotated[float | None, Query(ge=0.5, le=0.9999)] = None,
    lead_time_weeks: Annotated[int | None, Query(ge=0, le=104)] = None,
    review_weeks: Annotated[int | None, Query(ge=0, le=104)] = None,
    season_weeks: Annotated[int | None, Query(ge=2, le=104)] = None,
    x_max_cv: Annotated[Decimal | None, Query(ge=0, le=100)] = None,
    y_max_cv: Annotated[Decimal | None, Query(ge=0, le=100)] = None,
    group_by: Filter = None,
    sort: Filter = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 0,
    fmt: Annotated[Format, Query(alias="format")] = "json",
) -> JSONResponse | StreamingResponse:
    """Rows of report `name`: filters, `group_by` (comma-separated dimensions), `sort`
    (`-net,sku`), `limit`/`offset`, `format=json|csv|xlsx`. Unknown report → 404; a filter,
    dimension or sort column the report does not have → 422 at that parameter."""
    if x_max_cv is not None and y_max_cv is not None and y_max_cv < x_max_cv:
        raise InvalidCommand("y_max_cv must not be below x_max_cv", ("query", "y_max_cv"))
    filters: dict[str, object] = {
        "from": start,
        "to": to,
        "sku": sku,
        "customer": customer,
        "supplier": supplier,
        "warehouse": warehouse,
        "days": days,
        "weeks": weeks,
        "service_level": service_level,
        "lead_time_weeks": lead_time_weeks,
        "review_weeks": review_weeks,
        "season_weeks": season_weeks,
        "x_max_cv": x_max_cv,
        "y_max_cv": y_max_cv,
    }
    page = limit if limit is not None or fmt != "json" else DEFAULT_PAGE
    report = build_request(name, filters, group_by, sort, page, offset)
    return await report_response(request, report, fmt)
