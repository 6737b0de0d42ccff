"""`erp audit stock`: the audit trail of one stock item, from the inventory EVENT STORE.

Reads the stream `stock-<sku>@<warehouse>` (not a read model), prints every movement with both
times, the actor and the document, sums the totals from the events alone, and compares them with
the read model: `rm_stock.levels` for the current state, or with `--as-of` the ledger's
business-time answer (`rm_ledger`, what `GET /stock?as_of=` returns).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from erpctl.ops import console, fail, moment, run_operation, service_engine, service_upcasters
from eventkit import EventStore, RecordedEvent

SERVICE = "inventory"
MOVEMENT_TYPES = frozenset(
    {"StockReceived", "StockIssued", "StockAdjusted", "StockTransferredOut", "StockTransferredIn"}
)
RESERVATION_TYPES = frozenset({"StockReservationHeld", "StockReservationReleased"})
ZERO = Decimal(0)
#: Scales of the read-model columns (quantities and unit costs 6 places, money 2).
QTY, MONEY = Decimal("0.000001"), Decimal("0.01")

audit_app = typer.Typer(
    name="audit",
    help="Audit trails rebuilt from the event store, checked against the read models.",
    no_args_is_help=True,
)


def _parse_as_of(value: str | None) -> datetime | None:
    """ISO-8601; without a zone it is UTC; a date alone means the end of that day."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max, tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO-8601 date or time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Totals:
    """What the events add up to; reservations and transit only for the current state."""

    on_hand: Decimal = ZERO
    value: Decimal = ZERO
    unit_cost: Decimal = ZERO
    reserved: Decimal = ZERO
    in_transit: Decimal = ZERO
    in_transit_value: Decimal = ZERO
    held: list[Decimal] = field(default_factory=list)
    released: list[Decimal] = field(default_factory=list)
    consumed: Decimal = ZERO
    alerts: int = 0


