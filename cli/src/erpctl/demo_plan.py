"""The demo's history as a pure, deterministic plan: who buys what in which week, which orders
carry it, and which purchase receipts keep the shelves stocked. Same anchor → same plan, so
every request body (and its Idempotency-Key) is the same when the stack starts again."""

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

#: Weeks of history the demo writes by default: enough for the weekly forecast's backtest.
DEFAULT_WEEKS = 26
#: Weeks one sales order covers; it is shipped in weekly partial shipments.
ORDER_WEEKS = 6
#: A purchase receipt arrives in these weeks (the opening balance covers the first ones).
RECEIPT_EVERY = 6
SEED = 20240611


@dataclass(frozen=True)
class Customer:
    customer_id: str
    name: str
    credit_limit: str
    terms_days: int
    warehouse_id: str
    #: sku → base weekly qty
    basket: dict[str, int]
    #: ships every `cadence` weeks (a small shop orders less often)
    cadence: int = 1


# Selling prices (the customers' price list); costs are in demo.ITEMS.
PRICES = {
    "TEA-LJ-250": "98.00",
    "TEA-PE-357": "218.00",
    "TEA-TGY-100": "68.00",
    "CUP-GW-6": "380.00",
    "POT-YX-200": "880.00",
    "FLT-SS": "15.00",
}
CUSTOMERS = (
    Customer("C-LAOSHE", "老舍茶馆 Laoshe teahouse", "150000", 30, "WH-SH",
             {"TEA-LJ-250": 6, "TEA-TGY-100": 10, "FLT-SS": 8, "TEA-PE-357": 2}),
    Customer("C-PEACE", "和平饭店 Peace Hotel", "120000", 45, "WH-SH",
             {"TEA-LJ-250": 4, "TEA-TGY-100": 6, "CUP-GW-6": 1}),
    Customer("C-TMALL", "天猫旗舰店 Tmall shop", "200000", 15, "WH-SH",
             {"TEA-LJ-250": 8, "TEA-TGY-100": 12, "FLT-SS": 15, "TEA-PE-357": 2}),
    Customer("C-LUYU", "陆羽礼品 Luyu gifts", "200000", 30, "WH-SH",
             {"POT-YX-200": 2, "CUP-GW-6": 2, "TEA-LJ-250": 6}, cadence=2),
    Customer("C-CAFE", "南京西路茶室 Nanjing Rd café", "30000", 30, "WH-SH",
             {"TEA-TGY-100": 6, "FLT-SS": 8}, cadence=2),
    Customer("C-BJCLUB", "北京茶友会 Beijing tea club", "60000", 30, "WH-BJ",
             {"TEA-PE-357": 3}),
)  # fmt: skip


@dataclass(frozen=True)
class Shipment:
    week: int
    at: datetime
    lines: dict[str, int]


@dataclass(frozen=True)
class Order:
    key: str
    customer: Customer
    shipments: tuple[Shipment, ...]

    @property
    def lines(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for shipment in self.shipments:
            for sku, qty in shipment.lines.items():
                total[sku] = total.get(sku, 0) + qty
        return total


@dataclass(frozen=True)
class Calendar:
    anchor: date
    weeks: int

    @property
    def start(self) -> date:
        """Monday of the first history week: `weeks` complete weeks before the anchor's."""
        return self.anchor - timedelta(days=self.anchor.weekday(), weeks=self.weeks)

    def at(self, week: int, day: int = 0, hour: int = 10) -> datetime:
        moment = datetime.combine(self.start + timedelta(weeks=week, days=day), time(hour))
        return moment.replace(tzinfo=UTC)


def weekly_demand(customer: Customer, weeks: int) -> list[dict[str, int]]:
    """Base × slow growth × a 13-week season × noise, rounded; seeded per customer."""
    rng = random.Random(f"{SEED}-{customer.customer_id}")  # noqa: S311 - demo data, not crypto
    demand = []
    for week in range(weeks):
        season = 1 + 0.35 * math.sin(2 * math.pi * week / 13)
        trend = 1 + 0.015 * week
        lines = {}
        for sku, base in customer.basket.items():
            qty = round(base * season * trend * rng.uniform(0.6, 1.4))
            if qty > 0 and week % customer.cadence == 0:
                lines[sku] = qty * customer.cadence
        demand.append(lines)
    return demand


def sales_orders(calendar: Calendar) -> list[Order]:
    """One order per customer per `ORDER_WEEKS`, shipped week by week in the past."""
    orders = []
    for index, customer in enumerate(CUSTOMERS):
        demand = weekly_demand(customer, calendar.weeks)
        for first in range(0, calendar.weeks, ORDER_WEEKS):
            shipments = tuple(
                Shipment(week, calendar.at(week, day=1 + index % 4, hour=10), demand[week])
                for week in range(first, min(first + ORDER_WEEKS, calendar.weeks))
                if demand[week]
            )
            if shipments:
                orders.append(Order(f"{customer.customer_id}-w{first:02d}", customer, shipments))
    return orders


def shipped_per_week(orders: list[Order], warehouse_id: str) -> dict[str, list[int]]:
    """sku → qty shipped from the warehouse in each history week."""
    weeks = 1 + max(s.week for o in orders for s in o.shipments)
    shipped: dict[str, list[int]] = {}
    for order in orders:
        if order.customer.warehouse_id != warehouse_id:
            continue
        for shipment in order.shipments:
            for sku, qty in shipment.lines.items():
                shipped.setdefault(sku, [0] * weeks)[shipment.week] += qty
    return shipped


@dataclass(frozen=True)
class StockIn:
    """The opening balance (before week 0) and the receipts (sku → qty per receipt week) that
    keep every sku's stock at or above zero at every business time."""

    opening: dict[str, int]
    receipts: dict[int, dict[str, int]]


def stock_in(shipped: dict[str, list[int]]) -> StockIn:
    """Each delivery covers exactly the next `RECEIPT_EVERY` weeks: the shelves are empty just
    before it arrives, and the history leaves no stock behind (today's opening balance of
    `erpctl.demo` is what the shop holds now)."""
    opening: dict[str, int] = {}
    receipts: dict[int, dict[str, int]] = {}
    for sku, weekly in shipped.items():
        for first in range(0, len(weekly), RECEIPT_EVERY):
            need = sum(weekly[first : first + RECEIPT_EVERY])
            qty = need
            if qty == 0:
                continue
            if first == 0:
                opening[sku] = qty
            else:
                receipts.setdefault(first, {})[sku] = qty
    return StockIn(opening, receipts)
