"""The command line: what --help promises, and errors that say what to do (fast, no grading)."""
import json
import subprocess
import sys

import pytest

from autograder.__main__ import EXIT_USAGE, build_parser, main
from autograder.pipeline.check import EXIT_POINTS_MISSING
from autograder.pipeline.record import ScoreRow
from layout import REPO



def test_grade_help_lists_the_accepted_layouts_and_outputs(capsys):
    """Does `grade --help` name the nbgrader and LMS layouts, the outputs, the options and every
    status word?"""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["grade", "--help"])
    text = capsys.readouterr().out
    for phrase in ["<student>/<lesson>/<lesson>.ipynb", "<student>_<lesson>.ipynb",
                   "<lesson>_<student>.ipynb", "<lesson>/<student>.ipynb", ".zip",
                   "scores.csv", "grades.csv", "feedback/<student>/<lesson>.html",
                   "report.html", "--workers", "--timeout", "--sandbox", "--due-dates",
                   "timed out", "kernel died", "tampered", "Exit status", "--no-verify",
                   "not confirmed", "outside the notebook's kernel"]:
        assert phrase in text, phrase


def test_check_help_says_the_file_is_not_changed(capsys):
    """Does `check --help` promise that the student's file is left as it is?"""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["check", "--help"])
    assert "not changed" in capsys.readouterr().out


def test_a_missing_submissions_folder_is_a_usage_error(tmp_path, capsys):
    """Does grading a folder that does not exist exit 2 and say what to give instead?"""
    code = main(["grade", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert code == EXIT_USAGE
    assert "does not exist" in capsys.readouterr().err


def test_a_folder_without_notebooks_is_a_usage_error(tmp_path, capsys):
    """Does a folder with no notebook for any lesson exit 2 and say so?"""
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "readme.ipynb").write_text("{}")
    code = main(["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out")])
    assert code == EXIT_USAGE
    assert "belongs to a lesson" in capsys.readouterr().err


@pytest.mark.parametrize("options, message", [
    (["--workers", "0"], "--workers"),
    (["--timeout", "0"], "--timeout"),
])
def test_bad_options_are_usage_errors(tmp_path, capsys, options, message):
    """Are a zero worker count or time limit refused before anything runs?"""
    code = main(["grade", str(tmp_path), "--out", str(tmp_path / "out"), *options])
    assert code == EXIT_USAGE and message in capsys.readouterr().err


def test_a_due_dates_file_with_wrong_columns_is_a_usage_error(tmp_path, capsys):
    """Is a due-dates CSV without assignment,duedate refused with the expected columns?"""
    (tmp_path / "due.csv").write_text("lesson,date\n01_single_neuron,tomorrow\n")
    code = main(["grade", str(tmp_path), "--out", str(tmp_path / "out"), "--due-dates",
                 str(tmp_path / "due.csv")])
    assert code == EXIT_USAGE and "assignment,duedate" in capsys.readouterr().err


def test_check_of_a_missing_file_says_where_to_look(tmp_path, capsys):
    """Does `check` on a path with no notebook exit 2 with an example path?"""
    assert main(["check", str(tmp_path / "nope.ipynb")]) == EXIT_USAGE
    assert "notebooks/01_single_neuron" in capsys.readouterr().err


def test_check_of_a_notebook_of_no_lesson_asks_for_the_lesson(tmp_path, capsys):
    """Does `check` on a notebook whose name says no lesson ask for --lesson?"""
    (tmp_path / "mine.ipynb").write_text("{}")
    assert main(["check", str(tmp_path / "mine.ipynb")]) == EXIT_USAGE
    assert "--lesson" in capsys.readouterr().err


@pytest.mark.slow
def test_check_grades_the_untouched_lesson_as_zero_and_leaves_it(tmp_path):
    """Does `python -m autograder check` on the released lesson print the per-cell table with
    0 points, exit 1 (points missing) and leave the file unchanged?"""
    lesson = "03_logistic_regression"
    path = REPO / "notebooks" / lesson / f"{lesson}.ipynb"
    before = path.read_bytes()
    result = subprocess.run([sys.executable, "-m", "autograder", "check", str(path)], cwd=REPO,
                            capture_output=True, text=True, env=_private_cache(tmp_path))
    assert result.returncode == EXIT_POINTS_MISSING, result.stderr
    assert "grade cell" in result.stdout and "Autograded: 0 /" in result.stdout
    assert "not written yet" in result.stdout and "What the failing tests say" in result.stdout
    assert "Checked in" in result.stdout
    assert path.read_bytes() == before


# --- check: exit status, --json, whole messages -----------------------------------------------

def _private_cache(tmp_path):
    """The environment of a `check` subprocess whose cache (times, prepared lessons) is
    tmp_path's: tests never touch the user's ~/.cache."""
    import os

    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


