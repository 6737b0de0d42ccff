"""Checks shared by the document deciders on the stock items they were handed."""

from collections.abc import Iterable, Mapping

from inventory.domain.errors import NotFound, WarehouseMismatch
from inventory.domain.stock_item import StockItem


def require_stock_items(
    stock_items: Mapping[str, StockItem], skus: Iterable[str], warehouse_id: str | None = None
) -> None:
    """Every sku must have an open stock item (of ``warehouse_id`` when given). The
    application opens the stock item of a sku's first receipt from its item."""
    skus = list(skus)
    missing = sorted(sku for sku in skus if sku not in stock_items or not stock_items[sku].is_open)
    if missing:
        raise NotFound(f"no stock item for {', '.join(missing)}", skus=missing)
    if warehouse_id is not None:
        elsewhere = sorted(sku for sku in skus if stock_items[sku].warehouse_id != warehouse_id)
        if elsewhere:
            raise WarehouseMismatch(
                f"stock items of {', '.join(elsewhere)} are not in {warehouse_id}",
                skus=elsewhere,
            )
