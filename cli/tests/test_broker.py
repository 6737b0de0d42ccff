"""LocalBroker and ensure_topics: the local Kafka-compatible broker and the ERP topics."""

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from erp_contracts.topics import EVENTS_TOPIC_PARTITIONS
from erpctl.broker import LocalBroker
from erpctl.errors import StackError
from erpctl.topics import ensure_topics, erp_topics

pytestmark = pytest.mark.integration


async def topic_partitions(bootstrap_servers: str) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        names = await admin.list_topics()
        described = await admin.describe_topics(list(names)) if names else []
    finally:
        await admin.close()
    return {topic["topic"]: len(topic["partitions"]) for topic in described}


async def test_a_message_produced_to_the_broker_can_be_consumed(
    free_port: Callable[[], int],
) -> None:
    with LocalBroker(free_port()) as broker:
        await ensure_topics(broker.bootstrap_servers, services=["sales"])
        producer = AIOKafkaProducer(
            bootstrap_servers=broker.bootstrap_servers, enable_idempotence=False
        )
        await producer.start()
        try:
            await producer.send_and_wait("erp.sales.events", b"SalesOrderPlaced", key=b"SO-1")
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            "erp.sales.events",
            bootstrap_servers=broker.bootstrap_servers,
            auto_offset_reset="earliest",
            group_id="cli-test",
        )
        await consumer.start()
        try:
            message = await consumer.getone()
        finally:
            await consumer.stop()
    assert (message.key, message.value) == (b"SO-1", b"SalesOrderPlaced")


async def test_ensure_topics_creates_every_erp_topic_once_with_its_partitions(
    free_port: Callable[[], int],
) -> None:
    with LocalBroker(free_port()) as broker:
        created = await ensure_topics(broker.bootstrap_servers)
        again = await ensure_topics(broker.bootstrap_servers)
        partitions = await topic_partitions(broker.bootstrap_servers)
    assert sorted(created) == sorted(erp_topics())
    assert "erp.inventory.events" in created
    assert "erp.finance.dlq" in created
    assert again == []
    assert {partitions[topic] for topic in erp_topics()} == {EVENTS_TOPIC_PARTITIONS}


async def test_a_restarted_broker_forgets_its_topics_until_ensure_topics_recreates_them(
    free_port: Callable[[], int],
) -> None:
    with LocalBroker(free_port()) as broker:
        await ensure_topics(broker.bootstrap_servers)
        broker.stop()
        assert not broker.running
        broker.start()
        assert not set(erp_topics()) & set(await topic_partitions(broker.bootstrap_servers))
        recreated = await ensure_topics(broker.bootstrap_servers)
        assert sorted(recreated) == sorted(erp_topics())


def test_a_port_in_use_gives_a_one_line_error_naming_the_port(
    free_port: Callable[[], int],
) -> None:
    port = free_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(StackError) as error:
            LocalBroker(port).start()
    assert str(error.value) == (
        f"port {port} is in use (is another stack running? use --kafka-port)"
    )


def test_a_missing_broker_binary_gives_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, free_port: Callable[[], int]
) -> None:
    monkeypatch.setenv("CALF_TANSU_BIN", "/nonexistent/tansu")
    with pytest.raises(StackError, match=r"broker binary \(Tansu\) was not found") as error:
        LocalBroker(free_port()).start()
    assert "\n" not in str(error.value)


async def test_ensure_topics_without_a_broker_fails_with_a_clear_error(
    free_port: Callable[[], int],
) -> None:
    port = free_port()
    with pytest.raises(StackError, match=f"cannot create topics on 127.0.0.1:{port}"):
        await ensure_topics(f"127.0.0.1:{port}")


def test_a_broker_that_exits_while_starting_is_reported_with_the_tail_of_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free_port: Callable[[], int]
) -> None:
    failing = tmp_path / "tansu"
    failing.write_text("#!/bin/sh\necho 'Error: storage engine unavailable' >&2\nexit 2\n")
    failing.chmod(0o755)
    monkeypatch.setenv("CALF_TANSU_BIN", str(failing))
    broker = LocalBroker(free_port())
    with pytest.raises(StackError) as error:
        broker.start()
    message = str(error.value)
    assert message.startswith("the Kafka broker exited with code 2 while starting")
    assert "storage engine unavailable" in message
    assert not broker.log_path.exists()  # the temporary log is removed with the broker
