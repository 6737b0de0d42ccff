"""Transfers (调拨, two steps) and stocktakes (盘点)."""

import json
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import command_context
from eventkit.http.limits import MiB, max_body_bytes
from inventory.application import commands as c
from inventory.application.stocktakes import complete_stocktake, record_counts, start_stocktake
from inventory.application.transfers import dispatch_transfer, receive_transfer
from inventory.domain.document_events import CountLine
from inventory.domain.document_lines import OutboundLine
from inventory.entrypoints.http.commands import execute, retry_backorders_after
from inventory.entrypoints.http.schemas import (
    CountsIn,
    StocktakeCompletionIn,
    StocktakeIn,
    TransferIn,
    TransferReceiptIn,
)

router = APIRouter(tags=["transfers and stocktakes"])
Clerk = Annotated[CommandContext, Depends(command_context("inventory"))]
#: A stocktake's sku list (≤ 200,000 skus) and a count batch (≤ 10,000 lines) are bulk
#: uploads, larger than the 1 MiB default even with short skus.
STOCKTAKE_MAX_BYTES = 16 * MiB


@router.post("/transfers", status_code=201)
async def post_transfer(body: TransferIn, request: Request, ctx: Clerk) -> JSONResponse:
    command = c.DispatchTransfer(
        source_warehouse_id=body.source_warehouse_id,
        destination_warehouse_id=body.destination_warehouse_id,
        lines=tuple(
            OutboundLine(sku=li.sku, qty=li.qty, lot=li.lot, location=li.location)
            for li in body.lines
        ),
        occurred_at=body.when(),
        transfer_id=body.transfer_id or uuid4(),
    )
    return await execute(request, ctx, dispatch_transfer, command, body)


@router.post("/transfers/{transfer_id}/receive")
async def post_transfer_receipt(
    transfer_id: UUID,
    request: Request,
    ctx: Clerk,
    tasks: BackgroundTasks,
    body: TransferReceiptIn | None = None,
) -> JSONResponse:
    body = body or TransferReceiptIn()
    command = c.ReceiveTransfer(transfer_id=transfer_id, occurred_at=body.when())
    response = await execute(request, ctx, receive_transfer, command, body, status_code=200)
    if response.status_code == 200:
        received = json.loads(bytes(response.body))
        destination, skus = received["destination_warehouse_id"], received["skus"]
        retry_backorders_after(tasks, request, destination, skus)
    return response


@router.post("/stocktakes", status_code=201, openapi_extra=max_body_bytes(STOCKTAKE_MAX_BYTES))
async def post_stocktake(body: StocktakeIn, request: Request, ctx: Clerk) -> JSONResponse:
    command = c.StartStocktake(
        warehouse_id=body.warehouse_id,
        skus=tuple(body.skus),
        occurred_at=body.when(),
        stocktake_id=body.stocktake_id or uuid4(),
    )
    return await execute(request, ctx, start_stocktake, command, body)


@router.post("/stocktakes/{stocktake_id}/counts", openapi_extra=max_body_bytes(STOCKTAKE_MAX_BYTES))
async def post_counts(
    stocktake_id: UUID, body: CountsIn, request: Request, ctx: Clerk
) -> JSONResponse:
    counts = tuple(
        CountLine(sku=li.sku, counted_qty=li.counted_qty, location=li.location, lot=li.lot)
        for li in body.counts
    )
    command = c.RecordCounts(stocktake_id=stocktake_id, counts=counts, occurred_at=body.when())
    return await execute(request, ctx, record_counts, command, body, status_code=200)


@router.post("/stocktakes/{stocktake_id}/complete")
async def post_stocktake_completion(
    stocktake_id: UUID,
    request: Request,
    ctx: Clerk,
    body: StocktakeCompletionIn | None = None,
) -> JSONResponse:
    body = body or StocktakeCompletionIn()
    command = c.CompleteStocktake(stocktake_id=stocktake_id, occurred_at=body.when())
    return await execute(request, ctx, complete_stocktake, command, body, status_code=200)
