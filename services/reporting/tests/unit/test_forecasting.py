"""销售预测 / 库存优化, pure: the backtest, the stock policy and the transfers, by hand."""

import math
import random
from decimal import Decimal
from statistics import NormalDist

from reporting.domain.forecasting import (
    Position,
    StockPolicyParameters,
    accuracy,
    plan,
    transfers,
)


def seasonal_series(weeks: int = 78, season: int = 13) -> list[Decimal]:
    """A trend, a 13-week season and a little noise: what Holt-Winters is built for."""
    rng = random.Random(7)
    return [
        Decimal(
            str(round(100 + week + 40 * math.sin(2 * math.pi * week / season) + rng.gauss(0, 3), 2))
        )
        for week in range(weeks)
    ]


def test_holt_winters_beats_naive_and_seasonal_naive_on_a_seasonal_series() -> None:
    result = plan(seasonal_series(), Decimal(0), StockPolicyParameters(season_weeks=13))
    assert result.model.points == result.naive.points == result.seasonal_naive.points == 8
    assert result.model.mae is not None
    assert result.naive.mae is not None
    assert result.seasonal_naive.mae is not None
    # the seasonal swing is ±40 a week; the noise σ = 3: the model is well inside naive's error
    assert result.model.mae < result.naive.mae / 2
    assert result.model.mae < result.seasonal_naive.mae
    assert result.model.mape is not None
    assert result.model.mape < Decimal("0.05")
    assert result.model_beats_naive is True
    assert result.method == "holt_winters"
    assert result.verdict == "model beats naive; using holt_winters"


def test_the_model_is_not_used_when_it_does_not_beat_naive() -> None:
    # a random walk (±20 a week): nothing to learn; on this one the backtest says so
    rng = random.Random(7)
    level, walk = 200.0, []
    for _ in range(60):
        level += rng.choice((-20.0, 20.0))
        walk.append(Decimal(str(level)))
    result = plan(walk, Decimal(0), StockPolicyParameters(season_weeks=13))
    assert result.model.mae is not None
    assert result.naive.mae is not None
    assert result.model.mae >= result.naive.mae
    assert result.model_beats_naive is False
    assert result.method != "holt_winters"
    assert result.verdict == f"model does not beat naive; using {result.method}"


def test_naive_backtest_by_hand() -> None:
    history = [10.0, 12.0, 9.0, 15.0, 15.0]
    # origins: weeks 2..4 (the last 3): forecasts 12, 9, 15 against 9, 15, 15
    naive = accuracy("naive", history, 13, 3)
    assert naive.points == 3
    assert naive.mae == Decimal("3.00")  # (3 + 6 + 0) / 3
    assert naive.mape == Decimal("0.2444")  # (3/9 + 6/15 + 0) / 3
    # seasonal naive with a 2-week season: forecasts 10, 12, 9 against 9, 15, 15
    seasonal = accuracy("seasonal_naive", history, 2, 3)
    assert seasonal.mae == Decimal("3.33")  # (1 + 3 + 6) / 3


def test_stock_policy_from_the_chosen_method_by_hand() -> None:
    # too short for the model (6 weeks are needed): naive, whose backtest over the last 3
    # weeks errs 0, +10, −10 → RMSE √(200/3) = 8.165
    weekly = [Decimal(q) for q in ("20", "20", "30", "20")]
    params = StockPolicyParameters(service_level=0.95, lead_time_weeks=4, review_weeks=2)
    result = plan(weekly, Decimal("50"), params)
    assert result.model_beats_naive is None
    assert result.method == "naive"
    assert result.verdict == "too little history to backtest the model; using naive"
    sigma = math.sqrt(200 / 3)
    z = NormalDist().inv_cdf(0.95)  # 1.6449
    safety = z * sigma * 2  # √4 weeks of lead time
    assert result.forecast_weekly == Decimal("20.00")
    assert (
        result.safety_stock
        == Decimal("26.87")
        == Decimal(str(safety)).quantize(Decimal("0.01"), rounding="ROUND_CEILING")
    )
    assert result.reorder_point == Decimal("106.87")  # 20 × 4 + 26.86…
    assert result.order_up_to == Decimal("146.87")  # 20 × (4 + 2) + 26.86…
    assert result.suggested_order_qty == Decimal("96.87")  # 146.86… − 50 on hand


def test_no_order_above_the_reorder_point() -> None:
    weekly = [Decimal(q) for q in ("20", "20", "30", "20")]
    assert plan(weekly, Decimal("500"), StockPolicyParameters()).suggested_order_qty == 0


def test_transfers_from_excess_to_the_warehouse_running_short() -> None:
    moves = transfers(
        [
            Position("WH-A", Decimal(200), Decimal(40), Decimal(80)),  # 120 excess
            Position("WH-B", Decimal(10), Decimal(40), Decimal(90)),  # short by 80
            Position("WH-C", Decimal(60), Decimal(40), Decimal(80)),  # fine: above its point
            Position("WH-D", Decimal(95), Decimal(20), Decimal(90)),  # 5 excess
        ]
    )
    assert [(m.from_warehouse, m.to_warehouse, m.qty) for m in moves] == [
        ("WH-A", "WH-B", Decimal(80))
    ]
    assert moves[0].source_excess == 120
    assert moves[0].destination_shortfall == 80


def test_a_shortfall_larger_than_one_excess_draws_on_several() -> None:
    moves = transfers(
        [
            Position("WH-A", Decimal(100), Decimal(40), Decimal(80)),  # 20 excess
            Position("WH-B", Decimal(0), Decimal(40), Decimal(100)),  # short by 100
            Position("WH-D", Decimal(100), Decimal(20), Decimal(90)),  # 10 excess
        ]
    )
    assert [(m.from_warehouse, m.to_warehouse, m.qty) for m in moves] == [
        ("WH-A", "WH-B", Decimal(20)),
        ("WH-D", "WH-B", Decimal(10)),
    ]
