"""The pure calculations behind the reports: totals split over lines, margin, RFM and ABC."""

from decimal import Decimal

from reporting.domain.analysis import (
    CustomerActivity,
    abc_classes,
    cash_forecast,
    forecast_demand,
    margin_rate,
    rfm_scores,
    segment_of,
    split_total,
    xyz_class,
)

D = Decimal  # the hand-computed figures below read better short


def test_a_document_total_split_over_its_lines_adds_up_to_the_total_exactly() -> None:
    # 3 lines of 1/3 yuan each: rounded 0.33 + 0.33 + 0.33 = 0.99, the document says 1.00.
    amounts = [D("0.333333"), D("0.333333"), D("0.333334")]
    parts = split_total(D("1.00"), amounts)
    assert sum(parts) == D("1.00")
    assert parts == [D("0.33"), D("0.33"), D("0.34")]  # the difference goes to the largest


def test_vat_split_over_lines_matches_the_lines_when_nothing_needs_rounding() -> None:
    assert split_total(D("58.50"), [D("32.5"), D("26.0")]) == [D("32.50"), D("26.00")]


def test_margin_rate_is_margin_over_net_to_four_places_and_undefined_without_revenue() -> None:
    assert margin_rate(D("360.00"), D("610.00")) == D("0.5902")
    assert margin_rate(D("-70.00"), D("-120.00")) == D("0.5833")
    assert margin_rate(D("5"), D("0")) is None


def test_rfm_scores_rank_customers_and_those_without_orders_score_111() -> None:
    scores = rfm_scores(
        [
            CustomerActivity("C1", recency_days=27, frequency=1, monetary=D("450.00")),
            CustomerActivity("C2", recency_days=26, frequency=1, monetary=D("410.00")),
            CustomerActivity("C3", recency_days=None, frequency=0, monetary=D("0")),
        ]
    )
    assert [(s.customer_id, s.code, s.segment) for s in scores] == [
        ("C1", "355", "loyal"),  # older last order → R 3; equal frequency → both F 5
        ("C2", "553", "loyal"),  # smaller spend → M 3
        ("C3", "111", "no_orders"),
    ]


def test_rfm_quintiles_spread_five_customers_over_scores_one_to_five() -> None:
    customers = [CustomerActivity(f"C{i}", 10 * i, 6 - i, D(100 * (6 - i))) for i in range(1, 6)]
    scores = rfm_scores(customers)
    assert [s.code for s in scores] == ["555", "444", "333", "222", "111"]
    assert [s.segment for s in scores] == [
        "champions",
        "champions",
        "needs_attention",
        "hibernating",
        "hibernating",
    ]


def test_segments_follow_the_documented_rules() -> None:
    assert segment_of(5, 1, 1) == "new"
    assert segment_of(1, 5, 5) == "at_risk"
    assert segment_of(3, 3, 3) == "needs_attention"


def test_abc_classes_the_item_crossing_80_percent_is_still_a() -> None:
    classes = abc_classes([("C", D("50")), ("A", D("610")), ("B", D("200")), ("Z", D("-5"))])
    assert [(c.key, c.abc_class, c.share, c.cumulative_share) for c in classes] == [
        ("A", "A", D("0.7093"), D("0.7093")),
        ("B", "A", D("0.2326"), D("0.9419")),  # 70.9% before it: still A
        ("C", "B", D("0.0581"), D("1.0000")),  # 94.2% before it: B
        ("Z", "C", D("0.0000"), D("1.0000")),  # no revenue: C
    ]


def test_the_forecast_is_the_moving_average_and_cover_is_stock_over_it() -> None:
    forecast = forecast_demand([D(0), D(0), D(25)], on_hand=D(70))
    assert (forecast.forecast_qty, forecast.cover_months) == (D("8.33"), D("8.4"))


def test_no_expected_demand_means_no_cover_figure() -> None:
    assert forecast_demand([D(0), D(5), D(-5)], on_hand=D(5)).cover_months is None


def test_xyz_by_the_coefficient_of_variation_of_weekly_demand() -> None:
    # mean 20, population variance (100 + 0 + 100 + 0) / 4 = 50, σ = 7.0711, CV = 0.3536
    steady = xyz_class([D("10"), D("20"), D("30"), D("20")])
    assert (steady.weeks, steady.mean, steady.stdev) == (4, D("20.00"), D("7.07"))
    assert steady.cv == D("0.3536")
    assert steady.xyz_class == "X"
    # mean 10, variance (100 + 100 + 900 + 100) / 4 = 300, σ = 17.3205, CV = 1.7321
    erratic = xyz_class([D("0"), D("0"), D("40"), D("0")])
    assert erratic.cv == D("1.7321")
    assert erratic.xyz_class == "Z"
    # CV exactly 0.5 is still X; with the X threshold at 0.4 it is Y
    assert xyz_class([D("5"), D("15")]).xyz_class == "X"
    assert xyz_class([D("5"), D("15")], x_max=D("0.4")).xyz_class == "Y"
    assert xyz_class([D("0"), D("0")]).cv is None
    assert xyz_class([D("0"), D("0")]).xyz_class == "Z"


def test_cash_forecast_by_days_until_due() -> None:
    receivables = [(D("100.00"), -5), (D("200.00"), 0), (D("300.00"), 30), (D("400.00"), 45)]
    payables = [(D("50.00"), 1), (D("700.00"), 90), (D("80.00"), 91)]
    rows = cash_forecast(receivables, payables)
    assert [
        (r["bucket"], r["receivables_due"], r["payables_due"], r["net"], r["cumulative_net"])
        for r in rows
    ] == [
        ("due_now", D("300.00"), D("0.00"), D("300.00"), D("300.00")),  # 5 days late + today
        ("days_1_30", D("300.00"), D("50.00"), D("250.00"), D("550.00")),
        ("days_31_60", D("400.00"), D("0.00"), D("400.00"), D("950.00")),
        ("days_61_90", D("0.00"), D("700.00"), D("-700.00"), D("250.00")),
        ("after_90", D("0.00"), D("80.00"), D("-80.00"), D("170.00")),
    ]
