-- The PostgreSQL cluster whose transaction ids the stored positions (events.tx_id,
-- tailing_checkpoints.tx_id) belong to: `pg_control_system().system_identifier`, recorded at
-- start-up by eventkit.store.positions.check_positions and after `erp store rebase`.
-- A logical dump restored into another cluster brings this row along, so the start-up check can
-- say where the data came from. It is informational: whether positions need re-basing is decided
-- by comparing them with the cluster's transaction ids, never by this row alone.
CREATE TABLE IF NOT EXISTS eventkit_cluster (
    singleton         boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    system_identifier text        NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
