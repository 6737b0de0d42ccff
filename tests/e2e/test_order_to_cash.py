"""Order-to-cash across sales, inventory and finance over the real broker: the documented event
sequence, and the order ends `completed` with the ledger balanced.

SalesOrderPlaced (sales) → StockReserved (inventory) → SalesOrderConfirmed (sales) →
ShipmentDispatched (inventory, COGS at average cost) → CustomerInvoiceIssued (finance) →
PaymentReceived + InvoiceSettled (finance) → SalesOrderCompleted (sales).

With a return: SalesReturnRequested (sales, the RMA) → CustomerReturnReceived (inventory) →
CreditNoteIssued (finance, applied to the invoice) → the customer's exposure comes down.
"""

import contextlib
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.service import ServiceUnderTest, eventually
from finance.bootstrap import blueprint as finance_blueprint
from inventory.bootstrap import blueprint as inventory_blueprint
from sales.bootstrap import blueprint as sales_blueprint

from .conftest import HEADERS, get, post, services_in_one_namespace

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


async def status_of(sales: ServiceUnderTest, order_id: str) -> str:
    response = await sales.client.get(f"/orders/{order_id}", headers=HEADERS)
    return str(response.json()["status"]) if response.status_code == 200 else "unseen"


@contextlib.asynccontextmanager
async def order_to_cash_stack(
    infra: Infrastructure, databases: list[str]
) -> AsyncIterator[tuple[ServiceUnderTest, ServiceUnderTest, ServiceUnderTest]]:
    """Inventory, sales and finance in one topic namespace; TEA in stock (10 at 60.00) and
    CUST-1 registered."""
    blueprints = (inventory_blueprint(), sales_blueprint(), finance_blueprint())
    async with services_in_one_namespace(infra, databases, *blueprints) as services:
        inventory, sales, finance = services
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
        yield inventory, sales, finance


async def invoiced_order(
    inventory: ServiceUnderTest, sales: ServiceUnderTest, finance: ServiceUnderTest
) -> tuple[str, dict[str, str]]:
    """2 TEA at 100.00 + 13% VAT ordered, confirmed, shipped and invoiced: (order id, invoice)."""
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
    assert await eventually(lambda: is_(sales, order_id, "confirmed"))
    shipped = await post(inventory, "/shipments", {"order_id": order_id})
    assert Decimal(shipped["lines"][0]["value"]) == Decimal("120.00")  # COGS 2 × 60

    invoices: list[dict[str, str]] = []

    async def invoiced() -> bool:
        invoices[:] = await get(finance, "/receivables/invoices", order_id=order_id)
        return bool(invoices) and await is_(sales, order_id, "invoiced")

    assert await eventually(invoiced, timeout=60)
    assert Decimal(invoices[0]["total"]) == Decimal("226.00")  # 200 + 13% VAT
    return order_id, invoices[0]


async def received_against_rma(inventory: ServiceUnderTest, body: dict[str, object]) -> None:
    """POST /customer-returns, retried while inventory has not yet heard of the RMA from
    sales (409 `rma_not_found` with Retry-After); any other answer but 201 fails."""

    async def received() -> bool:
        response = await inventory.client.post("/customer-returns", json=body, headers=HEADERS)
        if response.status_code == 409 and "Retry-After" in response.headers:
            assert response.json()["error"] == "rma_not_found", response.text
            return False
        assert response.status_code == 201, response.text
        return True

    assert await eventually(received)


async def is_(sales: ServiceUnderTest, order_id: str, status: str) -> bool:
    return await status_of(sales, order_id) == status


async def balanced(finance: ServiceUnderTest) -> bool:
    trial = await get(finance, "/ledger/trial-balance")
    return bool(Decimal(trial["total_debit"]) == Decimal(trial["total_credit"]) > 0)


async def test_an_order_goes_from_placed_to_completed_and_the_ledger_balances(
    infra: Infrastructure, three_databases: list[str]
) -> None:
    async with order_to_cash_stack(infra, three_databases) as (inventory, sales, finance):
        order_id, _ = await invoiced_order(inventory, sales, finance)
        await post(finance, "/receivables/receipts", {"customer_id": "CUST-1", "amount": "226.00"})
        assert await eventually(lambda: is_(sales, order_id, "completed"), timeout=60)

        order = await get(sales, f"/orders/{order_id}")
        steps = [step["status"] for step in order["timeline"]]
        assert steps[:2] == ["placed", "confirmed"]
        assert steps[-1] == "completed"
        assert "shipped" in steps
        assert "invoiced" in steps
        assert all(step["event_id"] for step in order["timeline"])
        exposure = await get(sales, "/customers/CUST-1/exposure")
        assert Decimal(exposure["exposure"]) == 0
        assert await eventually(lambda: balanced(finance))


async def test_a_returned_box_is_credited_and_lowers_the_customers_exposure(
    infra: Infrastructure, three_databases: list[str]
) -> None:
    async with order_to_cash_stack(infra, three_databases) as (inventory, sales, finance):
        order_id, invoice = await invoiced_order(inventory, sales, finance)
        rma = await post(
            sales,
            f"/orders/{order_id}/returns",
            {"lines": [{"sku": "TEA", "qty": "1"}], "reason": "damaged in transit"},
        )
        back = {"order_id": order_id, "rma_id": rma["return_id"]}
        await received_against_rma(inventory, back | {"lines": [{"sku": "TEA", "qty": "1"}]})

        notes: list[dict[str, str]] = []

        async def credited() -> bool:
            notes[:] = await get(finance, "/receivables/credit-notes", order_id=order_id)
            exposure = await get(sales, "/customers/CUST-1/exposure")
            return bool(notes) and Decimal(exposure["exposure"]) == Decimal("113.00")

        assert await eventually(credited, timeout=60)
        assert (notes[0]["total"], notes[0]["applied"]) == ("113.00", "113.00")
        (left,) = await get(finance, "/receivables/invoices", order_id=order_id)
        assert left["open_amount"] == "113.00"

        # The customer pays what it still owes: the order completes, the ledger balances.
        await post(finance, "/receivables/receipts", {"customer_id": "CUST-1", "amount": "113.00"})
        assert await eventually(lambda: is_(sales, order_id, "completed"), timeout=60)
        assert await eventually(lambda: balanced(finance))
        assert left["invoice_id"] == invoice["invoice_id"]
