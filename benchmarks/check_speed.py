"""Benchmark: a student's ``python -m autograder check NOTEBOOK``, against one nbclient run.

    .venv/bin/python benchmarks/check_speed.py [--repeat N] [--lesson LESSON ...]
        [--source sample|solutions] [--compare OTHER_REPO] [--before]

For each notebook (by default a complete honest student notebook of every lesson,
``sample_class/submitted/ada_complete/<lesson>/<lesson>.ipynb``; ``--source solutions`` takes
``solutions/<lesson>/<lesson>.ipynb``) this measures, in the same run and one after the other:

* baseline: executing the notebook once with nbclient, plain ``python3`` kernel, no nbgrader, in
  this process (the least any check of that notebook can cost: a kernel and its own cells);
* check: ``python -m autograder check --json NOTEBOOK`` as a student runs it (a fresh process),
  one warm-up run (it sets the lesson up and fills the cache, as a student's first check does;
  its time is printed as "first") and then N runs, whose median is printed in seconds and as a
  ratio to the baseline. With ``--compare OTHER_REPO`` the same notebook is also checked with
  the code of another clone (e.g. the main branch, for a before/after table), its runs
  interleaved with this clone's so that both see the same load;
* where a check's seconds go, in the median run: every check runs under a tracer (this file,
  ``--trace-child``: wrappers around nbclient's, nbconvert's and nbgrader's methods, nothing
  changed), which prints the interpreter's start, the imports of the parent, the set-up, the
  nbgrader passes before the kernel, the kernel's start (launcher, bubblewrap, ipykernel) until
  it answers, the notebook's cells, the kernel's shut-down, the nbgrader passes after it
  (SaveAutoGrades...), reading the results and the process's exit;
* the slowest cells of the notebook in the checked run (lesson demos, the kernel-side imports
  of numpy, matplotlib, ipywidgets and the course package), which no check can skip without
  giving up the class run's executor: they are for the lesson author;
* with ``--before``: the check path before issue 16 (:func:`previous_check` below: a fresh
  gradebook and ``generate_assignment`` each time, a sandbox probe kernel, the feedback page),
  N times in this process.

The target (issue 16 item 2) is a median of at most 3 s per notebook on 2 cores. Nothing is
asserted; machines differ and other jobs share them. The load average is printed with the
results: read the ratios, not the seconds.
"""
from __future__ import annotations

import sys
import time

if __name__ == "__main__" and sys.argv[1:2] == ["--trace-child"]:
    # a traced check (see _trace_child): nothing else of this file is imported before it
    _CHILD_STARTED = time.time()
else:
    _CHILD_STARTED = None

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

LESSONS = ("01_single_neuron", "02_hidden_layer", "03_logistic_regression",
           "04_generalised_delta", "05_deep_networks", "06_minibatch_sgd")


# ---- the tracer, in the checking process ----------------------------------------------------

def _trace_child(out, argv):
    """Run ``python -m autograder`` with ``argv`` under wrappers that time its steps; the
    times (epoch seconds) go to the JSON file ``out``. Imports only what the check imports."""
    import functools

    marks = {"python up": _CHILD_STARTED}
    spent, cells = {}, []

    def timed(owner, attr, name):
        original = getattr(owner, attr)
        if asyncio.iscoroutinefunction(original):
            @functools.wraps(original)
            async def wrapper(*args, **kwargs):
                begin = time.time()
                try:
                    return await original(*args, **kwargs)
                finally:
                    spent[name] = spent.get(name, 0.0) + time.time() - begin
        else:
            @functools.wraps(original)
            def wrapper(*args, **kwargs):
                begin = time.time()
                try:
                    return original(*args, **kwargs)
                finally:
                    spent[name] = spent.get(name, 0.0) + time.time() - begin
        setattr(owner, attr, wrapper)

    import asyncio

    if argv[:1] == ["check"]:   # as autograder.__main__.main does before its imports
        try:
            from autograder.pipeline.lean_import import nbgrader_without_server_extensions
        except ImportError:   # an older clone (--compare)
            pass
        else:
            nbgrader_without_server_extensions()
    import autograder.__main__ as command
    import autograder.pipeline.check as check
    import nbclient.client as client
    import nbconvert.preprocessors.base as preprocessors
    import nbgrader.converters.autograde as autograde
    marks["imports"] = time.time()

    timed(client.NotebookClient, "async_start_new_kernel", "kernel launch")
    timed(client.NotebookClient, "async_start_new_kernel_client", "kernel until ready")
    timed(client.NotebookClient, "_async_cleanup_kernel", "kernel shut-down")
    timed(autograde.Autograde, "init_assignment", "nbgrader init_assignment")
    timed(check, "run_check", "run_check")
    execute_cell = client.NotebookClient.async_execute_cell

    async def traced_cell(self, cell, cell_index, *args, **kwargs):
        begin = time.time()
        try:
            return await execute_cell(self, cell, cell_index, *args, **kwargs)
        finally:
            first = next((line.strip() for line in cell.source.splitlines() if line.strip()),
                         "")
            cells.append((cell_index + 1, time.time() - begin, first[:50]))

    client.NotebookClient.async_execute_cell = traced_cell
    call = preprocessors.Preprocessor.__call__

    def traced_call(self, nb, resources):
        begin = time.time()
        try:
            return call(self, nb, resources)
        finally:
            name = f"preprocessor {type(self).__name__}"
            spent[name] = spent.get(name, 0.0) + time.time() - begin

    preprocessors.Preprocessor.__call__ = traced_call
    run_check = check.run_check

    def traced_run_check(*args, **kwargs):
        marks["run_check"] = time.time()
        try:
            return run_check(*args, **kwargs)
        finally:
            marks["run_check done"] = time.time()

    check.run_check = traced_run_check
    try:
        code = command.main(argv)
    finally:
        marks["main done"] = time.time()
        Path(out).write_text(json.dumps({"marks": marks, "spent": spent, "cells": cells}))
    if argv[:1] == ["check"] and hasattr(command, "exit_now"):
        command.exit_now(code)   # as ``python -m autograder check`` ends
    return code


