"""The bundled sample class: up to date with the lessons, and covering what the issue lists.

The generator derives every submission and the expected scores from the built lessons; these
tests regenerate it in memory (a few seconds, no kernel) and compare with the committed files.
"""
import csv
import importlib

import pytest

from layout import GRADED_LESSONS as LESSONS, REPO


def _generator():
    return importlib.import_module("sample_class.generate")  # tests/conftest.py: REPO on the path


@pytest.fixture(scope="module")
def generated():
    generator = _generator()
    return generator, generator.build_class(REPO)


def _expected_rows():
    with open(REPO / "sample_class" / "expected_scores.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_committed_sample_class_is_what_the_generator_writes(generated):
    """Is every committed file byte-identical to a fresh generation (so the generator is
    deterministic and the class follows the lessons; after changing a lesson, run
    `python -m sample_class.generate`)?"""
    generator, files = generated
    assert generator.differences(files, REPO / "sample_class") == []


def test_the_class_has_fifteen_students_and_every_lesson():
    """Are there at least 15 students, and submissions for every graded lesson?"""
    rows = _expected_rows()
    assert len({r["student_id"] for r in rows}) >= 15
    submitted = {r["assignment"] for r in rows if r["status"] != "not submitted"}
    assert submitted == set(LESSONS)


@pytest.mark.parametrize("student, status", [
    ("ada_complete", "passed"), ("ben_loops", "passed"), ("cara_partial", "failed"),
    ("dan_blank", "unanswered"), ("eve_late", "passed;late"), ("fay_malformed", "malformed"),
    ("gus_stripped", "passed;flagged"), ("hal_edited_tests", "failed;tampered"),
    ("hal_edited_tests", "passed;missing"), ("ivy_infinite_loop", "timed out"),
    ("jon_ignores_interrupt", "timed out"), ("kim_memory_bomb", "memory limit"),
    ("leo_os_exit", "kernel died"), ("max_import_error", "failed"),
])
def test_each_kind_of_submission_is_in_the_class(student, status):
    """Does the class hold each kind of submission the issue lists, with the status the grader
    must give it?"""
    assert any(r["student_id"] == student and r["status"] == status for r in _expected_rows())


def test_complete_students_score_full_marks_and_the_blank_one_zero():
    """Do the complete and the loop-written submissions get every autograded point, and the
    untouched notebook none?"""
    rows = _expected_rows()
    for student in ("ada_complete", "ben_loops"):
        code = [r for r in rows if r["student_id"] == student and r["status"] in
                ("passed", "failed")]
        assert code and all(r["score"] == r["max_score"] for r in code), student
    blank = [r for r in rows if r["student_id"] == "dan_blank" and r["status"] != "not submitted"]
    assert blank and all(float(r["score"]) == 0 for r in blank)


def test_each_common_misconception_has_a_student(generated):
    """Is there a student for every misconception that the registry knows in many exercises?"""
    generator, _ = generated
    materials = {lesson: generator.load_lesson(lesson, REPO) for lesson in LESSONS}
    students = {r["student_id"] for r in _expected_rows()}
    for key, _ in generator.common_mistakes(materials):
        assert any(student.endswith(f"_{key}") for student in students), key
