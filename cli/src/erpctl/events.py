"""`erp events show` (a stream from the event store) and `erp events tail` (the Kafka topic)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import typer
from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from erp_contracts.topics import events_topic
from erpctl.ops import (
    OperationError,
    ServiceArgument,
    compact_json,
    console,
    fail,
    kafka_errors,
    kafka_settings,
    moment,
    run_operation,
    service_engine,
    service_upcasters,
)
from eventkit import EventStore, RecordedEvent
from eventkit.messaging.envelopes import decode

events_app = typer.Typer(
    name="events",
    help="Read a service's events: one stream from its event store (show) or its Kafka topic "
    "as it is published (tail).",
    no_args_is_help=True,
)

#: How long `tail` waits for records per poll (also how often --no-follow checks it is done).
POLL_MS = 500


@events_app.command("show")
def show(
    service: ServiceArgument,
    stream_id: Annotated[
        str,
        typer.Argument(
            help="The stream, e.g. item-TEA-001 or stock-TEA-001@WH-SH.", show_default=False
        ),
    ],
) -> None:
    """Print one stream's events from the service's event store.

    Version, type, business time, record time, actor and payload (compact JSON), upcast as the
    service reads them. Exit code 1 if the stream has no events.
    """
    events = run_operation(_read_stream(service, stream_id))
    if not events:
        fail(f"no events in stream {stream_id} of {service}")
    table = Table(title=f"{stream_id} ({service}, {len(events)} events)", title_justify="left")
    table.add_column("v", justify="right")
    table.add_column("type", style="bold")
    table.add_column("occurred_at")
    table.add_column("recorded_at")
    table.add_column("actor")
    table.add_column("payload", overflow="fold")
    for event in events:
        table.add_row(
            str(event.stream_version),
            event.event_type,
            moment(event.occurred_at),
            moment(event.recorded_at),
            escape(event.metadata.actor or ""),
            escape(compact_json(event.payload)),
        )
    console.print(table)


async def _read_stream(service: str, stream_id: str) -> list[RecordedEvent]:
    store = EventStore(service_upcasters(service))
    async with service_engine(service) as engine, engine.connect() as conn:
        return await store.read_stream(conn, stream_id)


@dataclass(frozen=True)
class TailOptions:
    from_beginning: bool
    types: frozenset[str]
    limit: int | None
    follow: bool


@events_app.command("tail")
def tail(
    service: ServiceArgument,
    *,
    from_beginning: Annotated[
        bool,
        typer.Option("--from-beginning", help="Start at the first record instead of the end."),
    ] = False,
    event_type: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help="Only events of this type (repeatable).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, help="Stop after printing this many events."),
    ] = None,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow/--no-follow",
            help="Keep waiting for new events (Ctrl-C stops); --no-follow stops once caught up "
            "with the topic's end as it was when the command started.",
        ),
    ] = True,
) -> None:
    """Print the events published on the service's Kafka topic, one line each.

    Reads <namespace>.<service>.events without a consumer group and commits nothing, so it
    never disturbs the services. A line: partition:offset, record time, type, stream@version,
    actor, payload.
    """
    settings = kafka_settings()
    topic = events_topic(service, settings.topic_namespace)
    options = TailOptions(from_beginning, frozenset(event_type or ()), limit, follow)
    try:
        printed = run_operation(
            _tail(settings.kafka_bootstrap_servers, topic, options, _print_envelope)
        )
    except KeyboardInterrupt:
        return
    if not follow:
        console.print(f"[dim]{printed} event(s) from {topic}[/]")


#: Renders one record (partition, offset, value) as a line, or None to skip it.
Render = Callable[[int, int, bytes, frozenset[str]], str | None]


def _print_envelope(partition: int, offset: int, body: bytes, types: frozenset[str]) -> str | None:
    """The line for one record; None if its type is filtered out or it is not an envelope
    (then printed here in red, unless a type filter is on)."""
    try:
        envelope = decode(body)
    except ValidationError:
        if not types:
            console.print(
                f"{partition}:{offset} [red]not an event envelope[/]: {escape(repr(body[:120]))}",
                soft_wrap=True,
                highlight=False,
            )
        return None
    if types and envelope.event_type not in types:
        return None
    return (
        f"{partition}:{offset}  {moment(envelope.recorded_at)}  [bold]{envelope.event_type}[/]  "
        f"{escape(envelope.stream_id)}@{envelope.stream_version}  "
        f"{escape(envelope.actor or '-')}  {escape(compact_json(envelope.payload))}"
    )


async def _tail(
    bootstrap: str,
    topic: str,
    options: TailOptions,
    render: Render,
) -> int:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
    )
    async with kafka_errors(bootstrap):
        await consumer.start()
        try:
            return await _print_records(consumer, topic, options, render)
        finally:
            await consumer.stop()


async def _print_records(
    consumer: AIOKafkaConsumer,
    topic: str,
    options: TailOptions,
    render: Render,
) -> int:
    partitions = await assign_all(consumer, topic)
    if options.from_beginning:
        await consumer.seek_to_beginning(*partitions)
    else:
        await consumer.seek_to_end(*partitions)
    ends = await consumer.end_offsets(partitions)
    printed = 0
    while options.follow or not await caught_up(consumer, ends):
        batch = await consumer.getmany(timeout_ms=POLL_MS)
        for partition, records in sorted(batch.items(), key=lambda item: item[0].partition):
            for record in records:
                body = record.value or b""
                line = render(partition.partition, record.offset, body, options.types)
                if line is None:
                    continue
                console.print(line, soft_wrap=True, highlight=False)
                printed += 1
                if options.limit is not None and printed >= options.limit:
                    return printed
    return printed


async def assign_all(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """Assign every partition of `topic` to a group-less consumer; an unknown topic is an
    `OperationError`."""
    await consumer.topics()
    numbers = consumer.partitions_for_topic(topic)
    if not numbers:
        raise OperationError(f"topic {topic} does not exist (is the stack up? see `erp up`)")
    partitions = [TopicPartition(topic, number) for number in sorted(numbers)]
    consumer.assign(partitions)
    return partitions


async def caught_up(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for partition, end in ends.items():
        if await consumer.position(partition) < end:
            return False
    return True
