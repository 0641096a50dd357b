"""The evidence suite: the model against the historical record, over replications."""

from mutualdep.evidence.facts import FACTS, Fact
from mutualdep.evidence.runner import FactResult, run_evidence, write_reports

__all__ = ["FACTS", "Fact", "FactResult", "run_evidence", "write_reports"]
