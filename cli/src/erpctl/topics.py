"""Create the ERP topics (`erp.<service>.events`, `erp.<service>.dlq`) if they are missing."""

from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError, for_code
from erp_contracts.topics import EVENTS_TOPIC_PARTITIONS, SERVICES, dlq_topic, events_topic

from erpctl.errors import StackError

REPLICATION_FACTOR = 1


def erp_topics(services: Iterable[str] = SERVICES) -> list[str]:
    """Every topic the services use, events topic first then DLQ, per service."""
    return [topic for service in services for topic in (events_topic(service), dlq_topic(service))]


async def ensure_topics(
    bootstrap_servers: str,
    services: Iterable[str] = SERVICES,
    partitions: int = EVENTS_TOPIC_PARTITIONS,
) -> list[str]:
    """Create the missing topics of `services`; returns the names created.

    The DLQ gets the same partition count as the events topic so a message keeps its key's
    partition when it is moved there and back (`erp dlq retry`).
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000)
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        missing = [topic for topic in erp_topics(services) if topic not in existing]
        if not missing:
            return []
        response = await admin.create_topics(
            [NewTopic(topic, partitions, REPLICATION_FACTOR) for topic in missing],
            timeout_ms=10000,
        )
        created = _created_topics(response.topic_errors, bootstrap_servers)
    except KafkaError as error:
        raise StackError(f"cannot create topics on {bootstrap_servers}: {error!r}") from error
    finally:
        await admin.close()
    return created


def _created_topics(topic_errors: list[tuple[str, int, str]], bootstrap_servers: str) -> list[str]:
    """The topics the broker created; "already exists" is fine (a service or another runner
    created it meanwhile), any other per-topic error is not."""
    created: list[str] = []
    for topic, code, *message in topic_errors:
        if code == 0:
            created.append(topic)
        elif code != TopicAlreadyExistsError.errno:
            detail = " ".join(str(part) for part in message if part) or for_code(code).__name__
            raise StackError(f"cannot create topic {topic} on {bootstrap_servers}: {detail}")
    return created
