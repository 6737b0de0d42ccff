-- Inventory's item catalogue as sales knows it (from ItemRegistered on erp.inventory.events),
-- so an order line for an unknown sku is refused with 404. Written by the inbox consumer in
-- the same transaction as its inbox row.
CREATE TABLE IF NOT EXISTS known_items (
    sku           text        PRIMARY KEY,
    name          text        NOT NULL,
    uom           text        NOT NULL,
    registered_at timestamptz NOT NULL
);
