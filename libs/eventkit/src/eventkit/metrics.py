"""Prometheus metrics of a service: kernel counters, HTTP latency, and lags read at scrape time.

Every service exposes `GET /metrics` (Prometheus text format, `CONTENT_TYPE_LATEST`). Each app
has its own `CollectorRegistry` (`ServiceMetrics(service)`), never the process-global one: tests
run several services in one process. Operators read the metrics in docs/operations.md
("Metrics"); `erp status` summarises them.

Two kinds of values:

- **Counted by the kernel** as things happen (counters, the HTTP histogram): the kernel calls the
  `ServiceMetrics.record_*` methods listed below.
- **Read at scrape time** (gauges): the `/metrics` handler first awaits
  `ServiceMetrics.refresh(...)`, which reads the service's database (relay lag, projection lags,
  inbox rows; one read-only transaction, bounded counts, statement timeout) and calls the
  kernel's providers (consumer lag, background tasks), then renders the registry. A failing
  source does not fail the scrape: its gauges are left out and
  `erp_metrics_source_up{source}` is 0.

Wiring (to be added by the kernel owner; nothing else in this module needs changing)
-------------------------------------------------------------------------------------

`eventkit/runtime.py`
  * `ServiceRuntime` gets a field `metrics: ServiceMetrics`; in `create_app`, build it once with
    `metrics = ServiceMetrics(blueprint.name)` and pass it to `ServiceRuntime(...)`.
  * In `create_app`, after `install_error_handlers(app)`:
        install_http_metrics(app, metrics)
        app.include_router(metrics_router(
            lambda: runtime.engine,
            metrics,
            lambda: TailingReaders.of(runtime.relay, bp.projections, bp.subscriptions),
            consumer_lag_provider=<callable, see below>,
            tasks_provider=lambda: {t.get_name(): not t.done() for t in runtime.tasks},
        ))
    (`install_http_metrics` must run before the app starts: Starlette refuses middleware later.)
    `runtime.tasks` holds the task "consumers" that *finishes normally* once
    `ConsumerHost.start` returned; report the consumers' health rather than that task (e.g. the
    broker's running state) or the task will read as down.
  * In `start`: pass `metrics=runtime.metrics` to `OutboxRelay(...)` and `ConsumerHost(...)`,
    and `ConsumerHost` passes it on to each `InboxConsumer(...)` and to `subscribe(...)`. At
    consumer creation call `metrics.declare_consumer(sub.name)` so its series exist (at 0)
    before the first message.

`eventkit/messaging/relay.py` (`OutboxRelay`, new argument `metrics: ServiceMetrics | None`)
  * `publish_batch`, right after the broker acked the batch and `_acked(...)` returned (next
    to `self.published += len(batch)`):
        metrics.record_relay_published(len(batch))
  * wherever the relay resets its checkpoint to republish a lost log (today in
    `_reseed_if_log_lost`, right after `await reset_checkpoint(conn, self.reader)`, next to
    `self.reseeds += 1`):
        metrics.record_relay_reseed()
  * Its reader name `self.reader` (`relay:<topic>`) is what `TailingReaders.relay` must hold;
    `TailingReaders.of(runtime.relay, ...)` takes it from the relay object.

`eventkit/messaging/inbox.py` (`InboxConsumer`, new argument `metrics: ServiceMetrics | None`)
  * `process`, after `outcome = await self._process(message)`:
        metrics.record_inbox_outcome(self.name, outcome)
    (a `dead_lettered` outcome also counts `erp_dlq_messages_total`: no separate DLQ call; the
    outcome is only returned after the DLQ write was acked.)
  * `_with_retries`, in `except ConcurrencyError:`:
        metrics.record_inbox_retry(self.name, "concurrency")
  * `_with_retries`, in `except Exception` when the message will be retried (the branch that
    sleeps, i.e. `attempt < self.max_attempts`):
        metrics.record_inbox_retry(self.name, "handler_error")

`eventkit/messaging/subscriptions.py` (`subscribe`, new argument `metrics: ServiceMetrics | None`)
  * in `handle`, in `except Exception:` before `await msg.nack()` (database or DLQ unreachable,
    the message will be redelivered):
        metrics.record_inbox_retry(consumer.name, "infrastructure")

`eventkit/messaging/host.py` (`ConsumerHost`) — the consumer-lag provider for `metrics_router`:
  return `{(group_id, tp.topic, tp.partition): consumer.highwater(tp) - await
  consumer.position(tp) for tp in consumer.assignment()}` for every aiokafka consumer it runs
  (`highwater` is None before the first fetch: skip those partitions). The provider may be sync
  or async and return any `Mapping[(group, topic, partition), lag]`.

`eventkit/projections/runner.py`: nothing — projection lag is read from its checkpoint row.

Public API
----------
`ServiceMetrics`, `TailingReaders`, `ReaderLag`, `ScrapeSnapshot`, `install_http_metrics`,
`metrics_router`, `route_template`, `read_tailing_lags`, `read_inbox_rows`, the SQL they run
(`TAILING_LAGS_SQL`, `INBOX_ROWS_SQL`), the metric-name constants `M_*`, `LAG_COUNT_CAP`,
`INBOX_OUTCOMES`, `RETRY_REASONS`, `UNMATCHED_ROUTE`.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from fastapi import APIRouter, FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    Info,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventkit.logging import get_logger

log = get_logger(__name__)

#: Lag and inbox counts stop at this many rows: a scrape never walks more than this many index
#: entries per reader, however far behind. A value equal to the cap means "at least this many".
LAG_COUNT_CAP: Final = 100_000
#: Default budget of the scrape-time database reads (statement timeout and overall timeout).
SCRAPE_TIMEOUT_SECONDS: Final = 5.0

INBOX_OUTCOMES: Final = ("processed", "duplicate", "ignored", "dead_lettered")
RETRY_REASONS: Final = ("infrastructure", "concurrency", "handler_error")

#: Route label of requests that matched no route (404s of arbitrary paths).
UNMATCHED_ROUTE: Final = "<unmatched>"

# Metric names (the names of the exposed samples; counters end in `_total`). `erp status` and
# the tests import these, so a rename cannot silently break them.
M_INBOX_MESSAGES: Final = "erp_inbox_messages_total"
M_INBOX_RETRIES: Final = "erp_inbox_retries_total"
M_DLQ_MESSAGES: Final = "erp_dlq_messages_total"
M_RELAY_PUBLISHED: Final = "erp_relay_published_total"
M_RELAY_RESEEDS: Final = "erp_relay_reseeds_total"
M_HTTP_DURATION: Final = "erp_http_request_duration_seconds"
M_RELAY_LAG_EVENTS: Final = "erp_relay_lag_events"
M_RELAY_LAG_SECONDS: Final = "erp_relay_lag_seconds"
M_PROJECTION_LAG_EVENTS: Final = "erp_projection_lag_events"
M_PROJECTION_LAG_SECONDS: Final = "erp_projection_lag_seconds"
M_INBOX_ROWS: Final = "erp_inbox_rows"
M_INBOX_ROWS_ESTIMATE: Final = "erp_inbox_rows_estimate"
M_CONSUMER_LAG: Final = "erp_consumer_lag"
M_BACKGROUND_TASK_UP: Final = "erp_background_task_up"
M_SOURCE_UP: Final = "erp_metrics_source_up"
M_LAG_COUNT_CAP: Final = "erp_lag_count_cap"

#: HTTP latency buckets (seconds): from a cached read (1 ms) to a slow report (10 s).
HTTP_BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

ConsumerLag = Mapping[tuple[str, str, int], int]
#: `{(group, topic, partition): messages behind}`; sync or async.
ConsumerLagProvider = Callable[[], ConsumerLag | Awaitable[ConsumerLag]]
#: `{task name: running?}`; sync or async.
TasksProvider = Callable[[], Mapping[str, bool] | Awaitable[Mapping[str, bool]]]


class _HasReader(Protocol):
    @property
    def reader(self) -> str: ...


class _HasProjectionReader(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def reader(self) -> str: ...


class _HasName(Protocol):
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class TailingReaders:
    """Whose lag a scrape reads: the relay's checkpoint reader, each projection's, the inbox
    consumers' names (listed at 0 before their first message)."""

    #: `OutboxRelay.reader`, `relay:<topic>`; None while the service has no relay (yet).
    relay: str | None = None
    #: projection name → its checkpoint reader (`Projection.reader`).
    projections: Mapping[str, str] = field(default_factory=dict)
    #: inbox consumer names (`Subscription.name`).
    consumers: Sequence[str] = ()

    @classmethod
    def of(
        cls,
        relay: _HasReader | None = None,
        projections: Iterable[_HasProjectionReader] = (),
        consumers: Iterable[_HasName] = (),
    ) -> TailingReaders:
        """From the runtime's objects: an `OutboxRelay`, `Projection`s, `Subscription`s."""
        return cls(
            relay.reader if relay is not None else None,
            {p.name: p.reader for p in projections},
            tuple(c.name for c in consumers),
        )


