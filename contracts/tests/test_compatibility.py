"""`breaking_changes`: each rule of "contract changes are additive" on small schemas."""

from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from erp_contracts.compatibility import breaking_changes


def obj(required: tuple[str, ...] = (), **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required)}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
NULLABLE_STRING = {"anyOf": [STRING, {"type": "null"}], "default": None}


def test_an_identical_schema_has_no_breaking_change() -> None:
    schema = obj(("sku",), sku=STRING, qty=INTEGER)
    assert breaking_changes(schema, schema) == []


def test_adding_an_optional_property_is_additive() -> None:
    old = obj(("sku",), sku=STRING)
    new = obj(("sku",), sku=STRING, lot=NULLABLE_STRING)
    assert breaking_changes(old, new) == []


def test_removing_a_property_is_breaking() -> None:
    old = obj(("sku",), sku=STRING, lot=NULLABLE_STRING)
    new = obj(("sku",), sku=STRING)
    assert breaking_changes(old, new) == ["$.lot: property removed"]


def test_changing_a_property_type_is_breaking() -> None:
    old = obj(sku=STRING)
    new = obj(sku=INTEGER)
    assert breaking_changes(old, new) == ["$.sku: type changed from string to integer"]


def test_widening_integer_to_number_is_additive() -> None:
    assert breaking_changes(obj(qty=INTEGER), obj(qty=NUMBER)) == []


def test_narrowing_number_to_integer_is_breaking() -> None:
    assert breaking_changes(obj(qty=NUMBER), obj(qty=INTEGER)) == [
        "$.qty: type changed from number to integer"
    ]


def test_a_property_that_becomes_required_is_breaking() -> None:
    old = obj(("sku",), sku=STRING, lot=STRING)
    new = obj(("sku", "lot"), sku=STRING, lot=STRING)
    assert breaking_changes(old, new) == [
        "$.lot: property is now required (payloads written before lack it)"
    ]


def test_a_new_required_property_is_breaking() -> None:
    old = obj(("sku",), sku=STRING)
    new = obj(("sku", "warehouse_id"), sku=STRING, warehouse_id=STRING)
    assert breaking_changes(old, new) == [
        "$.warehouse_id: new required property (payloads written before lack it)"
    ]


def test_a_required_property_becoming_optional_is_additive() -> None:
    assert breaking_changes(obj(("sku",), sku=STRING), obj(sku=STRING)) == []


def test_an_enum_losing_a_value_is_breaking() -> None:
    old = obj(policy={"type": "string", "enum": ["forbid", "allow"]})
    new = obj(policy={"type": "string", "enum": ["forbid"]})
    assert breaking_changes(old, new) == ["$.policy: enum lost [\"'allow'\"]"]


def test_an_enum_gaining_a_value_is_additive() -> None:
    old = obj(policy={"type": "string", "enum": ["forbid"]})
    new = obj(policy={"type": "string", "enum": ["forbid", "allow"]})
    assert breaking_changes(old, new) == []


def test_restricting_a_free_string_to_an_enum_is_breaking() -> None:
    old = obj(policy=STRING)
    new = obj(policy={"type": "string", "enum": ["forbid"]})
    assert breaking_changes(old, new) == ["$.policy: now restricted to [\"'forbid'\"]"]


def test_changing_a_format_is_breaking() -> None:
    old = obj(at={"type": "string", "format": "date-time"})
    new = obj(at={"type": "string", "format": "date"})
    assert breaking_changes(old, new) == ["$.at: format changed from 'date-time' to 'date'"]


def test_dropping_null_from_a_nullable_property_is_breaking() -> None:
    assert breaking_changes(obj(lot=NULLABLE_STRING), obj(lot=STRING)) == [
        "$.lot: no longer accepts null"
    ]


def test_making_a_property_nullable_is_additive() -> None:
    assert breaking_changes(obj(lot=STRING), obj(lot=NULLABLE_STRING)) == []


def test_a_tighter_max_length_is_breaking() -> None:
    old = obj(sku={"type": "string", "maxLength": 64})
    new = obj(sku={"type": "string", "maxLength": 32})
    assert breaking_changes(old, new) == ["$.sku: maxLength tightened from 64 to 32"]


