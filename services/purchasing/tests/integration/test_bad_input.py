"""Refused commands answer 404 / 422 / 403 and write nothing."""

from typing import Any

import pytest

from .scenario import register_supplier
from .support import VIEWER, PurchasingUnderTest, auth

pytestmark = pytest.mark.integration


def order(**line: Any) -> dict[str, Any]:
    return {
        "supplier_id": "SUP-1",
        "warehouse_id": "WH-1",
        "lines": [{"sku": "SKU-1", "qty": "5", "unit_price": "12.00", **line}],
    }


async def test_an_order_for_an_unknown_supplier_is_404_and_writes_nothing(
    purchasing: PurchasingUnderTest,
) -> None:
    before = await purchasing.event_count()
    response = await purchasing.client.post(
        "/purchase-orders", json={**order(), "supplier_id": "NOBODY"}, headers=auth()
    )
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert await purchasing.event_count() == before


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"qty": "0"}, "qty"),
        ({"qty": "-2"}, "qty"),
        ({"unit_price": "0"}, "unit_price"),
        ({"unit_price": "-1.5"}, "unit_price"),
    ],
)
async def test_zero_or_negative_qty_or_price_is_422_with_the_field_path(
    purchasing: PurchasingUnderTest, line: dict[str, str], field: str
) -> None:
    await register_supplier(purchasing, "SUP-1", {})
    before = await purchasing.event_count()
    response = await purchasing.client.post("/purchase-orders", json=order(**line), headers=auth())
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert ["body", "lines", 0, field] in [detail["loc"] for detail in body["details"]]
    assert await purchasing.event_count() == before


async def test_a_viewer_cannot_place_orders_and_an_unknown_po_is_404(
    purchasing: PurchasingUnderTest,
) -> None:
    response = await purchasing.client.post("/purchase-orders", json=order(), headers=auth(VIEWER))
    assert response.status_code == 403
    missing = await purchasing.client.get(
        "/purchase-orders/00000000-0000-0000-0000-000000000000", headers=auth(VIEWER)
    )
    assert missing.status_code == 404
    assert await purchasing.event_count() == 0
