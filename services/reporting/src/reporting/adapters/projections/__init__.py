"""Reporting's read models: store-fed projections over its copies of public events."""

from eventkit.projections import Projection
from reporting.adapters.projections.aging import AgingProjection
from reporting.adapters.projections.cash import CashProjection
from reporting.adapters.projections.custom_reports import CustomReportsProjection
from reporting.adapters.projections.customers import CustomersProjection
from reporting.adapters.projections.deliveries import DeliveriesProjection
from reporting.adapters.projections.purchases import PurchasesProjection
from reporting.adapters.projections.sales import SalesProjection
from reporting.adapters.projections.stock import StockProjection

PROJECTIONS: tuple[Projection, ...] = (
    SalesProjection(),
    PurchasesProjection(),
    StockProjection(),
    CustomersProjection(),
    CashProjection(),
    AgingProjection(),
    CustomReportsProjection(),
    DeliveriesProjection(),
)
