"""Pure domain of the inventory service: aggregates, events, errors (standard library only).

Where things are decided:
- ``stock_item``            StockItem, one per (sku, warehouse): every movement and reservation
- ``valuation``             moving weighted average (移动加权平均) and backdated revaluation
- ``purchase_order_ledger`` goods receipts and supplier returns against a PO
- ``order_allocation``      reservation (all or nothing), shipments, customer returns
- ``transfer``, ``stocktake``, ``item`` (items and warehouses)
- ``payloads``              events ⇄ JSON-ready dicts
"""
