"""库位 and 批次 over HTTP: locations, fixed locations, putaway suggestion, bin moves, lots,
the expiry sweep and stock per location (docs/inventory.md, "Locations and lots")."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import uuid4

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import BusinessDate, PositiveQty, QueryText, Sku, WarehouseId
from inventory.adapters.projections import storage_queries as storage
from inventory.application import commands as c
from inventory.application.storage import (
    add_location,
    assign_fixed_location,
    move_between_bins,
    sweep_expiring_lots,
)
from inventory.domain.putaway import suggest_putaway
from inventory.entrypoints.http.commands import execute, runtime_of
from inventory.entrypoints.http.storage_schemas import (
    BinMoveIn,
    ExpirySweepIn,
    FixedLocationIn,
    LocationIn,
)

router = APIRouter(tags=["locations and lots"])
Clerk = Annotated[CommandContext, Depends(command_context("inventory"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Paged = Annotated[Page, Depends(page)]


@router.post("/warehouses/{warehouse_id}/locations", status_code=201)
async def post_location(
    warehouse_id: WarehouseId, body: LocationIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """Add a 库位 (`already_exists` when the code is taken); capacity bounds putaway."""
    command = c.AddLocation(
        warehouse_id=warehouse_id,
        code=body.code,
        name=body.name or body.code,
        capacity=body.capacity,
    )
    return await execute(request, ctx, add_location, command, body)


@router.get("/warehouses/{warehouse_id}/locations")
async def get_warehouse_locations(
    warehouse_id: WarehouseId, request: Request, _: Viewer, paged: Paged
) -> list[dict[str, Any]]:
    return await get_locations(request, _, paged, warehouse_id)


@router.get("/locations")
async def get_locations(
    request: Request, _: Viewer, paged: Paged, warehouse_id: QueryText | None = None
) -> list[dict[str, Any]]:
    """`[{warehouse_id, code, name, capacity, position, on_hand, added_at}]` in each
    warehouse's location order; `q` searches code and name."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await storage.list_locations(conn, paged, warehouse_id)
    return [jsonable(row) for row in rows]


@router.put("/items/{sku}/fixed-locations/{warehouse_id}", status_code=200)
async def put_fixed_location(
    sku: Sku, warehouse_id: WarehouseId, body: FixedLocationIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """固定库位 of an item in a warehouse (`location: null` clears it)."""
    command = c.AssignFixedLocation(sku=sku, warehouse_id=warehouse_id, location=body.location)
    return await execute(request, ctx, assign_fixed_location, command, body, status_code=200)


@router.get("/putaway-suggestion")
async def get_putaway_suggestion(
    request: Request, _: Viewer, sku: Sku, warehouse_id: WarehouseId, qty: PositiveQty
) -> dict[str, Any]:
    """存放建议: `{location, rule}` (fixed_location, holds_sku, empty_location), or
    `{location: null}` when no location fits (the unnamed default location is used)."""
    async with runtime_of(request).engine.connect() as conn:
        suggestion = suggest_putaway(
            qty,
            locations=await storage.location_capacities(conn, warehouse_id),
            occupied=await storage.occupancy(conn, warehouse_id),
            holding_sku=await storage.locations_holding(conn, sku, warehouse_id),
            fixed_location=await storage.fixed_location(conn, sku, warehouse_id),
        )
    if suggestion is None:
        return {"sku": sku, "warehouse_id": warehouse_id, "location": None, "rule": None}
    return {
        "sku": sku,
        "warehouse_id": warehouse_id,
        "location": suggestion.location,
        "rule": suggestion.rule.value,
    }


@router.post("/bin-moves", status_code=201)
async def post_bin_move(body: BinMoveIn, request: Request, ctx: Clerk) -> JSONResponse:
    """移库 between two locations of one warehouse: no value change."""
    command = c.MoveBetweenBins(
        sku=body.sku,
        warehouse_id=body.warehouse_id,
        from_location=body.from_location,
        to_location=body.to_location,
        qty=body.qty,
        lot=body.lot,
        occurred_at=body.when(),
        move_id=body.move_id or uuid4(),
    )
    return await execute(request, ctx, move_between_bins, command, body)


@router.post("/lots/expiry-sweep", status_code=200)
async def post_expiry_sweep(body: ExpirySweepIn, request: Request, ctx: Clerk) -> JSONResponse:
    """临期预警 sweep at `as_of` (default today, UTC): `LotNearExpiry` once per lot."""
    now = datetime.now(UTC)
    command = c.SweepExpiringLots(as_of=body.as_of or now.date(), occurred_at=now)
    return await execute(request, ctx, sweep_expiring_lots, command, body, status_code=200)


@router.get("/lots")
async def get_lots(
    request: Request,
    _: Viewer,
    paged: Paged,
    sku: QueryText | None = None,
    warehouse_id: QueryText | None = None,
    expiring_within_days: Annotated[int | None, Query(ge=0, le=36_500)] = None,
    as_of: BusinessDate | None = None,
    alerted: bool | None = None,
) -> list[dict[str, Any]]:
    """Lots in stock, earliest expiry first: `{sku, warehouse_id, lot, qty, expiry,
    first_received_at, alerted_at, expired, days_left}` at `as_of` (default today);
    `alerted=true` lists the open near-expiry alerts."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await storage.list_lots(
            conn,
            paged,
            as_of=as_of or datetime.now(UTC).date(),
            sku=sku,
            warehouse_id=warehouse_id,
            expiring_within_days=expiring_within_days,
            alerted=alerted,
        )
    return [jsonable(row) for row in rows]


@router.get("/stock/locations")
async def get_stock_by_location(
    request: Request,
    _: Viewer,
    paged: Paged,
    sku: QueryText | None = None,
    warehouse_id: QueryText | None = None,
) -> list[dict[str, Any]]:
    """On hand per sku × warehouse × location × lot (`''` = unnamed), with the lot's expiry."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await storage.stock_by_location(conn, paged, sku=sku, warehouse_id=warehouse_id)
    return [jsonable(row) for row in rows]