WHOLE = ("`a` returned by `neuron_forward` has the right shape but wrong values on the worked "
         "example.\n  expected a = [0.48, 0.17]\n  yours    a = [-0.07, -1.6]\nThis looks "
         "like a known mistake: a equals z: the activation is not applied; a = sigma(z).\n"
         "Where to look: Section 5, 'The single neuron'.")


def _graded_notebook():
    """An autograded notebook built in code: a passing and a failing grade cell, a written
    answer, a worked cell that raised and one that did not."""
    import nbformat.v4 as v4

    def meta(grade_id, grade=True, points=1):
        return {"nbgrader": {"grade": grade, "grade_id": grade_id, "locked": True,
                             "points": points, "schema_version": 3, "solution": False,
                             "task": False}}

    error = v4.new_output("error", ename="CheckFailed", evalue=WHOLE, traceback=["..."])
    return v4.new_notebook(cells=[
        v4.new_code_cell("x = load()", outputs=[v4.new_output(
            "error", ename="NameError", evalue="name 'load' is not defined", traceback=[])]),
        v4.new_code_cell("y = 2", outputs=[]),
        v4.new_code_cell("check_exercise(...)", metadata=meta("forward_shape")),
        v4.new_code_cell("check_exercise(...)", metadata=meta("forward_values", points=2),
                         outputs=[error]),
        v4.new_markdown_cell("YOUR ANSWER", metadata=meta("written", points=3)),
    ])


ROWS = [
    ScoreRow("forward_shape", 1.0, 1.0, "passed", "auto"),
    ScoreRow("forward_values", 0.0, 2.0, "failed", "auto", message="CheckFailed: first line only"),
    ScoreRow("written", 0.0, 3.0, "manual", "manual"),
]


def _result(**changes):
    from autograder.pipeline.check import CheckResult, read_graded

    cells, worked = read_graded(_graded_notebook(), ROWS)
    result = CheckResult(notebook="mine.ipynb", lesson="01_single_neuron", cells=cells,
                         worked_failures=worked, seconds=1.5, phases={"autograde": 1.2})
    for key, value in changes.items():
        setattr(result, key, value)
    return result


def test_does_check_read_the_whole_message_of_a_failing_cell_and_the_failing_worked_cells():
    """Are every line of a failing grade cell's message (named mistake, "Where to look") and
    each worked cell that raised read from the graded notebook, passing cells left empty?"""
    result = _result()
    by_id = {cell.grade_id: cell for cell in result.cells}
    assert by_id["forward_values"].message == "CheckFailed: " + WHOLE
    assert by_id["forward_shape"].message == "" and by_id["written"].message == ""
    assert [(w.cell, w.label) for w in result.worked_failures] == [(1, "x = load()")]
    assert "NameError: name 'load' is not defined" == result.worked_failures[0].message
    assert (result.points, result.max_points, result.manual_points) == (1.0, 3.0, 3.0)


def test_does_the_report_print_every_line_of_the_message_and_the_worked_cells():
    """Does the text a student reads hold the named mistake, "Where to look" and the failing
    worked cell, besides the table?"""
    from autograder.pipeline.check import format_report

    text = format_report(_result())
    assert "Autograded: 1 / 3  (+ 3 points of written answers" in text
    assert "This looks like a known mistake: a equals z" in text
    assert "Where to look: Section 5, 'The single neuron'." in text
    assert "cell 1 (`x = load()`)" in text and "NameError" in text
    assert "CheckFailed: `a` returned" not in text.splitlines()[2]  # the table: no class name


@pytest.mark.parametrize("changes, code", [
    ({}, 1),                                                 # 1 of 3 autograded points
    ({"cells": []}, 0),                                      # nothing to miss
    ({"outcome": "malformed", "cells": []}, 2),
    ({"outcome": "error", "cells": []}, 3),
])
def test_is_the_exit_status_the_documented_one(changes, code, capsys):
    """0 all autograded points, 1 some missing, 2 bad input, 3 the check itself failed: are
    these the codes, and does --help document each?"""
    from autograder.pipeline import check

    assert _result(**changes).exit_code == code
    assert (check.EXIT_ALL_POINTS, check.EXIT_POINTS_MISSING, check.EXIT_USAGE,
            check.EXIT_CHECK_FAILED) == (0, 1, 2, 3)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["check", "--help"])
    text = capsys.readouterr().out
    assert f"  {code}  " in text and "Exit status of check" in text


