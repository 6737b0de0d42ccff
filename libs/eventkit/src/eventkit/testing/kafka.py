"""Kafka helpers for tests: topics per test, and reading everything that arrived."""

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer

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
