"""Suppliers (供应商), stream ``supplier-{supplier_id}``: terms, lead time, default VAT rate and
the price list per sku."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from purchasing.domain.aggregate import Aggregate
from purchasing.domain.errors import AlreadyExists, InvalidQuantity, InvalidState
from purchasing.domain.events import DomainEvent, SupplierPriceSet, SupplierRegistered
from purchasing.domain.money import DEFAULT_TAX_RATE, positive_price, utc, valid_tax_rate


def supplier_stream_id(supplier_id: str) -> str:
    return f"supplier-{supplier_id}"


class Supplier(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.supplier_id = ""
        self.name = ""
        self.payment_terms_days = 0
        self.lead_time_days = 0
        self.tax_rate = DEFAULT_TAX_RATE
        self.prices: dict[str, Decimal] = {}
        self.registered = False

    def register(
        self,
        supplier_id: str,
        name: str,
        *,
        payment_terms_days: int,
        lead_time_days: int,
        tax_rate: Decimal = DEFAULT_TAX_RATE,
        occurred_at: datetime,
    ) -> None:
        if self.registered:
            raise AlreadyExists(f"supplier {supplier_id} is already registered")
        if not supplier_id.strip() or not name.strip():
            raise InvalidState("supplier_id and name must not be blank")
        if payment_terms_days < 0 or lead_time_days < 0:
            raise InvalidQuantity("payment terms and lead time are days ≥ 0")
        self._record(
            SupplierRegistered(
                occurred_at=utc(occurred_at),
                supplier_id=supplier_id,
                name=name,
                payment_terms_days=payment_terms_days,
                lead_time_days=lead_time_days,
                tax_rate=valid_tax_rate(tax_rate),
            )
        )

    def set_prices(self, prices: Mapping[str, Decimal], *, occurred_at: datetime) -> int:
        """Record each changed price-list entry; an unchanged price records nothing."""
        self._require_registered()
        changed = 0
        for sku, price in prices.items():
            checked = positive_price(price, sku)
            if self.prices.get(sku) == checked:
                continue
            self._record(
                SupplierPriceSet(
                    occurred_at=utc(occurred_at),
                    supplier_id=self.supplier_id,
                    sku=sku,
                    unit_price=checked,
                )
            )
            changed += 1
        return changed

    def price_of(self, sku: str) -> Decimal | None:
        return self.prices.get(sku)

    def _require_registered(self) -> None:
        if not self.registered:
            raise InvalidState("supplier is not registered")

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case SupplierRegistered():
                self.supplier_id, self.name = event.supplier_id, event.name
                self.payment_terms_days = event.payment_terms_days
                self.lead_time_days = event.lead_time_days
                self.tax_rate = event.tax_rate
                self.registered = True
            case SupplierPriceSet():
                self.prices[event.sku] = event.unit_price
            case _:
                raise self._cannot_apply(event)
