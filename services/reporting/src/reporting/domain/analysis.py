"""Pure calculations of the reports: document totals split over lines, margin rate, RFM and ABC.

No IO: the read models and the HTTP layer feed these plain values.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def split_total(total: Decimal, amounts: Sequence[Decimal]) -> list[Decimal]:
    """Split a document total (rounded once, half-up) over its lines' unrounded amounts.

    Each line is rounded to the cent; the rounding difference goes to the largest line, so the
    lines add up to the document total exactly (finance books the document total).
    """
    parts = [to_cents(a) for a in amounts]
    if parts:
        largest = max(range(len(amounts)), key=lambda i: abs(amounts[i]))
        parts[largest] += total - sum(parts, Decimal(0))
    return parts


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole to 4 places, half-up; undefined (None) when the whole is zero."""
    if whole == 0:
        return None
    return (part / whole).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def margin_rate(margin: Decimal, net: Decimal) -> Decimal | None:
    """毛利率 = margin / net revenue; undefined without revenue."""
    return rate(margin, net)


# --- RFM ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerActivity:
    customer_id: str
    #: Days since the last order (None: never ordered).
    recency_days: int | None
    frequency: int
    monetary: Decimal


@dataclass(frozen=True, slots=True)
class RfmScore:
    customer_id: str
    recency: int
    frequency: int
    monetary: int
    segment: str

    @property
    def code(self) -> str:
        return f"{self.recency}{self.frequency}{self.monetary}"


def _quintile_scores(values: Sequence[Decimal]) -> list[int]:
    """Score 1–5 by rank among the values, higher value = better: ceil(5 × share of values
    that are ≤ this one). Ties score the same; the best always scores 5."""
    n = len(values)
    return [math.ceil(5 * sum(1 for other in values if other <= v) / n) for v in values]


def segment_of(recency: int, frequency: int, monetary: int) -> str:
    if recency >= 4 and frequency >= 4 and monetary >= 4:
        return "champions"
    if recency >= 3 and frequency >= 4:
        return "loyal"
    if recency >= 4 and frequency <= 2:
        return "new"
    if recency <= 2 and frequency >= 3:
        return "at_risk"
    if recency <= 2 and frequency <= 2:
        return "hibernating"
    return "needs_attention"


def rfm_scores(customers: Sequence[CustomerActivity]) -> list[RfmScore]:
    """RFM 客户价值分层 among the customers who ordered; those who never did score 111."""
    active = [c for c in customers if c.recency_days is not None and c.frequency > 0]
    recency = _quintile_scores([Decimal(-(c.recency_days or 0)) for c in active])
    frequency = _quintile_scores([Decimal(c.frequency) for c in active])
    monetary = _quintile_scores([c.monetary for c in active])
    scored = {
        c.customer_id: RfmScore(c.customer_id, r, f, m, segment_of(r, f, m))
        for c, r, f, m in zip(active, recency, frequency, monetary, strict=True)
    }
    return [
        scored.get(c.customer_id) or RfmScore(c.customer_id, 1, 1, 1, "no_orders")
        for c in customers
    ]


# --- ABC ------------------------------------------------------------------------------------

#: Class A: the items making the first 80% of revenue; B: the next 15%; C: the rest.
A_SHARE, B_SHARE = Decimal("0.80"), Decimal("0.95")


@dataclass(frozen=True, slots=True)
class AbcClass:
    key: str
    revenue: Decimal
    share: Decimal
    cumulative_share: Decimal
    abc_class: str


def abc_classes(revenues: Sequence[tuple[str, Decimal]]) -> list[AbcClass]:
    """ABC analysis by revenue, best first. An item is A while the revenue before it is under
    80% of the total (so the item crossing 80% is still A), B under 95%, else C."""
    ranked = sorted(revenues, key=lambda kv: (-kv[1], kv[0]))
    total = sum((max(r, Decimal(0)) for _, r in ranked), Decimal(0))
    result: list[AbcClass] = []
    before = Decimal(0)
    for key, revenue in ranked:
        share = max(revenue, Decimal(0)) / total if total > 0 else Decimal(0)
        if revenue <= 0 or total <= 0:
            klass = "C"
        else:
            klass = "A" if before < A_SHARE else "B" if before < B_SHARE else "C"
        before += share
        result.append(
            AbcClass(
                key,
                revenue,
                share.quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
                before.quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
                klass,
            )
        )
    return result


