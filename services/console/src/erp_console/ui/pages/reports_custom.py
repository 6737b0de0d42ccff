"""自定义报表 on the report screen: run a saved custom report, and (role analyst) save a new
one. A definition is checked by the reporting service against the catalogue exactly like a
report request; a 422 names the field (`measures.1`, `filters.supplier`) under its input."""

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from erp_console.ui.feedback import explain
from erp_console.ui.i18n import register
from erp_console.ui.shell import Screen
from erp_console.ui.widgets import CommandForm

register(
    {
        "custom.title": ("自定义报表", "Custom reports"),
        "custom.saved": ("已保存的自定义报表", "Saved custom report"),
        "custom.run": ("运行自定义报表", "Run custom report"),
        "custom.new": ("新建自定义报表", "New custom report"),
        "custom.name": ("名称", "Name"),
        "custom.report": ("基于报表", "Based on report"),
        "custom.group_by": ("分组维度", "Group by"),
        "custom.measures": ("指标（空 = 全部）", "Measures (empty = all)"),
        "custom.from": ("开始日期 (YYYY-MM-DD)", "From (YYYY-MM-DD)"),
        "custom.to": ("结束日期 (YYYY-MM-DD)", "To (YYYY-MM-DD)"),
        "custom.sort": ("排序（如 -net,sku）", "Sort (e.g. -net,sku)"),
        "custom.save": ("保存", "Save"),
        "custom.none": ("还没有自定义报表", "No custom reports yet"),
    }
)

Show = Callable[[Any], Awaitable[None]]


async def custom_reports(
    current: Screen, catalogue: dict[str, dict[str, Any]], show: Show, run_of: Callable[..., Any]
) -> None:
    """The saved list (select + run) and, for analysts, the form that saves a new one."""
    ui.label(current.t("custom.title")).classes("text-h6 q-mt-lg")
    saved: dict[str, dict[str, Any]] = {}
    with ui.row().classes("flex-wrap gap-2 items-end"):
        picker = ui.select({}, label=current.t("custom.saved")).style("min-width: 280px")
        picker.props("data-testid=custom-report-select")
        run_button = ui.button(current.t("custom.run")).props("data-testid=custom-report-run")
    problem = ui.label("").classes("text-negative")

    async def reload() -> None:
        answer = await current.api.get("reporting", "/custom-reports")
        if not answer.ok:
            problem.set_text(explain(answer, current.lang, "reporting"))
            return
        problem.set_text("")
        saved.clear()
        for item in answer.body.get("custom_reports", []):
            saved[str(item["custom_report_id"])] = item
        picker.set_options({key: str(item.get("name")) for key, item in saved.items()})

    async def run() -> None:
        item = saved.get(str(picker.value))
        if item is None:
            ui.notify(current.t("custom.none"))
            return
        spec = catalogue.get(str(item.get("report")), {})
        dims = [str(d) for d in item.get("group_by") or spec.get("dimensions", [])]
        path = f"/custom-reports/{item['custom_report_id']}/rows"
        await show(run_of(path, _slug(str(item.get("name"))), {}, tuple(dims)))

    run_button.on_click(run)
    await reload()
    if current.may("analyst"):
        _form(current, catalogue, reload)
    else:
        ui.label(current.t("common.read_only")).classes("text-grey-7")


def _form(
    current: Screen, catalogue: dict[str, dict[str, Any]], reload: Callable[[], Awaitable[None]]
) -> None:
    t = current.t
    with ui.card().classes("w-full").props("data-testid=form-custom-report"):
        ui.label(t("custom.new")).classes("text-subtitle1")
        form = CommandForm(current, "custom-report")
        with ui.row().classes("flex-wrap gap-2 items-end"):
            name = form.field("name", ui.input(t("custom.name")))
            name.props("dense data-testid=custom-report-name")
            report = form.field("report", ui.select(list(catalogue), label=t("custom.report")))
            report.props("dense data-testid=custom-report-report").style("min-width: 180px")
            group_by = form.field(
                "group_by", _multi(t("custom.group_by"), "custom-report-group-by")
            )
            measures = form.field(
                "measures", _multi(t("custom.measures"), "custom-report-measures")
            )
            start = form.field("filters", ui.input(t("custom.from")))
            start.props("dense data-testid=custom-report-from")
            end = ui.input(t("custom.to")).props("dense data-testid=custom-report-to")
            sort = form.field("sort", ui.input(t("custom.sort")))
            sort.props("dense data-testid=custom-report-sort")
        save = ui.button(t("custom.save")).props("data-testid=custom-report-submit")

    def choose_report() -> None:
        spec = catalogue.get(str(report.value), {})
        group_by.set_options([str(d) for d in spec.get("dimensions", [])], value=[])
        measures.set_options([str(m) for m in spec.get("measures", [])], value=[])

    async def submit() -> None:
        filters = {k: (v.value or "").strip() for k, v in (("from", start), ("to", end))}
        body = {
            "name": (name.value or "").strip(),
            "report": report.value or "",
            "group_by": list(group_by.value or []),
            "measures": list(measures.value or []),
            "filters": {k: v for k, v in filters.items() if v},
            "sort": [s.strip() for s in (sort.value or "").split(",") if s.strip()],
        }
        result = await form.send("reporting", "/custom-reports", body, save)
        if result is not None and result.ok:
            form.succeeded(str(result.body.get("name", "")))
            await reload()

    report.on_value_change(choose_report)
    save.on_click(submit)


def _multi(label: str, testid: str) -> Any:
    select = ui.select([], value=[], multiple=True, label=label)
    return select.props(f"dense use-chips data-testid={testid}").style("min-width: 200px")


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text).strip("-") or "report"
