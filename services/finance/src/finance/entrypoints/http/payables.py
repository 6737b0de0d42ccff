"""POST /payables/invoices (三单匹配), .../{id}/release and .../{id}/override (holds),
POST /payables/payments (付款单)."""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import command_context
from finance.application.commands import (
    MakePayment,
    RecordSupplierInvoice,
    ReleaseSupplierInvoice,
)
from finance.application.payables import (
    make_payment,
    record_supplier_invoice,
    release_supplier_invoice,
)
from finance.domain.events import Allocation, InvoiceLine
from finance.entrypoints.http.commands import execute
from finance.entrypoints.http.schemas import PaymentIn, ReasonIn, SupplierInvoiceIn

router = APIRouter(tags=["payables"])
Clerk = Annotated[CommandContext, Depends(command_context("finance"))]
#: Overriding a control is a finance admin's act; releasing what now matches is a clerk's.
FinanceAdmin = Annotated[CommandContext, Depends(command_context("finance_admin"))]


@router.post("/payables/invoices", status_code=201)
async def post_supplier_invoice(
    body: SupplierInvoiceIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """Record a supplier invoice, three-way matched against the PO and its receipts:
    `{invoice_id, document_number, status: matched|on_hold, hold_reasons:[{sku, code, message}],
    net_total, tax_total, total}`. Only a matched invoice is posted and payable."""
    command = RecordSupplierInvoice(
        supplier_id=body.supplier_id,
        po_id=body.po_id,
        invoice_number=body.invoice_number,
        invoice_date=body.invoice_date,
        lines=tuple(
            InvoiceLine(sku=li.sku, qty=li.qty, unit_price=li.unit_price, tax_rate=li.tax_rate)
            for li in body.lines
        ),
    )
    return await execute(request, ctx, record_supplier_invoice, command, body)


@router.post("/payables/payments", status_code=201)
async def post_payment(body: PaymentIn, request: Request, ctx: Clerk) -> JSONResponse:
    """Pay a supplier, allocated to its matched invoices (the rest stays on account); a fully
    paid invoice is settled. `{payment_id, payment_number, amount, settled_invoices}`."""
    command = MakePayment(
        supplier_id=body.supplier_id,
        amount=body.amount,
        allocations=tuple(
            Allocation(invoice_id=a.invoice_id, amount=a.amount) for a in body.allocations
        ),
        payment_id=body.payment_id or uuid4(),
    )
    return await execute(request, ctx, make_payment, command, body)


@router.post("/payables/invoices/{invoice_id}/release", status_code=200)
async def post_invoice_release(
    invoice_id: UUID, body: ReasonIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """Release a held invoice whose cause was fixed: the three-way match is run again and
    must pass (else 409 `still_on_hold`); the invoice becomes payable and is posted.
    `{invoice_id, document_number, status: open, overridden: false, overridden_reasons: [],
    price_variance}`; 409 `invalid_state` if it is not on hold."""
    command = ReleaseSupplierInvoice(invoice_id=invoice_id, reason=body.reason)
    return await execute(request, ctx, release_supplier_invoice, command, body, status_code=200)


@router.post("/payables/invoices/{invoice_id}/override", status_code=200)
async def post_invoice_override(
    invoice_id: UUID, body: ReasonIn, request: Request, ctx: FinanceAdmin
) -> JSONResponse:
    """Override a held invoice (finance admin): accepted as it is, despite the reasons still
    standing (listed in `overridden_reasons`), except a line not on the order (409
    `invalid_state`). Posted like a matched one; a price variance goes to 6401.01."""
    command = ReleaseSupplierInvoice(invoice_id=invoice_id, reason=body.reason, override=True)
    return await execute(request, ctx, release_supplier_invoice, command, body, status_code=200)
