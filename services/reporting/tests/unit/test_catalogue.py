"""Requests are checked against the report catalogue before any SQL exists."""

from datetime import date

import pytest

from eventkit import InvalidCommand, NotFound
from reporting.application.reports import build_request


def refusal(
    name: str,
    filters: dict[str, object] | None = None,
    group_by: str | None = None,
    sort: str | None = None,
) -> tuple[str | int, ...]:
    with pytest.raises(InvalidCommand) as refused:
        build_request(name, filters or {}, group_by, sort, None, 0)
    return refused.value.loc


def test_a_request_without_grouping_uses_the_reports_default_grain_sorted_by_it() -> None:
    request = build_request("gross_margin", {}, None, None, 10, 0)
    assert request.group_by == ("month", "sku", "customer_id")
    assert request.sort == (("month", False), ("sku", False), ("customer_id", False))


def test_sorting_by_a_measure_comes_before_the_grouping_order() -> None:
    request = build_request("sales", {"sku": "A"}, "sku, month", "-margin", None, 0)
    assert request.group_by == ("sku", "month")
    assert request.sort == (("margin", True), ("sku", False), ("month", False))
    assert request.filters == {"sku": "A"}


def test_unknown_reports_are_not_found() -> None:
    with pytest.raises(NotFound):
        build_request("pivot_everything", {}, None, None, None, 0)


def test_dimensions_sort_columns_and_filters_outside_the_whitelist_are_refused() -> None:
    assert refusal("sales", group_by="customer_id;drop") == ("query", "group_by")
    assert refusal("sales", sort="cost_price") == ("query", "sort")
    assert refusal("sales", {"supplier": "S1"}) == ("query", "supplier")
    assert refusal("cash", group_by="sku") == ("query", "group_by")
    assert refusal("customers", group_by="customer_id") == ("query", "group_by")
    backwards: dict[str, object] = {"from": date(2026, 2, 1), "to": date(2026, 1, 1)}
    assert refusal("sales", backwards) == ("query", "to")
