"""Receivables (应收): customer invoices issued on dispatch at the sales order's prices,
credit notes for the goods customers return, and receipts (收款单) allocated to invoices."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from erp_contracts.events.inventory import CustomerReturnReceived, ShipmentDispatched
from erp_contracts.events.sales import CustomerRegistered, SalesOrderPlaced
from eventkit.numbering import next_document_number
from finance.adapters.projections.invoices import open_invoices_oldest_first
from finance.application.commands import ReceivePayment
from finance.application.order_lines import order_lines
from finance.application.unit_of_work import FinanceUnitOfWork
from finance.domain.customer import CustomerAccount, customer_stream_id
from finance.domain.customer_invoice import CustomerInvoice, customer_invoice_stream_id
from finance.domain.errors import InvalidState
from finance.domain.events import Allocation, QuantityLine
from finance.domain.invoice import OPEN
from finance.domain.money import ZERO
from finance.domain.notes import CreditNote, credit_note_id, note_stream_id
from finance.domain.sales_order import (
    SalesOrderBilling,
    customer_invoice_id,
    sales_order_stream_id,
)


async def on_customer_registered(
    uow: FinanceUnitOfWork, event: CustomerRegistered, occurred_at: datetime
) -> None:
    customer = await uow.get(CustomerAccount, customer_stream_id(event.customer_id))
    customer.record_registration(
        event.customer_id, event.name, event.payment_terms_days, occurred_at=occurred_at
    )


async def on_sales_order_placed(
    uow: FinanceUnitOfWork, event: SalesOrderPlaced, occurred_at: datetime
) -> None:
    order = await uow.get(SalesOrderBilling, sales_order_stream_id(event.order_id))
    lines = order_lines(event.lines)
    order.record_order(
        event.order_id, event.order_number, event.customer_id, lines, occurred_at=occurred_at
    )
    await issue_due_invoices(uow, order, occurred_at)
    await issue_due_credit_notes(uow, order, occurred_at)


async def on_shipment_dispatched(
    uow: FinanceUnitOfWork, event: ShipmentDispatched, occurred_at: datetime
) -> None:
    order = await uow.get(SalesOrderBilling, sales_order_stream_id(event.order_id))
    lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
    order.record_shipment(event.order_id, event.shipment_id, lines, occurred_at=occurred_at)
    await issue_due_invoices(uow, order, occurred_at)


async def issue_due_invoices(
    uow: FinanceUnitOfWork, order: SalesOrderBilling, occurred_at: datetime
) -> None:
    """Invoice every shipment of the order not yet invoiced (once the order is known)."""
    pending = order.shipments_to_invoice()
    if not pending or order.order_id is None:
        return
    customer = await uow.get(CustomerAccount, customer_stream_id(order.customer_id))
    periods = await uow.periods()
    for shipment, lines in pending:
        invoice_id = customer_invoice_id(shipment.shipment_id)
        invoice = await uow.get(CustomerInvoice, customer_invoice_stream_id(invoice_id))
        number = await next_document_number(uow.conn, "AR", shipment.shipped_on)
        invoice.issue(
            invoice_id,
            invoice_number=number,
            customer_id=order.customer_id,
            order_id=order.order_id,
            shipment_id=shipment.shipment_id,
            invoice_date=shipment.shipped_on,
            payment_terms_days=customer.payment_terms_days,
            lines=lines,
            # Posted at the dispatch (the invoice date), whichever half arrived last.
            occurred_at=periods.posting_time(shipment.occurred_at),
        )
        order.mark_invoiced(shipment.shipment_id, invoice_id, occurred_at=occurred_at)


async def on_customer_return_received(
    uow: FinanceUnitOfWork, event: CustomerReturnReceived, occurred_at: datetime
) -> None:
    order = await uow.get(SalesOrderBilling, sales_order_stream_id(event.order_id))
    lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
    order.record_return(event.order_id, event.return_id, lines, occurred_at=occurred_at)
    await issue_due_credit_notes(uow, order, occurred_at)


async def issue_due_credit_notes(
    uow: FinanceUnitOfWork, order: SalesOrderBilling, occurred_at: datetime
) -> None:
    """Credit every return of the order not yet credited (once the order is known), applied
    to the order's open invoices oldest first."""
    pending = order.returns_to_credit()
    if not pending or order.order_id is None:
        return
    periods = await uow.periods()
    for received, lines in pending:
        note_id = credit_note_id(received.return_id)
        invoices = [await uow.customer_invoice(i) for i in order.invoice_ids]
        open_invoices = [
            (i.invoice_id, i.open_amount)
            for i in invoices
            if i.invoice_id is not None and i.status == OPEN
        ]
        # Dated and posted in an open month (the return's own, unless it is closed).
        moment = periods.posting_time(received.occurred_at)
        note = await uow.get(CreditNote, note_stream_id(note_id))
        issued = note.issue(
            note_id,
            number=await next_document_number(uow.conn, "CN", moment.date()),
            customer_id=order.customer_id,
            order_id=order.order_id,
            return_id=received.return_id,
            note_date=moment.date(),
            lines=lines,
            open_invoices=open_invoices,
            occurred_at=moment,
        )
        for allocation in issued.allocations:
            invoice = await uow.customer_invoice(allocation.invoice_id)
            invoice.allocate(note_id, allocation.amount, occurred_at=occurred_at)
        order.mark_credited(received.return_id, note_id, occurred_at=occurred_at)


async def receive_payment(uow: FinanceUnitOfWork, cmd: ReceivePayment) -> dict[str, Any]:
    customer = await uow.customer(cmd.customer_id)
    now = datetime.now(UTC)
    (await uow.periods()).require_open(now.date())
    allocations = (
        await _oldest_first(uow, cmd.customer_id, cmd.amount)
        if cmd.allocations is None
        else cmd.allocations
    )
    number = await next_document_number(uow.conn, "RC", now.date())
    receipt = customer.receive(cmd.receipt_id, number, cmd.amount, allocations, occurred_at=now)
    settled = []
    for allocation in allocations:
        invoice = await uow.customer_invoice(allocation.invoice_id)
        if invoice.counterparty_id != cmd.customer_id:
            raise InvalidState(f"invoice {allocation.invoice_id} is not {cmd.customer_id}'s")
        invoice.allocate(receipt.receipt_id, allocation.amount, occurred_at=now)
        if invoice.open_amount == 0:
            settled.append(allocation.invoice_id)
    return {
        "receipt_id": receipt.receipt_id,
        "receipt_number": number,
        "amount": receipt.amount,
        "allocations": [{"invoice_id": a.invoice_id, "amount": a.amount} for a in allocations],
        "settled_invoices": settled,
    }


async def _oldest_first(
    uow: FinanceUnitOfWork, customer_id: str, amount: Decimal
) -> tuple[Allocation, ...]:
    """Spread the amount over the customer's open invoices, oldest first (the open amounts
    come from the invoices themselves, not the read model that lists them)."""
    allocations: list[Allocation] = []
    left = amount
    for invoice_id in await open_invoices_oldest_first(uow.conn, "receivable", customer_id):
        if left <= ZERO:
            break
        invoice = await uow.get(CustomerInvoice, customer_invoice_stream_id(invoice_id))
        share = min(left, invoice.open_amount)
        if share > ZERO and invoice.status == "open":
            allocations.append(Allocation(invoice_id=UUID(str(invoice_id)), amount=share))
            left -= share
    return tuple(allocations)
