"""`GET /metrics` over a real database: relay and projection lags read from the checkpoints,
inbox rows, the kernel's providers, and HTTP latency under the route template."""

from collections.abc import AsyncIterator, Mapping

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import EventStore, NewEvent, in_transaction
from eventkit.db import create_engine, kernel_migrations, migrate
from eventkit.metrics import (
    INBOX_ROWS_SQL,
    M_BACKGROUND_TASK_UP,
    M_CONSUMER_LAG,
    M_HTTP_DURATION,
    M_INBOX_ROWS,
    M_PROJECTION_LAG_EVENTS,
    M_PROJECTION_LAG_SECONDS,
    M_RELAY_LAG_EVENTS,
    M_RELAY_LAG_SECONDS,
    M_SOURCE_UP,
    TAILING_LAGS_SQL,
    UNMATCHED_ROUTE,
    ServiceMetrics,
    TailingReaders,
    install_http_metrics,
    metrics_router,
)
from eventkit.projections import ProjectionRunner
from eventkit.tailing import Checkpoint, read_committed, save_checkpoint
from eventkit.testing.tally import TallyProjection

pytestmark = pytest.mark.integration

RELAY_READER = "relay:erp.toy.events"
CONSUMER = "toy.stock_listener"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(body: str) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found[(name, frozenset(labels.items()))]


async def consumer_lag() -> Mapping[tuple[str, str, int], int]:
    return {("toy.stock_listener", "erp.sales.events", 0): 12, ("toy.other", "erp.x.events", 3): 0}


def toy_app(engine: AsyncEngine, metrics: ServiceMetrics, count_cap: int = 100_000) -> FastAPI:
    app = FastAPI()
    install_http_metrics(app, metrics)
    readers = TailingReaders.of(projections=[TallyProjection()])
    app.include_router(
        metrics_router(
            lambda: engine,
            metrics,
            lambda: TailingReaders(RELAY_READER, readers.projections, (CONSUMER,)),
            consumer_lag_provider=consumer_lag,
            tasks_provider=lambda: {"relay": True, "projection:tally": False},
            count_cap=count_cap,
        )
    )

    @app.get("/orders/{order_id}")
    async def get_order(order_id: str) -> dict[str, str]:
        return {"order_id": order_id}

    return app


@pytest.fixture
async def kernel_engine(engine: AsyncEngine) -> AsyncEngine:
    await migrate(engine, kernel_migrations())
    return engine


@pytest.fixture
async def http(kernel_engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    app = toy_app(kernel_engine, ServiceMetrics("toy"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
        yield client


async def append(engine: AsyncEngine, count: int, stream: str = "acct-1") -> None:
    store = EventStore()
    events = [NewEvent(stream, "Counted", {"n": i}) for i in range(count)]

    async def work(conn: AsyncConnection) -> None:
        await store.append(conn, events, {})

    await in_transaction(engine, work)


async def relay_published(engine: AsyncEngine, count: int) -> None:
    """What the relay does after the broker acked its first `count` events."""
    async with engine.begin() as conn:
        batch = await read_committed(conn, Checkpoint(), count)
        assert len(batch) == count
        await save_checkpoint(conn, RELAY_READER, Checkpoint.after(batch[-1]), count)


async def scrape(http: httpx.AsyncClient) -> Samples:
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return samples(response.text)


async def test_relay_lag_is_the_number_of_unpublished_events_and_their_age(
    http: httpx.AsyncClient, kernel_engine: AsyncEngine
) -> None:
    found = await scrape(http)
    assert value(found, M_RELAY_LAG_EVENTS) == 0
    assert value(found, M_RELAY_LAG_SECONDS) == 0

    await append(kernel_engine, 4)
    await append(kernel_engine, 3, stream="acct-2")
    found = await scrape(http)
    assert value(found, M_RELAY_LAG_EVENTS) == 7  # no checkpoint yet: everything is behind

    await relay_published(kernel_engine, 5)
    # The relay's next event was written 90 s ago: that is how far it is behind.
    async with kernel_engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE events SET recorded_at = now() - interval '90 seconds'"
                " WHERE global_position = (SELECT min(global_position) FROM events"
                " WHERE stream_id = 'acct-2') + 1"
            )
        )
    found = await scrape(http)
    assert value(found, M_RELAY_LAG_EVENTS) == 2
    assert 90 <= value(found, M_RELAY_LAG_SECONDS) < 120
    assert value(found, M_SOURCE_UP, source="database") == 1

    await relay_published(kernel_engine, 7)
    found = await scrape(http)
    assert value(found, M_RELAY_LAG_EVENTS) == 0
    assert value(found, M_RELAY_LAG_SECONDS) == 0


async def test_projection_lag_follows_the_projection_checkpoint(
    http: httpx.AsyncClient, kernel_engine: AsyncEngine
) -> None:
    runner = ProjectionRunner(kernel_engine, TallyProjection(), batch_size=4)
    await runner.ensure_schema()
    await append(kernel_engine, 10)

    found = await scrape(http)
    assert value(found, M_PROJECTION_LAG_EVENTS, projection="tally") == 10
    assert value(found, M_PROJECTION_LAG_SECONDS, projection="tally") >= 0

    assert await runner.catch_up_once() == 4
    found = await scrape(http)
    assert value(found, M_PROJECTION_LAG_EVENTS, projection="tally") == 6

    await runner.catch_up()
    found = await scrape(http)
    assert value(found, M_PROJECTION_LAG_EVENTS, projection="tally") == 0
    assert value(found, M_PROJECTION_LAG_SECONDS, projection="tally") == 0


async def test_counts_stop_at_the_cap(kernel_engine: AsyncEngine) -> None:
    await append(kernel_engine, 9)
    async with kernel_engine.begin() as conn:
        for i in range(8):
            await conn.execute(
                text("INSERT INTO inbox (consumer, event_id) VALUES (:c, gen_random_uuid())"),
                {"c": "capped" if i < 7 else "small"},
            )
    app = toy_app(kernel_engine, ServiceMetrics("toy"), count_cap=5)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://toy"
    ) as http:
        found = await scrape(http)
    assert value(found, M_RELAY_LAG_EVENTS) == 5
    assert value(found, M_PROJECTION_LAG_EVENTS, projection="tally") == 5
    assert value(found, M_INBOX_ROWS, consumer="capped") == 5
    assert value(found, M_INBOX_ROWS, consumer="small") == 1
    assert value(found, "erp_lag_count_cap") == 5


