-- Read-only access for BI tools (Metabase, Superset, Excel/Power Query) to documented views in
-- schema `reporting`, for the NOLOGIN role `erp_reporting_reader` (grant it to a login role:
-- docs/reporting.md, "BI access").
--
-- The read models live in `rm_report_*` schemas that `erp replay reporting` rebuilds and swaps
-- (the old schema is dropped CASCADE), so a view cannot select from them directly: it would be
-- bound to the old tables and dropped with them. Each view instead reads a set-returning SQL
-- function whose body names the table by text — resolved when it runs, so it finds whatever
-- table is live — and that runs as its owner (SECURITY DEFINER, fixed search_path), so the
-- reader needs no grant on the `rm_report_*` schemas, which a rebuild would not keep anyway.
-- The tables do not exist yet when migrations run (projections create them afterwards): the
-- bodies are checked when first called, not now.
--
-- Idempotent: CREATE OR REPLACE, and the cluster-wide role is created only if missing.

SET LOCAL check_function_bodies = off;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'erp_reporting_reader') THEN
        CREATE ROLE erp_reporting_reader NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- another database of this server created it meanwhile: roles are cluster-wide
END
$$;

CREATE SCHEMA IF NOT EXISTS reporting;
REVOKE ALL ON SCHEMA reporting FROM PUBLIC;

