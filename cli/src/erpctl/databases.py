"""Create the per-service databases (`erp_<service>`) on a PostgreSQL server if missing."""

from collections.abc import Iterable

import asyncpg  # type: ignore[import-untyped,unused-ignore]

from erpctl.errors import StackError


def plain_postgres_url(url: str) -> str:
    """Accept SQLAlchemy-style URLs (`postgresql+asyncpg://`, `postgres://`) for asyncpg."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        raise StackError(f"not a PostgreSQL URL: {url!r}")
    if scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        raise StackError(f"not a PostgreSQL URL: {url!r}")
    return f"postgresql://{rest}"


async def create_missing_databases(server_url: str, names: Iterable[str]) -> list[str]:
    """Create each database in `names` that does not exist yet; returns the ones created."""
    try:
        connection = await asyncpg.connect(plain_postgres_url(server_url), timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        raise StackError(f"cannot connect to PostgreSQL at {server_url}: {error}") from error
    created: list[str] = []
    try:
        existing = {
            row["datname"] for row in await connection.fetch("SELECT datname FROM pg_database")
        }
        for name in names:
            if name in existing:
                continue
            try:
                # CREATE DATABASE takes no parameters; the names are ours (`erp_<service>`).
                await connection.execute(f'CREATE DATABASE "{name}"')
            except asyncpg.DuplicateDatabaseError:
                continue  # another process created it between our check and now
            created.append(name)
    finally:
        await connection.close()
    return created
