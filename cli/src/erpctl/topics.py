"""Create the ERP topics (`erp.<service>.events`, `erp.<service>.dlq`) if they are missing.

The work is eventkit's (`eventkit.messaging.topics`); here its failure becomes the stack's
one-line error.
"""

from collections.abc import Iterable

from erp_contracts.topics import EVENTS_TOPIC_PARTITIONS, SERVICES
from erpctl.errors import StackError
from eventkit.messaging.topics import TopicSetupError, service_topics
from eventkit.messaging.topics import ensure_topics as _ensure_topics
from eventkit.settings import KernelSettings

erp_topics = service_topics


async def ensure_topics(
    bootstrap_servers: str,
    services: Iterable[str] = SERVICES,
    partitions: int = EVENTS_TOPIC_PARTITIONS,
) -> list[str]:
    """Create the missing topics of `services`; returns the names created."""
    try:
        namespace = KernelSettings().topic_namespace
        return await _ensure_topics(bootstrap_servers, services, partitions, namespace)
    except TopicSetupError as error:
        raise StackError(str(error)) from error
