"""销售预测 and 库存优化: weekly demand forecast with a rolling-origin backtest, and the stock
policy (safety stock, reorder point, order quantity) and transfers suggested from it.

Pure: weekly quantities in, suggestions out. The model is statsmodels' Holt-Winters
(`ExponentialSmoothing`: additive damped trend, additive seasonality when there are two full
seasons of history, trend only otherwise). It is judged against two baselines over the same
rolling origins — naive (next week = this week) and seasonal naive (= the same week a season
ago) — and the method with the lowest backtest MAE is the one the suggestions use, so a model
that does not beat naive is said so and not used. Floats live only inside the model; what
leaves this module is `Decimal`.
"""

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist
from typing import Any

QTY = Decimal("0.01")
RATE = Decimal("0.0001")

Forecaster = Callable[[Sequence[float], int], float | None]


def naive(history: Sequence[float], season: int) -> float | None:  # noqa: ARG001
    """Next week = the last week."""
    return history[-1] if history else None


def seasonal_naive(history: Sequence[float], season: int) -> float | None:
    """Next week = the same week one season ago (None without a full season)."""
    return history[-season] if len(history) >= season else None


#: Fewest weeks the model is fitted on (fewer: no model forecast).
MIN_MODEL_WEEKS = 6


def _model(history: Sequence[float], season: int, fixed: Any = None) -> Any:
    """statsmodels' ExponentialSmoothing on `history`, fitted (or, given `fixed` parameters of
    an earlier fit on the same start, only filtered with them). None if it cannot be fitted."""
    import numpy as np
    from statsmodels.tsa.holtwinters import (  # type: ignore[import-untyped]
        ExponentialSmoothing,
    )

    if len(history) < MIN_MODEL_WEEKS:
        return None
    # a fixed model keeps the shape it was calibrated with
    seasonal = season >= 2 and len(fixed["calibrated_on"] if fixed else history) >= 2 * season
    shape: dict[str, Any] = {
        "trend": "add",
        "damped_trend": True,
        "seasonal": "add" if seasonal else None,
        "seasonal_periods": season if seasonal else None,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short or flat series
        try:
            if fixed is None:
                return ExponentialSmoothing(
                    list(history), initialization_method="estimated", **shape
                ).fit()
            known = {
                "initial_level": fixed["initial_level"],
                "initial_trend": fixed["initial_trend"],
            }
            smoothing = {
                "smoothing_level": fixed["smoothing_level"],
                "smoothing_trend": fixed["smoothing_trend"],
                "damping_trend": fixed["damping_trend"],
            }
            if seasonal:
                known["initial_seasonal"] = fixed["initial_seasons"]
                smoothing["smoothing_seasonal"] = fixed["smoothing_seasonal"]
            model = ExponentialSmoothing(
                list(history), initialization_method="known", **known, **shape
            )
            return model.fit(optimized=False, **smoothing)
        except (ValueError, ArithmeticError, np.linalg.LinAlgError):
            return None


def _next(fitted: Any) -> float | None:
    if fitted is None:
        return None
    value = float(fitted.forecast(1)[0])
    return value if math.isfinite(value) else None


def holt_winters(history: Sequence[float], season: int) -> float | None:
    """One step ahead from statsmodels' Holt-Winters (None: too little history or no fit)."""
    return _next(_model(history, season))


def _holt_winters_backtest(
    history: Sequence[float], season: int, first: int
) -> list[tuple[float | None, float]]:
    """The model's parameters are estimated once, on the weeks before the first origin only;
    each later origin filters the weeks up to it with those parameters (no refit: the
    parameters never see the weeks they are judged on, and it is one fit, not one per week)."""
    calibrated = _model(history[:first], season)
    if calibrated is None:
        return [(None, history[o]) for o in range(first, len(history))]
    fixed = {**calibrated.params, "calibrated_on": history[:first]}
    return [
        (_next(_model(history[:o], season, fixed)), history[o]) for o in range(first, len(history))
    ]


METHODS: dict[str, Forecaster] = {
    "holt_winters": holt_winters,
    "naive": naive,
    "seasonal_naive": seasonal_naive,
}


@dataclass(frozen=True, slots=True)
class Accuracy:
    method: str
    #: Backtest origins at which the method could forecast.
    points: int
    mae: Decimal | None
    #: Mean of |error| / actual over the weeks with demand (a fraction; None without any).
    mape: Decimal | None
    #: Root mean squared error: the forecast error's spread, for the safety stock.
    rmse: float | None


def accuracy(method: str, history: Sequence[float], season: int, origins: int) -> Accuracy:
    """Rolling-origin backtest: each of the last `origins` weeks is forecast from the weeks
    before it only and compared with what was sold (negative forecasts count as 0)."""
    first = max(1, len(history) - origins)
    if method == "holt_winters":
        pairs = _holt_winters_backtest(history, season, first)
    else:
        forecaster = METHODS[method]
        pairs = [(forecaster(history[:o], season), history[o]) for o in range(first, len(history))]
    errors: list[float] = []
    percentages: list[float] = []
    for predicted, actual in pairs:
        if predicted is None:
            continue
        error = actual - max(predicted, 0.0)
        errors.append(error)
        if actual != 0:
            percentages.append(abs(error) / abs(actual))
    if not errors:
        return Accuracy(method, 0, None, None, None)
    mae = sum(abs(e) for e in errors) / len(errors)
    mape = sum(percentages) / len(percentages) if percentages else None
    rmse = math.sqrt(sum(e * e for e in errors) / len(errors))
    return Accuracy(method, len(errors), _dec(mae, QTY), _dec(mape, RATE), rmse)


@dataclass(frozen=True, slots=True)
class StockPolicyParameters:
    #: Probability of not running out during a replenishment lead time (cycle service level).
    service_level: float = 0.95
    lead_time_weeks: int = 2
    #: Weeks between orders: an order brings the stock up to lead time + review weeks of demand.
    review_weeks: int = 4
    season_weeks: int = 52
    backtest_weeks: int = 8

    @property
    def z(self) -> float:
        """The standard normal quantile of the service level (1.645 at 95%)."""
        return NormalDist().inv_cdf(self.service_level)


@dataclass(frozen=True, slots=True)
class DemandPlan:
    weeks: int
    average_weekly: Decimal
    model: Accuracy
    naive: Accuracy
    seasonal_naive: Accuracy
    #: The method with the lowest backtest MAE (ties: the simpler); what the plan uses.
    method: str
    forecast_weekly: Decimal
    model_beats_naive: bool | None
    verdict: str
    on_hand: Decimal
    safety_stock: Decimal
    reorder_point: Decimal
    order_up_to: Decimal
    suggested_order_qty: Decimal


def plan(weekly: Sequence[Decimal], on_hand: Decimal, params: StockPolicyParameters) -> DemandPlan:
    """Forecast, backtest and the stock policy for one sku × warehouse.

    safety stock = z × σ × √L (σ: the chosen method's backtest RMSE per week; without a
    backtest, the standard deviation of weekly demand); reorder point = forecast × L + safety
    stock; order up to = forecast × (L + review) + safety stock; suggested order = order up to
    − on hand when on hand is at or below the reorder point, else 0.
    """
    history = [float(q) for q in weekly]
    season = params.season_weeks
    results = {
        m: accuracy(m, history, season, params.backtest_weeks)
        for m in ("holt_winters", "naive", "seasonal_naive")
    }
    model, base = results["holt_winters"], results["naive"]
    ranked = sorted(
        (a for a in results.values() if a.mae is not None),
        key=lambda a: (a.mae, ("naive", "seasonal_naive", "holt_winters").index(a.method)),
    )
    method = ranked[0].method if ranked else "naive"
    beats: bool | None = None
    if model.mae is not None and base.mae is not None:
        beats = model.mae < base.mae
    verdict = _verdict(beats, method)
    predicted = METHODS[method](history, season)
    forecast = max(predicted or 0.0, 0.0)
    chosen = results[method]
    sigma = chosen.rmse if chosen.rmse is not None else _stdev(history)
    lead, review = params.lead_time_weeks, params.review_weeks
    safety = max(params.z, 0.0) * sigma * math.sqrt(lead)
    reorder = forecast * lead + safety
    up_to = forecast * (lead + review) + safety
    stock = float(on_hand)
    order = max(up_to - stock, 0.0) if stock <= reorder and up_to > 0 else 0.0
    average = sum(history) / len(history) if history else 0.0
    return DemandPlan(
        weeks=len(history),
        average_weekly=_dec(average, QTY) or Decimal("0.00"),
        model=model,
        naive=base,
        seasonal_naive=results["seasonal_naive"],
        method=method,
        forecast_weekly=_dec(forecast, QTY) or Decimal("0.00"),
        model_beats_naive=beats,
        verdict=verdict,
        on_hand=on_hand,
        safety_stock=_ceil(safety),
        reorder_point=_ceil(reorder),
        order_up_to=_ceil(up_to),
        suggested_order_qty=_ceil(order),
    )


def _verdict(beats: bool | None, method: str) -> str:
    if beats is None:
        return f"too little history to backtest the model; using {method}"
    if beats:
        return f"model beats naive; using {method}"
    return f"model does not beat naive; using {method}"


def _stdev(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _dec(value: float | None, places: Decimal) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(places, rounding=ROUND_HALF_UP)


def _ceil(value: float) -> Decimal:
    """Stock levels are rounded up to the cent of a unit (never suggest a hair too little)."""
    return Decimal(repr(max(value, 0.0))).quantize(QTY, rounding="ROUND_CEILING")


# --- transfers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    warehouse_id: str
    on_hand: Decimal
    reorder_point: Decimal
    order_up_to: Decimal


@dataclass(frozen=True, slots=True)
class Transfer:
    from_warehouse: str
    to_warehouse: str
    qty: Decimal
    #: Excess at the source (on hand above its order-up-to level) before this transfer.
    source_excess: Decimal
    #: Shortfall at the destination (its order-up-to level minus on hand) before it.
    destination_shortfall: Decimal


def transfers(positions: Sequence[Position]) -> list[Transfer]:
    """调拨建议 for one sku: a warehouse at or below its reorder point (it will run short) is
    topped up towards its order-up-to level from warehouses holding more than their own
    order-up-to level (excess), the largest excess first, the largest shortfall first."""
    excess = {
        p.warehouse_id: p.on_hand - p.order_up_to for p in positions if p.on_hand > p.order_up_to
    }
    short = sorted(
        (
            (p.order_up_to - p.on_hand, p.warehouse_id)
            for p in positions
            if p.on_hand <= p.reorder_point and p.order_up_to > p.on_hand
        ),
        key=lambda t: (-t[0], t[1]),
    )
    moves: list[Transfer] = []
    for shortfall, destination in short:
        need = shortfall
        for source in sorted(excess, key=lambda w: (-excess[w], w)):
            if need <= 0:
                break
            qty = min(need, excess[source])
            if qty <= 0:
                continue
            moves.append(
                Transfer(
                    source,
                    destination,
                    qty.quantize(QTY),
                    excess[source].quantize(QTY),
                    shortfall.quantize(QTY),
                )
            )
            excess[source] -= qty
            need -= qty
    return moves
