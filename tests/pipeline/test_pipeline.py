"""The grading pipeline end to end on a tiny lesson built for these tests (slow: runs kernels).

The lesson has three exercises and a written answer, and the class covers every way a
submission can go wrong. Each test reads like the behaviour it checks: what a hang, a dead
kernel or a memory bomb costs; that originals are never changed; that feedback keeps no hidden
test; that grading again changes nothing, an interrupted run resumes, a zip or LMS folder grades
the same, and four workers share the gradebook safely.
"""
import csv
import hashlib
import html
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from layout import REPO

LESSON = "00_tiny_lesson"
TIMEOUT = 3          # seconds per cell: every legitimate cell of the tiny lesson takes ms

SOURCE = '''# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A tiny lesson for the grading pipeline's tests

# %%
import numpy as np

# %% nbgrader={"grade": false, "grade_id": "double", "locked": false, "schema_version": 3, "solution": true, "task": false}
def double(x):
    """Twice x."""
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "double_test", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Is double(3) six, and is double right on other inputs?"""
assert double(3) == 6
### BEGIN HIDDEN TESTS
assert double(-2.5) == -5.0, "hidden-double-marker"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "risky", "locked": false, "schema_version": 3, "solution": true, "task": false}
def risky(x):
    """x plus one."""
    ### BEGIN SOLUTION
    return x + 1
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "risky_test", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Is risky(1) two?"""
assert risky(1) == 2

# %% nbgrader={"grade": false, "grade_id": "square", "locked": false, "schema_version": 3, "solution": true, "task": false}
def square(x):
    """x squared."""
    ### BEGIN SOLUTION
    return x * x
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "square_test", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Is square(4) sixteen, and square right on other inputs?"""
assert square(4) == 16
### BEGIN HIDDEN TESTS
assert square(-3) == 9
### END HIDDEN TESTS

# %% [markdown]
# **Question.** Why is the square of a negative number positive?

# %% [markdown] nbgrader={"grade": true, "grade_id": "why", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# Because minus times minus is plus.
'''

HIDDEN_LINES = ['assert double(-2.5) == -5.0, "hidden-double-marker"', "assert square(-3) == 9"]

BODIES = {
    "double": "return 2 * x", "risky": "return x + 1", "square": "return x * x",
}

