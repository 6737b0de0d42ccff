"""Order-to-cash flows over HTTP for the system benchmark, timed as the client sees them.

One flow: sales `POST /orders` → poll sales `GET /orders/{id}` until `confirmed` → inventory
`POST /shipments` → poll finance `GET /receivables/invoices?order_id=` until the invoice is
issued → finance `POST /receivables/receipts` allocated to exactly that invoice (so concurrent
flows of the same customer never pay each other's invoices) → poll sales until `completed`.
Commands go through `tests/faults/load.py`'s `Commander` (client-chosen ids, Idempotency-Keys,
retries of 503s and connection errors with the same key).
"""

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.faults.load import AUTH, Commander, LoadStats, World
from tests.faults.stack import FaultStack

#: A flow not completed within this many seconds is counted as failed (and abandoned).
FLOW_TIMEOUT = 60.0
#: The replenisher tops a sku up by this much when its available stock falls below the floor.
RESTOCK_FLOOR = 300
RESTOCK_QTY = 1000


@dataclass(frozen=True)
class FlowTimes:
    """Seconds from placement (for the open loop: from the scheduled start) to each step."""

    confirmed: float
    invoiced: float
    completed: float
    finished_at: float


@dataclass
class FlowStats:
    done: list[FlowTimes] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    polls: int = 0
    #: Per request kind: [count, seconds spent waiting for answers] (where the time goes).
    requests: dict[str, list[float]] = field(default_factory=dict)

    def timed(self, kind: str, since: float) -> None:
        entry = self.requests.setdefault(kind, [0, 0.0])
        entry[0] += 1
        entry[1] += time.perf_counter() - since


class OrderToCash:
    """Drives complete order-to-cash flows against one stack, polling every `poll` seconds."""

    def __init__(
        self, stack: FaultStack, world: World, client: httpx.AsyncClient, poll: float
    ) -> None:
        self.stack = stack
        self.world = world
        self.client = client
        self.poll = poll
        self.load = LoadStats()
        self.commander = Commander(client, self.load)
        self._turn = 0

    def url(self, service: str) -> str:
        """Reads spread over the service's replicas, like the commands."""
        urls = self.stack.urls(service)
        self._turn += 1
        return urls[self._turn % len(urls)]

    def targets(self, service: str) -> Callable[[], list[str]]:
        return lambda: self.stack.urls(service)

    async def flow(self, rng: random.Random, stats: FlowStats, started: float) -> None:
        """One flow; its times go to `stats.done`, or its failure to `stats.failed`."""
        try:
            times = await asyncio.wait_for(self._flow(rng, stats, started), FLOW_TIMEOUT)
        except (TimeoutError, FlowFailed, httpx.HTTPError) as error:
            stats.failed.append(f"{type(error).__name__}: {error}"[:200])
            return
        stats.done.append(times)

    async def _flow(self, rng: random.Random, stats: FlowStats, started: float) -> FlowTimes:
        order_id, customer = str(uuid.uuid4()), rng.choice(self.world.customers)
        order = {
            "order_id": order_id,
            "customer_id": customer,
            "warehouse_id": self.world.warehouse,
            "lines": [
                {
                    "sku": rng.choice(self.world.skus),
                    "qty": "1",
                    "unit_price": self.world.sale_price,
                    "tax_rate": "0.13",
                }
            ],
        }
        await self._command("order", "sales", "/orders", order, "order_id", stats)
        await self._until_order(order_id, "confirmed", stats)
        confirmed = time.perf_counter() - started
        shipment = {"order_id": order_id, "shipment_id": str(uuid.uuid4())}
        await self._command("shipment", "inventory", "/shipments", shipment, "shipment_id", stats)
        invoice = await self._until_invoiced(order_id, stats)
        invoiced = time.perf_counter() - started
        amount = invoice["open_amount"]
        receipt = {
            "receipt_id": str(uuid.uuid4()),
            "customer_id": customer,
            "amount": amount,
            "allocations": [{"invoice_id": invoice["invoice_id"], "amount": amount}],
        }
        await self._command(
            "customer_receipt", "finance", "/receivables/receipts", receipt, "", stats
        )
        await self._until_order(order_id, "completed", stats)
        now = time.perf_counter()
        return FlowTimes(confirmed, invoiced, now - started, now)

    async def _command(
        self,
        kind: str,
        service: str,
        path: str,
        body: dict[str, Any],
        id_field: str,
        stats: FlowStats,
    ) -> None:
        sent = time.perf_counter()
        response = await self.commander.send(
            kind, service, self.targets(service), path, body, id_field
        )
        stats.timed(kind, sent)
        if response is None or not httpx.codes.is_success(response.status_code):
            detail = "no answer" if response is None else response.text[:120]
            raise FlowFailed(f"{kind}: {detail}")

    async def _until_order(self, order_id: str, status: str, stats: FlowStats) -> None:
        while True:
            stats.polls += 1
            sent = time.perf_counter()
            url = f"{self.url('sales')}/orders/{order_id}"
            response = await self.client.get(url, headers=AUTH)
            stats.timed("poll_sales_order", sent)
            if response.status_code == httpx.codes.OK:
                now = response.json().get("status")
                if now == status:
                    return
                if now in ("backordered", "cancelled"):
                    raise FlowFailed(f"order {order_id} {now}")
            await asyncio.sleep(self.poll)

    async def _until_invoiced(self, order_id: str, stats: FlowStats) -> dict[str, Any]:
        while True:
            stats.polls += 1
            sent = time.perf_counter()
            url = f"{self.url('finance')}/receivables/invoices"
            response = await self.client.get(url, params={"order_id": order_id}, headers=AUTH)
            stats.timed("poll_finance_invoices", sent)
            if response.status_code == httpx.codes.OK and response.json():
                invoice: dict[str, Any] = response.json()[0]
                return invoice
            await asyncio.sleep(self.poll)


