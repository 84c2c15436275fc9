"""The gates of the one-source build: regeneration, no leaks, and nbgrader's validation triad.

The triad (as nbgrader's documentation recommends): the instructor's version passes every test
cell, the student version passes none, the solutions pass every one.
"""
import re
import shutil

import nbformat
import pytest

from autograder.build import build, find_pages, find_sources, text_to_notebook
from autograder.notebook import nbgrader_meta

from headless_run import execute_notebook, grade_cells
from layout import GRADED_LESSONS as LESSONS, REPO


def _read(kind, lesson):
    return nbformat.read(REPO / kind / lesson / f"{lesson}.ipynb", as_version=4)


def _hidden_blocks(lesson):
    """The lines inside every BEGIN/END HIDDEN TESTS block of a lesson's source."""
    text = (REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
    blocks = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_lessons_are_the_sources_that_are_not_pages():
    """Is every source in course/source either a graded lesson or a page (the landing notebook
    00_start_here is a page), so the lesson list is found, never typed in (the contract tests,
    tests/lessons/test_lesson_contract.py, check each lesson has every piece)?"""
    course = REPO / "course"
    assert LESSONS and "00_start_here" in find_pages(course) and "00_start_here" not in LESSONS
    assert sorted(LESSONS + find_pages(course)) == find_sources(course)


@pytest.mark.slow
def test_regenerating_changes_no_generated_file(tmp_path):
    """Does `make build` on the committed sources reproduce notebooks/ and solutions/ byte for byte?"""
    course = tmp_path / "course"
    shutil.copytree(REPO / "course" / "source", course / "source",
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    shutil.copy(REPO / "course" / "nbgrader_config.py", course)
    build(None, course)
    for kind in ("notebooks", "solutions"):
        built = sorted(p.relative_to(tmp_path / kind) for p in (tmp_path / kind).rglob("*")
                       if p.is_file())
        committed = sorted(p.relative_to(REPO / kind) for p in (REPO / kind).rglob("*")
                           if p.is_file() and ".ipynb_checkpoints" not in p.parts)
        assert built == committed, f"{kind}/ has other files than a fresh build: run make build"
        for rel in built:
            assert (tmp_path / kind / rel).read_bytes() == (REPO / kind / rel).read_bytes(), \
                f"{kind}/{rel} differs from a fresh build: run make build and commit"


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_version_has_no_solution_code(lesson):
    """Is every answer cell of the student version a stub, with no solution delimiters left?"""
    nb = _read("notebooks", lesson)
    text = nbformat.writes(nb)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert "MARK SCHEME" not in text
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            assert "raise NotImplementedError()" in cell.source or \
                cell.source.strip() == "YOUR ANSWER HERE", meta["grade_id"]


@pytest.mark.parametrize("kind", ["notebooks", "solutions"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_no_hidden_test_reaches_students_or_solutions(kind, lesson):
    """Do neither the student versions nor the solutions contain any hidden-test line?"""
    text = nbformat.writes(_read(kind, lesson))
    assert "HIDDEN TESTS" not in text
    for line in _hidden_blocks(lesson):
        assert line not in text, f"hidden test line leaked into {kind}: {line}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_has_hidden_tests_and_written_answers(lesson):
    """Does each lesson have hidden tests, >= 2 autograded exercises and a written derivation?"""
    nb = text_to_notebook(REPO / "course" / "source" / lesson / f"{lesson}.py")
    assert _hidden_blocks(lesson)
    solutions = [nbgrader_meta(c) for c in nb.cells if nbgrader_meta(c).get("solution")]
    code = [m for m, c in zip(solutions, [c for c in nb.cells if nbgrader_meta(c).get("solution")])
            if c.cell_type == "code"]
    written = [c for c in nb.cells if c.cell_type == "markdown" and nbgrader_meta(c).get("grade")]
    assert len(code) >= 2 and written
    ids = [nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c).get("grade_id")]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"


@pytest.mark.parametrize("lesson", LESSONS)
def test_sources_have_no_outputs(lesson):
    """Are the built source notebooks free of outputs and execution counts?"""
    nb = text_to_notebook(REPO / "course" / "source" / lesson / f"{lesson}.py")
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


# --- the validation triad: executes notebooks ---------------------------------------------

_executed = {}


def _executed_version(kind, lesson, tmp_path_factory):
    if (kind, lesson) not in _executed:
        if kind == "instructor":
            nb = text_to_notebook(REPO / "course" / "source" / lesson / f"{lesson}.py")
        else:
            nb = _read(kind, lesson)
        workdir = tmp_path_factory.mktemp(f"{kind}-{lesson}")
        _executed[kind, lesson] = execute_notebook(nb, workdir, timeout=60)
    return _executed[kind, lesson]


def _errors(nb):
    return [(cell.metadata.get("nbgrader", {}).get("grade_id", cell.id), o)
            for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
            if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_instructor_version_passes_every_test(lesson, tmp_path_factory):
    """Does the source, hidden tests included, pass every grade cell?"""
    results = grade_cells(_executed_version("instructor", lesson, tmp_path_factory))
    failed = [(r.grade_id, r.message) for r in results if r.status == "failed"]
    assert not failed


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_solutions_run_clean_and_pass_every_visible_test(lesson, tmp_path_factory):
    """Does each solution notebook run top to bottom with no error and nothing on stderr?"""
    nb = _executed_version("solutions", lesson, tmp_path_factory)
    assert not _errors(nb)
    assert all(r.status != "failed" for r in grade_cells(nb))


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS)
def test_student_version_passes_no_test(lesson, tmp_path_factory):
    """Does every autograded cell of the untouched student version fail, and only with
    NotImplementedError from unanswered exercises?"""
    nb = _executed_version("notebooks", lesson, tmp_path_factory)
    results = [r for r in grade_cells(nb) if r.status != "manual"]
    assert results and all(r.status == "failed" for r in results)
    for grade_id, output in _errors(nb):
        assert output.output_type == "error", f"{grade_id} wrote to stderr"
        assert output.ename in ("NotImplementedError", "CheckFailed"), (grade_id, output.ename)
        if output.ename == "CheckFailed":
            assert "not written yet" in output.evalue, (grade_id, output.evalue)