@dataclass(frozen=True)
class ReaderLag:
    """How far a log-tailing reader is behind the event store."""

    #: Events after its checkpoint, capped at the count cap.
    events: int
    #: Age of the next event it has not passed (0 when it is caught up).
    seconds: float


@dataclass(frozen=True)
class ScrapeSnapshot:
    """What one scrape read; rendered by the registry's scrape-time collector."""

    relay: ReaderLag | None = None
    projections: Mapping[str, ReaderLag] = field(default_factory=dict)
    inbox_rows: Mapping[str, int] = field(default_factory=dict)
    inbox_rows_estimate: int | None = None
    consumer_lag: ConsumerLag = field(default_factory=dict)
    tasks: Mapping[str, bool] = field(default_factory=dict)
    #: source ("database", "consumer_lag", "tasks") → read without error?
    sources_up: Mapping[str, bool] = field(default_factory=dict)
    count_cap: int = LAG_COUNT_CAP


class ServiceMetrics:
    """One service's metrics, on a registry of its own (`self.registry`)."""

    def __init__(
        self,
        service: str,
        *,
        registry: CollectorRegistry | None = None,
        process_metrics: bool = True,
    ) -> None:
        self.service = service
        self.registry = registry if registry is not None else CollectorRegistry()
        reg = self.registry
        Info("erp_service", "The service these metrics describe.", registry=reg).info(
            {"service": service}
        )
        self.inbox_messages = Counter(
            "erp_inbox_messages",
            "Messages handled by an inbox consumer, by outcome: processed (effects committed), "
            "duplicate (already in the inbox), ignored (no handler for the event type), "
            "dead_lettered (written to the service's DLQ topic).",
            ["consumer", "outcome"],
            registry=reg,
        )
        self.inbox_retries = Counter(
            "erp_inbox_retries",
            "Handling attempts of an inbox consumer that will be retried, by reason: "
            "infrastructure (database or DLQ unreachable; the message is redelivered), "
            "concurrency (lost an optimistic-concurrency race; not counted as an attempt), "
            "handler_error (the handler raised; dead-lettered after the last attempt).",
            ["consumer", "reason"],
            registry=reg,
        )
        self.dlq_messages = Counter(
            "erp_dlq_messages",
            "Messages an inbox consumer wrote to the service's DLQ topic (acked by the broker).",
            ["consumer"],
            registry=reg,
        )
        self.relay_published = Counter(
            "erp_relay_published",
            "Events the outbox relay published and the broker acked (re-sends included).",
            registry=reg,
        )
        self.relay_reseeds = Counter(
            "erp_relay_reseeds",
            "Times the relay found that the broker had lost its log (restarted empty, topic "
            "re-created) and republished from the first event.",
            registry=reg,
        )
        self.http_request_duration = Histogram(
            "erp_http_request_duration_seconds",
            "HTTP request latency, by method, route template (never the raw path) and status.",
            ["method", "route", "status"],
            buckets=HTTP_BUCKETS,
            registry=reg,
        )
        self._scrape = _ScrapeCollector()
        reg.register(self._scrape)
        if process_metrics:
            ProcessCollector(registry=reg)
            PlatformCollector(registry=reg)
            GCCollector(registry=reg)

    # --- called by the kernel -----------------------------------------------------------------

    def declare_consumer(self, consumer: str) -> None:
        """Create a consumer's series at 0 (so `rate()` and alerts see them from the start)."""
        for outcome in INBOX_OUTCOMES:
            self.inbox_messages.labels(consumer=consumer, outcome=outcome)
        for reason in RETRY_REASONS:
            self.inbox_retries.labels(consumer=consumer, reason=reason)
        self.dlq_messages.labels(consumer=consumer)

    def record_inbox_outcome(self, consumer: str, outcome: str, count: int = 1) -> None:
        """`count` messages handled with `outcome` (an `inbox.Outcome`): one by `process`, a
        batch's worth at once by `process_batch`."""
        value = str(outcome)
        if value not in INBOX_OUTCOMES:
            raise ValueError(f"unknown inbox outcome {value!r}; known: {INBOX_OUTCOMES}")
        self.inbox_messages.labels(consumer=consumer, outcome=value).inc(count)
        if value == "dead_lettered":
            self.dlq_messages.labels(consumer=consumer).inc(count)

    def record_inbox_retry(self, consumer: str, reason: str) -> None:
        """A failed attempt that will be retried; `reason` is one of `RETRY_REASONS`."""
        if reason not in RETRY_REASONS:
            raise ValueError(f"unknown retry reason {reason!r}; known: {RETRY_REASONS}")
        self.inbox_retries.labels(consumer=consumer, reason=reason).inc()

    def record_relay_published(self, count: int) -> None:
        """The broker acked a batch of `count` events and the relay moved its checkpoint."""
        if count > 0:
            self.relay_published.inc(count)

    def record_relay_reseed(self) -> None:
        """The relay reset its checkpoint to republish a lost topic."""
        self.relay_reseeds.inc()

    def observe_http_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.http_request_duration.labels(method=method, route=route, status=str(status)).observe(
            seconds
        )

    # --- scrape --------------------------------------------------------------------------------

    @property
    def snapshot(self) -> ScrapeSnapshot:
        """What the last `refresh` read (rendered by `render`); settable for tests."""
        return self._scrape.snapshot

    @snapshot.setter
    def snapshot(self, value: ScrapeSnapshot) -> None:
        self._scrape.snapshot = value

    async def refresh(
        self,
        engine: AsyncEngine,
        readers: TailingReaders,
        consumer_lag_provider: ConsumerLagProvider | None = None,
        tasks_provider: TasksProvider | None = None,
        *,
        count_cap: int = LAG_COUNT_CAP,
        timeout: float = SCRAPE_TIMEOUT_SECONDS,
    ) -> ScrapeSnapshot:
        """Read the scrape-time values; every source may fail on its own (source_up = 0)."""
        sources_up: dict[str, bool] = {}
        relay: ReaderLag | None = None
        projections: dict[str, ReaderLag] = {}
        inbox_rows: dict[str, int] = {}
        inbox_estimate: int | None = None
        try:
            async with asyncio.timeout(timeout):
                lags, inbox_rows, inbox_estimate = await _read_database(
                    engine, readers, count_cap, timeout
                )
            if readers.relay is not None:
                relay = lags.get(readers.relay)
            projections = {
                name: lags[reader] for name, reader in readers.projections.items() if reader in lags
            }
            for consumer in readers.consumers:
                inbox_rows.setdefault(consumer, 0)
            sources_up["database"] = True
        except Exception as error:  # noqa: BLE001 - a scrape reports the failure, never raises
            log.warning("metrics_database_read_failed", error=repr(error))
            sources_up["database"] = False
        consumer_lag: ConsumerLag = {}
        if consumer_lag_provider is not None:
            consumer_lag, sources_up["consumer_lag"] = await _call_provider(
                "consumer_lag", consumer_lag_provider, timeout
            )
        tasks: Mapping[str, bool] = {}
        if tasks_provider is not None:
            tasks, sources_up["tasks"] = await _call_provider("tasks", tasks_provider, timeout)
        snapshot = ScrapeSnapshot(
            relay,
            projections,
            inbox_rows,
            inbox_estimate,
            dict(consumer_lag),
            dict(tasks),
            sources_up,
            count_cap,
        )
        self.snapshot = snapshot
        return snapshot

    def render(self) -> bytes:
        """The registry in the Prometheus text format (`CONTENT_TYPE_LATEST`)."""
        return generate_latest(self.registry)