class FlowFailed(Exception):
    """A command was refused or an order ended backordered/cancelled."""


async def closed_loop(
    flows: OrderToCash, clients: int, seconds: float, seed: int
) -> tuple[FlowStats, float]:
    """`clients` workers each run flows back to back for `seconds`; only flows completed
    inside the window count. Returns the stats and the window length actually measured."""
    stats = FlowStats()
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(rng: random.Random) -> None:
        while time.perf_counter() < deadline:
            await flows.flow(rng, stats, time.perf_counter())

    await asyncio.gather(*(worker(random.Random(seed * 1000 + i)) for i in range(clients)))
    stats.done = [t for t in stats.done if t.finished_at <= deadline]
    return stats, seconds


async def open_loop(flows: OrderToCash, rate: float, seconds: float, seed: int) -> FlowStats:
    """Start a flow every 1/`rate` seconds whatever the earlier ones do; latencies count from
    each flow's scheduled start (no coordinated omission). Waits for the flows in flight."""
    stats, rng = FlowStats(), random.Random(seed)
    interval, started = 1.0 / rate, time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    for i in range(max(1, round(rate * seconds))):
        scheduled = started + i * interval
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        tasks.append(asyncio.create_task(flows.flow(random.Random(rng.random()), stats, scheduled)))
    await asyncio.gather(*tasks)
    return stats


async def replenish(flows: OrderToCash, stop: asyncio.Event, every: float = 1.0) -> int:
    """Keep stock up with inventory `POST /adjustments` (reason `found`): every `every` seconds,
    each sku whose available quantity is under RESTOCK_FLOOR gets RESTOCK_QTY more. Returns
    how many adjustments it made."""
    made, world = 0, flows.world
    url = f"{flows.stack.url('inventory')}/stock"
    while not stop.is_set():
        response = await flows.client.get(
            url, params={"warehouse_id": world.warehouse}, headers=AUTH
        )
        if response.status_code == httpx.codes.OK:
            low = [
                row["sku"]
                for row in response.json()
                if row["sku"] in world.skus and float(row["available"]) < RESTOCK_FLOOR
            ]
            for sku in low:
                await _adjust(flows, sku)
                made += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
    return made


async def _adjust(flows: OrderToCash, sku: str) -> None:
    body = {
        "sku": sku,
        "warehouse_id": flows.world.warehouse,
        "qty": str(RESTOCK_QTY),
        "reason": "found",
        "unit_cost": flows.world.unit_cost,
    }
    await flows.commander.send(
        "adjustment", "inventory", flows.targets("inventory"), "/adjustments", body, ""
    )
