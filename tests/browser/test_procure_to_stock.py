"""采购 → 审批 → 入库 in the browser: a purchaser raises a PO from a reorder alert, a manager
approves it, the warehouse keeper receives it with one line partly rejected, and the stock
page and its ledger show the new quantity and who received it."""

import time
import uuid

import pytest

from .conftest import Browsers
from .stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(900)]


def _an_item_below_its_reorder_point(stack: Stack) -> str:
    """A new sku with a supplier price, stocked above its reorder point, then drawn below it:
    inventory raises the alert, purchasing turns it into a requisition."""
    sku = f"BT-{uuid.uuid4().hex[:6].upper()}"
    with stack.api("inventory") as inventory, stack.api("purchasing") as purchasing:
        supplier = {
            "supplier_id": f"SUP-{sku}",
            "name": "浏览器测试供应商",
            "payment_terms_days": 30,
            "lead_time_days": 5,
        }
        assert purchasing.post("/suppliers", json=supplier).status_code == 201
        prices = {"prices": [{"sku": sku, "unit_price": "120.00"}]}
        assert purchasing.post(f"/suppliers/SUP-{sku}/prices", json=prices).status_code == 200
        item = {
            "sku": sku,
            "name": "测试茶叶 browser tea",
            "uom": "box",
            "reorder_point": "100",
            "reorder_qty": "500",
        }
        assert inventory.post("/items", json=item).status_code == 201
        # In at a cost; a loss is always costed at the moving average.
        moves = (
            {"qty": "150", "reason": "opening_balance", "unit_cost": "100"},
            {"qty": "-60", "reason": "damage"},
        )
        for change in moves:
            move = {"sku": sku, "warehouse_id": "WH-SH", **change}
            response = inventory.post("/adjustments", json=move)
            assert response.status_code == 201, response.text
        # Purchasing hears of the alert over the broker and raises the requisition.
        deadline = time.monotonic() + 60
        while not purchasing.get("/requisitions", params={"sku": sku, "status": "open"}).json():
            assert time.monotonic() < deadline, "no requisition was raised from the alert"
            time.sleep(0.5)
    return sku


def test_a_po_from_a_reorder_alert_is_approved_received_and_shows_in_stock(
    stack: Stack, browser: Browsers
) -> None:
    sku = _an_item_below_its_reorder_point(stack)

    # The purchaser finds the requisition the alert raised and orders it: 500 × ¥120 + VAT is
    # above the ¥50,000 approval line, so the PO waits for a manager.
    buyer = browser.person("caigou")
    buyer.open("/purchasing")
    buyer.wait_text(sku)
    buyer.press(f"requisition-order-{sku}")
    buyer.fill("requisition-qty", "500")
    buyer.fill("requisition-price", "120")
    buyer.press("requisition-submit")
    buyer.wait_text("PO-")
    buyer.screenshot("purchasing-requisition-ordered")
    po_link = buyer.by_testid("requisition-po-link")
    po_path = po_link.get_attribute("href")
    assert po_path

    manager = browser.person("jingli")
    manager.driver.get(po_path)
    manager.press("po-approve")
    manager.wait_for(
        lambda: (
            "已下单" in manager.text_of("po-status") or "已批准" in manager.text_of("po-status")
        ),
        what="PO approved",
    )
    manager.screenshot("purchase-order-approved")

    keeper = browser.person("cangguan")
    keeper.driver.get(po_path)
    keeper.fill(f"receive-{sku}-accepted", "495")
    keeper.fill(f"receive-{sku}-rejected", "5")
    keeper.press("receive-submit")
    keeper.wait_text("GR-")
    keeper.screenshot("purchase-order-received")

    # 90 on hand before + 495 accepted; the ledger line of the receipt names the keeper.
    keeper.open(f"/stock?sku={sku}&warehouse_id=WH-SH")
    keeper.wait_for(lambda: "585" in keeper.text_of("stock-table"), what="585 on hand")
    keeper.screenshot("stock-after-receipt")
    keeper.open(f"/stock/ledger?sku={sku}&warehouse_id=WH-SH")
    keeper.wait_for(lambda: "cangguan" in keeper.text_of("ledger-table"), what="keeper in ledger")
    assert "495" in keeper.text_of("ledger-table")
    keeper.screenshot("stock-ledger")