def breakdown(trace, spawned, ended, document):
    """``{phase: seconds}`` of one traced check (see the module docstring)."""
    marks, spent = trace["marks"], trace["spent"]
    cells = sum(seconds for _, seconds, _ in trace["cells"])
    phases = {
        "interpreter start": marks["python up"] - spawned,
        "parent imports (autograder, nbgrader, nbclient)": marks["imports"] - marks["python up"],
        "command line, more imports": marks.get("run_check", marks["imports"]) - marks["imports"],
    }
    json_phases = document.get("phases", {})
    for name, seconds in json_phases.items():
        if not name.startswith("nbgrader autograde"):
            phases[f"check: {name}"] = seconds
    execute = spent.get("preprocessor SafeExecute", 0.0)
    kernel = {"kernel launch (launcher, bubblewrap)": spent.get("kernel launch", 0.0),
              "kernel start until it answers (ipykernel)": spent.get("kernel until ready", 0.0),
              "the notebook's cells": cells,
              "kernel shut-down": spent.get("kernel shut-down", 0.0)}
    others = sum(v for k, v in spent.items()
                 if k.startswith("preprocessor ") and k != "preprocessor SafeExecute")
    autograde = next((v for k, v in json_phases.items() if k.startswith("nbgrader autograde")),
                     0.0)
    phases["autograde: nbgrader init_assignment (copies, gradebook)"] = \
        spent.get("nbgrader init_assignment", 0.0)
    phases.update({f"autograde: {k}": v for k, v in kernel.items()})
    phases["autograde: executor's own work (between cells)"] = max(
        0.0, execute - sum(kernel.values()))
    phases["autograde: nbgrader's other preprocessors"] = others
    phases["autograde: the rest (reading, writing, gradebook rows)"] = max(
        0.0, autograde - execute - others - spent.get("nbgrader init_assignment", 0.0))
    if "run_check done" in marks:
        phases["after the check (report, exit)"] = ended - marks["run_check done"]
    return phases


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


