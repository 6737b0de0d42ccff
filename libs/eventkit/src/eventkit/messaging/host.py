"""Runs a service's inbox consumers: one FastStream Kafka broker, one DLQ producer."""

import asyncio
import contextlib
from collections.abc import Callable, Sequence

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.topics import NAMESPACE
from eventkit.logging import get_logger
from eventkit.messaging.inbox import InboxConsumer
from eventkit.messaging.subscriptions import Subscription, dlq_sender, subscribe

log = get_logger(__name__)


class ConsumerHost:
    def __init__(
        self,
        engine: AsyncEngine,
        service: str,
        broker: KafkaBroker,
        producer_factory: Callable[[], AIOKafkaProducer],
        subscriptions: Sequence[Subscription],
        max_attempts: int = 3,
        retry_delay: float = 0.2,
        namespace: str = NAMESPACE,
    ) -> None:
        self.engine = engine
        self.service = service
        self.broker = broker
        self._producer_factory = producer_factory
        self.subscriptions = subscriptions
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.namespace = namespace
        self._producer: AIOKafkaProducer | None = None
        self.consumers: list[InboxConsumer] = []

    async def start(self, stop: asyncio.Event | None = None) -> None:
        """Start the DLQ producer and the consumers, retrying while the broker is unreachable."""
        self._producer = await self._start_producer(stop or asyncio.Event())
        if self._producer is None:
            return
        for sub in self.subscriptions:
            consumer = InboxConsumer(
                self.engine,
                sub.name,
                sub.handlers,
                dlq_sender(self._producer, self.service, sub.name, self.namespace),
                self.max_attempts,
                self.retry_delay,
            )
            self.consumers.append(consumer)
            group = sub.name if self.namespace == NAMESPACE else f"{self.namespace}.{sub.name}"
            subscribe(self.broker, consumer, sub.topics(self.namespace), group_id=group)
        await self.broker.start()

    async def _start_producer(self, stop: asyncio.Event) -> AIOKafkaProducer | None:
        delay = 0.5
        while not stop.is_set():
            producer = self._producer_factory()
            try:
                await producer.start()
            except Exception as error:  # noqa: BLE001 - broker not up yet: retry
                log.warning("broker_unavailable", error=repr(error), delay=delay)
                with contextlib.suppress(Exception):
                    await producer.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            return producer
        return None

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self.broker.stop()
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()
