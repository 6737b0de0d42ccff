"""The service runtime: what every service process runs around its domain.

A service describes itself with a `ServiceBlueprint` (HTTP routers, migrations folder,
store-fed projections, Kafka subscriptions, upcasters). `create_app` builds the FastAPI app
whose lifespan: waits for and creates its database, applies migrations, starts the outbox
relay, the projection runners and the FastStream consumers, and stops them all on shutdown.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
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
from eventkit.logging import configure_logging, get_logger
from eventkit.messaging.host import ConsumerHost
from eventkit.messaging.relay import KafkaTopicLog, OutboxRelay, kafka_producer_factory
from eventkit.messaging.subscriptions import Subscription
from eventkit.projections.projection import Projection
from eventkit.projections.runner import ProjectionRunner
from eventkit.settings import ServiceSettings
from eventkit.store.event_store import EventStore
from eventkit.store.upcasting import Upcasters

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


@dataclass
class ServiceRuntime:
    """Live dependencies, on `app.state.runtime` for routers to use."""

    blueprint: ServiceBlueprint
    settings: ServiceSettings
    engine: AsyncEngine
    store: EventStore
    broker: KafkaBroker
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    relay: OutboxRelay | None = None
    consumers: ConsumerHost | None = None


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
        description="Every event of this service, keyed by stream id, in commit order.",
        schema=EventEnvelope,
    )
    return broker


def create_app(blueprint: ServiceBlueprint, settings: ServiceSettings) -> FastAPI:
    configure_logging(blueprint.name, settings.log_level, settings.log_json)
    engine = create_engine(settings.database_url, settings.db_pool_size)
    broker = build_broker(blueprint, settings)
    runtime = ServiceRuntime(blueprint, settings, engine, EventStore(blueprint.upcasters), broker)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await start(runtime)
        try:
            yield
        finally:
            await shutdown(runtime)

    app = FastAPI(title=blueprint.title, version="0.1.0", lifespan=lifespan)
    app.state.runtime = runtime
    app.state.tokens = TokenRegistry.from_settings(settings.admin_token, settings.tokens)
    install_error_handlers(app)
    app.include_router(_ops_router(runtime))
    for router in blueprint.routers:
        app.include_router(router)
    return app


async def start(runtime: ServiceRuntime) -> None:
    bp, settings = runtime.blueprint, runtime.settings
    await ensure_database(settings.database_url)
    await migrate(runtime.engine, kernel_migrations() + folder_migrations(bp.migrations, bp.name))
    producer_factory = kafka_producer_factory(
        settings.kafka_bootstrap_servers, settings.kafka_enable_idempotence
    )
    runtime.relay = OutboxRelay(
        runtime.engine,
        bp.name,
        producer_factory,
        settings.relay_batch_size,
        settings.relay_idle_poll_seconds,
        KafkaTopicLog(settings.kafka_bootstrap_servers, bp.name, settings.topic_namespace),
        namespace=settings.topic_namespace,
    )
    _spawn(runtime, runtime.relay.run(runtime.stop), "relay")
    for projection in bp.projections:
        runner = ProjectionRunner(runtime.engine, projection, bp.upcasters)
        await runner.ensure_schema()
        _spawn(runtime, runner.run(runtime.stop), f"projection:{projection.name}")
    if bp.subscriptions:
        runtime.consumers = ConsumerHost(
            runtime.engine,
            bp.name,
            runtime.broker,
            producer_factory,
            bp.subscriptions,
            settings.consumer_max_attempts,
            namespace=settings.topic_namespace,
        )
        _spawn(runtime, runtime.consumers.start(runtime.stop), "consumers")
    for worker in bp.workers:
        _spawn(runtime, worker(runtime), getattr(worker, "__name__", "worker"))
    log.info("service_started", port=settings.port())


async def shutdown(runtime: ServiceRuntime) -> None:
    runtime.stop.set()
    if runtime.consumers is not None:
        await runtime.consumers.stop()
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    await runtime.engine.dispose()


def _spawn(runtime: ServiceRuntime, coro: Any, name: str) -> None:
    runtime.tasks.append(asyncio.create_task(coro, name=name))


def _ops_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["ops"])

    @router.get("/health")
    async def health() -> dict[str, Any]:
        from sqlalchemy import text

        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return {"status": "ok", "service": runtime.blueprint.name}

    @router.get("/asyncapi.json")
    async def asyncapi() -> Any:
        spec = AsyncAPI(runtime.broker, title=f"{runtime.blueprint.title} events")
        return spec.to_specification().to_jsonable()

    return router


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
