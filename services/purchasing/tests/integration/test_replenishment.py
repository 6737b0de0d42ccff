"""Unattended replenishment: inventory's reorder alert becomes a requisition and a placed PO,
over Kafka, exactly once however often the alert is delivered."""

from decimal import Decimal
from uuid import uuid4

import pytest

from erp_contracts.events.inventory import ReorderPointBreached
from erp_contracts.topics import events_topic
from eventkit.messaging.envelopes import decode
from eventkit.testing.kafka import drain

from .scenario import offers_visible, register_supplier
from .support import PurchasingUnderTest, envelope_of, eventually

pytestmark = pytest.mark.integration


def breach(sku: str, suggested: str = "40") -> ReorderPointBreached:
    from datetime import UTC, datetime

    return ReorderPointBreached(
        occurred_at=datetime.now(UTC),
        sku=sku,
        warehouse_id="WH-1",
        available=Decimal(3),
        reorder_point=Decimal(10),
        suggested_qty=Decimal(suggested),
    )


async def test_a_reorder_alert_becomes_a_placed_po_once_even_when_redelivered_or_replayed(
    purchasing: PurchasingUnderTest,
) -> None:
    # Two suppliers offer SKU-1; SUP-A is cheaper and neither has history.
    await register_supplier(purchasing, "SUP-A", {"SKU-1": "12.00"})
    await register_supplier(purchasing, "SUP-B", {"SKU-1": "13.50"})
    await offers_visible(purchasing, "SKU-1", 2)

    # Inventory's alert arrives on its topic; nobody touches purchasing.
    alert = envelope_of("inventory", "stock-SKU-1@WH-1", breach("SKU-1"), stream_version=5)
    await purchasing.publish(alert)

    async def placed() -> bool:
        return await purchasing.event_count("PurchaseOrderPlaced") == 1

    assert await eventually(placed), "no PO was placed for the alert"
    (po_on_topic,) = [
        decode(record.value)
        for record in await drain(
            purchasing.bootstrap, events_topic("purchasing", purchasing.namespace), expect=6
        )
        if decode(record.value).event_type == "PurchaseOrderPlaced"
    ]
    assert po_on_topic.payload["supplier_id"] == "SUP-A"
    assert po_on_topic.payload["approved_by"] == "auto"
    assert [(li["sku"], Decimal(li["qty"])) for li in po_on_topic.payload["lines"]] == [
        ("SKU-1", Decimal(40))
    ]

    # The same envelope again (redelivery) and the same source under a new id (a replay).
    replay = alert.model_copy(update={"event_id": uuid4()})
    await purchasing.publish(alert, replay)
    assert await eventually(lambda: purchasing.consumed(replay.event_id))

    assert await purchasing.event_count("PurchaseRequisitionRaised") == 1
    assert await purchasing.event_count("PurchaseOrderPlaced") == 1

    async def requisition_ordered() -> bool:
        rows = await purchasing.get("/requisitions")
        return len(rows) == 1 and rows[0]["status"] == "ordered"

    assert await eventually(requisition_ordered, timeout=30)
    (requisition,) = await purchasing.get("/requisitions")
    assert requisition["suggested_supplier_id"] == "SUP-A"
    assert requisition["po_id"] == po_on_topic.payload["po_id"]
    assert requisition["reason"].startswith("lowest price 12.00 among 2 suppliers")


async def test_a_sku_nobody_offers_leaves_an_open_requisition_that_says_so(
    purchasing: PurchasingUnderTest,
) -> None:
    alert = envelope_of("inventory", "stock-RARE@WH-1", breach("RARE"), stream_version=2)
    await purchasing.publish(alert)
    assert await eventually(lambda: purchasing.consumed(alert.event_id))

    async def listed() -> bool:
        return len(await purchasing.get("/requisitions", status="open")) == 1

    assert await eventually(listed, timeout=30)
    (requisition,) = await purchasing.get("/requisitions", status="open")
    assert requisition["reason"] == "no supplier offers SKU"
    assert requisition["suggested_supplier_id"] is None
    assert await purchasing.event_count("PurchaseOrderDrafted") == 0


async def test_with_auto_ordering_off_an_alert_raises_an_open_requisition_and_no_po(
    purchasing: PurchasingUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from purchasing.application.settings import auto_order_requisitions

    monkeypatch.setenv("ERP_PURCHASING_AUTO_ORDER_REQUISITIONS", "false")
    auto_order_requisitions.cache_clear()
    try:
        await register_supplier(purchasing, "SUP-M", {"SKU-M": "9.00"})
        await offers_visible(purchasing, "SKU-M", 1)
        alert = envelope_of("inventory", "stock-SKU-M@WH-1", breach("SKU-M"), stream_version=2)
        await purchasing.publish(alert)

        async def raised() -> bool:
            return await purchasing.event_count("PurchaseRequisitionRaised") == 1

        assert await eventually(raised), "no requisition was raised for the alert"
        [open_requisition] = await purchasing.get("/requisitions", status="open")
        assert (open_requisition["sku"], open_requisition["po_id"]) == ("SKU-M", None)
        assert await purchasing.event_count("PurchaseOrderDrafted") == 0
    finally:
        auto_order_requisitions.cache_clear()
