"""采购 screens' labels and help (zh-CN, English), and the words for purchasing's states.

The states are purchasing's own (services/purchasing/src/purchasing/domain/purchase_order.py):
draft → placed → partially_received → received (closed), or cancelled."""

from erp_console.ui.i18n import register
from erp_console.ui.shell import Screen

#: Purchase-order states (purchasing.domain.purchase_order) → label key.
PO_STATES = ("draft", "placed", "partially_received", "received", "cancelled")

register(
    {
        "purchasing.status.draft": ("待审批", "Awaiting approval"),
        "purchasing.status.placed": ("已下单", "Placed"),
        "purchasing.status.partially_received": ("部分到货", "Partly received"),
        "purchasing.status.received": ("已关闭（全部到货）", "Closed (fully received)"),
        "purchasing.status.cancelled": ("已取消", "Cancelled"),
        "purchasing.status.all": ("全部状态", "All states"),
        "purchasing.requisition.open": ("待下单", "Open"),
        "purchasing.requisition.ordered": ("已转订单", "Ordered"),
        "purchasing.origin.manual": ("手工请购", "Manual"),
        "purchasing.origin.reorder_point": ("库存预警", "Reorder point"),
        "purchasing.origin.backorder": ("销售缺货", "Backorder"),
        "purchasing.alert.reorder_point": ("低于再订货点", "Below reorder point"),
        "purchasing.alert.overstock": ("超出最高库存", "Over max stock"),
        "purchasing.col.number": ("单号", "Number"),
        "purchasing.col.status": ("状态", "Status"),
        "purchasing.col.supplier": ("供应商", "Supplier"),
        "purchasing.col.warehouse": ("仓库", "Warehouse"),
        "purchasing.col.sku": ("商品编码", "SKU"),
        "purchasing.col.qty": ("数量", "Qty"),
        "purchasing.col.ordered": ("订购数量", "Ordered"),
        "purchasing.col.received": ("已收（合格）", "Received (accepted)"),
        "purchasing.col.rejected": ("拒收", "Rejected"),
        "purchasing.col.cancelled": ("已取消数量", "Cancelled"),
        "purchasing.col.open": ("未到数量", "Open"),
        "purchasing.col.price": ("单价（不含税）", "Unit price (net)"),
        "purchasing.col.tax_rate": ("税率", "VAT rate"),
        "purchasing.col.total": ("含税总额", "Total incl. VAT"),
        "purchasing.col.expected": ("预计到货", "Expected"),
        "purchasing.col.created": ("创建时间", "Created"),
        "purchasing.col.raised": ("请购时间", "Raised"),
        "purchasing.col.origin": ("来源", "Origin"),
        "purchasing.col.suggested": ("建议供应商", "Suggested supplier"),
        "purchasing.col.reason": ("建议理由", "Why this supplier"),
        "purchasing.col.po": ("采购订单", "Purchase order"),
        "purchasing.col.action": ("操作", "Action"),
        "purchasing.col.kind": ("预警类型", "Alert"),
        "purchasing.col.available": ("可用数量", "Available"),
        "purchasing.col.threshold": ("预警线", "Threshold"),
        "purchasing.col.suggested_qty": ("建议采购量", "Suggested qty"),
        "purchasing.col.since": ("发生时间", "Since"),
        "purchasing.none": ("—", "—"),
    }
)

