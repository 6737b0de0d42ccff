"""Test support for services built on eventkit: real PostgreSQL and a real Kafka broker.

Resolution (first that applies): environment variables `ERP_TEST_DATABASE_URL` /
`ERP_TEST_KAFKA_BOOTSTRAP_SERVERS`; testcontainers when a Docker engine answers; otherwise the
local stack's own embedded PostgreSQL and Tansu broker started for the test session.
"""
