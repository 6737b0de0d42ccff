"""JSON Schema of the envelope and of every public event, and their committed snapshots.

    python -m erp_contracts.schema_export --write contracts/schemas   # regenerate
    python -m erp_contracts.schema_export --check contracts/schemas   # CI: fail if stale/broken

One file per schema, `<EventType>.v<N>.json` and `EventEnvelope.json`. `--write` refuses to
record a consumer-breaking change (see `erp_contracts.compatibility`) unless
`--accept-breaking` is given, so the snapshot cannot be silently moved past a breaking edit.
"""

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal

from erp_contracts.compatibility import breaking_changes
from erp_contracts.envelope import EventEnvelope
from erp_contracts.events import load_all
from erp_contracts.registry import PublicEvent, event_types

Schema = dict[str, Any]

#: Validation mode, not serialization: the snapshot must answer "does the current model still
#: accept every payload ever written?" — topics keep events forever and replays parse old
#: payloads with today's models. In validation mode a field with a default is optional (adding
#: one is additive) and a `Decimal` accepts number or string, exactly what consumers parse.
#: Removed properties, which validation alone would tolerate, are checked explicitly.
SCHEMA_MODE: Final[Literal["validation"]] = "validation"
ENVELOPE_KEY: Final = "EventEnvelope"


def schema_key(event_type: str, version: int) -> str:
    return f"{event_type}.v{version}"


def envelope_schema() -> Schema:
    return EventEnvelope.model_json_schema(mode=SCHEMA_MODE)


def event_schema(model: type[PublicEvent]) -> Schema:
    """The payload schema, tagged with what a subscriber needs to route it (`x-…` keys)."""
    schema = model.model_json_schema(mode=SCHEMA_MODE)
    schema["x-event-type"] = model.event_type
    schema["x-schema-version"] = model.schema_version
    schema["x-producer"] = model.producer
    return schema


def export_all() -> dict[str, Schema]:
    """Every schema keyed `"<EventType>.v<N>"`, plus `"EventEnvelope"`, in key order."""
    load_all()
    schemas = {ENVELOPE_KEY: envelope_schema()}
    for (event_type, version), model in event_types().items():
        schemas[schema_key(event_type, version)] = event_schema(model)
    return dict(sorted(schemas.items()))


def render(schema: Mapping[str, Any]) -> str:
    """The committed form: sorted keys, 2-space indent, UTF-8 kept readable, trailing newline."""
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def read_snapshots(directory: Path) -> dict[str, Schema]:
    return {
        path.name.removesuffix(".json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.json"))
    }


def compare_with_snapshots(
    directory: Path, schemas: Mapping[str, Schema] | None = None
) -> tuple[list[str], list[str]]:
    """(breaking changes, other differences) between `schemas` and the snapshots."""
    current = export_all() if schemas is None else schemas
    committed = read_snapshots(directory)
    breaking = [
        f"{key}: event removed (its snapshot has no model)"
        for key in committed.keys() - current.keys()
    ]
    stale: list[str] = []
    for key, schema in current.items():
        if key not in committed:
            stale.append(f"{key}: no snapshot yet")
            continue
        breaking.extend(f"{key}: {change}" for change in breaking_changes(committed[key], schema))
        if render(committed[key]) != render(schema):
            stale.append(f"{key}: snapshot differs from the current model")
    return sorted(breaking), sorted(stale)


def write_snapshots(
    directory: Path, schemas: Mapping[str, Schema] | None = None, *, accept_breaking: bool = False
) -> list[str]:
    """Write one file per schema and drop snapshots of removed events; returns breaking changes.

    With breaking changes and no `accept_breaking`, nothing is written.
    """
    current = export_all() if schemas is None else schemas
    directory.mkdir(parents=True, exist_ok=True)
    breaking, _ = compare_with_snapshots(directory, current)
    if breaking and not accept_breaking:
        return breaking
    for key in read_snapshots(directory).keys() - current.keys():
        (directory / f"{key}.json").unlink()
    for key, schema in current.items():
        (directory / f"{key}.json").write_text(render(schema), encoding="utf-8")
    return breaking


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m erp_contracts.schema_export")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="DIR", type=Path, help="regenerate the snapshots")
    mode.add_argument("--check", metavar="DIR", type=Path, help="fail if stale or breaking")
    parser.add_argument(
        "--accept-breaking",
        action="store_true",
        help="with --write: record breaking changes anyway (after a new type/version was added)",
    )
    args = parser.parse_args(argv)
    if args.write is not None:
        breaking = write_snapshots(args.write, accept_breaking=args.accept_breaking)
        if breaking and not args.accept_breaking:
            _report("refusing to write: consumer-breaking changes", breaking)
            return 1
        sys.stdout.write(f"wrote {len(read_snapshots(args.write))} schemas to {args.write}\n")
        return 0
    breaking, stale = compare_with_snapshots(args.check)
    _report("consumer-breaking changes", breaking)
    _report("snapshots out of date (run --write)", stale)
    return 1 if breaking or stale else 0


def _report(title: str, problems: Sequence[str]) -> None:
    if problems:
        sys.stderr.write(f"{title}:\n" + "".join(f"  - {problem}\n" for problem in problems))


if __name__ == "__main__":
    sys.exit(main())
