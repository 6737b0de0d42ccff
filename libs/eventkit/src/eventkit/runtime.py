"""The service runtime: what every service process runs around its domain.

A service describes itself with a `ServiceBlueprint` (HTTP routers, migrations folder,
store-fed projections, Kafka subscriptions, upcasters). `create_app` builds the FastAPI app
whose lifespan: waits for and creates its database, applies migrations, starts the outbox
relay, the projection runners and the FastStream consumers — each supervised: restarted with
back-off if it dies, and reported by `/health` (503 naming it) and `/metrics` meanwhile — and
stops them all on shutdown. Infrastructure failures during a request answer 503 with
Retry-After, never 500.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.envelope import EventEnvelope
from erp_contracts.topics import events_topic
from eventkit.db import (
    create_engine,
    ensure_database,
    folder_migrations,
    kernel_migrations,
    migrate,
)
from eventkit.http.auth import TokenRegistry
from eventkit.http.errors import install_error_handlers
from eventkit.http.events import events_router
from eventkit.http.fresh_reads import FreshReadsMiddleware
from eventkit.http.limits import install_input_limits
from eventkit.http.unavailable import UnavailableMiddleware
from eventkit.http.user_tokens import user_token_verifier
from eventkit.logging import configure_logging, get_logger
from eventkit.messaging.asyncapi import document_public_events
from eventkit.messaging.host import ConsumerHost
from eventkit.messaging.public_events import PublicEvents
from eventkit.messaging.relay import KafkaTopicLog, OutboxRelay, kafka_producer_factory
from eventkit.messaging.subscriptions import Subscription
from eventkit.metrics import ServiceMetrics, TailingReaders, install_http_metrics, metrics_router
from eventkit.projections.freshness import Freshness
from eventkit.projections.projection import Projection
from eventkit.projections.runner import ProjectionRunner
from eventkit.settings import ServiceSettings
from eventkit.store.event_store import EventStore
from eventkit.store.upcasting import Upcasters
from eventkit.supervision import TaskBoard, supervise

log = get_logger(__name__)


Worker = Callable[["ServiceRuntime"], Awaitable[None]]


@dataclass
class ServiceBlueprint:
    name: str
    title: str
    routers: Sequence[APIRouter] = ()
    migrations: Path | None = None
    projections: Sequence[Projection] = ()
    subscriptions: Sequence[Subscription] = ()
    upcasters: Upcasters = field(default_factory=Upcasters)
    #: Long-running jobs of the service (sweeps, schedulers), started with the app.
    workers: Sequence[Worker] = ()
    #: The public events the service produces (its contracts in `erp_contracts`), each with
    #: the stream categories it is recorded on: only those go out on its topic and are
    #: documented in /asyncapi.json (`eventkit.messaging.public_events`). Everything else —
    #: internal events, reporting's copies of what it consumed, the console's users — stays
    #: in the store. Checked against the contract registry when the blueprint is built.
    public_events: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: Events a projection runner applies per transaction, and how long it lets commits
    #: gather after a wake-up (`ProjectionRunner`): a service whose log grows in large
    #: batches (reporting's consumer) applies them in fewer, larger transactions.
    projection_batch_size: int = 500
    projection_coalesce_seconds: float = 0.05
    #: The relay's filter, built from `public_events`.
    publishes: PublicEvents = field(init=False)

    def __post_init__(self) -> None:
        self.publishes = PublicEvents(self.name, self.public_events)


@dataclass
class ServiceRuntime:
    """Live dependencies, on `app.state.runtime` for routers to use."""

    blueprint: ServiceBlueprint
    settings: ServiceSettings
    engine: AsyncEngine
    store: EventStore
    broker: KafkaBroker
    metrics: ServiceMetrics
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    relay: OutboxRelay | None = None
    consumers: ConsumerHost | None = None
    runners: list[ProjectionRunner] = field(default_factory=list)
    board: TaskBoard = field(default_factory=TaskBoard)

    def background_tasks(self) -> dict[str, bool]:
        """Every supervised task and whether it runs; the consumers also need their broker."""
        running = self.board.running()
        if self.consumers is not None and "consumers" in running:
            running["consumers"] = running["consumers"] and self.consumers.running
        return running


def build_broker(blueprint: ServiceBlueprint, settings: ServiceSettings) -> KafkaBroker:
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        enable_idempotence=settings.kafka_enable_idempotence,
        logger=None,
    )
    # Documented (AsyncAPI) publisher: the relay sends these envelopes to the topic.
    broker.publisher(
        events_topic(blueprint.name, settings.topic_namespace),
        title=f"{blueprint.name} events",
        description="The public events of this service (its contracts), keyed by stream id, "
        "in commit order. Internal events stay in its store.",
        schema=EventEnvelope,
    )
    return broker


def create_app(blueprint: ServiceBlueprint, settings: ServiceSettings) -> FastAPI:
    configure_logging(blueprint.name, settings.log_level, settings.log_json)
    engine = create_engine(settings.database_url, settings.db_pool_size)
    broker = build_broker(blueprint, settings)
    metrics = ServiceMetrics(blueprint.name)
    runtime = ServiceRuntime(
        blueprint, settings, engine, EventStore(blueprint.upcasters), broker, metrics
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await start(runtime, app)
        try:
            yield
        finally:
            await shutdown(runtime)

    app = FastAPI(title=blueprint.title, version="0.1.0", lifespan=lifespan)
    app.state.runtime = runtime
    app.state.tokens = TokenRegistry.from_settings(
        settings.admin_token, settings.tokens, user_token_verifier(settings)
    )
    install_error_handlers(app)
    install_input_limits(app)
    app.add_middleware(FreshReadsMiddleware)
    app.add_middleware(UnavailableMiddleware)
    install_http_metrics(app, metrics)
    app.include_router(_ops_router(runtime))
    app.include_router(events_router())
    app.include_router(
        metrics_router(
            lambda: runtime.engine,
            metrics,
            lambda: TailingReaders.of(
                runtime.relay, blueprint.projections, blueprint.subscriptions
            ),
            consumer_lag_provider=lambda: _consumer_lags(runtime),
            tasks_provider=runtime.background_tasks,
        )
    )
    for router in blueprint.routers:
        app.include_router(router)
    return app


async def start(runtime: ServiceRuntime, app: FastAPI) -> None:
    bp, settings = runtime.blueprint, runtime.settings
    await ensure_database(settings.database_url)
    await migrate(runtime.engine, kernel_migrations() + folder_migrations(bp.migrations, bp.name))
    producer_factory = kafka_producer_factory(
        settings.kafka_bootstrap_servers, settings.kafka_enable_idempotence
    )
    relay = runtime.relay = OutboxRelay(
        runtime.engine,
        bp.name,
        producer_factory,
        settings.relay_batch_size,
        settings.relay_idle_poll_seconds,
        KafkaTopicLog(settings.kafka_bootstrap_servers, bp.name, settings.topic_namespace),
        namespace=settings.topic_namespace,
        metrics=runtime.metrics,
        publishes=bp.publishes,
    )
    _spawn(runtime, "relay", lambda: relay.run(runtime.stop))
    for projection in bp.projections:
        runner = ProjectionRunner(
            runtime.engine,
            projection,
            bp.upcasters,
            batch_size=bp.projection_batch_size,
            coalesce_seconds=bp.projection_coalesce_seconds,
        )
        await runner.ensure_schema()
        runtime.runners.append(runner)
        _spawn(runtime, f"projection:{projection.name}", partial(runner.run, runtime.stop))
    if bp.subscriptions:
        host = runtime.consumers = ConsumerHost(
            runtime.engine,
            bp.name,
            runtime.broker,
            producer_factory,
            bp.subscriptions,
            settings.consumer_max_attempts,
            namespace=settings.topic_namespace,
            metrics=runtime.metrics,
            fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
        )
        _spawn(runtime, "consumers", lambda: host.run(runtime.stop))
    for worker in bp.workers:
        _spawn(runtime, getattr(worker, "__name__", "worker"), partial(worker, runtime))
    app.state.freshness = Freshness(runtime.engine, runtime.runners)
    log.info("service_started", port=settings.port())


async def shutdown(runtime: ServiceRuntime) -> None:
    runtime.stop.set()
    if runtime.consumers is not None:
        await runtime.consumers.stop()
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    await runtime.engine.dispose()


def _spawn(runtime: ServiceRuntime, name: str, run: Callable[[], Awaitable[None]]) -> None:
    task = asyncio.create_task(supervise(runtime.board, name, run, runtime.stop), name=name)
    runtime.tasks.append(task)


async def _consumer_lags(runtime: ServiceRuntime) -> dict[tuple[str, str, int], int]:
    return await runtime.consumers.lags() if runtime.consumers is not None else {}


def _ops_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["ops"])

    @router.get("/health")
    async def health() -> JSONResponse:
        """200 when the database answers and every background task runs; else 503 naming
        what is wrong (a load balancer takes the replica out, an operator sees why)."""
        body: dict[str, Any] = {"status": "ok", "service": runtime.blueprint.name}
        why = runtime.board.dead()
        down = {
            name: why.get(name, "not running")
            for name, up in runtime.background_tasks().items()
            if not up
        }
        try:
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any failure means the database is unusable
            down["database"] = repr(error)
        if not down:
            return JSONResponse(body)
        body.update(status="degraded", down=down)
        return JSONResponse(body, status_code=503, headers={"Retry-After": "2"})

    @router.get("/asyncapi.json")
    async def asyncapi() -> Any:
        return asyncapi_document(runtime.blueprint, runtime.broker, runtime.settings)

    return router


def asyncapi_document(
    blueprint: ServiceBlueprint, broker: KafkaBroker, settings: ServiceSettings
) -> dict[str, Any]:
    """FastStream's document, with one message per public event on the service's topic."""
    spec = AsyncAPI(broker, title=f"{blueprint.title} events").to_specification().to_jsonable()
    topic = events_topic(blueprint.name, settings.topic_namespace)
    return document_public_events(spec, topic, blueprint.publishes.contracts())


def service_migrations(package_file: str) -> Path | None:
    """`services/<name>/migrations`, found from a module file of the service package."""
    for parent in Path(package_file).resolve().parents:
        candidate = parent / "migrations"
        # Next to `src/` in the source tree, or inside the package when installed as a wheel.
        beside_source = (parent / "src").is_dir() or (parent / "__init__.py").exists()
        if candidate.is_dir() and beside_source:
            return candidate
    return None


def serve(blueprint: ServiceBlueprint, settings: ServiceSettings) -> None:
    """Run the service in this process (uvicorn + FastStream), as `python -m <service>` does."""
    import uvicorn

    app = create_app(blueprint, settings)
    uvicorn.run(app, host=settings.http_host, port=settings.port(), log_level="warning")
