"""数据迁移 into inventory: a whole file is validated before anything is written, written all
or nothing, and importing it again writes nothing (docs/import.md)."""

from decimal import Decimal
from typing import Any

import pytest

from .support import VIEWER, InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration


def items_csv(count: int, bad_row: int | None = None, name: str = "螺丝") -> bytes:
    lines = ["物料编码(sku),物料名称(name),单位(uom),再订货点(reorder_point)"]
    for n in range(count):
        point = "-5" if n + 2 == bad_row else "10"
        lines.append(f"SKU-{n:05d},{name} {n},pcs,{point}")
    return ("\n".join(lines) + "\n").encode()


async def upload(inv: InventoryUnderTest, kind: str, data: bytes, name: str = "f.csv") -> Any:
    files = {"file": (name, data, "text/csv")}
    return await inv.client.post(f"/imports/{kind}", files=files, headers=auth())


async def get(inv: InventoryUnderTest, path: str, **params: str) -> Any:
    response = await inv.client.get(path, params=params, headers=auth(VIEWER))
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_items_file_with_one_bad_cell_writes_nothing_and_names_the_cell(
    inventory: InventoryUnderTest,
) -> None:
    # The case: 10,000 items, one bad cell in the middle (the bench times it).
    response = await upload(inventory, "items", items_csv(10_000, bad_row=5_150))
    assert response.status_code == 422, response.text
    assert response.json()["cells"] == [
        {
            "row": 5_150,
            "column": "reorder_point",
            "cell": "D5150",
            "reason": "Input should be greater than or equal to 0",
        }
    ]
    assert await inventory.event_count() == 0
    assert await get(inventory, "/items") == []


async def test_a_fixed_items_file_imports_and_importing_it_again_changes_nothing(
    inventory: InventoryUnderTest,
) -> None:
    first = await upload(inventory, "items", items_csv(300))
    assert first.status_code == 201, first.text
    assert first.json() | {"sha256": ""} == {
        "kind": "items", "sha256": "", "rows": 300, "created": 300, "unchanged": 0,
        "replayed": False,
    }  # fmt: skip
    events = await inventory.event_count()
    assert events == 300

    async def all_listed() -> bool:
        return len(await get(inventory, "/items", limit="500")) == 300

    assert await eventually(all_listed, timeout=30)
    again = await upload(inventory, "items", items_csv(300))
    assert (again.status_code, again.json()["replayed"]) == (200, True)
    # The same rows in other bytes (a BOM, as Excel writes) are not a replay: each row is
    # found already stored with the same values.
    resaved = await upload(inventory, "items", b"\xef\xbb\xbf" + items_csv(300))
    assert resaved.status_code == 200, resaved.text
    assert (resaved.json()["created"], resaved.json()["unchanged"]) == (0, 300)
    assert await inventory.event_count() == events


async def test_an_item_already_stored_with_other_values_is_a_cell_error_not_an_overwrite(
    inventory: InventoryUnderTest,
) -> None:
    assert (await upload(inventory, "items", items_csv(3))).status_code == 201
    response = await upload(inventory, "items", items_csv(4, name="螺母"))
    assert response.status_code == 422, response.text
    cells = response.json()["cells"]
    assert [(c["row"], c["column"]) for c in cells] == [(2, "name"), (3, "name"), (4, "name")]
    assert cells[0]["reason"] == "already exists with a different name: 螺丝 0"
    assert await inventory.event_count() == 3  # SKU-00003 was not written either


