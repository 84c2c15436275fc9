"""The whole sample class through `python -m autograder grade`, as `make grade` runs it (slow:
a couple of minutes on two cores).

Every student's score and status in every grade cell must be the one written down in
sample_class/expected_scores.csv; no feedback page may quote a hidden test; the submissions must
be byte-identical afterwards; and a second run must grade nothing and change nothing.
"""
import csv
import hashlib
import html
import re
import subprocess
import sys

import pytest

from layout import GRADED_LESSONS as LESSONS, REPO, SAMPLE_CLASS as SAMPLE


def _digests(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(out):
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(SAMPLE / "submitted"), "--out",
         str(out), "--workers", "2", "--due-dates", str(SAMPLE / "due_dates.csv")],
        cwd=REPO, capture_output=True, text=True)


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def _hidden_lines():
    lines = []
    for lesson in LESSONS:
        text = (REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text,
                                re.S):
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) >= 8]
    return lines


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    before = _digests(SAMPLE / "submitted")
    out = tmp_path_factory.mktemp("sample-class") / "grading-output"
    result = _run(out)
    return out, before, result


@pytest.mark.slow
def test_the_run_succeeds_and_writes_the_four_outputs(run):
    """Does grading the sample class exit 0 and write scores.csv, grades.csv, a feedback page
    per submission and report.html with its plots?"""
    out, _, result = run
    assert result.returncode == 0, result.stdout + result.stderr
    submissions = list((SAMPLE / "submitted").glob("*/*/*.ipynb"))
    pages = list((out / "feedback").glob("*/*.html"))
    assert len(pages) == len(submissions)
    report = (out / "report.html").read_text()
    images = re.findall(r"src='(plots/[^']+\.png)'", report)
    assert len(images) == 3 and all((out / image).is_file() for image in images)
    for section in ("Score distribution", "Pass rate per test cell",
                    "Most frequent named misconceptions", "need a human look"):
        assert section in report


@pytest.mark.slow
def test_every_student_and_grade_cell_gets_the_expected_score(run):
    """Is scores.csv, row for row, the expected score and status of every student and cell?"""
    out, _, _ = run
    expected = _rows(SAMPLE / "expected_scores.csv")
    got = _rows(out / "scores.csv")
    assert got[0] == expected[0]
    mismatches = [(e, g) for e, g in zip(expected[1:], got[1:]) if e != g]
    assert not mismatches and len(got) == len(expected), mismatches[:10]


@pytest.mark.slow
def test_grades_csv_totals_agree_with_scores_csv(run):
    """Does each student's per-lesson score in grades.csv equal the sum of their cells?"""
    out, _, _ = run
    sums = {}
    for row in _rows(out / "scores.csv")[1:]:
        sums[row[0], row[1]] = sums.get((row[0], row[1]), 0.0) + float(row[3])
    with open(out / "grades.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            for lesson in LESSONS:
                assert float(row[lesson]) == pytest.approx(sums[row["student_id"], lesson])
            assert float(row["score"]) == pytest.approx(
                sum(sums[row["student_id"], lesson] for lesson in LESSONS))


@pytest.mark.slow
def test_no_feedback_page_quotes_a_hidden_test(run):
    """Is no line of any hidden test, raw or HTML-escaped, in any feedback page?"""
    out, _, _ = run
    hidden = _hidden_lines()
    assert hidden
    for page in (out / "feedback").glob("*/*.html"):
        text = page.read_text()
        assert "HIDDEN TESTS" not in text, page
        leaked = [line for line in hidden if line in text or html.escape(line) in text]
        assert not leaked, (page, leaked[:3])


@pytest.mark.slow
def test_the_submissions_are_byte_identical_afterwards(run):
    """Are the sample class's files exactly as before grading?"""
    _, before, _ = run
    assert _digests(SAMPLE / "submitted") == before


@pytest.mark.slow
def test_grading_again_grades_nothing_and_changes_nothing(run):
    """Does a second run reuse every record and write the same scores.csv and grades.csv?"""
    out, _, _ = run
    scores, grades = (out / "scores.csv").read_bytes(), (out / "grades.csv").read_bytes()
    result = _run(out)
    assert result.returncode == 0, result.stderr
    assert "(0 now," in result.stdout
    assert (out / "scores.csv").read_bytes() == scores
    assert (out / "grades.csv").read_bytes() == grades
