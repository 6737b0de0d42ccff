"""Kafka side of the kernel: envelopes, the outbox relay, the idempotent consumer, the DLQ."""
