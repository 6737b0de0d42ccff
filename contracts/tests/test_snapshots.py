"""The committed JSON Schema snapshots (`contracts/schemas/`) guard every public contract.

If a test here fails after you edited an event: an additive change only needs
`uv run python -m erp_contracts.schema_export --write contracts/schemas`; a breaking change
needs a new event type or version instead (docs/contracts.md).
"""

import json
import uuid
from pathlib import Path

import pytest

from erp_contracts.compatibility import breaking_changes
from erp_contracts.registry import PublicEvent, event_types, isolated_registry, public_event
from erp_contracts.schema_export import (
    ENVELOPE_KEY,
    compare_with_snapshots,
    export_all,
    main,
    read_snapshots,
    render,
    schema_key,
    write_snapshots,
)

SNAPSHOTS = Path(__file__).resolve().parents[1] / "schemas"
CURRENT = export_all()


def unique_event_type() -> str:
    return f"ContractTestEvent{uuid.uuid4().hex[:8]}"


def test_every_registered_event_and_the_envelope_have_a_committed_snapshot() -> None:
    expected = {ENVELOPE_KEY} | {schema_key(t, v) for t, v in event_types()}
    missing = expected - read_snapshots(SNAPSHOTS).keys()
    assert not missing, f"no snapshot for {sorted(missing)}: run schema_export --write"


@pytest.mark.parametrize("key", sorted(CURRENT))
def test_the_current_schema_has_no_breaking_change_against_its_snapshot(key: str) -> None:
    committed = read_snapshots(SNAPSHOTS)
    if key not in committed:
        pytest.fail(f"{key} has no snapshot: run schema_export --write")
    assert breaking_changes(committed[key], CURRENT[key]) == []


def test_no_committed_snapshot_belongs_to_an_event_that_no_longer_exists() -> None:
    orphaned = read_snapshots(SNAPSHOTS).keys() - CURRENT.keys()
    assert not orphaned, f"events removed: {sorted(orphaned)} (a breaking change)"


def test_the_committed_snapshots_are_up_to_date() -> None:
    _, stale = compare_with_snapshots(SNAPSHOTS)
    assert stale == [], (
        "run: uv run python -m erp_contracts.schema_export --write contracts/schemas"
    )


def test_snapshot_files_are_sorted_indented_and_end_with_a_newline(tmp_path: Path) -> None:
    write_snapshots(tmp_path)
    text = (tmp_path / f"{ENVELOPE_KEY}.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert text == render(CURRENT[ENVELOPE_KEY])


def test_an_additive_change_to_an_event_is_accepted_against_its_snapshot(tmp_path: Path) -> None:
    event_type = unique_event_type()
    with isolated_registry():

        @public_event(event_type, producer="inventory")
        class Before(PublicEvent):
            sku: str

        write_snapshots(tmp_path)
    with isolated_registry():

        @public_event(event_type, producer="inventory")
        class After(PublicEvent):
            sku: str
            lot: str | None = None

        breaking, stale = compare_with_snapshots(tmp_path)
    assert breaking == []
    assert stale == [f"{schema_key(event_type, 1)}: snapshot differs from the current model"]


def test_removing_a_field_is_reported_and_the_snapshot_is_not_overwritten(tmp_path: Path) -> None:
    event_type = unique_event_type()
    key = schema_key(event_type, 1)
    with isolated_registry():

        @public_event(event_type, producer="inventory")
        class Before(PublicEvent):
            sku: str
            qty: int

        write_snapshots(tmp_path)
    snapshot_before = (tmp_path / f"{key}.json").read_text(encoding="utf-8")
    with isolated_registry():

        @public_event(event_type, producer="inventory")
        class After(PublicEvent):
            sku: str

        refused = write_snapshots(tmp_path)
    assert refused == [f"{key}: $.qty: property removed"]
    assert (tmp_path / f"{key}.json").read_text(encoding="utf-8") == snapshot_before


def test_check_fails_for_an_event_without_a_snapshot(tmp_path: Path) -> None:
    write_snapshots(tmp_path)
    assert main(["--check", str(tmp_path)]) == 0
    with isolated_registry():

        @public_event(unique_event_type(), producer="sales")
        class Unsnapshotted(PublicEvent):
            order_id: str

        assert main(["--check", str(tmp_path)]) == 1


def test_a_throwaway_event_does_not_leak_out_of_an_isolated_registry() -> None:
    event_type = unique_event_type()
    with isolated_registry():

        @public_event(event_type, producer="finance")
        class Throwaway(PublicEvent):
            amount: str

        assert (event_type, 1) in event_types()
    assert (event_type, 1) not in event_types()
    assert schema_key(event_type, 1) not in export_all()
