"""Labels and help of the sales screens (销售, 销售订单, 客户), and the order status words."""

from erp_console.ui.i18n import register
from erp_console.ui.shell import Screen

#: Order statuses as the sales service names them, in the order of an order's life.
STATUSES = (
    "placed",
    "confirmed",
    "backordered",
    "partially_shipped",
    "shipped",
    "invoiced",
    "completed",
    "cancelled",
)
#: Timeline steps that are not statuses of the order itself.
STEPS = (
    "stock_released",
    "return_requested",
    "return_received",
    "invoice_issued",
    "invoice_settled",
)


def status_text(current: Screen, code: object) -> str:
    """The status (or timeline step) in the reader's language; an unknown code as it came."""
    key = f"sales.state.{code}"
    text = current.t(key)
    return str(code) if text == key else text


register(
    {
        "sales.state.placed": ("已下单", "placed"),
        "sales.state.confirmed": ("已确认", "confirmed"),
        "sales.state.backordered": ("缺货待发", "backordered"),
        "sales.state.partially_shipped": ("部分发货", "partially shipped"),
        "sales.state.shipped": ("已发货", "shipped"),
        "sales.state.invoiced": ("已开票", "invoiced"),
        "sales.state.completed": ("已完成", "completed"),
        "sales.state.cancelled": ("已取消", "cancelled"),
        "sales.state.stock_released": ("库存已释放", "stock released"),
        "sales.state.return_requested": ("已申请退货", "return requested"),
        "sales.state.return_received": ("退货已入库", "return received"),
        "sales.state.invoice_issued": ("已开发票（部分）", "invoice issued (part)"),
        "sales.state.invoice_settled": ("发票已结清", "invoice settled"),
        "sales.state.invoice_open": ("未收款", "open"),
        "sales.state.invoice_on_hold": ("挂起", "on hold"),
        "sales.by_system": ("系统自动", "system"),
        "sales.customers": ("客户", "Customers"),
        "sales.orders": ("销售订单", "Sales orders"),
        "sales.order": ("销售订单", "Sales order"),
        "sales.new_order": ("新建销售订单", "New sales order"),
        "sales.all_statuses": ("全部状态", "All statuses"),
        "sales.status": ("状态", "Status"),
        "sales.order_number": ("订单号", "Order no."),
        "sales.customer": ("客户", "Customer"),
        "sales.customer_id": ("客户编码", "Customer code"),
        "sales.warehouse": ("发货仓库", "Warehouse"),
        "sales.total": ("含税合计", "Total incl. VAT"),
        "sales.net_total": ("不含税金额", "Net"),
        "sales.tax_total": ("税额", "VAT"),
        "sales.placed_at": ("下单时间", "Placed"),
        "sales.sku": ("商品编码", "SKU"),
        "sales.qty": ("数量", "Qty"),
        "sales.unit_price": ("单价（不含税）", "Unit price (net)"),
        "sales.tax_rate": ("税率", "VAT rate"),
        "sales.line_amount": ("金额", "Amount"),
        "sales.available": ("可用 {qty}", "Available {qty}"),
        "sales.available_none": ("此仓无库存", "None in this warehouse"),
        "sales.add_line": ("添加一行", "Add line"),
        "sales.remove_line": ("删除此行", "Remove line"),
        "sales.place": ("提交订单", "Place order"),
        "sales.order_totals": (
            "不含税 {net} · 税额 {tax} · 含税合计 {total}",
            "Net {net} · VAT {tax} · Total {total}",
        ),
        "sales.credit": (
            "信用额度 {limit} · 已占用 {exposure} · 可用额度 {available}",
            "Credit limit {limit} · exposure {exposure} · available {available}",
        ),
        "sales.credit_after": (
            "下此单后可用额度 {after}",
            "Available after this order {after}",
        ),
        "sales.choose_customer": ("请选择客户", "Choose a customer"),
        "sales.placed": ("订单 {number}（{status}）", "Order {number} ({status})"),
        "sales.open_order": ("打开订单", "Open the order"),
        "sales.shipped_qty": ("已发货", "Shipped"),
        "sales.returned_qty": ("已退货", "Returned"),
        "sales.timeline": ("订单进程", "Timeline"),
        "sales.when": ("时间", "When"),
        "sales.who": ("操作人", "By"),
        "sales.step": ("步骤", "Step"),
        "sales.invoices": ("客户发票", "Customer invoices"),
        "sales.invoice_number": ("发票号", "Invoice no."),
        "sales.invoice_date": ("开票日期", "Date"),
        "sales.paid": ("已收", "Received"),
        "sales.open_amount": ("未收金额", "Open"),
        "sales.no_invoice": (
            "尚未开票（发货后自动开票）",
            "Not invoiced yet (invoiced on dispatch)",
        ),
        "sales.ship": ("发货（全部已预留行）", "Dispatch (all reserved lines)"),
        "sales.shipped": ("出库单 {number}", "Shipment {number}"),
        "sales.cancel": ("取消订单", "Cancel order"),
        "sales.cancel_reason": ("取消原因", "Reason"),
        "sales.cancelled": ("订单已取消", "Order cancelled"),
        "sales.return": ("销售退货", "Sales return"),
        "sales.return_reason": ("退货原因", "Reason"),
        "sales.return_submit": ("申请退货", "Request return"),
        "sales.returned": ("退货单 {number}", "Return {number}"),
        "sales.back": ("返回订单列表", "Back to orders"),
        "sales.register_customer": ("登记客户", "Register customer"),
        "sales.credit_limit": ("信用额度", "Credit limit"),
        "sales.exposure": ("已占用额度", "Exposure"),
        "sales.available_credit": ("可用额度", "Available credit"),
        "sales.terms": ("账期（天）", "Payment terms (days)"),
        "sales.customer_name": ("客户名称", "Name"),
        "sales.customer_code_hint": ("留空自动编号", "Leave empty for a generated code"),
        "sales.registered": ("客户 {id}", "Customer {id}"),
    }
)

