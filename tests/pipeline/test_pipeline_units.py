"""The grading pipeline's parts, one rule at a time: no kernel, no nbgrader run (fast).

Finding submissions, reading and repairing notebooks, reading statuses and misconceptions from
outputs, hiding the hidden tests from feedback, the sandbox command line, the CSV rows.
"""
import json
import zipfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.pipeline.status import Status, code_cell_status, legend
from autograder.pipeline.mistakes_named import mistake_catalogue, named_mistakes
from autograder.pipeline.course import GradingOptions
from autograder.pipeline.discover import SubmissionError, discover, student_id_from_name
from autograder.pipeline.grading import score_rows
from autograder.notebook import TEST, WRITTEN, GradeCell, MalformedNotebook, parse_notebook
from autograder.pipeline.normalise import compare_with_release, restore_metadata
from autograder.pipeline.preprocessors import (DEAD_KERNEL_ENAME, NOT_RUN_ENAME,
                                               TIMEOUT_ENAME, HideHiddenTests, error_output)

LESSONS = ["01_single_neuron", "02_hidden_layer"]


_NOTEBOOK = nbformat.writes(new_notebook(cells=[new_code_cell("1 + 1")])).encode()


def _notebook_bytes():
    return _NOTEBOOK


# ---- finding submissions -----------------------------------------------------------------------

def test_nbgrader_layout_gives_student_and_lesson_from_the_folders(tmp_path):
    """Is submitted/<student>/<lesson>/<lesson>.ipynb read as that student's lesson, with its
    timestamp?"""
    folder = tmp_path / "alice" / "01_single_neuron"
    folder.mkdir(parents=True)
    (folder / "01_single_neuron.ipynb").write_bytes(_notebook_bytes())
    (folder / "timestamp.txt").write_text("2025-03-14 09:00:00.000000 UTC\n")
    found = discover(tmp_path, LESSONS)
    assert found.layout == "nbgrader"
    [sub] = found.submissions
    assert (sub.student, sub.lesson) == ("alice", "01_single_neuron")
    assert sub.timestamp == "2025-03-14 09:00:00.000000 UTC"


@pytest.mark.parametrize("name, student, lesson", [
    ("bob_01_single_neuron.ipynb", "bob", "01_single_neuron"),
    ("02_hidden_layer_carol.ipynb", "carol", "02_hidden_layer"),
    ("dan-02_hidden_layer.ipynb", "dan", "02_hidden_layer"),
    ("02_hidden_layer/erin.ipynb", "erin", "02_hidden_layer"),
    ("frank/01_single_neuron.ipynb", "frank", "01_single_neuron"),
    ("Gil Bert_01_single_neuron (1).ipynb", "Gil_Bert", "01_single_neuron"),
    ("smith_1234_5678_01_single_neuron.ipynb", "1234", "01_single_neuron"),  # Canvas: user id
])
def test_lms_names_give_student_and_lesson(tmp_path, name, student, lesson):
    """Does every documented LMS naming pattern give the right student id and lesson?"""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_notebook_bytes())
    [sub] = discover(tmp_path, LESSONS).submissions
    assert (sub.student, sub.lesson) == (student, lesson)


def test_a_zip_export_is_read_without_unpacking(tmp_path):
    """Is a .zip of LMS-named notebooks graded like the folder it came from?"""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bob_01_single_neuron.ipynb", _notebook_bytes())
        z.writestr("__MACOSX/._bob_01_single_neuron.ipynb", b"junk")
        z.writestr("notes.ipynb", _notebook_bytes())
    found = discover(archive, LESSONS)
    assert found.layout == "zip"
    [sub] = found.submissions
    assert (sub.student, sub.lesson) == ("bob", "01_single_neuron")
    assert sub.read_bytes() == _notebook_bytes()
    assert found.unmatched == [f"{archive}:notes.ipynb"]


