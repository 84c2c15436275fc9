"""Do attacks on the grading kernel gain points through the whole pipeline (issue 5)?

``tests/attacks/test_integrity_attacks.py`` runs the full attack corpus through the verifier alone,
with every in-kernel score taken at full marks. This file sends a part of it through the real
command, ``python -m autograder grade``: nbgrader autogrades each notebook in its sandboxed kernel
(where the attacks on the kernel do work: these submissions get full marks there), the
out-of-kernel verification confirms or lowers every grade cell, and the outputs must show it:

* no submission keeps more autograded points than its honest work deserves, in ``scores.csv``
  and in ``grades.csv`` (nbgrader's gradebook holds the lowered scores);
* honest submissions, including one written differently, keep full marks;
* the run completes (exit 0), every attack is on the report's "needs a human look" list, the
  originals are byte-identical, and no feedback page quotes the verifier's fresh inputs.

The entries are the lesson-1 attacks that beat nbgrader's own grading (threats 2, 3 and 7) plus
one each of threats 4, 5 and 6, to keep the run to a few minutes, and the five of issue 12: a
70 MiB padded notebook (the size limit is no escape from the confirmation), answers hard-coded
on the hidden seeds, encoded leaks of the hidden tests, scripts for the feedback page, and a
search of earlier runs' output folders (in the repository and /srv) from the kernel.
"""
import base64
import csv
import hashlib
import html
import os
import re
import resource
import shutil
import uuid
import zlib
import subprocess
import sys
from pathlib import Path

import time

import pytest

from attacks.corpus import ENTRIES, build
from autograder.integrity.verify import _grade_cells
from layout import REPO

pytestmark = pytest.mark.slow

LESSON = "01_single_neuron"
NAMES = ["honest_solution_01", "honest_loops_01", "patch_numpy_testing",
         "ipython_input_transformer", "excepthook_and_settrace", "nbgrader_detection",
         "sys_exit_early", "import_reference", "unwritable_output_after_grades",
         "write_gradebook_and_others",
         # issue 12
         "padded_input_transformer", "hard_coded_hidden_outputs", "leak_hidden_tests_encoded",
         "feedback_scripts", "read_earlier_runs"]
#: Attacks that gain nothing and harm no one once the pipeline holds: printing the hidden tests
#: (they hold no secret) and scripts for the feedback page (sanitised away). Their code is not
#: suspicious to the verifier, so they are not on the "needs a human look" list.
HARMLESS_BY_DESIGN = {"leak_hidden_tests_encoded", "feedback_scripts"}
#: The verifier's secret for this run: no form of it may reach a kernel or a page.
VERIFY_SECRET = "verifier-secret-" + os.urandom(6).hex()
CHOSEN = [entry for entry in ENTRIES if entry.name in NAMES]


def _student(entry):
    return entry.name.replace("_", "-")


def _digests(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work = tmp_path_factory.mktemp("pipeline-attacks")
    submissions, decoy = work / "submissions", work / "decoy"
    submissions.mkdir()
    decoy.mkdir()
    for entry in CHOSEN:
        path = build(entry, work, decoy)
        shutil.move(path, submissions / f"{_student(entry)}_{entry.lesson}.ipynb")
    _write_peeking_submission(submissions / f"peek_{LESSON}.ipynb")
    before = _digests(submissions)
    out = work / "out"
    earlier = _earlier_runs()
    started = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submissions),
                                 "--out", str(out), "--workers", "2"],
                                cwd=REPO, capture_output=True, text=True,
                                env={**os.environ, "AUTOGRADER_VERIFY_SECRET": VERIFY_SECRET})
    finally:
        for folder in earlier:
            shutil.rmtree(folder, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    largest = max(p.stat().st_size for p in submissions.iterdir())
    print(f"\npipeline attacks: {len(CHOSEN) + 1} notebooks in {time.monotonic() - started:.0f} s;"
          f" largest input {largest / 2 ** 20:.0f} MiB; peak memory of one process {peak:.0f} MiB")
    with open(out / "scores.csv", newline="") as handle:
        scores = list(csv.DictReader(handle))
    with open(out / "grades.csv", newline="") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle)}
    return {"result": result, "out": out, "scores": scores, "grades": grades,
            "before": before, "submissions": submissions, "earlier": earlier, "peak": peak}


