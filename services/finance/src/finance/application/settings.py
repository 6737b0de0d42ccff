"""Finance's own settings (environment, prefix ``ERP_FINANCE_``)."""

from datetime import timedelta
from decimal import Decimal
from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FinanceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERP_FINANCE_", extra="ignore")

    #: Three-way match: an invoice price within this fraction of the PO price matches (2%).
    price_tolerance: Decimal = Field(default=Decimal("0.02"), ge=0, le=1)
    #: Bank reconciliation: a line matches a payment/receipt of its amount dated this many
    #: days around its value date (bank value dates trail booking by a day or two).
    bank_match_window_days: int = Field(default=5, ge=0, le=60)


@cache
def price_tolerance() -> Decimal:
    return FinanceSettings().price_tolerance


@cache
def bank_match_window() -> timedelta:
    return timedelta(days=FinanceSettings().bank_match_window_days)
