"""mutualdep: mutual dependence of workers and enterprises in a shortage economy.

import mutualdep
scenario = mutualdep.load_scenario("kuzbass-1989", {"collective_action.strike_fund": 0.2})
result = mutualdep.run(scenario, seed=1)
result.enterprise_days  # a polars DataFrame
result.save("runs/kuzbass")
mutualdep.load_result("runs/kuzbass")  # the same tables back
"""

from mutualdep.engine import Simulation, run
from mutualdep.errors import InputError
from mutualdep.results import Result, load_result
from mutualdep.scenario import Scenario, load_scenario

__all__ = [
    "InputError",
    "Result",
    "Scenario",
    "Simulation",
    "load_result",
    "load_scenario",
    "run",
]
