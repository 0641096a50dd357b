"""The fuzzer in the suite: mutated built-in scenarios and ``--set`` values, each through
``validate`` and a short ``run``, end in exit 0 with finite tables or exit 2 with one line naming
the file or option; never a traceback, a hang, a leftover folder or a file touched outside the
output folder. (benchmarks/fuzz.py runs thousands and counts the outcomes.)"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings

from fuzzing import cases, literal, run_case


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
@given(cases())
def test_mutated_scenarios_end_cleanly(case):
    outcome, detail = run_case(case)
    assert outcome in ("ok", "input_error"), f"{outcome}: {detail}"


def test_literals_are_toml():
    import tomllib

    value = {
        "a b": [1, 2.5, float("inf"), 'x\x1b\x7f"', True],
        "d": __import__("datetime").date(1, 1, 1),
    }
    assert tomllib.loads(f"v = {literal(value)}")["v"]["a b"][3] == 'x\x1b\x7f"'
