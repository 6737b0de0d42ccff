"""A steady mixed load over HTTP that tolerates faults, and records what the services accepted.

Several async clients (httpx) drive, for as long as the load runs, the flows of
tests/e2e: sales orders for customers with plenty of credit (sales `POST /orders`), shipments
of confirmed orders (inventory `POST /shipments`), purchase orders and their goods receipts
(purchasing `POST /purchase-orders`, inventory `POST /receipts`) and customer receipts (finance
`POST /receivables/receipts`). Every command carries a client-chosen id and an
`Idempotency-Key`; a connection error, a timeout or a 503 is retried with the SAME key and
body (so a retry cannot double it), a 503 after its `Retry-After`. A 500 (any 5xx but 503) is
recorded as a failure — and then retried with the same key too, so the load keeps its shape.

`Accepted` records every command answered 2xx, with the id the service returned: the invariant
checker later looks each one up in the owning service's store.
"""

import asyncio
import contextlib
import random
import time
import uuid
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import httpx

from .stack import ADMIN_TOKEN, FaultStack

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
#: How long one command is retried through a fault before the client gives up on it.
COMMAND_DEADLINE = 45.0
REQUEST_TIMEOUT = 10.0
#: A Retry-After longer than this is shortened (the tests' outages are short).
MAX_RETRY_AFTER = 2.0


@dataclass(frozen=True)
class World:
    """The master data every fault test's load runs on (created once per stack)."""

    warehouse: str = "WH-F"
    skus: tuple[str, ...] = ("F-TEA", "F-CUP", "F-POT", "F-BOWL")
    #: Only the recovery probe orders it, so a probe is never backordered.
    canary_sku: str = "F-CANARY"
    customers: tuple[str, ...] = ("FC-1", "FC-2", "FC-3", "FC-4", "FC-5", "FC-6")
    #: The probe's customer: nobody pays its invoices, so its orders stay `invoiced`.
    canary_customer: str = "FC-CANARY"
    supplier: str = "FS-1"
    opening_qty: int = 400
    unit_cost: str = "8.00"
    sale_price: str = "20.00"
    purchase_price: str = "8.00"


WORLD = World()

#: The services the probe's flows go through; the others (reporting) recover when healthy.
FLOW_SERVICES = ("purchasing", "inventory", "sales", "finance")


@dataclass(frozen=True)
class Accepted:
    """A command a service answered 2xx: which service owns it, its key and returned id."""

    kind: str
    service: str
    key: str
    entity_id: str
    at: float


@dataclass
class LoadStats:
    accepted: list[Accepted] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)
    http_503: int = 0
    missing_retry_after: int = 0
    #: Every 5xx other than 503: (kind, status, first 200 characters of the body).
    failures: list[tuple[str, int, str]] = field(default_factory=list)
    connection_errors: int = 0
    gave_up: list[str] = field(default_factory=list)
    client_errors: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def http_500(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        refused = ", ".join(f"{k}={v}" for k, v in sorted(self.refused.items())) or "none"
        return (
            f"accepted={len(self.accepted)} 503={self.http_503} "
            f"(no Retry-After: {self.missing_retry_after}) 5xx={self.http_500} "
            f"conn_errors={self.connection_errors} gave_up={len(self.gave_up)} "
            f"4xx_unexpected={len(self.client_errors)} refused: {refused}"
        )


#: Where a command is sent: the URLs of the live replicas of its service, looked up per try
#: (a replica started or killed mid-run is picked up at once).
Targets = Callable[[], list[str]]


class Commander:
    """Sends one command through faults: same key and body on every try."""

    def __init__(self, client: httpx.AsyncClient, stats: LoadStats) -> None:
        self.client = client
        self.stats = stats
        self._turn = 0

    async def send(
        self,
        kind: str,
        service: str,
        targets: Targets,
        path: str,
        body: dict[str, Any],
        id_field: str,
        *,
        deadline: float = COMMAND_DEADLINE,
    ) -> httpx.Response | None:
        key = f"{kind}-{uuid.uuid4()}"
        headers = {**AUTH, "Idempotency-Key": key}
        give_up_at = time.monotonic() + deadline
        backoff = 0.1
        self._turn += 1
        attempt = self._turn
        while True:
            urls = targets()
            url = urls[attempt % len(urls)]
            attempt += 1
            try:
                response = await self.client.post(f"{url}{path}", json=body, headers=headers)
            except httpx.TransportError:
                self.stats.connection_errors += 1
                if time.monotonic() > give_up_at:
                    self.stats.gave_up.append(f"{kind} {key}: connection errors")
                    return None
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 1.0)
                continue
            status = response.status_code
            if status == httpx.codes.SERVICE_UNAVAILABLE:
                self.stats.http_503 += 1
                retry_after = response.headers.get("Retry-After")
                if retry_after is None:
                    self.stats.missing_retry_after += 1
                if time.monotonic() > give_up_at:
                    self.stats.gave_up.append(f"{kind} {key}: 503")
                    return None
                await asyncio.sleep(_retry_after_seconds(retry_after))
                continue
            if status >= httpx.codes.INTERNAL_SERVER_ERROR:
                self.stats.failures.append((kind, status, response.text[:200]))
                if time.monotonic() > give_up_at:
                    self.stats.gave_up.append(f"{kind} {key}: {status}")
                    return None
                await asyncio.sleep(0.5)
                continue
            if httpx.codes.is_success(status):
                returned = str(response.json().get(id_field, ""))
                self.stats.accepted.append(Accepted(kind, service, key, returned, time.monotonic()))
                return response
            code = _error_code(response)
            if status in (404, 409):
                self.stats.refused[f"{kind}:{status}:{code}"] += 1
            else:
                self.stats.client_errors.append((kind, status, response.text[:200]))
            return response


