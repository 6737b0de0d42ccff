"""`erp events show/tail` and `erp dlq list/retry` against a real database and a real broker."""

import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from typer.testing import CliRunner

from erp_contracts.envelope import EventEnvelope
from erp_contracts.topics import dlq_topic, events_topic
from erpctl.main import app
from erpctl.sync import run_coroutine
from eventkit import EventMetadata, EventStore, NewEvent
from eventkit.db import create_engine
from eventkit.messaging.envelopes import encode
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import drain

runner = CliRunner()


def env(
    database_url: str = "", infra: Infrastructure | None = None, ns: str = ""
) -> dict[str, str]:
    values = {"COLUMNS": "250"}
    if database_url:
        values["ERP_INVENTORY_DATABASE_URL"] = database_url
    if infra is not None:
        values["ERP_KAFKA_BOOTSTRAP_SERVERS"] = infra.kafka_bootstrap_servers
        values["ERP_TOPIC_NAMESPACE"] = ns
    return values


async def append_stream(url: str, stream_id: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await EventStore().append(
                conn,
                [
                    NewEvent(stream_id, "ThingHappened", {"n": 1, "名": "茶"}),
                    NewEvent(stream_id, "ThingChanged", {"n": 2}),
                ],
                {stream_id: 0},
                EventMetadata(actor="clerk-wang", correlation_id="c-1"),
            )
    finally:
        await engine.dispose()


async def produce(
    bootstrap: str,
    topic: str,
    value: bytes,
    *,
    key: bytes | None = None,
    headers: list[tuple[str, bytes]] | None = None,
    partition: int | None = None,
) -> tuple[int, int]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        metadata = await (
            await producer.send(topic, value, key=key, headers=headers, partition=partition)
        )
    finally:
        await producer.stop()
    return metadata.partition, metadata.offset


def envelope(event_type: str, stream_id: str) -> EventEnvelope:
    now = datetime.now(UTC)
    return EventEnvelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        schema_version=1,
        stream_id=stream_id,
        stream_version=1,
        global_position=1,
        occurred_at=now,
        recorded_at=now,
        actor="clerk-li",
        producer="inventory",
        payload={"sku": "TEA-001", "qty": "3"},
    )


def test_events_show_prints_every_event_of_the_stream_with_actor_and_compact_payload(
    database_url: str,
) -> None:
    run_coroutine(append_stream(database_url, "thing-1"))

    result = runner.invoke(app, ["events", "show", "inventory", "thing-1"], env=env(database_url))

    assert result.exit_code == 0, result.output
    assert "ThingHappened" in result.output
    assert "ThingChanged" in result.output
    assert '{"n":1,"名":"茶"}' in result.output
    assert "clerk-wang" in result.output


def test_events_show_of_a_stream_without_events_exits_1(database_url: str) -> None:
    result = runner.invoke(app, ["events", "show", "inventory", "nothing-9"], env=env(database_url))

    assert result.exit_code == 1
    assert "no events in stream nothing-9" in result.output


def test_events_show_names_the_database_it_cannot_reach() -> None:
    unreachable = "postgresql://postgres@127.0.0.1:1/erp_nowhere"

    result = runner.invoke(
        app, ["events", "show", "inventory", "x"], env={"ERP_INVENTORY_DATABASE_URL": unreachable}
    )

    assert result.exit_code == 1
    assert "error:" in result.output
    assert "erp_nowhere" in result.output


def test_events_tail_from_the_beginning_prints_the_envelopes_and_filters_by_type(
    infra: Infrastructure, kafka_namespace: str
) -> None:
    topic = events_topic("inventory", kafka_namespace)
    bootstrap = infra.kafka_bootstrap_servers
    run_coroutine(produce(bootstrap, topic, encode(envelope("StockReceived", "stock-A@W"))))
    run_coroutine(produce(bootstrap, topic, encode(envelope("StockIssued", "stock-B@W"))))
    arguments = ["events", "tail", "inventory", "--from-beginning", "--no-follow"]

    everything = runner.invoke(app, arguments, env=env(infra=infra, ns=kafka_namespace))
    only_issues = runner.invoke(
        app, [*arguments, "--type", "StockIssued"], env=env(infra=infra, ns=kafka_namespace)
    )

    assert everything.exit_code == 0, everything.output
    assert "StockReceived" in everything.output
    assert "stock-A@W@1" in everything.output
    assert '{"sku":"TEA-001","qty":"3"}' in everything.output
    assert "2 event(s)" in everything.output
    assert only_issues.exit_code == 0, only_issues.output
    assert "StockIssued" in only_issues.output
    assert "StockReceived" not in only_issues.output


