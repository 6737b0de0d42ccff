"""The 盘点 count sheet: optional 库位/批次 columns count per bin."""

from erp_console.ui.pages.stocktake_sheet import batches, parse_file, parse_pasted

KNOWN = frozenset({"MILK", "SALT"})


def test_location_and_lot_columns_are_sent_only_when_named() -> None:
    sheet = parse_pasted("MILK\t8\tA-01\tL-1\nMILK\t2\t\tL-2\nSALT\t5", KNOWN)
    assert sheet.problems == []
    assert batches(sheet.counts) == [
        [
            {"sku": "MILK", "counted_qty": "8", "location": "A-01", "lot": "L-1"},
            {"sku": "MILK", "counted_qty": "2", "lot": "L-2"},
            {"sku": "SALT", "counted_qty": "5"},
        ]
    ]


def test_a_sku_counted_both_per_sku_and_per_bin_on_one_sheet_is_reported_and_not_sent() -> None:
    sheet = parse_file("count.csv", b"sku,qty,location,lot\nMILK,8,A-01,L-1\nMILK,3\n", KNOWN)
    assert [(line, why) for line, _, why in sheet.problems] == [(3, "mixed_count_modes")]
    assert list(sheet.counts) == [("MILK", "A-01", "L-1")]


def test_a_recount_of_the_same_bin_on_the_sheet_keeps_the_last_line() -> None:
    sheet = parse_pasted("MILK,8,A-01,L-1\nMILK,9,A-01,L-1", KNOWN)
    assert sheet.counts == {("MILK", "A-01", "L-1"): "9"}
