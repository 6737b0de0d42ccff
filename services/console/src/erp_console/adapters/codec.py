"""User events ⇄ stored payloads: eventkit's dataclass codec over the user event catalogue."""

from erp_console.domain.events import EVENT_CLASSES
from eventkit.codec import DataclassEventCodec

CODEC = DataclassEventCodec(EVENT_CLASSES, "console")
