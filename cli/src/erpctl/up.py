"""`erp up`: start the local stack, show where it answers, run until Ctrl-C or SIGTERM."""

import importlib
import signal
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from rich.console import Console
from rich.markup import escape

from erpctl.errors import StackError
from erpctl.stack import LocalStack, StackEndpoints, StackOptions
from erpctl.summary import stack_panel
from erpctl.sync import run_coroutine

DEMO_MODULE = "erpctl.demo"
#: `async def seed(urls: dict[str, str], token: str) -> None` in `erpctl.demo`.
DemoSeeder = Callable[[dict[str, str], str], Coroutine[Any, Any, object]]
WATCH_INTERVAL = 0.5


def run_up(options: StackOptions, *, demo: bool | None, check: bool, console: Console) -> int:
    """Start everything; with `check`, stop again once healthy. Returns the exit code."""
    stack = LocalStack(options, console)
    try:
        with _stop_signals_as_interrupt():
            endpoints = stack.start()
            if check:
                return _finish_check(stack, endpoints, demo=demo, console=console)
            _seed_demo(demo, endpoints, console)
            console.print(stack_panel(endpoints, options))
            while True:
                time.sleep(WATCH_INTERVAL)
                stack.check_on_components()
    except KeyboardInterrupt:
        console.print("[dim]stopping…[/]")
        return 0
    except StackError as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        return 1
    finally:
        with _shutdown_not_interruptible(console):
            stack.stop()


def _finish_check(
    stack: LocalStack, endpoints: StackEndpoints, *, demo: bool | None, console: Console
) -> int:
    """`erp up --check` once everything answered /health: the demo only if asked for (a smoke
    test stays fast), then every service must still be running."""
    if not endpoints.service_urls:
        raise StackError("--check: no service is installed, so there is nothing to check")
    if not _seed_demo(demo or False, endpoints, console):
        return 1
    exited = stack.supervisor.newly_exited()
    if exited:
        name, code = exited[0]
        raise StackError(f"service {name} exited with code {code} right after it was healthy")
    console.print(
        f"[bold green]stack check passed[/]: {len(endpoints.service_urls)} service(s) healthy, "
        "databases and topics in place"
    )
    return 0


def _seed_demo(demo: bool | None, endpoints: StackEndpoints, console: Console) -> bool:
    """Run `erpctl.demo.seed(urls, token)` if wanted: `demo=None` means "if it is installed".
    Returns False if seeding was wanted and failed."""
    if demo is False:
        return True
    seed = _demo_seeder()
    if seed is None:
        if demo:
            raise StackError(f"--demo: the demo seeding module {DEMO_MODULE} is not installed")
        return True
    with console.status("seeding demo data…"):
        try:
            urls = dict(endpoints.service_urls)
            if endpoints.console_url:
                urls["console"] = endpoints.console_url
            run_coroutine(seed(urls, endpoints.admin_token))
        except Exception as error:  # noqa: BLE001 - the stack stays up; the user sees why
            console.print(f"[red]✗ demo seeding failed:[/] {escape(repr(error))}", soft_wrap=True)
            return False
    console.print("[green]✓[/] demo data seeded")
    return True


def _demo_seeder() -> DemoSeeder | None:
    try:
        module = importlib.import_module(DEMO_MODULE)
    except ModuleNotFoundError as error:
        if error.name == DEMO_MODULE:
            return None
        raise
    seed: DemoSeeder = module.seed
    return seed


@contextmanager
def _stop_signals_as_interrupt() -> Iterator[None]:
    """SIGTERM (e.g. from a process manager) stops the stack exactly like Ctrl-C. SIGINT is
    handled explicitly too: a process started in the background by a shell (or by anything
    started so, like a CI job run with `&`) inherits SIGINT as *ignored*, and Python then
    never turns it into KeyboardInterrupt — `kill -INT` would leave the stack running."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous_term = signal.signal(signal.SIGTERM, interrupt)
    previous_int = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


@contextmanager
def _shutdown_not_interruptible(console: Console) -> Iterator[None]:
    """A second Ctrl-C must not abandon the children half-stopped; the timeouts in the stop
    steps (SIGKILL after 10 s) bound how long this can take."""

    def still_stopping(_signum: int, _frame: FrameType | None) -> None:
        console.print("[dim]still stopping, please wait…[/]")

    previous_int = signal.signal(signal.SIGINT, still_stopping)
    previous_term = signal.signal(signal.SIGTERM, still_stopping)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)
