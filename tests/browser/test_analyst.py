"""An analyst sees the dashboard's charts drawn with data and downloads a report as XLSX."""

import time

import openpyxl
import pytest

from .conftest import Browsers
from .stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(900)]

CHARTS = ("chart-sales-trend", "chart-stock-value", "chart-top-skus", "chart-margin", "chart-aging")
#: Points an ECharts chart holds across its series (0 when it has no data), read from the
#: chart NiceGUI's Vue component drew (`getElement` is NiceGUI's own lookup).
POINTS = """
const element = getElement(arguments[0]);
const chart = element && element.chart;
if (!chart) { return 0; }
return (chart.getOption().series || []).reduce((n, s) => n + ((s.data || []).length), 0);
"""


def test_the_dashboard_charts_have_data_and_a_report_downloads_as_xlsx(
    stack: Stack, browser: Browsers
) -> None:
    analyst = browser.person("fenxi")
    analyst.open("/")
    for chart in CHARTS:
        element = analyst.by_testid(chart)
        analyst.wait_for(
            lambda element=element: analyst.driver.execute_script(POINTS, element),
            what=f"data in {chart}",
        )
    analyst.screenshot("dashboard")

    analyst.open("/reports")
    analyst.choose("report-name", "sales")
    analyst.press("report-run")
    analyst.wait_for(lambda: "TEA-" in analyst.text_of("report-table"), what="report rows")
    analyst.screenshot("reports")
    analyst.press("report-download-xlsx")
    downloads = analyst.downloads
    assert downloads is not None
    workbook_path = analyst.wait_for(
        lambda: next((p for p in downloads.glob("*.xlsx")), None), what="xlsx download"
    )
    time.sleep(0.5)  # Chromium renames the finished download into place
    sheet = openpyxl.load_workbook(workbook_path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) > 1, "the XLSX has a header and data rows"
    assert any(cell and "TEA-" in str(cell) for row in rows[1:] for cell in row)
