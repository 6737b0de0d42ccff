"""Purchasing's own settings (environment, prefix ``ERP_PURCHASING_``)."""

from decimal import Decimal
from functools import cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from purchasing.domain.approval import DEFAULT_APPROVAL_THRESHOLD, ApprovalRule


class PurchasingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ERP_PURCHASING_", extra="ignore")

    #: Orders whose total incl. VAT is above this (CNY) wait for an approver.
    approval_threshold: Decimal = DEFAULT_APPROVAL_THRESHOLD
    #: Unattended replenishment: a requisition raised from a reorder alert or a backorder is
    #: ordered at once from the suggested supplier. False: it waits, open, for a purchaser to
    #: choose supplier, qty and price (the console's 采购 screen) — for a business that wants
    #: a person to decide every order.
    auto_order_requisitions: bool = True


@cache
def auto_order_requisitions() -> bool:
    return PurchasingSettings().auto_order_requisitions


@cache
def approval_rule() -> ApprovalRule:
    return ApprovalRule(PurchasingSettings().approval_threshold)
