"""What every fault test does after its fault: check the invariants, print the figures, and
fail with every violated invariant at once (never just the first)."""

from collections.abc import Callable, Sequence

from .invariants import Figures, Poison, check_invariants, report_lines
from .load import Load
from .stack import FaultStack

Emit = Callable[[list[str]], None]

#: Kernel log events worth counting in every report.
NOTABLE_LOG_EVENTS = (
    "relay_leader",
    "relay_lost_leadership",
    "relay_checkpoint_moved_meanwhile",
    "broker_lost_log_republishing",
    "dead_lettered",
    "background_task_died",
    "projection_failed",
)

#: Seconds of load before a fault, so there is traffic in flight when it hits.
WARM_UP = 4.0


async def conclude(
    stack: FaultStack,
    load: Load,
    emit: Emit,
    *,
    name: str,
    recovered_in: float | None,
    poison: Sequence[Poison] = (),
    extra_problems: Sequence[str] = (),
    extra_figures: Sequence[str] = (),
) -> Figures:
    figures = await check_invariants(
        stack, load.stats, name=name, recovered_in=recovered_in, poison=poison
    )
    figures.extra.extend(extra_figures)
    figures.extra.append(f"service logs: {stack.log_events(*NOTABLE_LOG_EVENTS)}")
    emit(report_lines(figures, load.stats, stack))
    problems = [*figures.problems(load.stats), *extra_problems]
    assert not problems, f"{figures.line()}\n" + "\n".join(f"- {p}" for p in problems)
    return figures


def slowest(recoveries: dict[str, float | None]) -> float | None:
    """The longest recovery, None if any never recovered."""
    if any(seconds is None for seconds in recoveries.values()):
        return None
    return max((s for s in recoveries.values() if s is not None), default=0.0)


def recoveries_text(recoveries: dict[str, float | None]) -> str:
    return "recovered_in per fault: " + ", ".join(
        f"{name}={'never' if s is None else f'{s:.1f}s'}" for name, s in recoveries.items()
    )
