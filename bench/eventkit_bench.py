"""eventkit benchmarks (issue: foundation). Ratios against raw baselines measured in this run.

1. append: 1 event per transaction, 16 concurrent writers ÷ raw asyncpg single-row insert
   transactions at the same concurrency (goal ≥ 0.6);
2. projection rebuild events/s ÷ raw asyncpg keyset read + JSON decode of the same table
   (goal ≥ 0.5);
3. append → consumed-from-Kafka latency p50/p99 through the relay.
"""

import asyncio
import json
import sys
import time
import uuid
from datetime import UTC, datetime

import asyncpg
from aiokafka import AIOKafkaConsumer
from sqlalchemy.engine import make_url

from bench.common import console, median, percentile, report, run_for
from erp_contracts.topics import events_topic
from eventkit import EventStore, NewEvent
from eventkit.db import create_engine
from eventkit.messaging.relay import OutboxRelay, kafka_producer_factory
from eventkit.notify import commits
from eventkit.projections import rebuild_projection
from eventkit.testing.databases import create_test_database, drop_test_database, prepare_template
from eventkit.testing.infrastructure import started_infrastructure
from eventkit.testing.kafka import create_service_topics
from eventkit.testing.tally import TallyProjection

WRITERS = 16
APPENDS = 2000
ROUNDS = 5
REBUILD_EVENTS = 100_000
LATENCY_SAMPLES = 300
PAYLOAD = {"sku": "SKU-001", "qty": "3", "unit_cost": "12.500000", "warehouse_id": "WH-1"}


def raw_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def bench_append(url: str) -> tuple[float, float]:
    """Interleaved rounds (ours, raw, ours, raw, ...) so machine noise hits both; medians."""
    engine = create_engine(url, pool_size=WRITERS)
    store = EventStore()
    pool = await asyncpg.create_pool(raw_dsn(url), min_size=WRITERS, max_size=WRITERS)
    async with pool.acquire() as conn:
        await conn.execute(
            "CREATE TABLE raw_events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " stream_id text, stream_version int, event_id uuid, event_type text,"
            " payload jsonb, metadata jsonb, occurred_at timestamptz, recorded_at timestamptz"
            " DEFAULT now())"
        )
    body = json.dumps(PAYLOAD)

    async def append(i: int) -> None:
        stream = f"stock-{i}"
        async with engine.begin() as conn:
            await store.append(conn, [NewEvent(stream, "StockAdjusted", PAYLOAD)], {stream: 0})

    async def raw_insert(i: int) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO raw_events (stream_id, stream_version, event_id, event_type,"
                " payload, metadata, occurred_at)"
                " VALUES ($1, 1, $2, 'StockAdjusted', $3, '{}', $4)",
                f"stock-{i}",
                uuid.uuid4(),
                body,
                datetime.now(UTC),
            )

    await run_for(200, WRITERS, append)  # warm-up: pool, prepared statements
    await run_for(200, WRITERS, raw_insert)
    ours, raw = [], []
    for round_no in range(1, ROUNDS + 1):
        # Fresh stream ids every round: each append opens a new stream (expected version 0).
        ours.append(await run_for(APPENDS, WRITERS, append, offset=round_no * 1_000_000))
        raw.append(await run_for(APPENDS, WRITERS, raw_insert, offset=round_no * 1_000_000))
    await engine.dispose()
    await pool.close()
    return median(ours), median(raw)


