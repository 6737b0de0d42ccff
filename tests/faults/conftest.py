"""Fault tests under load: each test module runs a whole stack of its own (tests/faults/stack.py).

Markers (registered here, so `--strict-markers` accepts them without touching pyproject):
`faults` on every test of this folder; `soak` on the long nemesis run, which is deselected
unless the `-m` expression names it (`make soak MINUTES=10 SEED=42` runs `-m soak`).

Every fault test prints one `FAULT <name>: …` line straight to the terminal (not captured), and
the lines are repeated in the run's summary. A failing test's report carries the tail of every
log of its stack, and the full logs are copied to `$TMPDIR/erp-faults-logs/<test>/`.
"""

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .invariants import Figures
from .load import LoadStats, setup_world
from .stack import FaultStack, remove_template, running_stack

#: Every FAULT line of the run, for the terminal summary.
FAULT_LINES: list[str] = []
LOGS_ROOT = Path(tempfile.gettempdir()) / "erp-faults-logs"

Emit = Callable[[list[str]], None]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: fault test under load on a stack of its own")
    config.addinivalue_line(
        "markers", "soak: the long seeded nemesis run (`make soak`); deselected unless -m soak"
    )
    if _soak_selected(config) and not os.environ.get("ERP_SOAK_SEED", "").strip():
        # Drawn once, before anything runs, so the header can print it first.
        os.environ["ERP_SOAK_SEED"] = str(random.SystemRandom().randrange(1, 1_000_000))


def pytest_report_header(config: pytest.Config) -> str | None:
    if not _soak_selected(config):
        return None
    seed, minutes = os.environ["ERP_SOAK_SEED"], os.environ.get("ERP_SOAK_MINUTES") or "10"
    return f"SOAK seed={seed} (replay: make soak MINUTES={minutes} SEED={seed})"


def _soak_selected(config: pytest.Config) -> bool:
    return "soak" in (config.option.markexpr or "")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _soak_selected(config):
        return
    soak = [item for item in items if item.get_closest_marker("soak") is not None]
    if soak:
        config.hook.pytest_deselected(items=soak)
        items[:] = [item for item in items if item.get_closest_marker("soak") is None]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.failed and isinstance(stack, FaultStack):
        kept = LOGS_ROOT / item.name
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(stack.log_dir, kept, dirs_exist_ok=True)
        report.sections.append(
            ("fault stack logs", f"full logs in {kept}\n" + stack.log_tails(lines=30))
        )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FAULT_LINES:
        terminalreporter.section("fault figures")
        for line in FAULT_LINES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def _cluster_template() -> Iterator[None]:
    yield
    remove_template()


@pytest.fixture(scope="module")
def stack(request: pytest.FixtureRequest, _cluster_template: None) -> Iterator[FaultStack]:
    """PostgreSQL, broker and every service, private to this test module."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    with running_stack(name) as started:
        yield started


@pytest.fixture(scope="module")
async def world(stack: FaultStack) -> LoadStats:
    """The load's master data on this module's stack; the setup commands' stats."""
    stats = LoadStats()
    await setup_world(stack, stats)
    return stats


@pytest.fixture
def emit(capsys: pytest.CaptureFixture[str]) -> Emit:
    """Print report lines to the terminal even while output is captured."""

    def write(lines: list[str]) -> None:
        FAULT_LINES.extend(line for line in lines if line.startswith("FAULT "))
        with capsys.disabled():
            print("\n" + "\n".join(lines), flush=True)  # noqa: T201 - the figures are the point

    return write


def problems_message(figures: Figures, stats: LoadStats) -> str:
    return figures.line() + "\n" + "\n".join(figures.details(stats))
