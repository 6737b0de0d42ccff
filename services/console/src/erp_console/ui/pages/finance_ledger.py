"""总账与报表 /finance/ledger: trial balance (借贷平衡 ✓), profit and loss, balance sheet,
the journal (paged), AR/AP aging and GL 1405 against the stock valuation."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from nicegui import ui

from erp_console.ui.feedback import explain
from erp_console.ui.i18n import register
from erp_console.ui.pages.finance import finance_links, finance_list
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, money, when

register(
    {
        "finance.tb.title": ("试算平衡表", "Trial balance"),
        "finance.pnl.title": ("利润表", "Profit and loss"),
        "finance.bs.title": ("资产负债表", "Balance sheet"),
        "finance.journal.title": ("日记账", "Journal"),
        "finance.aging.title": ("账龄分析", "Aging"),
        "finance.recon.title": ("存货对账（1405 对 存货估值）", "Inventory reconciliation (1405)"),
        "finance.as_of": ("截至日期", "As of"),
        "finance.from": ("开始日期", "From"),
        "finance.to": ("结束日期（含）", "To (inclusive)"),
        "finance.show": ("查询", "Show"),
        "finance.col.code": ("科目", "Account"),
        "finance.col.name": ("名称", "Name"),
        "finance.col.debit": ("借方", "Debit"),
        "finance.col.credit": ("贷方", "Credit"),
        "finance.col.amount": ("金额", "Amount"),
        "finance.col.section": ("类别", "Section"),
        "finance.col.document": ("单据", "Document"),
        "finance.col.source": ("来源", "Source"),
        "finance.col.when": ("业务时间", "When"),
        "finance.col.bucket_total": ("合计", "Total"),
        "finance.total": ("合计", "Total"),
        "finance.balanced": ("✓ 借贷平衡", "✓ Balanced"),
        "finance.unbalanced": ("✗ 借贷不平衡", "✗ Not balanced"),
        "finance.income": ("收入", "Income"),
        "finance.expenses": ("费用", "Expenses"),
        "finance.net_profit": ("净利润", "Net profit"),
        "finance.assets": ("资产", "Assets"),
        "finance.liabilities": ("负债", "Liabilities"),
        "finance.equity": ("所有者权益", "Equity"),
        "finance.aging.receivable": ("应收账龄", "Receivables aging"),
        "finance.aging.payable": ("应付账龄", "Payables aging"),
        "finance.recon.line": (
            "总账 1405：{gl} · 存货估值：{valuation} · 差额：{difference}",
            "GL 1405: {gl} · valuation: {valuation} · difference: {difference}",
        ),
        "finance.recon.ok": ("✓ 一致", "✓ Reconciled"),
        "finance.recon.diff": ("✗ 有差异，需查明", "✗ Difference to explain"),
    }
)

Rows = list[dict[str, Any]]


def end_of(text: str | None) -> str | None:
    """A picked day as the instant ending it (UTC): `as_of` includes the whole day."""
    if not text:
        return None
    return f"{text}T23:59:59.999999+00:00"


def start_of(text: str | None) -> str | None:
    return f"{text}T00:00:00+00:00" if text else None


def next_day(text: str) -> str:
    return (date.fromisoformat(text) + timedelta(days=1)).isoformat()


def date_input(label: str, value: str, testid: str) -> Any:
    box = ui.input(label, value=value).props(f"dense type=date data-testid={testid}")
    return box.classes("min-w-[160px]")


def report_table(current: Screen, columns: list[tuple[str, str, str]], testid: str) -> Any:
    table = ui.table(
        columns=[
            {"name": k, "label": current.t(key), "field": k, "align": align}
            for k, key, align in columns
        ],
        rows=[],
        row_key="_row",
        pagination=0,
    )
    return table.props(f"dense flat bordered hide-bottom data-testid={testid}").classes("w-full")


def show_rows(table: Any, rows: Rows) -> None:
    table.rows = [{"_row": i, **row} for i, row in enumerate(rows)]
    table.update()


async def fetch(current: Screen, error: Any, path: str, **params: Any) -> Any:
    """A report's body, or None with the reason shown in `error`."""
    result = await current.api.get("finance", path, **params)
    error.set_text("" if result.ok else explain(result, current.lang, "finance"))
    return result.body if result.ok else None