def check_once(path, cache, repo=REPO):
    """One traced ``python -m autograder check --json`` of ``repo``'s code in a fresh process:
    (wall s, document, {phase: s}, cells)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(repo)}
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        started = time.time()
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--trace-child",
                               out.name, "check", "--json", str(path)],
                              cwd=repo, capture_output=True, text=True, env=env)
        ended = time.time()
        try:
            trace = json.loads(Path(out.name).read_text())
        except ValueError:
            trace = None
    try:
        document = json.loads(done.stdout)
    except ValueError:
        document = {"outcome": "unreadable", "phases": {}, "seconds": 0.0,
                    "error": done.stderr[-500:]}
    phases = breakdown(trace, started, ended, document) if trace else {}
    cells = sorted(trace["cells"], key=lambda c: -c[1]) if trace else []
    return ended - started, document, phases, cells


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


def _summary(document):
    """What a check scored: the same for every run of one notebook, or the benchmark lies."""
    return (document.get("outcome"), document.get("exit_code"), document.get("points"),
            tuple((c["grade_id"], c["score"], c["status"], c["message"])
                  for c in document.get("cells", [])),
            tuple((w["cell"], w["message"]) for w in document.get("worked_failures", [])))


def _median_run(runs):
    walls = [run[0] for run in runs]
    median = statistics.median(walls)
    return median, min(runs, key=lambda run: abs(run[0] - median))


def main(argv=None):
    sys.path.insert(0, str(REPO))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="check runs per notebook after the warm-up run (default 5)")
    parser.add_argument("--lesson", action="append", choices=LESSONS,
                        help="only this lesson (repeatable; default all six)")
    parser.add_argument("--source", choices=["sample", "solutions"], default="sample",
                        help="sample: sample_class/submitted/ada_complete (default); "
                             "solutions: solutions/<lesson>")
    parser.add_argument("--compare", metavar="OTHER_REPO",
                        help="also time the check of another clone (before/after), interleaved")
    parser.add_argument("--cells", type=int, default=5, help="slowest cells shown (default 5)")
    parser.add_argument("--before", action="store_true",
                        help="also time the check path before issue 16, in this process")
    args = parser.parse_args(argv)
    lessons = args.lesson or list(LESSONS)
    repos = {"this clone": REPO}
    if args.compare:
        repos = {"compared": Path(args.compare).resolve(), **repos}
    print(f"check: 1 warm-up + {args.repeat} runs per notebook and clone; load average "
          f"{os.getloadavg()}; {os.cpu_count()} CPU(s); this clone {REPO}"
          + (f"; compared with {repos['compared']}" if args.compare else ""))
    table = []
    with tempfile.TemporaryDirectory(prefix="check-speed-") as caches:
        for lesson in lessons:
            if args.source == "sample":
                path = REPO / "sample_class" / "submitted" / "ada_complete" / lesson / \
                    f"{lesson}.ipynb"
            else:
                path = REPO / "solutions" / lesson / f"{lesson}.ipynb"
            base, _ = baseline(path)
            firsts, runs = {}, {name: [] for name in repos}
            for name, repo in repos.items():
                cache = Path(caches) / f"{lesson}-{len(firsts)}"
                firsts[name] = check_once(path, cache, repo)[0]
            for _ in range(args.repeat):
                for index, (name, repo) in enumerate(repos.items()):
                    runs[name].append(check_once(path, Path(caches) / f"{lesson}-{index}",
                                                 repo))
            print(f"\n{lesson} ({path.relative_to(REPO)}): nbclient once {base:.2f} s")
            results = {}
            for name in repos:
                median, (_, document, phases, cells) = _median_run(runs[name])
                results[name] = median
                walls = [run[0] for run in runs[name]]
                same = len({_summary(run[1]) for run in runs[name]}) == 1
                print(f"  {name}: check median {median:.2f} s = {median / base:.2f} x nbclient "
                      f"(first {firsts[name]:.2f} s, min {min(walls):.2f}, max {max(walls):.2f});"
                      f" outcome {document.get('outcome')}, exit {document.get('exit_code')}, "
                      f"{document.get('points')}/{document.get('max_points')} points"
                      + ("" if same else "; THE RUNS DISAGREE ON SCORES OR MESSAGES"))
                for phase, seconds in phases.items():
                    print(f"      {phase:<58}{seconds:6.2f} s")
                if name == "this clone":
                    print("      slowest cells: " + "; ".join(
                        f"cell {number} {seconds:.2f} s `{first}`"
                        for number, seconds, first in cells[:args.cells]))
            if args.compare:
                same = _summary(runs["compared"][0][1]) == _summary(runs["this clone"][0][1])
                print(f"  this clone / compared: {results['this clone'] / results['compared']:.2f}"
                      f"; scores and messages {'identical' if same else 'DIFFER'}")
            table.append((lesson, base, results))
            if args.before:
                old = [before_once(path, lesson) for _ in range(args.repeat)]
                old_median = statistics.median(old)
                print(f"  before issue 16 (imports excluded): median {old_median:.2f} s = "
                      f"{old_median / base:.2f} x nbclient")
    print("\n| lesson | nbclient once | " + " | ".join(
        f"{name} median (x nbclient)" for name in repos) + " |")
    print("|---|---|" + "---|" * len(repos))
    for lesson, base, results in table:
        print(f"| {lesson} | {base:.2f} s | " + " | ".join(
            f"{results[name]:.2f} s ({results[name] / base:.2f}x)" for name in repos) + " |")
    for name in repos:
        overall = statistics.median(results[name] for _, _, results in table)
        ratio = statistics.median(results[name] / base for _, base, results in table)
        print(f"{name}: median check {overall:.2f} s (target 3 s on 2 cores), median ratio to "
              f"nbclient {ratio:.2f}")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    if _CHILD_STARTED is not None:
        sys.exit(_trace_child(sys.argv[2], sys.argv[3:]))
    main()