register(
    {
        "help.purchasing": (
            "**采购工作台**：处理库存预警和请购单，下采购订单。\n\n"
            "**采购流程**：库存低于再订货点（库存预警）→ 系统自动生成请购单，按供应商评分选出"
            "建议供应商并直接下采购订单 → 金额超过审批线的订单等待审批 → 仓管员按订单验收入库"
            "（合格 / 拒收）→ 全部到货后订单自动关闭 → 财务三单匹配后付款。\n\n"
            "**手工请购**或找不到供应商的请购单会停在“待下单”：点 **下单**，选择供应商"
            "（默认建议供应商）、数量和单价（默认该供应商价目表价格）即可生成采购订单。\n\n"
            "**审批规则**：订单含税总额超过审批线（默认 ¥50,000.00，可配置）时为“待审批”，"
            "需采购审批人批准后才下单；不超过审批线的订单自动批准并立即下单。\n\n"
            "库存预警列表显示尚未解除的预警；库存回到预警线以上后预警自动解除。",
            "**Purchasing desk**: work the reorder alerts and requisitions, and place purchase "
            "orders.\n\n"
            "**The flow**: stock falls below its reorder point (alert) → a requisition is raised "
            "with the best supplier by scorecard and ordered at once → an order above the "
            "approval threshold waits for an approver → the warehouse receives goods against the "
            "order (accepted / rejected) → the order closes when everything has arrived → "
            "finance matches the supplier invoice and pays.\n\n"
            "**Manual requisitions**, and ones no supplier offers, stay *open*: press **Order**, "
            "pick the supplier (the suggested one by default), qty and unit price (the "
            "supplier's price list by default) to create the purchase order.\n\n"
            "**Approval rule**: an order whose total incl. VAT is above the threshold (default "
            "¥50,000.00, configurable) is *awaiting approval* until an approver approves it; at "
            "or below it the order is approved automatically and placed at once.\n\n"
            "The alert list shows alerts not yet resolved; an alert resolves itself when stock "
            "is back above the line.",
        ),
        "help.purchase_order": (
            "**采购订单**：订购数量、已收（合格）、拒收和未到数量。\n\n"
            "**状态**：待审批 → 已下单 → 部分到货 → 已关闭（全部到货）；或已取消。\n\n"
            "**审批**：含税总额超过审批线（默认 ¥50,000.00）的订单需采购审批人批准。\n\n"
            "**取消**：只取消未到数量，已收货的部分保留；已关闭或已取消的订单不能再取消。\n\n"
            "**验收入库**（仓管员）：每行填写合格数量和拒收数量。拒收的货物不入库、不计入已收"
            "数量，该行仍然未到，会计入供应商评分的拒收率。\n\n"
            "**超收容差**：合格数量累计不能超过订购数量（减已取消）×（1 + 容差），容差默认为 0，"
            "即不能超收；超收时入库会被拒绝并说明允许的数量。\n\n"
            "入库由库存服务记账，采购订单通过事件得知到货，已收数量会在几秒内更新。",
            "**Purchase order**: ordered, received (accepted), rejected and open quantities.\n\n"
            "**States**: awaiting approval → placed → partly received → closed (fully "
            "received); or cancelled.\n\n"
            "**Approval**: an order whose total incl. VAT is above the threshold (default "
            "¥50,000.00) needs an approver.\n\n"
            "**Cancel** cuts only the open quantity; what was received stays received. A closed "
            "or cancelled order cannot be cancelled.\n\n"
            "**Goods receipt** (warehouse): enter the accepted and rejected qty per line. "
            "Rejected goods are not stocked and do not count as received — the line stays open — "
            "and they count in the supplier's reject rate.\n\n"
            "**Over-receipt tolerance**: accepted qty in total may not exceed (ordered − "
            "cancelled) × (1 + tolerance); the tolerance is 0 by default, so no over-receipt. A "
            "receipt over it is refused, naming the qty still allowed.\n\n"
            "Inventory books the receipt; purchasing learns of it through an event, so the "
            "received qty updates within a few seconds.",
        ),
        "help.suppliers": (
            "**供应商**：登记供应商、维护价目表（不含税单价），查看供应商评分。\n\n"
            "**评分指标**：\n"
            "- **准时率** = 准时到货次数 / 到货次数（到货日期 ≤ 订单预计到货日期为准时；每张入库单"
            "算一次到货）\n"
            "- **拒收率** = 拒收数量 / （合格 + 拒收数量）\n"
            "- **平均交期** = （到货日期 − 下单日期）的平均天数\n"
            "- **价格指数** = 该供应商价目表上各商品价格 / 所有供应商最低价 的平均值"
            "（1.0000 = 始终最便宜）\n\n"
            "**建议供应商**：得分 = 0.5·价格 + 0.2·准时 + 0.2·质量 + 0.1·交期；没有到货记录的"
            "新供应商准时和质量按满分计算。",
            "**Suppliers**: register suppliers, keep their price lists (unit prices net of VAT) "
            "and read their scorecards.\n\n"
            "**Scorecard**:\n"
            "- **On-time rate** = on-time deliveries / deliveries (on time = received on or "
            "before the order's expected date; each goods receipt is one delivery)\n"
            "- **Reject rate** = rejected qty / (accepted + rejected qty)\n"
            "- **Lead time** = average days from the order being placed to the receipt\n"
            "- **Price index** = average over the supplier's price list of its price / the "
            "lowest price any supplier lists (1.0000 = always the cheapest)\n\n"
            "**Suggested supplier**: score = 0.5·price + 0.2·on time + 0.2·quality + 0.1·lead "
            "time; a new supplier without deliveries counts as fully on time and faultless.",
        ),
    }
)


def word(current: Screen, group: str, value: object) -> str:
    """A state, origin or alert kind (`group`) in the reader's language; unknown values show
    as the service sent them."""
    key = f"purchasing.{group}.{value}"
    text = current.t(key)
    return str(value) if text == key else text


def order_path(po_id: object) -> str:
    return f"/purchasing/orders/{po_id}"