def section(current: Screen, title_key: str) -> Any:
    ui.label(current.t(title_key)).classes("text-h6 q-mt-md")
    return ui.label("").classes("text-negative")


async def trial_balance(current: Screen, today: str) -> None:
    error = section(current, "finance.tb.title")
    cols = [
        ("code", "finance.col.code", "left"),
        ("name", "finance.col.name", "left"),
        ("debit", "finance.col.debit", "right"),
        ("credit", "finance.col.credit", "right"),
    ]
    with ui.row().classes("flex-wrap items-center gap-2"):
        as_of = date_input(current.t("finance.as_of"), today, "trial-balance-as-of")
        balanced = ui.label("").props("data-testid=trial-balance-balanced")
    table = report_table(current, cols, "trial-balance-table")

    async def load() -> None:
        body = await fetch(current, error, "/ledger/trial-balance", as_of=end_of(as_of.value))
        if body is None:
            return
        rows = [
            {**a, "debit": money(a["debit"]), "credit": money(a["credit"])}
            for a in body["accounts"]
        ]
        total = {"code": current.t("finance.total"), "name": ""}
        rows.append(
            {**total, "debit": money(body["total_debit"]), "credit": money(body["total_credit"])}
        )
        show_rows(table, rows)
        even = body["total_debit"] == body["total_credit"]
        balanced.set_text(current.t("finance.balanced" if even else "finance.unbalanced"))
        balanced.classes(replace="text-positive" if even else "text-negative text-weight-bold")

    as_of.on_value_change(load)
    await load()


def statement_rows(current: Screen, groups: list[tuple[str, Rows, Any]]) -> Rows:
    rows: Rows = []
    for key, lines, total in groups:
        label = current.t(key)
        rows += [{"section": label, **li, "amount": money(li["amount"])} for li in lines]
        rows.append(
            {
                "section": label,
                "code": "",
                "name": current.t("finance.total"),
                "amount": money(total),
            }
        )
    return rows


STATEMENT_COLUMNS = [
    ("section", "finance.col.section", "left"),
    ("code", "finance.col.code", "left"),
    ("name", "finance.col.name", "left"),
    ("amount", "finance.col.amount", "right"),
]


async def profit_and_loss(current: Screen, today: str) -> None:
    error = section(current, "finance.pnl.title")
    with ui.row().classes("flex-wrap items-center gap-2"):
        start = date_input(current.t("finance.from"), today[:8] + "01", "pnl-from")
        end = date_input(current.t("finance.to"), today, "pnl-to")
        net = ui.label("").props("data-testid=pnl-net-profit").classes("text-weight-bold")
    table = report_table(current, STATEMENT_COLUMNS, "pnl-table")

    async def load() -> None:
        if not start.value or not end.value:
            return
        params = {"from": start_of(start.value), "to": start_of(next_day(end.value))}
        body = await fetch(current, error, "/ledger/profit-and-loss", **params)
        if body is None:
            return
        groups = [
            ("finance.income", body["income"], body["total_income"]),
            ("finance.expenses", body["expenses"], body["total_expenses"]),
        ]
        show_rows(table, statement_rows(current, groups))
        net.set_text(f"{current.t('finance.net_profit')}: {money(body['net_profit'])}")

    start.on_value_change(load)
    end.on_value_change(load)
    await load()


