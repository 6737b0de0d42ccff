"""Topic set-up and the size of a topic's log, over the Kafka admin/consumer APIs."""

import asyncio
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, OffsetOutOfRangeError, TopicAlreadyExistsError, for_code

from erp_contracts.topics import (
    EVENTS_TOPIC_PARTITIONS,
    NAMESPACE,
    SERVICES,
    dlq_topic,
    events_topic,
)

REPLICATION_FACTOR = 1


class TopicSetupError(RuntimeError):
    """The broker refused or could not be reached to create topics."""


def service_topics(services: Iterable[str] = SERVICES, namespace: str = NAMESPACE) -> list[str]:
    """Every topic the services use, events topic first then DLQ, per service."""
    return [
        topic
        for service in services
        for topic in (events_topic(service, namespace), dlq_topic(service, namespace))
    ]


async def ensure_topics(
    bootstrap_servers: str,
    services: Iterable[str] = SERVICES,
    partitions: int = EVENTS_TOPIC_PARTITIONS,
    namespace: str = NAMESPACE,
) -> list[str]:
    """Create the missing topics of `services`; return the names created.

    The DLQ gets the same partition count as the events topic so a message keeps its key's
    partition when it is moved there and back (`erp dlq retry`).
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000)
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        wanted = service_topics(services, namespace)
        missing = [topic for topic in wanted if topic not in existing]
        if not missing:
            return []
        response = await admin.create_topics(
            [NewTopic(topic, partitions, REPLICATION_FACTOR) for topic in missing],
            timeout_ms=10000,
        )
        return _created_topics(response.topic_errors, bootstrap_servers)
    except KafkaError as error:
        raise TopicSetupError(f"cannot create topics on {bootstrap_servers}: {error!r}") from error
    finally:
        await admin.close()


def _created_topics(topic_errors: list[tuple[str, int, str]], bootstrap_servers: str) -> list[str]:
    """The topics the broker created; "already exists" is fine (a service or another runner
    created it meanwhile), any other per-topic error is not."""
    created: list[str] = []
    for topic, code, *message in topic_errors:
        if code == 0:
            created.append(topic)
        elif code != TopicAlreadyExistsError.errno:
            detail = " ".join(str(part) for part in message if part) or for_code(code).__name__
            raise TopicSetupError(f"cannot create topic {topic} on {bootstrap_servers}: {detail}")
    return created


async def log_holds_record(
    bootstrap_servers: str, topic: str, partition: int, offset: int, event_id: str
) -> bool:
    """Does `topic` still hold, at `partition`/`offset`, the record of `event_id`?

    False when the offset is out of the log's range, no record comes back in time, or another
    record sits there — each means the log the record was written to is gone.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        enable_auto_commit=False,
        auto_offset_reset="none",
        request_timeout_ms=10_000,
    )
    await consumer.start()
    try:
        await consumer.topics()
        if partition not in (consumer.partitions_for_topic(topic) or set()):
            return False
        tp = TopicPartition(topic, partition)
        consumer.assign([tp])
        consumer.seek(tp, offset)
        try:
            batch = await consumer.getmany(tp, timeout_ms=5_000, max_records=1)
        except OffsetOutOfRangeError:
            return False
        records = batch.get(tp, [])
        if not records or records[0].offset != offset:
            return False
        return dict(records[0].headers or ()).get("event_id") == event_id.encode()
    finally:
        await consumer.stop()


async def recreate_if_misshapen(
    bootstrap_servers: str, topic: str, partitions: int = EVENTS_TOPIC_PARTITIONS
) -> bool:
    """Delete and re-create `topic` with `partitions` if it has another partition count; True
    if it did. Only for a topic whose log is known to be lost: after a broker restart a consumer
    asking for the topic can make the broker auto-create it with its own default count, and a
    producer still holding the old count publishes to partitions that do not exist (the local
    broker acks such records and drops them)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        found = consumer.partitions_for_topic(topic) or set()
    finally:
        await consumer.stop()
    if len(found) in (0, partitions):
        return False
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000)
    await admin.start()
    try:
        await admin.delete_topics([topic])
        for _ in range(50):  # deletion completes asynchronously on some brokers
            response = await admin.create_topics([NewTopic(topic, partitions, REPLICATION_FACTOR)])
            if all(code != TopicAlreadyExistsError.errno for _, code, *_ in response.topic_errors):
                return True
            await asyncio.sleep(0.1)
        raise TopicSetupError(f"cannot re-create {topic} with {partitions} partitions")
    finally:
        await admin.close()
