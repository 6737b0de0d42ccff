"""Consistency tests: read-your-writes within a service under load, and `not_yet_known` across
services (docs/eventkit.md "Consistency").

The session fixtures `infra` / `template_ready` and `database_url` (one fresh database) come
from the root conftest; `two_databases` is the cross-service fixture of tests/e2e, reused by
import. Every test prints one line (`RYW …`, `NYK …`, `LAG …`) straight to the terminal (`-s`).

Every test here carries the marker `consistency` (registered below, so `--strict-markers`
accepts it): `-m "not consistency"` leaves the long read-your-writes runs out of a quick pass.
`ERP_CONSISTENCY_PAIRS` (default 200 in the suite; `make consistency` runs the required 1000)
and `ERP_CONSISTENCY_LOAD_CLIENTS` (default 4) size a run.
"""

import pytest

from ..e2e.conftest import two_databases

__all__ = ["two_databases"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "consistency: read-your-writes and cross-service consistency tests"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/consistency/" in item.nodeid:
            item.add_marker(pytest.mark.consistency)