async def _call_provider(
    source: str,
    provider: Callable[[], Mapping[Any, Any] | Awaitable[Mapping[Any, Any]]],
    timeout: float,
) -> tuple[Mapping[Any, Any], bool]:
    try:
        async with asyncio.timeout(timeout):
            result = provider()
            if inspect.isawaitable(result):
                result = await result
        return dict(result), True
    except Exception as error:  # noqa: BLE001 - a scrape reports the failure, never raises
        log.warning("metrics_provider_failed", source=source, error=repr(error))
        return {}, False


class _ScrapeCollector:
    """Renders the last `ScrapeSnapshot` as gauges."""

    def __init__(self) -> None:
        self.snapshot = ScrapeSnapshot()

    def describe(self) -> Iterable[Metric]:
        return [GaugeMetricFamily(name, "") for name in _SCRAPE_GAUGES]

    def collect(self) -> Iterable[Metric]:
        s = self.snapshot
        cap = GaugeMetricFamily(
            M_LAG_COUNT_CAP,
            "The cap on the counts of the lag and inbox gauges: a value equal to it means "
            "at least that many.",
            value=s.count_cap,
        )
        relay_events = GaugeMetricFamily(
            M_RELAY_LAG_EVENTS,
            "Events in the store the outbox relay has not yet published (capped at "
            f"{M_LAG_COUNT_CAP}).",
        )
        relay_seconds = GaugeMetricFamily(
            M_RELAY_LAG_SECONDS,
            "Age of the oldest event the outbox relay has not yet published (0 when caught up).",
        )
        if s.relay is not None:
            relay_events.add_metric([], s.relay.events)
            relay_seconds.add_metric([], s.relay.seconds)
        proj_events = GaugeMetricFamily(
            M_PROJECTION_LAG_EVENTS,
            f"Events a store-fed projection has not yet applied (capped at {M_LAG_COUNT_CAP}).",
            labels=["projection"],
        )
        proj_seconds = GaugeMetricFamily(
            M_PROJECTION_LAG_SECONDS,
            "Age of the oldest event a store-fed projection has not yet applied.",
            labels=["projection"],
        )
        for name, lag in sorted(s.projections.items()):
            proj_events.add_metric([name], lag.events)
            proj_seconds.add_metric([name], lag.seconds)
        inbox = GaugeMetricFamily(
            M_INBOX_ROWS,
            "Rows (deduplication records) in the inbox table per consumer (capped at "
            f"{M_LAG_COUNT_CAP}).",
            labels=["consumer"],
        )
        for consumer, rows in sorted(s.inbox_rows.items()):
            inbox.add_metric([consumer], rows)
        estimate = GaugeMetricFamily(
            M_INBOX_ROWS_ESTIMATE,
            "Rows in the whole inbox table, the planner's estimate (pg_class.reltuples).",
        )
        if s.inbox_rows_estimate is not None:
            estimate.add_metric([], s.inbox_rows_estimate)
        consumer_lag = GaugeMetricFamily(
            M_CONSUMER_LAG,
            "Messages a Kafka consumer group has not yet consumed (high watermark - position).",
            labels=["group", "topic", "partition"],
        )
        for (group, topic, partition), behind in sorted(s.consumer_lag.items()):
            consumer_lag.add_metric([group, topic, str(partition)], behind)
        tasks = GaugeMetricFamily(
            M_BACKGROUND_TASK_UP,
            "1 while a background task of the service (relay, projection runner, consumers, "
            "worker) runs, 0 once it has stopped.",
            labels=["task"],
        )
        for task, running in sorted(s.tasks.items()):
            tasks.add_metric([task], 1 if running else 0)
        sources = GaugeMetricFamily(
            M_SOURCE_UP,
            "1 if the scrape could read this source (database, consumer_lag, tasks); 0 means "
            "its gauges are missing from this scrape.",
            labels=["source"],
        )
        for source, up in sorted(s.sources_up.items()):
            sources.add_metric([source], 1 if up else 0)
        return [
            cap,
            relay_events,
            relay_seconds,
            proj_events,
            proj_seconds,
            inbox,
            estimate,
            consumer_lag,
            tasks,
            sources,
        ]


