"""Finance's own settings (environment, prefix ``ERP_FINANCE_``)."""

from decimal import Decimal
from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FinanceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERP_FINANCE_", extra="ignore")

    #: Three-way match: an invoice price within this fraction of the PO price matches (2%).
    price_tolerance: Decimal = Field(default=Decimal("0.02"), ge=0, le=1)


@cache
def price_tolerance() -> Decimal:
    return FinanceSettings().price_tolerance
