"""Choosing the supplier a requisition suggests: a transparent weighted scorecard.

For every supplier whose price list offers the sku, four factors, each scaled to 0…1 so that
1 is the best possible:

- price     = lowest price among the offers / this supplier's price          (weight 0.50)
- on time   = on-time deliveries / measured deliveries                       (weight 0.20)
- quality   = 1 − rejected qty / (accepted + rejected qty)                   (weight 0.20)
- lead time = (shortest lead time + 1) / (this lead time + 1), in days       (weight 0.10)

score = 0.5·price + 0.2·on time + 0.2·quality + 0.1·lead time (4 decimals). The lead time is
the measured average when the supplier has deliveries, else the declared one. A supplier
without delivery history gets the benefit of the doubt (on time 1, quality 1) — a new supplier
must be able to win on price. Ties go to the lower price, then the supplier id. The reason
names the winner's figures so a clerk can check the choice by hand.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEIGHT_PRICE = Decimal("0.50")
WEIGHT_ON_TIME = Decimal("0.20")
WEIGHT_QUALITY = Decimal("0.20")
WEIGHT_LEAD_TIME = Decimal("0.10")
SCORE_STEP = Decimal("0.0001")
ONE = Decimal(1)
NO_SUPPLIER_REASON = "no supplier offers SKU"


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierOffer:
    """What the scorecard knows about one supplier offering the sku."""

    supplier_id: str
    unit_price: Decimal
    lead_time_days: int
    deliveries: int = 0
    on_time_rate: Decimal | None = None
    reject_rate: Decimal | None = None
    avg_lead_time_days: Decimal | None = None

    @property
    def has_history(self) -> bool:
        return self.deliveries > 0

    @property
    def effective_lead_time(self) -> Decimal:
        if self.has_history and self.avg_lead_time_days is not None:
            return self.avg_lead_time_days
        return Decimal(self.lead_time_days)


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierChoice:
    supplier_id: str | None
    unit_price: Decimal | None
    lead_time_days: int
    score: Decimal | None
    reason: str


def score_offer(offer: SupplierOffer, lowest_price: Decimal, shortest_lead: Decimal) -> Decimal:
    price = lowest_price / offer.unit_price
    on_time = offer.on_time_rate if offer.has_history and offer.on_time_rate is not None else ONE
    quality = ONE - (offer.reject_rate if offer.has_history and offer.reject_rate else 0)
    lead = (shortest_lead + 1) / (offer.effective_lead_time + 1)
    score = (
        WEIGHT_PRICE * price
        + WEIGHT_ON_TIME * on_time
        + WEIGHT_QUALITY * quality
        + WEIGHT_LEAD_TIME * lead
    )
    return score.quantize(SCORE_STEP, rounding=ROUND_HALF_UP)


def choose_supplier(offers: list[SupplierOffer]) -> SupplierChoice:
    if not offers:
        return SupplierChoice(
            supplier_id=None,
            unit_price=None,
            lead_time_days=0,
            score=None,
            reason=NO_SUPPLIER_REASON,
        )
    lowest = min(offer.unit_price for offer in offers)
    shortest = min(offer.effective_lead_time for offer in offers)
    scored = sorted(
        ((score_offer(o, lowest, shortest), o) for o in offers),
        key=lambda pair: (-pair[0], pair[1].unit_price, pair[1].supplier_id),
    )
    score, best = scored[0]
    return SupplierChoice(
        supplier_id=best.supplier_id,
        unit_price=best.unit_price,
        lead_time_days=best.lead_time_days,
        score=score,
        reason=_reason(best, score, lowest, len(offers)),
    )


def _reason(best: SupplierOffer, score: Decimal, lowest: Decimal, count: int) -> str:
    among = f"among {count} supplier{'s' if count != 1 else ''}"
    price = (
        f"lowest price {_money(best.unit_price)} {among}"
        if best.unit_price == lowest
        else f"price {_money(best.unit_price)} (lowest {_money(lowest)} {among})"
    )
    if best.has_history:
        history = (
            f"on-time {_percent(best.on_time_rate)}; reject {_percent(best.reject_rate)}; "
            f"lead time {_days(best.effective_lead_time)} days"
        )
    else:
        history = f"no delivery history; lead time {best.lead_time_days} days"
    return f"{price}; {history}; score {score}"


def _money(amount: Decimal) -> str:
    cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{cents}" if cents == amount else f"{amount.normalize():f}"


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return "n/a"
    value = (rate * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
    return f"{value:f}%"


def _days(days: Decimal) -> str:
    return f"{days.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}"
