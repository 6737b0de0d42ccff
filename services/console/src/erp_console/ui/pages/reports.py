"""报表 reports: the reporting service's catalogue — choose a report, its filters, grouping and
sort, run it into a server-paged table and a chart, download the same rows as CSV or XLSX; run
saved custom reports and (analysts) save new ones."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nicegui import ui

from erp_console.ui.feedback import explain
from erp_console.ui.i18n import register
from erp_console.ui.pages import dashboard_data as data
from erp_console.ui.pages.reports_custom import custom_reports
from erp_console.ui.shell import Screen, screen
from erp_console.ui.widgets import Column, PagedTable, page_of, paging

PAGE_SIZE = 50

register(
    {
        "report.choose": ("选择报表", "Report"),
        "report.group_by": ("分组", "Group by"),
        "report.sort": ("排序列", "Sort by"),
        "report.sort_desc": ("降序", "Descending"),
        "report.run": ("运行", "Run"),
        "report.filter.from": ("开始日期 (YYYY-MM-DD)", "From (YYYY-MM-DD)"),
        "report.filter.to": ("结束日期 (YYYY-MM-DD)", "To (YYYY-MM-DD)"),
        "report.filter.sku": ("商品 SKU", "SKU"),
        "report.filter.customer": ("客户", "Customer"),
        "report.filter.supplier": ("供应商", "Supplier"),
        "report.filter.warehouse": ("仓库", "Warehouse"),
        "report.filter.days": ("呆滞天数", "Idle days"),
        "report.filter.weeks": ("历史周数", "Weeks of history"),
        "report.filter.category": ("品类", "Category"),
        "report.dimensions": ("维度：{items}", "Dimensions: {items}"),
        "report.measures": ("指标：{items}", "Measures: {items}"),
        "report.filters": ("筛选：{items}", "Filters: {items}"),
        "report.none": ("请先选择报表并运行", "Choose a report and run it first"),
        "report.downloaded": ("已生成 {name}", "Prepared {name}"),
        "help.reports": (
            "**报表** 来自报表服务的只读数据（与业务服务最终一致，通常延迟几秒）。\n\n"
            "1. 选择报表，查看它的维度、指标和可用筛选。\n"
            "2. 填写日期范围（含首尾，按业务日期）和其它筛选，选择分组与排序，点击运行。\n"
            "3. 表格按页从服务器读取；图表显示第一个指标按第一个维度的分布（当前页）。\n"
            "4. “下载 CSV / Excel” 导出同样筛选下的全部行。\n\n"
            "口径：收入以财务开具的发票和红字发票为准（不含税）；成本为出库时的移动加权平均成本；"
            "退货在退回当天冲减。分析师可以把常用的报表组合保存为自定义报表。",
            "**Reports** are read models of the reporting service (eventually consistent with "
            "the business services, usually seconds behind).\n\n"
            "1. Choose a report to see its dimensions, measures and filters.\n"
            "2. Fill the date range (inclusive, business days) and other filters, pick grouping "
            "and sort, press Run.\n"
            "3. The table is paged by the server; the chart shows the first measure by the "
            "first dimension (this page).\n"
            "4. Download CSV / Excel exports every row under the same filters.\n\n"
            "Revenue is finance's invoices less credit notes (net of VAT); cost is the moving "
            "weighted average cost at dispatch; returns net out on the day they came back. "
            "Analysts can save a combination as a custom report.",
        ),
    }
)


@dataclass
class Run:
    """One report run: the path, its filters and the dimensions for the chart."""

    path: str
    label: str
    params: dict[str, Any] = field(default_factory=dict)
    dimensions: tuple[str, ...] = ()


class Results:
    """The result area: a paged table and a chart of the last run; downloads of the same."""

    def __init__(self, current: Screen) -> None:
        self.current = current
        self.run: Run | None = None
        self.area = ui.column().classes("w-full")

    async def show(self, run: Run) -> None:
        self.run = run
        first = await self._page(run, 1)
        self.area.clear()
        if not first.ok:
            with self.area:
                text = explain(first, self.current.lang, "reporting")
                ui.label(text).classes("text-negative").props("data-testid=report-error")
            return
        columns = [str(c) for c in first.body.get("columns", [])]
        pending = {1: first}

        async def loader(page: int, size: int, _search: str) -> tuple[list[dict[str, Any]], bool]:
            result = pending.pop(page, None) or await self._page(run, page)
            rows, more = page_of(result, "reporting", size, key="rows")
            self._draw(chart, columns, run.dimensions, rows)
            return rows, more

        with self.area:
            table = PagedTable(
                self.current,
                [Column(c, c) for c in columns],
                loader,
                testid="report-table",
                page_size=PAGE_SIZE,
                searchable=False,
            )
            chart = ui.echart({"series": []}).classes("w-full").style("height: 320px")
            chart.props("data-testid=report-chart")
        await table.load()

    async def _page(self, run: Run, page: int) -> Any:
        params = {**run.params, **paging(page, PAGE_SIZE, "")}
        return await self.current.api.get("reporting", run.path, **params)

    def _draw(
        self,
        chart: ui.echart,
        columns: list[str],
        dimensions: tuple[str, ...],
        rows: list[dict[str, Any]],
    ) -> None:
        axes = data.chart_axes(columns, dimensions, rows)
        if axes is None:
            option = data.empty_chart("")
        else:
            dimension, measure = axes
            labels = [data.label_of(row, dimension) for row in rows]
            option = data.bar_chart(
                labels, [(measure, [data.number(r.get(measure)) for r in rows])]
            )
        chart.options.clear()
        chart.options.update(option)
        chart.update()

    async def download(self, fmt: str) -> None:
        """Every row under the same filters, handed to the browser as a file."""
        if self.run is None:
            ui.notify(self.current.t("report.none"))
            return
        result = await self.current.api.get(
            "reporting", self.run.path, **self.run.params, format=fmt
        )
        if not result.ok:
            ui.notify(explain(result, self.current.lang, "reporting"), type="negative")
            return
        filename = f"{self.run.label}-{date.today().isoformat()}.{fmt}"
        ui.download.content(result.content, filename)
        ui.notify(self.current.t("report.downloaded", name=filename))


@screen("/reports", "nav.reports", help_key="help.reports")
async def reports(current: Screen) -> None:
    answer = await current.api.get("reporting", "/reports")
    if not answer.ok:
        ui.label(explain(answer, current.lang, "reporting")).classes("text-negative")
        return
    catalogue = {str(r["name"]): r for r in answer.body.get("reports", [])}
    with ui.card().classes("w-full"):
        chooser = ReportChooser(current, catalogue)
    with ui.row().classes("flex-wrap gap-2"):
        run_button = ui.button(current.t("report.run")).props("data-testid=report-run")
        csv = ui.button(current.t("action.download_csv")).props("outline")
        csv.props("data-testid=report-download-csv")
        xlsx = ui.button(current.t("action.download_xlsx")).props("outline")
        xlsx.props("data-testid=report-download-xlsx")
    results = Results(current)

    async def run() -> None:
        await results.show(chooser.run())

    run_button.on_click(run)
    csv.on_click(lambda: results.download("csv"))
    xlsx.on_click(lambda: results.download("xlsx"))
    await custom_reports(current, catalogue, results.show, Run)


class ReportChooser:
    """The report select, a description of the chosen report and its filter inputs."""

    def __init__(self, current: Screen, catalogue: dict[str, dict[str, Any]]) -> None:
        self.current, self.catalogue = current, catalogue
        options = {name: f"{name} · {spec.get('title', '')}" for name, spec in catalogue.items()}
        first = next(iter(options), None)
        self.select = ui.select(options, value=first, label=current.t("report.choose"))
        self.select.props("data-testid=report-name").classes("w-full")
        self.about = ui.column().classes("w-full gap-0")
        self.inputs: dict[str, Any] = {}
        self.group_by: Any = None
        self.sort: Any = None
        self.desc: Any = None
        self.select.on_value_change(self._rebuild)
        self._rebuild()

    @property
    def spec(self) -> dict[str, Any]:
        return self.catalogue.get(str(self.select.value), {})

    def _rebuild(self) -> None:
        spec, t = self.spec, self.current.t
        self.about.clear()
        with self.about:
            ui.label(str(spec.get("description", ""))).props("data-testid=report-description")
            for key in ("dimensions", "measures", "filters"):
                items = ", ".join(str(x) for x in spec.get(key, []))
                ui.label(t(f"report.{key}", items=items)).classes("text-caption text-grey-8")
            self.inputs = {}
            with ui.row().classes("flex-wrap gap-2 items-end"):
                for name in spec.get("filters", []):
                    label = t(f"report.filter.{name}")
                    element = ui.input(label if not label.startswith("report.") else name)
                    self.inputs[name] = element.props(f"dense data-testid=report-{name}")
                self._grouping(spec)

    def _grouping(self, spec: dict[str, Any]) -> None:
        dims = [str(d) for d in spec.get("dimensions", [])]
        self.group_by = None
        if spec.get("group_by"):
            default = [str(d) for d in spec.get("default_group_by", [])]
            self.group_by = ui.select(
                dims, value=default, multiple=True, label=self.current.t("report.group_by")
            )
            self.group_by.props("dense use-chips data-testid=report-group-by").style(
                "min-width: 220px"
            )
        columns = dims + [str(m) for m in spec.get("measures", [])]
        self.sort = ui.select(
            columns, value=None, label=self.current.t("report.sort"), clearable=True
        )
        self.sort.props("dense data-testid=report-sort").style("min-width: 160px")
        self.desc = ui.checkbox(self.current.t("report.sort_desc")).props(
            "data-testid=report-sort-desc"
        )

    def run(self) -> Run:
        name = str(self.select.value)
        params: dict[str, Any] = {
            k: (v.value or "").strip() or None for k, v in self.inputs.items()
        }
        grouped: list[str] = list(self.group_by.value or []) if self.group_by is not None else []
        if grouped:
            params["group_by"] = ",".join(grouped)
        if self.sort is not None and self.sort.value:
            params["sort"] = ("-" if self.desc.value else "") + str(self.sort.value)
        return Run(f"/reports/{name}", name, params, ordered_dimensions(self.spec, grouped))


def ordered_dimensions(spec: dict[str, Any], grouped: list[str]) -> tuple[str, ...]:
    """The report's dimensions, the chosen (or default) grouping first: the chart's x axis."""
    first = grouped or [str(d) for d in spec.get("default_group_by", [])]
    rest = [str(d) for d in spec.get("dimensions", []) if str(d) not in first]
    return (*first, *rest)
