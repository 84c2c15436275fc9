"""Benchmark: a student's ``python -m autograder check NOTEBOOK``, against one nbclient run.

    .venv/bin/python benchmarks/check_speed.py [--repeat N] [--lesson LESSON ...] [--before]

For each notebook (the solution notebook of each lesson, by default all five) this measures,
in the same run and one after the other:

* baseline: executing the notebook once with nbclient, plain ``python3`` kernel, no nbgrader
  (the least any check of that notebook can cost: its own cells);
* check: ``python -m autograder check NOTEBOOK`` as a student runs it (a fresh process), N
  times; the first run of a lesson sets the lesson up and fills the cache, the others reuse
  it, as a student's second check does. The median of the N runs is printed in seconds and as
  a ratio to the baseline;
* where a check's seconds go, from ``--json``'s ``phases`` of the median run: process start
  and imports (the wall time minus what the check measured itself), set-up, the lesson's
  ``generate_assignment`` (or its cached copy), nbgrader's autograde (kernel start, the
  notebook's cells, nbgrader's own passes), reading the results;
* the slowest cells of the notebook in the baseline run (lesson demos, imports), which no
  check can skip without giving up the class run's executor;
* with ``--before``: the previous check path (:func:`previous_check` below:
  a fresh gradebook and ``generate_assignment`` each time, a sandbox probe kernel, the feedback
  page), N times in this process, for the before/after ratio.

The target (issue 16 item 2) is a median of at most 3 s per notebook on 2 cores. Nothing is
asserted; machines differ and other jobs share them. The load average is printed with the
results: read the ratios, not the seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LESSONS = ("01_single_neuron", "02_hidden_layer", "03_logistic_regression",
           "04_generalised_delta", "05_deep_networks")


def baseline(path):
    """Seconds of one nbclient execution of the notebook, and its slowest cells."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        started = time.monotonic()
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                       record_timing=True, resources={"metadata": {"path": work}}).execute()
        seconds = time.monotonic() - started
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            from datetime import datetime

            begin = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            first = next((s.strip() for s in cell.source.splitlines() if s.strip()), "")
            cells.append(((end - begin).total_seconds(), number, first[:50]))
    return seconds, sorted(cells, reverse=True)


