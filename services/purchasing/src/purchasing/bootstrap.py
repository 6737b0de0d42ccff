"""Composition root of the purchasing service: builds its blueprint from settings."""

from eventkit.runtime import ServiceBlueprint, service_migrations

SERVICE = "purchasing"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Purchasing 采购",
        migrations=service_migrations(__file__),
    )
