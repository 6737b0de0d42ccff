"""Purchasing's own settings (environment, prefix ``ERP_PURCHASING_``)."""

from decimal import Decimal
from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from purchasing.domain.approval import DEFAULT_APPROVAL_THRESHOLD, ApprovalRule


class PurchasingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERP_PURCHASING_", extra="ignore")

    #: Orders whose total incl. VAT is above this (CNY) wait for an approver.
    approval_threshold: Decimal = DEFAULT_APPROVAL_THRESHOLD


@cache
def approval_rule() -> ApprovalRule:
    return ApprovalRule(PurchasingSettings().approval_threshold)
