"""Refused orders answer 404 / 422 / 403 and write nothing."""

from typing import Any

import pytest

from .scenario import items_known, order_body, register_customer
from .support import VIEWER, SalesUnderTest, auth

pytestmark = pytest.mark.integration


def order(**line: Any) -> dict[str, Any]:
    body = order_body("CUS-1", ("SKU-1", "5", "12.00"))
    body["lines"][0].update(line)
    return body


async def test_an_unknown_customer_is_404_an_unknown_sku_not_yet_known_and_nothing_written(
    sales: SalesUnderTest,
) -> None:
    await register_customer(sales, "CUS-1", "1000.00")
    await items_known(sales, "SKU-1")
    before = await sales.event_count()
    nobody = await sales.client.post(
        "/orders", json={**order(), "customer_id": "NOBODY"}, headers=auth()
    )
    assert (nobody.status_code, nobody.json()["error"]) == (404, "not_found")
    unknown = await sales.client.post("/orders", json=order(sku="NO-SUCH-SKU"), headers=auth())
    # Items are inventory's: sales may simply not have heard of it yet (docs/eventkit.md).
    assert (unknown.status_code, unknown.json()["error"]) == (409, "not_yet_known")
    assert "Retry-After" in unknown.headers
    assert "NO-SUCH-SKU" in unknown.json()["message"]
    assert await sales.event_count() == before


@pytest.mark.parametrize(
    ("line", "field"),
    [({"qty": "0"}, "qty"), ({"qty": "-2"}, "qty"), ({"unit_price": "-1.5"}, "unit_price")],
)
async def test_non_positive_qty_or_negative_price_is_422_with_the_field_path(
    sales: SalesUnderTest, line: dict[str, str], field: str
) -> None:
    await register_customer(sales, "CUS-1", "1000.00")
    before = await sales.event_count()
    response = await sales.client.post("/orders", json=order(**line), headers=auth())
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert ["body", "lines", 0, field] in [detail["loc"] for detail in body["details"]]
    assert await sales.event_count() == before


async def test_a_viewer_cannot_place_orders_and_an_unknown_order_is_404(
    sales: SalesUnderTest,
) -> None:
    response = await sales.client.post("/orders", json=order(), headers=auth(VIEWER))
    assert response.status_code == 403
    missing = await sales.client.get(
        "/orders/00000000-0000-0000-0000-000000000000", headers=auth(VIEWER)
    )
    assert missing.status_code == 404
    assert await sales.event_count() == 0
