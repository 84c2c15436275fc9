"""Benchmark: the out-of-kernel verifier's seconds per notebook, baseline and with its shortcuts.

    .venv/bin/python benchmarks/verify_speed.py [--repeat N] [--sample-class all|none|NAME...]
                                                [--profile]

For every notebook (the six solution notebooks, then a few sample-class submissions) the
verifier runs once with every shortcut of :mod:`autograder.integrity.speedups` turned off (the
baseline: every lesson cell, the package checked per session, a polite quit, the sandbox started
after the notebook is read) and once with them on, one after the other, in the same process,
alternating which goes first; each notebook's line shows both times, the ratio and whether both
runs reached the same verdict on every exercise (they must). Both modes are warmed up first
(imports, the sandbox probe, lesson caches), as they are in a grading worker that verifies one
submission after another.

``--profile`` adds, per mode, where the time goes: the sandbox's process start (bubblewrap,
interpreter, numpy), the private package, each lesson cell, the calls, the grader's input
drawing and comparison (the reference), the notebook's extraction and planning, the close; and
how long a bare interpreter and an interpreter importing numpy take to start here, for scale.

Nothing is asserted; machines differ. The load average is printed with the results.
"""
from __future__ import annotations

import argparse
import collections
import functools
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LESSONS = ("01_single_neuron", "02_hidden_layer", "03_logistic_regression",
           "04_generalised_delta", "05_deep_networks", "06_minibatch_sgd")
#: Sample-class submissions measured by default: complete, loops, partial, known mistakes and an
#: os._exit (ivy's infinite loop is left out: it costs the cell time limit in both modes).
DEFAULT_SAMPLE = ("ada_complete/03_logistic_regression", "ben_loops/05_deep_networks",
                  "cara_partial/01_single_neuron", "oli_sum_not_mean/02_hidden_layer",
                  "leo_os_exit/04_generalised_delta", "rex_sigma_prime_at_a/05_deep_networks")


def notebooks(sample):
    """``[(label, path, lesson)]``: the solutions, then the chosen sample-class submissions."""
    chosen = [(f"solutions/{lesson}", REPO / "solutions" / lesson / f"{lesson}.ipynb", lesson)
              for lesson in LESSONS]
    submitted = REPO / "sample_class" / "submitted"
    if sample == ["all"]:
        names = sorted(f"{p.parent.parent.name}/{p.parent.name}"
                       for p in submitted.glob("*/*/*.ipynb"))
    elif sample == ["none"]:
        names = []
    else:
        names = sample or list(DEFAULT_SAMPLE)
    for name in names:
        student, lesson = name.split("/")
        chosen.append((f"sample/{name}", submitted / student / lesson / f"{lesson}.ipynb",
                       lesson))
    missing = [str(path) for _, path, _ in chosen if not path.is_file()]
    if missing:
        raise SystemExit(f"Not found: {', '.join(missing)}. Run `make build` (solutions) or "
                         "`python -m sample_class.generate` (sample class) first.")
    return chosen


# ---- where the time goes ------------------------------------------------------------------

class PhaseTimer:
    """Wraps functions of the verifier and adds up the seconds spent in each (per label)."""

    def __init__(self):
        self.seconds = collections.defaultdict(float)
        self.calls = collections.defaultdict(int)
        self._undo = []

    def wrap(self, owner, name, label):
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1

        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def install(self):
        from autograder import exercises
        from autograder.integrity import session as sandbox
        from autograder.integrity import verify

        self.wrap(sandbox.Session, "launch", "sandbox: start the process (incl. package)")
        self.wrap(sandbox.Session, "wait_ready", "sandbox: wait until ready (python, numpy)")
        self.wrap(sandbox, "build_private_package", "sandbox: build the private package")
        self.wrap(sandbox.Session, "exec_cell", "sandbox: run the cells")
        self.wrap(sandbox.Session, "call", "sandbox: calls over the channel")
        self.wrap(sandbox.Session, "close", "sandbox: close")
        self.wrap(verify, "extract_code", "grader: read the notebook, extract code")
        self.wrap(verify, "_plan", "grader: plan the cells (needed code)")
        self.wrap(exercises.Exercise, "inputs", "grader: draw fresh inputs")
        self.wrap(verify, "compare_result", "grader: reference and comparison")

    def uninstall(self):
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()

    def report(self, notebooks_run):
        lines = []
        for label, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            lines.append(f"    {label:45s} {seconds / notebooks_run:7.3f} s/notebook "
                         f"({self.calls[label] / notebooks_run:.0f} calls)")
        return "\n".join(lines)


