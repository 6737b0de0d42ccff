"""What sales learns from finance: invoices (order → invoiced, credit moves from the order's
commitment to open receivables), receipts and credit notes for returns (receivables come
down) and settlements (the last settled invoice of an invoiced order completes it →
`SalesOrderCompleted`)."""

from datetime import UTC, datetime

from erp_contracts.events.finance import (
    CreditNoteIssued,
    CustomerInvoiceIssued,
    InvoiceSettled,
    PaymentReceived,
)
from sales.application.unit_of_work import SalesUnitOfWork
from sales.domain.sales_order import SalesOrder, sales_order_stream_id


async def on_customer_invoice_issued(uow: SalesUnitOfWork, event: CustomerInvoiceIssued) -> None:
    order = await uow.get(SalesOrder, sales_order_stream_id(event.order_id))
    if not order.exists:
        return  # an order sales never wrote
    order.record_invoice(event.invoice_id, event.invoice_number, event.total, occurred_at=_now())
    customer = await uow.customer(order.customer_id, for_update=True)
    customer.record_invoice(event.order_id, event.invoice_id, event.total, occurred_at=_now())


async def on_payment_received(uow: SalesUnitOfWork, event: PaymentReceived) -> None:
    customer = await uow.customer(event.customer_id, for_update=True)
    allocations = [(a.invoice_id, a.amount) for a in event.allocations]
    customer.record_payment(event.receipt_id, allocations, occurred_at=_now())


async def on_credit_note_issued(uow: SalesUnitOfWork, event: CreditNoteIssued) -> None:
    """A credit note applied to invoices lowers open receivables like a receipt does."""
    customer = await uow.customer(event.customer_id, for_update=True)
    allocations = [(a.invoice_id, a.amount) for a in event.allocations]
    customer.record_payment(event.credit_note_id, allocations, occurred_at=_now())


async def on_invoice_settled(uow: SalesUnitOfWork, event: InvoiceSettled) -> None:
    if event.kind != "receivable" or event.order_id is None:
        return  # a supplier invoice, or one not tied to a sales order
    order = await uow.get(SalesOrder, sales_order_stream_id(event.order_id))
    if order.exists:
        order.record_settlement(event.invoice_id, occurred_at=_now())


def _now() -> datetime:
    # Finance's contracts carry business dates (invoice_date), not instants: the order's
    # timeline records when sales learned of the invoice, receipt or settlement.
    return datetime.now(UTC)