def test_a_removed_property_inside_array_items_is_reported_with_its_path() -> None:
    old = obj(lines={"type": "array", "items": obj(sku=STRING, qty=NUMBER)})
    new = obj(lines={"type": "array", "items": obj(sku=STRING)})
    assert breaking_changes(old, new) == ["$.lines[*].qty: property removed"]


def test_a_removed_property_inside_a_referenced_definition_is_breaking() -> None:
    old = {**obj(lines={"type": "array", "items": {"$ref": "#/$defs/Line"}})}
    old["$defs"] = {"Line": obj(("sku",), sku=STRING, unit_cost=NUMBER)}
    new = {**obj(lines={"type": "array", "items": {"$ref": "#/$defs/Line"}})}
    new["$defs"] = {"Line": obj(("sku",), sku=STRING)}
    assert breaking_changes(old, new) == ["$.lines[*].unit_cost: property removed"]


def test_a_definition_inlined_without_change_is_not_breaking() -> None:
    line = obj(("sku",), sku=STRING)
    old = {**obj(line={"$ref": "#/$defs/Line"}), "$defs": {"Line": line}}
    new = obj(line=line)
    assert breaking_changes(old, new) == []


def test_a_recursive_definition_is_compared_without_looping() -> None:
    node = obj(name=STRING, children={"type": "array", "items": {"$ref": "#/$defs/Node"}})
    old = {"$ref": "#/$defs/Node", "$defs": {"Node": node}}
    smaller = obj(children={"type": "array", "items": {"$ref": "#/$defs/Node"}})
    new = {"$ref": "#/$defs/Node", "$defs": {"Node": smaller}}
    assert breaking_changes(old, new) == ["$.name: property removed"]


def test_forbidding_additional_properties_is_breaking() -> None:
    new = {**obj(sku=STRING), "additionalProperties": False}
    assert breaking_changes(obj(sku=STRING), new) == [
        "$: additionalProperties tightened (extra properties now rejected)"
    ]


def test_narrowing_the_values_of_a_map_is_breaking() -> None:
    old = obj(attributes={"type": "object", "additionalProperties": {"type": "string"}})
    new = obj(attributes={"type": "object", "additionalProperties": {"type": "integer"}})
    assert breaking_changes(old, new) == ["$.attributes.*: type changed from string to integer"]


def test_a_decimal_that_stops_accepting_strings_is_breaking() -> None:
    # pydantic's validation schema of Decimal: a number or a decimal string.
    decimal = {"anyOf": [NUMBER, {"type": "string"}]}
    assert breaking_changes(obj(qty=decimal), obj(qty=NUMBER)) == [
        "$.qty: no longer accepts string"
    ]


def test_a_changed_producer_is_breaking_because_the_topic_changes() -> None:
    old = {**obj(sku=STRING), "x-producer": "inventory"}
    new = {**obj(sku=STRING), "x-producer": "sales"}
    assert breaking_changes(old, new) == ["$: x-producer changed from 'inventory' to 'sales'"]


def test_pydantic_models_nested_line_changes_are_found_through_their_definitions() -> None:
    class LineBefore(BaseModel):
        sku: str
        qty: Decimal
        unit_cost: Decimal

    class ReceivedBefore(BaseModel):
        lines: list[LineBefore]

    class LineAfter(BaseModel):
        sku: str
        qty: float
        note: str | None = None

    class ReceivedAfter(BaseModel):
        lines: list[LineAfter]

    assert breaking_changes(
        ReceivedBefore.model_json_schema(), ReceivedAfter.model_json_schema()
    ) == ["$.lines[*].qty: no longer accepts string", "$.lines[*].unit_cost: property removed"]


def test_a_recursive_optional_reference_is_compared_without_looping() -> None:
    class NodeBefore(BaseModel):
        name: str
        code: str
        parent: "NodeBefore | None" = None

    class NodeAfter(BaseModel):
        name: str
        parent: "NodeAfter | None" = None

    old, new = NodeBefore.model_json_schema(), NodeAfter.model_json_schema()
    assert breaking_changes(old, new) == ["$.code: property removed"]
    assert breaking_changes(old, old) == []
