"""`Idempotency-Key`: a retried command returns the first response and changes nothing.

The key (scoped to actor and route) is stored in the same transaction as the command's events.
Concurrent requests with one key queue on a transaction advisory lock of the key, so the second
finds the first's stored response and returns it without deciding again. The primary key on the
stored key is the second line of defence: exactly one effect, even concurrently.
"""

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.errors import BusinessRuleViolation
from eventkit.jsonutil import dumps
from eventkit.uow import in_transaction

CommandWork = Callable[[AsyncConnection], Awaitable[tuple[int, dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class IdempotentResult:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 4242))")
_LOOKUP = text("SELECT request_hash, status_code, response FROM idempotency_keys WHERE key = :k")
_STORE = text(
    "INSERT INTO idempotency_keys (key, request_hash, status_code, response)"
    " VALUES (:k, :h, :s, CAST(:r AS jsonb))"
)


async def run_idempotent(
    engine: AsyncEngine,
    key: str | None,
    request: Any,
    work: CommandWork,
    retries: int = 5,
) -> IdempotentResult:
    if key is None:
        status, body = await in_transaction(engine, work, retries)
        return IdempotentResult(status, body)
    digest = hashlib.sha256(dumps(request).encode()).hexdigest()

    async def once(conn: AsyncConnection) -> IdempotentResult:
        # Requests with one key queue here: the second sees the first's stored response instead
        # of deciding again on state the first already changed (e.g. credit it used up).
        await conn.execute(_LOCK, {"k": key})
        stored = await _stored(conn, key, digest)
        if stored is not None:
            return stored
        status, body = await work(conn)
        await conn.execute(_STORE, {"k": key, "h": digest, "s": status, "r": dumps(body)})
        return IdempotentResult(status, body)

    try:
        return await in_transaction(engine, once, retries)
    except IntegrityError as error:
        if "idempotency_keys_pkey" not in str(error.orig):
            raise
    async with engine.connect() as conn:
        stored = await _stored(conn, key, digest)
    if stored is None:  # pragma: no cover - the winner's row is committed by now
        raise RuntimeError("idempotency key vanished")
    return stored


async def _stored(conn: AsyncConnection, key: str, digest: str) -> IdempotentResult | None:
    row = (await conn.execute(_LOOKUP, {"k": key})).first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise BusinessRuleViolation(
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request",
        )
    return IdempotentResult(row.status_code, row.response, replayed=True)