CREATE OR REPLACE FUNCTION reporting.sales_daily_rows() RETURNS TABLE (
    day date,
    sku text,
    customer_id text,
    warehouse_id text,
    qty_shipped numeric(24,6),
    qty_returned numeric(24,6),
    qty numeric(24,6),
    net_returned numeric(24,2),
    net numeric(24,2),
    vat numeric(24,2),
    cost numeric(24,2),
    margin numeric(24,2)
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT day, sku, customer_id, warehouse_id, qty_shipped, qty_returned, qty, net_returned, net, vat, cost, margin FROM rm_report_sales.sales_daily
$body$;
REVOKE ALL ON FUNCTION reporting.sales_daily_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.sales_daily_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.sales_daily AS SELECT * FROM reporting.sales_daily_rows();
COMMENT ON VIEW reporting.sales_daily IS 'sales, returns netted: day × sku × customer × warehouse (rm_report_sales.sales_daily)';

CREATE OR REPLACE FUNCTION reporting.purchases_daily_rows() RETURNS TABLE (
    day date,
    supplier_id text,
    sku text,
    qty_ordered numeric(24,6),
    ordered_value numeric(24,2),
    qty_received numeric(24,6),
    qty_rejected numeric(24,6),
    received_value numeric(24,2),
    lines_on_time numeric(24,6),
    lines_late numeric(24,6),
    qty_invoiced numeric(24,6),
    invoiced_net numeric(24,2)
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT day, supplier_id, sku, qty_ordered, ordered_value, qty_received, qty_rejected, received_value, lines_on_time, lines_late, qty_invoiced, invoiced_net FROM rm_report_purchases.purchases_daily
$body$;
REVOKE ALL ON FUNCTION reporting.purchases_daily_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.purchases_daily_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.purchases_daily AS SELECT * FROM reporting.purchases_daily_rows();
COMMENT ON VIEW reporting.purchases_daily IS 'purchases: day × supplier × sku (rm_report_purchases.purchases_daily)';

CREATE OR REPLACE FUNCTION reporting.stock_daily_rows() RETURNS TABLE (
    sku text,
    warehouse_id text,
    day date,
    qty_in numeric(24,6),
    qty_out numeric(24,6),
    value_in numeric(24,2),
    value_out numeric(24,2),
    closing_qty numeric(24,6),
    closing_value numeric(24,2)
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT sku, warehouse_id, day, qty_in, qty_out, value_in, value_out, closing_qty, closing_value FROM rm_report_stock.stock_daily
$body$;
REVOKE ALL ON FUNCTION reporting.stock_daily_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.stock_daily_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.stock_daily AS SELECT * FROM reporting.stock_daily_rows();
COMMENT ON VIEW reporting.stock_daily IS 'stock movements and end-of-day position: sku × warehouse × day with movement (rm_report_stock.stock_daily)';

CREATE OR REPLACE FUNCTION reporting.customers_rows() RETURNS TABLE (
    customer_id text,
    name text,
    credit_limit numeric(24,2),
    payment_terms_days integer
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT customer_id, name, credit_limit, payment_terms_days FROM rm_report_customers.customers
$body$;
REVOKE ALL ON FUNCTION reporting.customers_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.customers_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.customers AS SELECT * FROM reporting.customers_rows();
COMMENT ON VIEW reporting.customers IS 'customers (rm_report_customers.customers)';

CREATE OR REPLACE FUNCTION reporting.sales_orders_rows() RETURNS TABLE (
    order_id uuid,
    customer_id text,
    day date,
    net numeric(24,2),
    cancelled boolean
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT order_id, customer_id, day, net, cancelled FROM rm_report_customers.orders
$body$;
REVOKE ALL ON FUNCTION reporting.sales_orders_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.sales_orders_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.sales_orders AS SELECT * FROM reporting.sales_orders_rows();
COMMENT ON VIEW reporting.sales_orders IS 'sales orders placed (net, cancelled) (rm_report_customers.orders)';

CREATE OR REPLACE FUNCTION reporting.receivables_rows() RETURNS TABLE (
    document_id uuid,
    kind text,
    customer_id text,
    day date,
    due_date date,
    net numeric(24,2),
    total numeric(24,2),
    settled_on date
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT document_id, kind, customer_id, day, due_date, net, total, settled_on FROM rm_report_customers.receivables WHERE kind IS NOT NULL
$body$;
REVOKE ALL ON FUNCTION reporting.receivables_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.receivables_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.receivables AS SELECT * FROM reporting.receivables_rows();
COMMENT ON VIEW reporting.receivables IS 'customer invoices and credit notes (credit notes negative) (rm_report_customers.receivables)';

CREATE OR REPLACE FUNCTION reporting.customer_receipts_rows() RETURNS TABLE (
    receipt_id uuid,
    customer_id text,
    day date,
    amount numeric(24,2)
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT receipt_id, customer_id, day, amount FROM rm_report_customers.receipts
$body$;
REVOKE ALL ON FUNCTION reporting.customer_receipts_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.customer_receipts_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.customer_receipts AS SELECT * FROM reporting.customer_receipts_rows();
COMMENT ON VIEW reporting.customer_receipts IS 'money received from customers (rm_report_customers.receipts)';

CREATE OR REPLACE FUNCTION reporting.open_items_rows() RETURNS TABLE (
    document_id uuid,
    kind text,
    party_id text,
    document_date date,
    due_date date,
    total numeric(24,2)
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT document_id, kind, party_id, document_date, due_date, total FROM rm_report_aging.open_items
$body$;
REVOKE ALL ON FUNCTION reporting.open_items_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.open_items_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.open_items AS SELECT * FROM reporting.open_items_rows();
COMMENT ON VIEW reporting.open_items IS 'customer and supplier invoices for the aging (rm_report_aging.open_items)';

CREATE OR REPLACE FUNCTION reporting.allocations_rows() RETURNS TABLE (
    source_id uuid,
    document_id uuid,
    day date,
    amount numeric(24,2)
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT source_id, document_id, day, amount FROM rm_report_aging.allocations
$body$;
REVOKE ALL ON FUNCTION reporting.allocations_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.allocations_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.allocations AS SELECT * FROM reporting.allocations_rows();
COMMENT ON VIEW reporting.allocations IS 'receipts, payments and notes applied to invoices (rm_report_aging.allocations)';

CREATE OR REPLACE FUNCTION reporting.cash_daily_rows() RETURNS TABLE (
    day date,
    received numeric(24,2),
    paid numeric(24,2),
    net_flow numeric(24,2),
    closing_balance numeric(24,2)
) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
    SELECT day, received, paid, net_flow, closing_balance FROM rm_report_cash.cash_daily
$body$;
REVOKE ALL ON FUNCTION reporting.cash_daily_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.cash_daily_rows() TO erp_reporting_reader;
CREATE OR REPLACE VIEW reporting.cash_daily AS SELECT * FROM reporting.cash_daily_rows();
COMMENT ON VIEW reporting.cash_daily IS 'cash received and paid per day, running balance (rm_report_cash.cash_daily)';

GRANT USAGE ON SCHEMA reporting TO erp_reporting_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO erp_reporting_reader;
