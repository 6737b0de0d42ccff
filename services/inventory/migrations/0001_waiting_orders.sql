-- Sales orders whose reservation was rejected for lack of stock (backorders), waiting to be
-- retried when stock arrives. Written in the same transaction as the allocation events.
CREATE TABLE IF NOT EXISTS waiting_orders (
    order_id      uuid        PRIMARY KEY,
    warehouse_id  text        NOT NULL,
    skus          text[]      NOT NULL,
    lines         jsonb       NOT NULL,
    waiting_since timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS waiting_orders_by_warehouse ON waiting_orders (warehouse_id, waiting_since);
CREATE INDEX IF NOT EXISTS waiting_orders_skus ON waiting_orders USING gin (skus);
