"""The credit check (exposure = open receivables + unshipped orders) under concurrency, and
POST /orders retried with one Idempotency-Key."""

import asyncio

import pytest

from .scenario import items_known, order_body, place_order, register_customer
from .support import SalesUnderTest, auth

pytestmark = pytest.mark.integration


async def test_an_order_above_the_credit_limit_is_refused_and_writes_nothing(
    sales: SalesUnderTest,
) -> None:
    await register_customer(sales, "CUS-1", "1000.00")
    await items_known(sales, "SKU-1")
    # 8 × 100 = 800 net + 104 VAT = 904.00 ≤ 1000.00
    await place_order(sales, order_body("CUS-1", ("SKU-1", "8", "100")))
    before = await sales.event_count()
    # 1 × 100 = 113.00 → exposure 1017.00 > 1000.00
    refused = await sales.client.post(
        "/orders", json=order_body("CUS-1", ("SKU-1", "1", "100")), headers=auth()
    )
    assert refused.status_code == 409
    assert refused.json()["error"] == "credit_limit_exceeded"
    assert await sales.event_count() == before
    exposure = await sales.get("/customers/CUS-1/exposure")
    assert (exposure["exposure"], exposure["available_credit"]) == ("904.00", "96.00")


async def test_five_concurrent_orders_over_the_limit_accept_only_those_that_fit(
    sales: SalesUnderTest,
) -> None:
    await register_customer(sales, "CUS-1", "1000.00")
    await items_known(sales, "SKU-1")
    # Each order: 2 × 100 = 226.00 incl. VAT; 5 of them = 1130.00; 4 fit (904.00).
    body = order_body("CUS-1", ("SKU-1", "2", "100"))
    responses = await asyncio.gather(
        *(sales.client.post("/orders", json=body, headers=auth()) for _ in range(5))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 201, 201, 201, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["error"] == "credit_limit_exceeded"
    assert await sales.event_count("SalesOrderPlaced") == 4
    assert await sales.event_count("CustomerCreditCommitted") == 4


async def test_one_order_request_sent_twice_and_five_times_at_once_makes_one_order(
    sales: SalesUnderTest,
) -> None:
    # The limit fits exactly one order: a retry that decided again would be refused.
    await register_customer(sales, "CUS-1", "300.00")
    await items_known(sales, "SKU-1")
    body = order_body("CUS-1", ("SKU-1", "2", "100"))
    headers = auth(**{"Idempotency-Key": "order-request-42"})
    first = await sales.client.post("/orders", json=body, headers=headers)
    again = await sales.client.post("/orders", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()

    concurrent = auth(**{"Idempotency-Key": "order-request-43"})
    await register_customer(sales, "CUS-2", "300.00")
    body2 = order_body("CUS-2", ("SKU-1", "2", "100"))
    responses = await asyncio.gather(
        *(sales.client.post("/orders", json=body2, headers=concurrent) for _ in range(5))
    )
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert len({r.json()["order_id"] for r in responses}) == 1
    assert await sales.event_count("SalesOrderPlaced") == 2
