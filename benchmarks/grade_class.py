"""Benchmark: grade the sample class with plain serial ``nbgrader autograde`` and with
``python -m autograder grade`` (without and with verification), in the same run.

    .venv/bin/python benchmarks/grade_class.py [--workers N] [--timeout S] [--submissions DIR]
                                               [--skip-verified]
    .venv/bin/python benchmarks/grade_class.py --scale 300 [--scale-normal-only]

Three runs, one after the other, on the same machine and the same submissions:

baseline     plain serial nbgrader: a fresh copy of the course (``course/nbgrader_config.py``,
             each lesson's source built as ``make build`` builds it, ``generate_assignment`` run
             beforehand and not timed), the submissions copied into ``submitted/``, then
             ``nbgrader autograde <lesson>`` for each lesson, one after the other, with the same
             per-cell time limit and memory cap as ours. It writes no feedback and no report.
no-verify    ``python -m autograder grade --no-verify``: the same work as nbgrader plus the
             feedback pages, the CSVs and the report, timed from start to finish (private
             course and gradebook set-up, the sandbox probe, autograding in parallel, outputs).
             The ratio the target of issue 4 (>= 1.8x on 2 cores) is about.
default      ``python -m autograder grade``: as above plus the out-of-kernel verification of
             every submission, which nbgrader does not do.

For each: wall time, the ratio baseline / run, seconds per notebook, the 1-minute load average
before and after, the CPU-seconds other processes took meanwhile (sampled from ``/proc``: a
run with more than a few is not a clean measurement) and the CPU the run itself kept busy (the
serial baseline keeps about one CPU busy, so about 2x is the most 2 CPUs can give). For our
runs, the phases summed over the journal records (``OUT/nbgrader/.autograder/journal/*/*.json``)
and the report's set-up and grading times; the worker-seconds not spent inside a submission are
the pool's idle time (set-up, the tail) and the longest submissions. For every run: how many
submissions got the expected score on every grade cell (the sample class's
``expected_scores.csv``), so a fast run that grades wrongly shows as such.

The baseline's kernels get the same address-space cap as ours (``--memory``, default 2048 MiB,
set with ``setrlimit`` on the nbgrader process and inherited by its kernels): without it the
sample class's memory bomb would take the shared machine's memory. Nothing else is changed.

``--scale N`` (issue 16, item 5; not run by CI) grades instead a generated class of at least
N notebooks: the sample class replicated under new student ids (``ada_complete`` becomes
``ada_complete_r001`` ...), each copy's late submission as late as the original. It is graded
with ``--workers 1`` and then ``--workers 2`` (verified, the default), and prints notebooks per
second, the peak memory of the grader's whole process tree (the sum of the resident sizes of
the grader, its workers and their kernels, sampled every half second) and the ratio of the two
throughputs. ``--scale-normal-only`` leaves the pathological notebooks (infinite loops, memory
bombs, the one that ignores interrupts) out of the copies: each costs up to its time limit.

Nothing is asserted; machines differ and other processes share the CPUs (see above).
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder.pipeline.record import SubmissionRecord  # noqa: E402  (after the path)

COURSE_ID = "backprop"          # course/nbgrader_config.py
PHASES = ("autograde_seconds", "verify_seconds", "feedback_seconds")


@dataclass
class Run:
    """What one timed run did."""

    label: str
    seconds: float
    graded: int                       # autograded notebooks found afterwards
    load_before: float
    load_after: float
    foreign_cpu: float                # CPU-seconds of processes outside this benchmark
    busy_cpu: float                   # CPU-seconds of every process (from /proc/stat)
    exit_codes: list
    scores: dict = field(default_factory=dict)      # (student, lesson) -> {grade_id: score}
    records: list = field(default_factory=list)     # our journal's SubmissionRecords
    report_times: str = ""                          # our report's "Time:" line
    detail: str = ""                                # the baseline's seconds per lesson


def _environment():
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _load():
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _cpus():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _nbgrader():
    exe = Path(sys.executable).with_name("nbgrader")
    return str(exe) if exe.exists() else "nbgrader"


def _memory_cap(mib):
    """A ``preexec_fn`` capping the address space of a process and of what it starts."""
    def cap():
        limit = int(mib) * 2 ** 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return cap


def _timed(label, function):
    """Run ``function()`` (which returns the other fields of a :class:`Run`), timed, while
    measuring what other processes take of the CPUs."""
    load, busy = _load(), _busy_cpu()
    with ForeignCpu() as foreign:
        started = time.perf_counter()
        fields = function()
        seconds = time.perf_counter() - started
    return Run(label, seconds, load_before=load, load_after=_load(),
               foreign_cpu=foreign.seconds, busy_cpu=_busy_cpu() - busy, **fields)


def _busy_cpu():
    """CPU-seconds all CPUs have spent not idle since boot (Linux; 0 elsewhere)."""
    try:
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0.0
    idle = ticks[3] + ticks[4]                  # idle and iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class ForeignCpu(threading.Thread):
    """CPU-seconds used by processes outside this benchmark's process tree, while it runs.

    The 1-minute load average lags and counts our own workers; this samples ``/proc`` every
    ``interval`` seconds instead and adds up the CPU time of every other process (a process
    that starts and ends between two samples is missed). Linux only; 0 elsewhere.
    """

    def __init__(self, interval=0.5):
        super().__init__(daemon=True)
        self.interval = interval
        self.seconds = 0.0
        self._stop_event = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __enter__(self):
        if Path("/proc/self/stat").exists():
            self.start()
        return self

    def __exit__(self, *exc):
        self._stop_event.set()
        if self.is_alive():
            self.join()

    def run(self):
        before = _processes()
        while not self._stop_event.wait(self.interval):
            now = _processes()
            ours = _descendants(os.getpid(), now)
            for pid, (_, ticks, start) in now.items():
                if pid in ours:
                    continue
                old = before.get(pid)      # a new process: all of its time is new
                new_ticks = ticks - old[1] if old and old[2] == start else ticks
                self.seconds += new_ticks / self._tick
            before = now


def _processes():
    """``{pid: (ppid, utime + stime ticks, start time)}`` of every live process."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]),
                                  int(fields[19]))
    return found