def check_once(path, cache):
    """One ``python -m autograder check --json`` in a fresh process: (wall s, document)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "autograder", "check", "--json", str(path)],
                          cwd=REPO, capture_output=True, text=True, env=env)
    wall = time.monotonic() - started
    try:
        document = json.loads(done.stdout)
    except ValueError:
        document = {"outcome": "unreadable", "phases": {}, "seconds": 0.0,
                    "error": done.stderr[-500:]}
    return wall, document


def previous_check(path, lesson, timeout=None, course_dir=None):
    """Grade one notebook from the visible tests, as the instructor's run would.

    The released version of the lesson (visible tests only) is the source of a throw-away
    nbgrader course; the notebook is copied into it and autograded there with the same
    executor, sandbox and cell restoration as a class run. The file itself is only read.

    Returns
    -------
    dict
        The record (see :mod:`autograder.pipeline.worker`), ``rows`` in notebook order.
    """
    # the grading pipeline's pieces, as the old check path assembled them on every run
    from autograder.pipeline.course import (COURSE, STATE, GradingOptions, grading_config,
                                            make_api, nbgrader_environment, prepare_lessons,
                                            quiet_nbgrader_warnings)
    from autograder.pipeline.grading import _release_notebook
    from autograder.sandbox.launch import KERNEL_NAME, write_kernelspec
    from autograder.sandbox.policy import from_options
    from autograder.notebook import grade_cells
    from autograder.pipeline.worker import SubmissionGrader, Task

    course_dir = course_dir or COURSE
    options = GradingOptions(timeout=timeout or GradingOptions().timeout)
    course_dir = Path(course_dir).resolve()
    release = _release_notebook(lesson, course_dir.parent)
    nbgrader_environment()
    quiet_nbgrader_warnings()
    with tempfile.TemporaryDirectory(prefix="autograder-check-") as scratch:
        scratch = Path(scratch)
        root = scratch / "course"
        state = root / STATE
        state.mkdir(parents=True)
        policy = from_options("auto", hidden=(str(root),), kernel_log=str(state / "kernels.log"))
        policy.write(state / "policy.json")
        write_kernelspec(state / "jupyter" / "kernels", state / "policy.json")
        saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "JUPYTER_RUNTIME_DIR")}
        os.environ["JUPYTER_PATH"] = str(state / "jupyter")
        os.environ["JUPYTER_RUNTIME_DIR"] = str(scratch / "rt")
        try:
            db_url = f"sqlite:///{root / 'gradebook.db'}"
            config = grading_config(root, course_dir, options, db_url=db_url,
                                    kernel_name=KERNEL_NAME)
            api = make_api(config)
            prepare_lessons(api, root, [lesson], {lesson: release}, options, db_url)
            grader = SubmissionGrader(root, config, {lesson: release},
                                      {lesson: grade_cells(release, lesson)}, scratch / "feedback",
                                      state / "policy.json")
            grader.api = api
            problem = grader.probe(state / "probe") if policy.mode == "bubblewrap" else ""
            if problem:
                policy = policy.replace(mode="rlimits", bwrap="", size_caps=False)
                policy.write(state / "policy.json")
            task = Task("me", lesson, str(Path(path).resolve()), None, None, "", str(path))
            return grader.grade(task)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def before_once(path, lesson):
    """The previous check path, in this process (imports already paid)."""
    started = time.monotonic()
    previous_check(path, lesson)
    return time.monotonic() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="check runs per notebook")
    parser.add_argument("--lesson", action="append", choices=LESSONS,
                        help="only this lesson (repeatable; default all five)")
    parser.add_argument("--before", action="store_true",
                        help="also time the previous check path, for the before/after ratio")
    args = parser.parse_args(argv)
    lessons = args.lesson or list(LESSONS)
    print(f"check: {args.repeat} runs per notebook; load average {os.getloadavg()}; "
          f"{os.cpu_count()} CPU(s)")
    medians = []
    with tempfile.TemporaryDirectory(prefix="check-speed-") as cache:
        for lesson in lessons:
            path = REPO / "solutions" / lesson / f"{lesson}.ipynb"
            base, slow_cells = baseline(path)
            runs = [check_once(path, cache) for _ in range(args.repeat)]
            walls = [wall for wall, _ in runs]
            median = statistics.median(walls)
            medians.append((median, base))
            _, document = min(runs, key=lambda run: abs(run[0] - median))
            print(f"\n{lesson}: nbclient once {base:.2f} s; check median {median:.2f} s "
                  f"(first {walls[0]:.2f} s, min {min(walls):.2f} s, max {max(walls):.2f} s) "
                  f"= {median / base:.2f} x nbclient; outcome {document.get('outcome')}, "
                  f"exit {document.get('exit_code')}")
            phases = dict(document.get("phases", {}))
            phases = {"process start and imports": max(0.0, median - document.get("seconds", 0)),
                      **phases}
            for name, seconds in phases.items():
                print(f"    {name:<48}{seconds:6.2f} s")
            print("    slowest cells of the notebook (nbclient): " + "; ".join(
                f"cell {number} {seconds:.2f} s `{first}`"
                for seconds, number, first in slow_cells[:3]))
            if args.before:
                old = [before_once(path, lesson) for _ in range(args.repeat)]
                old_median = statistics.median(old)
                print(f"    before (previous check path, imports excluded): median "
                      f"{old_median:.2f} s = {old_median / base:.2f} x nbclient; "
                      f"now / before = {median / old_median:.2f}")
    overall = statistics.median(m for m, _ in medians)
    ratio = statistics.median(m / b for m, b in medians)
    print(f"\nall notebooks: median check {overall:.2f} s (target 3 s on 2 cores), median ratio "
          f"to nbclient {ratio:.2f}; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
