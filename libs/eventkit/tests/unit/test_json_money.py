"""Money and quantities leave the API as decimal strings, never floats."""

from decimal import Decimal

from eventkit.http.errors import jsonable


def test_decimals_are_rendered_as_fixed_point_strings() -> None:
    body = jsonable({"qty": Decimal("40.000000"), "value": Decimal("1E+2"), "n": [Decimal("0.1")]})
    assert body == {"qty": "40.000000", "value": "100", "n": ["0.1"]}
