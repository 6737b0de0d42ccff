"""Pure helpers of the user and report screens."""

from erp_console.ui.pages.reports import ordered_dimensions
from erp_console.ui.pages.users import role_options


def test_role_options_name_every_role_in_the_readers_language() -> None:
    zh, en = role_options("zh"), role_options("en")
    assert zh["purchasing"] == "采购员 (purchasing)"
    assert en["analyst"] == "Analyst (analyst)"
    assert list(zh) == list(en)
    assert "admin" in zh


def test_ordered_dimensions_put_the_grouping_first() -> None:
    spec = {"dimensions": ["day", "month", "sku"], "default_group_by": ["day", "sku"]}
    assert ordered_dimensions(spec, ["sku"]) == ("sku", "day", "month")
    assert ordered_dimensions(spec, []) == ("day", "sku", "month")