async def bench_rebuild(url: str) -> tuple[float, float]:
    pool = await asyncpg.create_pool(raw_dsn(url), min_size=1, max_size=2)
    async with pool.acquire() as conn:
        await conn.execute(
            """
            INSERT INTO events (stream_id, stream_version, event_id, event_type, payload,
                                metadata, occurred_at)
            SELECT 'acct-' || (g % 1000), g / 1000 + 1, gen_random_uuid(), 'Counted',
                   jsonb_build_object('n', g % 7, 'sku', 'SKU-001', 'note', 'bench'),
                   '{"actor": "bench"}', now()
            FROM generate_series(0, $1 - 1) g
            """,
            REBUILD_EVENTS,
        )
        await conn.execute("ANALYZE events")
    engine = create_engine(url, pool_size=2)
    started = time.perf_counter()
    rebuilt = await rebuild_projection(engine, TallyProjection())
    ours = rebuilt.events_read / (time.perf_counter() - started)
    await engine.dispose()

    started, read, last = time.perf_counter(), 0, 0
    async with pool.acquire() as conn:
        while True:
            # The same columns the store reads, payload and metadata decoded from JSON.
            rows = await conn.fetch(
                "SELECT global_position, stream_id, stream_version, event_id, event_type,"
                " schema_version, payload::text AS body, metadata::text AS meta, occurred_at,"
                " recorded_at, tx_id::text FROM events"
                " WHERE global_position > $1 ORDER BY global_position LIMIT 5000",
                last,
            )
            if not rows:
                break
            for row in rows:
                json.loads(row["body"])
                json.loads(row["meta"])
            read += len(rows)
            last = rows[-1]["global_position"]
    baseline = read / (time.perf_counter() - started)
    await pool.close()
    return ours, baseline


async def bench_latency(url: str, bootstrap: str) -> tuple[float, float]:
    service = f"bench{uuid.uuid4().hex[:6]}"
    await create_service_topics(bootstrap, service)
    engine = create_engine(url, pool_size=4)
    stop = asyncio.Event()
    relay = OutboxRelay(
        engine, service, kafka_producer_factory(bootstrap, False), idle_poll_seconds=0.05
    )
    relay_task = asyncio.create_task(relay.run(stop))
    consumer = AIOKafkaConsumer(
        events_topic(service),
        bootstrap_servers=bootstrap,
        auto_offset_reset="latest",
        group_id=f"{service}-lat",
        fetch_max_wait_ms=5,
    )
    await consumer.start()
    await asyncio.sleep(1.0)
    store, latencies = EventStore(), []
    for i in range(LATENCY_SAMPLES):
        sent = time.perf_counter()
        stream = f"lat-{i}"
        async with engine.begin() as conn:
            await store.append(conn, [NewEvent(stream, "Ping", {})], {stream: 0})
        commits.committed()  # what the unit of work does after a commit: wake the relay
        while True:
            record = await consumer.getone()
            if record.key == stream.encode():
                break
        latencies.append((time.perf_counter() - sent) * 1000)
    stop.set()
    await relay_task
    await consumer.stop()
    await engine.dispose()
    return percentile(latencies, 0.5), percentile(latencies, 0.99)


async def main() -> None:
    with started_infrastructure() as infra:
        await prepare_template(infra.database_server_url)
        console.print(
            f"[bold]eventkit benchmarks[/] — {WRITERS} writers, {ROUNDS}×{APPENDS} appends, "
            f"{REBUILD_EVENTS:,} events rebuilt, {LATENCY_SAMPLES} latency samples"
        )
        url = await create_test_database(infra.database_server_url)
        try:
            ours, base = await bench_append(url)
            rebuild, read = await bench_rebuild(url)
            p50, p99 = await bench_latency(url, infra.kafka_bootstrap_servers)
        finally:
            await drop_test_database(infra.database_server_url, url)
    report(
        "eventkit",
        [
            (
                "append tx/s (16 writers)",
                f"{ours:,.0f}",
                f"{base:,.0f} raw insert",
                f"{ours / base:.2f} (≥ 0.6)",
            ),
            (
                "rebuild events/s",
                f"{rebuild:,.0f}",
                f"{read:,.0f} raw read+decode",
                f"{rebuild / read:.2f} (≥ 0.5)",
            ),
            ("append→consumed latency", f"p50 {p50:.1f} ms", f"p99 {p99:.1f} ms", "—"),
        ],
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
