"""结账 /finance/periods: close an accounting month, after a clear warning of what it means."""

from datetime import UTC, datetime

from nicegui import ui

from erp_console.ui.i18n import register
from erp_console.ui.pages.finance import finance_links
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import CommandForm

register(
    {
        "finance.close.title": ("月末结账", "Close a month"),
        "finance.close.period": ("会计期间 (yyyy-mm)", "Period (yyyy-mm)"),
        "finance.close.submit": ("结账", "Close the period"),
        "finance.close.warning": (
            "⚠ 结账不可撤销。结账后，日期在该月的供应商发票会被拒绝；若结的是当月，"
            "收款和付款也会被拒绝。拒绝时显示：“{refusal}”。其他系统迟到的业务记入下一个未结账月份。",
            "⚠ Closing cannot be undone. Afterwards supplier invoices dated in that month are "
            "refused; if it is the current month, receipts and payments are refused too. The "
            "refusal reads: “{refusal}”. Late events from other systems go to the next open month.",
        ),
        "finance.close.done": ("{period} 已结账", "{period} is closed"),
        "finance.close.twice": (
            "{period} 已经结过账，不能重复结账",
            "{period} is already closed; a month closes once",
        ),
    }
)


def previous_month() -> str:
    today = datetime.now(UTC).date()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def close_form(current: Screen) -> None:
    t = current.t
    with ui.card().classes("w-full").props("data-testid=form-period-close"):
        ui.label(t("finance.close.title")).classes("text-h6")
        warning = t("finance.close.warning", refusal=t("refusal.period_closed"))
        ui.label(warning).classes("text-warning text-weight-medium").props(
            "data-testid=period-close-warning"
        )
        form = CommandForm(current, "form-period-close")
        with ui.row().classes("flex-wrap items-start gap-2"):
            period = ui.input(t("finance.close.period"), value=previous_month())
            period.props("data-testid=period-close-period")
            form.field("period", period)
            submit = ui.button(t("finance.close.submit"))
            submit.props("color=negative data-testid=period-close-submit")

        async def close() -> None:
            month = (period.value or "").strip()
            result = await form.send("finance", f"/periods/{month}/close", {}, submit)
            if result is None:
                return
            if result.ok:
                form.succeeded(t("finance.close.done", period=month))
                return
            form.notice.set_visibility(False)  # an earlier success no longer applies
            if result.status == 409 and result.error_code == "invalid_state":
                form.banner.set_text(t("finance.close.twice", period=month))
            elif result.status in (404, 405):  # a malformed month is not a path the service has
                form.banner.set_text(t("error.validation") + f": {t('finance.close.period')}")

        submit.on_click(close)


@screen("/finance/periods", "finance.nav.periods", help_key="help.periods")
async def periods_page(current: Screen) -> None:
    await finance_links(current)
    ui.markdown(current.t("help.periods")).classes("text-body2")
    if not current.may("finance"):
        ui.label(current.t("common.read_only")).props("data-testid=period-close-read-only")
        return
    close_form(current)
