"""Composition root of the purchasing service: builds its blueprint from its parts."""

from eventkit import EventStore
from eventkit.runtime import ServiceBlueprint, service_migrations
from purchasing.adapters.codec import PUBLIC_EVENTS
from purchasing.adapters.projections import PROJECTIONS
from purchasing.entrypoints.http import routers
from purchasing.entrypoints.kafka import subscriptions

SERVICE = "purchasing"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Purchasing 采购",
        routers=routers(),
        migrations=service_migrations(__file__),
        projections=PROJECTIONS,
        subscriptions=subscriptions(EventStore()),
        public_events=PUBLIC_EVENTS,
    )
