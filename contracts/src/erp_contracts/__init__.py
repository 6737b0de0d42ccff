"""Wire contracts of the 进销存 ERP.

Installable on its own by any subscriber: the event envelope, the public events of every
service, the topic names and a JSON Schema export. No behaviour, no imports from services/libs.
"""

from erp_contracts.envelope import EventEnvelope
from erp_contracts.registry import PublicEvent, event_types, public_event, resolve_event
from erp_contracts.topics import SERVICES, dlq_topic, events_topic

__all__ = [
    "SERVICES",
    "EventEnvelope",
    "PublicEvent",
    "dlq_topic",
    "event_types",
    "events_topic",
    "public_event",
    "resolve_event",
]
