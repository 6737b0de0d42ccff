"""盘点到库位/批次 through HTTP: count two bins of a lot-tracked sku and complete."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from .scenario import register
from .support import ADMIN, VIEWER, InventoryUnderTest, auth, eventually

pytestmark = pytest.mark.integration

TODAY = datetime.now(UTC).date()


async def read(inv: InventoryUnderTest, path: str, **params: str) -> Any:
    response = await inv.client.get(path, params=params, headers=auth(VIEWER))
    assert response.status_code == 200, response.text
    return response.json()


async def milk_in_two_bins(inv: InventoryUnderTest) -> None:
    """10 of lot L-1 on A-01 and 6 of lot L-2 on A-02, both at 3."""
    await register(inv, "MILK", "WH-B", lot_tracked=True)
    for code in ("A-01", "A-02"):
        added = await inv.client.post(
            "/warehouses/WH-B/locations", json={"code": code}, headers=auth(ADMIN)
        )
        assert added.status_code == 201, added.text
    for qty, lot, location, days in (("10", "L-1", "A-01", 200), ("6", "L-2", "A-02", 20)):
        body = {"sku": "MILK", "warehouse_id": "WH-B", "qty": qty, "unit_cost": "3"}
        body |= {"reason": "opening_balance", "lot": lot, "location": location}
        body |= {"expiry": (TODAY + timedelta(days=days)).isoformat()}
        response = await inv.client.post("/adjustments", json=body, headers=auth())
        assert response.status_code == 201, response.text


async def test_counting_two_bins_posts_each_bins_variance_and_the_review_shows_bin_lines(
    inventory: InventoryUnderTest,
) -> None:
    await milk_in_two_bins(inventory)
    started = await inventory.client.post(
        "/stocktakes", json={"warehouse_id": "WH-B", "skus": ["MILK"]}, headers=auth()
    )
    assert started.status_code == 201, started.text
    counts_path = f"/stocktakes/{started.json()['stocktake_id']}/counts"

    blank = {"counts": [{"sku": "MILK", "counted_qty": "1", "location": " "}]}
    refused = await inventory.client.post(counts_path, json=blank, headers=auth())
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"][0]["loc"] == ["body", "counts", 0, "location"]
    unknown = {"counts": [{"sku": "MILK", "counted_qty": "1", "location": "Z-99"}]}
    refused = await inventory.client.post(counts_path, json=unknown, headers=auth())
    assert (refused.status_code, refused.json()["error"]) == (409, "unknown_location")
    mixed = {"counts": [{"sku": "MILK", "counted_qty": "16"}, {"sku": "MILK", "counted_qty": "1"}]}
    mixed["counts"][1] |= {"location": "A-01", "lot": "L-1"}
    refused = await inventory.client.post(counts_path, json=mixed, headers=auth())
    assert (refused.status_code, refused.json()["error"]) == (409, "mixed_count_modes")

    bins = [
        {"sku": "MILK", "counted_qty": "8", "location": "A-01", "lot": "L-1"},
        {"sku": "MILK", "counted_qty": "7", "location": "A-02", "lot": "L-2"},
    ]
    counted = await inventory.client.post(counts_path, json={"counts": bins}, headers=auth())
    assert counted.status_code == 200, counted.text
    review_path = counts_path.removesuffix("/counts")

    async def variances_while_counting() -> list[tuple[str, str, Decimal]]:
        lines = (await read(inventory, review_path))["lines"]
        return [(li["location"], li["lot"], Decimal(li["variance"] or 0)) for li in lines]

    # While counting, a bin's variance is counted − that bin's on hand now.
    expected = [("A-01", "L-1", Decimal(-2)), ("A-02", "L-2", Decimal(1))]

    async def reviewed() -> bool:
        return await variances_while_counting() == expected

    assert await eventually(reviewed, timeout=30), await variances_while_counting()
    done = await inventory.client.post(counts_path.replace("/counts", "/complete"), headers=auth())
    assert done.status_code == 200, done.text
    assert (done.json()["lines"], done.json()["variances"]) == (2, 2)

    async def posted() -> bool:
        review = await read(inventory, review_path)
        on_hand = await read(inventory, "/stock/locations", sku="MILK", warehouse_id="WH-B")
        held = [(r["location"], r["lot"], Decimal(r["qty"])) for r in on_hand]
        expected = [("A-01", "L-1", Decimal(8)), ("A-02", "L-2", Decimal(7))]
        return bool(review["status"] == "completed" and held == expected)

    assert await eventually(posted, timeout=30), await read(inventory, "/stock/locations")
    review = await read(inventory, review_path)
    numbers = ("book_qty", "counted_qty", "variance", "variance_value")
    assert [
        (li["location"], li["lot"], *(Decimal(li[name]) for name in numbers))
        for li in review["lines"]
    ] == [
        ("A-01", "L-1", Decimal(10), Decimal(8), Decimal(-2), Decimal("-6")),
        ("A-02", "L-2", Decimal(6), Decimal(7), Decimal(1), Decimal(3)),
    ]
    assert review["totals"]["uncounted_lines"] == 0
