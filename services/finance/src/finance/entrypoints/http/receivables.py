"""POST /receivables/receipts (收款单), GET /receivables/invoices, GET /payables/invoices,
GET /receivables/credit-notes, GET /payables/debit-notes, GET /aging."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import BusinessDate, QueryText
from eventkit.store.event_store import EventStore
from finance.adapters.projections.invoices import aging, invoice_list, note_list
from finance.application.commands import ReceivePayment
from finance.application.receivables import receive_payment
from finance.domain.events import Allocation, SupplierInvoiceRecorded
from finance.domain.invoice import ON_HOLD
from finance.domain.supplier_invoice import supplier_invoice_stream_id as stream_id
from finance.entrypoints.http.commands import execute, runtime_of
from finance.entrypoints.http.schemas import ReceiptIn

router = APIRouter(tags=["receivables"])
Clerk = Annotated[CommandContext, Depends(command_context("finance"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Paging = Annotated[Page, Depends(page)]


@router.post("/receivables/receipts", status_code=201)
async def post_receipt(body: ReceiptIn, request: Request, ctx: Clerk) -> JSONResponse:
    """Money received from a customer, allocated as given or to its open invoices oldest
    first (the rest stays on account); fully paid invoices are settled.
    `{receipt_id, receipt_number, amount, allocations, settled_invoices}`."""
    allocations = (
        None
        if body.allocations is None
        else tuple(Allocation(invoice_id=a.invoice_id, amount=a.amount) for a in body.allocations)
    )
    command = ReceivePayment(
        customer_id=body.customer_id,
        amount=body.amount,
        allocations=allocations,
        receipt_id=body.receipt_id or uuid4(),
    )
    return await execute(request, ctx, receive_payment, command, body)


@router.get("/receivables/invoices")
async def get_customer_invoices(
    request: Request,
    _: Viewer,
    paging: Paging,
    customer_id: QueryText | None = None,
    order_id: UUID | None = None,
) -> list[Any]:
    """Customer invoices (issued on dispatch) with totals, paid, open amount and status."""
    async with runtime_of(request).engine.connect() as conn:
        rows: list[Any] = jsonable(
            await invoice_list(conn, "receivable", customer_id, order_id, paging)
        )
    return rows


@router.get("/payables/invoices")
async def get_supplier_invoices(
    request: Request,
    _: Viewer,
    paging: Paging,
    supplier_id: QueryText | None = None,
    po_id: UUID | None = None,
) -> list[Any]:
    """Supplier invoices with totals, paid, open amount, status (open, on_hold, settled) and
    the three-way match's `hold_reasons:[{sku, code, message}]` (empty unless on hold)."""
    async with runtime_of(request).engine.connect() as conn:
        found = await invoice_list(conn, "payable", supplier_id, po_id, paging)
        held = [row["invoice_id"] for row in found if row["status"] == ON_HOLD]
        reasons = await hold_reasons(conn, held)
    rows: list[Any] = jsonable(
        [{**row, "hold_reasons": reasons.get(row["invoice_id"], [])} for row in found]
    )
    return rows


async def hold_reasons(conn: AsyncConnection, invoice_ids: list[UUID]) -> dict[UUID, list[Any]]:
    """Why each held invoice is on hold, as its `SupplierInvoiceRecorded` said (the store is
    the record; the list read model keeps only the status)."""
    if not invoice_ids:
        return {}
    streams = await EventStore().read_streams(conn, [stream_id(i) for i in invoice_ids])
    return {
        invoice_id: list(event.payload.get("hold_reasons", []))
        for invoice_id in invoice_ids
        for event in streams[stream_id(invoice_id)]
        if event.event_type == SupplierInvoiceRecorded.event_type
    }


@router.get("/receivables/credit-notes")
async def get_credit_notes(
    request: Request,
    _: Viewer,
    paging: Paging,
    customer_id: QueryText | None = None,
    order_id: UUID | None = None,
) -> list[Any]:
    """Credit notes (红字发票) for customer returns: totals, `applied` to the order's invoices,
    `unapplied` (owed to the customer)."""
    async with runtime_of(request).engine.connect() as conn:
        rows: list[Any] = jsonable(await note_list(conn, "credit", customer_id, order_id, paging))
    return rows


@router.get("/payables/debit-notes")
async def get_debit_notes(
    request: Request,
    _: Viewer,
    paging: Paging,
    supplier_id: QueryText | None = None,
    po_id: UUID | None = None,
) -> list[Any]:
    """Debit notes for invoiced goods returned to the supplier: totals, `applied` to the PO's
    invoices, `unapplied` (owed back by the supplier)."""
    async with runtime_of(request).engine.connect() as conn:
        rows: list[Any] = jsonable(await note_list(conn, "debit", supplier_id, po_id, paging))
    return rows


@router.get("/aging")
async def get_aging(
    request: Request,
    _: Viewer,
    kind: Literal["receivable", "payable"] = "receivable",
    as_of: BusinessDate | None = None,
) -> dict[str, Any]:
    """账龄: open amounts per counterparty in buckets 0-30 / 31-60 / 61-90 / 90+ days since
    the invoice date."""
    today = as_of or datetime.now(UTC).date()
    async with runtime_of(request).engine.connect() as conn:
        body: dict[str, Any] = jsonable(await aging(conn, kind, today))
    return body
