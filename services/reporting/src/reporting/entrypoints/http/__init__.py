"""Reporting's HTTP surface (architecture §8)."""

from fastapi import APIRouter

from reporting.entrypoints.http.custom_reports import router as custom_reports_router
from reporting.entrypoints.http.forecasts import router as forecasts_router
from reporting.entrypoints.http.reconciliation import router as reconciliation_router
from reporting.entrypoints.http.reports import router as reports_router


def routers() -> list[APIRouter]:
    return [reports_router, custom_reports_router, reconciliation_router, forecasts_router]
