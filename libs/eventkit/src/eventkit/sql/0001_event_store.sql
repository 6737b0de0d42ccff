-- eventkit kernel schema, applied to every service database before the service's own migrations.

-- The event store. `tx_id` records the writing transaction so that readers which tail the log
-- (the outbox relay, projections) can read only below the oldest still-running transaction and
-- never skip a row whose transaction commits late (see docs/architecture/event-store.md).
CREATE TABLE IF NOT EXISTS events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_id           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        NOT NULL,
    stream_version  integer     NOT NULL CHECK (stream_version > 0),
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL DEFAULT 1,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_commit_order ON events (tx_id, global_position);

-- Where each log-tailing reader (relay, store-fed projection) has got to, in commit order.
-- `delivered` counts events the reader has passed on (the relay: acked by the broker), which
-- lets the relay notice a broker that lost its log (see messaging/relay.py).
CREATE TABLE IF NOT EXISTS tailing_checkpoints (
    reader          text        PRIMARY KEY,
    tx_id           xid8        NOT NULL DEFAULT '0',
    global_position bigint      NOT NULL DEFAULT 0,
    delivered       bigint      NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The idempotent-consumer inbox: one row per (consumer, event) written in the same
-- transaction as the consumer's effects, so a redelivered event has no second effect.
CREATE TABLE IF NOT EXISTS inbox (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- HTTP Idempotency-Key replay store: the first response to a key is returned for every retry.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key          text        PRIMARY KEY,
    request_hash text        NOT NULL,
    status_code  integer     NOT NULL,
    response     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Human-readable document numbers (PO-20261124-0001): one counter per (prefix, day).
CREATE TABLE IF NOT EXISTS document_counters (
    prefix text    NOT NULL,
    day    date    NOT NULL,
    last   integer NOT NULL,
    PRIMARY KEY (prefix, day)
);
