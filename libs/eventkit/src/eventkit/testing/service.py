"""A service running in-process for integration tests: its real FastAPI app and lifespan (its
own database, relay, projection runners and Kafka consumers), in a topic namespace of its own,
with helpers to play the other services by publishing their contract events."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import httpx
import uvicorn
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from erp_contracts.envelope import EventEnvelope
from erp_contracts.registry import PublicEvent
from erp_contracts.topics import SERVICES, events_topic
from eventkit.messaging.envelopes import encode, headers
from eventkit.messaging.topics import ensure_topics
from eventkit.runtime import ServiceBlueprint, ServiceRuntime, create_app
from eventkit.settings import ServiceSettings


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


async def publish_envelopes(
    bootstrap: str, namespace: str, envelopes: Sequence[EventEnvelope]
) -> None:
    """Send envelopes on their producers' topics (keyed by stream id) and wait for the acks."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        futures = [
            await producer.send(
                events_topic(envelope.producer, namespace),
                encode(envelope),
                key=envelope.stream_id.encode(),
                headers=headers(envelope),
            )
            for envelope in envelopes
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def publish_events(
    bootstrap: str, namespace: str, producer: str, events: Sequence[tuple[str, PublicEvent]]
) -> None:
    await publish_envelopes(
        bootstrap, namespace, [envelope_of(producer, stream, event) for stream, event in events]
    )


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await check():
            return True
        await asyncio.sleep(0.1)
    return False


@dataclass
class ServiceUnderTest:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    namespace: str
    bootstrap: str

    async def publish_event(self, producer: str, stream_id: str, event: PublicEvent) -> None:
        await publish_events(self.bootstrap, self.namespace, producer, [(stream_id, event)])

    async def publish_envelopes(self, *envelopes: EventEnvelope) -> None:
        await publish_envelopes(self.bootstrap, self.namespace, envelopes)

    async def scalar(self, sql: str, **params: Any) -> int:
        async with self.runtime.engine.connect() as conn:
            value = await conn.scalar(text(sql), params)
        return int(value or 0)

    async def event_count(self, event_type: str | None = None) -> int:
        return await self.scalar(
            "SELECT count(*) FROM events WHERE CAST(:t AS text) IS NULL OR event_type = :t",
            t=event_type,
        )


def new_namespace() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


@contextlib.asynccontextmanager
async def running_service(
    blueprint: ServiceBlueprint,
    database_url: str,
    bootstrap: str,
    *,
    admin_token: str,
    tokens: str,
    namespace: str | None = None,
    app_factory: Callable[[ServiceBlueprint, ServiceSettings], Any] = create_app,
) -> AsyncIterator[ServiceUnderTest]:
    """The service in this process on `database_url`, its HTTP API on an in-memory client.
    `app_factory` builds the app (a service whose app is more than `create_app`'s, like the
    console with its screens, passes its own)."""
    namespace = namespace or new_namespace()
    await ensure_topics(bootstrap, SERVICES, namespace=namespace)
    settings = ServiceSettings(
        service=blueprint.name,
        database=database_url,
        kafka_bootstrap_servers=bootstrap,
        topic_namespace=namespace,
        admin_token=admin_token,
        tokens=tokens,
        log_json=False,
        log_level="WARNING",
        relay_idle_poll_seconds=0.05,
    )
    app = app_factory(blueprint, settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        base_url = f"http://{blueprint.name}"
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield ServiceUnderTest(client, app.state.runtime, namespace, bootstrap)


@contextlib.asynccontextmanager
async def serving(
    app: Any, *, lifespan: Literal["auto", "on", "off"] = "auto"
) -> AsyncIterator[str]:
    """Serve an ASGI app on a free port of 127.0.0.1 for the block; yields its base URL. For a
    service another one calls over real HTTP (`lifespan="off"` when the app already runs, as an
    in-process service under test does)."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan=lifespan, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    if not await eventually(started, timeout=10):
        raise RuntimeError("the server did not start")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