def _retry_after_seconds(value: str | None) -> float:
    try:
        return min(max(float(value or 1.0), 0.05), MAX_RETRY_AFTER)
    except ValueError:
        return 1.0


def _error_code(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""


@dataclass
class Flows:
    """Work handed from one command to the next across clients (orders to ship, POs to
    receive), shared by every client of a load."""

    to_ship: deque[tuple[str, int]] = field(default_factory=deque)
    to_receive: deque[tuple[str, list[dict[str, str]], int]] = field(default_factory=deque)


class Load:
    """`clients` workers issuing a seeded random mix of commands until stopped."""

    def __init__(
        self,
        stack: FaultStack,
        *,
        clients: int = 4,
        seed: int = 0,
        pause: tuple[float, float] = (0.3, 0.6),
        world: World = WORLD,
    ) -> None:
        self.stack = stack
        self.world = world
        self.clients = clients
        self.pause = pause
        self.stats = LoadStats()
        self.flows = Flows()
        self._random = random.Random(seed)
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def targets(self, service: str) -> Targets:
        return lambda: self.stack.urls(service)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["Load"]:
        """The load runs inside the block; leaving it stops the clients and lets every
        command in flight finish (its retries included)."""
        self._stop.clear()
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
            self._tasks = [
                asyncio.create_task(
                    self._client(client, random.Random(self._random.random())), name=f"load-{i}"
                )
                for i in range(self.clients)
            ]
            try:
                yield self
            finally:
                self._stop.set()
                await asyncio.gather(*self._tasks)

    async def burst(self, orders: int) -> None:
        """`orders` sales orders at once (on top of the steady load)."""
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
            commander = Commander(client, self.stats)
            rng = random.Random(self._random.random())
            await asyncio.gather(*(self.place_order(commander, rng) for _ in range(orders)))

    async def _client(self, client: httpx.AsyncClient, rng: random.Random) -> None:
        commander = Commander(client, self.stats)
        while not self._stop.is_set():
            choice = rng.choices(
                ("order", "ship", "purchase", "receive", "pay"), weights=(5, 4, 1, 2, 1)
            )[0]
            if choice == "order":
                await self.place_order(commander, rng)
            elif choice == "ship" and self.flows.to_ship:
                await self.ship(commander)
            elif choice == "purchase":
                await self.purchase(commander, rng)
            elif choice == "receive" and self.flows.to_receive:
                await self.receive(commander)
            elif choice == "pay":
                await self.pay(commander, rng)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), rng.uniform(*self.pause))

    async def place_order(
        self, commander: Commander, rng: random.Random, *, targets: Targets | None = None
    ) -> httpx.Response | None:
        skus = rng.sample(self.world.skus, rng.randint(1, 2))
        order_id = str(uuid.uuid4())
        body = {
            "order_id": order_id,
            "customer_id": rng.choice(self.world.customers),
            "warehouse_id": self.world.warehouse,
            "lines": [
                {
                    "sku": sku,
                    "qty": str(rng.randint(1, 2)),
                    "unit_price": self.world.sale_price,
                    "tax_rate": "0.13",
                }
                for sku in skus
            ],
        }
        response = await commander.send(
            "order", "sales", targets or self.targets("sales"), "/orders", body, "order_id"
        )
        if response is not None and response.status_code == httpx.codes.CREATED:
            self.flows.to_ship.append((order_id, 0))
        return response

    async def ship(self, commander: Commander) -> None:
        order_id, tries = self.flows.to_ship.popleft()
        body = {"order_id": order_id, "shipment_id": str(uuid.uuid4())}
        response = await commander.send(
            "shipment",
            "inventory",
            self.targets("inventory"),
            "/shipments",
            body,
            "shipment_id",
        )
        if response is not None and response.status_code in (404, 409) and tries < 40:
            # Not known or reserved yet (that travels over Kafka), or backordered.
            self.flows.to_ship.append((order_id, tries + 1))

    async def purchase(self, commander: Commander, rng: random.Random) -> None:
        po_id = str(uuid.uuid4())
        lines = [
            {"sku": sku, "qty": str(rng.randint(20, 40))}
            for sku in rng.sample(self.world.skus, rng.randint(1, 2))
        ]
        body = {
            "po_id": po_id,
            "supplier_id": self.world.supplier,
            "warehouse_id": self.world.warehouse,
            "lines": [
                {**line, "unit_price": self.world.purchase_price, "tax_rate": "0.13"}
                for line in lines
            ],
        }
        response = await commander.send(
            "purchase_order",
            "purchasing",
            self.targets("purchasing"),
            "/purchase-orders",
            body,
            "po_id",
        )
        if response is not None and response.status_code == httpx.codes.CREATED:
            self.flows.to_receive.append((po_id, lines, 0))

    async def receive(self, commander: Commander) -> None:
        po_id, lines, tries = self.flows.to_receive.popleft()
        body = {
            "po_id": po_id,
            "receipt_id": str(uuid.uuid4()),
            "warehouse_id": self.world.warehouse,
            "lines": [{"sku": line["sku"], "qty_accepted": line["qty"]} for line in lines],
        }
        response = await commander.send(
            "receipt", "inventory", self.targets("inventory"), "/receipts", body, "receipt_id"
        )
        if response is not None and response.status_code in (404, 409) and tries < 40:
            # Inventory learns the PO from purchasing's event a moment later.
            self.flows.to_receive.append((po_id, lines, tries + 1))

    async def pay(self, commander: Commander, rng: random.Random) -> None:
        body = {
            "receipt_id": str(uuid.uuid4()),
            "customer_id": rng.choice(self.world.customers),
            "amount": f"{rng.randint(10, 60)}.00",
        }
        await commander.send(
            "customer_receipt",
            "finance",
            self.targets("finance"),
            "/receivables/receipts",
            body,
            "receipt_id",
        )