async def test_inbox_rows_per_consumer_providers_and_tasks(
    http: httpx.AsyncClient, kernel_engine: AsyncEngine
) -> None:
    async with kernel_engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO inbox (consumer, event_id)"
                " SELECT c, gen_random_uuid() FROM unnest(ARRAY['a', 'a', 'a', 'b']) AS c"
            )
        )
    found = await scrape(http)
    assert value(found, M_INBOX_ROWS, consumer="a") == 3
    assert value(found, M_INBOX_ROWS, consumer="b") == 1
    assert value(found, M_INBOX_ROWS, consumer=CONSUMER) == 0  # declared, nothing yet
    lag_labels = {"group": "toy.stock_listener", "topic": "erp.sales.events", "partition": "0"}
    assert value(found, M_CONSUMER_LAG, **lag_labels) == 12
    assert value(found, M_BACKGROUND_TASK_UP, task="relay") == 1
    assert value(found, M_BACKGROUND_TASK_UP, task="projection:tally") == 0
    assert value(found, M_SOURCE_UP, source="consumer_lag") == 1
    assert value(found, M_SOURCE_UP, source="tasks") == 1


async def test_http_latency_is_recorded_under_the_route_template(
    http: httpx.AsyncClient,
) -> None:
    for order_id in ("SO-1", "SO-2", "SO-3"):
        assert (await http.get(f"/orders/{order_id}")).status_code == 200
    assert (await http.get("/no/such/path")).status_code == 404
    found = await scrape(http)
    count = f"{M_HTTP_DURATION}_count"
    assert value(found, count, method="GET", route="/orders/{order_id}", status="200") == 3
    assert value(found, count, method="GET", route=UNMATCHED_ROUTE, status="404") == 1
    routes = {dict(labels).get("route") for _, labels in found}
    assert not any(route and "SO-" in route for route in routes)
    assert not any(route and "/no/such" in route for route in routes)
    # Every request is in some bucket: the +Inf bucket equals the count.
    inf = value(
        found,
        f"{M_HTTP_DURATION}_bucket",
        method="GET",
        route="/orders/{order_id}",
        status="200",
        le="+Inf",
    )
    assert inf == 3


async def test_a_database_that_cannot_be_read_leaves_the_rest_of_the_scrape_intact() -> None:
    dead = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere", pool_size=1)
    metrics = ServiceMetrics("toy")
    metrics.record_relay_published(3)
    app = toy_app(dead, metrics)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://toy"
        ) as http:
            found = await scrape(http)
    finally:
        await dead.dispose()
    assert value(found, M_SOURCE_UP, source="database") == 0
    assert (M_RELAY_LAG_EVENTS, frozenset()) not in found
    assert value(found, "erp_relay_published_total") == 3
    assert value(found, M_BACKGROUND_TASK_UP, task="projection:tally") == 0


async def explain(engine: AsyncEngine, sql: str, **params: object) -> str:
    async with engine.connect() as conn:
        await conn.execute(text("SET LOCAL enable_seqscan = off"))  # as the scrape does
        rows = await conn.execute(text(f"EXPLAIN {sql}"), params)
        return "\n".join(str(row[0]) for row in rows)


async def test_the_scrape_queries_walk_indexes_not_tables(kernel_engine: AsyncEngine) -> None:
    """On a big table the counts must be bounded index walks, never a scan of the table."""
    async with kernel_engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO events (stream_id, stream_version, event_id, event_type, payload,"
                " occurred_at) SELECT 's-' || (g % 100), g, gen_random_uuid(), 'Counted',"
                " '{}'::jsonb, now() FROM generate_series(1, 20000) AS g"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO inbox (consumer, event_id)"
                " SELECT 'c-' || (g % 3), gen_random_uuid() FROM generate_series(1, 20000) AS g"
            )
        )
        await conn.execute(text("ANALYZE events"))
        await conn.execute(text("ANALYZE inbox"))
    lags = await explain(kernel_engine, TAILING_LAGS_SQL, readers=[RELAY_READER, "p"], cap=10)
    assert "events_commit_order" in lags, lags
    assert "Seq Scan on events" not in lags, lags
    assert "Sort" not in lags, lags
    inbox = await explain(kernel_engine, INBOX_ROWS_SQL, cap=10)
    assert "inbox_pkey" in inbox, inbox
    assert "Seq Scan on inbox" not in inbox, inbox
