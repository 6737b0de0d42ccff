"""Running the finance service in-process against real PostgreSQL and the real broker, in a
topic namespace of its own, and playing inventory/purchasing by publishing their contract
events."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from erp_contracts.envelope import EventEnvelope
from erp_contracts.registry import PublicEvent
from eventkit.projections import ProjectionRunner
from eventkit.testing.service import (
    ServiceUnderTest,
    envelope_of,
    eventually,
    running_service,
)
from finance.adapters.projections import PROJECTIONS
from finance.bootstrap import blueprint

__all__ = [
    "CLERK",
    "FINANCE_ADMIN",
    "VIEWER",
    "FinanceUnderTest",
    "auth",
    "envelope_of",
    "running_finance",
]

ADMIN = "admin-secret"
CLERK = "clerk-secret"
VIEWER = "viewer-secret"
FINANCE_ADMIN = "finance-admin-secret"
TOKENS = (
    f"{CLERK}=qian.hui:finance|viewer;{VIEWER}=zhao.li:viewer;"
    f"{FINANCE_ADMIN}=wang.fang:finance|finance_admin|viewer"
)


def auth(token: str = CLERK, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


@dataclass
class FinanceUnderTest(ServiceUnderTest):
    async def publish(self, *envelopes: EventEnvelope) -> None:
        """Send envelopes, in order, on their producers' topics (keyed by stream id)."""
        await self.publish_envelopes(*envelopes)

    async def actors(self, event_type: str) -> list[str]:
        """The actor recorded in the metadata of each event of `event_type`, in store order."""
        query = text(
            "SELECT metadata->>'actor' FROM events WHERE event_type = :t ORDER BY global_position"
        )
        async with self.runtime.engine.connect() as conn:
            return [row[0] for row in await conn.execute(query, {"t": event_type})]

    async def consumed(self, *envelopes: EventEnvelope) -> bool:
        ids = [e.event_id for e in envelopes]
        found = await self.scalar("SELECT count(*) FROM inbox WHERE event_id = ANY(:e)", e=ids)
        return found == len(set(ids))

    async def settled(self, *envelopes: EventEnvelope) -> None:
        """Wait until finance consumed the envelopes, then bring the read models up to its store."""

        async def consumed() -> bool:
            return await self.consumed(*envelopes)

        assert await eventually(consumed), "finance did not consume the events"
        for projection in PROJECTIONS:
            await ProjectionRunner(self.runtime.engine, projection).catch_up()

    async def get(self, path: str, **params: str) -> Any:
        response = await self.client.get(path, params=params, headers=auth(VIEWER))
        assert response.status_code == 200, response.text
        return response.json()

    async def trial_balance(self, **params: str) -> dict[str, Any]:
        body: dict[str, Any] = await self.get("/ledger/trial-balance", **params)
        return body

    async def balances(self) -> dict[str, Decimal]:
        """Account → debit − credit."""
        body = await self.trial_balance()
        return {a["code"]: Decimal(a["debit"]) - Decimal(a["credit"]) for a in body["accounts"]}


def envelopes(producer: str, *events: tuple[str, PublicEvent]) -> list[EventEnvelope]:
    """One envelope per (stream, event), numbering each stream's versions from 1."""
    versions: dict[str, int] = {}
    out = []
    for stream, event in events:
        versions[stream] = versions.get(stream, 0) + 1
        out.append(envelope_of(producer, stream, event, stream_version=versions[stream]))
    return out


@contextlib.asynccontextmanager
async def running_finance(
    database_url: str, bootstrap: str, namespace: str | None = None
) -> AsyncIterator[FinanceUnderTest]:
    async with running_service(
        blueprint(), database_url, bootstrap, admin_token=ADMIN, tokens=TOKENS, namespace=namespace
    ) as service:
        yield FinanceUnderTest(service.client, service.runtime, service.namespace, bootstrap)
