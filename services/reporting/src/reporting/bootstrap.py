"""Composition root of the reporting service: builds its blueprint from its parts."""

from eventkit import EventStore
from eventkit.runtime import ServiceBlueprint, service_migrations
from reporting.adapters.projections import PROJECTIONS
from reporting.entrypoints.http import routers
from reporting.entrypoints.kafka import subscriptions

SERVICE = "reporting"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Reporting 报表",
        routers=routers(),
        migrations=service_migrations(__file__),
        projections=PROJECTIONS,
        subscriptions=subscriptions(EventStore()),
        # No public events: its copies of what it consumed, and its saved report definitions,
        # stay in its store (its topic carries nothing; eventkit.messaging.public_events).
        # The copies arrive a consumer batch at a time: each wake-up of the eight runners is a
        # transaction each, so let a few batches gather and apply them together. Requests do
        # not wait for this (a request brings the read models up to date itself).
        projection_batch_size=2_000,
        projection_coalesce_seconds=0.25,
    )
