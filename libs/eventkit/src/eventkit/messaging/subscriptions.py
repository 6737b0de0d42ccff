"""FastStream wiring of inbox consumers.

The ack policy is MANUAL and explicit: the offset is committed (`msg.ack()`) only after the
inbox transaction committed or the message was dead-lettered. On an infrastructure failure
(database down, DLQ unreachable) the message is nacked — FastStream seeks back to it — so it is
redelivered rather than skipped.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from erp_contracts.topics import NAMESPACE, dlq_topic, events_topic
from eventkit.logging import get_logger
from eventkit.messaging.dlq import FailedMessage, send_to_dlq
from eventkit.messaging.inbox import BatchHandler, EventHandler, InboxConsumer
from eventkit.metrics import ServiceMetrics

log = get_logger(__name__)


@dataclass(frozen=True)
class Subscription:
    """A consumer of other services' events: `handlers` maps event type → effect.

    `sources` names the producing services; their topics are resolved in the stack's namespace.
    `batch_size` > 1 takes up to that many messages at a time and handles them in one inbox
    transaction with one offset commit (`InboxConsumer.process_batch`) — for handlers that only
    append (reporting's copies), where one transaction per message is the bottleneck.
    """

    name: str
    sources: tuple[str, ...]
    handlers: dict[str, EventHandler] = field(default_factory=dict)
    batch_size: int = 1
    #: Effects of a whole batch at once (its events of the handled types, duplicates left
    #: out); the per-event handlers still serve a batch that falls back to one at a time.
    batch_handler: BatchHandler | None = None
    #: Concurrent transactions a batch is split into, by stream (`InboxConsumer.lanes`).
    lanes: int = 1

    def topics(self, namespace: str = NAMESPACE) -> tuple[str, ...]:
        return tuple(events_topic(source, namespace) for source in self.sources)


def failed_record(raw: Any) -> FailedMessage:
    return FailedMessage(
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        key=raw.key,
        value=raw.value or b"",
        headers=[(k, v or b"") for k, v in (raw.headers or ())],
    )


def subscribe(
    broker: KafkaBroker,
    consumer: InboxConsumer,
    topics: tuple[str, ...],
    group_id: str,
    metrics: ServiceMetrics | None = None,
    fetch_max_wait_ms: int = 20,
    batch_size: int = 1,
) -> None:
    async def handle(msg: KafkaMessage) -> None:
        records = msg.raw_message if isinstance(msg.raw_message, tuple) else (msg.raw_message,)
        try:
            if batch_size > 1:
                await consumer.process_batch([failed_record(r) for r in records])
            else:
                await consumer.process(failed_record(records[0]))
        except Exception:
            log.exception("consume_failed_will_retry", consumer=consumer.name)
            if metrics is not None:
                metrics.record_inbox_retry(consumer.name, "infrastructure")
            await asyncio.sleep(1.0)
            await msg.nack()  # every partition of the batch rewinds to its first record
            return
        await msg.ack()

    broker.subscriber(
        *topics,
        # The inbox decodes the envelope itself (pydantic, from the raw bytes): skip FastStream's
        # JSON decoding of every body, which nothing reads.
        decoder=_body_unread,
        group_id=group_id,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=fetch_max_wait_ms,
        batch=batch_size > 1,
        max_records=batch_size if batch_size > 1 else None,
        batch_timeout_ms=fetch_max_wait_ms,
        title=f"{consumer.name}",
        description=f"Idempotent consumer {consumer.name} (inbox + DLQ)",
    )(handle)


async def _body_unread(message: Any) -> None:  # noqa: ARG001 - the signature FastStream calls
    return None


def dlq_sender(
    producer: Callable[[], AIOKafkaProducer],
    service: str,
    consumer: str,
    namespace: str = NAMESPACE,
) -> Any:
    """The DLQ writer of `consumer`; `producer()` gives the host's current producer."""
    topic = dlq_topic(service, namespace)

    async def dead_letter(message: FailedMessage, error: BaseException, attempts: int) -> None:
        await send_to_dlq(producer(), topic, message, consumer, error, attempts)

    return dead_letter
