"""`erp verify`: do the read models equal a replay of the event store, and do the invariants hold?

Per service: every projection is replayed into a scratch schema and compared row for row with
the live tables at the live checkpoint (`eventkit.projections.verify_projection`; read-only:
nothing live is changed, the live runner only pauses while the tables are compared). Then the
service's invariants: inventory — no stock below zero unless the item's policy allows negative
stock. Finance: the trial balance is zero, account 1405 equals finance's own valuation of the
stock it was told about, and that equals inventory's valuation (stock on hand + in transit, read
from the inventory database — the CLI is an operator's tool and may read both). Reporting: its
net revenue equals finance's 6001, in total and month by month, and its stock value at today
equals inventory's valuation (both read from the other service's database)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Literal

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from erp_contracts.topics import SERVICES
from erpctl.ops import (
    OperationError,
    check_services,
    console,
    load_blueprint,
    progress_bar,
    progress_callback,
    run_operation,
    service_engine,
)
from eventkit import EventStore
from eventkit.projections import verify_projection
from eventkit.runtime import ServiceBlueprint

Outcome = Literal["ok", "failed", "skipped"]


@dataclass
class Check:
    service: str
    name: str
    outcome: Outcome
    summary: str
    details: list[str] = field(default_factory=list)


Invariant = Callable[[AsyncEngine, EventStore], Awaitable[Check]]


def verify(
    services: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SERVICE",
            help=f"Services to verify. Default: all ({', '.join(SERVICES)}).",
            callback=check_services,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the read models against a replay of the event store, and the invariants.

    Every projection is replayed into a scratch schema and compared row for row with the live
    one; then the business invariants (inventory: no stock below zero where the item's policy
    forbids it). Exit code 0 when everything holds, 1 otherwise (a difference, a violated
    invariant, or a database that cannot be read).
    """
    checks: list[Check] = []
    for service in services or SERVICES:
        checks.extend(run_operation(_verify_service(service)))
    console.print(_table(checks))
    for check in checks:
        for detail in check.details:
            console.print(
                f"[red]✗[/] {check.service} {escape(check.name)}: {escape(detail)}",
                soft_wrap=True,
                highlight=False,
            )
    failed = [c for c in checks if c.outcome == "failed"]
    skipped = [c for c in checks if c.outcome == "skipped"]
    if failed:
        console.print(f"[bold red]verify failed[/]: {len(failed)} of {len(checks)} checks")
        raise typer.Exit(1)
    note = f", {len(skipped)} skipped" if skipped else ""
    console.print(f"[bold green]verify passed[/]: {len(checks) - len(skipped)} checks hold{note}")


async def _verify_service(service: str) -> list[Check]:
    try:
        blueprint = load_blueprint(service)
        return await _checks(service, blueprint)
    except OperationError as error:
        return [Check(service, "database", "failed", "cannot verify", [str(error)])]


async def _checks(service: str, blueprint: ServiceBlueprint) -> list[Check]:
    invariants = INVARIANTS.get(service, ())
    if not blueprint.projections and not invariants:
        return [Check(service, "projections", "skipped", "none yet")]
    checks: list[Check] = []
    async with service_engine(service) as engine:
        with progress_bar() as progress:
            for projection in blueprint.projections:
                task = progress.add_task(f"{service}: {projection.name}", total=None)
                report = await verify_projection(
                    engine,
                    projection,
                    blueprint.upcasters,
                    progress=progress_callback(progress, task),
                )
                checks.append(
                    Check(
                        service,
                        f"projection {projection.name}",
                        "ok" if report.equal else "failed",
                        f"equal ({report.events_read:,} events, {report.tables} table(s))"
                        if report.equal
                        else f"{len(report.differences)} table(s) differ",
                        report.differences,
                    )
                )
        store = EventStore(blueprint.upcasters)
        checks.extend([await invariant(engine, store) for invariant in invariants])
    return checks


