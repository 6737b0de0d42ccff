"""Running the sales service in-process against real PostgreSQL and the real broker, in a
topic namespace of its own, and playing inventory by publishing its contract events."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from eventkit.testing.service import ServiceUnderTest, envelope_of, eventually, running_service
from sales.bootstrap import blueprint

__all__ = ["CLERK", "VIEWER", "SalesUnderTest", "auth", "envelope_of", "eventually"]

ADMIN = "admin-secret"
CLERK = "clerk-secret"
VIEWER = "viewer-secret"
TOKENS = f"{CLERK}=chen.jing:sales|viewer;{VIEWER}=zhao.li:viewer"


def auth(token: str = CLERK, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


@dataclass
class SalesUnderTest(ServiceUnderTest):
    async def get(self, path: str, **params: str) -> Any:
        response = await self.client.get(path, params=params, headers=auth(VIEWER))
        assert response.status_code == 200, response.text
        return response.json()

    async def event_types(self, stream_id: str) -> list[str]:
        async with self.runtime.engine.connect() as conn:
            from sqlalchemy import text

            rows = await conn.execute(
                text("SELECT event_type FROM events WHERE stream_id = :s ORDER BY stream_version"),
                {"s": stream_id},
            )
            return [row.event_type for row in rows]


@contextlib.asynccontextmanager
async def running_sales(database_url: str, bootstrap: str) -> AsyncIterator[SalesUnderTest]:
    async with running_service(
        blueprint(), database_url, bootstrap, admin_token=ADMIN, tokens=TOKENS
    ) as service:
        yield SalesUnderTest(service.client, service.runtime, service.namespace, bootstrap)
