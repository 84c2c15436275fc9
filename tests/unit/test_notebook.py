"""The one notebook reader (:mod:`autograder.notebook`): what it accepts, what it refuses, and
that the verifier reads through it too."""
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.notebook import (MalformedNotebook, nbgrader_meta, parse_notebook, read_bytes,
                                 read_notebook)

BOM = b"\xef\xbb\xbf"


def _notebook():
    return new_notebook(cells=[
        new_markdown_cell("# Title"),
        new_code_cell("def f(x):\n    return x\n", metadata={"nbgrader": {
            "grade": False, "solution": True, "grade_id": "f", "locked": False,
            "schema_version": 3, "task": False}},
            outputs=[new_output("stream", name="stdout", text="one\ntwo\n")])])


def test_is_a_notebook_with_a_byte_order_mark_read_like_any_other():
    """Some Windows editors save a UTF-8 byte-order mark: does it read as the same notebook
    (nbformat's own reader says NotJSONError)?"""
    data = nbformat.writes(_notebook()).encode()
    with pytest.raises(nbformat.reader.NotJSONError):
        nbformat.reads((BOM + data).decode("utf-8"), as_version=4)
    assert parse_notebook(BOM + data) == parse_notebook(data)


def test_are_list_sources_and_list_outputs_joined():
    """A ``source`` or an output ``text`` saved as a list of lines: is each one string?"""
    raw = json.loads(nbformat.writes(_notebook()))
    assert isinstance(raw["cells"][1]["source"], list)      # how nbformat writes them
    nb = parse_notebook(json.dumps(raw).encode())
    assert nb.cells[1].source == "def f(x):\n    return x\n"
    assert nb.cells[1].outputs[0].text == "one\ntwo\n"
    raw["cells"][1]["source"] = "def f(x):\n    return x\n"  # one string: kept as it is
    assert parse_notebook(json.dumps(raw).encode()).cells[1].source == nb.cells[1].source


@pytest.mark.parametrize("minor", [0, 4, 5])
def test_is_every_format_4_minor_read_as_format_4(minor):
    nb = _notebook()
    nb.nbformat_minor = minor
    if minor < 5:
        for cell in nb.cells:
            cell.pop("id", None)
    read = parse_notebook(json.dumps(nb).encode())
    assert read.nbformat == 4 and read.cells[1].source.startswith("def f(x)")


def test_is_a_format_3_notebook_converted():
    """An nbformat 3 file (worksheets, ``input`` for code): does it come back as format 4?"""
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [
        {"cells": [{"cell_type": "code", "input": ["x = 1\n", "y = 2"], "language": "python",
                    "outputs": [], "metadata": {}, "collapsed": False}], "metadata": {}}]}
    nb = parse_notebook(json.dumps(v3).encode())
    assert nb.nbformat == 4 and nb.cells[0].source == "x = 1\ny = 2"


@pytest.mark.parametrize("data, words", [
    (b"\xff\xfe{", "not UTF-8 text"),
    (b'{"cells": [', "not valid JSON"),
    (b"[1, 2]", "no list of cells"),
    (b'{"nbformat": 4, "cells": "none"}', "no list of cells"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "x"}]}',
     "not a valid Jupyter notebook"),
])
def test_does_a_file_that_is_not_a_notebook_say_what_is_wrong(data, words):
    with pytest.raises(MalformedNotebook, match=words):
        parse_notebook(data)


