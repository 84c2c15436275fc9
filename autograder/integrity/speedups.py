"""The verifier's shortcuts, in one place, so that a benchmark can turn them off (the baseline).

Each shortcut keeps every guarantee of :mod:`autograder.integrity` (see the module that
implements it); none changes a result, only the time it takes:

``needed_code_only`` (:mod:`.needed_code`)
    Run only the lesson statements the submission's code and the exercises can reach; the
    student's own cells always run whole.
``package_check_once`` (:mod:`.sandbox`)
    Check that the public modules import nothing private once per version of their files, not
    for every session (each session still gets its own copy of the package).
``quick_close`` (:mod:`.sandbox`)
    End a sandbox by killing it at once: asking it to quit made the grader wait for the
    interpreter to tear down matplotlib and scikit-learn (about a second).
``early_start`` (:mod:`.verify`)
    Start the sandbox first, and read the notebook and plan its code while it starts.
"""
from __future__ import annotations

import contextlib
import dataclasses


@dataclasses.dataclass
class Speedups:
    """Which shortcuts are on (all, by default)."""

    needed_code_only: bool = True
    package_check_once: bool = True
    quick_close: bool = True
    early_start: bool = True


#: The switches every verification reads.
SPEEDUPS = Speedups()


@contextlib.contextmanager
def baseline():
    """Turn every shortcut off inside the ``with`` block (for benchmarks and tests).

    Not thread-safe: the switches are global to the process.
    """
    saved = dataclasses.replace(SPEEDUPS)
    for name in (f.name for f in dataclasses.fields(Speedups)):
        setattr(SPEEDUPS, name, False)
    try:
        yield SPEEDUPS
    finally:
        for name in (f.name for f in dataclasses.fields(Speedups)):
            setattr(SPEEDUPS, name, getattr(saved, name))
