"""Consumer-breaking changes between two JSON Schemas of the same event.

Our rule is "contract changes are additive". Topics keep events forever and consumers replay
them, so a new schema must (a) still accept every payload the old one accepted, and (b) still
carry every property consumers may read. Breaking, therefore:

- a property removed (consumers read it);
- a type changed or narrowed (`string` → `integer`, an `anyOf` alternative dropped such as
  `null`, an enum losing values, a new or changed `format`/`pattern`, a tighter min/max);
- a property newly required (old payloads lack it);
- `additionalProperties` tightened.

Fine: a new optional property, a widened type (`integer` → `number`, a new enum value, a
constraint relaxed). Widening is accepted because old payloads stay valid; reviewers should
still check that consumers pinned to the older contract tolerate the wider values.

Messages name the JSON path of the affected value: `$.lines[*].sku`, `$.meta.*` (map values).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Node = Mapping[str, Any]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_EXACT = ("format", "pattern", "multipleOf")
#: Root annotations that route the event: a different producer means a different topic.
_ROUTING = ("x-event-type", "x-schema-version", "x-producer")


def breaking_changes(old: Node, new: Node) -> list[str]:
    """Human-readable consumer-breaking changes from `old` to `new`; empty when additive."""
    comparison = _Comparison(old, new)
    problems = [
        f"$: {key} changed from {old[key]!r} to {new.get(key)!r}"
        for key in _ROUTING
        if key in old and old[key] != new.get(key)
    ]
    problems.extend(comparison.compare(old, new, "$"))
    return problems


@dataclass
class _Comparison:
    old_root: Node
    new_root: Node
    #: `$ref` pairs on the current comparison path: a recursive model would otherwise never end.
    active: set[tuple[str, str]] = field(default_factory=set)

    def compare(self, old: Node, new: Node, path: str) -> list[str]:
        old_alternatives = _alternatives(old, self.old_root)
        new_alternatives = _alternatives(new, self.new_root)
        if len(old_alternatives) == 1 and len(new_alternatives) == 1:
            return self._compare_pair(old_alternatives[0], new_alternatives[0], path)
        problems: list[str] = []
        for alternative in old_alternatives:
            problems.extend(self._covered(alternative, new_alternatives, path))
        return problems

    def _covered(self, old: Node, candidates: list[Node], path: str) -> list[str]:
        """Problems unless some alternative of the new schema accepts what `old` accepted."""
        old_types = _types(_resolve(old, self.old_root))
        overlapping = [
            candidate
            for candidate in candidates
            if old_types & (types := _types(_resolve(candidate, self.new_root))) or "any" in types
        ]
        if not overlapping:
            return [f"{path}: no longer accepts {_describe(_resolve(old, self.old_root))}"]
        attempts = [self._compare_pair(old, candidate, path) for candidate in overlapping]
        return [] if any(not attempt for attempt in attempts) else attempts[0]

    def _compare_pair(self, old: Node, new: Node, path: str) -> list[str]:
        """Compare two single (non-`anyOf`) schemas, each possibly a `$ref`."""
        refs = (old.get("$ref", ""), new.get("$ref", ""))
        if refs in self.active:
            return []  # already comparing these two definitions further up: a recursive model
        if refs != ("", ""):
            self.active.add(refs)
        try:
            return self._compare_single(
                _resolve(old, self.old_root), _resolve(new, self.new_root), path
            )
        finally:
            self.active.discard(refs)

    def _compare_single(self, old: Node, new: Node, path: str) -> list[str]:
        old_types, new_types = _types(old), _types(new)
        if "any" not in new_types and not old_types <= _widened(new_types):
            return [f"{path}: type changed from {_describe(old)} to {_describe(new)}"]
        problems = _enum_narrowing(old, new, path)
        problems.extend(_tightened_constraints(old, new, path))
        if "object" in old_types:
            problems.extend(self._compare_objects(old, new, path))
        if "array" in old_types and "items" in old and "items" in new:
            problems.extend(self.compare(old["items"], new["items"], f"{path}[*]"))
        return problems

    def _compare_objects(self, old: Node, new: Node, path: str) -> list[str]:
        old_props: Mapping[str, Node] = old.get("properties", {})
        new_props: Mapping[str, Node] = new.get("properties", {})
        problems: list[str] = []
        for name, old_prop in old_props.items():
            if name not in new_props:
                problems.append(f"{path}.{name}: property removed")
            else:
                problems.extend(self.compare(old_prop, new_props[name], f"{path}.{name}"))
        for name in sorted(set(new.get("required", ())) - set(old.get("required", ()))):
            kind = "property is now required" if name in old_props else "new required property"
            problems.append(f"{path}.{name}: {kind} (payloads written before lack it)")
        problems.extend(self._compare_additional(old, new, path))
        return problems

    def _compare_additional(self, old: Node, new: Node, path: str) -> list[str]:
        old_extra = old.get("additionalProperties", True)
        new_extra = new.get("additionalProperties", True)
        if new_extra is True or new_extra == {}:
            return []
        if old_extra is False:
            return []
        if new_extra is False:
            return [f"{path}: additionalProperties tightened (extra properties now rejected)"]
        if old_extra is True or old_extra == {}:
            return [f"{path}.*: additionalProperties tightened (values now constrained)"]
        return self.compare(old_extra, new_extra, f"{path}.*")


def _resolve(node: Node, root: Node) -> Node:
    """Follow local `$ref`s (`#/$defs/Name`) and unwrap a one-element `allOf`."""
    for _ in range(32):  # a ref chain longer than this is a malformed schema
        if "$ref" in node:
            target = _pointer(root, node["$ref"])
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            node = {**target, **siblings}
        elif isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1:
            siblings = {key: value for key, value in node.items() if key != "allOf"}
            node = {**node["allOf"][0], **siblings}
        else:
            return node
    raise ValueError("$ref chain too long")


def _pointer(root: Node, ref: str) -> Node:
    if not ref.startswith("#"):
        raise ValueError(f"only local $ref are supported, got {ref!r}")
    target: Any = root
    for part in filter(None, ref[1:].split("/")):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    if not isinstance(target, Mapping):
        raise TypeError(f"$ref {ref!r} does not point at a schema")
    return target


def _alternatives(node: Node, root: Node) -> list[Node]:
    """The flattened `anyOf`/`oneOf` branches of `node` (itself when it has none), unresolved
    so that a `$ref` branch keeps its name for the recursion guard."""
    resolved = _resolve(node, root)
    branches = resolved.get("anyOf") or resolved.get("oneOf")
    if not branches:
        return [node]
    found: list[Node] = []
    for branch in branches:
        found.extend(_alternatives(branch, root))
    return found


def _types(node: Node) -> set[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return set(declared)
    values = node.get("enum", [node["const"]] if "const" in node else None)
    if values is not None:
        return {_json_type(value) for value in values}
    if "properties" in node or "additionalProperties" in node:
        return {"object"}
    if "items" in node or "prefixItems" in node:
        return {"array"}
    return {"any"}


def _widened(types: set[str]) -> set[str]:
    """An integer is a number: `integer` → `number` widens."""
    return types | {"integer"} if "number" in types else types


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _enum_narrowing(old: Node, new: Node, path: str) -> list[str]:
    new_values = _enum(new)
    if new_values is None:
        return []
    old_values = _enum(old)
    if old_values is None:
        return [f"{path}: now restricted to {sorted(map(repr, new_values))}"]
    lost = old_values - new_values
    return [f"{path}: enum lost {sorted(map(repr, lost))}"] if lost else []


def _enum(node: Node) -> set[Any] | None:
    if "enum" in node:
        return {_hashable(value) for value in node["enum"]}
    return {_hashable(node["const"])} if "const" in node else None


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, list | dict) else value


def _tightened_constraints(old: Node, new: Node, path: str) -> list[str]:
    problems = [
        f"{path}: {key} changed from {old.get(key)!r} to {new[key]!r}"
        for key in _EXACT
        if key in new and old.get(key) != new[key]
    ]
    problems.extend(_bound_problems(old, new, path, _LOWER_BOUNDS, raised=True))
    problems.extend(_bound_problems(old, new, path, _UPPER_BOUNDS, raised=False))
    return problems


def _bound_problems(
    old: Node, new: Node, path: str, keys: Iterable[str], *, raised: bool
) -> list[str]:
    problems = []
    for key in keys:
        if key not in new:
            continue
        before, after = old.get(key), new[key]
        tighter = before is None or (after > before if raised else after < before)
        if tighter:
            problems.append(f"{path}: {key} tightened from {before!r} to {after!r}")
    return problems


def _describe(node: Node) -> str:
    types = sorted(_types(node))
    fmt = f" ({node['format']})" if "format" in node else ""
    return "|".join(types) + fmt
