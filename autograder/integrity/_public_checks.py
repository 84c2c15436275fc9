"""Stand-in for :mod:`autograder.checks` inside the verifier's sandbox: every check does nothing.

The verifier runs the submission's code without its grade cells, but lesson and answer cells may
still import or call the checks (a student checking their own work). Here nothing is checked:
the grader compares results on its own side, and no reference or exercise is reachable.
"""


class CheckFailed(AssertionError):
    """A check failed (never raised here)."""


def check_exercise(*args, **kwargs):
    return None


def check_value(*args, **kwargs):
    return None


def coerce_to_float_array(value, label="value"):
    import numpy as np

    return np.array(value, dtype=np.float64)
