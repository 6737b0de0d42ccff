"""POST /suppliers, POST /suppliers/{id}/prices; GET /suppliers (paged), GET /suppliers/{id},
GET /suppliers/{id}/scorecard."""

from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext, NotFound
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Code
from purchasing.adapters.projections import queries, supplier_queries
from purchasing.application.commands import RegisterSupplier, SetSupplierPrices
from purchasing.application.suppliers import register_supplier, set_supplier_prices
from purchasing.entrypoints.http.commands import execute, runtime_of
from purchasing.entrypoints.http.schemas import PriceListIn, SupplierIn

router = APIRouter(tags=["suppliers"])
Buyer = Annotated[CommandContext, Depends(command_context("purchasing"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.post("/suppliers", status_code=201)
async def post_supplier(body: SupplierIn, request: Request, ctx: Buyer) -> JSONResponse:
    command = RegisterSupplier(
        supplier_id=body.supplier_id or f"SUP-{uuid4().hex[:12].upper()}",
        name=body.name,
        payment_terms_days=body.payment_terms_days,
        lead_time_days=body.lead_time_days,
        tax_rate=body.tax_rate,
        prices=tuple((p.sku, p.unit_price) for p in body.prices),
    )
    return await execute(request, ctx, register_supplier, command, body)


@router.post("/suppliers/{supplier_id}/prices", status_code=200)
async def post_prices(
    supplier_id: Code, body: PriceListIn, request: Request, ctx: Buyer
) -> JSONResponse:
    """Set price-list entries (net of VAT); unchanged prices record nothing."""
    command = SetSupplierPrices(
        supplier_id=supplier_id, prices=tuple((p.sku, p.unit_price) for p in body.prices)
    )
    return await execute(request, ctx, set_supplier_prices, command, body, status_code=200)


@router.get("/suppliers")
async def get_suppliers(
    request: Request, _: Viewer, paged: Annotated[Page, Depends(page)]
) -> list[dict[str, Any]]:
    """Suppliers by id with their scorecard figures (`orders, deliveries, on_time_rate,
    reject_rate, avg_lead_time_days, price_index, listed_skus`); `limit`/`offset`/`q` page and
    search (id, name); without `limit` at most 500 rows."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await supplier_queries.supplier_list(conn, queries.capped(paged))
    return [jsonable(row) for row in rows]


@router.get("/suppliers/{supplier_id}")
async def get_supplier(supplier_id: Code, request: Request, _: Viewer) -> dict[str, Any]:
    """`{supplier_id, name, payment_terms_days, lead_time_days, tax_rate, prices:[{sku,
    unit_price, updated_at}]}` — the current price list, net of VAT."""
    async with runtime_of(request).engine.connect() as conn:
        found = await supplier_queries.supplier_detail(conn, supplier_id)
    if found is None:
        raise NotFound("supplier", supplier_id)
    body: dict[str, Any] = jsonable(found)
    return body


@router.get("/suppliers/{supplier_id}/scorecard")
async def get_scorecard(supplier_id: Code, request: Request, _: Viewer) -> dict[str, Any]:
    """`{supplier_id, orders, deliveries, on_time_rate, reject_rate, avg_lead_time_days,
    price_index, ...}`; rates are fractions (0.95 = 95%), `null` with nothing measured."""
    async with runtime_of(request).engine.connect() as conn:
        card = await queries.supplier_scorecard(conn, supplier_id)
    if card is None:
        raise NotFound("supplier", supplier_id)
    body: dict[str, Any] = jsonable(card)
    return body
