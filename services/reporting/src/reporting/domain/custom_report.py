"""A saved custom report (自定义报表): a named choice of one catalogue report's dimensions,
measures, filters and sort. Saved once, never edited (a new definition is a new report)."""

from dataclasses import dataclass, field
from typing import Any, ClassVar
from uuid import UUID


def custom_report_stream(custom_report_id: UUID) -> str:
    return f"custom-report-{custom_report_id}"


@dataclass(frozen=True, slots=True)
class CustomReportDefined:
    event_type: ClassVar[str] = "CustomReportDefined"

    custom_report_id: UUID
    name: str
    report: str
    group_by: tuple[str, ...]
    measures: tuple[str, ...]
    #: Filter name → value as given (ISO dates, codes, a number of days).
    filters: dict[str, str] = field(default_factory=dict)
    sort: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {
            "custom_report_id": str(self.custom_report_id),
            "name": self.name,
            "report": self.report,
            "group_by": list(self.group_by),
            "measures": list(self.measures),
            "filters": dict(self.filters),
            "sort": list(self.sort),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> "CustomReportDefined":
        return cls(
            custom_report_id=UUID(payload["custom_report_id"]),
            name=payload["name"],
            report=payload["report"],
            group_by=tuple(payload["group_by"]),
            measures=tuple(payload["measures"]),
            filters=dict(payload.get("filters", {})),
            sort=tuple(payload.get("sort", ())),
        )
