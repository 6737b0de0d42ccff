"""数据迁移: suppliers with their price lists from one file, one row per price."""

from decimal import Decimal
from typing import Any

import pytest

from .support import PurchasingUnderTest, auth

pytestmark = pytest.mark.integration
HEADER = "供应商编码,供应商名称,账期天数,交货天数,物料编码,采购单价\n"
ROWS = (
    "SUP-HZ,杭州茶厂,30,5,TEA-1,55.00\nSUP-HZ,杭州茶厂,30,5,TEA-2,34.00\nSUP-YN,云南茶业,45,12,,\n"
)


async def upload(purchasing: PurchasingUnderTest, text: str) -> Any:
    files = {"file": ("suppliers.csv", text.encode("gb18030"), "text/csv")}
    return await purchasing.client.post("/imports/suppliers", files=files, headers=auth())


async def test_suppliers_import_with_their_price_lists_and_only_new_prices_are_added_later(
    purchasing: PurchasingUnderTest,
) -> None:
    first = await upload(purchasing, HEADER + ROWS)
    assert first.status_code == 201, first.text
    supplier = await purchasing.get("/suppliers/SUP-HZ")
    assert (supplier["name"], supplier["payment_terms_days"]) == ("杭州茶厂", 30)
    prices = {p["sku"]: Decimal(p["unit_price"]) for p in supplier["prices"]}
    assert prices == {"TEA-1": Decimal("55.00"), "TEA-2": Decimal("34.00")}
    events = await purchasing.event_count()

    more = await upload(purchasing, HEADER + ROWS + "SUP-YN,云南茶业,45,12,TEA-3,120\n")
    assert (more.status_code, more.json()["created"], more.json()["unchanged"]) == (201, 1, 3)
    assert await purchasing.event_count() == events + 1

    changed = await upload(purchasing, HEADER + "SUP-HZ,杭州茶厂,60,5,TEA-1,56.00\n")
    assert changed.status_code == 422
    assert [(c["column"], c["cell"]) for c in changed.json()["cells"]] == [
        ("payment_terms_days", "C2"),
        ("unit_price", "F2"),
    ]
    assert await purchasing.event_count() == events + 1
