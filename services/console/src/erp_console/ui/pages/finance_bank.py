"""银行对账 /finance/bank: upload a bank statement (CSV), see its lines matched or not, match
again automatically, match a line by hand to a payment or receipt of the same amount, and the
account's unmatched lines (fees, interest, unknown transfers) left to book."""

from typing import Any
from urllib.parse import quote

from nicegui import events, ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.finance import day, finance_links
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import CommandForm, money

register(
    {
        "finance.bank.upload": ("上传银行对账单（CSV）", "Upload a bank statement (CSV)"),
        "finance.bank.paste": ("或粘贴 CSV 内容", "Or paste the CSV"),
        "finance.bank.import": ("导入", "Import"),
        "finance.bank.imported": (
            "对账单已导入：{lines} 行，自动匹配 {matched} 行，"
            "未匹配 {unmatched} 行，重复跳过 {duplicates} 行",
            "Statement imported: {lines} lines, {matched} matched, {unmatched} unmatched, "
            "{duplicates} duplicates skipped",
        ),
        "finance.bank.again": (
            "该文件此前已导入，未做任何更改",
            "This file was imported before; nothing changed",
        ),
        "finance.bank.lines": ("对账单明细", "Statement lines"),
        "finance.bank.auto_match": ("再次自动匹配", "Auto-match again"),
        "finance.bank.matched_now": ("自动匹配完成", "Automatic matching done"),
        "finance.bank.unmatched": ("所有未匹配的银行流水", "Every unmatched bank line"),
        "finance.bank.manual": ("手工匹配", "Match by hand"),
        "finance.bank.line": ("流水行", "Line"),
        "finance.bank.document": ("收款单/付款单", "Receipt / payment"),
        "finance.bank.match": ("匹配", "Match"),
        "finance.bank.matched_line": ("第 {line} 行已匹配", "Line {line} matched"),
        "finance.bank.none": (
            "请先上传对账单，或在下方未匹配流水中点选一行",
            "Upload a statement or pick an unmatched line below",
        ),
        "finance.col.line_no": ("行", "Line"),
        "finance.col.reference": ("参考号", "Reference"),
        "finance.col.description": ("摘要", "Description"),
        "finance.col.matched_to": ("匹配单据", "Matched to"),
        "finance.col.rule": ("规则", "Rule"),
        "finance.bank.status.matched": ("已匹配", "Matched"),
        "finance.bank.status.unmatched": ("未匹配", "Unmatched"),
        "finance.bank.rule.reference": ("按单号", "by number"),
        "finance.bank.rule.amount_date": ("按金额+日期", "by amount and date"),
        "finance.bank.rule.manual": ("手工", "by hand"),
        "refusal.already_matched": (
            "该流水或单据已经匹配过",
            "That line or document is already matched",
        ),
        "refusal.amount_mismatch": (
            "金额不一致，不能匹配",
            "The amounts differ; they cannot match",
        ),
    }
)

LINE_COLUMNS = (
    ("line_no", "finance.col.line_no", "left"),
    ("value_date", "finance.col.date", "left"),
    ("amount", "finance.col.amount", "right"),
    ("reference", "finance.col.reference", "left"),
    ("counterparty", "finance.col.counterparty", "left"),
    ("description", "finance.col.description", "left"),
    ("status", "finance.col.status", "left"),
    ("document_number", "finance.col.matched_to", "left"),
    ("rule", "finance.col.rule", "left"),
)


