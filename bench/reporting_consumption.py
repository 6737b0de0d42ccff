"""Reporting benchmark 1: does reporting's consumption keep up with what the producers publish?

Inventory's `ShipmentDispatched` and sales' `SalesOrderConfirmed` events (valid contract
payloads) are appended to the two producers' own event stores; their real `OutboxRelay`s publish
them to the real broker (timed: the publish rate); then reporting runs as its runtime does
(`running_service`: `ConsumerHost` inbox subscription, projection runners, its relay) and reads
the topics from the beginning. Two rates, both timed from the first copy reporting kept (so
the consumer group's join is reported apart): copies kept in reporting's store (the inbox
stage) and every projection's checkpoint at the newest copy (read models up to date).
"""

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.common import console
from erp_contracts.events import inventory, sales
from erp_contracts.registry import PublicEvent
from erp_contracts.topics import SERVICES
from eventkit import EventStore, NewEvent
from eventkit.db import create_engine
from eventkit.messaging.relay import KafkaTopicLog, OutboxRelay, kafka_producer_factory
from eventkit.messaging.topics import ensure_topics
from eventkit.notify import commits
from eventkit.settings import ServiceSettings
from eventkit.store.records import EventMetadata
from eventkit.testing.service import new_namespace, running_service
from reporting.adapters.projections import PROJECTIONS
from reporting.bootstrap import blueprint

APPEND_BATCH = 500
POLL_SECONDS = 0.05
TIMEOUT_SECONDS = 600.0
ADMIN = "bench-admin"
SKUS = 200
_START = datetime(2026, 1, 1, 8, tzinfo=UTC)

#: Copies every projection has applied: at or before the slowest checkpoint (one writer, the
#: inbox, so the store's order is its commit order).
_PROJECTED = text(
    """
    SELECT count(*) FROM events
     WHERE global_position <= (SELECT min(global_position) FROM tailing_checkpoints
                                WHERE reader = ANY(CAST(:readers AS text[])))
    """
)


@dataclass(frozen=True)
class ConsumptionResult:
    events: int
    published_per_s: float
    startup_s: float  # reporting started → first copy kept (group join, first fetch)
    kept: int  # copies kept when the window closed (= events unless the window cut it short)
    projected: int
    consumed_per_s: float
    projected_per_s: float


def shipment(n: int) -> tuple[str, PublicEvent]:
    shipment_id = uuid.uuid4()
    lines = tuple(
        inventory.ValuedLine(
            sku=f"SKU-{(n + k) % SKUS:04d}",
            qty=Decimal(2 + k),
            unit_cost=Decimal("12.50"),
            value=Decimal("12.50") * (2 + k),
        )
        for k in range(2)
    )
    event = inventory.ShipmentDispatched(
        occurred_at=_START + timedelta(minutes=n),
        shipment_id=shipment_id,
        shipment_number=f"SH-{n}",
        order_id=uuid.uuid4(),
        warehouse_id=f"WH-{n % 3}",
        lines=lines,
    )
    return f"shipment-{shipment_id}", event


def confirmation(n: int) -> tuple[str, PublicEvent]:
    order_id = uuid.uuid4()
    lines = tuple(
        sales.QuantityLine(sku=f"SKU-{(n + k) % SKUS:04d}", qty=Decimal(1 + k)) for k in range(3)
    )
    event = sales.SalesOrderConfirmed(
        order_id=order_id,
        order_number=f"SO-{n}",
        customer_id=f"CUST-{n % 50}",
        warehouse_id=f"WH-{n % 3}",
        lines=lines,
    )
    return f"sales-order-{order_id}", event


async def append_events(
    engine: AsyncEngine, producer: str, events: Sequence[tuple[str, PublicEvent]]
) -> None:
    """Into the producer's own store, 500 new streams per transaction (as a busy service)."""
    store = EventStore()
    meta = EventMetadata(actor="bench", producer=producer)
    for first in range(0, len(events), APPEND_BATCH):
        batch = events[first : first + APPEND_BATCH]
        new = [
            NewEvent(stream, e.event_type, e.model_dump(mode="json"), e.schema_version)
            for stream, e in batch
        ]
        async with engine.begin() as conn:
            await store.append(conn, new, dict.fromkeys((s for s, _ in batch), 0), meta)


