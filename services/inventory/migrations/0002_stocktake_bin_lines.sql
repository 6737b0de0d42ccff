-- 盘点到库位/批次: stocktake lines per (location, lot) next to the per-sku line. The catalogue
-- projection creates rm_catalogue.stocktake_lines with these columns (metadata.create_all);
-- this brings a table made before them to the same shape. Existing lines are per-sku lines
-- ('' = no location / no lot). Runs before the projections create their tables, so on a new
-- database the table does not exist yet and every statement is a no-op.
ALTER TABLE IF EXISTS rm_catalogue.stocktake_lines
    ADD COLUMN IF NOT EXISTS per_bin  boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS location text    NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS lot      text    NOT NULL DEFAULT '';
ALTER TABLE IF EXISTS rm_catalogue.stocktake_lines DROP CONSTRAINT IF EXISTS stocktake_lines_pkey;
ALTER TABLE IF EXISTS rm_catalogue.stocktake_lines
    ADD CONSTRAINT stocktake_lines_pkey PRIMARY KEY (stocktake_id, sku, per_bin, location, lot);
