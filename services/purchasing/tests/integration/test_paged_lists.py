"""The console's lists: suppliers, requisitions and purchase orders page with `limit`/`offset`,
search with `q`, and answer as before without `limit`; one supplier shows its price list."""

from typing import Any

import pytest

from .scenario import offers_visible, place_po, po_matches, register_supplier
from .support import PurchasingUnderTest, auth, eventually

pytestmark = pytest.mark.integration


async def test_suppliers_page_and_search_with_their_scorecard_figures(
    purchasing: PurchasingUnderTest,
) -> None:
    # Three suppliers list SKU-P: 10.00, 12.50 and 20.00 (price index 1, 1.25, 2).
    for supplier_id, price in (("SUP-A", "10.00"), ("SUP-B", "12.50"), ("SUP-C", "20.00")):
        await register_supplier(purchasing, supplier_id, {"SKU-P": price})
    await offers_visible(purchasing, "SKU-P", 3)

    everyone = await purchasing.get("/suppliers")
    assert [row["supplier_id"] for row in everyone] == ["SUP-A", "SUP-B", "SUP-C"]
    first = await purchasing.get("/suppliers", limit="2")
    second = await purchasing.get("/suppliers", limit="2", offset="2")
    assert [row["supplier_id"] for row in first + second] == ["SUP-A", "SUP-B", "SUP-C"]
    found = await purchasing.get("/suppliers", q="sup-b")
    assert [row["supplier_id"] for row in found] == ["SUP-B"]
    assert found[0]["price_index"] == "1.2500"
    assert found[0]["on_time_rate"] is None  # nothing delivered yet: nothing measured
    assert found[0]["listed_skus"] == 1


async def test_one_supplier_answers_with_its_price_list(purchasing: PurchasingUnderTest) -> None:
    await register_supplier(purchasing, "SUP-L", {"SKU-2": "3.50", "SKU-1": "7.25"})
    await offers_visible(purchasing, "SKU-2", 1)
    supplier = await purchasing.get("/suppliers/SUP-L")
    assert supplier["name"] == "Supplier SUP-L"
    assert [(p["sku"], p["unit_price"]) for p in supplier["prices"]] == [
        ("SKU-1", "7.250000"),
        ("SKU-2", "3.500000"),
    ]
    missing = await purchasing.client.get("/suppliers/SUP-NONE", headers=auth())
    assert missing.status_code == 404


async def test_requisitions_page_and_search(purchasing: PurchasingUnderTest) -> None:
    await register_supplier(purchasing, "SUP-R", {"SKU-R1": "1.00", "SKU-R2": "1.00"})
    await offers_visible(purchasing, "SKU-R2", 1)
    for sku in ("SKU-R1", "SKU-R2", "SKU-R2"):
        raised = await purchasing.client.post(
            "/requisitions", json={"sku": sku, "warehouse_id": "WH-1", "qty": "5"}, headers=auth()
        )
        assert raised.status_code == 201, raised.text

    async def listed() -> bool:
        return len(await purchasing.get("/requisitions")) == 3

    assert await eventually(listed, timeout=30)
    pages = await _pages(purchasing, "/requisitions", "requisition_id", size=2)
    assert [len(page) for page in pages] == [2, 1]
    assert len({row["requisition_id"] for page in pages for row in page}) == 3
    r2 = await purchasing.get("/requisitions", q="r2", status="open")
    assert [row["sku"] for row in r2] == ["SKU-R2", "SKU-R2"]


async def test_purchase_orders_page_search_and_filter_by_status(
    purchasing: PurchasingUnderTest,
) -> None:
    await register_supplier(purchasing, "SUP-O", {"SKU-O": "2.00"})
    await register_supplier(purchasing, "SUP-Q", {"SKU-O": "2.00"})
    for supplier_id in ("SUP-O", "SUP-O", "SUP-Q"):
        order = await place_po(
            purchasing, supplier_id, [{"sku": "SKU-O", "qty": "1", "unit_price": "2.00"}]
        )
        await po_matches(purchasing, order["po_id"], status="placed")
    pages = await _pages(purchasing, "/purchase-orders", "po_id", size=2)
    assert [len(page) for page in pages] == [2, 1]
    by_supplier = await purchasing.get("/purchase-orders", q="sup-q")
    assert [row["supplier_id"] for row in by_supplier] == ["SUP-Q"]
    assert await purchasing.get("/purchase-orders", status="draft", limit="10") == []
    bad = await purchasing.client.get("/purchase-orders", params={"limit": "0"}, headers=auth())
    assert bad.status_code == 422


async def _pages(
    svc: PurchasingUnderTest, path: str, key: str, *, size: int
) -> list[list[dict[str, Any]]]:
    """Every page of `path` by `size`, checking the pages never overlap."""
    pages: list[list[dict[str, Any]]] = []
    seen: set[str] = set()
    while True:
        page = await svc.get(path, limit=str(size), offset=str(size * len(pages)))
        if not page:
            return pages
        assert not seen & {row[key] for row in page}
        seen |= {row[key] for row in page}
        pages.append(page)
