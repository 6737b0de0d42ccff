"""Runs a service's inbox consumers: one FastStream Kafka broker, one DLQ producer."""

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.topics import NAMESPACE
from eventkit.logging import get_logger
from eventkit.messaging.inbox import InboxConsumer
from eventkit.messaging.subscriptions import Subscription, dlq_sender, subscribe
from eventkit.metrics import ServiceMetrics

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
        metrics: ServiceMetrics | None = None,
        fetch_max_wait_ms: int = 20,
    ) -> None:
        self.metrics = metrics
        self.fetch_max_wait_ms = fetch_max_wait_ms
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
        """Start the DLQ producer and the consumers, retrying while the broker is unreachable.
        Safe to call again after a failure: it finishes what is not started yet."""
        if self._producer is None:
            self._producer = await self._start_producer(stop or asyncio.Event())
            if self._producer is None:
                return
        if not self.consumers:
            self._register_consumers()
        if not self.broker.running:
            await self.broker.start()

    def _register_consumers(self) -> None:
        for sub in self.subscriptions:
            consumer = InboxConsumer(
                self.engine,
                sub.name,
                sub.handlers,
                dlq_sender(self._live_producer, self.service, sub.name, self.namespace),
                self.max_attempts,
                self.retry_delay,
                metrics=self.metrics,
                batch_handler=sub.batch_handler,
                lanes=sub.lanes,
            )
            if self.metrics is not None:
                self.metrics.declare_consumer(sub.name)
            self.consumers.append(consumer)
            group = sub.name if self.namespace == NAMESPACE else f"{self.namespace}.{sub.name}"
            subscribe(
                self.broker,
                consumer,
                sub.topics(self.namespace),
                group_id=group,
                metrics=self.metrics,
                fetch_max_wait_ms=self.fetch_max_wait_ms,
                batch_size=sub.batch_size,
            )

    def _live_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise RuntimeError("the DLQ producer is not started")
        return self._producer

    async def run(self, stop: asyncio.Event) -> None:
        """Start, then stay (and count as running) until `stop`: FastStream restarts its own
        consume loops; `running` tells whether they are there."""
        await self.start(stop)
        await stop.wait()

    @property
    def running(self) -> bool:
        """The broker client is started and every subscriber has a live consumer loop."""
        if self._producer is None or not self.broker.running:
            return False
        return all(
            getattr(sub, "consumer", None) is not None
            and any(not task.done() for task in getattr(sub, "tasks", []))
            for sub in self.broker.subscribers
        )

    async def lags(self) -> dict[tuple[str, str, int], int]:
        """Messages behind the partition's high watermark, per (group, topic, partition)."""
        lags: dict[tuple[str, str, int], int] = {}
        for sub in self.broker.subscribers:
            consumer: Any = getattr(sub, "consumer", None)
            if consumer is None:
                continue
            group = str(getattr(sub, "group_id", "") or "")
            for tp in consumer.assignment():
                highwater = consumer.highwater(tp)
                if highwater is None:
                    continue  # nothing fetched yet
                position = await consumer.position(tp)
                lags[(group, tp.topic, tp.partition)] = max(0, highwater - position)
        return lags

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
