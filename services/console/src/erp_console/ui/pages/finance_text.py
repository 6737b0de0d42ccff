"""Labels and help of the finance screens (zh-CN, English); registered once at import."""

from erp_console.ui.i18n import register

LABELS: dict[str, tuple[str, str]] = {
    "finance.nav.invoices": ("发票", "Invoices"),
    "finance.nav.receipts": ("收款", "Receipts"),
    "finance.nav.payments": ("付款与供应商发票", "Payments & supplier invoices"),
    "finance.nav.bank": ("银行对账", "Bank reconciliation"),
    "finance.nav.ledger": ("总账与报表", "Ledger & statements"),
    "finance.nav.periods": ("结账", "Period close"),
    "finance.ar_invoices": ("客户发票（应收）", "Customer invoices (receivable)"),
    "finance.ap_invoices": ("供应商发票（应付）", "Supplier invoices (payable)"),
    "finance.credit_notes": ("红字发票（销售退货）", "Credit notes (customer returns)"),
    "finance.debit_notes": ("供应商扣款单（采购退货）", "Debit notes (supplier returns)"),
    "finance.col.number": ("单号", "Number"),
    "finance.col.customer": ("客户", "Customer"),
    "finance.col.supplier": ("供应商", "Supplier"),
    "finance.col.counterparty": ("往来单位", "Counterparty"),
    "finance.col.order": ("订单", "Order"),
    "finance.col.po": ("采购订单", "PO"),
    "finance.col.date": ("日期", "Date"),
    "finance.col.due_date": ("到期日", "Due date"),
    "finance.col.total": ("价税合计", "Total"),
    "finance.col.open_amount": ("未付金额", "Open amount"),
    "finance.col.status": ("状态", "Status"),
    "finance.col.hold_reasons": ("暂挂原因", "Hold reasons"),
    "finance.col.applied": ("已冲抵", "Applied"),
    "finance.col.unapplied": ("未冲抵", "Unapplied"),
    "finance.status.open": ("未结清", "Open"),
    "finance.status.on_hold": ("暂挂（三单不符）", "On hold (match failed)"),
    "finance.status.settled": ("已结清", "Settled"),
    "finance.status.matched": ("匹配成功", "Matched"),
    "finance.hold.not_on_order": ("该商品不在采购订单上", "not on the purchase order"),
    "finance.hold.over_invoiced": (
        "开票数量超过已收货未开票数量",
        "more invoiced than received and not yet invoiced",
    ),
    "finance.hold.price_variance": (
        "单价与订单价差异超过容差（默认 2%）",
        "price differs from the PO price by more than the tolerance (2%)",
    ),
    "finance.hold.other": ("其他原因", "other reason"),
}