# ---- the world ---------------------------------------------------------------------------


async def setup_world(stack: FaultStack, stats: LoadStats, world: World = WORLD) -> None:
    """Warehouse, items with opening stock, a supplier with prices, customers with ample
    credit; then wait until sales knows the items and finance the customers (Kafka)."""
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        commander = Commander(client, stats)

        async def must(service: str, path: str, body: dict[str, Any], id_field: str) -> None:
            response = await commander.send(
                "setup", service, lambda: stack.urls(service), path, body, id_field
            )
            assert response is not None
            assert response.status_code in (200, 201, 409), f"{path}: {response.text}"

        await must(
            "inventory", "/warehouses", {"warehouse_id": world.warehouse, "name": "Fault WH"}, ""
        )
        for sku in (*world.skus, world.canary_sku):
            await must("inventory", "/items", {"sku": sku, "name": sku, "uom": "pcs"}, "sku")
            opening = world.opening_qty if sku != world.canary_sku else 100_000
            await must(
                "inventory",
                "/adjustments",
                {
                    "sku": sku,
                    "warehouse_id": world.warehouse,
                    "qty": str(opening),
                    "reason": "opening_balance",
                    "unit_cost": world.unit_cost,
                },
                "",
            )
        await must(
            "purchasing",
            "/suppliers",
            {
                "supplier_id": world.supplier,
                "name": "Fault supplier",
                "payment_terms_days": 30,
                "lead_time_days": 3,
                "prices": [
                    {"sku": sku, "unit_price": world.purchase_price}
                    for sku in (*world.skus, world.canary_sku)
                ],
            },
            "supplier_id",
        )
        for customer in (*world.customers, world.canary_customer):
            await must(
                "sales",
                "/customers",
                {
                    "customer_id": customer,
                    "name": f"Customer {customer}",
                    "credit_limit": "100000000",
                    "payment_terms_days": 30,
                },
                "customer_id",
            )
    await _wait_for_master_data(stack, world)


async def _wait_for_master_data(stack: FaultStack, world: World, timeout: float = 60.0) -> None:
    skus = [*world.skus, world.canary_sku]
    customer_streams = [f"customer-{c}" for c in (*world.customers, world.canary_customer)]
    deadline = time.monotonic() + timeout
    while True:
        sales = await asyncpg.connect(stack.database_dsn("sales"))
        finance = await asyncpg.connect(stack.database_dsn("finance"))
        try:
            items = await sales.fetchval(
                "SELECT count(*) FROM known_items WHERE sku = ANY($1::text[])", skus
            )
            customers = await finance.fetchval(
                "SELECT count(DISTINCT stream_id) FROM events WHERE stream_id = ANY($1::text[])",
                customer_streams,
            )
        finally:
            await sales.close()
            await finance.close()
        if items == len(skus) and customers == len(customer_streams):
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"master data did not reach sales/finance in {timeout:.0f}s "
                f"(items {items}/{len(skus)}, customers {customers}/{len(customer_streams)})"
            )
        await asyncio.sleep(0.3)