def _earlier_runs():
    """Output folders of earlier runs where instructors leave them: ``grading-output/`` in the
    repository (``make grade``) and another section's run in /srv, each with scores, a
    gradebook and a feedback page (world-readable, as a plain copy leaves them)."""
    token = uuid.uuid4().hex[:8]
    folders = [REPO / f"grading-output-{token}", Path(f"/srv/other-section-{token}")]
    for folder in folders:
        for name in ("scores.csv", "nbgrader/gradebook.db", "feedback/alice/lesson.html"):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text("alice,16\n")
            (folder / name).chmod(0o644)
    return folders


SECRETS = ["course/source/01_single_neuron/01_single_neuron.py",
           "solutions/01_single_neuron/01_single_neuron.ipynb", ".git/HEAD",
           "sample_class/expected_scores.csv",
           # the grader's package is mounted (the grade cells import it), but a lesson-1
           # kernel sees no other lesson's reference or exercise module (a red-team finding:
           # a cell printed them all into its feedback page)
           "autograder/reference/mlp.py", "autograder/exercises/lesson05.py"]


def _write_peeking_submission(path):
    """The solution, plus a cell that tries to read the hidden tests, the solutions and the
    repository's history from the grading kernel, and prints what it could read."""
    import nbformat

    nb = nbformat.read(REPO / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    cell = nbformat.v4.new_code_cell(
        "import pathlib\n"
        f"for name in {SECRETS!r}:\n"
        "    try:\n"
        f"        pathlib.Path({str(REPO)!r}, name).read_bytes()\n"
        "        print('READABLE', name)\n"
        "    except OSError:\n"
        "        print('HIDDEN', name)\n")
    cell.id = "peek"
    nb.cells.insert(1, cell)
    nbformat.write(nb, path)


def _cells():
    """``{grade_id: (function, part, points)}`` of the lesson's autograded grade cells."""
    cells, _ = _grade_cells(LESSON, REPO / "course")
    return {grade_id: (check.function, check.part, points)
            for grade_id, points, kind, checks in cells if kind == "code" for check in checks}


def test_do_all_chosen_entries_exist():
    assert sorted(entry.name for entry in CHOSEN) == sorted(NAMES)
    assert all(entry.lesson == LESSON for entry in CHOSEN)


def test_does_the_run_complete(graded):
    assert graded["result"].returncode == 0, graded["result"].stderr[-3000:]


@pytest.mark.parametrize("entry", CHOSEN, ids=lambda e: e.name)
def test_does_no_submission_keep_points_its_honest_work_does_not_earn(graded, entry):
    cells = _cells()
    unearned = []
    for row in graded["scores"]:
        if row["student_id"] != _student(entry) or row["grade_id"] not in cells:
            continue
        function, part, _ = cells[row["grade_id"]]
        deserved = function in (entry.shape_functions() if part == "shape"
                                else entry.deserved_functions())
        if float(row["score"]) > 0 and not deserved:
            unearned.append(f"{row['grade_id']}: {row['score']} ({row['status']})")
    assert unearned == []


@pytest.mark.parametrize("entry", [e for e in CHOSEN if e.threat == 0], ids=lambda e: e.name)
def test_does_honest_work_keep_full_marks(graded, entry):
    cells = _cells()
    rows = [r for r in graded["scores"] if r["student_id"] == _student(entry)
            and r["grade_id"] in cells]
    assert rows and all(r["status"] == "passed" for r in rows), rows


def test_does_the_gradebook_hold_the_lowered_scores(graded):
    """grades.csv comes from nbgrader's gradebook: its totals must match scores.csv (written
    answers are ungraded, so 0 on both sides)."""
    for entry in CHOSEN:
        total = sum(float(r["score"]) for r in graded["scores"]
                    if r["student_id"] == _student(entry))
        assert float(graded["grades"][_student(entry)][LESSON]) == pytest.approx(total)


def test_did_the_kernel_attacks_need_the_verification(graded):
    """Without it these attacks score full marks in the kernel: at least one cell of each was
    lowered by the verification, not failed in the kernel."""
    # patch_numpy_testing and nbgrader_detection now fail in the kernel itself (the hardened
    # checks), and padded_input_transformer is refused as too large before a kernel runs
    for name in ("ipython_input_transformer", "hard_coded_hidden_outputs"):
        statuses = {r["status"].split(";")[0] for r in graded["scores"]
                    if r["student_id"] == name.replace("_", "-")}
        assert "not confirmed" in statuses, (name, statuses)


def test_can_the_grading_kernel_not_read_the_hidden_tests_or_the_solutions(graded):
    """The host is mounted read-only in the kernel's sandbox, but the course's sources, the
    solutions, the repository's history and the sample class are not in it."""
    import nbformat

    if "bubblewrap" not in (graded["out"] / "report.html").read_text():
        pytest.fail("the kernels did not run in bubblewrap: install Debian's bubblewrap")
    nb = nbformat.read(graded["out"] / "nbgrader" / "autograded" / "peek" / LESSON /
                       f"{LESSON}.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.get("id") == "peek"
                      for o in c.outputs)
    assert printed.split() == [word for name in SECRETS for word in ("HIDDEN", name)]


def test_is_every_attack_on_the_human_look_list(graded):
    report = html.unescape((graded["out"] / "report.html").read_text())
    section = report[report.index("Submissions that need a human look"):]
    section = section[:section.index("Status words")]
    for entry in CHOSEN:
        if entry.threat and entry.name not in HARMLESS_BY_DESIGN:
            assert _student(entry) in section, entry.name


def test_are_the_submissions_byte_identical(graded):
    assert _digests(graded["submissions"]) == graded["before"]


def test_does_no_feedback_page_quote_the_verifiers_findings(graded):
    """The verifier's reasons may quote its fresh inputs: they stay in the report. The input
    transformer made every test cell pass in the kernel, so any difference its page quotes
    could only come from the verifier."""
    for page in (graded["out"] / "feedback").rglob("*.html"):
        assert "not confirmed out of kernel" not in html.unescape(page.read_text())
    lowered = html.unescape((graded["out"] / "feedback" / "ipython-input-transformer"
                             / f"{LESSON}.html").read_text())
    assert "could not be confirmed when your functions were run again" in lowered
    assert "largest difference" not in lowered


# ---- issue 12 ------------------------------------------------------------------------------------

def _rows_of(graded, name):
    return [r for r in graded["scores"] if r["student_id"] == name.replace("_", "-")]


def _page_of(graded, name):
    return (graded["out"] / "feedback" / name.replace("_", "-") / f"{LESSON}.html").read_text()


def test_does_a_padded_blank_notebook_with_an_input_transformer_score_0(graded):
    """Hole 1: 70 MiB of padding output (over the verifier's size limit) no longer skips the
    confirmation: the verifier reads the code without the outputs, and the kernel's full marks
    are not kept."""
    rows = [r for r in _rows_of(graded, "padded_input_transformer") if r["grade_id"] in _cells()]
    assert rows and sum(float(r["score"]) for r in rows) == 0.0, rows
    # over the 64 MiB cap on a submitted notebook it is now refused before any kernel runs
    # ("too large"); under the cap, the verifier reads its code without the outputs
    assert all(r["status"].startswith(("not confirmed", "too large")) for r in rows), rows
    assert float(graded["grades"]["padded-input-transformer"][LESSON]) == 0.0
    assert (graded["submissions"] / f"padded-input-transformer_{LESSON}.ipynb").stat().st_size \
        > 64 * 2 ** 20


def test_are_answers_hard_coded_on_the_hidden_seeds_worth_nothing(graded):
    """Hole 4: what printing the hidden tests teaches (their seeds) gains no point: the values
    cells keep points only when confirmed on the verifier's secret inputs."""
    rows = {r["grade_id"]: r for r in _rows_of(graded, "hard_coded_hidden_outputs")}
    values = [g for g, (_, part, _) in _cells().items() if part == "values"]
    assert all(float(rows[g]["score"]) == 0.0 for g in values), rows
    assert any(rows[g]["status"].startswith("not confirmed") for g in values)


def _decoded(page):
    """Every base64 (and zlib inside it), split and reversed text the leak cell printed."""
    text = html.unescape(page)
    found = [text]
    for blob in re.findall(r"(?:B64|ZLIB|FILE) ([A-Za-z0-9+/=]{16,})", text):
        raw = base64.b64decode(blob)
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            pass
        found.append(raw.decode("utf-8", "replace"))
    for line in re.findall(r"SPLIT (.*)", text):
        found.append(line[::2])
    found += [line[::-1] for line in re.findall(r"REVERSED (.*)", text)]
    return "\n".join(found)


def test_does_an_encoded_leak_of_the_hidden_tests_reveal_no_secret(graded):
    """Hole 4: the hidden tests may be printed in any form (the leak cell did print them:
    ``hidden=True`` is in the decoded text), but they hold only seeded calls, and the
    verifier's secret is in no form in the page; the leak keeps its honest marks."""
    page = _page_of(graded, "leak_hidden_tests_encoded")
    decoded = _decoded(page)
    assert "hidden=True" in decoded   # the leak worked: this is what it can reveal
    for leaked in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", decoded,
                             flags=re.S):
        assert "check_exercise(" in leaked and "assert" not in leaked, leaked
    assert VERIFY_SECRET not in decoded
    kept = [float(r["score"]) for r in _rows_of(graded, "leak_hidden_tests_encoded")
            if r["grade_id"] in _cells()]
    assert sum(kept) == sum(points for _, _, points in _cells().values())