def test_two_notebooks_for_one_student_and_lesson_are_an_error(tmp_path):
    """Are two files for the same student and lesson refused, naming both files?"""
    (tmp_path / "bob_01_single_neuron.ipynb").write_bytes(_notebook_bytes())
    (tmp_path / "01_single_neuron_bob.ipynb").write_bytes(_notebook_bytes())
    with pytest.raises(SubmissionError, match="bob 01_single_neuron"):
        discover(tmp_path, LESSONS)


def test_an_empty_or_missing_folder_is_an_error(tmp_path):
    """Does an empty or missing SUBMISSIONS say what to give instead?"""
    with pytest.raises(SubmissionError, match="No notebook"):
        discover(tmp_path, LESSONS)
    with pytest.raises(SubmissionError, match="does not exist"):
        discover(tmp_path / "nope", LESSONS)


def test_student_ids_are_safe_in_paths_and_globs():
    """Are characters that nbgrader would read as a path or a glob replaced?"""
    assert student_id_from_name("a/b*c?[d]_01_single_neuron", "01_single_neuron") == "a_b_c_d"


# ---- reading and repairing notebooks -----------------------------------------------------------

def _release():
    cells = [
        new_code_cell("import numpy as np"),
        new_code_cell("def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
                      metadata={"nbgrader": {"grade": False, "grade_id": "double", "locked": False,
                                             "solution": True, "schema_version": 3}}),
        new_code_cell("assert double(3) == 6",
                      metadata={"nbgrader": {"grade": True, "grade_id": "double_test",
                                             "locked": True, "points": 2, "solution": False,
                                             "schema_version": 3}}),
        new_markdown_cell("YOUR ANSWER HERE",
                          metadata={"nbgrader": {"grade": True, "grade_id": "why", "points": 1,
                                                 "locked": False, "solution": True,
                                                 "schema_version": 3}}),
    ]
    for cell in cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.id = grade_id or "imports"
    from nbgrader.utils import compute_checksum
    for cell in cells:
        if "nbgrader" in cell.metadata:
            cell.metadata.nbgrader["checksum"] = compute_checksum(cell)
    return new_notebook(cells=cells)


