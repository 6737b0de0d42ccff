"""Kafka helpers for tests: topics per test, and reading everything that arrived."""

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from eventkit.messaging.topics import ensure_topics


async def create_service_topics(bootstrap: str, service: str) -> None:
    await ensure_topics(bootstrap, [service])


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


async def read_to_end(bootstrap: str, topic: str, timeout: float = 30.0) -> list[Any]:
    """Everything `topic` holds now, read by a fresh consumer up to each partition's end offset
    (what a new subscriber would receive — not a counter that an inbox could mask)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records: list[Any] = []
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            await consumer.topics()  # refresh metadata once: the topic may be new
            partitions = [
                TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()
            ]
        if not partitions:
            return records  # no such topic (yet): a subscriber would receive nothing
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            positions = {tp: await consumer.position(tp) for tp in ends}
            if all(positions[tp] >= end for tp, end in ends.items()):
                break
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
        else:
            raise TimeoutError(f"could not read {topic} to its end in {timeout} s")
    finally:
        await consumer.stop()
    return records