# ---- recovery probe ----------------------------------------------------------------------


async def probe_flows(
    stack: FaultStack, stats: LoadStats, world: World = WORLD, timeout: float = 90.0
) -> float | None:
    """Seconds until both flows work end to end again, or None after `timeout`.

    Order to cash: an order of the canary sku (sales) is confirmed (inventory reserved it over
    Kafka, sales learnt it), shipped (inventory), invoiced (finance issued the invoice from
    the dispatch, sales learnt it). Procure to stock: a PO (purchasing) is receivable
    (inventory learnt it) and then `received` in purchasing (which learnt the receipt).
    Together they need every relay and consumer of purchasing, inventory, sales and finance.
    """
    started = time.monotonic()
    try:
        await asyncio.wait_for(
            asyncio.gather(
                _order_to_invoice(stack, stats, world), _po_to_received(stack, stats, world)
            ),
            timeout,
        )
    except TimeoutError:
        stack.faults.note(f"probe: flows still broken after {timeout:.0f}s")
        return None
    seconds = time.monotonic() - started
    stack.faults.note(f"probe: both flows work end to end ({seconds:.1f}s)")
    return seconds


async def _order_to_invoice(stack: FaultStack, stats: LoadStats, world: World) -> None:
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        commander = Commander(client, stats)
        order_id = str(uuid.uuid4())
        order = {
            "order_id": order_id,
            "customer_id": world.canary_customer,
            "warehouse_id": world.warehouse,
            "lines": [{"sku": world.canary_sku, "qty": "1", "unit_price": world.sale_price}],
        }
        await _until_created(
            commander, "order", "sales", lambda: stack.urls("sales"), "/orders", order, "order_id"
        )
        await _until_status(client, lambda: stack.urls("sales"), f"/orders/{order_id}", "confirmed")
        shipment = {"order_id": order_id, "shipment_id": str(uuid.uuid4())}
        await _until_created(
            commander,
            "shipment",
            "inventory",
            lambda: stack.urls("inventory"),
            "/shipments",
            shipment,
            "shipment_id",
        )
        await _until_status(client, lambda: stack.urls("sales"), f"/orders/{order_id}", "invoiced")


async def _po_to_received(stack: FaultStack, stats: LoadStats, world: World) -> None:
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as client:
        commander = Commander(client, stats)
        po_id = str(uuid.uuid4())
        po = {
            "po_id": po_id,
            "supplier_id": world.supplier,
            "warehouse_id": world.warehouse,
            "lines": [{"sku": world.canary_sku, "qty": "1", "unit_price": world.purchase_price}],
        }
        await _until_created(
            commander,
            "purchase_order",
            "purchasing",
            lambda: stack.urls("purchasing"),
            "/purchase-orders",
            po,
            "po_id",
        )
        receipt = {
            "po_id": po_id,
            "receipt_id": str(uuid.uuid4()),
            "warehouse_id": world.warehouse,
            "lines": [{"sku": world.canary_sku, "qty_accepted": "1"}],
        }
        await _until_created(
            commander,
            "receipt",
            "inventory",
            lambda: stack.urls("inventory"),
            "/receipts",
            receipt,
            "receipt_id",
        )
        await _until_status(
            client, lambda: stack.urls("purchasing"), f"/purchase-orders/{po_id}", "received"
        )


async def _until_created(
    commander: Commander,
    kind: str,
    service: str,
    targets: Targets,
    path: str,
    body: dict[str, Any],
    id_field: str,
) -> None:
    """Send until 2xx (a 404/409 means the other side has not learnt something yet)."""
    while True:
        response = await commander.send(kind, service, targets, path, body, id_field)
        if response is not None and httpx.codes.is_success(response.status_code):
            return
        await asyncio.sleep(0.2)


async def _until_status(
    client: httpx.AsyncClient, targets: Targets, path: str, status: str
) -> None:
    turn = 0
    while True:
        urls = targets()
        turn += 1
        with contextlib.suppress(httpx.HTTPError, ValueError):
            response = await client.get(f"{urls[turn % len(urls)]}{path}", headers=AUTH)
            if response.status_code == 200 and response.json().get("status") == status:
                return
        await asyncio.sleep(0.2)