#: student -> (answer bodies that differ from the solution, extra edits); see _submission.
CLASS = {
    "good": ({}, {}),
    "wrong": ({"double": "return x + 3"}, {}),                 # right on double(3) only
    "blank": (None, {}),
    "hangs": ({"risky": "while True:\n        pass"}, {}),
    "deaf": ({"risky": "import signal\n    signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                       "    while True:\n        pass"}, {}),
    "exits": ({"risky": "import os\n    os._exit(1)"}, {}),
    "bomb": ({"risky": "return bytearray(8 * 2 ** 30)"}, {}),
    "cheat": ({"double": "return 0"}, {"edit": {"double_test": "pass"}}),
    "deleter": ({}, {"delete": ["risky_test", "square", "square_test"]}),
    "stripped": ({}, {"strip": True}),
    "broken": ({}, {"malformed": True}),
}

#: What the grader must report: student -> {grade_id: (score, status)}.
EXPECTED = {
    "good": {"double_test": (2, "passed"), "risky_test": (1, "passed"),
             "square_test": (3, "passed"), "why": (0, "manual")},
    "wrong": {"double_test": (0, "failed"), "risky_test": (1, "passed"),
              "square_test": (3, "passed"), "why": (0, "manual")},
    "blank": {"double_test": (0, "failed"), "risky_test": (0, "failed"),
              "square_test": (0, "failed"), "why": (0, "unanswered")},
    "hangs": {"double_test": (2, "passed"), "risky_test": (0, "timed out"),
              "square_test": (3, "passed"), "why": (0, "manual")},
    "deaf": {"double_test": (2, "passed"), "risky_test": (0, "timed out"),
             "square_test": (3, "passed"), "why": (0, "manual")},
    "exits": {"double_test": (2, "passed"), "risky_test": (0, "kernel died"),
              "square_test": (3, "passed"), "why": (0, "manual")},
    "bomb": {"double_test": (2, "passed"), "risky_test": (0, "memory limit"),
             "square_test": (3, "passed"), "why": (0, "manual")},
    "cheat": {"double_test": (0, "failed;tampered"), "risky_test": (1, "passed"),
              "square_test": (3, "passed"), "why": (0, "manual")},
    "deleter": {"double_test": (2, "passed"), "risky_test": (1, "passed;missing"),
                "square_test": (0, "failed;missing"), "why": (0, "manual")},
    "stripped": {"double_test": (2, "passed;flagged"), "risky_test": (1, "passed;flagged"),
                 "square_test": (3, "passed;flagged"), "why": (0, "manual;flagged")},
    "broken": {"double_test": (0, "malformed"), "risky_test": (0, "malformed"),
               "square_test": (0, "malformed"), "why": (0, "malformed")},
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A course with the tiny lesson built by `make build`'s code, and the class's files."""
    from tiny_course import build_one_lesson

    root = tmp_path_factory.mktemp("tiny")
    course, release = build_one_lesson(root, LESSON, SOURCE)
    submitted = root / "submitted"
    for student, (bodies, edits) in CLASS.items():
        folder = submitted / student / LESSON
        folder.mkdir(parents=True)
        (folder / f"{LESSON}.ipynb").write_bytes(_submission(release, bodies, edits))
    return root


def _submission(release, bodies, edits):
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or bodies is None:
            continue
        if cell.cell_type == "markdown":
            cell.source = "Because minus times minus is plus."
            continue
        body = {**BODIES, **bodies}[meta["grade_id"]]
        cell.source = cell.source.replace("# YOUR CODE HERE\n    raise NotImplementedError()",
                                          body)
    for grade_id, source in edits.get("edit", {}).items():
        next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
             ).source = source
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") not in edits.get("delete", [])]
    if edits.get("strip"):
        for cell in nb.cells:
            cell.metadata = {}
    text = nbformat.writes(nb)
    return (text[: len(text) // 2] if edits.get("malformed") else text).encode()


def _grade(submissions, out, course, *extra, check=True, **kwargs):
    command = [sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
               "--course", str(course), "--timeout", str(TIMEOUT), *extra]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, **kwargs)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _scores(out):
    with open(out / "scores.csv", newline="") as handle:
        return {(r["student_id"], r["grade_id"]): (float(r["score"]), r["status"])
                for r in csv.DictReader(handle)}


def _processes_mentioning(path):
    """Live processes whose command line mentions ``path`` (a sandbox hides it by name)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(path) in command:
            found.append(int(entry.name))
    return found


def _digests(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tiny):
    """The class graded once with two workers (the digests of the originals taken before)."""
    before = _digests(tiny / "submitted")
    out = tiny / "out"
    result = _grade(tiny / "submitted", out, tiny / "course", "--workers", "2")
    return out, before, result


@pytest.mark.slow
def test_every_student_gets_the_expected_score_and_status(graded):
    """Does each kind of submission (hang, SIGINT-proof hang, os._exit, memory bomb, tampered,
    deleted and stripped cells, malformed JSON...) get exactly the expected score and status,
    with the other cells of the same notebook still graded?"""
    out, _, _ = graded
    got = _scores(out)
    for student, cells in EXPECTED.items():
        for grade_id, (score, status) in cells.items():
            assert got[student, grade_id] == (score, status), (student, grade_id)


@pytest.mark.slow
def test_originals_are_byte_identical_after_grading(tiny, graded):
    """Are the submitted files, bytes and names, exactly as before grading?"""
    _, before, _ = graded
    assert _digests(tiny / "submitted") == before


@pytest.mark.slow
def test_feedback_shows_no_hidden_test(graded):
    """Does no feedback page quote a hidden test, not even the failing one's assert message?"""
    out, _, _ = graded
    pages = list((out / "feedback").glob("*/*.html"))
    assert len(pages) == len(CLASS)
    for page in pages:
        text = page.read_text()
        assert "HIDDEN TESTS" not in text and "hidden-double-marker" not in text, page
        for line in HIDDEN_LINES:
            assert line not in text and html.escape(line) not in text, (page, line)
    wrong = (out / "feedback" / "wrong" / f"{LESSON}.html").read_text()
    assert "a hidden test failed" in wrong


@pytest.mark.slow
def test_feedback_tells_the_student_what_happened(graded):
    """Do the pages of the hung, the dead and the tampering student say so?"""
    out, _, _ = graded
    page = lambda s: (out / "feedback" / s / f"{LESSON}.html").read_text()  # noqa: E731
    assert "ignored the interrupt" in page("deaf")
    assert "kernel died" in page("exits")
    assert "put back as released" in page("cheat")
    assert "could not be opened as a Jupyter notebook" in page("broken")


@pytest.mark.slow
def test_outputs_and_exit_status(graded):
    """Are the four outputs written, the gradebook totals in grades.csv, and the exit 0?"""
    out, _, result = graded
    for name in ("scores.csv", "grades.csv", "report.html"):
        assert (out / name).is_file()
    with open(out / "grades.csv", newline="") as handle:
        grades = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert set(grades) == set(CLASS)
    assert float(grades["good"][LESSON]) == 6 and float(grades["good"]["max_score"]) == 8
    assert float(grades["hangs"][LESSON]) == 5 and float(grades["broken"][LESSON]) == 0
    report = (out / "report.html").read_text()
    for image in re.findall(r"src='(plots/[^']+\.png)'", report):
        assert (out / image).stat().st_size > 1000
    assert "Sandbox:" in report and "need a human look" in report
    assert "Graded 11 submission(s)" in result.stdout
    # the tiny lesson registers no exercise: the report says its cells were not confirmed
    section = html.unescape(report[report.index("Scores confirmed outside the kernel"):])
    section = section[:section.index("<h2>", 10)]
    for grade_id in ("double_test", "risky_test", "square_test"):
        assert grade_id in section
    assert "no exercise in autograder.exercises" in section


@pytest.mark.slow
def test_grading_again_changes_nothing(tiny, graded):
    """Does a second run grade nothing again and write the same scores and grades?"""
    out, _, _ = graded
    scores, grades = (out / "scores.csv").read_bytes(), (out / "grades.csv").read_bytes()
    result = _grade(tiny / "submitted", out, tiny / "course", "--workers", "2")
    assert "(0 now, 11 unchanged" in result.stdout
    assert (out / "scores.csv").read_bytes() == scores
    assert (out / "grades.csv").read_bytes() == grades


@pytest.mark.slow
def test_a_zip_of_lms_named_files_grades_the_same(tiny, graded):
    """Does a zip with <student>_<lesson>.ipynb names give the same scores as the nbgrader
    folder?"""
    out, _, _ = graded
    archive = tiny / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for student in ("wrong", "cheat"):
            z.write(tiny / "submitted" / student / LESSON / f"{LESSON}.ipynb",
                    f"{student}_{LESSON}.ipynb")
    out_zip = tiny / "out-zip"
    _grade(archive, out_zip, tiny / "course", "--workers", "2")
    expected = {k: v for k, v in _scores(out).items() if k[0] in ("wrong", "cheat")}
    assert _scores(out_zip) == expected


@pytest.mark.slow
def test_an_interrupted_run_resumes_without_losing_or_repeating(tiny, graded):
    """Killed part way, does the next run grade only what was left, and end with the same
    scores as an uninterrupted run?"""
    out, _, _ = graded
    students = ["good", "wrong", "cheat", "deleter"]
    subset = tiny / "subset"
    for student in students:
        target = subset / student / LESSON
        target.mkdir(parents=True)
        (target / f"{LESSON}.ipynb").write_bytes(
            (tiny / "submitted" / student / LESSON / f"{LESSON}.ipynb").read_bytes())
    out_resumed = tiny / "out-resumed"
    journal = out_resumed / "nbgrader" / ".autograder" / "journal"
    command = [sys.executable, "-m", "autograder", "grade", str(subset), "--out",
               str(out_resumed), "--course", str(tiny / "course"), "--timeout", str(TIMEOUT),
               "--workers", "1"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(journal.glob("*/*.json"))) < 2:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)         # no clean-up chance: the worst case
    process.wait()
    deadline = time.monotonic() + 15               # and no kernel or sandbox outlives it
    while _processes_mentioning(out_resumed) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_mentioning(out_resumed)
    done_before = len(list(journal.glob("*/*.json")))
    assert 2 <= done_before < len(students)
    result = _grade(subset, out_resumed, tiny / "course", "--workers", "1")
    assert f"({len(students) - done_before} now, {done_before} unchanged" in result.stdout
    expected = {k: v for k, v in _scores(out).items() if k[0] in students}
    assert _scores(out_resumed) == expected
    rows = list(csv.reader(open(out_resumed / "scores.csv")))
    assert len(rows) == 1 + 4 * len(students)                    # no row lost or repeated


@pytest.mark.slow
def test_four_workers_share_the_gradebook_safely(tiny):
    """With more workers than cores and eight students, does every submission get graded
    without a database error?"""
    crowd = tiny / "crowd"
    good = (tiny / "submitted" / "good" / LESSON / f"{LESSON}.ipynb").read_bytes()
    for n in range(8):
        (crowd / f"s{n:02d}" / LESSON).mkdir(parents=True)
        (crowd / f"s{n:02d}" / LESSON / f"{LESSON}.ipynb").write_bytes(good)
    out = tiny / "out-crowd"
    result = _grade(crowd, out, tiny / "course", "--workers", "4")
    scores = _scores(out)
    assert len(scores) == 8 * 4
    assert all(status in ("passed", "manual") for _, status in scores.values()), result.stderr


@pytest.mark.slow
def test_a_student_checks_a_notebook_without_changing_it(tiny):
    """Does `check` print the per-cell table from the visible tests and leave the file as it
    was?"""
    path = tiny / "submitted" / "wrong" / LESSON / f"{LESSON}.ipynb"
    before = path.read_bytes()
    result = subprocess.run([sys.executable, "-m", "autograder", "check", str(path),
                             "--course", str(tiny / "course")], cwd=REPO, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    # the visible test of double passes (only the hidden one catches x + 3)
    assert re.search(r"double_test\s+2\s+2\s+ok", result.stdout), result.stdout
    assert "Autograded: 6 / 6" in result.stdout
    assert path.read_bytes() == before


@pytest.mark.slow
def test_with_resource_limits_only_the_scores_are_the_same(tiny, graded):
    """Without bubblewrap (--sandbox rlimits, as on a machine without it), do the SIGINT-proof
    hang, os._exit and the memory bomb get the same scores, and does the report say that the
    kernels were not isolated?"""
    out, _, _ = graded
    students = ["deaf", "exits", "bomb"]
    subset = tiny / "limits-only"
    for student in students:
        (subset / student / LESSON).mkdir(parents=True)
        (subset / student / LESSON / f"{LESSON}.ipynb").write_bytes(
            (tiny / "submitted" / student / LESSON / f"{LESSON}.ipynb").read_bytes())
    out_limits = tiny / "out-limits"
    _grade(subset, out_limits, tiny / "course", "--workers", "2", "--sandbox", "rlimits")
    expected = {k: v for k, v in _scores(out).items() if k[0] in students}
    assert _scores(out_limits) == expected
    assert "no filesystem or network isolation" in (out_limits / "report.html").read_text()
