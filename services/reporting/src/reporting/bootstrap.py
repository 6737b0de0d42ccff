"""Composition root of the reporting service: builds its blueprint from settings."""

from eventkit.runtime import ServiceBlueprint, service_migrations

SERVICE = "reporting"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Reporting 报表",
        migrations=service_migrations(__file__),
    )