_SCRAPE_GAUGES: Final = (
    M_LAG_COUNT_CAP,
    M_RELAY_LAG_EVENTS,
    M_RELAY_LAG_SECONDS,
    M_PROJECTION_LAG_EVENTS,
    M_PROJECTION_LAG_SECONDS,
    M_INBOX_ROWS,
    M_INBOX_ROWS_ESTIMATE,
    M_CONSUMER_LAG,
    M_BACKGROUND_TASK_UP,
    M_SOURCE_UP,
)


# --- scrape-time SQL --------------------------------------------------------------------------

# Per reader: its checkpoint (none = the beginning), then two walks of the
# (tx_id, global_position) index from it: a count that stops at :cap rows (an index-only scan
# of at most :cap entries however far behind), and the first row after it, the next event the
# reader will pass on — its `recorded_at` gives the lag in seconds. Only committed rows are
# visible to this read; rows committed but still held back by an older running transaction
# count as lag (the reader has not passed them). Bind parameters: :readers (text[]), :cap.
TAILING_LAGS_SQL: Final = """
    WITH r AS (
        SELECT r.reader,
               coalesce(c.tx_id, '0'::xid8) AS tx_id,
               coalesce(c.global_position, 0) AS pos
          FROM unnest(CAST(:readers AS text[])) AS r(reader)
          LEFT JOIN tailing_checkpoints c ON c.reader = r.reader
    )
    SELECT r.reader,
           (SELECT count(*) FROM (
                SELECT 1 FROM events e
                 WHERE (e.tx_id, e.global_position) > (r.tx_id, r.pos)
                 ORDER BY e.tx_id, e.global_position
                 LIMIT :cap) AS behind) AS events,
           (SELECT extract(epoch FROM clock_timestamp() - e.recorded_at)
              FROM events e
             WHERE (e.tx_id, e.global_position) > (r.tx_id, r.pos)
             ORDER BY e.tx_id, e.global_position
             LIMIT 1) AS seconds
      FROM r
    """