def test_does_no_script_of_a_student_reach_the_feedback_page(graded):
    """Hole 6, through the whole pipeline: the page of a submission full of scripts has no
    script, event attribute, javascript: URL or frame that the honest page does not have."""
    from attacks.test_feedback_sanitise import _Page, _problems

    honest, attacked = _Page(), _Page()
    honest.feed(_page_of(graded, "honest_solution_01"))
    page = _page_of(graded, "feedback_scripts")
    attacked.feed(page)
    assert _problems(attacked, honest) == {"scripts": [], "events": [], "urls": [],
                                           "frames": []}
    assert "<b>mine</b>" in page and "alert('markdown-script')" in html.unescape(page)


def _formgrader_view(path):
    """A notebook as Formgrader shows it: nbconvert's plain HTML exporter, sanitiser off."""
    from nbconvert.exporters import HTMLExporter

    from attacks.test_feedback_sanitise import _Page

    page, _ = HTMLExporter().from_filename(str(path))
    parsed = _Page()
    parsed.feed(page)
    return parsed


def test_does_no_script_of_a_student_reach_the_instructors_formgrader(graded):
    """Hole 6 for the instructor (a red-team finding): the autograded notebook that Formgrader
    renders for manual grading, shown as nbconvert's stock exporter shows it, has no script,
    event attribute, javascript: URL or frame that the honest one does not have; the submitted
    notebook itself, shown the same way, has them (the check can fail). The Formgrader
    configuration turns nbconvert's own sanitiser on too."""
    from attacks.test_feedback_sanitise import _problems

    def autograded(name):
        return graded["out"] / "nbgrader" / "autograded" / name.replace("_", "-") / LESSON \
            / f"{LESSON}.ipynb"

    clean = {"scripts": [], "events": [], "urls": [], "frames": []}
    honest = _formgrader_view(autograded("honest_solution_01"))
    assert _problems(_formgrader_view(autograded("feedback_scripts")), honest) == clean
    submitted = graded["submissions"] / f"feedback-scripts_{LESSON}.ipynb"
    assert _problems(_formgrader_view(submitted), honest) != clean
    assert "c.HTMLExporter.sanitize_html = True" in \
        (graded["out"] / "nbgrader" / "nbgrader_config.py").read_text()


def test_can_a_kernel_not_read_earlier_runs_output_folders(graded):
    """Hole 2: an earlier run's outputs in the repository and in /srv are not in the kernel's
    sandbox (an allow-list: nothing names them), so nothing of them is printed."""
    nb = nbformat_read(graded["out"] / "nbgrader" / "autograded" / "read-earlier-runs" / LESSON
                       / f"{LESSON}.ipynb")
    printed = "".join(o.get("text", "") for c in nb.cells if c.get("id") == "added-0"
                      for o in c.get("outputs", []))
    assert "SEARCHED" in printed and "READ" not in printed.replace("SEARCHED", ""), printed
    for folder in graded["earlier"]:
        assert str(folder) not in printed


def test_is_the_peak_memory_of_the_run_under_twice_the_memory_limit(graded):
    """No process of the run (the 70 MiB notebook included) goes past 2 x the default kernel
    memory limit (2 GiB)."""
    assert graded["peak"] < 2 * 2048


def nbformat_read(path):
    import nbformat

    return nbformat.read(path, as_version=4)
