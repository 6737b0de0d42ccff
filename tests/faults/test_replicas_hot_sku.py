"""Fault 5: two replicas of inventory and of sales (one database each, one consumer group each,
two ports) take 200 one-unit orders for a sku with 100 on hand — the orders split across both
sales replicas — and one replica of each is killed (kill -9, not restarted) half-way through.

Exactly 100 orders may be reserved (confirmed in sales) and the other 100 backordered: the
stock item is one aggregate, whichever replica's consumer decides. Nothing is lost or doubled
although the killed replicas' in-flight requests, consumer partitions and maybe relay leadership
move to the survivors. The steady mixed load runs alongside on the other skus.
"""

import asyncio
import time
import uuid
from decimal import Decimal
from typing import Any

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import httpx
import pytest

from .load import (
    AUTH,
    REQUEST_TIMEOUT,
    WORLD,
    Commander,
    Load,
    LoadStats,
    Targets,
    probe_flows,
)
from .scenario import Emit, conclude
from .stack import FaultStack

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(480)]

HOT_SKU = "F-HOT"
HOT_CUSTOMER = "FC-HOT"
ON_HAND = 100
ORDERS = 200
SENDERS = 6
SETTLE_TIMEOUT = 90.0


async def register_hot_sku(stack: FaultStack, stats: LoadStats) -> None:
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        commander = Commander(client, stats)
        bodies: list[tuple[str, str, dict[str, Any]]] = [
            ("inventory", "/items", {"sku": HOT_SKU, "name": "Hot", "uom": "pcs"}),
            (
                "inventory",
                "/adjustments",
                {
                    "sku": HOT_SKU,
                    "warehouse_id": WORLD.warehouse,
                    "qty": str(ON_HAND),
                    "reason": "opening_balance",
                    "unit_cost": WORLD.unit_cost,
                },
            ),
            (
                "sales",
                "/customers",
                {
                    "customer_id": HOT_CUSTOMER,
                    "name": "Hot buyer",
                    "credit_limit": "100000000",
                    "payment_terms_days": 30,
                },
            ),
        ]
        for service, path, body in bodies:
            response = await commander.send(
                "setup", service, load_targets(stack, service), path, body, ""
            )
            assert response is not None
            assert response.status_code == 201, response.text
    # Sales learns the sku from inventory's ItemRegistered: place orders only once it did.
    deadline = time.monotonic() + 60
    while not await _sales_knows_sku(stack):
        if time.monotonic() > deadline:
            raise AssertionError(f"sales never learnt {HOT_SKU}")
        await asyncio.sleep(0.3)


def load_targets(stack: FaultStack, service: str) -> Targets:
    return lambda: stack.urls(service)


async def _sales_knows_sku(stack: FaultStack) -> bool:
    conn = await asyncpg.connect(stack.database_dsn("sales"))
    try:
        return bool(await conn.fetchval("SELECT count(*) FROM known_items WHERE sku = $1", HOT_SKU))
    finally:
        await conn.close()