def test_does_full_marks_on_the_visible_tests_exit_0_and_a_missing_point_exit_1(monkeypatch,
                                                                                 tmp_path,
                                                                                 capsys):
    """Through main(): does a notebook at full marks exit 0 and one at 1/3 exit 1 (the old
    command exited 0 at 0/16)?"""
    import autograder.pipeline.check as check

    path = tmp_path / "01_single_neuron.ipynb"
    path.write_text("{}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(check, "run_check", lambda *a, **k: _result(cells=_result().cells[:1]))
    assert main(["check", str(path)]) == 0
    assert "Every autograded point" in capsys.readouterr().out
    monkeypatch.setattr(check, "run_check", lambda *a, **k: _result())
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "2 autograded point(s) missing" in out and "Where to look" in out
    # the time it took is remembered, and announced the next time
    main(["check", str(path)])
    assert "about 2 s, as last time" in capsys.readouterr().out


def test_does_a_failure_of_the_check_itself_exit_3(monkeypatch, tmp_path, capsys):
    """When nbgrader cannot run (GradingError), is the exit status 3, with --json too?"""
    import autograder.pipeline.check as check
    from autograder.pipeline.course import GradingError

    def broken(*args, **kwargs):
        raise GradingError("No released notebook: run `make build` first.")

    path = tmp_path / "01_single_neuron.ipynb"
    path.write_text("{}")
    monkeypatch.setattr(check, "run_check", broken)
    assert main(["check", str(path)]) == 3
    assert "the check itself failed" in capsys.readouterr().err
    assert main(["check", "--json", str(path)]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["exit_code"] == 3 and data["outcome"] == "error" and "make build" in data["error"]


JSON_SCHEMA = {
    "version": int, "notebook": str, "lesson": str, "outcome": str, "exit_code": int,
    "points": float, "max_points": float, "manual_points": float, "cells": list,
    "worked_failures": list, "notes": list, "seconds": float, "phases": dict, "error": str,
}
CELL_SCHEMA = {"grade_id": str, "kind": str, "score": float, "max_score": float,
               "status": str, "message": str}
WORKED_SCHEMA = {"cell": int, "label": str, "message": str}


def _assert_schema(data):
    assert set(data) == set(JSON_SCHEMA), set(data) ^ set(JSON_SCHEMA)
    for key, kind in JSON_SCHEMA.items():
        assert isinstance(data[key], kind), (key, data[key])
    for cell in data["cells"]:
        assert set(cell) == set(CELL_SCHEMA)
        assert all(isinstance(cell[k], t) for k, t in CELL_SCHEMA.items()), cell
        assert cell["kind"] in ("auto", "manual")
    for worked in data["worked_failures"]:
        assert set(worked) == set(WORKED_SCHEMA)
        assert all(isinstance(worked[k], t) for k, t in WORKED_SCHEMA.items()), worked


def test_is_the_json_document_the_documented_one(monkeypatch, tmp_path, capsys):
    """Does --json print one JSON object, and nothing else, with exactly the fields --help
    documents, of the documented types, the exit status among them?"""
    import autograder.pipeline.check as check

    path = tmp_path / "01_single_neuron.ipynb"
    path.write_text("{}")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(check, "run_check", lambda *a, **k: _result())
    assert main(["check", "--json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)   # the whole of stdout is the document
    _assert_schema(data)
    assert data["version"] == check.JSON_VERSION == 1 and data["exit_code"] == 1
    assert data["cells"][1]["message"].endswith("Where to look: Section 5, 'The single neuron'.")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["check", "--help"])
    text = capsys.readouterr().out
    for field in [*JSON_SCHEMA, *CELL_SCHEMA, *WORKED_SCHEMA]:
        assert field in text, field


def test_is_a_usage_error_a_json_document_too(tmp_path, capsys):
    """Does --json on a missing file print a document with outcome "usage" and exit 2?"""
    assert main(["check", "--json", str(tmp_path / "nope.ipynb")]) == EXIT_USAGE
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "usage" and data["exit_code"] == EXIT_USAGE


@pytest.mark.slow
def test_does_check_grade_a_notebook_with_a_byte_order_mark(tmp_path):
    """A notebook saved with a UTF-8 byte-order mark (some Windows editors): is it graded
    (not "NotJSONError"), with a --json document of the documented schema, exit 1?"""
    lesson = "01_single_neuron"
    path = tmp_path / f"{lesson}.ipynb"
    path.write_bytes(b"\xef\xbb\xbf" + (REPO / "notebooks" / lesson / f"{lesson}.ipynb")
                     .read_bytes())
    result = subprocess.run([sys.executable, "-m", "autograder", "check", "--json", str(path)],
                            cwd=REPO, capture_output=True, text=True, env=_private_cache(tmp_path))
    assert result.returncode == EXIT_POINTS_MISSING, result.stdout + result.stderr
    data = json.loads(result.stdout)
    _assert_schema(data)
    assert data["outcome"] == "graded" and data["points"] == 0 and data["max_points"] > 0
    assert "NotJSON" not in result.stdout + result.stderr
    assert all("not written yet" in c["message"] for c in data["cells"] if c["kind"] == "auto")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")   # the file was not changed