def _table(checks: list[Check]) -> Table:
    table = Table(title="erp verify", title_justify="left")
    table.add_column("service")
    table.add_column("check", overflow="fold")
    table.add_column("result")
    table.add_column("", overflow="fold")
    styles = {
        "ok": "[green]✓ holds[/]",
        "failed": "[red]✗ fails[/]",
        "skipped": "[yellow]skipped[/]",
    }
    for check in checks:
        table.add_row(check.service, escape(check.name), styles[check.outcome], check.summary)
    return table


async def inventory_no_forbidden_negative_stock(engine: AsyncEngine, store: EventStore) -> Check:
    """Rows of `rm_stock.levels` with on hand < 0 whose item does not allow negative stock."""
    name = "no stock below zero where the item's policy forbids it"
    async with engine.connect() as conn:
        if not await conn.scalar(text("SELECT to_regclass('rm_stock.levels') IS NOT NULL")):
            return Check("inventory", name, "skipped", "rm_stock.levels does not exist yet")
        rows = (
            await conn.execute(
                text(
                    "SELECT sku, warehouse_id, on_hand FROM rm_stock.levels"
                    " WHERE on_hand < 0 ORDER BY sku, warehouse_id"
                )
            )
        ).all()
        violations: list[str] = []
        allowed = 0
        for sku, warehouse_id, on_hand in rows:
            policy = await negative_stock_policy(conn, store, sku)
            if policy == "allow":
                allowed += 1
            else:
                violations.append(
                    f"{sku}@{warehouse_id} on hand {on_hand} (negative stock: "
                    f"{policy or 'item not registered'})"
                )
    if violations:
        return Check("inventory", name, "failed", f"{len(violations)} violation(s)", violations)
    if not allowed:
        return Check("inventory", name, "ok", "no stock below zero")
    return Check("inventory", name, "ok", f"{allowed} negative row(s), all allowed by policy")


async def negative_stock_policy(conn: AsyncConnection, store: EventStore, sku: str) -> str | None:
    """The item's negative-stock policy from its own stream (`item-<sku>`): the last event that
    states one (`ItemRegistered.negative_stock`, default forbid); None if no such item."""
    events = await store.read_stream(conn, f"item-{sku}")
    policy: str | None = None
    for event in events:
        if event.event_type == "ItemRegistered":
            policy = "forbid"
        if "negative_stock" in event.payload:
            policy = str(event.payload["negative_stock"])
    return policy


async def finance_trial_balance_is_zero(engine: AsyncEngine, _store: EventStore) -> Check:
    async with engine.connect() as conn:
        row = (await conn.execute(text(_TRIAL_BALANCE))).one()
    debit, credit = row
    outcome: Outcome = "ok" if debit == credit else "failed"
    return Check("finance", "trial balance = 0", outcome, f"debit {debit} / credit {credit}")


async def finance_1405_equals_inventory_valuation(engine: AsyncEngine, _store: EventStore) -> Check:
    """1405 库存商品 must equal finance's own valuation, and that must equal inventory's."""
    async with engine.connect() as conn:
        gl_1405 = (await conn.execute(text(_GL_1405))).scalar_one()
        finance_valuation = (await conn.execute(text(_FINANCE_VALUATION))).scalar_one()
    async with service_engine("inventory") as inventory, inventory.connect() as conn:
        inventory_valuation = (await conn.execute(text(_INVENTORY_VALUATION))).scalar_one()
    figures = (
        f"GL 1405 {gl_1405}, finance valuation {finance_valuation}, inventory {inventory_valuation}"
    )
    holds = gl_1405 == finance_valuation == inventory_valuation
    return Check("finance", "1405 = inventory valuation", "ok" if holds else "failed", figures)


_TRIAL_BALANCE = (
    "SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0) FROM rm_ledger.journal_lines"
)
_GL_1405 = (
    "SELECT coalesce(sum(debit - credit), 0) FROM rm_ledger.journal_lines WHERE account = '1405'"
)
_FINANCE_VALUATION = "SELECT coalesce(sum(value), 0) FROM rm_ledger.stock_valuation"
_INVENTORY_VALUATION = (
    "SELECT coalesce(sum(value + coalesce(in_transit_value, 0)), 0) FROM rm_stock.levels"
)


async def _exists(conn: AsyncConnection, table: str) -> bool:
    return bool(await conn.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}))


