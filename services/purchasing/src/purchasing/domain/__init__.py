"""Pure domain of the purchasing service: aggregates, events, rules (standard library only).

Where things are decided:
- ``supplier``        Supplier: registration, terms, default tax rate, price list per sku
- ``requisition``     Requisition (请购): the need, the suggested supplier and why, the PO it became
- ``purchase_order``  PurchaseOrder: draft → placed → partially_received → received, cancelled;
                      receipts, returns to the supplier
- ``approval``        the approval rule by amount
- ``sourcing``        supplier choice by weighted scorecard
- ``money``           decimal rules for quantities, prices and totals
- ``payloads``        events ⇄ JSON-ready dicts
"""
