"""POST /items, POST /items/{sku}/costing-method, POST /warehouses,
POST /stock/{sku}/{warehouse_id}/policy."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import command_context
from eventkit.http.schemas import Sku, WarehouseId
from inventory.application.commands import (
    ChangeCostingMethod,
    ChangeStockPolicy,
    RegisterItem,
    RegisterWarehouse,
)
from inventory.application.costing import change_costing_method
from inventory.application.master_data import register_item, register_warehouse
from inventory.application.stock_policies import change_stock_policy
from inventory.domain.item import StockPolicy
from inventory.domain.lot_policy import LotPolicy
from inventory.domain.vocabulary import CostingMethod, NegativeStockPolicy
from inventory.entrypoints.http.commands import execute
from inventory.entrypoints.http.schemas import CostingMethodIn, ItemIn, StockPolicyIn, WarehouseIn

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
    lots = LotPolicy(body.lot_tracked, body.shelf_life_days, body.expiry_alert_days)
    command = RegisterItem(
        sku=body.sku,
        name=body.name,
        uom=body.uom,
        category=body.category,
        policy=policy,
        lots=lots,
        costing_method=CostingMethod(body.costing_method),
    )
    return await execute(request, ctx, register_item, command, body)


@router.post("/items/{sku}/costing-method", status_code=200)
async def post_costing_method(
    sku: Sku, body: CostingMethodIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """计价方法: change an item's costing method. Refused 409 `item_has_stock` while any
    warehouse holds the item; the same method again answers `changed: false`."""
    command = ChangeCostingMethod(sku=sku, costing_method=CostingMethod(body.costing_method))
    return await execute(request, ctx, change_costing_method, command, body, status_code=200)


@router.post("/warehouses", status_code=201)
async def post_warehouse(body: WarehouseIn, request: Request, ctx: Clerk) -> JSONResponse:
    command = RegisterWarehouse(
        warehouse_id=body.warehouse_id, name=body.name, locations=tuple(body.locations)
    )
    return await execute(request, ctx, register_warehouse, command, body)


@router.post("/stock/{sku}/{warehouse_id}/policy", status_code=200)
async def post_stock_policy(
    sku: Sku, warehouse_id: WarehouseId, body: StockPolicyIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """库存策略: change the reorder point / reorder qty / max stock of one sku in one warehouse
    (`StockPolicyChanged`; the same values again record nothing and answer `changed: false`).
    Available stock already under a new reorder point raises the reorder alert at once."""
    command = ChangeStockPolicy(
        sku=sku, warehouse_id=warehouse_id, changes=body.changes(), reason=body.reason
    )
    return await execute(request, ctx, change_stock_policy, command, body, status_code=200)