def test_malformed_bytes_say_what_is_wrong():
    """Is a cut-short file, or JSON that is no notebook, refused with the reason?"""
    text = nbformat.writes(_release())
    with pytest.raises(MalformedNotebook, match="not valid JSON"):
        parse_notebook(text[: len(text) // 2].encode())
    with pytest.raises(MalformedNotebook, match="not a Jupyter notebook"):
        parse_notebook(json.dumps({"hello": 1}).encode())
    assert len(parse_notebook(text.encode()).cells) == 4


def test_stripped_metadata_is_put_back_by_cell_id_and_by_function_name():
    """Does a submission whose editor stripped nbgrader metadata get it back from the release?"""
    nb = _release()
    nb.cells[1].source = "def double(x):\n    return 2 * x"
    for cell in nb.cells:
        cell.metadata = {}
    nb.cells[1].id = "renamed-by-editor"                        # no id match: the def line
    restored, count = restore_metadata(nb, _release())
    assert count == 3
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in restored.cells] == \
        [None, "double", "double_test", "why"]
    assert nb.cells[1].metadata == {}                           # the input is not changed


def test_broken_metadata_is_replaced_by_the_released_one():
    """Is a test cell whose points were hand-edited into text given its released metadata?"""
    nb = _release()
    nb.cells[2].metadata.nbgrader["points"] = "lots"
    del nb.cells[1].metadata.nbgrader["grade_id"]
    restored, count = restore_metadata(nb, _release())
    assert count == 2
    assert restored.cells[2].metadata.nbgrader == _release().cells[2].metadata.nbgrader


def test_edited_and_deleted_tests_are_listed():
    """Are an edited test, a deleted test and a deleted answer told apart?"""
    nb = _release()
    nb.cells[2].source = "pass"
    changes = compare_with_release(nb, _release())
    assert changes.edited_tests == ["double_test"] and not changes.deleted_tests
    nb.cells = [nb.cells[0], nb.cells[3]]
    changes = compare_with_release(nb, _release())
    assert changes.deleted_tests == ["double_test"] and changes.deleted_answers == ["double"]
    assert any("deleted" in note for note in changes.notes())


def test_an_untouched_submission_has_no_changes():
    """Does the released notebook itself count as unchanged?"""
    changes = compare_with_release(_release(), _release())
    assert not changes.notes() and not changes.review_reasons()


# ---- statuses and misconceptions from outputs --------------------------------------------------

@pytest.mark.parametrize("outputs, score, status", [
    ([], 2, Status.PASSED),
    ([{"output_type": "execute_result", "data": {"text/plain": "0.5"}, "metadata": {},
       "execution_count": 1}], 1, Status.PARTIAL),
    ([error_output("AssertionError", "")], 0, Status.FAILED),
    ([error_output("KeyboardInterrupt", ""), error_output(TIMEOUT_ENAME, "ran too long")], 0,
     Status.TIMED_OUT),
    ([error_output(DEAD_KERNEL_ENAME, "died")], 0, Status.KERNEL_DIED),
    ([error_output(NOT_RUN_ENAME, "not run")], 0, Status.NOT_RUN),
    ([error_output("MemoryError", "")], 0, Status.MEMORY),
    ([error_output("CheckFailed", "`f` raised MemoryError: \nIt was called as f(x)")], 0,
     Status.MEMORY),
])
def test_code_cell_status_reads_the_outputs(outputs, score, status):
    """Does each kind of outcome get its own status word?"""
    cell = new_code_cell("check()")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    assert code_cell_status(cell, score, 2) == status


def test_named_mistakes_are_read_from_check_messages():
    """Is the mistake a check named found again by its registry key?"""
    from autograder.mistakes import CATALOGUE

    catalogue = mistake_catalogue()
    message = CATALOGUE["opposite_sign"]
    cell = new_code_cell("check()")
    cell.outputs = [error_output("CheckFailed", f"wrong values.\nThis looks like a known "
                                                f"mistake: {message}.\nWhere to look: x.")]
    assert named_mistakes(cell, catalogue) == [("opposite_sign", message)]


def test_every_status_word_is_explained():
    """Does the legend printed by --help and the report explain every status and flag?"""
    text = legend()
    for word in [Status.PASSED, Status.FAILED, Status.TIMED_OUT, Status.KERNEL_DIED,
                 Status.MEMORY, Status.MALFORMED, Status.NOT_SUBMITTED, "tampered", "missing", "late", "flagged"]:
        assert f"  {word} " in text


# ---- feedback without hidden tests --------------------------------------------------------------

HIDDEN = 'assert square(-3) == 9, "secret-marker"'


def _graded_notebook():
    test = new_code_cell(f'assert square(4) == 16\n### BEGIN HIDDEN TESTS\n{HIDDEN}\n'
                         "### END HIDDEN TESTS", metadata={"nbgrader": {"grade": True}})
    test.execution_count = 7
    test.outputs = [nbformat.from_dict({
        "output_type": "error", "ename": "AssertionError", "evalue": "secret-marker",
        "traceback": ["\x1b[0;31m----------\x1b[0m",
                      f"Cell \x1b[0;32mIn[7], line 3\x1b[0m\n----> 3 {HIDDEN}\n",
                      "File /x/student.py:2, in square(x)\n      1 def square(x):\n",
                      "\x1b[0;31mAssertionError\x1b[0m: secret-marker"]})]
    spy = new_code_cell("print(In)")
    spy.outputs = [nbformat.from_dict({"output_type": "stream", "name": "stdout",
                                       "text": f"['', 'import numpy', '{HIDDEN}']\nok\n"})]
    return new_notebook(cells=[test, spy])


def test_feedback_keeps_no_line_of_a_hidden_test():
    """After HideHiddenTests, is there no hidden-test line, assert message or own frame left,
    while the student's own frame and the rest of the output stay?"""
    nb, _ = HideHiddenTests().preprocess(_graded_notebook(), {})
    text = nbformat.writes(nb)
    assert "secret-marker" not in text and "square(-3)" not in text
    assert "HIDDEN TESTS" not in text and "In[7]" not in text
    assert "in square(x)" in text and "assert square(4) == 16" in text
    assert nb.cells[0].outputs[0].traceback[-1] == \
        "AssertionError: a hidden test failed (hidden tests are not shown)"
    assert "ok\n" in nb.cells[1].outputs[0].text


# ---- CSV rows ------------------------------------------------------------------------------------

def test_scores_have_a_row_per_student_lesson_and_cell():
    """Does a lesson a student did not submit still get its rows, as 'not submitted'?"""
    tests = {"01_single_neuron": [GradeCell("01_single_neuron", "a_test", 2.0, TEST),
                                  GradeCell("01_single_neuron", "why", 1.0, WRITTEN)]}
    from autograder.pipeline.record import ScoreRow, SubmissionRecord

    record = SubmissionRecord("ann", "01_single_neuron", flags=["late"], rows=[
        ScoreRow("a_test", 2.0, 2.0, "passed", "auto", flags=["tampered"]),
        ScoreRow("why", 0.0, 1.0, "manual", "manual")])
    rows = score_rows([record], ["ann", "bo"], ["01_single_neuron"], tests)
    assert rows == [
        ["ann", "01_single_neuron", "a_test", "2", "2", "passed;tampered;late"],
        ["ann", "01_single_neuron", "why", "0", "1", "manual;late"],
        ["bo", "01_single_neuron", "a_test", "0", "2", "not submitted"],
        ["bo", "01_single_neuron", "why", "0", "1", "not submitted"],
    ]


def test_a_changed_time_limit_means_regrading():
    """Does every option that changes a grade change the fingerprint (and so force a regrade)?"""
    base = GradingOptions()
    assert base.fingerprint("x") == GradingOptions().fingerprint("x")
    assert base.fingerprint("x") != GradingOptions(timeout=base.timeout + 1).fingerprint("x")
    assert base.fingerprint("x") != GradingOptions(due_dates={"x": "2025-01-01 00:00:00 UTC"}
                                                   ).fingerprint("x")
    assert base.fingerprint("x") == GradingOptions(due_dates={"y": "2025-01-01 00:00:00 UTC"}
                                                   ).fingerprint("x")


# ---- no confirmed grade, no points in the exports -----------------------------------------------

def test_an_output_nbgrader_could_not_write_back_is_made_encodable():
    """A stream, a display and an error holding a lone surrogate (the kernel's JSON may carry
    one): does OutputCap.admit store them with '?' in its place, every string UTF-8-encodable,
    and leave ordinary text (accents, CJK) alone? Without the repair the graded notebook cannot
    be written (the check fails on the raw message)."""
    from autograder.notebook import encodable
    from autograder.pipeline.outputs import OutputCap

    messages = [
        {"msg_type": "stream", "content": {"name": "stdout", "text": "ok \ud800 Zoë 数\n"}},
        {"msg_type": "display_data", "content": {"data": {"text/plain": "\udfff"},
                                                 "metadata": {"\ud800": 1}}},
        {"msg_type": "error", "content": {"ename": "E", "evalue": "\ud800",
                                          "traceback": ["a\ud800b"]}},
    ]
    with pytest.raises(UnicodeEncodeError):
        json.dumps(messages[0]["content"], ensure_ascii=False).encode("utf-8")
    cap = OutputCap()
    for msg in messages:
        assert cap.admit(0, msg, [])
        json.dumps(msg["content"], ensure_ascii=False).encode("utf-8")   # no error now
    assert messages[0]["content"]["text"] == "ok ? Zoë 数\n"
    assert messages[2]["content"]["traceback"] == ["a?b"]
    assert encodable({"a": ["Zoë", 1.5, None]}) == {"a": ["Zoë", 1.5, None]}


# nbgrader's own add_submission trips an SQLAlchemy autoflush warning (set-up only)
@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
def test_a_submission_without_a_graded_record_leaves_the_gradebook(tmp_path, monkeypatch):
    """nbgrader saved scores for two submissions; one record says "error" (the autograde
    failed after the save, or the worker crashed): is that one's submission removed from the
    gradebook (the student kept), and the graded one left as it was?"""
    from nbgrader.api import Gradebook, MissingEntry

    from autograder.pipeline.grading import _withdraw_ungraded
    from autograder.pipeline.record import SubmissionRecord

    import os
    import sys

    # a new gradebook runs `alembic` from the environment's bin folder
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, "course") as gradebook:
        gradebook.add_assignment("01_single_neuron")
        for student in ("ada", "mallory"):
            gradebook.add_student(student)
            gradebook.add_submission("01_single_neuron", student)
    records = [SubmissionRecord("ada", "01_single_neuron", outcome="graded"),
               SubmissionRecord("mallory", "01_single_neuron", outcome="error")]
    _withdraw_ungraded(records, url, "course")
    with Gradebook(url, "course") as gradebook:
        assert gradebook.find_submission("01_single_neuron", "ada")
        with pytest.raises(MissingEntry):
            gradebook.find_submission("01_single_neuron", "mallory")
        assert gradebook.find_student("mallory")