async def reporting_revenue_equals_finance_6001(engine: AsyncEngine, _store: EventStore) -> Check:
    """Reporting's net revenue (customer invoices − credit notes, by document date) against
    finance's 主营业务收入 6001 (credit − debit, by the journal entry's business time), in total
    and for each UTC month either side has revenue in."""
    name = "sales revenue = finance 6001 (per month)"
    async with engine.connect() as conn:
        if not await _exists(conn, "rm_report_customers.receivables"):
            return Check("reporting", name, "skipped", "rm_report_customers does not exist yet")
        ours: dict[str, Decimal] = {
            row[0]: row[1] for row in (await conn.execute(text(_REPORTING_REVENUE))).all()
        }
    async with service_engine("finance") as finance, finance.connect() as conn:
        if not await _exists(conn, "rm_ledger.journal_lines"):
            return Check("reporting", name, "skipped", "finance's rm_ledger does not exist yet")
        theirs: dict[str, Decimal] = {
            row[0]: row[1] for row in (await conn.execute(text(_FINANCE_REVENUE))).all()
        }
    zero = Decimal("0.00")
    differences = [
        f"{month}: reporting {ours.get(month, zero)}, finance 6001 {theirs.get(month, zero)}"
        for month in sorted(set(ours) | set(theirs))
        if ours.get(month, zero) != theirs.get(month, zero)
    ]
    total_ours = sum(ours.values(), zero)
    total_theirs = sum(theirs.values(), zero)
    figures = f"reporting {total_ours}, finance 6001 {total_theirs} ({len(ours | theirs)} month(s))"
    if differences:
        return Check("reporting", name, "failed", figures, differences)
    return Check("reporting", name, "ok", figures)


async def reporting_stock_value_equals_inventory_valuation(
    engine: AsyncEngine, _store: EventStore
) -> Check:
    """Reporting's stock value at today (the latest `closing_value` of each sku × warehouse)
    against inventory's valuation (on hand + in transit: reporting keeps goods in transit at the
    source until the transfer completes)."""
    name = "stock value at today = inventory valuation"
    async with engine.connect() as conn:
        if not await _exists(conn, "rm_report_stock.stock_daily"):
            return Check("reporting", name, "skipped", "rm_report_stock does not exist yet")
        ours = (await conn.execute(text(_REPORTING_STOCK_VALUE))).scalar_one()
    async with service_engine("inventory") as inventory, inventory.connect() as conn:
        if not await _exists(conn, "rm_stock.levels"):
            return Check("reporting", name, "skipped", "inventory's rm_stock does not exist yet")
        theirs = (await conn.execute(text(_INVENTORY_VALUATION))).scalar_one()
    outcome: Outcome = "ok" if ours == theirs else "failed"
    return Check("reporting", name, outcome, f"reporting {ours}, inventory {theirs}")


_REPORTING_REVENUE = (
    "SELECT to_char(day, 'YYYY-MM') AS month, sum(net) FROM rm_report_customers.receivables"
    " WHERE kind IS NOT NULL GROUP BY month"
)
_FINANCE_REVENUE = (
    "SELECT to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,"
    " sum(l.credit - l.debit) FROM rm_ledger.journal_lines l"
    " JOIN rm_ledger.journal_entries e USING (entry_id)"
    " WHERE l.account = '6001' GROUP BY month"
)
_REPORTING_STOCK_VALUE = (
    "SELECT coalesce(sum(closing_value), 0) FROM ("
    " SELECT DISTINCT ON (sku, warehouse_id) closing_value FROM rm_report_stock.stock_daily"
    " WHERE day <= (now() AT TIME ZONE 'UTC')::date"
    " ORDER BY sku, warehouse_id, day DESC) latest"
)


INVARIANTS: dict[str, tuple[Invariant, ...]] = {
    "inventory": (inventory_no_forbidden_negative_stock,),
    "finance": (finance_trial_balance_is_zero, finance_1405_equals_inventory_valuation),
    "reporting": (
        reporting_revenue_equals_finance_6001,
        reporting_stock_value_equals_inventory_valuation,
    ),
}
