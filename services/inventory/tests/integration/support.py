"""Running the inventory service in-process against real PostgreSQL and the real broker, in a
topic namespace of its own, and playing purchasing/sales by publishing their contract events."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from erp_contracts.envelope import EventEnvelope
from erp_contracts.registry import PublicEvent
from erp_contracts.topics import SERVICES, events_topic
from eventkit.messaging.envelopes import encode, headers
from eventkit.messaging.topics import ensure_topics
from eventkit.runtime import ServiceRuntime, create_app
from eventkit.settings import ServiceSettings
from inventory.bootstrap import blueprint

ADMIN = "admin-secret"
CLERK = "clerk-secret"
VIEWER = "viewer-secret"


@dataclass
class InventoryUnderTest:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    namespace: str
    bootstrap: str

    async def publish(self, producer_service: str, stream_id: str, event: PublicEvent) -> None:
        await publish_events(self.bootstrap, self.namespace, producer_service, [(stream_id, event)])

    async def event_count(self, event_type: str | None = None) -> int:
        async with self.runtime.engine.connect() as conn:
            value = await conn.scalar(
                text(
                    "SELECT count(*) FROM events WHERE CAST(:t AS text) IS NULL OR event_type = :t"
                ),
                {"t": event_type},
            )
        return int(value or 0)

    async def stock(self, sku: str, warehouse_id: str, **params: str) -> dict[str, Any] | None:
        response = await self.client.get(
            "/stock",
            params={"sku": sku, "warehouse_id": warehouse_id, **params},
            headers=auth(VIEWER),
        )
        assert response.status_code == 200, response.text
        rows = response.json()
        return rows[0] if rows else None


def auth(token: str = CLERK, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


@contextlib.asynccontextmanager
async def running_inventory(database_url: str, bootstrap: str) -> AsyncIterator[InventoryUnderTest]:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    await ensure_topics(bootstrap, SERVICES, namespace=namespace)
    settings = ServiceSettings(
        service="inventory",
        database=database_url,
        kafka_bootstrap_servers=bootstrap,
        topic_namespace=namespace,
        admin_token=ADMIN,
        tokens=f"{CLERK}=wang.fang:inventory|viewer;{VIEWER}=zhao.li:viewer",
        log_json=False,
        log_level="WARNING",
        relay_idle_poll_seconds=0.05,
    )
    app = create_app(blueprint(), settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://inventory") as client:
            yield InventoryUnderTest(client, app.state.runtime, namespace, bootstrap)


async def publish_events(
    bootstrap: str, namespace: str, producer_service: str, events: list[tuple[str, PublicEvent]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        futures = []
        for position, (stream_id, event) in enumerate(events, start=1):
            now = datetime.now(UTC)
            envelope = EventEnvelope(
                event_id=uuid.uuid4(),
                event_type=event.event_type,
                schema_version=event.schema_version,
                stream_id=stream_id,
                stream_version=1,
                global_position=position,
                occurred_at=now,
                recorded_at=now,
                producer=producer_service,
                payload=event.model_dump(mode="json"),
            )
            futures.append(
                await producer.send(
                    events_topic(producer_service, namespace),
                    encode(envelope),
                    key=stream_id.encode(),
                    headers=headers(envelope),
                )
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.1)
    return False
