"""What sales consumes: inventory's reservations, releases, dispatches, customer returns and
item registrations. Each handler: decode the contract, run the policy in the inbox's
transaction, save. Finance's events join here once their contracts exist (docs/sales.md)."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events.finance import (
    CreditNoteIssued,
    CustomerInvoiceIssued,
    InvoiceSettled,
    PaymentReceived,
)
from erp_contracts.events.inventory import (
    CustomerReturnReceived,
    ItemRegistered,
    ShipmentDispatched,
    StockReleased,
    StockReservationRejected,
    StockReserved,
)
from erp_contracts.registry import PublicEvent
from eventkit import EventStore, current_context
from eventkit.messaging.inbox import EventHandler
from eventkit.messaging.subscriptions import Subscription
from sales.application.billing import (
    on_credit_note_issued,
    on_customer_invoice_issued,
    on_invoice_settled,
    on_payment_received,
)
from sales.application.fulfilment import (
    on_customer_return_received,
    on_item_registered,
    on_shipment_dispatched,
    on_stock_released,
    on_stock_reservation_rejected,
    on_stock_reserved,
)
from sales.application.unit_of_work import SalesUnitOfWork

E = TypeVar("E", bound=PublicEvent)
Policy = Callable[[SalesUnitOfWork, E], Awaitable[None]]


def handler(store: EventStore, contract: type[E], policy: Policy[E]) -> EventHandler:
    async def handle(conn: AsyncConnection, envelope: EventEnvelope) -> None:
        event = contract.model_validate(envelope.payload)
        uow = SalesUnitOfWork(conn, store, current_context())
        await policy(uow, event)
        await uow.save()

    return handle


async def handle_item_registered(conn: AsyncConnection, envelope: EventEnvelope) -> None:
    await on_item_registered(conn, ItemRegistered.model_validate(envelope.payload))


#: What sales does with each order event of inventory and each billing event of finance.
POLICIES: tuple[tuple[Any, Any], ...] = (
    (StockReserved, on_stock_reserved),
    (StockReservationRejected, on_stock_reservation_rejected),
    (StockReleased, on_stock_released),
    (ShipmentDispatched, on_shipment_dispatched),
    (CustomerReturnReceived, on_customer_return_received),
    (CustomerInvoiceIssued, on_customer_invoice_issued),
    (PaymentReceived, on_payment_received),
    (CreditNoteIssued, on_credit_note_issued),
    (InvoiceSettled, on_invoice_settled),
)


def subscriptions(store: EventStore) -> list[Subscription]:
    handlers = {
        contract.event_type: handler(store, contract, policy) for contract, policy in POLICIES
    }
    handlers[ItemRegistered.event_type] = handle_item_registered
    return [Subscription(name="sales", sources=("inventory", "finance"), handlers=handlers)]
