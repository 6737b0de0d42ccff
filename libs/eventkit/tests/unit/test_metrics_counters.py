"""The kernel's counters and the HTTP middleware, without a database."""

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from prometheus_client.parser import text_string_to_metric_families
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from eventkit.messaging.inbox import Outcome
from eventkit.metrics import (
    INBOX_OUTCOMES,
    M_DLQ_MESSAGES,
    M_HTTP_DURATION,
    M_INBOX_MESSAGES,
    M_INBOX_RETRIES,
    M_RELAY_PUBLISHED,
    M_RELAY_RESEEDS,
    RETRY_REASONS,
    ServiceMetrics,
    install_http_metrics,
)

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(metrics: ServiceMetrics) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(metrics.render().decode())
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found[(name, frozenset(labels.items()))]


def test_each_service_has_its_own_registry() -> None:
    inventory, sales = ServiceMetrics("inventory"), ServiceMetrics("sales")
    inventory.record_relay_published(5)
    inventory.record_relay_published(0)
    sales.record_relay_published(2)
    sales.record_relay_reseed()
    assert value(samples(inventory), M_RELAY_PUBLISHED) == 5
    assert value(samples(inventory), M_RELAY_RESEEDS) == 0
    assert value(samples(sales), M_RELAY_PUBLISHED) == 2
    assert value(samples(sales), M_RELAY_RESEEDS) == 1
    assert value(samples(sales), "erp_service_info", service="sales") == 1
    assert any(name.startswith("process_") for name, _ in samples(sales))


def test_inbox_outcomes_retries_and_the_dlq() -> None:
    metrics = ServiceMetrics("sales")
    metrics.declare_consumer("sales.stock")
    found = samples(metrics)
    for outcome in INBOX_OUTCOMES:
        assert value(found, M_INBOX_MESSAGES, consumer="sales.stock", outcome=outcome) == 0
    for reason in RETRY_REASONS:
        assert value(found, M_INBOX_RETRIES, consumer="sales.stock", reason=reason) == 0
    assert value(found, M_DLQ_MESSAGES, consumer="sales.stock") == 0

    for outcome in (Outcome.PROCESSED, Outcome.PROCESSED, Outcome.DUPLICATE, "dead_lettered"):
        metrics.record_inbox_outcome("sales.stock", outcome)
    metrics.record_inbox_retry("sales.stock", "concurrency")
    metrics.record_inbox_retry("sales.stock", "handler_error")
    metrics.record_inbox_retry("sales.stock", "handler_error")
    found = samples(metrics)
    assert value(found, M_INBOX_MESSAGES, consumer="sales.stock", outcome="processed") == 2
    assert value(found, M_INBOX_MESSAGES, consumer="sales.stock", outcome="duplicate") == 1
    assert value(found, M_INBOX_MESSAGES, consumer="sales.stock", outcome="dead_lettered") == 1
    assert value(found, M_DLQ_MESSAGES, consumer="sales.stock") == 1
    assert value(found, M_INBOX_RETRIES, consumer="sales.stock", reason="handler_error") == 2
    assert value(found, M_INBOX_RETRIES, consumer="sales.stock", reason="concurrency") == 1
    assert value(found, M_INBOX_RETRIES, consumer="sales.stock", reason="infrastructure") == 0


def test_unknown_label_values_are_refused_to_bound_cardinality() -> None:
    metrics = ServiceMetrics("sales")
    with pytest.raises(ValueError, match="outcome"):
        metrics.record_inbox_outcome("c", "exploded")
    with pytest.raises(ValueError, match="reason"):
        metrics.record_inbox_retry("c", "bad luck")


async def test_routes_are_labelled_by_template_also_in_routers_and_mounts() -> None:
    metrics = ServiceMetrics("toy", process_metrics=False)
    app = FastAPI()
    install_http_metrics(app, metrics)
    router = APIRouter(prefix="/warehouses/{warehouse_id}")

    @router.get("/locations/{location}")
    async def location(warehouse_id: str, location: str) -> dict[str, str]:
        return {"warehouse_id": warehouse_id, "location": location}

    @router.post("/boom")
    async def boom(warehouse_id: str) -> None:
        raise RuntimeError(warehouse_id)

    async def plain(_: object) -> PlainTextResponse:
        return PlainTextResponse("ok")

    app.include_router(router)
    app.router.routes.append(Mount("/static", routes=[Route("/files/{name}", plain)]))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as http:
        assert (await http.get("/warehouses/WH1/locations/A-01")).status_code == 200
        assert (await http.get("/warehouses/WH2/locations/B-02")).status_code == 200
        assert (await http.post("/warehouses/WH1/boom")).status_code == 500
        assert (await http.get("/static/files/logo.png")).status_code == 200
        assert (await http.delete("/warehouses/WH1/locations/A-01")).status_code == 405

    found = samples(metrics)
    count = f"{M_HTTP_DURATION}_count"
    template = "/warehouses/{warehouse_id}/locations/{location}"
    assert value(found, count, method="GET", route=template, status="200") == 2
    assert value(found, count, method="DELETE", route=template, status="405") == 1
    boom_route = "/warehouses/{warehouse_id}/boom"
    assert value(found, count, method="POST", route=boom_route, status="500") == 1
    assert value(found, count, method="GET", route="/static/files/{name}", status="200") == 1
    assert not any(
        raw in dict(labels).get("route", "")
        for _, labels in found
        for raw in ("WH1", "WH2", "A-01", "logo")
    )