register(
    {
        "help.sales": (
            "**销售订单**：选择客户与发货仓库，逐行录入商品、数量和不含税单价"
            "（税率默认 13%），提交即生成订单号 SO-…。\n\n"
            "- **信用检查**：已占用额度（未发货订单 + 未收应收款，均含税）+ 本单含税合计 "
            "≤ 信用额度 才能下单；超出时系统拒绝并说明超出多少，什么也不记录。"
            "选择客户后即可看到额度、已占用和可用额度。\n"
            "- **缺货待发**：库存不足时订单为“缺货待发”，系统自动生成请购；"
            "到货预留后自动变为“已确认”。\n"
            "- 每行显示所选仓库的**可用量**（在库 − 已预留），仅供参考，以仓库预留为准。\n"
            "- 点击订单号查看订单进程，状态实时更新。",
            "**Sales orders**: choose the customer and the shipping warehouse, enter each line's "
            "SKU, quantity and net unit price (VAT 13% unless stated); submitting gives an order "
            "number SO-….\n\n"
            "- **Credit check**: exposure (unshipped orders + open receivables, incl. VAT) + this "
            "order's total must be ≤ the credit limit; otherwise the order is refused with the "
            "amount it is over, and nothing is recorded. Choosing a customer shows its limit, "
            "exposure and available credit.\n"
            "- **Backorders**: without enough stock the order is *backordered* and a requisition "
            "is raised; it becomes *confirmed* once the stock is reserved.\n"
            "- Each line shows the warehouse's **available** qty (on hand − reserved), a guide "
            "only: the warehouse's reservation decides.\n"
            "- Click an order number to follow its status live.",
        ),
        "help.sales_order": (
            "**订单进程**：已下单 → 已确认（或缺货待发）→ 已发货 → 已开票 → 已完成（收款结清）。"
            "状态每秒自动刷新。\n\n"
            "- **发货**（仓管员）：按已预留的全部行出库，成本按**移动加权平均**单价结转"
            "（借 主营业务成本，贷 库存商品）。\n"
            "- **发货即开票**：出库后财务自动开具客户发票（借 应收账款，贷 主营业务收入、销项税），"
            "下方列出发票号、金额和未收金额。\n"
            "- **取消**（销售员）：仅在未发货前可取消，预留库存释放，信用额度归还。\n"
            "- **退货**（销售员）：每个商品最多退 已发货 − 已退货/已申请 的数量；"
            "仓库收货后冲减库存与应收（红字发票）。",
            "**Order life**: placed → confirmed (or backordered) → shipped → invoiced → "
            "completed (paid). The status refreshes every second.\n\n"
            "- **Dispatch** (warehouse clerk): ships every reserved line at the **moving average "
            "cost** (debit cost of sales, credit inventory).\n"
            "- **Invoiced on dispatch**: finance issues the customer invoice when goods leave "
            "(debit receivables, credit revenue and output VAT); it is listed below with its "
            "open amount.\n"
            "- **Cancel** (sales clerk): only before anything was dispatched; the reserved stock "
            "is released and the credit given back.\n"
            "- **Returns** (sales clerk): per SKU at most shipped − already returned/requested; "
            "the warehouse books the goods back and finance issues a credit note.",
        ),
        "help.customers": (
            "**客户**：登记客户编码、名称、信用额度和账期。\n\n"
            "- **信用额度**：已占用额度（未发货订单 + 未收应收款，含税）+ 新订单含税合计 "
            "≤ 信用额度。额度为 0 表示只能现款。\n"
            "- 发货后订单金额从“未发货订单”转入“应收款”，收款后释放额度。\n"
            "- 账期决定发票到期日，用于账龄分析。",
            "**Customers**: register a code, name, credit limit and payment terms.\n\n"
            "- **Credit limit**: exposure (unshipped orders + open receivables, incl. VAT) + a "
            "new order's total must be ≤ the limit. A limit of 0 means cash only.\n"
            "- On dispatch an order's amount moves from open orders to receivables; a receipt "
            "frees the credit again.\n"
            "- Payment terms set the invoice due date used in the aging report.",
        ),
    }
)
