"""Running the purchasing service in-process against real PostgreSQL and the real broker, in a
topic namespace of its own, and playing inventory/sales by publishing their contract events."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

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
from purchasing.bootstrap import blueprint

ADMIN = "admin-secret"
BUYER = "buyer-secret"
APPROVER = "approver-secret"
VIEWER = "viewer-secret"


def auth(token: str = BUYER, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def envelope_of(
    producer: str,
    stream_id: str,
    event: PublicEvent,
    *,
    stream_version: int = 1,
    event_id: UUID | None = None,
) -> EventEnvelope:
    now = datetime.now(UTC)
    return EventEnvelope(
        event_id=event_id or uuid.uuid4(),
        event_type=event.event_type,
        schema_version=event.schema_version,
        stream_id=stream_id,
        stream_version=stream_version,
        global_position=stream_version,
        occurred_at=now,
        recorded_at=now,
        producer=producer,
        payload=event.model_dump(mode="json"),
    )


@dataclass
class PurchasingUnderTest:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    namespace: str
    bootstrap: str

    async def publish(self, *envelopes: EventEnvelope) -> None:
        """Send envelopes, in order, on their producers' topics (keyed by stream id)."""
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, enable_idempotence=False)
        await producer.start()
        try:
            for envelope in envelopes:
                await producer.send_and_wait(
                    events_topic(envelope.producer or "", self.namespace),
                    encode(envelope),
                    key=envelope.stream_id.encode(),
                    headers=headers(envelope),
                )
        finally:
            await producer.stop()

    async def event_count(self, event_type: str | None = None) -> int:
        return await self.scalar(
            "SELECT count(*) FROM events WHERE CAST(:t AS text) IS NULL OR event_type = :t",
            t=event_type,
        )

    async def consumed(self, event_id: UUID) -> bool:
        found = await self.scalar("SELECT count(*) FROM inbox WHERE event_id = :e", e=event_id)
        return found > 0

    async def scalar(self, sql: str, **params: Any) -> int:
        async with self.runtime.engine.connect() as conn:
            value = await conn.scalar(text(sql), params)
        return int(value or 0)

    async def get(self, path: str, **params: str) -> Any:
        response = await self.client.get(path, params=params, headers=auth(VIEWER))
        assert response.status_code == 200, response.text
        return response.json()


@contextlib.asynccontextmanager
async def running_purchasing(
    database_url: str, bootstrap: str
) -> AsyncIterator[PurchasingUnderTest]:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    await ensure_topics(bootstrap, SERVICES, namespace=namespace)
    settings = ServiceSettings(
        service="purchasing",
        database=database_url,
        kafka_bootstrap_servers=bootstrap,
        topic_namespace=namespace,
        admin_token=ADMIN,
        tokens=(
            f"{BUYER}=wang.fang:purchasing|viewer;{APPROVER}=li.na:approver|viewer;"
            f"{VIEWER}=zhao.li:viewer"
        ),
        log_json=False,
        log_level="WARNING",
        relay_idle_poll_seconds=0.05,
    )
    app = create_app(blueprint(), settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://purchasing") as client:
            yield PurchasingUnderTest(client, app.state.runtime, namespace, bootstrap)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.1)
    return False