async def test_opening_stock_with_locations_and_lots_shows_in_stock_and_valuation(
    inventory: InventoryUnderTest,
) -> None:
    warehouses = "warehouse_id,name,locations\nWH-SH,上海仓,A-01;A-02\n".encode()
    assert (await upload(inventory, "warehouses", warehouses)).status_code == 201
    assert (await upload(inventory, "items", items_csv(2))).status_code == 201
    opening = (
        "sku,warehouse_id,location,lot,qty,unit_cost,expiry\n"
        "SKU-00000,WH-SH,A-01,L1,10,2.00,2099-03-31\n"
        "SKU-00000,WH-SH,A-02,L2,30,4.00,\n"
        "SKU-00001,WH-SH,,,5,1.50,\n"
    ).encode("gbk")
    response = await upload(inventory, "opening_stock", opening)
    assert response.status_code == 201, response.text

    async def valued() -> bool:
        return Decimal((await get(inventory, "/valuation"))["total"]) == Decimal("147.50")

    assert await eventually(valued, timeout=30), await get(inventory, "/valuation")
    stock = await inventory.stock("SKU-00000", "WH-SH")
    assert stock is not None
    assert stock["on_hand"] == "40.000000"
    # The lot's expiry came with it, so FEFO and the expiry alert know it.
    lots = await get(inventory, "/lots", sku="SKU-00000")
    assert [(lot["lot"], lot["expiry"]) for lot in lots] == [("L1", "2099-03-31"), ("L2", None)]
    assert (await upload(inventory, "opening_stock", opening + b"\r\n")).json()["created"] == 0


async def test_opening_stock_naming_an_unknown_location_or_sku_is_refused_whole(
    inventory: InventoryUnderTest,
) -> None:
    warehouses = b"warehouse_id,name,locations\nWH-SH,SH,A-01\n"
    assert (await upload(inventory, "warehouses", warehouses)).status_code == 201
    assert (await upload(inventory, "items", items_csv(1))).status_code == 201
    events = await inventory.event_count()
    opening = (
        b"sku,warehouse_id,location,qty,unit_cost,expiry\n"
        b"SKU-00000,WH-SH,Z-9,1,1,\nNOPE,WH-SH,,1,1,\nSKU-00000,WH-SH,A-01,1,1,2099-01-01\n"
    )
    response = await upload(inventory, "opening_stock", opening)
    assert response.status_code == 422, response.text
    assert [(c["cell"], c["column"]) for c in response.json()["cells"]] == [
        ("C2", "location"),
        ("A3", "sku"),
        ("F4", "expiry"),
    ]
    assert await inventory.event_count() == events


async def test_locations_with_capacities_import_next_to_the_ones_stored_and_never_overwrite(
    inventory: InventoryUnderTest,
) -> None:
    warehouses = b"warehouse_id,name,locations\nWH-SH,SH,A-01\n"
    assert (await upload(inventory, "warehouses", warehouses)).status_code == 201
    locations = "仓库编码(warehouse_id),code,name,capacity\nWH-SH,A-02,二号货架,500\nWH-SH,A-01,,\n"
    first = await upload(inventory, "locations", locations.encode())
    assert first.status_code == 201, first.text
    assert (first.json()["created"], first.json()["unchanged"]) == (1, 1)
    listed = await get(inventory, "/warehouses/WH-SH/locations")
    assert [(r["code"], r["name"], r["capacity"] and Decimal(r["capacity"])) for r in listed] == [
        ("A-01", "A-01", None),
        ("A-02", "二号货架", Decimal(500)),
    ]
    events = await inventory.event_count()
    changed = "warehouse_id,code,name,capacity\nWH-SH,A-02,二号货架,600\nNOPE,X-1,,\n"
    refused = await upload(inventory, "locations", changed.encode())
    assert refused.status_code == 422, refused.text
    assert [(c["cell"], c["column"]) for c in refused.json()["cells"]] == [
        ("D2", "capacity"),
        ("A3", "warehouse_id"),
    ]
    assert await inventory.event_count() == events


async def test_templates_are_downloadable_and_the_kinds_are_listed(
    inventory: InventoryUnderTest,
) -> None:
    kinds = await get(inventory, "/imports")
    assert [k["kind"] for k in kinds] == ["items", "warehouses", "locations", "opening_stock"]
    response = await inventory.client.get(
        "/imports/opening_stock/template", params={"format": "xlsx"}, headers=auth(VIEWER)
    )
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    missing = await inventory.client.get("/imports/bogus/template", headers=auth(VIEWER))
    assert missing.status_code == 422  # not one of the kinds: bad input at the path
