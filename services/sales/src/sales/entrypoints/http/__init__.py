"""The sales HTTP API (architecture §8)."""

from fastapi import APIRouter

from sales.entrypoints.http.customers import router as customers_router
from sales.entrypoints.http.imports import router as imports_router
from sales.entrypoints.http.orders import router as orders_router


def routers() -> list[APIRouter]:
    return [customers_router, orders_router, imports_router]
