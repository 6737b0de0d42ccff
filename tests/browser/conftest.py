"""The browser tests' stack: `erp up --demo` as a new user runs it (every service, the console
and the demo company, as processes on free ports), and a fresh headless Chromium per test."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .chromium import ensure_chromium, headless_chromium
from .stack import Stack, StackDidNotStart, erp_up_demo
from .support import Person


@pytest.fixture(scope="package")
def stack() -> Iterator[Stack]:
    """One demo stack for the browser tests, stopped after the last of them: an idle stack
    still polls (≈ 0.85 of a core here), and the consistency, e2e and fault tests that run
    after this package measure timing on the same two cores."""
    problem = ensure_chromium()
    if problem:
        pytest.fail(f"browser tests need Chromium: {problem}")
    weeks = int(os.environ.get("ERP_BROWSER_DEMO_WEEKS", "8"))
    try:
        with erp_up_demo(weeks) as running:
            yield running
    except StackDidNotStart as failure:
        pytest.fail(str(failure))


@pytest.fixture
def browser(stack: Stack) -> Iterator["Browsers"]:
    browsers = Browsers(stack)
    yield browsers
    browsers.close()


class Browsers:
    """One browser per person in a test (each with its own cookies)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self._drivers: list[object] = []
        self._dirs: list[Path] = []

    def person(self, username: str, password: str = "erp-demo-2026") -> Person:  # noqa: S107
        directory = Path(tempfile.mkdtemp(prefix="erp-chromium-"))
        driver = headless_chromium(directory)
        self._drivers.append(driver)
        self._dirs.append(directory)
        person = Person(driver, self.stack.console_url)
        person.downloads = directory / "downloads"
        person.sign_in(username, password)
        return person

    def close(self) -> None:
        for driver in self._drivers:
            driver.quit()  # type: ignore[attr-defined]
        for directory in self._dirs:
            shutil.rmtree(directory, ignore_errors=True)
