"""How long "not yet known" normally lasts: from inventory's `POST /items` answering 201 to
sales accepting an order for that item, both services in-process on the real broker in one
topic namespace (inventory's relay → broker → sales' inbox consumer → `known_items`).

50 samples, one after the other, with the client retrying `POST /orders` every 5 ms while it
answers 409 `not_yet_known`. Prints p50 / p99 / max; the figures are in docs/eventkit.md
("Consistency"). The assertion is loose (every sample within a minute, as `eventually`
waits): it guards the mechanism, not the speed of a busy test machine — the first sample also
waits for sales' consumer to join its group, which takes seconds more when the machine is busy.
"""

import asyncio
import time
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import text

from erp_contracts.envelope import HEADER_EVENT_ID
from erp_contracts.topics import events_topic
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest
from inventory.bootstrap import blueprint as inventory_blueprint
from sales.bootstrap import blueprint as sales_blueprint

from ..e2e.conftest import services_in_one_namespace
from .support import HEADERS, percentile

pytestmark = pytest.mark.integration

SAMPLES = 50
WARM_UP = 3
POLL_SECONDS = 0.005
#: A sample not through by then means the item never reaches sales.
NEVER_SECONDS = 60


async def test_lag_from_item_registered_in_inventory_to_orderable_in_sales(
    infra: Infrastructure, two_databases: list[str]
) -> None:
    async with services_in_one_namespace(
        infra, two_databases, inventory_blueprint(), sales_blueprint()
    ) as (inventory, sales):
        customer = {"customer_id": "C-LAG", "name": "Lag", "credit_limit": "1000000000"}
        response = await sales.client.post(
            "/customers", json={**customer, "payment_terms_days": 30}, headers=HEADERS
        )
        assert response.status_code == 201, response.text

        async def sample(n: int) -> tuple[float, int]:
            sku = f"LAG-{n}-{uuid.uuid4().hex[:6]}"
            item = {"sku": sku, "name": sku, "uom": "pcs"}
            response = await inventory.client.post("/items", json=item, headers=HEADERS)
            assert response.status_code == 201, response.text
            registered = time.perf_counter()
            order = {
                "customer_id": "C-LAG",
                "warehouse_id": "WH-1",
                "lines": [{"sku": sku, "qty": "1", "unit_price": "1"}],
            }
            refusals = 0
            while True:
                response = await sales.client.post("/orders", json=order, headers=HEADERS)
                if response.status_code == 201:
                    return time.perf_counter() - registered, refusals
                assert response.status_code == 409, response.text
                assert response.json()["error"] == "not_yet_known", response.text
                assert "Retry-After" in response.headers
                refusals += 1
                assert time.perf_counter() - registered < NEVER_SECONDS, (
                    f"{sku} never reached sales"
                )
                await asyncio.sleep(POLL_SECONDS)

        for n in range(WARM_UP):  # the consumer's first fetch after joining its group
            await sample(-1 - n)
        samples = [await sample(n) for n in range(SAMPLES)]
        lags = [seconds * 1000 for seconds, _ in samples]
        refused = sum(1 for _, refusals in samples if refusals)
        print(  # noqa: T201 - the figure the docs quote
            f"LAG inventory POST /items 201 → sales accepts the order: {SAMPLES} samples, "
            f"p50={percentile(lags, 0.5):.0f} ms p99={percentile(lags, 0.99):.0f} ms "
            f"max={max(lags):.0f} ms min={min(lags):.0f} ms; "
            f"{refused} of {SAMPLES} first answered 409 not_yet_known"
        )
        await where_the_time_goes(infra, inventory, sales)


async def where_the_time_goes(
    infra: Infrastructure, inventory: ServiceUnderTest, sales: ServiceUnderTest
) -> None:
    """Split the measured samples' delivery: the item's event recorded in inventory's store →
    sent by the relay (the Kafka record's timestamp) → processed by sales' inbox consumer
    (both databases on one PostgreSQL server, the broker on this machine: one clock)."""
    async with inventory.runtime.engine.connect() as conn:
        recorded: dict[uuid.UUID, datetime] = dict(
            (
                await conn.execute(
                    text(
                        "SELECT event_id, recorded_at FROM events"
                        " WHERE event_type = 'ItemRegistered' AND payload->>'sku' NOT LIKE 'LAG--%'"
                    )
                )
            ).all()
        )
    async with sales.runtime.engine.connect() as conn:
        processed: dict[uuid.UUID, datetime] = dict(
            (await conn.execute(text("SELECT event_id, processed_at FROM inbox"))).all()
        )
    sent = await send_times(infra.kafka_bootstrap_servers, inventory.namespace, set(recorded))
    relay, consumer = [], []
    for event_id, at in recorded.items():
        if event_id in processed and str(event_id) in sent:
            published = sent[str(event_id)]
            relay.append((published - at).total_seconds() * 1000)
            consumer.append((processed[event_id] - published).total_seconds() * 1000)
    assert len(relay) == SAMPLES, f"{len(relay)} of {SAMPLES} samples traced"
    print(  # noqa: T201
        f"LAG   inventory's store → relay sent it: p50={percentile(relay, 0.5):.0f} ms "
        f"p99={percentile(relay, 0.99):.0f} ms; sent → sales' inbox processed it: "
        f"p50={percentile(consumer, 0.5):.0f} ms p99={percentile(consumer, 0.99):.0f} ms"
    )


async def send_times(bootstrap: str, namespace: str, wanted: set[uuid.UUID]) -> dict[str, datetime]:
    """Event id → the timestamp of its record on inventory's topic (set when the relay sent
    it), reading until every `wanted` event was seen. An empty fetch is no proof of the end of
    the topic: a busy machine may take longer than one fetch wait to assign the partitions."""
    consumer = AIOKafkaConsumer(
        events_topic("inventory", namespace),
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    times: dict[str, datetime] = {}
    missing = {str(event_id) for event_id in wanted}
    deadline = time.monotonic() + 60
    try:
        while missing and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    event_id = dict(record.headers).get(HEADER_EVENT_ID, b"").decode()
                    times[event_id] = datetime.fromtimestamp(record.timestamp / 1000, UTC)
                    missing.discard(event_id)
    finally:
        await consumer.stop()
    return times
