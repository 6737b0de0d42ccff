"""What finance consumes: inventory's stock movements (posted to the ledger; receipts and
returns also tracked per PO for the three-way match and debit notes, dispatches invoiced to
the customer, customer returns credited),
purchasing's suppliers and POs, and sales' customers and orders (the invoice prices). Each
handler: decode the contract, run the policies in the inbox's transaction, save."""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events.inventory import (
    CustomerReturnReceived,
    GoodsReceived,
    GoodsReturnedToSupplier,
    ShipmentDispatched,
)
from erp_contracts.events.purchasing import PurchaseOrderPlaced, SupplierRegistered
from erp_contracts.events.sales import CustomerRegistered, SalesOrderPlaced
from erp_contracts.registry import PublicEvent
from eventkit import EventStore, current_context
from eventkit.messaging.inbox import EventHandler
from eventkit.messaging.subscriptions import Subscription
from finance.adapters.inventory_movements import POSTED_EVENTS
from finance.application.ledger import post_inventory_event
from finance.application.payables import (
    on_goods_received,
    on_goods_returned_to_supplier,
    on_purchase_order_placed,
    on_supplier_registered,
)
from finance.application.receivables import (
    on_customer_registered,
    on_customer_return_received,
    on_sales_order_placed,
    on_shipment_dispatched,
)
from finance.application.unit_of_work import FinanceUnitOfWork

Policy = Callable[[FinanceUnitOfWork, Any, datetime], Awaitable[None]]


def source_of(envelope: EventEnvelope) -> str:
    """The event's place in its producer's store: the same under any event id, so a replay
    that re-sends it as a new envelope is still posted once."""
    return f"{envelope.producer}:{envelope.stream_id}#{envelope.stream_version}"


async def post_to_ledger(
    uow: FinanceUnitOfWork, event: PublicEvent, envelope: EventEnvelope
) -> None:
    await post_inventory_event(
        uow,
        event,
        event_id=envelope.event_id,
        source=source_of(envelope),
        occurred_at=envelope.occurred_at,
    )


def handler(
    store: EventStore, contract: type[PublicEvent], policies: Sequence[Policy], *, post: bool
) -> EventHandler:
    async def handle(conn: AsyncConnection, envelope: EventEnvelope) -> None:
        event = contract.model_validate(envelope.payload)
        uow = FinanceUnitOfWork(conn, store, current_context())
        if post:
            await post_to_ledger(uow, event, envelope)
        for policy in policies:
            await policy(uow, event, envelope.occurred_at)
        await uow.save()

    return handle


def subscriptions(store: EventStore) -> list[Subscription]:
    tracked: dict[type[PublicEvent], Sequence[Policy]] = {
        GoodsReceived: (on_goods_received,),
        GoodsReturnedToSupplier: (on_goods_returned_to_supplier,),
        ShipmentDispatched: (on_shipment_dispatched,),
        CustomerReturnReceived: (on_customer_return_received,),
    }
    handlers = {
        contract.event_type: handler(store, contract, tracked.get(contract, ()), post=True)
        for contract in POSTED_EVENTS
    }
    handlers["SupplierRegistered"] = handler(
        store, SupplierRegistered, (on_supplier_registered,), post=False
    )
    handlers["PurchaseOrderPlaced"] = handler(
        store, PurchaseOrderPlaced, (on_purchase_order_placed,), post=False
    )
    handlers["CustomerRegistered"] = handler(
        store, CustomerRegistered, (on_customer_registered,), post=False
    )
    handlers["SalesOrderPlaced"] = handler(
        store, SalesOrderPlaced, (on_sales_order_placed,), post=False
    )
    return [
        Subscription(
            name="finance", sources=("inventory", "purchasing", "sales"), handlers=handlers
        )
    ]
