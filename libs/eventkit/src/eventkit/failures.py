"""Telling an infrastructure failure from a failure of the work itself.

The kernel's promise — nothing lost, nothing doubled — depends on this distinction: a message
whose handler fails because PostgreSQL is restarting, a pool timed out or a transaction lost a
serialization race must be tried again later, never dead-lettered; an HTTP command that meets
the same must answer 503 with Retry-After, never 500. Only a failure that repeats on a healthy
database is the work's own fault.
"""

import asyncio
from collections.abc import Iterator

from sqlalchemy import exc as sa_exc

from eventkit.errors import DependencyUnavailable
from eventkit.store.errors import ConcurrencyError

#: SQLSTATE classes and codes that say "the database, not your statement": connection
#: exceptions (08), insufficient resources (53), operator intervention (57P: shutdown,
#: cannot connect now), serialization failure and deadlock (40001, 40P01), lock not available.
_TRANSIENT_SQLSTATE_PREFIXES = ("08", "53", "57P", "40001", "40P01", "55P03", "58")


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps (`__cause__`, `__context__`, a DBAPI error's `orig`)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending.extend(
            [
                current.__cause__,
                current.__context__,
                orig if isinstance(orig, BaseException) else None,
            ]
        )


def is_infrastructure_failure(error: BaseException) -> bool:
    """True when `error` comes from the database, the network or a lost race — never from the
    handler's own logic — so the work must be retried, not refused or dead-lettered."""
    return any(_is_transient(cause) for cause in causes(error))


def _is_transient(cause: BaseException) -> bool:
    if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
        return True
    return (
        isinstance(
            cause,
            ConcurrencyError
            | DependencyUnavailable
            | sa_exc.TimeoutError
            | sa_exc.DisconnectionError
            | sa_exc.OperationalError
            | OSError
            | TimeoutError
            | asyncio.TimeoutError,
        )
        or _transient_sqlstate(cause)
        or _is_kafka_error(cause)
        or _is_asyncpg_connection_error(cause)
    )


def _is_kafka_error(error: BaseException) -> bool:
    return type(error).__module__.startswith("aiokafka") and "Error" in type(error).__name__


def _transient_sqlstate(error: BaseException) -> bool:
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return isinstance(state, str) and state.startswith(_TRANSIENT_SQLSTATE_PREFIXES)


def _is_asyncpg_connection_error(error: BaseException) -> bool:
    import asyncpg

    if isinstance(error, asyncpg.PostgresConnectionError):
        return True
    # "connection is closed" / "connection was closed in the middle of operation"; other
    # interface errors are programming errors and are left to the health check.
    return isinstance(error, asyncpg.InterfaceError) and "closed" in str(error)
