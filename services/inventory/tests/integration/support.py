"""The inventory service in-process (see `eventkit.testing.service`), with stock helpers."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from eventkit.testing.service import ServiceUnderTest, eventually, publish_events, running_service
from inventory.bootstrap import blueprint

__all__ = ["InventoryUnderTest", "auth", "eventually", "publish_events", "running_inventory"]

ADMIN = "admin-secret"
CLERK = "clerk-secret"
VIEWER = "viewer-secret"
TOKENS = f"{CLERK}=wang.fang:inventory|viewer;{VIEWER}=zhao.li:viewer"


def auth(token: str = CLERK, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


@dataclass
class InventoryUnderTest(ServiceUnderTest):
    async def stock(self, sku: str, warehouse_id: str, **params: str) -> dict[str, Any] | None:
        response = await self.client.get(
            "/stock",
            params={"sku": sku, "warehouse_id": warehouse_id, **params},
            headers=auth(VIEWER),
        )
        assert response.status_code == 200, response.text
        rows = response.json()
        return rows[0] if rows else None


@contextlib.asynccontextmanager
async def running_inventory(
    database_url: str, bootstrap: str, namespace: str | None = None
) -> AsyncIterator[InventoryUnderTest]:
    async with running_service(
        blueprint(), database_url, bootstrap, admin_token=ADMIN, tokens=TOKENS, namespace=namespace
    ) as service:
        yield InventoryUnderTest(service.client, service.runtime, service.namespace, bootstrap)
