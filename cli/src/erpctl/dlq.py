"""`erp dlq list` and `erp dlq retry`: inspect a service's dead-letter topic and send records back.

A consumer that cannot process a message publishes it to `<namespace>.<service>.dlq` with the
original key, value and headers plus `dlq_*` headers (eventkit.messaging.dlq). Retrying
republishes the original to `dlq_source_topic` (same partition when it still exists) without
the `dlq_*` headers. Consumers are idempotent (inbox), so retrying a message that was already
processed has no second effect; one that fails again lands in the DLQ again as a new record.
The DLQ is a log: retried records stay in it.
"""

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from rich.markup import escape
from rich.table import Table

from erp_contracts.topics import dlq_topic
from erpctl.events import assign_all, caught_up
from erpctl.ops import (
    OperationError,
    ServiceArgument,
    console,
    fail,
    header_map,
    kafka_errors,
    kafka_settings,
    run_operation,
)
from eventkit.messaging.dlq import DLQ_HEADER_PREFIX

dlq_app = typer.Typer(
    name="dlq",
    help="A service's dead-letter topic: list what its consumers gave up on, and retry it.",
    no_args_is_help=True,
)

#: Reading the DLQ gives up when no record arrived for this long before its end was reached.
STALL_SECONDS = 15.0


@dataclass(frozen=True)
class DlqRecord:
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    @property
    def position(self) -> str:
        return f"{self.partition}:{self.offset}"

    @property
    def info(self) -> dict[str, str]:
        return header_map(self.headers)

    @property
    def original_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v) for k, v in self.headers if not k.startswith(DLQ_HEADER_PREFIX)]


@dlq_app.command("list")
def list_records(service: ServiceArgument) -> None:
    """List every record on the service's dead-letter topic.

    For each record on <namespace>.<service>.dlq: partition:offset, when and why it failed
    (consumer, error type and message, attempts), where it came from, the event's type and id.
    """
    settings = kafka_settings()
    topic = dlq_topic(service, settings.topic_namespace)
    records = run_operation(read_dlq(settings.kafka_bootstrap_servers, topic))
    if not records:
        console.print(f"[green]{topic} is empty[/]")
        return
    table = Table(title=f"{topic} ({len(records)} records)", title_justify="left")
    for column in ("p:offset", "failed at", "consumer", "event", "event id", "source", "tries"):
        table.add_column(column, overflow="fold")
    table.add_column("error", overflow="fold")
    for record in records:
        info = record.info
        source = "{}:{}:{}".format(
            info.get("dlq_source_topic", "?"),
            info.get("dlq_source_partition", "?"),
            info.get("dlq_source_offset", "?"),
        )
        table.add_row(
            record.position,
            info.get("dlq_failed_at", ""),
            escape(info.get("dlq_consumer", "")),
            escape(info.get("event_type", "")),
            info.get("event_id", ""),
            escape(source),
            info.get("dlq_attempts", ""),
            escape(f"{info.get('dlq_error_type', '')}: {info.get('dlq_error', '')}"),
        )
    console.print(table)


def _parse_position(value: str) -> tuple[int, int]:
    partition, _, offset = value.partition(":")
    try:
        return int(partition), int(offset)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not PARTITION:OFFSET, e.g. 0:12") from None


def _check_positions(values: list[str] | None) -> list[str]:
    for value in values or ():
        _parse_position(value)
    return values or []


