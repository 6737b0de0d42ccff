"""Field types shared by public events: money and quantities as decimals (strings on the wire)."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

#: A quantity that must be > 0 (6 decimal places at most).
PositiveQty = Annotated[Decimal, Field(gt=0, max_digits=24, decimal_places=6)]
#: A quantity that may be 0 (e.g. rejected qty) but never negative.
NonNegativeQty = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=6)]
#: A signed quantity (adjustments, variances).
SignedQty = Annotated[Decimal, Field(max_digits=24, decimal_places=6)]
#: A unit price or unit cost, ≥ 0, 6 decimal places.
UnitAmount = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=6)]
#: A money amount (2 decimal places, half-up at document totals), may be signed.
Money = Annotated[Decimal, Field(max_digits=24, decimal_places=2)]
#: A VAT rate as a fraction (0.13 = 13%).
TaxRate = Annotated[Decimal, Field(ge=0, le=1, max_digits=7, decimal_places=4)]
#: Client-chosen master-data codes.
Sku = Annotated[str, Field(min_length=1, max_length=64)]
WarehouseId = Annotated[str, Field(min_length=1, max_length=64)]
