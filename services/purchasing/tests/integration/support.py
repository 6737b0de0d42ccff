"""Running the purchasing service in-process against real PostgreSQL and the real broker, in a
topic namespace of its own, and playing inventory/sales by publishing their contract events."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from erp_contracts.envelope import EventEnvelope
from eventkit.testing.service import (
    ServiceUnderTest,
    envelope_of,
    eventually,
    running_service,
)
from purchasing.bootstrap import blueprint

__all__ = [
    "ADMIN",
    "APPROVER",
    "BUYER",
    "VIEWER",
    "PurchasingUnderTest",
    "auth",
    "envelope_of",
    "eventually",
    "running_purchasing",
]

ADMIN = "admin-secret"
BUYER = "buyer-secret"
APPROVER = "approver-secret"
VIEWER = "viewer-secret"


def auth(token: str = BUYER, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


@dataclass
class PurchasingUnderTest(ServiceUnderTest):
    async def publish(self, *envelopes: EventEnvelope) -> None:
        """Send envelopes, in order, on their producers' topics (keyed by stream id)."""
        await self.publish_envelopes(*envelopes)

    async def consumed(self, event_id: UUID) -> bool:
        found = await self.scalar("SELECT count(*) FROM inbox WHERE event_id = :e", e=event_id)
        return found > 0

    async def get(self, path: str, **params: str) -> Any:
        response = await self.client.get(path, params=params, headers=auth(VIEWER))
        assert response.status_code == 200, response.text
        return response.json()


TOKENS = (
    f"{BUYER}=wang.fang:purchasing|viewer;{APPROVER}=li.na:approver|viewer;{VIEWER}=zhao.li:viewer"
)


@contextlib.asynccontextmanager
async def running_purchasing(
    database_url: str, bootstrap: str, namespace: str | None = None
) -> AsyncIterator[PurchasingUnderTest]:
    async with running_service(
        blueprint(), database_url, bootstrap, admin_token=ADMIN, tokens=TOKENS, namespace=namespace
    ) as service:
        yield PurchasingUnderTest(service.client, service.runtime, service.namespace, bootstrap)
