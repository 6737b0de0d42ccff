"""Composition root of the sales service: builds its blueprint from its parts."""

from eventkit import EventStore
from eventkit.runtime import ServiceBlueprint, service_migrations
from sales.adapters.codec import PUBLIC_EVENTS
from sales.adapters.projections import PROJECTIONS
from sales.entrypoints.http import routers
from sales.entrypoints.kafka import subscriptions

SERVICE = "sales"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Sales 销售",
        routers=routers(),
        migrations=service_migrations(__file__),
        projections=PROJECTIONS,
        subscriptions=subscriptions(EventStore()),
        public_events=PUBLIC_EVENTS,
    )
