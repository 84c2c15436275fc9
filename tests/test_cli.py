"""The command line: what --help promises, and errors that say what to do (fast, no grading)."""
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.__main__ import EXIT_USAGE, build_parser, main

REPO = Path(__file__).resolve().parent.parent


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
    0 points, exit 0 and leave the file unchanged?"""
    lesson = "03_logistic_regression"
    path = REPO / "notebooks" / lesson / f"{lesson}.ipynb"
    before = path.read_bytes()
    result = subprocess.run([sys.executable, "-m", "autograder", "check", str(path)], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "grade cell" in result.stdout and "Autograded: 0 /" in result.stdout
    assert "not written yet" in result.stdout
    assert path.read_bytes() == before
