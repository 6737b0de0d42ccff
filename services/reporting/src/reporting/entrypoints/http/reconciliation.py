"""`GET /reconciliation/revenue`: reporting's net revenue against finance's 6001, via finance's
HTTP API with the caller's own token (so the caller needs finance's `viewer` role too)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from eventkit.http.errors import jsonable
from eventkit.http.schemas import BusinessDate, require_ordered
from reporting.adapters.finance_ledger import FinanceUnavailable, HttpFinanceLedger, finance_url
from reporting.application.reconciliation import (
    not_compared,
    reconcile_revenue,
    reporting_revenue,
)
from reporting.entrypoints.http.reports import Reader

router = APIRouter(tags=["reconciliation"])


@router.get("/reconciliation/revenue")
async def get_revenue_reconciliation(
    request: Request,
    _: Reader,
    start: Annotated[BusinessDate | None, Query(alias="from")] = None,
    end: Annotated[BusinessDate | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    """`{from, to, account, reporting_revenue, finance_revenue, difference, reconciled}` over
    the days `from`..`to` (inclusive, document dates). Finance unreachable: still 200 — the
    answer is "not compared" (`reconciled`, `finance_revenue`, `difference` null and
    `finance_error` saying why), since reporting itself is healthy."""
    require_ordered(start, end)
    ledger = HttpFinanceLedger(finance_url())
    authorization = request.headers.get("Authorization", "")
    async with request.app.state.runtime.engine.connect() as conn:
        try:
            result = (await reconcile_revenue(conn, ledger, start, end, authorization)).as_dict()
        except FinanceUnavailable as error:
            ours = await reporting_revenue(conn, start, end)
            result = not_compared(start, end, ours, str(error))
    answer: dict[str, Any] = jsonable(result)
    return answer
