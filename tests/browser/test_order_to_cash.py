"""销售 → 出库 → 收款 in the browser: a clerk is refused an order over the customer's credit in
words, a smaller order confirms live on screen, the warehouse ships it, finance records the
receipt, and the order shows completed — all without reloading the order page."""

import uuid

import pytest

from .conftest import Browsers
from .stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(900)]


def test_credit_refusal_then_live_confirmation_shipping_receipt_and_completion(
    stack: Stack, browser: Browsers
) -> None:
    customer = f"C-{uuid.uuid4().hex[:6].upper()}"
    clerk = browser.person("xiaoshou")
    clerk.open("/sales/customers")
    clerk.fill("customer-id", customer)
    clerk.fill("customer-name", "浏览器测试客户")
    clerk.fill("customer-credit-limit", "1000")
    clerk.fill("customer-terms", "30")
    clerk.press("customer-submit")
    clerk.wait_text(customer)

    clerk.open("/sales")
    clerk.choose("order-customer", customer)
    clerk.choose("order-warehouse", "WH-SH")
    clerk.choose("order-line-0-sku", "TEA-LJ-250")
    clerk.fill("order-line-0-qty", "100")
    clerk.fill("order-line-0-price", "50")
    clerk.press("order-submit")
    clerk.wait_for(lambda: "信用额度不足" in clerk.text_of("order-error"), what="credit refusal")
    assert "超出 ¥" in clerk.text_of("order-error")
    clerk.screenshot("sales-order-credit-refused")

    # A double-click on submit places one order (one Idempotency-Key per form).
    clerk.fill("order-line-0-qty", "2")
    clerk.double_press("order-submit")
    clerk.wait_for(lambda: "/sales/orders/" in clerk.driver.current_url, what="order page")
    order_url = clerk.driver.current_url
    with stack.api("sales") as sales:
        orders = sales.get("/orders", params={"customer_id": customer}).json()
    assert len(orders) == 1, orders
    clerk.wait_for(lambda: "已确认" in clerk.text_of("order-status"), what="confirmed live")
    clerk.screenshot("sales-order-confirmed")

    keeper = browser.person("cangguan")
    keeper.driver.get(order_url)
    keeper.press("order-ship")
    # The clerk's page, never reloaded, follows the order through shipping and invoicing.
    clerk.wait_for(
        lambda: (
            "已开票" in clerk.text_of("order-status") or "已发货" in clerk.text_of("order-status")
        ),
        what="shipped live",
    )

    with stack.api("finance") as finance:
        invoices = finance.get("/receivables/invoices", params={"customer_id": customer}).json()
    [invoice] = invoices
    accountant = browser.person("caiwu")
    accountant.open("/finance/receipts")
    accountant.choose("receipt-customer", customer)
    accountant.choose("receipt-invoice", "AR-")
    accountant.fill("receipt-amount", str(invoice["total"]))
    accountant.press("receipt-submit")
    accountant.wait_text("RC-")
    accountant.screenshot("finance-receipt-recorded")

    clerk.wait_for(
        lambda: "已完成" in clerk.text_of("order-status"), seconds=60, what="completed live"
    )
    clerk.screenshot("sales-order-completed")
