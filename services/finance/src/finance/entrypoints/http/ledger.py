"""GET /ledger/trial-balance, GET /ledger/journal, GET /reconciliation/inventory."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from eventkit.http import require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.runtime import ServiceRuntime
from finance.adapters.projections import queries

router = APIRouter(tags=["ledger"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


@router.get("/ledger/trial-balance")
async def get_trial_balance(
    request: Request, _: Viewer, as_of: datetime | None = None
) -> dict[str, Any]:
    """`{accounts:[{code, name, debit, credit}], total_debit, total_credit}`: each account's
    balance on its side, over entries with business time ≤ `as_of`."""
    async with _runtime(request).engine.connect() as conn:
        body: dict[str, Any] = jsonable(await queries.trial_balance(conn, as_of))
    return body


@router.get("/ledger/journal")
async def get_journal(
    request: Request,
    _: Viewer,
    account: str | None = None,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    end: Annotated[datetime | None, Query(alias="to")] = None,
) -> list[Any]:
    """Journal lines in business-time order (`from` inclusive, `to` exclusive)."""
    async with _runtime(request).engine.connect() as conn:
        rows: list[Any] = jsonable(await queries.journal(conn, account, start, end))
    return rows


@router.get("/reconciliation/inventory")
async def get_inventory_reconciliation(request: Request, _: Viewer) -> dict[str, Any]:
    """`{gl_1405, valuation, difference, reconciled, inventory_valuation: null, stock}`."""
    async with _runtime(request).engine.connect() as conn:
        body: dict[str, Any] = jsonable(await queries.inventory_reconciliation(conn))
    return body
