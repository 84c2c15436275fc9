"""Benchmark: grade the sample class with plain serial ``nbgrader autograde``, then with
``python -m autograder grade``, in the same run, and print the wall times.

    .venv/bin/python benchmarks/grade_class.py [--workers N] [--timeout S] [--submissions DIR]

nbgrader side: a fresh copy of the course (``course/nbgrader_config.py``, each lesson's source
built as ``make build`` builds it, ``generate_assignment`` run beforehand and not timed), the
submissions copied into ``submitted/``, then ``nbgrader autograde <lesson>`` for each lesson, one
after the other, with the same per-cell time limit as ours. That is what an instructor runs
without this pipeline; it writes no feedback and no report.

Our side: the whole command, timed from start to finish: private course and gradebook set-up,
the sandbox probe, autograding in parallel, feedback pages, CSVs and the report.

Nothing is asserted; machines differ. Both sides run on the same machine, one after the other.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _environment():
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _load():
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _nbgrader():
    exe = Path(sys.executable).with_name("nbgrader")
    return str(exe) if exe.exists() else "nbgrader"


def plain_nbgrader(submissions, scratch, timeout):
    """Serial ``nbgrader autograde``, one lesson after the other; returns (seconds, notebooks
    autograded, exit codes)."""
    import nbformat

    from autograder.build import find_lessons, text_to_notebook

    course = scratch / "course"
    course.mkdir()
    shutil.copy(REPO / "course" / "nbgrader_config.py", course)
    lessons = sorted({p.parent.name for p in Path(submissions).glob("*/*/*.ipynb")})
    for lesson in lessons:
        if lesson not in find_lessons(REPO / "course"):
            continue
        folder = course / "source" / lesson
        folder.mkdir(parents=True)
        nbformat.write(text_to_notebook(REPO / "course" / "source" / lesson / f"{lesson}.py"),
                       folder / f"{lesson}.ipynb")
    overrides = ["--CourseDirectory.release_directory=release",
                 "--CourseDirectory.solution_directory=solution", "--log-level=ERROR"]
    for lesson in lessons:       # set-up, not timed: what `make build` already did in course/
        subprocess.run([_nbgrader(), "generate_assignment", lesson, "--force", *overrides],
                       cwd=course, env=_environment(), check=True, capture_output=True)
    shutil.copytree(submissions, course / "submitted")
    codes = []
    started = time.perf_counter()
    for lesson in lessons:
        result = subprocess.run([_nbgrader(), "autograde", lesson, "--force",
                                 f"--Execute.timeout={timeout}", *overrides],
                                cwd=course, env=_environment(), capture_output=True)
        codes.append(result.returncode)
    seconds = time.perf_counter() - started
    graded = len(list((course / "autograded").glob("*/*/*.ipynb")))
    return seconds, graded, codes


def ours(submissions, scratch, timeout, workers, due_dates):
    command = [sys.executable, "-m", "autograder", "grade", str(submissions), "--out",
               str(scratch / "out"), "--timeout", str(timeout)]
    if workers:
        command += ["--workers", str(workers)]
    if due_dates and Path(due_dates).is_file():
        command += ["--due-dates", str(due_dates)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=_environment(), capture_output=True,
                            text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
    graded = len(list((scratch / "out" / "nbgrader" / "autograded").glob("*/*/*.ipynb")))
    timing = next((line for line in (scratch / "out" / "report.html").read_text().splitlines()
                   if "Time:" in line), "") if (scratch / "out" / "report.html").exists() else ""
    return seconds, graded, result.returncode, re.sub(r"<[^>]+>", "", timing).strip()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", default=str(REPO / "sample_class" / "submitted"))
    parser.add_argument("--due-dates", default=str(REPO / "sample_class" / "due_dates.csv"))
    parser.add_argument("--workers", type=int, default=None,
                        help="our worker processes (default: the number of CPUs)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds per cell, both sides")
    args = parser.parse_args(argv)
    submissions = Path(args.submissions).resolve()
    notebooks = len(list(submissions.glob("*/*/*.ipynb")))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{notebooks} notebooks in {submissions}; {cpus} CPUs; {args.timeout} s per cell",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "plain").mkdir()
        (scratch / "ours").mkdir()
        load = _load()
        plain_s, plain_graded, codes = plain_nbgrader(submissions, scratch / "plain",
                                                      args.timeout)
        print(f"nbgrader autograde, serial:   {plain_s:7.1f} s  {plain_s / notebooks:5.2f} "
              f"s/notebook  ({plain_graded} of {notebooks} autograded, exit codes {codes})",
              flush=True)
        load_between = _load()
        our_s, our_graded, code, timing = ours(submissions, scratch / "ours", args.timeout,
                                               args.workers, args.due_dates)
        print(f"python -m autograder grade:   {our_s:7.1f} s  {our_s / notebooks:5.2f} "
              f"s/notebook  ({our_graded} of {notebooks} autograded, feedback and report "
              f"included, exit code {code})")
        print(f"ratio (nbgrader / ours):      {plain_s / our_s:7.2f}x")
        print(f"our run's report: {timing}")
        print(f"load average (1 min) before each run: {load:.2f}, {load_between:.2f}; "
              f"after: {_load():.2f} (other processes on this machine share the CPUs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