def interpreter_starts(repeat=5):
    """Median seconds to start ``python -I -S`` bare and importing numpy (for scale)."""
    def median_of(code):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-I", "-S", "-c", code], check=True)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    site = next(p for p in sys.path if p.endswith("site-packages"))
    return median_of("pass"), median_of(f"import sys; sys.path.append({site!r}); import numpy")


def slowest_cells(result, count=3):
    cells = sorted(result.cells, key=lambda c: -c.seconds)[:count]
    return ", ".join(f"{c.origin} {c.label} {c.seconds:.2f}s" for c in cells if c.seconds > 0)


# ---- the comparison ---------------------------------------------------------------------

def verify_once(path, lesson, policy, fast):
    from autograder.integrity import verify_submission
    from autograder.integrity.speedups import baseline

    started = time.perf_counter()
    if fast:
        result = verify_submission(path, lesson, policy=policy)
    else:
        with baseline():
            result = verify_submission(path, lesson, policy=policy)
    return time.perf_counter() - started, result


def verdicts(result):
    return {key: (o.status, o.shape_ok) for key, o in result.exercises.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook and mode")
    parser.add_argument("--sample-class", nargs="*", default=None, metavar="STUDENT/LESSON",
                        help="sample-class submissions to add ('all', 'none', or names; "
                             f"default: {', '.join(DEFAULT_SAMPLE)})")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args(argv)

    from autograder.sandbox.policy import from_options

    chosen = notebooks(args.sample_class)
    policy = from_options()
    print(policy.describe())
    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
    for fast in (False, True):  # warm-up: imports, lesson caches, the package check
        verify_once(chosen[0][1], chosen[0][2], policy, fast)

    timers = {False: PhaseTimer(), True: PhaseTimer()}
    times = {False: collections.defaultdict(list), True: collections.defaultdict(list)}
    disagreements = []
    print(f"\n{'notebook':56s} {'baseline':>9s} {'fast':>7s} {'ratio':>6s}  same verdicts")
    for number, (label, path, lesson) in enumerate(chosen):
        results = {}
        for run in range(args.repeat):
            order = (False, True) if (number + run) % 2 == 0 else (True, False)
            for fast in order:
                if args.profile:
                    timers[fast].install()
                try:
                    seconds, results[fast] = verify_once(path, lesson, policy, fast)
                finally:
                    timers[fast].uninstall()
                times[fast][label].append(seconds)
        slow, quick = (statistics.median(times[m][label]) for m in (False, True))
        same = verdicts(results[False]) == verdicts(results[True])
        if not same:
            disagreements.append(label)
        ratio = f"{slow / quick:5.1f}x" if min(slow, quick) >= 0.01 else "   n/a"
        print(f"{label:56s} {slow:8.2f}s {quick:6.2f}s {ratio}  {'yes' if same else 'NO'}")
        if args.profile:
            print(f"    slowest cells, baseline: {slowest_cells(results[False])}")
            print(f"    slowest cells, fast:     {slowest_cells(results[True]) or '-'}")

    def total(fast, prefix=""):
        return sum(statistics.median(v) for k, v in times[fast].items() if k.startswith(prefix))

    print()
    for prefix, name in (("solutions/", "solution notebooks"), ("sample/", "sample class"),
                         ("", "all")):
        count = sum(1 for k in times[True] if k.startswith(prefix))
        if count:
            slow, quick = total(False, prefix), total(True, prefix)
            print(f"{name:20s} {count:2d} notebooks: baseline {slow / count:6.2f} s/notebook, "
                  f"fast {quick / count:5.2f} s/notebook, {slow / quick:4.1f}x faster")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if disagreements:
        print(f"!! the two modes disagree on: {', '.join(disagreements)}")
    if args.profile:
        bare, with_numpy = interpreter_starts()
        count = len(chosen) * args.repeat
        for fast, name in ((False, "baseline"), (True, "fast")):
            print(f"\nwhere the time goes ({name}), per notebook:")
            print(timers[fast].report(count))
        print(f"\nfor scale: python -I -S starts in {bare:.3f} s, {with_numpy:.3f} s importing "
              "numpy (outside the sandbox)")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
