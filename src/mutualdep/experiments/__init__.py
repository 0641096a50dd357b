"""Experiments: sweeps, paired comparisons, a catalog, sensitivity analysis and calibration.

    from mutualdep.experiments import (
        run_sweep, run_compare, run_sensitivity, run_calibration, Catalog
    )
    from mutualdep.experiments import RunOutput  # what your own model's run() returns

Names load on first use (PEP 562) so that worker processes, which only import `runs`, do not
pay for Optuna, SALib and matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "run_sweep": "mutualdep.experiments.sweep",
    "run_compare": "mutualdep.experiments.compare",
    "run_sensitivity": "mutualdep.experiments.sensitivity",
    "run_calibration": "mutualdep.experiments.calibrate",
    "Catalog": "mutualdep.experiments.catalog",
    "RunOutput": "mutualdep.experiments.models",
    "ExperimentError": "mutualdep.experiments.sweep",
    "ExperimentWarning": "mutualdep.experiments.sweep",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mutualdep.experiments' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
