"""The purchasing HTTP API (architecture §8)."""

from fastapi import APIRouter

from purchasing.entrypoints.http.imports import router as imports_router
from purchasing.entrypoints.http.purchase_orders import router as purchase_orders_router
from purchasing.entrypoints.http.requisitions import router as requisitions_router
from purchasing.entrypoints.http.suppliers import router as suppliers_router


def routers() -> list[APIRouter]:
    return [suppliers_router, purchase_orders_router, requisitions_router, imports_router]