# --- forecast -------------------------------------------------------------------------------

QTY_PLACES = Decimal("0.01")
COVER_PLACES = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class DemandForecast:
    forecast_qty: Decimal
    #: Months of demand the stock on hand covers (None: no demand expected).
    cover_months: Decimal | None


def forecast_demand(monthly_qty: Sequence[Decimal], on_hand: Decimal) -> DemandForecast:
    """Next month's demand = the simple moving average of the months given (returns netted,
    a month without sales counts as 0); stock cover = on hand / that demand."""
    if not monthly_qty:
        return DemandForecast(Decimal("0.00"), None)
    average = sum(monthly_qty, Decimal(0)) / len(monthly_qty)
    demand = max(average, Decimal(0))
    cover = (on_hand / demand).quantize(COVER_PLACES, rounding=ROUND_HALF_UP) if demand else None
    return DemandForecast(demand.quantize(QTY_PLACES, rounding=ROUND_HALF_UP), cover)


# --- XYZ ------------------------------------------------------------------------------------

#: Default thresholds of the coefficient of variation of weekly demand: X up to 0.5 (steady),
#: Y up to 1.0 (variable), Z above (erratic, or no demand).
X_MAX_CV, Y_MAX_CV = Decimal("0.5"), Decimal("1.0")


@dataclass(frozen=True, slots=True)
class XyzClass:
    weeks: int
    mean: Decimal
    #: Population standard deviation of weekly demand.
    stdev: Decimal
    #: stdev / mean (None without positive mean demand).
    cv: Decimal | None
    xyz_class: str


def xyz_class(
    weekly: Sequence[Decimal], x_max: Decimal = X_MAX_CV, y_max: Decimal = Y_MAX_CV
) -> XyzClass:
    """XYZ by demand variability: CV = σ / μ of weekly net demand (population σ, weeks without
    a sale count as 0). X: CV ≤ x_max, Y: CV ≤ y_max, else Z; no positive mean demand is Z."""
    n = len(weekly)
    if n == 0:
        return XyzClass(0, Decimal("0.00"), Decimal("0.00"), None, "Z")
    mean = sum(weekly, Decimal(0)) / n
    stdev = (sum(((q - mean) ** 2 for q in weekly), Decimal(0)) / n).sqrt()
    cv = (stdev / mean).quantize(RATE_PLACES, rounding=ROUND_HALF_UP) if mean > 0 else None
    klass = "Z" if cv is None else "X" if cv <= x_max else "Y" if cv <= y_max else "Z"
    return XyzClass(n, to_cents(mean), to_cents(stdev), cv, klass)


# --- cash forecast --------------------------------------------------------------------------

#: 30/60/90-day buckets by days until the due date: (name, first day, last day). Items already
#: due (due today or overdue) are expected now; the first bucket says how much that is.
CASH_BUCKETS = (
    ("due_now", None, 0),
    ("days_1_30", 1, 30),
    ("days_31_60", 31, 60),
    ("days_61_90", 61, 90),
    ("after_90", 91, None),
)


def cash_forecast(
    receivables: Sequence[tuple[Decimal, int]], payables: Sequence[tuple[Decimal, int]]
) -> list[dict[str, object]]:
    """30/60/90-day cash forecast from open items (open amount, days until due): per bucket the
    receivables and payables falling due, the net and the cumulative net."""

    def bucket_of(days: int) -> str:
        for name, first, last in CASH_BUCKETS:
            if (first is None or days >= first) and (last is None or days <= last):
                return name
        raise AssertionError(days)  # pragma: no cover - the buckets cover every integer

    sums = {name: [Decimal("0.00"), Decimal("0.00")] for name, _, _ in CASH_BUCKETS}
    for side, items in enumerate((receivables, payables)):
        for amount, days in items:
            sums[bucket_of(days)][side] += amount
    rows: list[dict[str, object]] = []
    cumulative = Decimal("0.00")
    for name, _, _ in CASH_BUCKETS:
        incoming, outgoing = sums[name]
        cumulative += incoming - outgoing
        rows.append(
            {
                "bucket": name,
                "receivables_due": incoming,
                "payables_due": outgoing,
                "net": incoming - outgoing,
                "cumulative_net": cumulative,
            }
        )
    return rows
