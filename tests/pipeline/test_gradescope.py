"""The Gradescope autograder: the zip Gradescope expects, and run_autograder's results.json on
sample-class submissions laid out as Gradescope lays them out."""
import csv
import json
import os
import stat
import subprocess
import sys
import zipfile

import pytest

from autograder.gradescope import build_zip, results
from layout import REPO

SAMPLE = REPO / "sample_class" / "submitted"
LESSON = "01_single_neuron"

#: Gradescope's documented fields of results.json (its "Autograder specifications"), with types.
TOP_FIELDS = {"score": (int, float), "execution_time": (int, float), "output": str,
              "output_format": str, "test_output_format": str, "test_name_format": str,
              "visibility": str, "stdout_visibility": str, "extra_data": dict, "tests": list,
              "leaderboard": list}
TEST_FIELDS = {"score": (int, float), "max_score": (int, float), "status": str, "name": str,
               "name_format": str, "number": str, "output": str, "output_format": str,
               "tags": list, "visibility": str, "extra_data": dict}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def validate(result):
    """Raise AssertionError unless ``result`` uses only Gradescope's documented fields."""
    assert set(result) <= set(TOP_FIELDS), set(result) - set(TOP_FIELDS)
    for key, value in result.items():
        assert isinstance(value, TOP_FIELDS[key]), key
    assert "score" in result or all("score" in t for t in result.get("tests", []))
    for test in result.get("tests", []):
        assert set(test) <= set(TEST_FIELDS), set(test) - set(TEST_FIELDS)
        for key, value in test.items():
            assert isinstance(value, TEST_FIELDS[key]), (key, value)
        assert test.get("status", "passed") in ("passed", "failed")
        assert test.get("visibility", "visible") in VISIBILITY
    assert result.get("stdout_visibility", "hidden") in VISIBILITY


def test_does_the_zip_hold_what_gradescope_runs_and_no_solution(tmp_path):
    """Are setup.sh and run_autograder at the root, executable, with the package, the lesson's
    source and release, and no solutions/?"""
    path = build_zip(LESSON, tmp_path)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) for i in archive.infolist()}
    assert {"setup.sh", "run_autograder", "source/LESSON", "source/pyproject.toml",
            f"source/course/source/{LESSON}/{LESSON}.py",
            f"source/notebooks/{LESSON}/{LESSON}.ipynb",
            "source/autograder/gradescope.py"} <= names
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert not any(n.startswith(("source/solutions", "solutions")) for n in names)
    assert not any("02_hidden_layer" in n for n in names if n.startswith("source/course"))


def test_does_an_unknown_lesson_say_which_exist(tmp_path):
    with pytest.raises(ValueError, match="the lessons are 01_single_neuron"):
        build_zip("99_nope", tmp_path)


def test_are_written_answers_ungraded_tests_and_failures_carry_the_message():
    """Does a record become one test per grade cell, written answers worth 0 with a note?"""
    from autograder.pipeline.record import ScoreRow, SubmissionRecord

    record = SubmissionRecord("s", "a", outcome="graded", rows=[
        ScoreRow("a_values", 0.0, 2.0, "failed", "auto", message="first line"),
        ScoreRow("a_shape", 1.0, 1.0, "passed", "auto"),
        ScoreRow("why", 0.0, 3.0, "manual", "manual")])
    result = results(record, {"a_values": "Your z has the opposite sign."},
                     {"a_values": "Are the values right?"})
    validate(result)
    assert result["score"] == 1.0
    assert result["tests"][0]["output"] == "Your z has the opposite sign."
    assert result["tests"][0]["name"] == "a_values: Are the values right?"
    assert result["tests"][2]["max_score"] == 0.0 and "by hand" in result["tests"][2]["output"]


def _expected(student):
    with open(REPO / "sample_class" / "expected_scores.csv", newline="") as handle:
        return {r["grade_id"]: float(r["score"]) for r in csv.DictReader(handle)
                if r["student_id"] == student and r["assignment"] == LESSON}


@pytest.mark.slow
@pytest.mark.parametrize("student", ["cara_partial"])
def test_does_run_autograder_score_a_sample_submission_as_expected(tmp_path, student):
    """Laid out as Gradescope lays it out (/autograder/source from the zip, the student's upload
    in /autograder/submission), does run_autograder write a valid results.json whose tests score
    exactly what the sample class expects?"""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(build_zip(LESSON, tmp_path)) as archive:
        archive.extractall(root)
    (root / "submission").mkdir()
    (root / "submission" / f"{LESSON}.ipynb").write_bytes(
        (SAMPLE / student / LESSON / f"{LESSON}.ipynb").read_bytes())
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    done = subprocess.run(["bash", str(root / "run_autograder")], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((root / "results" / "results.json").read_text())
    validate(result)
    expected = _expected(student)
    got = {t["name"].split(":")[0].replace(" (written answer)", ""): t["score"]
           for t in result["tests"]}
    assert set(got) == set(expected)
    assert got == expected          # written answers: 0 here, graded by hand in Gradescope
    assert result["score"] == sum(t["score"] for t in result["tests"] if "status" in t)
    assert any(t.get("status") == "failed" for t in result["tests"])
    for test in result["tests"]:
        if test.get("status") == "failed":
            assert test["output"] and "Traceback" not in test["output"]
