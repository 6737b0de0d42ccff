"""The invariant checker, run once the load stopped and the system is quiet.

Quiet (bounded wait, `quiesce`): in one observation every relay has published everything in
its store (no event after its checkpoint in commit order), every consumer group has committed
the end of every topic it reads (as of that observation), and no store grew meanwhile. The
snapshot of that observation — each store's head, each topic's end offsets — bounds the
comparisons below, so events a background job appends afterwards (inventory's backorder sweep)
cannot show up as "lost". If the system never gets quiet, the last observation is used and
whatever did not arrive counts as lost.

Invariants (figures in `Figures`):

- commands: every command a service accepted (2xx) has its events in that service's store —
  events whose metadata carries the command's Idempotency-Key and whose stream or payload names
  the id the service returned — written by ONE transaction (two would be a doubled command);
- relay: every event of every store (up to the snapshot head) is on its topic, read from the
  beginning by a fresh consumer group;
- consumers: for each consumer (its subscriptions come from the services' own blueprints), every
  event of a type it handles on the topics it reads is in its `inbox` (else lost) or on its
  service's DLQ; an effect applied twice is two transactions in the consumer's store caused by
  one consumed event (`metadata.causation_id`, see `_doubled_effects`);
- `erp verify` (erpctl.verify's projections and invariants): every projection rebuilt = live,
  trial balance zero, GL 1405 = valuation = inventory's valuation, no forbidden negative stock;
- DLQ topics hold nothing but the poison a test published, each poison record exactly once per
  consumer that reads it.
"""

import asyncio
import contextlib
import json
import os
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import asyncpg  # type: ignore[import-untyped,unused-ignore]
from aiokafka import AIOKafkaConsumer, TopicPartition

from erp_contracts.topics import NAMESPACE, dlq_topic, events_topic
from erpctl.dlq import DlqRecord
from erpctl.ops import load_blueprint, service_engine
from erpctl.verify import INVARIANTS
from eventkit import EventStore
from eventkit.projections import verify_projection
from eventkit.store.records import RecordedEvent

from .load import Accepted, LoadStats
from .stack import FaultStack

QUIET_TIMEOUT = 60.0


@dataclass(frozen=True)
class Consumer:
    """One inbox consumer as its service declares it (entrypoints/kafka.py)."""

    service: str
    name: str
    topics: tuple[str, ...]
    handled: frozenset[str]

    @property
    def group(self) -> str:
        return self.name  # the default namespace: group = subscription name (eventkit host)


def consumers_of(services: Sequence[str]) -> list[Consumer]:
    return [
        Consumer(service, sub.name, sub.topics(NAMESPACE), frozenset(sub.handlers))
        for service in services
        for sub in load_blueprint(service).subscriptions
    ]


# ---- poison expectations -----------------------------------------------------------------


@dataclass(frozen=True)
class Poison:
    """A record a test published that consumers must dead-letter, once each."""

    topic: str
    #: The record's bytes (an invalid envelope) or its event id (an unprocessable event).
    value: bytes | None = None
    event_id: str | None = None
    consumers: frozenset[str] = frozenset()

    def matches(self, record: DlqRecord) -> bool:
        if record.info.get("dlq_source_topic") != self.topic:
            return False
        if self.value is not None:
            return record.value == self.value
        return record.info.get("event_id") == self.event_id

    @property
    def label(self) -> str:
        return "invalid envelope" if self.value is not None else f"event {self.event_id}"


def invalid_envelope_poison(topic: str, value: bytes, consumers: Sequence[Consumer]) -> Poison:
    """Every consumer reading `topic` must dead-letter a record that is no envelope."""
    readers = frozenset(c.name for c in consumers if topic in c.topics)
    return Poison(topic, value=value, consumers=readers)


def unprocessable_poison(
    topic: str, event_id: uuid.UUID, event_type: str, consumers: Sequence[Consumer]
) -> Poison:
    """Only the consumers that handle `event_type` on `topic` try (and fail) to process it."""
    readers = frozenset(c.name for c in consumers if topic in c.topics and event_type in c.handled)
    return Poison(topic, event_id=str(event_id), consumers=readers)


