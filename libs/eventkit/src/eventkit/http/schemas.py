"""Building blocks of every service's HTTP request bodies (the edge: shape, types and signs are
checked here, so bad input is a 422 with field paths before any business code runs)."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

#: A name a person reads (item, supplier, customer, warehouse).
Name = Annotated[str, Field(min_length=1, max_length=200)]
#: A client-chosen code (supplier_id, customer_id).
Code = Annotated[str, Field(min_length=1, max_length=64)]
#: A number of days (payment terms, lead times).
Days = Annotated[int, Field(ge=0, le=3650)]
#: A money amount ≥ 0 with at most 2 decimal places (credit limits, payments).
Amount = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=2)]


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def require_unique_skus(lines: list[BaseModel]) -> None:
    """One line per sku in a document: raises ValueError (→ 422) otherwise."""
    skus = [getattr(line, "sku", None) for line in lines]
    if len(set(skus)) != len(skus):
        raise ValueError("each sku may appear on one line only")
