"""Demo data for `erp up` (`make run`): a small tea shop's two warehouses and stock, and half
a year of trade behind it (`erpctl.demo_history`) so that every report has data.

Seeded through the services' public HTTP API, as a clerk would, with Idempotency-Keys so that
starting the stack again does not seed twice. Services that are not running are skipped.
`ERP_DEMO_WEEKS` sets the weeks of history (default 26; 0 writes none).

The history is backdated where the APIs allow it — inventory's movements take `occurred_at`,
finance's supplier invoices an `invoice_date` — and happens now where they do not: sales orders
and purchase orders are placed today and shipped or received in the past, payments and
receipts are made today. Finance invoices a shipment on its dispatch date and reporting dates
the sale by it, so the weekly charts, the forecast and `erp verify` line up; the customers'
recency and the cash report, however, only know today. Details in `erpctl.demo_history`.
"""

import asyncio
import os
from decimal import Decimal

import httpx

from erpctl.demo_history import seed_history
from erpctl.demo_http import post as _post
from erpctl.demo_people import seed_people
from erpctl.demo_plan import DEFAULT_WEEKS
from erpctl.demo_purchases import Offer

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


# supplier, name, lead time days, {sku: unit price}
SUPPLIERS = (
    (
        "SUP-HZ",
        "杭州西湖茶厂 Hangzhou tea works",
        5,
        {"TEA-LJ-250": "55.00", "TEA-TGY-100": "34.00"},
    ),
    ("SUP-YN", "云南普洱茶业 Yunnan Pu'er", 12, {"TEA-PE-357": "120.00"}),
    (
        "SUP-YX",
        "宜兴陶艺 Yixing pottery",
        10,
        {"POT-YX-200": "470.00", "CUP-GW-6": "205.00", "FLT-SS": "6.00"},
    ),
    ("SUP-JD", "景德镇瓷器 Jingdezhen porcelain", 8, {"CUP-GW-6": "198.00"}),
)


async def seed(urls: dict[str, str], token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    if "console" in urls:
        await seed_people(urls["console"], token)
    if "purchasing" in urls:
        async with httpx.AsyncClient(
            base_url=urls["purchasing"], headers=headers, timeout=30
        ) as http:
            await _seed_suppliers(http)
    if "inventory" not in urls:
        return
    async with httpx.AsyncClient(base_url=urls["inventory"], headers=headers, timeout=30) as http:
        await _seed_catalogue(http)
        # The history first: today's movements then come after it in business time and in
        # recording order, so no backdated shipment re-costs them.
        weeks = int(os.environ.get("ERP_DEMO_WEEKS", DEFAULT_WEEKS))
        costs = {sku: cost for sku, *_, cost in ITEMS}
        await seed_history(urls, token, costs=costs, offers=_cheapest_offers(), weeks=weeks)
        await _seed_stock(http, replenish="purchasing" in urls)


def _cheapest_offers() -> dict[str, Offer]:
    """The supplier the demo buys each sku from: the cheapest on its price list."""
    offers: dict[str, Offer] = {}
    for supplier_id, _, lead_time, prices in SUPPLIERS:
        for sku, price in prices.items():
            if sku not in offers or Decimal(price) < Decimal(offers[sku].unit_price):
                offers[sku] = Offer(supplier_id, price, lead_time)
    return offers


async def _seed_suppliers(http: httpx.AsyncClient) -> None:
    for supplier_id, name, lead_time, prices in SUPPLIERS:
        await _post(
            http,
            "/suppliers",
            {
                "supplier_id": supplier_id,
                "name": name,
                "payment_terms_days": 30,
                "lead_time_days": lead_time,
                "prices": [{"sku": sku, "unit_price": price} for sku, price in prices.items()],
            },
            allow_exists=True,
        )
    # Replenishment reads the suppliers' price lists from purchasing's read model.
    for _ in range(100):
        response = await http.get("/price-history", params={"sku": "POT-YX-200"})
        if response.status_code == 200 and response.json():
            return
        await asyncio.sleep(0.1)


async def _seed_catalogue(http: httpx.AsyncClient) -> None:
    for warehouse in WAREHOUSES:
        await _post(http, "/warehouses", warehouse, allow_exists=True)
    for sku, name, uom, point, qty, _, _ in ITEMS:
        item = {
            "sku": sku,
            "name": name,
            "uom": uom,
            "reorder_point": point,
            "reorder_qty": qty,
            "category": sku.split("-")[0],
        }
        await _post(http, "/items", item, allow_exists=True)


async def _seed_stock(http: httpx.AsyncClient, *, replenish: bool) -> None:
    for sku, *_, opening, cost in ITEMS:
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
    if replenish:
        # The shop sells most of its teapots (9 → 2, below the reorder point of 3): purchasing
        # raises a requisition and places a PO with the best supplier, unattended.
        out = {"sku": "POT-YX-200", "warehouse_id": "WH-SH", "qty": "-7", "reason": "sample"}
        await _post(http, "/adjustments", out, key="demo-teapots-out")