# ---- figures ---------------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    accepted: int = 0
    events: int = 0
    quiet: bool = False
    quiet_after: float = 0.0
    recovered_in: float | None = None
    lost_commands: list[str] = field(default_factory=list)
    doubled_commands: list[str] = field(default_factory=list)
    lost_relay: dict[str, int] = field(default_factory=dict)
    lost_consumers: dict[str, int] = field(default_factory=dict)
    doubled_consumers: dict[str, int] = field(default_factory=dict)
    dlq_total: dict[str, int] = field(default_factory=dict)
    dlq_unexpected: list[str] = field(default_factory=list)
    poison_problems: list[str] = field(default_factory=list)
    poison_dead_lettered: int = 0
    duplicates_on_topics: dict[str, int] = field(default_factory=dict)
    invalid_on_topics: int = 0
    verify_failures: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return (
            len(self.lost_commands)
            + sum(self.lost_relay.values())
            + sum(self.lost_consumers.values())
        )

    @property
    def doubled(self) -> int:
        return len(self.doubled_commands) + sum(self.doubled_consumers.values())

    @property
    def dlq(self) -> int:
        """DLQ records that are not the test's own poison (each poison once is expected)."""
        return len(self.dlq_unexpected)

    def line(self) -> str:
        recovered = "never" if self.recovered_in is None else f"{self.recovered_in:.1f}s"
        return (
            f"FAULT {self.name}: accepted={self.accepted} events={self.events} "
            f"lost={self.lost} doubled={self.doubled} dlq={self.dlq} recovered_in={recovered}"
        )

    def details(self, stats: LoadStats) -> list[str]:
        lines = [
            f"  load: {stats.summary()}",
            f"  quiet={'yes' if self.quiet else 'NO'} after {self.quiet_after:.1f}s; "
            f"lost: commands={len(self.lost_commands)} relay={_fmt(self.lost_relay)} "
            f"consumers={_fmt(self.lost_consumers)}; doubled: commands="
            f"{len(self.doubled_commands)} consumers={_fmt(self.doubled_consumers)}",
            f"  dlq records: {_fmt(self.dlq_total)} (poison dead-lettered "
            f"{self.poison_dead_lettered}); topics: records published more than once "
            f"{_fmt(self.duplicates_on_topics)}, non-envelope records {self.invalid_on_topics}; "
            f"verify: {'passes' if not self.verify_failures else 'FAILS'}",
        ]
        lines += [f"  {text}" for text in self.extra]
        lines += [f"  verify: {failure}" for failure in self.verify_failures]
        lines += [f"  poison: {problem}" for problem in self.poison_problems]
        lines += [f"  dlq: {record}" for record in self.dlq_unexpected[:5]]
        lines += [f"  e.g. {example}" for example in self.examples[:8]]
        if stats.failures:
            lines += [f"  5xx: {kind} {status} {body}" for kind, status, body in stats.failures[:5]]
        if stats.client_errors:
            lines += [
                f"  4xx: {kind} {code} {body}" for kind, code, body in stats.client_errors[:5]
            ]
        return lines

    def problems(self, stats: LoadStats) -> list[str]:
        """Every violated invariant, one line each (empty: all hold)."""
        found = []
        if self.lost:
            found.append(f"lost={self.lost}")
        if self.doubled:
            found.append(f"doubled={self.doubled}")
        if self.dlq:
            found.append(f"dlq={self.dlq} unexpected dead-lettered records")
        if self.poison_problems:
            found.append(
                "poison not dead-lettered exactly once: " + "; ".join(self.poison_problems)
            )
        if self.verify_failures:
            found.append(f"erp verify failed: {len(self.verify_failures)} check(s)")
        if stats.http_500:
            found.append(f"{stats.http_500} HTTP 5xx (not 503) answers")
        if stats.client_errors:
            found.append(f"{len(stats.client_errors)} unexpected 4xx answers")
        if stats.gave_up:
            found.append(f"{len(stats.gave_up)} commands gave up: {stats.gave_up[:3]}")
        if self.recovered_in is None:
            found.append("the flows never worked end to end again after the fault")
        if not self.accepted:
            found.append("no command was accepted")
        return found


def _fmt(counts: dict[str, int]) -> str:
    shown = {k: v for k, v in counts.items() if v}
    return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(shown.items())) + "}" if shown else "0"


# ---- quiet -----------------------------------------------------------------------------------


@dataclass
class Observation:
    heads: dict[str, int]
    counts: dict[str, int]
    unpublished: dict[str, int]
    ends: dict[TopicPartition, int]
    lags: dict[str, int]


