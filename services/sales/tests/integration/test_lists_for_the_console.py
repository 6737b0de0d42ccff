"""The lists the console pages through: customers with their credit position, orders newest
first (limit/offset/q, eventkit.http.paging), and who did each step of an order."""

import pytest

from .scenario import items_known, order_body, place_order, register_customer
from .support import CLERK, SalesUnderTest, auth

pytestmark = pytest.mark.integration


async def test_customers_are_paged_by_id_searched_by_id_or_name_with_their_credit(
    sales: SalesUnderTest,
) -> None:
    for customer_id in ("CUS-A", "CUS-B", "CUS-C"):
        await register_customer(sales, customer_id, "1000.00")
    await items_known(sales, "SKU-1")
    # 2 × 100 = 226.00 incl. VAT for CUS-B.
    await place_order(sales, order_body("CUS-B", ("SKU-1", "2", "100")))

    first = await sales.get("/customers", limit="2")
    second = await sales.get("/customers", limit="2", offset="2")
    assert [c["customer_id"] for c in first] == ["CUS-A", "CUS-B"]
    assert [c["customer_id"] for c in second] == ["CUS-C"]
    b = first[1]
    assert (b["credit_limit"], b["exposure"], b["available_credit"]) == (
        "1000.00",
        "226.00",
        "774.00",
    )
    assert [c["customer_id"] for c in await sales.get("/customers", q="cus-c")] == ["CUS-C"]
    assert [c["customer_id"] for c in await sales.get("/customers", q="Customer CUS-A")] == [
        "CUS-A"
    ]
    assert len(await sales.get("/customers")) == 3
    one = await sales.get("/customers/CUS-B")
    assert one | {"name": None} == b | {"name": None, "discount_rate": "0.0000"}
    assert one["name"] == "Customer CUS-B"
    missing = await sales.client.get("/customers/CUS-NONE", headers=auth(CLERK))
    assert missing.status_code == 404


async def test_orders_are_paged_newest_first_and_searched_by_number_or_customer(
    sales: SalesUnderTest,
) -> None:
    await register_customer(sales, "CUS-A", "100000.00")
    await register_customer(sales, "CUS-B", "100000.00")
    await items_known(sales, "SKU-1")
    placed = [
        await place_order(sales, order_body(customer, ("SKU-1", "1", "10")))
        for customer in ("CUS-A", "CUS-B", "CUS-A")
    ]
    newest_first = [p["order_number"] for p in reversed(placed)]

    page_one = await sales.get("/orders", limit="2")
    page_two = await sales.get("/orders", limit="2", offset="2")
    assert [o["order_number"] for o in page_one + page_two] == newest_first
    assert page_one[0]["customer_name"] == "Customer CUS-A"
    by_customer = await sales.get("/orders", q="cus-b")
    assert [o["order_number"] for o in by_customer] == [placed[1]["order_number"]]
    by_number = await sales.get("/orders", q=placed[0]["order_number"])
    assert [o["order_id"] for o in by_number] == [placed[0]["order_id"]]
    assert len(await sales.get("/orders")) == 3


async def test_an_order_names_its_customer_and_who_placed_it(sales: SalesUnderTest) -> None:
    await register_customer(sales, "CUS-A", "1000.00")
    await items_known(sales, "SKU-1")
    placed = await place_order(sales, order_body("CUS-A", ("SKU-1", "1", "10")))

    order = await sales.get(f"/orders/{placed['order_id']}")
    assert order["customer_name"] == "Customer CUS-A"
    assert [(s["status"], s["actor"]) for s in order["timeline"]] == [("placed", "chen.jing")]
    assert CLERK not in str(order)
