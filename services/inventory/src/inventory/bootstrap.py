"""Composition root of the inventory service: builds its blueprint from settings."""

from eventkit.runtime import ServiceBlueprint, service_migrations

SERVICE = "inventory"


def blueprint() -> ServiceBlueprint:
    return ServiceBlueprint(
        name=SERVICE,
        title="Inventory 库存·入库·出库",
        migrations=service_migrations(__file__),
    )
