"""`erp_contracts.events.load_all` finds a service's event module without any list to edit."""

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import erp_contracts.events as events_package
from erp_contracts.events import load_all
from erp_contracts.registry import event_types, isolated_registry


@pytest.fixture
def module_name() -> Iterator[str]:
    name = f"contract_test_{uuid.uuid4().hex[:8]}"
    yield name
    sys.modules.pop(f"erp_contracts.events.{name}", None)


def test_a_new_event_module_is_imported_and_its_events_registered(
    tmp_path: Path, module_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_type = f"ContractTestLoaded{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{module_name}.py").write_text(
        "from erp_contracts.registry import PublicEvent, public_event\n\n\n"
        f"@public_event({event_type!r}, producer='inventory')\n"
        "class Loaded(PublicEvent):\n"
        "    sku: str\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(events_package, "__path__", [*events_package.__path__, str(tmp_path)])
    with isolated_registry():
        loaded = load_all()
        assert f"erp_contracts.events.{module_name}" in loaded
        assert (event_type, 1) in event_types()
    assert (event_type, 1) not in event_types()
