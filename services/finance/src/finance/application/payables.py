"""Payables (应付): what finance learns from purchasing and inventory for the three-way match,
supplier invoices, debit notes for invoiced goods sent back, and payments (付款单)."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from erp_contracts.events.inventory import GoodsReceived, GoodsReturnedToSupplier
from erp_contracts.events.purchasing import PurchaseOrderPlaced, SupplierRegistered
from eventkit.numbering import next_document_number
from finance.application.commands import (
    MakePayment,
    RecordSupplierInvoice,
    ReleaseSupplierInvoice,
)
from finance.application.order_lines import order_lines
from finance.application.settings import price_tolerance
from finance.application.unit_of_work import FinanceUnitOfWork
from finance.domain.errors import InvalidState
from finance.domain.events import QuantityLine
from finance.domain.invoice import OPEN
from finance.domain.notes import DebitNote, debit_note_id, note_stream_id
from finance.domain.purchase_order import PurchaseOrderMatch, purchase_order_stream_id
from finance.domain.supplier import SupplierAccount, supplier_stream_id
from finance.domain.supplier_invoice import (
    MATCHED,
    SupplierInvoice,
    invoice_totals,
    supplier_invoice_id,
    supplier_invoice_stream_id,
)


async def on_supplier_registered(
    uow: FinanceUnitOfWork, event: SupplierRegistered, occurred_at: datetime
) -> None:
    supplier = await uow.get(SupplierAccount, supplier_stream_id(event.supplier_id))
    supplier.record_registration(
        event.supplier_id, event.name, event.payment_terms_days, occurred_at=occurred_at
    )


async def on_purchase_order_placed(
    uow: FinanceUnitOfWork, event: PurchaseOrderPlaced, occurred_at: datetime
) -> None:
    order = await uow.get(PurchaseOrderMatch, purchase_order_stream_id(event.po_id))
    lines = order_lines(event.lines)
    order.record_order(
        event.po_id, event.po_number, event.supplier_id, lines, occurred_at=occurred_at
    )


async def on_goods_received(
    uow: FinanceUnitOfWork, event: GoodsReceived, occurred_at: datetime
) -> None:
    order = await uow.get(PurchaseOrderMatch, purchase_order_stream_id(event.po_id))
    lines = [QuantityLine(sku=li.sku, qty=li.qty_accepted) for li in event.lines if li.qty_accepted]
    order.record_receipt(event.po_id, event.receipt_id, lines, occurred_at=occurred_at)


async def on_goods_returned_to_supplier(
    uow: FinanceUnitOfWork, event: GoodsReturnedToSupplier, occurred_at: datetime
) -> None:
    order = await uow.get(PurchaseOrderMatch, purchase_order_stream_id(event.po_id))
    lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
    if order.record_return(event.po_id, event.return_id, lines, occurred_at=occurred_at):
        await issue_debit_note(uow, order, event.return_id, lines, occurred_at)


async def issue_debit_note(
    uow: FinanceUnitOfWork,
    order: PurchaseOrderMatch,
    return_id: UUID,
    returned: list[QuantityLine],
    occurred_at: datetime,
) -> None:
    """Debit-note the returned goods that were already invoiced, applied to the PO's open
    invoices oldest first (returned goods not yet invoiced just stop being invoiceable)."""
    lines = order.lines_to_debit(returned)
    if not lines or order.po_id is None:
        return
    note_id = debit_note_id(return_id)
    invoices = [await uow.supplier_invoice(i) for i in order.invoice_ids]
    open_invoices = [
        (i.invoice_id, i.open_amount)
        for i in invoices
        if i.invoice_id is not None and i.status == OPEN
    ]
    note = await uow.get(DebitNote, note_stream_id(note_id))
    moment = (await uow.periods()).posting_time(occurred_at)
    issued = note.issue(
        note_id,
        number=await next_document_number(uow.conn, "DN", moment.date()),
        supplier_id=order.supplier_id,
        po_id=order.po_id,
        return_id=return_id,
        note_date=moment.date(),
        lines=lines,
        open_invoices=open_invoices,
        occurred_at=moment,
    )
    for allocation in issued.allocations:
        invoice = await uow.supplier_invoice(allocation.invoice_id)
        invoice.allocate(note_id, allocation.amount, occurred_at=occurred_at)
    order.record_debit(return_id, note_id, lines, occurred_at=occurred_at)


async def record_supplier_invoice(
    uow: FinanceUnitOfWork, cmd: RecordSupplierInvoice
) -> dict[str, Any]:
    await uow.supplier(cmd.supplier_id)
    order = await uow.purchase_order(cmd.po_id)
    if order.supplier_id != cmd.supplier_id:
        raise InvalidState(f"purchase order {cmd.po_id} is not {cmd.supplier_id}'s")
    now = datetime.now(UTC)
    periods = await uow.periods()
    # Dated in an open month, and posted (at record time) into an open month.
    periods.require_open(cmd.invoice_date)
    periods.require_open(now.date())
    invoice_id = supplier_invoice_id(cmd.supplier_id, cmd.invoice_number)
    invoice = await uow.get(SupplierInvoice, supplier_invoice_stream_id(invoice_id))
    reasons = order.hold_reasons(cmd.lines, price_tolerance())
    number = await next_document_number(uow.conn, "AP", now.date())
    net, _ = invoice_totals(cmd.lines)
    recorded = invoice.record(
        invoice_id,
        invoice_number=cmd.invoice_number,
        document_number=number,
        supplier_id=cmd.supplier_id,
        po_id=cmd.po_id,
        invoice_date=cmd.invoice_date,
        lines=cmd.lines,
        hold_reasons=reasons,
        occurred_at=now,
        price_variance=None if reasons else order.price_variance(cmd.lines, net),
    )
    if recorded.status == MATCHED:
        order.record_invoice_match(invoice_id, cmd.lines, occurred_at=now)
    return {
        "invoice_id": invoice_id,
        "document_number": number,
        "status": recorded.status,
        "hold_reasons": [{"sku": r.sku, "code": r.code, "message": r.message} for r in reasons],
        "net_total": recorded.net_total,
        "tax_total": recorded.tax_total,
        "total": recorded.total,
        "price_variance": recorded.price_variance,
    }


async def release_supplier_invoice(
    uow: FinanceUnitOfWork, cmd: ReleaseSupplierInvoice
) -> dict[str, Any]:
    """Release (the match passes now) or override (accepted as is) a held invoice: it is
    posted now, like a matched one, and its qty counts as invoiced on the PO."""
    invoice = await uow.supplier_invoice(cmd.invoice_id)
    if invoice.order_id is None:
        raise InvalidState(f"invoice {cmd.invoice_id} names no purchase order")
    order = await uow.purchase_order(invoice.order_id)
    now = datetime.now(UTC)
    (await uow.periods()).require_open(now.date())
    reasons_now = order.hold_reasons(invoice.lines, price_tolerance())
    released = invoice.release(
        cmd.reason,
        reasons_now=reasons_now,
        override=cmd.override,
        price_variance=order.price_variance(invoice.lines, invoice.net_total),
        occurred_at=now,
    )
    order.record_invoice_match(released.invoice_id, invoice.lines, occurred_at=now)
    return {
        "invoice_id": released.invoice_id,
        "document_number": released.document_number,
        "status": OPEN,
        "overridden": released.overridden,
        "overridden_reasons": [
            {"sku": r.sku, "code": r.code, "message": r.message}
            for r in released.overridden_reasons
        ],
        "price_variance": released.price_variance,
    }


async def make_payment(uow: FinanceUnitOfWork, cmd: MakePayment) -> dict[str, Any]:
    supplier = await uow.supplier(cmd.supplier_id)
    now = datetime.now(UTC)
    (await uow.periods()).require_open(now.date())
    number = await next_document_number(uow.conn, "PAY", now.date())
    payment = supplier.pay(cmd.payment_id, number, cmd.amount, cmd.allocations, occurred_at=now)
    settled = []
    for allocation in cmd.allocations:
        invoice = await uow.supplier_invoice(allocation.invoice_id)
        if invoice.counterparty_id != cmd.supplier_id:
            raise InvalidState(f"invoice {allocation.invoice_id} is not {cmd.supplier_id}'s")
        invoice.allocate(payment.payment_id, allocation.amount, occurred_at=now)
        if invoice.open_amount == 0:
            settled.append(allocation.invoice_id)
    return {
        "payment_id": payment.payment_id,
        "payment_number": number,
        "amount": payment.amount,
        "settled_invoices": settled,
    }