def test_events_tail_from_the_end_without_follow_prints_nothing_old(
    infra: Infrastructure, kafka_namespace: str
) -> None:
    topic = events_topic("inventory", kafka_namespace)
    run_coroutine(
        produce(infra.kafka_bootstrap_servers, topic, encode(envelope("StockReceived", "s-1")))
    )

    result = runner.invoke(
        app,
        ["events", "tail", "inventory", "--no-follow"],
        env=env(infra=infra, ns=kafka_namespace),
    )

    assert result.exit_code == 0, result.output
    assert "StockReceived" not in result.output
    assert "0 event(s)" in result.output


def dead_letter_headers(source_topic: str, event_id: str) -> list[tuple[str, bytes]]:
    return [
        ("event_type", b"StockReceived"),
        ("event_id", event_id.encode()),
        ("correlation_id", b"corr-7"),
        ("dlq_consumer", b"inventory.on_purchase_order"),
        ("dlq_error_type", b"ValueError"),
        ("dlq_error", b"boom: bad qty"),
        ("dlq_source_topic", source_topic.encode()),
        ("dlq_source_partition", b"2"),
        ("dlq_source_offset", b"7"),
        ("dlq_attempts", b"3"),
        ("dlq_failed_at", b"2025-03-01T10:00:00+00:00"),
    ]


def test_dlq_list_shows_a_record_with_its_failure_and_origin(
    infra: Infrastructure, kafka_namespace: str
) -> None:
    source = events_topic("inventory", kafka_namespace)
    event_id = str(uuid.uuid4())
    partition, offset = run_coroutine(
        produce(
            infra.kafka_bootstrap_servers,
            dlq_topic("inventory", kafka_namespace),
            b'{"poison": true}',
            key=b"stock-A@W",
            headers=dead_letter_headers(source, event_id),
        )
    )

    result = runner.invoke(
        app, ["dlq", "list", "inventory"], env=env(infra=infra, ns=kafka_namespace)
    )

    assert result.exit_code == 0, result.output
    assert f"{partition}:{offset}" in result.output
    assert "inventory.on_purchase_order" in result.output
    assert "ValueError: boom: bad qty" in result.output
    assert f"{source}:2:7" in result.output
    assert event_id in result.output
    assert "StockReceived" in result.output


def test_dlq_retry_republishes_the_original_to_the_source_topic_without_dlq_headers(
    infra: Infrastructure, kafka_namespace: str
) -> None:
    bootstrap = infra.kafka_bootstrap_servers
    source = events_topic("inventory", kafka_namespace)
    event_id = str(uuid.uuid4())
    partition, offset = run_coroutine(
        produce(
            bootstrap,
            dlq_topic("inventory", kafka_namespace),
            b'{"poison": true}',
            key=b"stock-A@W",
            headers=dead_letter_headers(source, event_id),
        )
    )

    result = runner.invoke(
        app,
        ["dlq", "retry", "inventory", "--offset", f"{partition}:{offset}"],
        env=env(infra=infra, ns=kafka_namespace),
    )

    assert result.exit_code == 0, result.output
    assert f"{source}:2:0" in result.output
    (republished,) = run_coroutine(drain(bootstrap, source, expect=1, timeout=10))
    assert republished.value == b'{"poison": true}'
    assert republished.key == b"stock-A@W"
    assert republished.partition == 2
    assert [name for name, _ in republished.headers] == ["event_type", "event_id", "correlation_id"]
    assert dict(republished.headers)["event_id"] == event_id.encode()


def test_dlq_retry_of_an_offset_that_is_not_on_the_dlq_exits_1_and_sends_nothing(
    infra: Infrastructure, kafka_namespace: str
) -> None:
    result = runner.invoke(
        app,
        ["dlq", "retry", "inventory", "--offset", "0:99"],
        env=env(infra=infra, ns=kafka_namespace),
    )

    assert result.exit_code == 1
    assert "no record at 0:99" in result.output
    source = events_topic("inventory", kafka_namespace)
    assert run_coroutine(drain(infra.kafka_bootstrap_servers, source, expect=1, timeout=2)) == []


def test_dlq_retry_needs_either_offsets_or_all() -> None:
    result = runner.invoke(app, ["dlq", "retry", "inventory"])

    assert result.exit_code == 2
    assert "--offset" in result.output


def test_events_tail_following_stops_after_the_limit(
    infra: Infrastructure, kafka_namespace: str
) -> None:
    topic = events_topic("inventory", kafka_namespace)
    for stream in ("s-1", "s-2"):
        run_coroutine(
            produce(infra.kafka_bootstrap_servers, topic, encode(envelope("StockReceived", stream)))
        )

    result = runner.invoke(
        app,
        ["events", "tail", "inventory", "--from-beginning", "--limit", "1"],
        env=env(infra=infra, ns=kafka_namespace),
    )

    assert result.exit_code == 0, result.output
    assert result.output.count("StockReceived") == 1
