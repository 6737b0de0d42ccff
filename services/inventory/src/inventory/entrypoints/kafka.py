"""What inventory consumes: purchase orders (open quantities to receive against), sales
orders (reserve / release), sales' RMAs (customer returns are received against them) and
finance's closed and reopened periods (no movement dated in a closed one). Each handler: decode
the contract, run the policy in the inbox's transaction, save."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events.finance import PeriodClosed, PeriodReopened
from erp_contracts.events.purchasing import (
    PurchaseOrderCancelled,
    PurchaseOrderPlaced,
    PurchaseReturnRequested,
)
from erp_contracts.events.sales import (
    SalesOrderCancelled,
    SalesOrderPlaced,
    SalesReturnRequested,
)
from erp_contracts.registry import PublicEvent
from eventkit import EventStore, current_context
from eventkit.messaging.inbox import EventHandler
from eventkit.messaging.subscriptions import Subscription
from inventory.application.customer_returns import on_sales_return_requested
from inventory.application.periods import on_period_closed, on_period_reopened
from inventory.application.receiving import (
    on_purchase_order_cancelled,
    on_purchase_order_placed,
    on_purchase_return_requested,
)
from inventory.application.reservations import on_sales_order_cancelled, on_sales_order_placed
from inventory.application.unit_of_work import InventoryUnitOfWork

E = TypeVar("E", bound=PublicEvent)
Policy = Callable[[InventoryUnitOfWork, E], Awaitable[None]]


def handler(store: EventStore, contract: type[E], policy: Policy[E]) -> EventHandler:
    async def handle(conn: AsyncConnection, envelope: EventEnvelope) -> None:
        event = contract.model_validate(envelope.payload)
        uow = InventoryUnitOfWork(conn, store, current_context())
        await policy(uow, event)
        await uow.save()

    return handle


#: What inventory does with each event it consumes.
POLICIES: tuple[tuple[Any, Any], ...] = (
    (PurchaseOrderPlaced, on_purchase_order_placed),
    (PurchaseOrderCancelled, on_purchase_order_cancelled),
    (PurchaseReturnRequested, on_purchase_return_requested),
    (SalesOrderPlaced, on_sales_order_placed),
    (SalesOrderCancelled, on_sales_order_cancelled),
    (SalesReturnRequested, on_sales_return_requested),
    (PeriodClosed, on_period_closed),
    (PeriodReopened, on_period_reopened),
)


def subscriptions(store: EventStore) -> list[Subscription]:
    return [
        Subscription(
            name="inventory",
            sources=("purchasing", "sales", "finance"),
            handlers={
                contract.event_type: handler(store, contract, policy)
                for contract, policy in POLICIES
            },
        )
    ]
