"""Composition root of the inventory service: builds its blueprint from its parts."""

from eventkit import EventStore
from eventkit.runtime import ServiceBlueprint, ServiceRuntime, service_migrations
from inventory.adapters.codec import PUBLIC_EVENTS
from inventory.adapters.projections import PROJECTIONS
from inventory.application.backorders import sweep_backorders
from inventory.application.expiry_sweeper import sweep_expiring_lots_daily
from inventory.entrypoints.http import routers
from inventory.entrypoints.kafka import subscriptions

SERVICE = "inventory"


async def backorder_sweeper(runtime: ServiceRuntime) -> None:
    await sweep_backorders(runtime.engine, runtime.store, runtime.stop)


async def expiry_sweeper(runtime: ServiceRuntime) -> None:
    await sweep_expiring_lots_daily(runtime.engine, runtime.store, runtime.stop)


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Inventory 库存·入库·出库",
        routers=routers(),
        migrations=service_migrations(__file__),
        projections=PROJECTIONS,
        subscriptions=subscriptions(EventStore()),
        public_events=PUBLIC_EVENTS,
        workers=[backorder_sweeper, expiry_sweeper],
    )
