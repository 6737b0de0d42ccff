"""POST /customers, GET /customers (paged), GET /customers/{id}, GET /customers/{id}/exposure."""

from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext, NotFound
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Code
from sales.adapters.projections import queries
from sales.application.commands import RegisterCustomer
from sales.application.customers import register_customer
from sales.entrypoints.http.commands import execute, runtime_of
from sales.entrypoints.http.schemas import CustomerIn

router = APIRouter(tags=["customers"])
Clerk = Annotated[CommandContext, Depends(command_context("sales"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.post("/customers", status_code=201)
async def post_customer(body: CustomerIn, request: Request, ctx: Clerk) -> JSONResponse:
    """201 `{customer_id, credit_limit}`; a customer id already registered → 409."""
    command = RegisterCustomer(
        customer_id=body.customer_id or f"CUS-{uuid4().hex[:12].upper()}",
        name=body.name,
        credit_limit=body.credit_limit,
        payment_terms_days=body.payment_terms_days,
        discount_rate=body.discount_rate,
        prices=tuple((p.sku, p.unit_price) for p in body.prices),
    )
    return await execute(request, ctx, register_customer, command, body)


@router.get("/customers")
async def get_customers(
    request: Request, _: Viewer, paged: Annotated[Page, Depends(page)]
) -> list[dict[str, Any]]:
    """Customers by id, each with its credit position (as /exposure answers it); paging
    `limit`/`offset`, `q` searches id and name."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.customer_list(conn, paged)
    return [jsonable(row) for row in rows]


@router.get("/customers/{customer_id}")
async def get_customer(customer_id: Code, request: Request, _: Viewer) -> dict[str, Any]:
    """`{customer_id, name, credit_limit, payment_terms_days, discount_rate, open_orders,
    open_receivables, exposure, available_credit}` (money incl. VAT); unknown → 404."""
    async with runtime_of(request).engine.connect() as conn:
        found = await queries.customer_detail(conn, customer_id)
    if found is None:
        raise NotFound("customer", customer_id)
    body: dict[str, Any] = jsonable(found)
    return body


@router.get("/customers/{customer_id}/exposure")
async def get_exposure(customer_id: Code, request: Request, _: Viewer) -> dict[str, Any]:
    """`{customer_id, name, credit_limit, open_orders, open_receivables, exposure,
    available_credit}` (money incl. VAT)."""
    async with runtime_of(request).engine.connect() as conn:
        found = await queries.customer_exposure(conn, customer_id)
    if found is None:
        raise NotFound("customer", customer_id)
    body: dict[str, Any] = jsonable(found)
    return body