# Distinct consumers by a loose index scan of the inbox primary key (consumer, event_id): one
# index probe per consumer instead of reading every row; then a count per consumer that stops
# at :cap rows. Bind parameter: :cap.
INBOX_ROWS_SQL: Final = """
    WITH RECURSIVE consumers(name) AS (
        (SELECT consumer FROM inbox ORDER BY consumer LIMIT 1)
        UNION ALL
        SELECT (SELECT i.consumer FROM inbox i WHERE i.consumer > c.name
                 ORDER BY i.consumer LIMIT 1)
          FROM consumers c
         WHERE c.name IS NOT NULL
    )
    SELECT name,
           (SELECT count(*) FROM (
                SELECT 1 FROM inbox i WHERE i.consumer = consumers.name LIMIT :cap) AS rows)
      FROM consumers
     WHERE name IS NOT NULL
    """

_INBOX_ESTIMATE = text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('inbox')")


async def read_tailing_lags(
    conn: AsyncConnection, readers: Sequence[str], count_cap: int = LAG_COUNT_CAP
) -> dict[str, ReaderLag]:
    """`ReaderLag` of each log-tailing reader (a reader without a checkpoint row is at 0)."""
    if not readers:
        return {}
    rows = await conn.execute(text(TAILING_LAGS_SQL), {"readers": list(readers), "cap": count_cap})
    return {
        str(reader): ReaderLag(int(events), max(float(seconds or 0), 0.0))
        for reader, events, seconds in rows
    }


