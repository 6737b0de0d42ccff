"""Per-test databases cloned from a migrated template (CREATE DATABASE … TEMPLATE is fast)."""

import os
import uuid

import asyncpg
from sqlalchemy.engine import make_url

from eventkit.db import create_engine, kernel_migrations, migrate
from eventkit.settings import asyncpg_url

#: One template per pytest-xdist worker (`gw0`, `gw1`, …): workers sharing one server
#: (`ERP_TEST_DATABASE_URL`) would otherwise drop each other's template.
TEMPLATE = "_".join(filter(None, ("erp_test_template", os.environ.get("PYTEST_XDIST_WORKER"))))


def _dsn(server_url: str, database: str) -> str:
    return str(
        make_url(server_url)
        .set(drivername="postgresql", database=database)
        .render_as_string(hide_password=False)
    )


async def prepare_template(
    server_url: str, migrations: list[tuple[str, str]] | None = None
) -> None:
    admin = await asyncpg.connect(_dsn(server_url, "postgres"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {TEMPLATE}")
    finally:
        await admin.close()
    engine = create_engine(asyncpg_url(_dsn(server_url, TEMPLATE)), pool_size=1)
    try:
        await migrate(engine, kernel_migrations() + (migrations or []))
    finally:
        await engine.dispose()


async def create_test_database(server_url: str) -> str:
    """A fresh, migrated database; returns its asyncpg SQLAlchemy URL."""
    name = f"erp_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_dsn(server_url, "postgres"))
    try:
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    finally:
        await admin.close()
    return asyncpg_url(_dsn(server_url, name))


async def drop_test_database(server_url: str, url: str) -> None:
    name = make_url(url).database
    admin = await asyncpg.connect(_dsn(server_url, "postgres"))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()
