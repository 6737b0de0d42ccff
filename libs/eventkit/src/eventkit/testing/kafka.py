"""Kafka helpers for tests: topics per test, and reading everything that arrived."""

import asyncio
import contextlib
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from erp_contracts.topics import EVENTS_TOPIC_PARTITIONS, dlq_topic, events_topic


async def create_service_topics(bootstrap: str, service: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [
            NewTopic(name, EVENTS_TOPIC_PARTITIONS, 1)
            for name in (events_topic(service), dlq_topic(service))
            if name not in existing
        ]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(wanted)
    finally:
        await admin.close()


async def drain(bootstrap: str, topic: str, expect: int, timeout: float = 30.0) -> list[Any]:
    """Read `topic` from the beginning until `expect` records arrived (or timeout)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(records) < expect and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
    finally:
        await consumer.stop()
    return records
