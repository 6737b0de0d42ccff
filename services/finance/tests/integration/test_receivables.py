"""Customer invoices issued on dispatch at the sales order's prices; receipts pay them oldest
first and settle them; aging buckets what is still open."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events.sales import CustomerRegistered, SalesOrderLine, SalesOrderPlaced

from ..unit.inventory_events import dispatched
from .support import FinanceUnderTest, auth, envelopes

pytestmark = pytest.mark.integration
D = Decimal


def customer() -> list[EventEnvelope]:
    registered = CustomerRegistered(
        customer_id="CUS-1", name="华南商贸", credit_limit=D("100000"), payment_terms_days=30
    )
    return envelopes("sales", ("customer-CUS-1", registered))


def order(order_id: UUID, price: str = "20.00") -> EventEnvelope:
    line = SalesOrderLine(sku="A", qty=D(10), unit_price=D(price), tax_rate=D("0.13"))
    placed = SalesOrderPlaced(
        order_id=order_id,
        order_number="SO-1",
        customer_id="CUS-1",
        warehouse_id="WH-1",
        lines=(line,),
    )
    return envelopes("sales", (f"order-{order_id}", placed))[0]


def shipment(order_id: UUID, qty: str) -> EventEnvelope:
    shipped = dispatched("A", qty, "12.00", str(D(qty) * 12)).model_copy(
        update={"order_id": order_id}
    )
    return envelopes("inventory", (f"shipment-{uuid4()}", shipped))[0]


async def invoices(finance: FinanceUnderTest, order_id: UUID) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = await finance.get("/receivables/invoices", order_id=str(order_id))
    return rows


async def test_a_dispatch_is_invoiced_at_the_order_price_even_if_it_arrives_first(
    finance: FinanceUnderTest,
) -> None:
    order_id = uuid4()
    first_shipment = shipment(order_id, "4")
    # The shipment arrives before sales' order: it is invoiced once the order is known.
    await finance.publish(*customer(), first_shipment)
    await finance.settled(first_shipment)
    assert await invoices(finance, order_id) == []

    placed = order(order_id)
    await finance.publish(placed)
    await finance.settled(placed)
    (invoice,) = await invoices(finance, order_id)
    assert (invoice["net_total"], invoice["tax_total"], invoice["total"]) == (
        "80.00",
        "10.40",
        "90.40",
    )
    assert invoice["invoice_number"].startswith("AR-")

    # Revenue and output VAT posted; COGS from the dispatch at its cost.
    balances = await finance.balances()
    assert balances["1122"] == D("90.40")
    assert balances["6001"] == D("-80.00")
    assert balances["2221.02"] == D("-10.40")
    assert balances["6401"] == D("48.00")

    # Redelivering the shipment issues no second invoice.
    await finance.publish(first_shipment.model_copy(update={"event_id": uuid4()}))
    await finance.settled()
    assert len(await invoices(finance, order_id)) == 1
    assert await finance.event_count("CustomerInvoiceIssued") == 1


async def test_a_receipt_without_allocations_pays_the_oldest_invoices_first_and_settles_them(
    finance: FinanceUnderTest,
) -> None:
    order_id = uuid4()
    for sent in (
        [*customer(), order(order_id), shipment(order_id, "4")],
        [shipment(order_id, "6")],
    ):
        await finance.publish(*sent)
        await finance.settled(*sent)
    older, newer = await invoices(finance, order_id)  # 90.40 and 135.60

    response = await finance.client.post(
        "/receivables/receipts",
        json={"customer_id": "CUS-1", "amount": "100.00"},
        headers=auth(),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["allocations"] == [
        {"invoice_id": older["invoice_id"], "amount": "90.40"},
        {"invoice_id": newer["invoice_id"], "amount": "9.60"},
    ]
    assert body["settled_invoices"] == [older["invoice_id"]]
    assert await finance.event_count("InvoiceSettled") == 1
    assert await finance.event_count("PaymentReceived") == 1

    await finance.settled()
    statuses = {i["invoice_id"]: i["status"] for i in await invoices(finance, order_id)}
    assert statuses == {older["invoice_id"]: "settled", newer["invoice_id"]: "open"}
    assert (await finance.balances())["1122"] == D("126.00")

    later = (datetime.now(UTC) + timedelta(days=45)).date().isoformat()
    report = await finance.get("/aging", kind="receivable", as_of=later)
    assert report["counterparties"] == [
        {
            "counterparty_id": "CUS-1",
            "0-30": "0.00",
            "31-60": "126.00",
            "61-90": "0.00",
            "90+": "0.00",
            "total": "126.00",
        }
    ]


async def test_a_receipt_from_an_unknown_customer_is_not_yet_known_and_writes_nothing(
    finance: FinanceUnderTest,
) -> None:
    before = await finance.event_count()
    response = await finance.client.post(
        "/receivables/receipts", json={"customer_id": "NOBODY", "amount": "1"}, headers=auth()
    )
    # Customers are sales': finance may not have heard of it yet.
    assert (response.status_code, response.json()["error"]) == (409, "not_yet_known")
    assert await finance.event_count() == before


@pytest.mark.parametrize("shipment_first", [True, False])
async def test_a_backdated_dispatch_is_posted_in_its_own_month_whichever_arrives_first(
    finance: FinanceUnderTest, shipment_first: bool
) -> None:
    """Revenue belongs to the month the goods left (the invoice date), not to the moment finance
    happened to learn the second half: the order and the shipment travel on different topics."""
    order_id = uuid4()
    placed = order(order_id)  # dated 2026-11-24
    october = datetime(2026, 10, 15, 10, tzinfo=UTC)
    shipped = shipment(order_id, "4").model_copy(update={"occurred_at": october})
    await finance.publish(*customer())
    for sent in [shipped, placed] if shipment_first else [placed, shipped]:
        await finance.publish(sent)
        await finance.settled(sent)
    (invoice,) = await invoices(finance, order_id)
    assert invoice["invoice_date"] == "2026-10-15"
    in_october = await finance.get("/ledger/profit-and-loss", period="2026-10")
    in_november = await finance.get("/ledger/profit-and-loss", period="2026-11")
    assert in_october["income"] == [{"code": "6001", "name": "主营业务收入", "amount": "80.00"}]
    assert in_november["income"] == []
