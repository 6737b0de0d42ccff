"""Order-to-cash across sales, inventory and finance over the real broker: the documented event
sequence, and the order ends `completed` with the ledger balanced.

SalesOrderPlaced (sales) → StockReserved (inventory) → SalesOrderConfirmed (sales) →
ShipmentDispatched (inventory, COGS at average cost) → CustomerInvoiceIssued (finance) →
PaymentReceived + InvoiceSettled (finance) → SalesOrderCompleted (sales).
"""

from decimal import Decimal

import pytest

from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, eventually, new_namespace, running_service
from finance.bootstrap import blueprint as finance_blueprint
from inventory.bootstrap import blueprint as inventory_blueprint
from sales.bootstrap import blueprint as sales_blueprint

from .conftest import ADMIN, HEADERS, get, post

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


async def status_of(sales: ServiceUnderTest, order_id: str) -> str:
    response = await sales.client.get(f"/orders/{order_id}", headers=HEADERS)
    return str(response.json()["status"]) if response.status_code == 200 else "unseen"


async def test_an_order_goes_from_placed_to_completed_and_the_ledger_balances(
    infra: Infrastructure, three_databases: list[str]
) -> None:
    namespace, bootstrap = new_namespace(), infra.kafka_bootstrap_servers
    services = (inventory_blueprint(), sales_blueprint(), finance_blueprint())
    async with (
        running_service(
            services[0],
            three_databases[0],
            bootstrap,
            admin_token=ADMIN,
            tokens="",
            namespace=namespace,
        ) as inventory,
        running_service(
            services[1],
            three_databases[1],
            bootstrap,
            admin_token=ADMIN,
            tokens="",
            namespace=namespace,
        ) as sales,
        running_service(
            services[2],
            three_databases[2],
            bootstrap,
            admin_token=ADMIN,
            tokens="",
            namespace=namespace,
        ) as finance,
    ):
        await post(inventory, "/warehouses", {"warehouse_id": "WH-1", "name": "Main"})
        await post(inventory, "/items", {"sku": "TEA", "name": "Tea", "uom": "box"})
        await post(
            inventory,
            "/adjustments",
            {
                "sku": "TEA",
                "warehouse_id": "WH-1",
                "qty": "10",
                "reason": "opening_balance",
                "unit_cost": "60",
            },
        )
        await post(
            sales,
            "/customers",
            {
                "customer_id": "CUST-1",
                "name": "茶馆",
                "credit_limit": "10000",
                "payment_terms_days": 30,
            },
        )
        order_id = ""

        async def placed() -> bool:
            nonlocal order_id
            response = await sales.client.post(
                "/orders",
                headers=HEADERS,
                json={
                    "customer_id": "CUST-1",
                    "warehouse_id": "WH-1",
                    "lines": [{"sku": "TEA", "qty": "2", "unit_price": "100", "tax_rate": "0.13"}],
                },
            )
            order_id = response.json().get("order_id", "") if response.status_code == 201 else ""
            return bool(order_id)  # sales learns the catalogue from inventory a moment later

        assert await eventually(placed)

        async def is_(status: str) -> bool:
            return await status_of(sales, order_id) == status

        assert await eventually(lambda: is_("confirmed"))
        shipped = await post(inventory, "/shipments", {"order_id": order_id})
        assert Decimal(shipped["lines"][0]["value"]) == Decimal("120.00")  # COGS 2 × 60

        invoices: list[dict[str, str]] = []

        async def invoiced() -> bool:
            invoices[:] = await get(finance, "/receivables/invoices", order_id=order_id)
            return bool(invoices) and await is_("invoiced")

        assert await eventually(invoiced, timeout=60)
        assert Decimal(invoices[0]["total"]) == Decimal("226.00")  # 200 + 13% VAT
        await post(finance, "/receivables/receipts", {"customer_id": "CUST-1", "amount": "226.00"})
        assert await eventually(lambda: is_("completed"), timeout=60)

        order = await get(sales, f"/orders/{order_id}")
        steps = [step["status"] for step in order["timeline"]]
        assert steps[:2] == ["placed", "confirmed"]
        assert steps[-1] == "completed"
        assert "shipped" in steps
        assert "invoiced" in steps
        assert all(step["event_id"] for step in order["timeline"])
        exposure = await get(sales, "/customers/CUST-1/exposure")
        assert Decimal(exposure["exposure"]) == 0

        async def balanced() -> bool:
            trial = await get(finance, "/ledger/trial-balance")
            return bool(Decimal(trial["total_debit"]) == Decimal(trial["total_credit"]) > 0)

        assert await eventually(balanced)