async def balance_sheet(current: Screen, today: str) -> None:
    error = section(current, "finance.bs.title")
    with ui.row().classes("flex-wrap items-center gap-2"):
        as_of = date_input(current.t("finance.as_of"), today, "balance-sheet-as-of")
        balanced = ui.label("").props("data-testid=balance-sheet-balanced")
    table = report_table(current, STATEMENT_COLUMNS, "balance-sheet-table")

    async def load() -> None:
        body = await fetch(current, error, "/ledger/balance-sheet", as_of=end_of(as_of.value))
        if body is None:
            return
        groups = [
            ("finance.assets", body["assets"], body["total_assets"]),
            ("finance.liabilities", body["liabilities"], body["total_liabilities"]),
            ("finance.equity", body["equity"], body["total_equity"]),
        ]
        show_rows(table, statement_rows(current, groups))
        balanced.set_text(
            current.t("finance.balanced" if body["balanced"] else "finance.unbalanced")
        )

    as_of.on_value_change(load)
    await load()


async def aging(current: Screen) -> None:
    error = section(current, "finance.aging.title")
    kinds = {k: current.t(f"finance.aging.{k}") for k in ("receivable", "payable")}
    kind = ui.select(kinds, value="receivable").props("dense data-testid=aging-kind")
    buckets = ("0-30", "31-60", "61-90", "90+")
    cols = [("counterparty_id", "finance.col.counterparty", "left")]
    table = ui.table(
        columns=[
            {"name": k, "label": current.t(label), "field": k, "align": a} for k, label, a in cols
        ]
        + [{"name": b, "label": b, "field": b, "align": "right"} for b in buckets]
        + [
            {
                "name": "total",
                "label": current.t("finance.total"),
                "field": "total",
                "align": "right",
            }
        ],
        rows=[],
        row_key="_row",
        pagination=0,
    ).props("dense flat bordered hide-bottom data-testid=aging-table")
    table.classes("w-full")

    async def load() -> None:
        body = await fetch(current, error, "/aging", kind=kind.value)
        if body is None:
            return
        rows = [
            {**r, **{k: money(r[k]) for k in (*buckets, "total")}} for r in body["counterparties"]
        ]
        totals = body["totals"]
        rows.append(
            {
                "counterparty_id": current.t("finance.total"),
                **{k: money(v) for k, v in totals.items()},
            }
        )
        show_rows(table, rows)

    kind.on_value_change(load)
    await load()


async def inventory_reconciliation(current: Screen) -> None:
    error = section(current, "finance.recon.title")
    line = ui.label("").props("data-testid=inventory-reconciliation")
    verdict = ui.label("").props("data-testid=inventory-reconciliation-status")
    body = await fetch(current, error, "/reconciliation/inventory")
    if body is None:
        return
    figures = {k: money(body[k]) for k in ("valuation", "difference")}
    line.set_text(current.t("finance.recon.line", gl=money(body["gl_1405"]), **figures))
    ok = bool(body["reconciled"])
    verdict.set_text(current.t("finance.recon.ok" if ok else "finance.recon.diff"))
    verdict.classes(replace="text-positive" if ok else "text-negative text-weight-bold")


def journal_columns() -> list[Column]:
    return [
        Column("occurred_at", "finance.col.when", when),
        Column("document", "finance.col.document"),
        Column("source_type", "finance.col.source"),
        Column("account", "finance.col.code"),
        Column("account_name", "finance.col.name"),
        Column("debit", "finance.col.debit", money, "right"),
        Column("credit", "finance.col.credit", money, "right"),
    ]


@screen("/finance/ledger", "finance.nav.ledger", help_key="help.ledger_finance")
async def ledger_page(current: Screen) -> None:
    await finance_links(current)
    today = datetime.now(UTC).date().isoformat()
    with ui.row().classes("w-full flex-wrap items-start gap-4"):
        with ui.column().classes("grow min-w-[320px]"):
            await trial_balance(current, today)
        with ui.column().classes("grow min-w-[320px]"):
            await profit_and_loss(current, today)
            await balance_sheet(current, today)
    await aging(current)
    await inventory_reconciliation(current)
    ui.label(current.t("finance.journal.title")).classes("text-h6 q-mt-md")
    journal = finance_list(current, "/ledger/journal", journal_columns(), "journal-table", size=25)
    await journal.load()