async def quiesce(
    stack: FaultStack, consumers: Sequence[Consumer], timeout: float = QUIET_TIMEOUT
) -> tuple[bool, float, Observation]:
    """Wait (bounded) for a quiet observation; (quiet?, seconds waited, last observation)."""
    started = time.monotonic()
    last: Observation | None = None
    while True:
        try:
            observation = await _observe(stack, consumers)
            last = observation
            settled = not any(observation.unpublished.values()) and not any(
                observation.lags.values()
            )
            if settled and await _store_counts(stack) == observation.counts:
                return True, time.monotonic() - started, observation
        except Exception as error:  # a component still down: keep waiting
            if time.monotonic() - started > timeout:
                raise AssertionError(f"cannot observe the stack: {error!r}") from error
        if time.monotonic() - started > timeout and last is not None:
            return False, time.monotonic() - started, last
        await asyncio.sleep(0.5)


async def _store_counts(stack: FaultStack) -> dict[str, int]:
    counts = {}
    for service in stack.services:
        conn = await asyncpg.connect(stack.database_dsn(service))
        try:
            counts[service] = int(await conn.fetchval("SELECT count(*) FROM events"))
        finally:
            await conn.close()
    return counts


async def _observe(stack: FaultStack, consumers: Sequence[Consumer]) -> Observation:
    heads, counts, unpublished = {}, {}, {}
    for service in stack.services:
        conn = await asyncpg.connect(stack.database_dsn(service))
        try:
            row = await conn.fetchrow(
                """
                SELECT coalesce(max(e.global_position), 0) AS head, count(*) AS n,
                       count(*) FILTER (WHERE c.reader IS NULL
                           OR (e.tx_id, e.global_position) > (c.tx_id, c.global_position))
                         AS unpublished
                  FROM events e
                  LEFT JOIN tailing_checkpoints c ON c.reader = $1
                """,
                f"relay:{events_topic(service)}",
            )
        finally:
            await conn.close()
        heads[service], counts[service] = int(row["head"]), int(row["n"])
        unpublished[service] = int(row["unpublished"])
    ends, lags = await consumer_lags(stack, consumers)
    return Observation(heads, counts, unpublished, ends, lags)


async def consumer_lags(
    stack: FaultStack, consumers: Sequence[Consumer]
) -> tuple[dict[TopicPartition, int], dict[str, int]]:
    """The events topics' true ends, and per consumer the records not yet committed by its
    group (Kafka only: works while the database is down)."""
    topics = sorted({events_topic(s) for s in stack.services})
    ends = await end_offsets(stack.bootstrap_servers, topics)
    lags = {}
    for consumer in consumers:
        partitions = [tp for tp in ends if tp.topic in consumer.topics]
        committed = await committed_offsets(stack.bootstrap_servers, consumer.group, partitions)
        lags[consumer.name] = sum(max(0, ends[tp] - committed.get(tp, 0)) for tp in partitions)
    return ends, lags


async def committed_offsets(
    bootstrap: str, group: str, partitions: Sequence[TopicPartition]
) -> dict[TopicPartition, int]:
    """The offsets `group` committed (a consumer of the group that never joins it, so the
    live members are not disturbed)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        found = {}
        for tp in partitions:
            offset = await consumer.committed(tp)
            found[tp] = int(offset) if offset is not None and offset >= 0 else 0
        return found
    finally:
        await consumer.stop()


async def end_offsets(bootstrap: str, topics: Sequence[str]) -> dict[TopicPartition, int]:
    """Each partition's true end: one past its last record.

    Not the broker's `end_offsets` alone: the local broker (Tansu) answers one past the *base*
    offset of the last batch, so the rest of that batch lies beyond it. The last batch is
    fetched to find where it really ends.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, max_poll_records=10_000
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return {}
        reported = {
            tp: int(offset) for tp, offset in (await consumer.end_offsets(partitions)).items()
        }
        ends = dict(reported)
        pending = {tp for tp, end in reported.items() if end > 0}
        if pending:
            consumer.assign(sorted(pending, key=lambda tp: (tp.topic, tp.partition)))
            for tp in pending:
                consumer.seek(tp, reported[tp] - 1)
            deadline = time.monotonic() + 10
            while pending and time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=300)
                for tp, records in batch.items():
                    if records:
                        ends[tp] = max(ends[tp], records[-1].offset + 1)
                        pending.discard(tp)
                for tp in list(pending):
                    if await consumer.position(tp) >= reported[tp]:
                        pending.discard(tp)
        return ends
    finally:
        await consumer.stop()


# ---- reading the topics ----------------------------------------------------------------------