def _descendants(root, processes):
    children = {}
    for pid, (ppid, _, _) in processes.items():
        children.setdefault(ppid, []).append(pid)
    tree, stack = set(), [root]
    while stack:
        pid = stack.pop()
        tree.add(pid)
        stack += children.get(pid, [])
    return tree


# ---- the baseline ----------------------------------------------------------------------------

def _baseline_course(submissions, course):
    """A fresh nbgrader course with each lesson generated, and the submissions copied in."""
    import nbformat

    from autograder.build import find_lessons, text_to_notebook

    course.mkdir()
    shutil.copy(REPO / "course" / "nbgrader_config.py", course)
    known = find_lessons(REPO / "course")
    lessons = sorted({p.parent.name for p in Path(submissions).glob("*/*/*.ipynb")} & set(known))
    for lesson in lessons:
        folder = course / "source" / lesson
        folder.mkdir(parents=True)
        nbformat.write(text_to_notebook(REPO / "course" / "source" / lesson / f"{lesson}.py"),
                       folder / f"{lesson}.ipynb")
    for lesson in lessons:       # set-up, not timed: what `make build` already did in course/
        subprocess.run([_nbgrader(), "generate_assignment", lesson, "--force",
                        *_baseline_overrides()], cwd=course, env=_environment(), check=True,
                       capture_output=True)
    shutil.copytree(submissions, course / "submitted")
    return lessons


def _baseline_overrides():
    return ["--CourseDirectory.release_directory=release",
            "--CourseDirectory.solution_directory=solution", "--log-level=ERROR"]


def run_baseline(submissions, scratch, timeout, memory_mib):
    """Serial ``nbgrader autograde``, one lesson after the other (set-up not timed)."""
    course = scratch / "course"
    lessons = _baseline_course(submissions, course)

    def autograde_every_lesson():
        codes, seconds = [], []
        for lesson in lessons:
            started = time.perf_counter()
            result = subprocess.run([_nbgrader(), "autograde", lesson, "--force",
                                     f"--Execute.timeout={timeout}", *_baseline_overrides()],
                                    cwd=course, env=_environment(), capture_output=True,
                                    preexec_fn=_memory_cap(memory_mib))
            seconds.append(time.perf_counter() - started)
            codes.append(result.returncode)
        return {"exit_codes": codes,
                "graded": len(list((course / "autograded").glob("*/*/*.ipynb"))),
                "detail": "per lesson: " + ", ".join(f"{lesson[:2]} {s:.1f} s"
                                                     for lesson, s in zip(lessons, seconds))}

    run = _timed("nbgrader autograde, serial", autograde_every_lesson)
    run.scores = _gradebook_scores(course / "gradebook.db", course / "autograded")
    return run