def test_does_the_grading_kernel_manager_look_for_a_killed_kernel_every_10_ms(monkeypatch):
    """After the kill, is the kernel's end looked for every 10 ms (jupyter_client: 100 ms),
    until it has ended, and no longer?"""
    import asyncio

    from jupyter_client.manager import KernelManager

    from autograder.pipeline.kernel_manager import SandboxKernelManager

    answers, slept = iter([True, True, False]), []

    async def is_alive(self):
        return next(answers)

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(KernelManager, "_async_is_alive", is_alive)
    monkeypatch.setattr(asyncio, "sleep", sleep)
    manager = SandboxKernelManager(kernel_uid=None)
    asyncio.run(manager._async_wait())
    assert slept == [0.01, 0.01]


def test_a_kernel_frame_packed_with_empty_objects_is_not_parsed():
    """display(..., metadata={"notes": [{}] * 4_000_000}) took a worker to 5 GB once parsed
    (red team, round 4). Does the bounded unpacker return a short "output dropped" content for
    a frame holding more than MAX_FRAME_CONTAINERS objects or longer than MAX_FRAME_BYTES, and
    parse every ordinary frame (a long text included) as jupyter_client's own unpack would?"""
    from jupyter_client.session import Session

    from autograder.pipeline import outputs

    unpack = outputs.bounded_unpack(Session().unpack)
    assert outputs.bounded_unpack(unpack) is unpack               # wrapped once, on restarts too
    packed = json.dumps({"data": {"text/plain": "x"},
                         "metadata": {"notes": [{}] * (2 * outputs.MAX_FRAME_CONTAINERS)}})
    dropped = unpack(packed.encode())
    assert "output dropped" in dropped["text"] and dropped["metadata"] == {}
    assert "output truncated" in unpack(b" " * (outputs.MAX_FRAME_BYTES + 1))["text"]
    long_text = json.dumps({"name": "stdout", "text": "[{" * 200_000})
    assert unpack(long_text.encode()) == json.loads(long_text)
    assert unpack(b'{"a": [1, 2]}') == {"a": [1, 2]}


def test_an_uppercase_notebook_extension_is_a_notebook(tmp_path):
    """A file renamed outside Jupyter, bob/01_single_neuron/01_single_neuron.IPYNB: is it
    found as bob's lesson 1 (it used to be dropped without a word)?"""
    folder = tmp_path / "bob" / "01_single_neuron"
    folder.mkdir(parents=True)
    (folder / "01_single_neuron.IPYNB").write_bytes(_notebook_bytes())
    found = discover(tmp_path, LESSONS).submissions
    assert [(s.student, s.lesson) for s in found] == [("bob", "01_single_neuron")]