def test_is_json_nested_thousands_deep_refused_quickly_with_what_to_do():
    """A file of 50 000 nested brackets (a RecursionError inside json, fewer containers than
    the cap): refused as not valid JSON, with what to submit instead, in bounded time; 200 000
    are refused before parsing, by the cap on containers."""
    import time
    start = time.monotonic()
    with pytest.raises(MalformedNotebook, match="not valid JSON.*submit the notebook saved"):
        parse_notebook(b'{"cells": ' + b"[" * 50_000 + b"]" * 50_000 + b"}")
    with pytest.raises(MalformedNotebook, match="JSON objects and arrays.*submit the notebook"):
        parse_notebook(b'{"cells": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    assert time.monotonic() - start < 5


def test_is_a_schema_error_refused_only_when_asked():
    """validate=True (a submission, for nbgrader) refuses a cell with an unknown key;
    validate=False (the grader's own files, the verifier's copy) reads it."""
    raw = json.loads(nbformat.writes(_notebook()))
    raw["cells"][0]["surprise"] = 1
    data = json.dumps(raw).encode()
    with pytest.raises(MalformedNotebook):
        parse_notebook(data)
    assert parse_notebook(data, validate=False).cells[0].source == "# Title"


def test_is_a_file_over_the_cap_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "big.ipynb"
    path.write_bytes(b" " * 2000)
    with pytest.raises(MalformedNotebook, match="larger than 1000 bytes"):
        read_bytes(path, max_bytes=1000)
    assert len(read_bytes(path, max_bytes=None)) == 2000
    with pytest.raises(FileNotFoundError, match="No notebook at"):
        read_notebook(tmp_path / "missing.ipynb")


def test_does_the_verifier_read_a_byte_order_marked_submission(tmp_path):
    """The out-of-kernel verifier reads submissions with the same reader: a byte-order mark
    no longer makes a notebook "not notebook JSON" there."""
    from autograder.integrity.student_code import UnreadableNotebook, read_submission_cells

    path = tmp_path / "bom.ipynb"
    path.write_bytes(BOM + nbformat.writes(_notebook()).encode())
    cells = read_submission_cells(path)
    assert [c["cell_type"] for c in cells] == ["markdown", "code"]
    assert cells[1]["source"] == "def f(x):\n    return x\n"
    path.write_bytes(b"not json")
    with pytest.raises(UnreadableNotebook, match="not valid JSON"):
        read_submission_cells(path)


@pytest.mark.parametrize("cell, meta", [
    ({"metadata": {"nbgrader": {"grade": True}}}, {"grade": True}),
    ({"metadata": {}}, {}),
    ({}, {}),
    ({"metadata": None}, {}),
    ({"metadata": {"nbgrader": "grade"}}, {}),
    ({"metadata": ["nbgrader"]}, {}),
])
def test_is_a_cells_nbgrader_metadata_always_a_dict(cell, meta):
    """A submission's cells are read before anyone trusts them: metadata that is missing or not
    an object gives ``{}``, never an exception."""
    assert nbgrader_meta(cell) == meta


def test_are_grade_cells_read_once_into_one_typed_structure():
    """Does :func:`grade_cells` give each grade cell's lesson, id, points, kind and source, in
    notebook order, and skip every cell that is not graded?"""
    from autograder.notebook import GRADED_CODE, TEST, WRITTEN, GradeCell, grade_cells

    def meta(grade_id, points, solution=False):
        return {"nbgrader": {"grade": True, "solution": solution, "grade_id": grade_id,
                             "points": points, "locked": not solution, "schema_version": 3}}

    nb = new_notebook(cells=[
        new_code_cell("x = 1"),
        new_code_cell("assert f(1) == 1", metadata=meta("f_test", 2)),
        new_markdown_cell("YOUR ANSWER HERE", metadata=meta("why", 3, solution=True)),
        new_code_cell("def g():\n    pass", metadata=meta("g_by_hand", 1, solution=True)),
        _notebook().cells[1]])                                   # an answer cell: not graded
    cells = grade_cells(parse_notebook(nbformat.writes(nb).encode()), "L1")
    assert cells == [GradeCell("L1", "f_test", 2.0, TEST, "assert f(1) == 1"),
                     GradeCell("L1", "why", 3.0, WRITTEN, "YOUR ANSWER HERE"),
                     GradeCell("L1", "g_by_hand", 1.0, GRADED_CODE, "def g():\n    pass")]
    assert [c.is_test for c in cells] == [True, False, False]


def test_do_the_pipeline_and_the_verifier_see_the_same_grade_cells(graded_lessons, repo):
    """The verifier builds its grade cells on :func:`grade_cells` too: the same ids and points,
    written answers marked as such, for every lesson."""
    from autograder.build import text_to_notebook
    from autograder.integrity.verify import _grade_cells
    from autograder.notebook import WRITTEN, grade_cells

    for lesson in graded_lessons:
        nb = text_to_notebook(repo / "course" / "source" / lesson / f"{lesson}.py")
        mine = [(c.grade_id, c.points, c.kind == WRITTEN) for c in grade_cells(nb, lesson)]
        verifier, _ = _grade_cells(lesson, repo / "course")
        assert mine and mine == [(g, p, kind == "written") for g, p, kind, _ in verifier], lesson


@pytest.mark.parametrize("empty", ["{}", "[]"])
def test_is_a_notebook_packed_with_empty_objects_or_arrays_refused_before_parsing(empty):
    """Round 4 of the red team: 1.5 million empty objects (or arrays) in one cell's metadata,
    4.4 MiB, took a worker to 5 GB (1 GB). Is such a file refused with what to do, while an
    honest notebook whose strings are full of brackets (a printed nested list) is read?"""
    import autograder.notebook as notebook

    nb = new_notebook(cells=[new_code_cell("x = 1")])
    text = nbformat.writes(nb).replace('"metadata": {}', '"metadata": {"notes": [' + ",".join(
        [empty] * (notebook.MAX_JSON_CONTAINERS + 1)) + "]}", 1)
    with pytest.raises(MalformedNotebook, match="JSON objects and arrays.*clear its outputs"):
        parse_notebook(text.encode())
    printed = new_notebook(cells=[new_code_cell("print(nested)", outputs=[new_output(
        "stream", name="stdout", text="[[]]" * notebook.MAX_JSON_CONTAINERS)])])
    assert parse_notebook(nbformat.writes(printed).encode()).cells[0].outputs


def test_is_a_lone_surrogate_replaced_when_a_notebook_is_read():
    """A grade_id or a source holding "\\ud800" (valid JSON, no character) made writing a page
    fail (red team, round 4): is it read as "?", every string UTF-8-encodable, and a proper
    surrogate pair (an emoji written as escapes) kept?"""
    nb = new_notebook(cells=[new_code_cell("a = 1", metadata={"nbgrader": {"grade_id": "x"}})])
    text = nbformat.writes(nb).replace('"grade_id": "x"', '"grade_id": "notes\\ud800"')
    text = text.replace('"a = 1"', '"a = \'\\ud83d\\ude00\'"')
    read = parse_notebook(text.encode())
    assert read.cells[0].metadata["nbgrader"]["grade_id"] == "notes?"
    assert read.cells[0].source == "a = '\U0001F600'"
    json.dumps(read, ensure_ascii=False).encode("utf-8")