def _gradebook_scores(db_path, autograded):
    """``{(student, lesson): {grade_id: score}}`` of every notebook nbgrader autograded."""
    from nbgrader.api import Gradebook, MissingEntry

    scores = {}
    with Gradebook(f"sqlite:///{db_path}", COURSE_ID) as gradebook:
        for path in sorted(autograded.glob("*/*/*.ipynb")):
            student, lesson = path.parent.parent.name, path.parent.name
            try:
                notebook = gradebook.find_submission_notebook(lesson, lesson, student)
            except MissingEntry:
                continue
            scores[student, lesson] = {g.name: float(g.score) for g in notebook.grades}
    return scores


# ---- ours ------------------------------------------------------------------------------------

def run_ours(label, submissions, out, timeout, workers, due_dates, memory_mib, verify):
    """``python -m autograder grade`` from start to finish, into the fresh folder ``out``."""
    command = [sys.executable, "-m", "autograder", "grade", str(submissions), "--out",
               str(out), "--timeout", str(timeout), "--memory", str(memory_mib)]
    command += ["--workers", str(workers)] if workers else []
    command += ["--due-dates", str(due_dates)] if due_dates and Path(due_dates).is_file() else []
    command += [] if verify else ["--no-verify"]

    def grade():
        result = subprocess.run(command, cwd=REPO, env=_environment(), capture_output=True,
                                text=True)
        if result.returncode != 0:
            print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
        return {"exit_codes": [result.returncode],
                "graded": len(list((out / "nbgrader" / "autograded").glob("*/*/*.ipynb")))}

    run = _timed(label, grade)
    journal = sorted((out / "nbgrader" / ".autograder" / "journal").glob("*/*.json"))
    run.records = [r for r in (SubmissionRecord.from_json(p.read_text()) for p in journal) if r]
    run.scores = _csv_scores(out / "scores.csv", {r.key for r in run.records})
    run.report_times = _report_times(out / "report.html")
    return run


def _report_times(report):
    if not report.is_file():
        return ""
    line = next((line for line in report.read_text().splitlines() if "Time:" in line), "")
    found = re.search(r"Time:[^<]*", line)
    return found.group(0).strip().rstrip(".") if found else ""


def _csv_scores(path, keys):
    """``{(student, lesson): {grade_id: score}}`` from a ``scores.csv``, for ``keys`` only."""
    scores = {}
    if not Path(path).is_file():
        return scores
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["student_id"], row["assignment"])
            if key in keys:
                scores.setdefault(key, {})[row["grade_id"]] = float(row["score"])
    return scores


# ---- a generated class (--scale) -------------------------------------------------------------

#: Sample-class students whose notebooks run into a limit (time or memory) by design.
PATHOLOGICAL = ("ivy_infinite_loop", "jon_ignores_interrupt", "kim_memory_bomb")


