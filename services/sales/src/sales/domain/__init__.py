"""Pure domain of the sales service: aggregates, events, rules (standard library only).

Where things are decided:
- ``customer``     Customer: registration, credit limit, price list, credit exposure and the
                   credit check (信用检查)
- ``sales_order``  SalesOrder: placed → confirmed / backordered → partially_shipped → shipped,
                   cancelled; returns (销售退货)
- ``order_lines``  line state (shipped, returned) and line checks
- ``money``        decimal rules for quantities, prices and totals
- ``payloads``     events ⇄ JSON-ready dicts
"""