async def read_inbox_rows(conn: AsyncConnection, count_cap: int = LAG_COUNT_CAP) -> dict[str, int]:
    """Inbox rows per consumer found in the table, each count capped at `count_cap`."""
    rows = await conn.execute(text(INBOX_ROWS_SQL), {"cap": count_cap})
    return {str(consumer): int(count) for consumer, count in rows}


async def _read_database(
    engine: AsyncEngine, readers: TailingReaders, count_cap: int, timeout: float
) -> tuple[dict[str, ReaderLag], dict[str, int], int | None]:
    names = [readers.relay] if readers.relay is not None else []
    names.extend(readers.projections.values())
    async with engine.connect() as conn:
        # Read-only (holds no transaction id, so it never holds tailing readers back), bounded
        # in time, and walking the (tx_id, global_position) index like the readers themselves.
        await conn.execute(text("SET TRANSACTION READ ONLY"))
        await conn.execute(text(f"SET LOCAL statement_timeout = {int(timeout * 1000)}"))
        await conn.execute(text("SET LOCAL enable_seqscan = off"))
        lags = await read_tailing_lags(conn, names, count_cap)
        inbox = await read_inbox_rows(conn, count_cap)
        estimate = await conn.scalar(_INBOX_ESTIMATE)
        await conn.rollback()
    return lags, inbox, max(int(estimate), 0) if estimate is not None else None


