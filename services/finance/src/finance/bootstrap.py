"""Composition root of the finance service: builds its blueprint from its parts."""

from eventkit import EventStore
from eventkit.runtime import ServiceBlueprint, service_migrations
from finance.adapters.codec import PUBLIC_EVENTS
from finance.adapters.projections import PROJECTIONS
from finance.entrypoints.http import routers
from finance.entrypoints.kafka import subscriptions

SERVICE = "finance"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Finance 财务",
        routers=routers(),
        migrations=service_migrations(__file__),
        projections=PROJECTIONS,
        subscriptions=subscriptions(EventStore()),
        public_events=PUBLIC_EVENTS,
    )
