"""Retrying backordered orders when stock arrives (and a periodic sweep as a safety net).

After any command that brings stock in, the orders waiting on its skus are retried oldest first,
each in its own transaction. A sweep retries every waiting order now and then, which also covers
the one race the immediate retry cannot see: an order rejected in a transaction that commits
just after the stock arrived.
"""

import asyncio
from collections.abc import Iterable
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import EventStore, current_context
from eventkit.logging import get_logger
from eventkit.uow import in_transaction
from inventory.adapters.backorders import waiting_for, warehouses_with_waiting
from inventory.application.reservations import retry_reservation
from inventory.application.unit_of_work import InventoryUnitOfWork

log = get_logger(__name__)

SWEEP_SECONDS = 5.0


async def retry_backorders(
    engine: AsyncEngine, store: EventStore, warehouse_id: str, skus: Iterable[str] | None
) -> int:
    """Retry waiting orders for `skus` in the warehouse (all if None); return how many got
    reserved."""
    wanted = list(skus) if skus is not None else None
    async with engine.connect() as conn:
        orders = await waiting_for(conn, warehouse_id, wanted)
    reserved = 0
    for order_id in orders:
        reserved += await _retry_one(engine, store, order_id)
    return reserved


async def _retry_one(engine: AsyncEngine, store: EventStore, order_id: UUID) -> int:
    context = current_context()

    async def work(conn: AsyncConnection) -> bool:
        uow = InventoryUnitOfWork(conn, store, context)
        done = await retry_reservation(uow, order_id)
        await uow.save()
        return done

    try:
        return int(await in_transaction(engine, work))
    except Exception:
        log.exception("backorder_retry_failed", order_id=str(order_id))
        return 0


async def sweep_backorders(engine: AsyncEngine, store: EventStore, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            async with engine.connect() as conn:
                warehouses = await warehouses_with_waiting(conn)
            for warehouse_id in warehouses:
                await retry_backorders(engine, store, warehouse_id, None)
        except Exception:
            log.exception("backorder_sweep_failed")
        try:
            await asyncio.wait_for(stop.wait(), SWEEP_SECONDS)
        except TimeoutError:
            continue
