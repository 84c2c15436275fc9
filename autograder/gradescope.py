"""A Gradescope autograder for a lesson: the zip to upload, and what runs inside it.

``python -m autograder gradescope LESSON --out DIR`` writes ``DIR/<lesson>_gradescope.zip``, the
"zip file upload" of a Gradescope programming assignment (Gradescope's documented layout):

``setup.sh``
    Run once when Gradescope builds the image (Ubuntu, as root): installs Debian's bubblewrap
    (the grading sandbox) and Python's venv, then this package and its dependencies.
``run_autograder``
    Run for every submission: grades ``/autograder/submission/*.ipynb`` with the same pipeline
    as ``python -m autograder grade`` (sandboxed kernel, hidden tests, out-of-kernel
    confirmation) and writes ``/autograder/results/results.json``.
``source/``
    This package, the course (hidden tests included) and the lesson's released notebook. It
    holds no published solution; Gradescope never shows the autograder zip to students.

``results.json`` has one test per grade cell (``name`` = its grade_id and docstring question,
``score``, ``max_score``, ``status``, ``output`` = the message the student sees in a feedback
page, ``visibility``), and each written answer as a test worth 0 points whose output says it is
graded by hand (give those points in Gradescope's manual grading). The top-level ``score`` is
the autograded total. Tested by running ``run_autograder`` on a folder laid out as Gradescope
lays it out (``AUTOGRADER_ROOT`` moves the root, ``/autograder``, for the test).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOT = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends bubblewrap python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet --upgrade pip
# jupytext reads the lesson's source (hidden tests included) at grading time
/autograder/venv/bin/pip install --quiet /autograder/source "jupytext>=1.16,<2"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; results go to $ROOT/results/results.json.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
cd "$ROOT/source"
exec "$PYTHON" -m autograder.gradescope run --lesson "$(cat "$ROOT/source/LESSON")" \\
    --root "$ROOT"
"""

#: What the grading pipeline needs from the repository, besides the package.
_COURSE_FILES = ("course/nbgrader_config.py",)


def build_zip(lesson, out_dir, repo=REPO):
    """Write ``<lesson>_gradescope.zip`` into ``out_dir``; returns its path.

    Raises
    ------
    ValueError
        The lesson does not exist or has not been built (``make build``).
    """
    repo = Path(repo)
    source = repo / "course" / "source" / lesson / f"{lesson}.py"
    release = repo / "notebooks" / lesson / f"{lesson}.ipynb"
    from .build import find_lessons

    known = find_lessons(repo / "course")
    if lesson not in known or not source.is_file():
        raise ValueError(f"No lesson {lesson!r}; the lessons are {', '.join(known)}.")
    if not release.is_file():
        raise ValueError(f"{release} is missing: run `make build` first.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{lesson}_gradescope.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        def add(file, name, mode=0o644):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file if isinstance(file, (bytes, str)) else file.read_bytes())

        add(SETUP_SH, "setup.sh", 0o755)
        add(RUN_AUTOGRADER, "run_autograder", 0o755)
        add(lesson + "\n", "source/LESSON")
        for item in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md",
                     *_COURSE_FILES):
            add(repo / item, f"source/{item}")
        add(source, f"source/course/source/{lesson}/{lesson}.py")
        add(release, f"source/notebooks/{lesson}/{lesson}.ipynb")
        for file in sorted((repo / "autograder").rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                add(file, f"source/{file.relative_to(repo)}")
    return path


# ---- inside Gradescope -------------------------------------------------------------------------

def _messages(autograded_nb):
    """grade_id -> the whole message of a grade cell's first error (what feedback shows)."""
    from .notebook import nbgrader_meta, read_notebook

    nb = read_notebook(autograded_nb, None, validate=False)
    messages, questions = {}, {}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if not meta.get("grade"):
            continue
        grade_id = meta.get("grade_id")
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "code" and first.startswith('"""'):
            questions[grade_id] = first.strip('"').strip()
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                messages[grade_id] = str(output.get("evalue", "")).strip() or \
                    output.get("ename", "error")
                break
    return messages, questions


def results(record, messages, questions):
    """The ``results.json`` dictionary of one graded
    :class:`~autograder.pipeline.record.SubmissionRecord`."""
    tests, total = [], 0.0
    for number, row in enumerate(record.rows, start=1):
        grade_id = row.grade_id
        name = f"{grade_id}: {questions[grade_id]}" if grade_id in questions else grade_id
        if not row.is_auto:
            tests.append({"name": f"{name} (written answer)", "number": str(number),
                          "score": 0.0, "max_score": 0.0, "visibility": "visible",
                          "output": f"A written answer worth {row.max_score:g} point(s): "
                                    "your instructor grades it by hand."})
            continue
        score = float(row.score)
        total += score
        passed = score >= float(row.max_score)
        output = "Passed." if passed else (messages.get(grade_id) or row.message or
                                           f"This test did not pass ({row.status}).")
        tests.append({"name": name, "number": str(number), "score": score,
                      "max_score": float(row.max_score),
                      "status": "passed" if passed else "failed",
                      "output": output, "visibility": "visible"})
    notes = " ".join(record.notes)
    return {"score": total, "output": notes or "Graded.", "stdout_visibility": "hidden",
            "tests": tests}


def run(lesson, root=ROOT, course_dir=None):
    """Grade ``root/submission``'s notebook for ``lesson`` into ``root/results/results.json``.

    Returns the results dictionary. A submission with no notebook, or an unreadable one, gets
    a results.json that says so (score 0), never a crash: Gradescope shows that to the student.
    """
    from .pipeline.course import COURSE, GradingOptions
    from .pipeline.discover import SubmissionError
    from .pipeline.grading import grade_class

    root = Path(root)
    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    notebooks = sorted((root / "submission").rglob("*.ipynb"))
    notebooks = [nb for nb in notebooks if ".ipynb_checkpoints" not in nb.parts]
    if not notebooks:
        result = {"score": 0.0, "output": "No notebook (.ipynb) was submitted: upload "
                                          f"{lesson}.ipynb.", "tests": []}
    else:
        chosen = next((nb for nb in notebooks if lesson in nb.name), notebooks[0])
        with tempfile.TemporaryDirectory(prefix="gradescope-") as work:
            work = Path(work)
            target = work / "submitted" / "submission" / lesson / f"{lesson}.ipynb"
            target.parent.mkdir(parents=True)
            shutil.copyfile(chosen, target)
            try:
                summary = grade_class(work / "submitted", work / "out", workers=1,
                                      options=GradingOptions(), course_dir=course_dir or COURSE,
                                      lessons=[lesson])
            except SubmissionError as error:
                summary, result = None, {"score": 0.0, "output": str(error), "tests": []}
            if summary is not None:
                record = summary.records[0]
                autograded = (work / "out" / "nbgrader" / "autograded" / "submission" / lesson /
                              f"{lesson}.ipynb")
                messages, questions = _messages(autograded) if autograded.is_file() else ({}, {})
                result = results(record, messages, questions)
                if len(notebooks) > 1:
                    result["output"] += (f" {len(notebooks)} notebooks were submitted; "
                                         f"{chosen.name} was graded.")
    (results_dir / "results.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope")
    sub = parser.add_subparsers(dest="verb", required=True)
    run_parser = sub.add_parser("run", help="grade /autograder/submission (inside Gradescope)")
    run_parser.add_argument("--lesson", required=True)
    run_parser.add_argument("--root", default=str(ROOT))
    run_parser.add_argument("--course", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    course = Path(args.course) if args.course else Path.cwd() / "course"
    run(args.lesson, Path(args.root), course_dir=course if course.is_dir() else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
