"""POST /items, POST /warehouses."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import command_context
from inventory.application.commands import RegisterItem, RegisterWarehouse
from inventory.application.master_data import register_item, register_warehouse
from inventory.domain.item import StockPolicy
from inventory.domain.vocabulary import NegativeStockPolicy
from inventory.entrypoints.http.commands import execute
from inventory.entrypoints.http.schemas import ItemIn, WarehouseIn

router = APIRouter(tags=["master data"])
Clerk = Annotated[CommandContext, Depends(command_context("inventory"))]


@router.post("/items", status_code=201)
async def post_item(body: ItemIn, request: Request, ctx: Clerk) -> JSONResponse:
    policy = StockPolicy(
        negative_stock=NegativeStockPolicy(body.negative_stock),
        reorder_point=body.reorder_point,
        reorder_qty=body.reorder_qty,
        max_stock=body.max_stock,
    )
    command = RegisterItem(
        sku=body.sku, name=body.name, uom=body.uom, category=body.category, policy=policy
    )
    return await execute(request, ctx, register_item, command, body)


@router.post("/warehouses", status_code=201)
async def post_warehouse(body: WarehouseIn, request: Request, ctx: Clerk) -> JSONResponse:
    command = RegisterWarehouse(
        warehouse_id=body.warehouse_id, name=body.name, locations=tuple(body.locations)
    )
    return await execute(request, ctx, register_warehouse, command, body)