async def send_hot_orders(
    stack: FaultStack, load: Load, kill_after: int
) -> tuple[list[str], float]:
    """ORDERS one-unit orders from SENDERS clients, alternating between the sales replicas;
    after `kill_after` were accepted, kill -9 the second replica of sales and of inventory.
    Returns the accepted order ids and when the replicas were killed."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for _ in range(ORDERS):
        queue.put_nowait(str(uuid.uuid4()))
    accepted: list[str] = []
    killed_at = 0.0

    async def sender(client: httpx.AsyncClient) -> None:
        nonlocal killed_at
        commander = Commander(client, load.stats)
        while not queue.empty():
            order_id = queue.get_nowait()
            body = {
                "order_id": order_id,
                "customer_id": HOT_CUSTOMER,
                "warehouse_id": WORLD.warehouse,
                "lines": [{"sku": HOT_SKU, "qty": "1", "unit_price": "5.00", "tax_rate": "0.13"}],
            }
            response = await commander.send(
                "order", "sales", lambda: stack.urls("sales"), "/orders", body, "order_id"
            )
            if response is not None and response.status_code == 201:
                accepted.append(order_id)
            if len(accepted) >= kill_after and not killed_at:
                killed_at = time.monotonic()
                stack.kill_service("sales", 1)
                stack.kill_service("inventory", 1)

    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        await asyncio.gather(*(sender(client) for _ in range(SENDERS)))
    return accepted, killed_at


async def hot_statuses(stack: FaultStack, order_ids: list[str]) -> dict[str, str]:
    """Each hot order's status in sales (read from the surviving first replica)."""
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        response = await client.get(
            f"{stack.url('sales')}/orders",
            params={"customer_id": HOT_CUSTOMER, "limit": 1000},
            headers=AUTH,
        )
    response.raise_for_status()
    wanted = set(order_ids)
    return {
        str(o["order_id"]): str(o["status"])
        for o in response.json()
        if str(o["order_id"]) in wanted
    }


async def hot_stock(stack: FaultStack) -> dict[str, Decimal]:
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        response = await client.get(
            f"{stack.url('inventory')}/stock",
            params={"sku": HOT_SKU, "warehouse_id": WORLD.warehouse},
            headers=AUTH,
        )
    response.raise_for_status()
    (row,) = response.json()
    return {k: Decimal(str(row[k])) for k in ("on_hand", "reserved", "available")}


async def test_two_replicas_reserve_exactly_the_stock_on_hand_through_a_replica_kill(
    stack: FaultStack, world: LoadStats, emit: Emit
) -> None:
    await register_hot_sku(stack, world)
    stack.add_replica("sales")
    stack.add_replica("inventory")
    await stack.wait_healthy_async("sales", "inventory")
    load = Load(stack, seed=5)
    async with load.running():
        order_ids, killed_at = await send_hot_orders(stack, load, kill_after=ORDERS // 2)
        probe = await probe_flows(stack, load.stats)
        # From the kill, not from the probe's start (the orders were still being sent).
        recovered = None if probe is None or not killed_at else time.monotonic() - killed_at
    settle_deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        statuses = await hot_statuses(stack, order_ids)
        undecided = [o for o in order_ids if statuses.get(o) not in ("confirmed", "backordered")]
        if not undecided or time.monotonic() > settle_deadline:
            break
        await asyncio.sleep(0.5)
    confirmed = sum(1 for s in statuses.values() if s == "confirmed")
    backordered = sum(1 for s in statuses.values() if s == "backordered")
    stock = await hot_stock(stack)
    problems = []
    if len(order_ids) != ORDERS:
        problems.append(f"only {len(order_ids)} of {ORDERS} hot orders were accepted")
    if confirmed != ON_HAND:
        problems.append(f"{confirmed} hot orders confirmed, expected exactly {ON_HAND}")
    if backordered != len(order_ids) - ON_HAND:
        problems.append(
            f"{backordered} hot orders backordered, expected {len(order_ids) - ON_HAND}"
        )
    if undecided:
        problems.append(f"{len(undecided)} hot orders never confirmed nor backordered")
    if stock != {"on_hand": ON_HAND, "reserved": ON_HAND, "available": 0}:
        problems.append(f"{HOT_SKU} stock is {stock}, expected {ON_HAND} on hand, all reserved")
    await conclude(
        stack,
        load,
        emit,
        name="replicas-hot-sku",
        recovered_in=recovered,
        extra_problems=problems,
        extra_figures=[
            f"hot orders accepted {len(order_ids)}/{ORDERS}: confirmed={confirmed} "
            f"backordered={backordered} undecided={len(undecided)}; {HOT_SKU} stock {stock}; "
            f"replicas sales#2 and inventory#2 killed {'yes' if killed_at else 'no'}"
        ],
    )