@dataclass
class TopicRecord:
    topic: str
    event_id: str | None
    event_type: str | None
    place: str = ""  # topic:partition:offset


async def read_topics_fresh_group(
    bootstrap: str, ends: dict[TopicPartition, int], timeout: float = 60.0
) -> list[TopicRecord]:
    """Every record below `ends`, read from the beginning by a brand-new consumer group (what
    a new subscriber would see)."""
    wanted = {tp: end for tp, end in ends.items() if end > 0}
    if not wanted:
        return []
    topics = sorted({tp.topic for tp in wanted})
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=f"fault-check-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        max_poll_records=2000,
    )
    records: list[TopicRecord] = []
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            for tp, got in batch.items():
                end = wanted.get(tp, 0)
                records.extend(_topic_record(tp, r.offset, r.value) for r in got if r.offset < end)
            if await _read_up_to(consumer, wanted):
                return records
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"a fresh consumer group could not read the topics in {timeout}s"
                )
    finally:
        await consumer.stop()


async def _read_up_to(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    assigned = consumer.assignment()
    for tp, end in ends.items():
        if tp not in assigned or await consumer.position(tp) < end:
            return False
    return True


def _topic_record(tp: TopicPartition, offset: int, value: bytes | None) -> TopicRecord:
    place = f"{tp.topic}:{tp.partition}:{offset}"
    try:
        envelope = json.loads(value or b"")
        return TopicRecord(tp.topic, str(envelope["event_id"]), str(envelope["event_type"]), place)
    except (ValueError, KeyError, TypeError):
        return TopicRecord(tp.topic, None, None, place)


# ---- the checker -----------------------------------------------------------------------------


async def check_invariants(
    stack: FaultStack,
    stats: LoadStats,
    *,
    name: str,
    recovered_in: float | None,
    poison: Sequence[Poison] = (),
    quiet_timeout: float = QUIET_TIMEOUT,
) -> Figures:
    consumers = consumers_of(stack.services)
    figures = Figures(name, accepted=len(stats.accepted), recovered_in=recovered_in)
    figures.quiet, figures.quiet_after, observation = await quiesce(stack, consumers, quiet_timeout)
    if not figures.quiet:
        figures.extra.append(
            f"not quiet: unpublished={observation.unpublished} consumer lag={observation.lags}"
        )

    stores = {s: await _store_events(stack, s, observation.heads[s]) for s in stack.services}
    figures.events = sum(len(events) for events in stores.values())
    records = await read_topics_fresh_group(stack.bootstrap_servers, observation.ends)
    on_topic: dict[str, dict[str, str]] = defaultdict(dict)  # topic → event id → type
    places: dict[str, str] = {}  # event id → where it was (first) found
    seen: Counter[tuple[str, str]] = Counter()
    for record in records:
        if record.event_id is None or record.event_type is None:
            figures.invalid_on_topics += 1
            continue
        seen[record.topic, record.event_id] += 1
        on_topic[record.topic][record.event_id] = record.event_type
        places.setdefault(record.event_id, record.place)
    for (topic, _), n in seen.items():
        if n > 1:
            figures.duplicates_on_topics[topic] = figures.duplicates_on_topics.get(topic, 0) + n - 1

    # relay: store → topic
    for service, events in stores.items():
        published = on_topic.get(events_topic(service), {})
        missing = [e for e in events if e[0] not in published]
        figures.lost_relay[service] = len(missing)
        figures.examples += [f"not on {events_topic(service)}: {e[1]} {e[0]}" for e in missing[:2]]

    dlq = await _dlq_records(stack)
    _check_dlq(figures, dlq, poison)
    dead_lettered: dict[str, set[str]] = defaultdict(set)
    for dead in (r for records in dlq.values() for r in records):
        info = dead.info
        if info.get("event_id"):
            dead_lettered[info.get("dlq_consumer", "")].add(info["event_id"])

    # consumers: topic → inbox, and effects applied once
    for consumer in consumers:
        expected = {
            event_id
            for topic in consumer.topics
            for event_id, event_type in on_topic.get(topic, {}).items()
            if event_type in consumer.handled
        }
        inbox = await _inbox(stack, consumer)
        missing_ids = expected - inbox - dead_lettered[consumer.name]
        figures.lost_consumers[consumer.name] = len(missing_ids)
        figures.examples += [
            f"{consumer.name} never applied {e} ({places.get(e)})" for e in sorted(missing_ids)[:3]
        ]
        alone = sum(1 for c in consumers if c.service == consumer.service) == 1
        doubled = await _doubled_effects(stack, consumer, alone)
        figures.doubled_consumers[consumer.name] = len(doubled)
        figures.examples += [f"{consumer.name} applied twice: {d}" for d in doubled[:2]]

    lost, doubled_commands = await _check_commands(stack, stats.accepted)
    figures.lost_commands, figures.doubled_commands = lost, doubled_commands
    figures.examples += [f"accepted but not stored: {c}" for c in lost[:3]]
    figures.examples += [f"command written twice: {c}" for c in doubled_commands[:3]]

    figures.verify_failures = await run_verify(stack)
    return figures


async def _store_events(stack: FaultStack, service: str, head: int) -> list[tuple[str, str]]:
    """(event id, type) of every event in the store up to `head` that the service's relay
    publishes (its blueprint's `publishes`: reporting keeps its copies of consumed events)."""
    publishes = load_blueprint(service).publishes
    conn = await asyncpg.connect(stack.database_dsn(service))
    try:
        rows = await conn.fetch(
            "SELECT global_position, stream_id, stream_version, event_id, event_type,"
            " schema_version, occurred_at, recorded_at FROM events WHERE global_position <= $1",
            head,
        )
    finally:
        await conn.close()
    events = [RecordedEvent(**dict(row), payload={}, metadata_json="{}") for row in rows]
    return [(str(e.event_id), e.event_type) for e in events if publishes(e)]


async def _inbox(stack: FaultStack, consumer: Consumer) -> set[str]:
    conn = await asyncpg.connect(stack.database_dsn(consumer.service))
    try:
        rows = await conn.fetch(
            "SELECT event_id::text FROM inbox WHERE consumer = $1", consumer.name
        )
    finally:
        await conn.close()
    return {row[0] for row in rows}


async def _doubled_effects(stack: FaultStack, consumer: Consumer, alone: bool) -> list[str]:
    """Events one consumed event caused, committed by more than one transaction.

    The effects of a consumed event are the events of the consumer's store whose
    `metadata.causation_id` is that event (the inbox runs handlers with the consumed event as
    the cause) and which the consumer wrote: `metadata.actor = system:<consumer>` — or any
    actor when the consumer is its service's only one, because a consumer may keep the
    source's actor on what it writes (reporting's copies of the events it consumed).

    Sound because every handler runs in the inbox's one transaction (eventkit.messaging.inbox)
    and no handler starts work of its own in another transaction under the consumed event's
    context: the only follow-up transactions in the services are inventory's backorder
    retries, which run under the HTTP request's context (after a receipt) or a fresh system one
    (the sweep), never with a consumed event as their cause.
    """
    conn = await asyncpg.connect(stack.database_dsn(consumer.service))
    try:
        rows = await conn.fetch(
            """
            SELECT e.metadata->>'causation_id' AS cause, count(DISTINCT e.tx_id) AS txs,
                   string_agg(DISTINCT e.event_type, ',') AS types
              FROM events e
              JOIN inbox i ON i.consumer = $1 AND i.event_id::text = e.metadata->>'causation_id'
             WHERE $2 OR e.metadata->>'actor' = 'system:' || $1
             GROUP BY 1 HAVING count(DISTINCT e.tx_id) > 1
            """,
            consumer.name,
            alone,
        )
    finally:
        await conn.close()
    return [f"event {r['cause']} → {r['txs']} transactions ({r['types']})" for r in rows]


async def _check_commands(
    stack: FaultStack, accepted: Sequence[Accepted]
) -> tuple[list[str], list[str]]:
    by_service: dict[str, list[Accepted]] = defaultdict(list)
    for command in accepted:
        by_service[command.service].append(command)
    lost, doubled = [], []
    for service, commands in by_service.items():
        conn = await asyncpg.connect(stack.database_dsn(service))
        try:
            rows = await conn.fetch(
                """
                SELECT metadata->>'idempotency_key' AS key, tx_id::text AS tx,
                       stream_id || ' ' || payload::text AS text
                  FROM events WHERE metadata->>'idempotency_key' = ANY($1::text[])
                """,
                [c.key for c in commands],
            )
        finally:
            await conn.close()
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in rows:
            found[row["key"]].append((row["tx"], row["text"]))
        for command in commands:
            own = [tx for tx, text in found[command.key] if command.entity_id in text]
            label = f"{service} {command.kind} {command.entity_id or command.key}"
            if not own:
                lost.append(label)
            elif len(set(own)) > 1:
                doubled.append(f"{label} in {len(set(own))} transactions")
    return lost, doubled


async def _dlq_records(stack: FaultStack) -> dict[str, list[DlqRecord]]:
    """Every record of every DLQ topic (not erpctl.dlq.read_dlq: it stops at the broker's
    reported end offsets, which the local broker puts at the start of the last batch)."""
    topics = [dlq_topic(s) for s in stack.services]
    ends = await end_offsets(stack.bootstrap_servers, topics)
    wanted = {tp: end for tp, end in ends.items() if end > 0}
    found: dict[str, list[DlqRecord]] = {topic: [] for topic in topics}
    if not wanted:
        return found
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(sorted(wanted, key=lambda tp: (tp.topic, tp.partition)))
        await consumer.seek_to_beginning(*wanted)
        deadline = time.monotonic() + 30
        while not await _read_up_to(consumer, wanted):
            batch = await consumer.getmany(timeout_ms=500)
            for tp, records in batch.items():
                found[tp.topic].extend(
                    DlqRecord(
                        partition=r.partition,
                        offset=r.offset,
                        key=r.key,
                        value=r.value or b"",
                        headers=tuple((k, bytes(v or b"")) for k, v in r.headers or ()),
                    )
                    for r in records
                    if r.offset < wanted[tp]
                )
            if time.monotonic() > deadline:
                raise AssertionError("the DLQ topics could not be read to their end")
    finally:
        await consumer.stop()
    return found


def _check_dlq(figures: Figures, dlq: dict[str, list[DlqRecord]], poison: Sequence[Poison]) -> None:
    per_poison: dict[int, Counter[str]] = {i: Counter() for i in range(len(poison))}
    for topic, records in dlq.items():
        figures.dlq_total[topic] = len(records)
        for record in records:
            match = next((i for i, p in enumerate(poison) if p.matches(record)), None)
            if match is None:
                info = record.info
                figures.dlq_unexpected.append(
                    f"{topic} {info.get('dlq_consumer')} {info.get('event_type')} "
                    f"{info.get('event_id')}: {info.get('dlq_error_type')} "
                    f"{info.get('dlq_error', '')[:120]}"
                )
            else:
                per_poison[match][record.info.get("dlq_consumer", "")] += 1
                figures.poison_dead_lettered += 1
    for i, expected in enumerate(poison):
        got = per_poison[i]
        if set(got) != expected.consumers or any(n != 1 for n in got.values()):
            figures.poison_problems.append(
                f"{expected.label} on {expected.topic}: expected once by each of "
                f"{sorted(expected.consumers)}, got {dict(got)}"
            )


# ---- erp verify --------------------------------------------------------------------------


@contextlib.contextmanager
def _stack_environment(stack: FaultStack) -> Iterator[None]:
    """erpctl's operator code finds the databases through the environment."""
    saved = {k: v for k, v in os.environ.items() if k.endswith("DATABASE_URL")}
    for key in saved:
        del os.environ[key]
    os.environ["ERP_DATABASE_URL"] = stack.database_url
    try:
        yield
    finally:
        del os.environ["ERP_DATABASE_URL"]
        os.environ.update(saved)


async def run_verify(stack: FaultStack) -> list[str]:
    """`erp verify` on the fault stack: the failed checks, one line each."""
    failures: list[str] = []
    with _stack_environment(stack):
        for service in stack.services:
            blueprint = load_blueprint(service)
            async with service_engine(service) as engine:
                for projection in blueprint.projections:
                    report = await verify_projection(engine, projection, blueprint.upcasters)
                    if not report.equal:
                        failures.append(
                            f"{service} projection {projection.name}: "
                            + "; ".join(report.differences)[:300]
                        )
                store = EventStore(blueprint.upcasters)
                for invariant in INVARIANTS.get(service, ()):
                    check = await invariant(engine, store)
                    if check.outcome == "failed":
                        failures.append(
                            f"{service} {check.name}: {check.summary} {check.details[:3]}"
                        )
    return failures


# ---- reporting -----------------------------------------------------------------------------


def report_lines(figures: Figures, stats: LoadStats, stack: FaultStack) -> list[str]:
    """The FAULT line, its details and what was done to the stack."""
    return [
        figures.line(),
        *figures.details(stats),
        *(f"  {entry}" for entry in stack.faults.entries),
    ]