HELP: dict[str, tuple[str, str]] = {
    "help.finance": (
        "**财务 · 发票**\n\n"
        "- **客户发票（应收）**：仓库每发一次货，财务按销售订单单价和税率自动开一张发票，"
        "到期日 = 开票日 + 客户账期（未知时 30 天）。收款后“未付金额”减少，付清即“已结清”。\n"
        "- **供应商发票（应付）** 录入时做 **三单匹配**（订单、收货、发票）：商品须在订单上；"
        "数量 ≤ 已收 − 已退 − 已开票；单价与订单价相差不超过 2%。任何一条不符 → **暂挂**，"
        "原因显示在表中；暂挂发票不记账、不能付款。\n"
        "- **红字发票/扣款单**：客户退货入库时开红字发票冲减应收；"
        "退回已开票的采购商品时开扣款单冲减应付。\n\n"
        "**记账规则（借 / 贷）**：收货 借 1405 库存商品 贷 2202.02 应付暂估；"
        "发货 借 6401 主营业务成本 贷 1405；"
        "供应商发票（匹配）借 2202.02、2221.01 进项税 贷 2202.01 应付账款；"
        "付款 借 2202.01 贷 1002 银行存款；"
        "客户发票 借 1122 应收账款 贷 6001 主营业务收入、2221.02 销项税；收款 借 1002 贷 1122；"
        "红字发票 借 6001、2221.02 贷 1122；扣款单 借 2202.01 贷 2202.02、2221.01；"
        "盘亏 借 1901 贷 1405，盘盈反之。",
        "**Finance · invoices**\n\n"
        "- **Customer invoices (receivable)**: every dispatch is invoiced automatically at the "
        "sales order's price and VAT; due date = invoice date + the customer's payment terms "
        "(30 days when unknown). Receipts lower the open amount; at zero it is settled.\n"
        "- **Supplier invoices (payable)** are **three-way matched** (order, receipt, invoice): "
        "the sku is on the PO; qty ≤ received − returned − already invoiced; price within 2% of "
        "the PO price. Any failure → **on hold**, with the reasons in the table; a held invoice "
        "is not posted and cannot be paid.\n"
        "- **Credit / debit notes**: a customer return credits the receivable; invoiced goods "
        "sent back to the supplier are debit-noted against the payable.\n\n"
        "**Postings (debit / credit)**: goods received Dr 1405 inventory Cr 2202.02 GRNI; "
        "dispatch Dr 6401 COGS Cr 1405; matched supplier invoice Dr 2202.02 + 2221.01 input VAT "
        "Cr 2202.01 payables; payment Dr 2202.01 Cr 1002 bank; customer invoice Dr 1122 "
        "receivables Cr 6001 revenue + 2221.02 output VAT; receipt Dr 1002 Cr 1122; credit note "
        "Dr 6001 + 2221.02 Cr 1122; debit note Dr 2202.01 Cr 2202.02 + 2221.01; stock loss "
        "Dr 1901 Cr 1405, gain the reverse.",
    ),
    "help.receipts": (
        "**收款 / 付款 / 供应商发票**\n\n"
        "- **收款单**：选择客户和金额。可指定核销一张未结清发票；核销金额不超过该发票未付金额，"
        "多出部分留作预收（挂在客户账上）。不指定时，按开票日期从早到晚自动核销。\n"
        "- **付款单**：只能核销 **匹配成功且未结清** 的供应商发票；核销合计不得超过付款金额，"
        "也不得超过发票未付金额（否则拒绝“核销金额超过未付金额”）。\n"
        "- **供应商发票**：选择采购订单，按行填写数量、单价、税率；系统做三单匹配，"
        "结果为“匹配成功”或“暂挂”并列出原因（不在订单上、超量开票、价格差异超过 2%）。"
        "同一供应商同一发票号只能录入一次。\n"
        "- 单据日期即录入日期；当月已结账时一切收付款被拒绝。重复点击提交只生成一张单据。",
        "**Receipts, payments, supplier invoices**\n\n"
        "- **Receipt**: choose the customer and amount. You may allocate it to one open "
        "invoice: at most that invoice's open amount, the rest stays on account. With no "
        "invoice chosen, open invoices are paid oldest first.\n"
        "- **Payment**: only **matched, unsettled** supplier invoices can be paid; allocations "
        "may not exceed the payment nor the invoice's open amount (refused otherwise).\n"
        "- **Supplier invoice**: choose the PO, give qty, price and VAT rate per line; the "
        "three-way match answers matched or on hold with the reasons (not on the order, "
        "over-invoiced, price variance beyond 2%). One invoice number per supplier.\n"
        "- Documents are dated when recorded; while the current month is closed, receipts and "
        "payments are refused. A double-click still creates one document.",
    ),
    "help.bank": (
        "**银行对账**\n\n"
        "上传银行导出的 CSV（首行表头：date, amount, reference, counterparty, description, "
        "transaction_id；金额正数为收入、负数为支出）。"
        "系统自动匹配：① 参考号或摘要中含有付款单/收款单号；"
        "② 否则在 5 天内恰好有一张同金额的单据。"
        "收入只能匹配收款单，支出只能匹配付款单，金额必须完全相等；"
        "一张单据只匹配一行。\n\n同一文件重复上传不会重复导入；之前已导入的交易行会跳过。"
        "未匹配行（手续费、利息、未知转账）可稍后“再次自动匹配”，或手工选择同金额的单据匹配。"
        "对账不产生记账凭证——收付款在录入时已记入 1002。",
        "**Bank reconciliation**\n\n"
        "Upload the bank's CSV (header: date, amount, reference, counterparty, description, "
        "transaction_id; positive = money in, negative = out). Automatic matching: (1) the "
        "reference or description names a payment or receipt number; else (2) exactly one "
        "document of that amount within 5 days. Money in matches only receipts, money out only "
        "payments, for exactly the amount; a document matches one line ever.\n\n"
        "The same file twice imports nothing; lines imported before are skipped. Unmatched "
        "lines (fees, interest, unknown transfers) can be auto-matched again later or matched "
        "by hand to a document of the same amount. Matching posts nothing: payments and "
        "receipts were posted to 1002 when recorded.",
    ),
    "help.ledger_finance": (
        "**总账与报表**\n\n"
        "- **试算平衡表**：截至所选日期各科目余额；借方合计必须等于贷方合计（✓）。\n"
        "- **利润表**：所选期间的收入（6001 等）与费用（6401 主营业务成本等），"
        "净利润 = 收入 − 费用。\n"
        "- **资产负债表**：资产 = 负债 + 所有者权益；尚未结转的利润显示为 4103 本年利润。\n"
        "- **日记账**：每笔凭证的来源单据与借贷行，可按科目或单号搜索。\n"
        "- **账龄**：未结清发票按开票日起 0-30 / 31-60 / 61-90 / 90+ 天分组。\n"
        "- **存货对账**：总账 1405 库存商品余额应等于按移动加权平均计算的存货价值；差额须查明。",
        "**Ledger & statements**\n\n"
        "- **Trial balance**: each account's balance up to the chosen date; total debits must "
        "equal total credits (✓).\n"
        "- **Profit and loss**: income (6001 …) and expenses (6401 COGS …) in the period; net "
        "profit = income − expenses.\n"
        "- **Balance sheet**: assets = liabilities + equity; profit not yet closed shows as "
        "4103 current-year profit.\n"
        "- **Journal**: every entry with its source document and lines; search by account or "
        "document.\n"
        "- **Aging**: open invoices by days since the invoice date: 0-30 / 31-60 / 61-90 / 90+.\n"
        "- **Inventory reconciliation**: GL 1405 must equal the stock value at moving-average "
        "cost; any difference needs explaining.",
    ),
    "help.periods": (
        "**结账**\n\n"
        "结账后该月的账 **不能再改**：日期在已结账月份的供应商发票被拒绝（“会计期间已结账，"
        "不能再记账”），"
        "当月结账后收款、付款也被拒绝；仓库补录的、日期在已结账月份的单据也被拒绝。"
        "其他系统迟到的业务（如补录发货）记入下一个未结账月份的第一天，"
        "已结账月份的余额永不改变。\n\n"
        "结账前请确认：所有发票、收付款已录入，银行已对账，试算平衡，存货对账无差异。"
        "同一月份不能结账两次，结账不可撤销。",
        "**Period close**\n\n"
        "Once a month is closed its books **cannot change**: supplier invoices dated in it are "
        "refused (“That accounting period is closed”); receipts and payments are refused while "
        "the current month is closed; the warehouse's backdated documents in it are refused "
        "too. Late events from other systems (a late dispatch) are posted on the first day of "
        "the next open month, so a closed month's balances never change.\n\n"
        "Before closing: every invoice, receipt and payment recorded, the bank reconciled, the "
        "trial balance balanced, inventory reconciled. A month closes once; closing cannot be "
        "undone.",
    ),
}

register(LABELS)
register(HELP)
