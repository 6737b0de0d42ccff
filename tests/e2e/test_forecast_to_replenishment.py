"""History → strategy → automatic replenishment, across three real services over the real
broker: reporting's weekly forecast suggests a reorder point; applying it (reporting
`POST /forecasts/{sku}/{warehouse}/apply-reorder-point`) changes inventory's stock policy over
inventory's HTTP API on a real port, under the caller's name; the stock already under the new
line raises inventory's reorder alert, and purchasing places a PO for the suggested quantity.

The demand history is written straight into reporting's sales read model (52 weeks of a steady
~100 a week): a year of shipments is longer than any test should take to post. Everything after
it is the services' own behaviour.
"""

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from eventkit.testing.infrastructure import Infrastructure, free_port
from eventkit.testing.service import (
    ServiceUnderTest,
    eventually,
    new_namespace,
    running_service,
    serving,
)
from inventory.bootstrap import blueprint as inventory_blueprint
from purchasing.bootstrap import blueprint as purchasing_blueprint
from reporting.adapters.projections.sales import sales_daily
from reporting.bootstrap import blueprint as reporting_blueprint

from .conftest import ADMIN, HEADERS, get, post

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

VIEWER = "viewer-token"
TOKENS = f"{VIEWER}=zhao.li:viewer"
APPLY = "/forecasts/TEA/WH-1/apply-reorder-point"


def inventory_app(service: ServiceUnderTest) -> Any:
    """The in-process app behind the test client (its lifespan already runs)."""
    transport = service.client._transport
    assert isinstance(transport, httpx.ASGITransport)
    return transport.app


async def a_year_of_demand(reporting: ServiceUnderTest) -> None:
    today = datetime.now(UTC).date()
    last_sunday = today - timedelta(days=today.isoweekday() % 7 or 7)
    rows = []
    for week in range(52):
        day = last_sunday - timedelta(weeks=week, days=3)  # a Thursday
        qty = Decimal(round(100 + 8 * math.sin(week)))  # steady, a little noise
        rows.append(
            {"day": day, "sku": "TEA", "customer_id": "C1", "warehouse_id": "WH-1", "qty": qty}
        )
    async with reporting.runtime.engine.begin() as conn:
        await conn.execute(sales_daily.insert(), rows)


async def apply(reporting: ServiceUnderTest, token: str = ADMIN, **body: Any) -> httpx.Response:
    return await reporting.client.post(
        APPLY, json=body, headers={"Authorization": f"Bearer {token}"}
    )


async def test_a_suggested_reorder_point_applied_becomes_a_placed_po(
    infra: Infrastructure,
    three_databases: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    namespace, bootstrap = new_namespace(), infra.kafka_bootstrap_servers

    def running(blueprint: Any, database: str) -> Any:
        return running_service(
            blueprint, database, bootstrap, admin_token=ADMIN, tokens=TOKENS, namespace=namespace
        )

    inv_db, pur_db, rep_db = three_databases
    async with (
        running(inventory_blueprint(), inv_db) as inventory,
        running(purchasing_blueprint(), pur_db) as purchasing,
        running(reporting_blueprint(), rep_db) as reporting,
        serving(inventory_app(inventory), lifespan="off") as inventory_url,
    ):
        monkeypatch.setenv("ERP_INVENTORY_URL", inventory_url)
        await post(
            purchasing,
            "/suppliers",
            {
                "supplier_id": "SUP-1",
                "name": "杭州茶厂",
                "payment_terms_days": 30,
                "lead_time_days": 14,
                "prices": [{"sku": "TEA", "unit_price": "10.00"}],
            },
        )

        async def offer_known() -> bool:
            return len(await get(purchasing, "/price-history", sku="TEA")) > 0

        assert await eventually(offer_known)
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "Main"})
        await post(inventory, "/items", {"sku": "TEA", "name": "Tea", "uom": "box"})
        opening = {"sku": "TEA", "warehouse_id": "WH-1", "qty": "150", "unit_cost": "9.5"}
        await post(inventory, "/adjustments", opening | {"reason": "opening_balance"})
        await a_year_of_demand(reporting)

        # Nothing to forecast from for an unknown pair: refused before inventory is asked.
        unknown = await reporting.client.post(
            "/forecasts/NOPE/WH-1/apply-reorder-point", json={}, headers=HEADERS
        )
        assert (unknown.status_code, unknown.json()["error"]) == (409, "no_demand_history")

        # Inventory decides who may change its policy: a viewer is refused there.
        refused = await apply(reporting, VIEWER)
        assert refused.status_code == 403, refused.text
        assert refused.json()["source"] == "inventory"
        assert await inventory.event_count("StockPolicyChanged") == 0

        applied = await apply(reporting, service_level=0.95, lead_time_weeks=2, review_weeks=4)
        assert applied.status_code == 200, applied.text
        suggestion, policy = applied.json()["suggestion"], applied.json()["applied"]
        point = Decimal(suggestion["reorder_point"])
        order_qty = Decimal(suggestion["order_up_to"]) - point
        assert 200 < point < 260, suggestion  # ~2 weeks of ~100 plus safety stock
        assert policy["changed"] is True
        assert (Decimal(policy["reorder_point"]), Decimal(policy["reorder_qty"])) == (
            point,
            order_qty,
        )
        async with inventory.runtime.engine.connect() as conn:
            actor = await conn.scalar(
                text(
                    "SELECT metadata->>'actor' FROM events WHERE event_type = 'StockPolicyChanged'"
                )
            )
        assert actor == "admin"

        # 150 on hand is under the new line: inventory alerts at once, purchasing orders the
        # suggested quantity from the only supplier — nobody touched a screen.
        placed: list[dict[str, Any]] = []

        async def po_placed() -> bool:
            placed[:] = await get(purchasing, "/purchase-orders", status="placed")
            return len(placed) == 1

        assert await eventually(po_placed, timeout=60), "no PO was placed from the new line"
        po = await get(purchasing, f"/purchase-orders/{placed[0]['po_id']}")
        assert [(line["sku"], Decimal(line["qty"])) for line in po["lines"]] == [("TEA", order_qty)]

        # Applying the same suggestion again changes nothing.
        again = await apply(reporting, service_level=0.95, lead_time_weeks=2, review_weeks=4)
        assert (again.status_code, again.json()["applied"]["changed"]) == (200, False)
        assert await inventory.event_count("StockPolicyChanged") == 1

        # Inventory unreachable: 503 with Retry-After, never a 500.
        monkeypatch.setenv("ERP_INVENTORY_URL", f"http://127.0.0.1:{free_port()}")
        down = await apply(reporting)
        assert down.status_code == 503, down.text
        assert down.headers["Retry-After"]