class BankScreen:
    def __init__(self, current: Screen) -> None:
        self.current = current
        self.statement: str | None = current.request.query_params.get("statement")
        self.unmatched: list[dict[str, Any]] = []

    def line_table(self, testid: str) -> Any:
        t = self.current.t
        columns = [
            {"name": k, "label": t(key), "field": k, "align": a} for k, key, a in LINE_COLUMNS
        ]
        table = ui.table(columns=columns, rows=[], row_key="_row", pagination=0)
        return table.props(f"dense flat bordered hide-bottom data-testid={testid}").classes(
            "w-full"
        )

    def shown(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        t = self.current.t
        return [
            {
                **r,
                "_row": f"{r['statement_id']}/{r['line_no']}",
                "value_date": day(r.get("value_date")),
                "amount": money(r.get("amount")),
                "status": t(f"finance.bank.status.{r.get('status')}"),
                "rule": t(f"finance.bank.rule.{r['rule']}") if r.get("rule") else "",
            }
            for r in rows
        ]

    def build(self) -> None:
        t = self.current.t
        if self.current.may("finance"):
            self.upload_form()
        ui.label(t("finance.bank.lines")).classes("text-h6 q-mt-md")
        self.hint = ui.label(t("finance.bank.none")).classes("text-caption")
        if self.current.may("finance"):
            with ui.row().props("data-testid=form-bank-match"):
                self.match_form = CommandForm(self.current, "form-bank-match")
                self.auto = ui.button(t("finance.bank.auto_match"), on_click=self.auto_match)
                self.auto.props("outline data-testid=bank-auto-match")
        self.lines = self.line_table("bank-lines-table")
        if self.current.may("finance"):
            self.manual_form()
        ui.label(t("finance.bank.unmatched")).classes("text-h6 q-mt-md")
        self.unmatched_table = self.line_table("bank-unmatched-table")
        self.unmatched_table.on("rowClick", lambda e: self.pick(e.args[1]))

    def upload_form(self) -> None:
        t = self.current.t
        with ui.card().classes("w-full").props("data-testid=form-bank-upload"):
            ui.label(t("finance.bank.upload")).classes("text-h6")
            self.upload = CommandForm(self.current, "form-bank-upload")
            ui.upload(on_upload=self.uploaded, auto_upload=True, max_files=1).props(
                "accept=.csv,text/csv data-testid=bank-upload-file"
            ).classes("w-full")
            self.csv = ui.textarea(t("finance.bank.paste")).props("data-testid=bank-csv")
            self.csv.classes("w-full")
            self.upload.field("csv", self.csv)
            self.import_button = ui.button(t("finance.bank.import"), on_click=self.paste)
            self.import_button.props("color=primary data-testid=bank-upload-submit")

    def manual_form(self) -> None:
        t = self.current.t
        with ui.card().classes("w-full q-mt-sm").props("data-testid=form-bank-manual-match"):
            ui.label(t("finance.bank.manual")).classes("text-subtitle1")
            self.manual = CommandForm(self.current, "form-bank-manual-match")
            with ui.row().classes("flex-wrap items-start gap-2"):
                self.line = ui.select({}, label=t("finance.bank.line")).classes("min-w-[260px]")
                self.line.props("data-testid=bank-match-line")
                self.document = ui.select({}, label=t("finance.bank.document"), with_input=True)
                self.document.props("data-testid=bank-match-document").classes("min-w-[280px]")
                self.manual.field("document_id", self.document)
                self.match_button = ui.button(t("finance.bank.match"), on_click=self.match_line)
                self.match_button.props("color=primary data-testid=bank-match-submit")

    async def uploaded(self, event: events.UploadEventArguments) -> None:
        text = (await event.file.read()).decode("utf-8-sig", errors="replace")
        await self.send_statement(text, event.file.name)

    async def paste(self) -> None:
        await self.send_statement(self.csv.value or "", "")

    async def send_statement(self, text: str, source: str) -> None:
        path = f"/bank/statements?source={quote(source)}" if source else "/bank/statements"
        result = await self.upload.send("finance", path, {"csv": text}, self.import_button)
        if result is None or not result.ok or not isinstance(result.body, dict):
            return
        body = result.body
        self.statement = str(body["statement_id"])
        t = self.current.t
        if body.get("already_imported"):
            self.upload.succeeded(t("finance.bank.again"))
        else:
            counts = {k: len(body.get(k) or []) for k in ("matched", "unmatched", "duplicates")}
            self.upload.succeeded(t("finance.bank.imported", lines=body.get("lines", 0), **counts))
        await self.refresh_later()

    async def refresh_later(self) -> None:
        """The bank read model follows the command within a moment."""
        await self.refresh()
        ui.timer(1.0, self.refresh, once=True)
        ui.timer(3.0, self.refresh, once=True)

    async def refresh(self) -> None:
        api = self.current.api
        if self.statement:
            result = await api.get("finance", f"/bank/statements/{self.statement}")
            rows = result.body if result.ok and isinstance(result.body, list) else []
            self.lines.rows = self.shown(rows)
            self.lines.update()
            self.hint.set_text(f"{self.statement[:8]} · {len(rows)}")
        unmatched = await api.get("finance", "/bank/unmatched")
        self.unmatched = unmatched.body if unmatched.ok and isinstance(unmatched.body, list) else []
        self.unmatched_table.rows = self.shown(self.unmatched)
        self.unmatched_table.update()
        if self.current.may("finance"):
            await self.fill_manual_options()

    async def fill_manual_options(self) -> None:
        mine = [r for r in self.unmatched if str(r["statement_id"]) == self.statement]
        self.line.set_options(
            {
                int(
                    r["line_no"]
                ): f"{r['line_no']} · {money(r['amount'])} · {r.get('description', '')}"
                for r in mine
            },
            value=self.line.value if any(r["line_no"] == self.line.value for r in mine) else None,
        )
        docs = await self.current.api.get("finance", "/bank/documents")
        rows = docs.body if docs.ok and isinstance(docs.body, list) else []
        self.document.set_options(
            {
                str(d["document_id"]): f"{d['number']} · {money(d['amount'])} · {d['value_date']}"
                for d in rows
            },
            value=None,
        )

    async def pick(self, row: dict[str, Any]) -> None:
        self.statement = str(row.get("statement_id") or self.statement)
        await self.refresh()
        if self.current.may("finance"):
            self.line.set_value(row.get("line_no"))

    async def auto_match(self) -> None:
        if not self.statement:
            return
        path = f"/bank/statements/{self.statement}/match"
        result = await self.match_form.send("finance", path, {}, self.auto)
        if result is not None and result.ok:
            self.match_form.succeeded(self.current.t("finance.bank.matched_now"))
            await self.refresh_later()

    async def match_line(self) -> None:
        if not self.statement or self.line.value is None:
            return
        path = f"/bank/statements/{self.statement}/lines/{self.line.value}/match"
        body = {"document_id": self.document.value or ""}
        result = await self.manual.send("finance", path, body, self.match_button)
        if result is not None and result.ok:
            self.manual.succeeded(self.current.t("finance.bank.matched_line", line=self.line.value))
            await self.refresh_later()


@screen("/finance/bank", "finance.nav.bank", help_key="help.bank")
async def bank_page(current: Screen) -> None:
    await finance_links(current)
    page = BankScreen(current)
    page.build()
    await page.refresh()