async def publish(urls: dict[str, str], bootstrap: str, namespace: str, total: int) -> float:
    """Run each producer's real relay until everything is on the broker; events/s."""
    engines = {name: create_engine(url, pool_size=3) for name, url in urls.items()}
    defaults = ServiceSettings(service="bench", database="postgresql://bench")
    relays = [
        OutboxRelay(
            engine,
            name,
            kafka_producer_factory(bootstrap, enable_idempotence=False),
            defaults.relay_batch_size,
            defaults.relay_idle_poll_seconds,
            KafkaTopicLog(bootstrap, name, namespace),
            namespace=namespace,
        )
        for name, engine in engines.items()
    ]
    stop = asyncio.Event()
    began = time.perf_counter()
    tasks = [asyncio.create_task(relay.run(stop)) for relay in relays]
    deadline = began + TIMEOUT_SECONDS
    while sum(r.published for r in relays) < total:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"relays published {sum(r.published for r in relays)} of {total}")
        await asyncio.sleep(POLL_SECONDS / 5)
    elapsed = time.perf_counter() - began
    stop.set()
    commits.committed()  # wake idle relays so they see `stop`
    await asyncio.gather(*tasks)
    for engine in engines.values():
        await engine.dispose()
    return total / elapsed


@dataclass
class _Progress:
    first: float = 0.0  # perf_counter at the first copy kept
    kept: int = 0
    kept_at: float = 0.0
    projected: int = 0
    projected_at: float = 0.0

    def rate(self, count: int, at: float) -> float:
        return count / (at - self.first)


async def consume(
    reporting_url: str, bootstrap: str, namespace: str, total: int, window: float
) -> tuple[float, _Progress]:
    """Reporting as its runtime runs it, until every read model has every copy or `window`
    seconds after the first copy; (startup seconds, progress)."""
    readers = [p.reader for p in PROJECTIONS]
    progress = _Progress()
    async with running_service(
        blueprint(), reporting_url, bootstrap, admin_token=ADMIN, tokens="", namespace=namespace
    ) as service:
        started = time.perf_counter()
        while progress.projected < total:
            async with service.runtime.engine.connect() as conn:
                kept = int(await conn.scalar(text("SELECT count(*) FROM events")) or 0)
                projected = int(await conn.scalar(_PROJECTED, {"readers": readers}) or 0)
            now = time.perf_counter()
            if kept and not progress.first:
                progress.first = now
            if kept > progress.kept:
                progress.kept, progress.kept_at = kept, now
            if projected > progress.projected:
                progress.projected, progress.projected_at = projected, now
            if progress.first and now - progress.first > window:
                break
            if now - started > TIMEOUT_SECONDS:
                raise TimeoutError("reporting kept no copy")
            await asyncio.sleep(POLL_SECONDS)
    return progress.first - started, progress


async def bench_consumption(
    database_urls: dict[str, str], bootstrap: str, events: int, window: float
) -> ConsumptionResult:
    """`database_urls`: fresh databases for `inventory`, `sales` and `reporting`."""
    namespace = new_namespace()
    await ensure_topics(bootstrap, SERVICES, namespace=namespace)
    producers = {"inventory": shipment, "sales": confirmation}
    console.print(f"appending {events:,} events to the inventory and sales stores …")
    for name, make in producers.items():
        engine = create_engine(database_urls[name], pool_size=2)
        await append_events(engine, name, [make(n) for n in range(events // 2)])
        await engine.dispose()
    total = events // 2 * 2
    sources = {name: database_urls[name] for name in producers}
    published = await publish(sources, bootstrap, namespace, total)
    console.print(f"published {published:,.0f} events/s; reporting consuming …")
    startup, p = await consume(database_urls["reporting"], bootstrap, namespace, total, window)
    kept_rate, projected_rate = p.rate(p.kept, p.kept_at), p.rate(p.projected, p.projected_at)
    return ConsumptionResult(
        total, published, startup, p.kept, p.projected, kept_rate, projected_rate
    )
