"""A service's runtime under faults: a dead background task is restarted and `/health` says so
meanwhile; a database outage answers 503 with Retry-After — never 500 — and writes nothing."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.engine import make_url

from eventkit import EventStore, NewEvent
from eventkit.runtime import ServiceBlueprint, ServiceRuntime
from eventkit.testing.faults import TcpProxy, proxied_url, tcp_proxy
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, eventually, running_service
from eventkit.uow import in_transaction

pytestmark = pytest.mark.integration

TOKEN = "admin"  # noqa: S105 - a test token
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


class FlakyWorker:
    """A background job that dies until it is allowed to live."""

    __name__ = "flaky_worker"

    def __init__(self) -> None:
        self.allowed = asyncio.Event()
        self.starts = 0

    async def __call__(self, runtime: ServiceRuntime) -> None:
        self.starts += 1
        if not self.allowed.is_set():
            raise RuntimeError("flaky worker failed")
        await runtime.stop.wait()


def notes_router() -> APIRouter:
    router = APIRouter()

    @router.post("/notes", status_code=201)
    async def write_note(request: Request) -> dict[str, str]:
        runtime: ServiceRuntime = request.app.state.runtime
        store = EventStore()
        await in_transaction(
            runtime.engine,
            lambda conn: store.append(conn, [NewEvent("note-1", "Noted", {})], {}),
        )
        return {"status": "noted"}

    return router


async def test_a_dead_background_task_makes_health_503_naming_it_until_it_is_restarted(
    database_url: str, infra: Infrastructure, service_name: str
) -> None:
    worker = FlakyWorker()
    blueprint = ServiceBlueprint(service_name, "flaky", workers=[worker])
    async with running_service(
        blueprint, database_url, infra.kafka_bootstrap_servers, admin_token=TOKEN, tokens=""
    ) as service:
        assert await eventually(lambda: _started_twice(worker), timeout=10)
        response = await service.client.get("/health")
        assert response.status_code == 503
        assert "flaky_worker" in response.json()["down"]
        assert response.headers["retry-after"]
        metrics = (await service.client.get("/metrics")).text
        assert 'erp_background_task_up{task="flaky_worker"} 0.0' in metrics
        worker.allowed.set()  # the next restart lives
        assert await eventually(lambda: _healthy(service), timeout=40)
        metrics = (await service.client.get("/metrics")).text
        assert 'erp_background_task_up{task="flaky_worker"} 1.0' in metrics
        assert 'erp_background_task_up{task="relay"} 1.0' in metrics


async def _started_twice(worker: FlakyWorker) -> bool:
    return worker.starts >= 2


async def _healthy(service: ServiceUnderTest) -> bool:
    return (await service.client.get("/health")).status_code == 200


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    server = make_url(database_url)
    async with tcp_proxy(server.host or "127.0.0.1", server.port or 5432) as running:
        yield running


async def test_a_database_outage_answers_503_with_retry_after_and_writes_nothing(
    database_url: str, proxy: TcpProxy, infra: Infrastructure, service_name: str
) -> None:
    blueprint = ServiceBlueprint(service_name, "notes", routers=[notes_router()])
    async with running_service(
        blueprint,
        proxied_url(database_url, proxy),
        infra.kafka_bootstrap_servers,
        admin_token=TOKEN,
        tokens="",
    ) as service:
        assert (await service.client.post("/notes", headers=ADMIN)).status_code == 201
        await proxy.cut()
        refused = await service.client.post("/notes", headers=ADMIN)
        health = await service.client.get("/health")
        await proxy.restore()
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"] == "unavailable"
        assert int(refused.headers["retry-after"]) > 0
        assert health.status_code == 503
        assert "database" in health.json()["down"]
        assert await eventually(lambda: _healthy(service), timeout=30)
        assert (await service.client.post("/notes", headers=ADMIN)).status_code == 201
        async with service.runtime.engine.connect() as conn:
            notes = await conn.scalar(text("SELECT count(*) FROM events"))
    assert notes == 2  # the refused command wrote nothing
