"""Read models fed from the event store, checkpointed in the same transaction as their writes."""

from eventkit.projections.projection import Projection
from eventkit.projections.rebuild import RebuildReport, rebuild_projection
from eventkit.projections.runner import ProjectionRunner
from eventkit.projections.verify import VerifyReport, verify_projection

__all__ = [
    "Projection",
    "ProjectionRunner",
    "RebuildReport",
    "VerifyReport",
    "rebuild_projection",
    "verify_projection",
]
