"""Dead-letter queue: a message a consumer cannot process goes to `erp.<consumer>.dlq` with the
error, so the consumer can move on and an operator can inspect and retry it (`erp dlq`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

DLQ_HEADER_PREFIX = "dlq_"


@dataclass(frozen=True, slots=True)
class FailedMessage:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: Sequence[tuple[str, bytes]]


def dlq_headers(
    message: FailedMessage, consumer: str, error: BaseException, attempts: int
) -> list[tuple[str, bytes]]:
    original = [(k, v) for k, v in message.headers if not k.startswith(DLQ_HEADER_PREFIX)]
    details = {
        "consumer": consumer,
        "error_type": type(error).__name__,
        "error": str(error)[:2000],
        "source_topic": message.topic,
        "source_partition": str(message.partition),
        "source_offset": str(message.offset),
        "attempts": str(attempts),
        "failed_at": datetime.now(UTC).isoformat(),
    }
    return original + [(DLQ_HEADER_PREFIX + k, v.encode()) for k, v in details.items()]


async def send_to_dlq(
    producer: AIOKafkaProducer,
    dlq_topic: str,
    message: FailedMessage,
    consumer: str,
    error: BaseException,
    attempts: int,
) -> None:
    """Publish and wait for the broker's ack: the source message is acked only after this."""
    future = await producer.send(
        dlq_topic,
        message.value,
        key=message.key,
        headers=dlq_headers(message, consumer, error, attempts),
    )
    await future
