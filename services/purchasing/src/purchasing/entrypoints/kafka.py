"""What purchasing consumes: inventory's reorder alerts, receipts and returns to suppliers, and
sales' backorders. Each handler: decode the contract, run the policy in the inbox's
transaction, save."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events.inventory import (
    GoodsReceived,
    GoodsReturnedToSupplier,
    ReorderPointBreached,
)
from erp_contracts.events.sales import SalesOrderBackordered
from erp_contracts.registry import PublicEvent
from eventkit import EventStore, current_context
from eventkit.messaging.inbox import EventHandler
from eventkit.messaging.subscriptions import Subscription
from purchasing.application.receipts import on_goods_received, on_goods_returned_to_supplier
from purchasing.application.requisitions import (
    on_reorder_point_breached,
    on_sales_order_backordered,
)
from purchasing.application.unit_of_work import PurchasingUnitOfWork

E = TypeVar("E", bound=PublicEvent)
Policy = Callable[[PurchasingUnitOfWork, E], Awaitable[None]]
SourcedPolicy = Callable[[PurchasingUnitOfWork, E, str], Awaitable[None]]


def source_of(envelope: EventEnvelope) -> str:
    """The event's place in its producer's store: the same under any event id, so a replay
    that re-sends it as a new envelope is still recognised."""
    return f"{envelope.producer}:{envelope.stream_id}#{envelope.stream_version}"


def handler(store: EventStore, contract: type[E], policy: Policy[E]) -> EventHandler:
    async def handle(conn: AsyncConnection, envelope: EventEnvelope) -> None:
        event = contract.model_validate(envelope.payload)
        uow = PurchasingUnitOfWork(conn, store, current_context())
        await policy(uow, event)
        await uow.save()

    return handle


def sourced_handler(store: EventStore, contract: type[E], policy: SourcedPolicy[E]) -> EventHandler:
    async def handle(conn: AsyncConnection, envelope: EventEnvelope) -> None:
        event = contract.model_validate(envelope.payload)
        uow = PurchasingUnitOfWork(conn, store, current_context())
        await policy(uow, event, source_of(envelope))
        await uow.save()

    return handle


def subscriptions(store: EventStore) -> list[Subscription]:
    return [
        Subscription(
            name="purchasing",
            sources=("inventory", "sales"),
            handlers={
                "ReorderPointBreached": sourced_handler(
                    store, ReorderPointBreached, on_reorder_point_breached
                ),
                "SalesOrderBackordered": sourced_handler(
                    store, SalesOrderBackordered, on_sales_order_backordered
                ),
                "GoodsReceived": handler(store, GoodsReceived, on_goods_received),
                "GoodsReturnedToSupplier": handler(
                    store, GoodsReturnedToSupplier, on_goods_returned_to_supplier
                ),
            },
        )
    ]
