"""Labels and help of 商品/库存, 库存流水 and 盘点 (zh-CN, English), plus the few helpers
those three screens share (query parameters, the warehouse list, the as-of date)."""

from typing import Any

from erp_console.ui.i18n import register
from erp_console.ui.shell import Screen

register(
    {
        "stock.sku": ("商品编码", "SKU"),
        "stock.name": ("品名", "Name"),
        "stock.uom": ("单位", "UoM"),
        "stock.category": ("类别", "Category"),
        "stock.reorder_point": ("再订货点", "Reorder point"),
        "stock.reorder_qty": ("再订货量", "Reorder qty"),
        "stock.max_stock": ("最高库存", "Max stock"),
        "stock.negative": ("负库存", "Negative stock"),
        "stock.warehouse": ("仓库", "Warehouse"),
        "stock.warehouse_name": ("仓库名称", "Warehouse name"),
        "stock.locations": ("库位", "Locations"),
        "stock.locations_hint": ("以逗号分隔，可不填", "comma-separated, optional"),
        "stock.all_warehouses": ("全部仓库", "All warehouses"),
        "stock.as_of": ("截至日期（业务时间）", "As of (business date)"),
        "stock.as_of_hint": ("YYYY-MM-DD，留空为当前", "YYYY-MM-DD, empty = now"),
        "stock.apply": ("查询", "Apply"),
        "stock.on_hand": ("现存量", "On hand"),
        "stock.reserved": ("已预留", "Reserved"),
        "stock.available": ("可用量", "Available"),
        "stock.in_transit": ("在途", "In transit"),
        "stock.unit_cost": ("单位成本", "Unit cost"),
        "stock.value": ("金额", "Value"),
        "stock.section_stock": ("库存（商品 × 仓库）", "Stock (SKU × warehouse)"),
        "stock.section_items": ("商品", "Items"),
        "stock.section_warehouses": ("仓库", "Warehouses"),
        "stock.register_item": ("登记商品", "Register item"),
        "stock.register_warehouse": ("登记仓库", "Register warehouse"),
        "stock.item_registered": ("商品 {sku}", "item {sku}"),
        "stock.warehouse_registered": ("仓库 {id}", "warehouse {id}"),
        "stock.history_note": (
            "历史库存只含现存量与金额（预留、在途不追溯）",
            "Historical stock shows on hand and value only (no reservations or transit)",
        ),
        "stock.open_ledger": ("点击一行查看库存流水", "Click a row to open its stock ledger"),
        "stock.bad_date": ("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"),
        "stock.ledger.title": ("库存流水", "Stock ledger"),
        "stock.ledger.back": ("← 返回库存", "← Back to stock"),
        "stock.ledger.occurred_at": ("业务时间", "Business time"),
        "stock.ledger.recorded_at": ("记账时间", "Recorded at"),
        "stock.ledger.document_type": ("单据类型", "Document type"),
        "stock.ledger.document": ("单据号", "Document"),
        "stock.ledger.qty_in": ("入库数量", "Qty in"),
        "stock.ledger.qty_out": ("出库数量", "Qty out"),
        "stock.ledger.qty_before": ("变动前数量", "Qty before"),
        "stock.ledger.qty_after": ("变动后数量", "Qty after"),
        "stock.ledger.value_before": ("变动前金额", "Value before"),
        "stock.ledger.value_after": ("变动后金额", "Value after"),
        "stock.ledger.actor": ("操作人", "Actor"),
        "stock.ledger.event": ("事件", "Event"),
        "stock.ledger.show_event": ("查看", "Show"),
        "stock.ledger.no_event": ("该行没有对应事件", "This row names no event"),
        "stock.event.title": ("事件详情", "Event"),
        "stock.event.who": ("操作人", "Who"),
        "stock.event.what": ("事件类型", "What"),
        "stock.event.occurred_at": ("业务时间（发生于）", "Business time (occurred)"),
        "stock.event.recorded_at": ("记账时间（写入于）", "Recorded at (written)"),
        "stock.event.stream": ("事件流 / 版本", "Stream / version"),
        "stock.event.position": ("全局序号", "Global position"),
        "stock.event.correlation": ("关联 ID / 起因 ID", "Correlation / causation id"),
        "stock.event.producer": ("来源服务", "Producer"),
        "stock.event.idempotency": ("幂等键", "Idempotency key"),
        "stock.event.payload": ("内容", "Payload"),
        "stock.event.close": ("关闭", "Close"),
        "stock.doc.goods_receipt": ("采购入库", "Goods receipt"),
        "stock.doc.shipment": ("销售出库", "Shipment"),
        "stock.doc.transfer": ("调拨", "Transfer"),
        "stock.doc.stocktake": ("盘点", "Stocktake"),
        "stock.doc.adjustment": ("其它出入库", "Adjustment"),
        "stock.doc.purchase_return": ("采购退货", "Purchase return"),
        "stock.doc.customer_return": ("销售退货", "Customer return"),
    }
)


def query_param(current: Screen, name: str) -> str:
    return str(current.request.query_params.get(name) or "").strip()


async def warehouse_options(current: Screen) -> dict[str, str]:
    """warehouse id → "id name" for selects (every warehouse, a short list)."""
    result = await current.api.get("inventory", "/warehouses")
    rows: list[Any] = result.body if result.ok and isinstance(result.body, list) else []
    return {str(r["warehouse_id"]): f"{r['warehouse_id']} {r['name']}" for r in rows}


def as_of_moment(text: str) -> str | None:
    """A business date typed by a person → the end of that day (UTC+8, the company's day);
    a full ISO time is passed on as typed. None when empty; ValueError when unreadable."""
    from datetime import date, datetime

    text = text.strip()
    if not text:
        return None
    if "T" in text:
        return datetime.fromisoformat(text).isoformat()
    return f"{date.fromisoformat(text).isoformat()}T23:59:59.999999+08:00"


def document_type(current: Screen, code: Any) -> str:
    key = f"stock.doc.{code}"
    label = current.t(key)
    return str(code or "") if label == key else label
