"""Engine, database creation and plain versioned-SQL migrations.

Migrations are `NNNN_name.sql` files: the kernel's (`eventkit/sql`) first, then the
service's own `migrations/` folder. Each file runs once, in its own transaction, under an
advisory lock so that replicas starting together do not race.

`migrate` also checks, before and after the migrations, that the stored event positions belong
to this PostgreSQL cluster (`eventkit.store.positions.check_positions`): a database restored from
a logical dump into another cluster refuses to start with `PositionsAheadOfCluster`, whose one
line names the fix (`erp store rebase <service>`).
"""

import asyncio
import contextlib
from importlib import resources
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from eventkit.logging import get_logger
from eventkit.store.positions import check_positions

log = get_logger(__name__)

_MIGRATION_LOCK = 7_240_001


def create_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping: it costs a round trip per checkout; broken connections surface as
        # errors that the unit of work and the tailers already retry.
        pool_recycle=1800,
        connect_args={"server_settings": {"application_name": "erp"}},
    )


async def ensure_database(url: str) -> None:
    """Create the database named in `url` if the server does not have it yet."""
    parsed = make_url(url)
    name = parsed.database
    admin_dsn = parsed.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    conn = await asyncpg.connect(admin_dsn)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def kernel_migrations() -> list[tuple[str, str]]:
    folder = resources.files("eventkit").joinpath("sql")
    files = sorted(
        (f.name, f.read_text("utf-8")) for f in folder.iterdir() if f.name.endswith(".sql")
    )
    return [(f"eventkit/{name}", sql) for name, sql in files]


def folder_migrations(folder: Path | None, owner: str) -> list[tuple[str, str]]:
    if folder is None or not folder.is_dir():
        return []
    return [(f"{owner}/{p.name}", p.read_text("utf-8")) for p in sorted(folder.glob("*.sql"))]


async def migrate(engine: AsyncEngine, migrations: list[tuple[str, str]]) -> list[str]:
    """Apply the migrations not yet recorded in `schema_migrations`; return their names.

    Raises `eventkit.store.positions.PositionsAheadOfCluster` (before applying anything) when the
    database's event positions come from another cluster, as after restoring a dump there.
    """
    applied: list[str] = []
    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
        await conn.commit()
        try:
            await _ensure_table(conn)
            await _check_positions(conn)  # nothing may be written to a restored database first
            done = set((await conn.execute(text("SELECT name FROM schema_migrations"))).scalars())
            for name, sql in migrations:
                if name in done:
                    continue
                await _apply(conn, name, sql)
                applied.append(name)
            await _check_positions(conn)  # records the cluster once its table exists
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
            await conn.commit()
    if applied:
        log.info("migrations_applied", migrations=applied)
    return applied


async def _ensure_table(conn: AsyncConnection) -> None:
    await conn.execute(
        text(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
    )
    await conn.commit()


async def _check_positions(conn: AsyncConnection) -> None:
    await check_positions(conn)
    await conn.commit()


async def _apply(conn: AsyncConnection, name: str, sql: str) -> None:
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    if driver is None:
        raise RuntimeError("no driver connection for migrations")
    # asyncpg runs a multi-statement script in one simple-protocol call.
    async with driver.transaction():
        await driver.execute(sql)
        await driver.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)


async def wait_for_database(url: str, timeout: float = 30.0) -> None:
    """Wait until the server accepts connections (the stack may still be starting)."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            conn = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)
        else:
            await conn.close()
            return
