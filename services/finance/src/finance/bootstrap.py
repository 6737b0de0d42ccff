"""Composition root of the finance service: builds its blueprint from settings."""

from eventkit.runtime import ServiceBlueprint, service_migrations

SERVICE = "finance"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Finance 财务",
        migrations=service_migrations(__file__),
    )
