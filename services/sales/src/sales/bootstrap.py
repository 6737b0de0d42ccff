"""Composition root of the sales service: builds its blueprint from settings."""

from eventkit.runtime import ServiceBlueprint, service_migrations

SERVICE = "sales"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Sales 销售",
        migrations=service_migrations(__file__),
    )