# --- HTTP ---------------------------------------------------------------------------------------


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/orders/{order_id}`), never the raw path."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED_ROUTE
    root = str(scope.get("root_path", "")).rstrip("/")
    if isinstance(route, Mount):
        return f"{root or route.path}/{{path:path}}"
    path_format = getattr(route, "path_format", None)
    if isinstance(path_format, str):
        return f"{root}{path_format}" or "/"
    return UNMATCHED_ROUTE


class HttpMetricsMiddleware:
    """Pure ASGI middleware timing every HTTP request into `erp_http_request_duration_seconds`.

    The route is read after the app ran: Starlette's router stores the matched route in the
    (shared) scope. An exception escaping the app counts as status 500.
    """

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self.metrics.observe_http_request(
                str(scope.get("method", "")),
                route_template(scope),
                status,
                time.perf_counter() - started,
            )


def install_http_metrics(app: FastAPI, metrics: ServiceMetrics) -> None:
    """Time every request of `app` (call before the app starts)."""
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics)


def _engine(source: AsyncEngine | Callable[[], AsyncEngine]) -> AsyncEngine:
    return source if isinstance(source, AsyncEngine) else source()


def _readers(source: TailingReaders | Callable[[], TailingReaders] | None) -> TailingReaders:
    if source is None:
        return TailingReaders()
    return source if isinstance(source, TailingReaders) else source()


def metrics_router(
    get_engine: AsyncEngine | Callable[[], AsyncEngine],
    metrics: ServiceMetrics,
    readers_provider: TailingReaders | Callable[[], TailingReaders] | None = None,
    consumer_lag_provider: ConsumerLagProvider | None = None,
    tasks_provider: TasksProvider | None = None,
    *,
    path: str = "/metrics",
    count_cap: int = LAG_COUNT_CAP,
    timeout: float = SCRAPE_TIMEOUT_SECONDS,
) -> APIRouter:
    """`GET /metrics`: refresh the scrape-time gauges, then render the service's registry.

    Unauthenticated like `/health` (Prometheus scrapes without a token); it reveals counts and
    names, no business data. Not in the OpenAPI document: it is not part of the API.
    """
    router = APIRouter(tags=["ops"])

    @router.get(path, include_in_schema=False)
    async def scrape() -> Response:
        await metrics.refresh(
            _engine(get_engine),
            _readers(readers_provider),
            consumer_lag_provider,
            tasks_provider,
            count_cap=count_cap,
            timeout=timeout,
        )
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return router
