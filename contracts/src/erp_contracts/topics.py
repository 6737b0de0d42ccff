"""Topic names. Every service publishes its own events to one topic, keyed by stream id."""

from typing import Final

SERVICES: Final = ("purchasing", "inventory", "sales", "finance", "reporting")

#: Partitions per events topic: ordering is per stream (the Kafka key), so 6 is plenty of
#: parallelism for a consumer group while keeping rebalances cheap.
EVENTS_TOPIC_PARTITIONS: Final = 6


#: The default topic namespace. A deployment (or a test) may use another so that several
#: independent stacks can share one Kafka cluster.
NAMESPACE: Final = "erp"


def events_topic(service: str, namespace: str = NAMESPACE) -> str:
    """`erp.<service>.events`: the service's public events, infinite retention."""
    return f"{namespace}.{service}.events"


def dlq_topic(service: str, namespace: str = NAMESPACE) -> str:
    """`erp.<service>.dlq`: messages the service's consumers could not process, with the error."""
    return f"{namespace}.{service}.dlq"