def generate_class(submissions, due_dates, target, folder, normal_only=False):
    """At least ``target`` notebooks: copies of ``submissions`` under new student ids.

    Returns (submissions folder, due-dates file, notebooks). The due dates are per lesson, so
    a copied late submission (its ``timestamp.txt`` comes along) is as late as the original.
    """
    students = sorted(p.name for p in Path(submissions).iterdir() if p.is_dir() and
                      not (normal_only and p.name in PATHOLOGICAL))
    per_copy = sum(len(list((Path(submissions) / s).glob("*/*.ipynb"))) for s in students)
    copies = -(-int(target) // max(1, per_copy))
    out = Path(folder) / "submitted"
    for copy in range(1, copies + 1):
        for student in students:
            shutil.copytree(Path(submissions) / student, out / f"{student}_r{copy:03d}")
    return out, due_dates, copies * per_copy


def _tree_rss(root):
    """Resident bytes of ``root`` and every process under it (Linux; 0 elsewhere)."""
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    total = 0
    for pid in _descendants(root, _processes()):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_scaled(submissions, out, timeout, workers, due_dates, memory_mib):
    """``python -m autograder grade --workers N`` on the generated class; (run, peak bytes)."""
    command = [sys.executable, "-m", "autograder", "grade", str(submissions), "--out",
               str(out), "--timeout", str(timeout), "--memory", str(memory_mib),
               "--workers", str(workers)]
    command += ["--due-dates", str(due_dates)] if due_dates and Path(due_dates).is_file() else []
    peak = [0]

    def grade():
        process = subprocess.Popen(command, cwd=REPO, env=_environment(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.5)
        return {"exit_codes": [process.returncode],
                "graded": len(list((out / "nbgrader" / "autograded").glob("*/*/*.ipynb")))}

    run = _timed(f"ours, --workers {workers}", grade)
    return run, peak[0]


def main_scale(args, submissions):
    with tempfile.TemporaryDirectory(prefix="autograder-scale-") as scratch:
        scratch = Path(scratch)
        generated, due_dates, notebooks = generate_class(
            submissions, args.due_dates, args.scale, scratch, args.scale_normal_only)
        print(f"generated class: {notebooks} notebooks "
              f"({'normal notebooks only' if args.scale_normal_only else 'every kind'}); "
              f"{_cpus()} CPUs; {args.timeout} s per cell", flush=True)
        results = []
        for workers in (1, 2):
            run, peak = run_scaled(generated, scratch / f"out-{workers}", args.timeout, workers,
                                   due_dates, args.memory)
            results.append((run, peak))
            print(f"--workers {workers}: {run.seconds:7.1f} s, {notebooks / run.seconds:5.2f} "
                  f"notebooks/s, {run.seconds / notebooks:5.2f} s/notebook, peak memory "
                  f"{peak / 2**20:7.1f} MiB ({run.graded} of {notebooks} autograded, exit "
                  f"{run.exit_codes}); load {run.load_before:.2f} -> {run.load_after:.2f}, "
                  f"other processes {run.foreign_cpu:.1f} CPU-s", flush=True)
    (one, _), (two, _) = results
    print(f"throughput --workers 2 / --workers 1: {one.seconds / two.seconds:.2f}x "
          f"(2 CPUs give at most about 2x)")
    return 0


# ---- what to print ---------------------------------------------------------------------------

def summary_line(run, baseline, notebooks):
    """Wall time, ratio to the baseline, seconds per notebook, load, graded count, and the
    CPU time the run itself used (all busy CPU time less that of other processes)."""
    ratio = baseline.seconds / run.seconds if run.seconds else float("nan")
    own = max(0.0, run.busy_cpu - run.foreign_cpu)
    return (f"{run.label:34s} {run.seconds:7.1f} s  {ratio:5.2f}x  "
            f"{run.seconds / notebooks:5.2f} s/notebook  load {run.load_before:5.2f} -> "
            f"{run.load_after:5.2f}, other processes {run.foreign_cpu:5.1f} CPU-s  "
            f"({run.graded} of {notebooks} autograded, exit {run.exit_codes})\n"
            f"{'':34s} this run used {own:6.1f} CPU-s: {own / run.seconds:4.2f} of the "
            f"{_cpus()} CPUs busy on average")


def phase_lines(run, workers):
    """The phases of our run summed over its journal records, and the pool's idle time."""
    records = run.records
    total = sum(r.seconds for r in records)
    sums = {phase: sum(getattr(r, phase) for r in records) for phase in PHASES}
    rest = total - sum(sums.values())
    lines = [f"  {run.label}: {run.report_times or 'no report'}",
             f"    per submission, summed over {len(records)}: {total:6.1f} s = " +
             " + ".join(f"{name.replace('_seconds', '')} {value:.1f}"
                        for name, value in sums.items()) +
             f" + other {rest:.1f} (copy, normalise, read grades, malformed)"]
    grading = re.search(r"grading (\d+(?:\.\d+)?) s", run.report_times)
    if grading:
        idle = float(grading.group(1)) * workers - total
        lines.append(f"    worker-seconds of the grading phase outside a submission: {idle:.1f} "
                     f"({workers} workers x {grading.group(1)} s - {total:.1f} s)")
    longest = sorted(records, key=lambda r: -r.seconds)[:4]
    lines.append("    longest: " + ", ".join(f"{r.student}/{r.lesson[:2]} {r.seconds:.1f} s"
                                               for r in longest))
    return lines


def expected_scores(path):
    """``{(student, lesson): {grade_id: score}}`` of the submitted notebooks, from an
    ``expected_scores.csv``."""
    scores = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            if row["status"] == "not submitted":
                continue
            scores.setdefault((row["student_id"], row["assignment"]), {})[
                row["grade_id"]] = float(row["score"])
    return scores


def correctness_lines(run, expected):
    """How many submissions got the expected score on every grade cell, and which did not."""
    right = [key for key, cells in expected.items() if run.scores.get(key) == cells]
    missing = sorted(key for key in expected if key not in run.scores)
    wrong = sorted(set(expected) - set(right) - set(missing))
    return [f"  {run.label}: {len(right)} of {len(expected)} submissions scored as expected",
            f"    no grades at all: {_short_names(missing) or '-'}",
            f"    other scores: {_short_names(wrong) or '-'}"]


def _short_names(keys):
    return ", ".join(f"{student}/{lesson[:2]}" for student, lesson in keys)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", default=str(REPO / "sample_class" / "submitted"))
    parser.add_argument("--due-dates", default=str(REPO / "sample_class" / "due_dates.csv"))
    parser.add_argument("--expected", default=str(REPO / "sample_class" / "expected_scores.csv"),
                        help="expected scores (skipped when the file does not exist)")
    parser.add_argument("--workers", type=int, default=None,
                        help="our worker processes (default: the number of CPUs)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds per cell, every run")
    parser.add_argument("--memory", type=int, default=2048, help="MiB per kernel, every run")
    parser.add_argument("--skip-verified", action="store_true",
                        help="leave out the default (verified) run")
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="grade a generated class of at least N notebooks with --workers 1 "
                             "and 2 instead (notebooks per second, peak memory)")
    parser.add_argument("--scale-normal-only", action="store_true",
                        help="with --scale: leave the pathological notebooks out of the copies")
    args = parser.parse_args(argv)
    submissions = Path(args.submissions).resolve()
    if args.scale:
        return main_scale(args, submissions)
    notebooks = len(list(submissions.glob("*/*/*.ipynb")))
    workers = args.workers or _cpus()
    print(f"{notebooks} notebooks in {submissions}; {_cpus()} CPUs; {workers} workers; "
          f"{args.timeout} s per cell; {args.memory} MiB per kernel", flush=True)
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "plain").mkdir()
        runs = [run_baseline(submissions, scratch / "plain", args.timeout, args.memory)]
        print(summary_line(runs[0], runs[0], notebooks), flush=True)
        print(f"  {runs[0].detail} (each includes starting nbgrader, about 2 s)", flush=True)
        variants = [("ours, --no-verify", False)] + \
            ([] if args.skip_verified else [("ours, default (verified)", True)])
        for label, verify in variants:
            runs.append(run_ours(label, submissions, scratch / f"out-{verify}", args.timeout,
                                 args.workers, args.due_dates, args.memory, verify))
            print(summary_line(runs[-1], runs[0], notebooks), flush=True)
    print("ratio = nbgrader serial / run (wall); the target (issue 4) is >= 1.8x for "
          "--no-verify on 2 cores")
    print("phases of our runs (seconds; per-submission phases are worker-seconds):")
    for run in runs[1:]:
        print("\n".join(phase_lines(run, workers)))
    if Path(args.expected).is_file():
        submitted = {(p.parent.parent.name, p.parent.name)
                     for p in submissions.glob("*/*/*.ipynb")}
        expected = {key: cells for key, cells in expected_scores(args.expected).items()
                    if key in submitted}
        print("correctness against", Path(args.expected).name + ":")
        for run in runs:
            print("\n".join(correctness_lines(run, expected)))
    print(f"load average (1 min) now {_load():.2f}; other processes on this machine share the "
          f"{_cpus()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
