"""Reporting in-process against real PostgreSQL and the real broker, in a topic namespace of
its own; the tests play the four other services by publishing their contract events."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from eventkit.testing.service import ServiceUnderTest, eventually, running_service
from reporting.bootstrap import blueprint

ADMIN = "admin-secret"
ANALYST = "analyst-secret"
NO_ROLE = "no-role-secret"
VIEWER = "viewer-secret"
TOKENS = f"{ANALYST}=wang.fang:analyst;{VIEWER}=zhao.li:viewer;{NO_ROLE}=guest:"

__all__ = [
    "ANALYST",
    "NO_ROLE",
    "VIEWER",
    "ReportingUnderTest",
    "auth",
    "eventually",
    "running_reporting",
]


def auth(token: str = ANALYST) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class ReportingUnderTest(ServiceUnderTest):
    async def report(self, name: str, **params: str) -> list[dict[str, Any]]:
        response = await self.client.get(f"/reports/{name}", params=params, headers=auth())
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["rows"]
        return rows

    async def copies_kept(self, count: int) -> None:
        """Wait until reporting's store holds `count` copies of consumed events."""

        async def kept() -> bool:
            return await self.event_count() >= count

        assert await eventually(kept), f"kept {await self.event_count()} of {count} events"


@contextlib.asynccontextmanager
async def running_reporting(database_url: str, bootstrap: str) -> AsyncIterator[ReportingUnderTest]:
    async with running_service(
        blueprint(), database_url, bootstrap, admin_token=ADMIN, tokens=TOKENS
    ) as service:
        yield ReportingUnderTest(service.client, service.runtime, service.namespace, bootstrap)
