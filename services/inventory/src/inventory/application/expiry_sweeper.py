"""The 临期预警 sweep the service runs by itself: at start and then every hour, for today's
date (UTC). Each lot alerts once (the stock item remembers), so running it often is harmless;
`POST /lots/expiry-sweep {as_of}` runs the same sweep for an explicit date."""

import asyncio
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import CommandContext, EventStore
from eventkit.logging import get_logger
from eventkit.uow import in_transaction
from inventory.application.commands import SweepExpiringLots
from inventory.application.storage import sweep_expiring_lots
from inventory.application.unit_of_work import InventoryUnitOfWork

log = get_logger(__name__)

SWEEP_EVERY_SECONDS = 3600.0


async def sweep_once(engine: AsyncEngine, store: EventStore) -> int:
    """One sweep for today; how many lots were alerted."""
    now = datetime.now(UTC)
    command = SweepExpiringLots(as_of=now.date(), occurred_at=now)

    async def work(conn: AsyncConnection) -> int:
        uow = InventoryUnitOfWork(conn, store, CommandContext(actor="expiry-sweep"))
        swept = await sweep_expiring_lots(uow, command)
        await uow.save()
        return len(swept["alerts"])

    return await in_transaction(engine, work)


async def sweep_expiring_lots_daily(
    engine: AsyncEngine, store: EventStore, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        try:
            alerted = await sweep_once(engine, store)
            if alerted:
                log.info("lots_near_expiry", alerted=alerted)
        except Exception:
            log.exception("expiry_sweep_failed")
        try:
            await asyncio.wait_for(stop.wait(), SWEEP_EVERY_SECONDS)
        except TimeoutError:
            continue