@dlq_app.command("retry")
def retry(
    service: ServiceArgument,
    *,
    offset: Annotated[
        list[str] | None,
        typer.Option(
            "--offset",
            metavar="P:O",
            help="The DLQ record at partition P, offset O (as `erp dlq list` shows; repeatable).",
            callback=_check_positions,
            show_default=False,
        ),
    ] = None,
    retry_all: Annotated[
        bool, typer.Option("--all", help="Every record on the DLQ (in partition/offset order).")
    ] = False,
) -> None:
    """Republish DLQ records to the topic they came from.

    Each goes to its dlq_source_topic (same partition) with its original key, value and headers
    (the dlq_* ones removed); prints what was sent where.

    Consumers are idempotent, so a retry of something already processed is harmless. A message
    that fails again goes back to the DLQ as a new record; the old records stay in the DLQ.
    Exit code 1 if a record was not found or could not be sent.
    """
    if bool(offset) == retry_all:
        raise typer.BadParameter("give either --offset P:O (repeatable) or --all")
    settings = kafka_settings()
    topic = dlq_topic(service, settings.topic_namespace)
    bootstrap = settings.kafka_bootstrap_servers
    records = run_operation(read_dlq(bootstrap, topic))
    if retry_all:
        chosen = records
    else:
        by_position = {(r.partition, r.offset): r for r in records}
        wanted = [_parse_position(value) for value in offset or ()]
        missing = [f"{p}:{o}" for p, o in wanted if (p, o) not in by_position]
        if missing:
            fail(f"no record at {', '.join(missing)} on {topic}")
        chosen = [by_position[position] for position in dict.fromkeys(wanted)]
    if not chosen:
        console.print(f"[green]{topic} is empty; nothing to retry[/]")
        return
    unsendable = [r.position for r in chosen if "dlq_source_topic" not in r.info]
    if unsendable:
        fail(f"record {', '.join(unsendable)} has no dlq_source_topic header; not retried")
    sent = run_operation(
        _republish(bootstrap, chosen, enable_idempotence=settings.kafka_enable_idempotence)
    )
    table = Table(title=f"retried from {topic}", title_justify="left")
    for column in ("dlq p:offset", "sent to", "event", "event id"):
        table.add_column(column, overflow="fold")
    for record, destination in zip(chosen, sent, strict=True):
        info = record.info
        table.add_row(
            record.position,
            escape(destination),
            escape(info.get("event_type", "")),
            info.get("event_id", ""),
        )
    console.print(table)
    console.print(
        f"[green]✓[/] {len(sent)} record(s) republished; one that fails again returns to the DLQ"
    )


async def read_dlq(bootstrap: str, topic: str) -> list[DlqRecord]:
    """Every record on `topic` up to its end as of now, in partition/offset order."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
    )
    records: list[DlqRecord] = []
    async with kafka_errors(bootstrap):
        await consumer.start()
        try:
            partitions = await assign_all(consumer, topic)
            await consumer.seek_to_beginning(*partitions)
            ends = await consumer.end_offsets(partitions)
            loop = asyncio.get_running_loop()
            last_progress = loop.time()
            while not await caught_up(consumer, ends):
                batch = await consumer.getmany(timeout_ms=500)
                for got in batch.values():
                    records.extend(_record(r) for r in got)
                if batch:
                    last_progress = loop.time()
                elif loop.time() - last_progress > STALL_SECONDS:
                    raise OperationError(f"reading {topic} stalled before its end")
        finally:
            await consumer.stop()
    return sorted(records, key=lambda r: (r.partition, r.offset))


def _record(raw: Any) -> DlqRecord:
    return DlqRecord(
        partition=raw.partition,
        offset=raw.offset,
        key=raw.key,
        value=raw.value or b"",
        headers=tuple((name, bytes(value or b"")) for name, value in raw.headers or ()),
    )


async def _republish(
    bootstrap: str, records: list[DlqRecord], *, enable_idempotence: bool
) -> list[str]:
    """Send each record to its source topic and wait for the ack; returns `topic:p:offset`."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=enable_idempotence,
        acks="all",
        request_timeout_ms=10_000,
    )
    sent: list[str] = []
    async with kafka_errors(bootstrap):
        await producer.start()
        try:
            for record in records:
                info = record.info
                topic = info["dlq_source_topic"]
                partitions = await producer.partitions_for(topic)
                source = info.get("dlq_source_partition", "")
                partition = int(source) if source.isdigit() and int(source) in partitions else None
                future = await producer.send(
                    topic,
                    record.value,
                    key=record.key,
                    headers=record.original_headers,
                    partition=partition,
                )
                metadata = await future
                sent.append(f"{topic}:{metadata.partition}:{metadata.offset}")
        finally:
            await producer.stop()
    return sent
