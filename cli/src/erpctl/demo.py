"""Demo data for `erp up` (`make run`): a small tea shop's two warehouses and stock.

Seeded through the services' public HTTP API, as a clerk would, with Idempotency-Keys so that
starting the stack again does not seed twice. Services that are not running are skipped.
"""

from decimal import Decimal
from typing import Any

import httpx

WAREHOUSES = (
    {"warehouse_id": "WH-SH", "name": "上海仓 Shanghai", "locations": ["A-01", "A-02", "B-01"]},
    {"warehouse_id": "WH-BJ", "name": "北京仓 Beijing", "locations": []},
)
# sku, name, uom, reorder point, reorder qty, opening qty in Shanghai, unit cost
ITEMS = (
    ("TEA-LJ-250", "龙井茶 Longjing tea 250 g", "box", "20", "100", "120", "58.00"),
    ("TEA-PE-357", "普洱茶饼 Pu'er cake 357 g", "cake", "10", "50", "64", "126.50"),
    ("TEA-TGY-100", "铁观音 Tieguanyin 100 g", "can", "30", "120", "200", "35.80"),
    ("CUP-GW-6", "盖碗 Gaiwan set of 6", "set", "5", "20", "18", "210.00"),
    ("POT-YX-200", "宜兴紫砂壶 Yixing teapot", "pcs", "3", "10", "9", "480.00"),
    ("FLT-SS", "不锈钢滤网 Strainer", "pcs", "50", "200", "350", "6.20"),
)


async def seed(urls: dict[str, str], token: str) -> None:
    inventory = urls.get("inventory")
    if inventory is None:
        return
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=inventory, headers=headers, timeout=30) as http:
        for warehouse in WAREHOUSES:
            await _post(http, "/warehouses", warehouse, allow_exists=True)
        for sku, name, uom, point, qty, opening, cost in ITEMS:
            item = {
                "sku": sku,
                "name": name,
                "uom": uom,
                "reorder_point": point,
                "reorder_qty": qty,
                "category": sku.split("-")[0],
            }
            await _post(http, "/items", item, allow_exists=True)
            await _post(
                http,
                "/adjustments",
                {
                    "sku": sku,
                    "warehouse_id": "WH-SH",
                    "qty": opening,
                    "unit_cost": cost,
                    "reason": "opening_balance",
                    "location": "A-01",
                },
                key=f"demo-opening-{sku}",
            )
        await _post(
            http,
            "/adjustments",
            {
                "sku": "CUP-GW-6",
                "warehouse_id": "WH-SH",
                "qty": "-1",
                "reason": "damage",
            },
            key="demo-damage-1",
        )
        transfer = await _post(
            http,
            "/transfers",
            {
                "source_warehouse_id": "WH-SH",
                "destination_warehouse_id": "WH-BJ",
                "lines": [
                    {"sku": "TEA-LJ-250", "qty": "40"},
                    {"sku": "TEA-TGY-100", "qty": str(Decimal(60))},
                ],
            },
            key="demo-transfer-1",
        )
        await _post(
            http, f"/transfers/{transfer['transfer_id']}/receive", {}, key="demo-transfer-1-receive"
        )


async def _post(
    http: httpx.AsyncClient,
    path: str,
    body: dict[str, Any],
    *,
    key: str | None = None,
    allow_exists: bool = False,
) -> dict[str, Any]:
    headers = {"Idempotency-Key": key} if key else {}
    response = await http.post(path, json=body, headers=headers)
    if (
        allow_exists
        and response.status_code == 409
        and response.json().get("error") == "already_exists"
    ):
        return {}
    if response.status_code >= 400:
        raise RuntimeError(f"POST {path} → {response.status_code}: {response.text}")
    result: dict[str, Any] = response.json()
    return result
