"""What LMSs import: the Canvas gradebook CSV and Moodle's grading worksheets, checked against
the headers of the files those LMSs export (tests/fixtures/lms)."""
import csv
import re
import subprocess
import sys

import pytest

from autograder.pipeline.lms_csv import CANVAS_HEADER, MOODLE_HEADER, write_all, write_canvas
from layout import REPO, TESTS

FIXTURES = TESTS / "fixtures" / "lms"


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def run(tmp_path):
    """A finished run: two students, two lessons, one lesson not submitted by one student."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "scores.csv").write_text(
        "student_id,assignment,grade_id,score,max_score,status\n"
        "340934,01_single_neuron,a,1,1,passed\n"
        "340934,01_single_neuron,b,2,3,failed\n"
        "340934,02_hidden_layer,c,0,4,not submitted\n"
        "340935,01_single_neuron,a,1,1,passed;late\n"
        "340935,01_single_neuron,b,3,3,passed;late\n"
        "340935,02_hidden_layer,c,4,4,passed\n")
    (out / "grades.csv").write_text(
        "student_id,last_name,first_name,email,01_single_neuron,02_hidden_layer,score,max_score\n"
        "340934,Smith,Bob,bob@example.org,3,0,3,8\n"
        "340935,Wells,Lane,,3.5,4,7.5,8\n")
    (out / "students.csv").write_text(
        "student_id,name,email,section,original_name,lms,files\n"
        "340934,Bob Smith,bob@example.org,Section A,340934,canvas,x.ipynb\n"
        "340935,Lane Wells,,Section B,340935,canvas,y.ipynb\n")
    return out


def test_does_the_canvas_file_have_canvas_export_columns(run):
    """Are the first columns Canvas's own, in order, followed by one column per lesson?"""
    fixture_header = _rows(FIXTURES / "canvas_gradebook_export.csv")[0]
    assert fixture_header[:5] == CANVAS_HEADER
    path = write_canvas(run, assignment_ids={"01_single_neuron": "1201"})
    header = _rows(path)[0]
    assert header[:5] == fixture_header[:5]
    assert header[5:] == ["01_single_neuron (1201)", "02_hidden_layer"]
    assert re.fullmatch(r".+ \(\d+\)", header[5]) and re.fullmatch(r".+ \(\d+\)", fixture_header[5])


def test_does_the_canvas_file_give_points_possible_and_each_students_points(run):
    """Is the second row Points Possible (the lessons' maxima), then one row per student with the
    late-penalised score, "Last, First" names, and an empty cell for a lesson not submitted?"""
    rows = _rows(write_canvas(run))
    fixture = _rows(FIXTURES / "canvas_gradebook_export.csv")
    assert rows[1][0].strip() == fixture[1][0].strip() == "Points Possible"
    assert rows[1][5:] == ["4", "4"]
    assert rows[2] == ["Smith, Bob", "340934", "", "", "Section A", "3", ""]
    assert rows[3] == ["Wells, Lane", "340935", "", "", "Section B", "3.5", "4"]


def test_is_each_moodle_worksheet_the_offline_worksheet_format(run):
    """Has each lesson's worksheet exactly Moodle's columns, with "Participant <id>" identifiers?
    """
    fixture = _rows(FIXTURES / "moodle_grading_worksheet.csv")
    assert fixture[0] == MOODLE_HEADER
    paths = write_all(run)
    moodle = {p.name: _rows(p) for p in paths if p.name.startswith("moodle_")}
    assert sorted(moodle) == ["moodle_01_single_neuron.csv", "moodle_02_hidden_layer.csv"]
    first = moodle["moodle_01_single_neuron.csv"]
    assert first[0] == fixture[0]
    assert [r[0] for r in first[1:]] == ["Participant 340934", "Participant 340935"]
    assert first[1][4:6] == ["3", "4"] and first[2][1] == "Lane Wells"
    assert re.fullmatch(r"Participant \d+", fixture[1][0])
    assert [r[0] for r in moodle["moodle_02_hidden_layer.csv"][1:]] == ["Participant 340935"]


def test_does_export_rewrite_the_files_and_refuse_a_folder_that_is_no_run(run, tmp_path):
    """Does `python -m autograder export DIR --canvas-assignment L=ID` write both formats, and
    does a folder without a run's files say what to give?"""
    result = subprocess.run([sys.executable, "-m", "autograder", "export", str(run),
                             "--canvas-assignment", "01_single_neuron=1201"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert _rows(run / "lms" / "canvas_gradebook.csv")[0][5] == "01_single_neuron (1201)"
    bad = subprocess.run([sys.executable, "-m", "autograder", "export", str(tmp_path)],
                         cwd=REPO, capture_output=True, text=True)
    assert bad.returncode == 2 and "not the output folder of a grading run" in bad.stderr
    wrong = subprocess.run([sys.executable, "-m", "autograder", "export", str(run),
                            "--canvas-assignment", "01_single_neuron"],
                           cwd=REPO, capture_output=True, text=True)
    assert wrong.returncode == 2 and "LESSON=ID" in wrong.stderr