@audit_app.command("stock")
def stock(
    *,
    sku: Annotated[str, typer.Option("--sku", help="The item's SKU.", show_default=False)],
    warehouse: Annotated[
        str, typer.Option("--warehouse", "-w", help="The warehouse id.", show_default=False)
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="ISO",
            help="Business time: only movements that occurred at or before it (e.g. "
            "2025-03-31T18:00:00+08:00; no zone = UTC; a date alone = the end of that day); "
            "the totals are then compared with the ledger's as-of answer.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The audit trail of one stock item, from the inventory event store.

    Every movement with business time, record time, actor, document, direction, qty, unit
    cost, value and the balance after it; re-costings (StockRevalued, and the month-end
    StockCostAdjusted) with their value delta;
    reservations summarised. Ends with the totals recomputed from the events compared with the
    read model: MATCH (exit 0) or the differences (exit 1).
    """
    moment_as_of = _parse_as_of(as_of)
    stream_id = f"stock-{sku}@{warehouse}"
    events, model = run_operation(_load(stream_id, sku, warehouse, moment_as_of))
    if not events:
        fail(f"no stock stream {stream_id} in the {SERVICE} event store")
    decoded = [(event, _decode(event)) for event in events]
    occurred = {
        getattr(domain, "movement_id", None): event.occurred_at
        for event, domain in decoded
        if event.event_type in MOVEMENT_TYPES
    }

    def included(event: RecordedEvent) -> bool:
        return moment_as_of is None or event.occurred_at <= moment_as_of

    table = _trail_table(stream_id, moment_as_of)
    totals = Totals()
    for event, domain in decoded:
        if event.event_type in RECOSTINGS and domain is not None:
            _revalued(table, totals, event, domain, occurred, moment_as_of)
        elif included(event):
            _apply(table, totals, event, domain, current=moment_as_of is None)
    console.print(table)
    if moment_as_of is None:
        _print_reservations(totals)
    console.print(_comparison(totals, model, moment_as_of))
    differences = _differences(totals, model, moment_as_of)
    if differences:
        source = "rm_stock.levels" if moment_as_of is None else "the ledger (rm_ledger)"
        console.print(f"[bold red]MISMATCH[/] with {source}: {escape('; '.join(differences))}")
        raise typer.Exit(1)
    console.print("[bold green]MATCH[/]: the read model agrees with the event store")


async def _load(
    stream_id: str, sku: str, warehouse: str, as_of: datetime | None
) -> tuple[list[RecordedEvent], dict[str, Decimal | None] | None]:
    store = EventStore(service_upcasters(SERVICE))
    async with service_engine(SERVICE) as engine, engine.connect() as conn:
        events = await store.read_stream(conn, stream_id)
        model = await _read_model(conn, sku, warehouse, as_of) if events else None
    return events, model


async def _read_model(
    conn: AsyncConnection, sku: str, warehouse: str, as_of: datetime | None
) -> dict[str, Decimal | None] | None:
    if as_of is None:
        if not await conn.scalar(text("SELECT to_regclass('rm_stock.levels') IS NOT NULL")):
            return None
        row = (
            await conn.execute(
                text(
                    "SELECT on_hand, value, unit_cost, reserved, in_transit, in_transit_value"
                    " FROM rm_stock.levels WHERE sku = :sku AND warehouse_id = :wh"
                ),
                {"sku": sku, "wh": warehouse},
            )
        ).first()
        return dict(row._mapping) if row else None
    if not await conn.scalar(text("SELECT to_regclass('rm_ledger.movements') IS NOT NULL")):
        return None
    from inventory.adapters.projections import stock_as_of

    rows = await stock_as_of(conn, sku=sku, warehouse_id=warehouse, as_of=as_of)
    return {"on_hand": rows[0].on_hand, "value": rows[0].value} if rows else None


def _decode(event: RecordedEvent) -> Any:
    """The inventory domain event (None for a type this version does not know)."""
    from eventkit.codec import UnknownEventType
    from inventory.adapters.codec import from_payload

    try:
        return from_payload(event.event_type, event.payload)
    except UnknownEventType:
        return None


def _trail_table(stream_id: str, as_of: datetime | None) -> Table:
    title = f"{stream_id}: audit trail from the event store"
    if as_of is not None:
        title += f", business time ≤ {moment(as_of)}"
    table = Table(title=title, title_justify="left")
    for column in ("v", "business time", "recorded", "actor", "event", "document", "dir"):
        table.add_column(column, overflow="fold", justify="right" if column == "v" else "left")
    for column in ("qty", "unit cost", "value", "qty after", "value after"):
        table.add_column(column, justify="right")
    return table


def _apply(
    table: Table, totals: Totals, event: RecordedEvent, domain: Any, *, current: bool
) -> None:
    kind = event.event_type
    if kind in MOVEMENT_TYPES:
        signed = domain.qty if domain.direction == "in" else -domain.qty
        totals.on_hand += signed
        totals.value += domain.stock_value_change
        totals.unit_cost = domain.average_cost_after
        document = domain.document
        if kind == "StockAdjusted":
            document += f" ({domain.reason})"
        if kind == "StockIssued" and domain.order_id is not None:
            totals.consumed += domain.reservation_consumed
        if kind == "StockTransferredOut":
            totals.in_transit += domain.qty
            totals.in_transit_value += domain.value
        table.add_row(
            *_times(event),
            kind,
            escape(document),
            str(domain.direction),
            _num(domain.qty),
            _num(domain.unit_cost),
            _num(domain.value),
            _num(domain.qty_after),
            _num(domain.value_after),
        )
    elif kind == "StockTransferDelivered":
        totals.in_transit -= domain.qty
        totals.in_transit_value -= domain.value
        table.add_row(
            *_times(event),
            kind,
            f"transfer {domain.transfer_id}",
            "",
            _num(domain.qty),
            "",
            _num(domain.value),
            "",
            "",
        )
    elif kind == "StockItemOpened":
        table.add_row(*_times(event), kind, f"negative stock: {domain.negative_stock}", *[""] * 6)
    elif kind == "StockReservationHeld":
        totals.held.append(domain.qty)
    elif kind == "StockReservationReleased":
        totals.released.append(domain.qty)
    elif kind in ("ReorderPointBreached", "OverstockDetected"):
        totals.alerts += 1
    elif domain is None:
        table.add_row(*_times(event), escape(kind), "(unknown event type)", *[""] * 6)
    if current:
        totals.reserved = sum(totals.held, ZERO) - sum(totals.released, ZERO) - totals.consumed


#: Events that re-cost earlier movements: a backdated movement's re-costing and the month-end
#: restatement of the periodic average (月末一次加权平均). Both carry per-movement adjustments.
RECOSTINGS = frozenset({"StockRevalued", "StockCostAdjusted"})


def _revalued(
    table: Table,
    totals: Totals,
    event: RecordedEvent,
    domain: Any,
    occurred: dict[Any, datetime],
    as_of: datetime | None,
) -> None:
    """A re-costing: for the current state its whole value delta; as of a business time only
    the changes to movements at or before it (the ledger dates each change that way)."""
    adjustments = [
        a
        for a in domain.adjustments
        if as_of is None or occurred.get(a.movement_id, as_of) <= as_of
    ]
    if not adjustments:
        return
    delta = sum((a.stock_value_change for a in adjustments), ZERO)
    totals.value += delta
    if as_of is None:
        totals.unit_cost = domain.average_cost_after
    documents = ", ".join(sorted({a.document for a in adjustments}))
    table.add_row(
        *_times(event),
        event.event_type,
        escape(f"re-costs {documents}"),
        "",
        "",
        "",
        ("+" if delta > 0 else "") + _num(delta),
        "",
        _num(domain.value_after) if as_of is None else "",
    )


def _times(event: RecordedEvent) -> tuple[str, str, str, str]:
    return (
        str(event.stream_version),
        moment(event.occurred_at),
        moment(event.recorded_at),
        escape(event.metadata.actor or ""),
    )


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _print_reservations(totals: Totals) -> None:
    console.print(
        f"reservations: {len(totals.held)} held ({_num(sum(totals.held, ZERO))}), "
        f"{len(totals.released)} released ({_num(sum(totals.released, ZERO))}), "
        f"{_num(totals.consumed)} consumed by shipments → reserved {_num(totals.reserved)}; "
        f"alerts raised: {totals.alerts}"
    )


def _expected(totals: Totals, as_of: datetime | None) -> dict[str, Decimal]:
    figures = {"on_hand": totals.on_hand.quantize(QTY), "value": totals.value.quantize(MONEY)}
    if as_of is None:
        figures |= {
            "unit_cost": totals.unit_cost.quantize(QTY, ROUND_HALF_UP),
            "reserved": totals.reserved.quantize(QTY),
            "in_transit": totals.in_transit.quantize(QTY),
            "in_transit_value": totals.in_transit_value.quantize(MONEY),
        }
    return figures


def _differences(
    totals: Totals, model: dict[str, Decimal | None] | None, as_of: datetime | None
) -> list[str]:
    if model is None:
        return ["the read model has no row for this stock item"]
    return [
        f"{name}: events {_num(expected)}, read model {model.get(name)}"
        for name, expected in _expected(totals, as_of).items()
        if model.get(name) is None or Decimal(str(model[name])) != expected
    ]


def _comparison(
    totals: Totals, model: dict[str, Decimal | None] | None, as_of: datetime | None
) -> Table:
    table = Table(title="totals", title_justify="left")
    table.add_column("")
    table.add_column("from events", justify="right")
    table.add_column("rm_stock.levels" if as_of is None else "rm_ledger as of", justify="right")
    table.add_column("")
    for name, expected in _expected(totals, as_of).items():
        actual = None if model is None else model.get(name)
        same = actual is not None and Decimal(str(actual)) == expected
        table.add_row(
            name.replace("_", " "),
            _num(expected),
            "—" if actual is None else _num(Decimal(str(actual))),
            "[green]=[/]" if same else "[red]≠[/]",
        )
    return table
