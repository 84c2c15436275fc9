"""Is the out-of-kernel verifier sound? The channel, the code it runs (and which of the lesson's
code it leaves out), the sandbox, the mapping.

These are the verifier's parts, each on small inputs. ``tests/attacks/test_integrity_attacks.py``
runs whole submissions, honest and hostile, through it. Tests that start a sandbox take a fraction
of a second each (no lesson code runs in them, or only the few statements a submission needs).
"""
import base64
import copy
import json
import os
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder import exercises as registry
from autograder.build import find_lessons
from autograder.checks import CheckFailed, check_exercise, coerce_to_float_array, compare_result
from autograder.integrity import channel, speedups, verify
from autograder.integrity import session as sandbox
from autograder.sandbox import users
from autograder.sandbox.policy import from_options
from autograder.integrity.channel import Decoder, Limits, ProtocolError, Unsupported
from autograder.integrity.needed_code import plan_cells
from autograder.integrity.student_code import (CodeCell, extract_code, instructor_code_cells,
                                               to_python)
from layout import REPO

LESSONS = find_lessons(REPO / "course")
L2 = "02_hidden_layer"
L3 = "03_logistic_regression"


def _roundtrip(value, **decoder):
    """Encode on the grader's side, decode as the sandbox does."""
    callables = []
    line = channel.dumps({"v": channel.encode(value, callables=callables)})
    decoded = Decoder(callback=lambda i: callables[i], allow_generator=True, **decoder)
    return decoded.decode(channel.loads(line)["v"])


def _from_sandbox(value):
    """Encode as the sandbox does (anything goes), decode as the grader does."""
    line = channel.dumps({"v": channel.encode(value, strict=False)})
    return Decoder().decode(channel.loads(line)["v"])


def _same(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape \
            and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, np.random.Generator):
        return a.bit_generator.state == b.bit_generator.state
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if callable(a):
        return a is b
    return type(a) is type(b) and (a == b or (a != a and b != b))


# ---- the channel -------------------------------------------------------------------------------

@pytest.mark.parametrize("exercise", registry.all_exercises(), ids=lambda e: e.id)
def test_does_the_channel_carry_every_registered_input_and_answer_exactly(exercise):
    """Do the inputs of every exercise (arrays, dicts, lists, strings, generators, dJ) and the
    reference's answer survive the trip unchanged, bit for bit?"""
    inputs = exercise.inputs(5)
    assert _same(list(inputs.values()), _roundtrip(list(inputs.values())))
    answer = exercise.reference(*copy.deepcopy(list(inputs.values())))
    assert _same(answer, _from_sandbox(answer))


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, max_side=5),
                  elements=st.floats(allow_nan=True, allow_infinity=True)))
def test_does_an_array_come_back_bit_for_bit_nan_and_inf_included(array):
    """Is every float64 array, NaN, inf, -0.0 and empty shapes included, carried exactly?"""
    back = _from_sandbox(array)
    assert back.shape == array.shape and back.dtype == np.float64
    assert back.tobytes() == array.tobytes()
    assert back.flags.writeable and back is not array


def _array(shape, data):
    return {"$": "ndarray", "dtype": "float64", "shape": shape, "data": data}


_EIGHT = base64.b64encode(b"\0" * 8).decode()
MALFORMED = {
    "another dtype": {"$": "ndarray", "dtype": "int64", "shape": [1], "data": _EIGHT},
    "data shorter than the shape": _array([2], _EIGHT),
    "not base64": _array([1], "!!!!!!!!!!!="),
    "a negative size": _array([-1], ""),
    "too many dimensions": _array([1] * 9, _EIGHT),
    "a shape that is not a list": _array("1", _EIGHT),
    "an unknown tag": {"$": "pickle", "data": "gASVAAAAAAAAAAB9lC4="},
    "an untagged object": {"a": 1},
    "a callable from the sandbox": {"$": "callable", "id": 0},
    "a generator from the sandbox": {"$": "generator", "state": {}},
    "a dict entry that is not a pair": {"$": "dict", "items": [["a"]]},
    "a dict key that is not a string": {"$": "dict", "items": [[1, 2]]},
    "a tagged float that is not a number": {"$": "float", "v": "1e999"},
}


@pytest.mark.parametrize("value", MALFORMED.values(), ids=MALFORMED.keys())
def test_does_the_grader_refuse_a_malformed_value(value):
    """Does the grader's decoder refuse, with a ProtocolError, anything but the documented
    encodings (no pickle, no objects, no callables or generators coming back)?"""
    with pytest.raises(ProtocolError):
        Decoder().decode(value)


@pytest.mark.parametrize("line", [
    b'{"v": NaN}\n', b'{"v": Infinity}\n', b"[1, 2]\n", b"\xff\xfe\n", b"{not json}\n",
    b"[" * 100_000 + b"]" * 100_000 + b"\n",
], ids=["NaN literal", "Infinity literal", "not an object", "not UTF-8", "not JSON",
        "nested 100000 deep"])
def test_does_the_grader_refuse_a_malformed_message(line):
    """Is a line that is not one JSON object of finite numbers refused, never a crash?"""
    with pytest.raises(ProtocolError):
        channel.loads(line)


def test_are_the_decoders_limits_enforced():
    """Do depth, entry, float and string limits hold, whatever the message claims?"""
    limits = Limits(max_depth=4, max_items=10, max_elements=6, max_string=5)
    nested = [[[[[1]]]]]
    with pytest.raises(ProtocolError, match="nested"):
        Decoder(limits).decode(nested)
    with pytest.raises(ProtocolError, match="entries"):
        Decoder(limits).decode(list(range(11)))
    big = channel.encode(np.zeros((2, 4)))
    with pytest.raises(ProtocolError, match="floats"):
        Decoder(limits).decode(big)
    with pytest.raises(ProtocolError, match="string"):
        Decoder(limits).decode("abcdef")


def test_are_objects_that_pose_as_numbers_carried_only_as_unsupported():
    """Does nothing of a student's object cross the channel but its type name, and is an
    ndarray subclass read through its data only?"""
    class Liar:
        def __eq__(self, other):
            return True

    class Sneaky(float):
        pass

    class Lying(np.ndarray):
        def __eq__(self, other):
            return True

        def tobytes(self, *args, **kwargs):
            return b"lies"

    for value, text in [(Liar(), "Liar"), (Sneaky(1.0), "Sneaky"),
                        (np.array([1j]), "complex128"), (np.array([None]), "object"),
                        (2 ** 70, "int64"), ({1: 2.0}, "not strings")]:
        back = _from_sandbox(value)
        assert isinstance(back, Unsupported) and text in back.description
    back = _from_sandbox(np.arange(3.0).view(Lying))
    assert type(back) is np.ndarray and back.tolist() == [0.0, 1.0, 2.0]
    assert _from_sandbox(np.array([True, False])).dtype == np.float64
    assert type(_from_sandbox(np.float32(2.5))) is np.float64


def test_does_the_grader_send_only_what_it_can_describe():
    """Does the grader's own encoder refuse what the channel does not carry (so an exercise
    with such inputs is 'not verifiable', decided by the grader alone)?"""
    for value in (object(), np.arange(3), {1: 2}, np.random.Generator(np.random.MT19937(0))):
        with pytest.raises(channel.EncodeError):
            channel.encode(value)
    with pytest.raises(channel.EncodeError):
        channel.encode(len)  # functions only where the caller collects call-backs


# ---- the comparison: one judge for the kernel and the verifier --------------------------------

def _seed(exercise):
    """A hidden seed of the exercise's lesson, as its grade cells use it."""
    _, seeds = verify._grade_cells(exercise.lesson, REPO / "course")
    return min(seeds - {registry.VISIBLE_SEED})


@pytest.mark.parametrize("exercise", registry.all_exercises(), ids=lambda e: e.id)
def test_does_compare_result_judge_exactly_as_check_exercise(exercise):
    """For the reference and every known mistake, does the verifier's comparison pass or fail
    with the very message of the grade cells' check, naming the same mistake?"""
    seed = _seed(exercise)
    inputs = exercise.inputs(seed)
    compare_result(exercise, inputs, exercise.reference(*copy.deepcopy(list(inputs.values()))),
                   hidden=True)
    for wrong in exercise.mistakes:
        with pytest.raises(CheckFailed) as in_kernel:
            check_exercise(exercise.id, wrong.fn, seeds=[seed], hidden=True, quiet=True)
        result = wrong.fn(*copy.deepcopy(list(inputs.values())))
        with pytest.raises(CheckFailed) as out_of_kernel:
            compare_result(exercise, inputs, result, hidden=True)
        assert str(out_of_kernel.value) == str(in_kernel.value)
        assert out_of_kernel.value.mistake == wrong.key == in_kernel.value.mistake


def test_is_an_integer_beyond_float64_a_wrong_answer_not_a_crash():
    """Does an int too large for a float fail with a message instead of an OverflowError?"""
    with pytest.raises(CheckFailed, match="too large"):
        coerce_to_float_array(10 ** 400, "`x`")


# ---- what runs: the released lesson cells and the student's own cells --------------------------

def _solution(lesson):
    return nbformat.read(REPO / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)


def test_does_the_verifier_run_released_lesson_cells_and_the_students_own_in_order(tmp_path):
    """Are lesson cells run as released (an edit of an unlocked one runs after it, as the
    student's code), deleted ones run anyway, added cells kept in place, and grade cells (even
    ones the student disguised) never run?"""
    nb = _solution(L2)
    released = instructor_code_cells(L2)
    code = [c for c in nb.cells if c.cell_type == "code"]
    lesson_cells = [c for c in code if not c.metadata.get("nbgrader")]
    edited, deleted = lesson_cells[0], lesson_cells[2]
    edited.source = "import this_module_does_not_exist\n"
    nb.cells.remove(deleted)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    added = nbformat.v4.new_code_cell("print('mine')\n")
    nb.cells.insert(nb.cells.index(answer) + 1, added)
    fake_test = nbformat.v4.new_code_cell("my_own = 1\n")
    fake_test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "x"}
    nb.cells.append(fake_test)
    path = tmp_path / "submission.ipynb"
    nbformat.write(nb, path)

    extraction = extract_code(path, L2)
    origins = [(c.origin, c.label) for c in extraction.cells]
    expected_lesson = [(gid or cid, src) for cid, gid, kind, src, _ in released
                       if kind == "lesson"]
    assert [(c.label, c.source) for c in extraction.cells if c.origin == "lesson"] == \
        [(label, to_python(src)) for label, src in expected_lesson]
    assert extraction.edited_lesson_cells == [edited.id]
    position = origins.index(("lesson", edited.id))
    assert extraction.cells[position + 1].origin == "edited"  # the kernel ran it: so do we
    assert extraction.cells[position + 1].source == edited.source
    assert extraction.deleted_lesson_cells == [deleted.id]
    assert origins.index(("added", added.id)) == origins.index(("answer", answer.metadata[
        "nbgrader"]["grade_id"])) + 1
    tests = {to_python(src) for _, _, kind, src, _ in released if kind == "test"}
    assert not tests & {c.source for c in extraction.cells}
    assert "x" in extraction.dropped_tests
    answers = [c.label for c in extraction.cells if c.origin == "answer"]
    assert answers == [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                       if c.metadata.get("nbgrader", {}).get("solution")
                       and c.cell_type == "code"]


def test_are_ipython_magics_plain_python_before_they_reach_the_sandbox():
    """Does a cell with a line magic, a shell escape and a cell magic compile as Python?"""
    for source in ("%matplotlib inline\nx = 1\n", "!ls\n", "%%time\ndef f():\n    return 1\n"):
        compile(to_python(source), "<cell>", "exec")


def test_is_an_unreadable_notebook_reported_and_left_to_a_human(tmp_path):
    """Does a file that is not a notebook give a result with an error, which keeps every
    in-kernel score and asks for a human look?"""
    path = tmp_path / "broken.ipynb"
    path.write_bytes(b'{"cells": [')
    result = verify.verify_submission(path, L2)
    assert result.error and not result.ok
    assert result.capped_score("hidden_forward_values", 2.0) == 2.0
    assert any("could not run" in r for r in result.review_reasons())


# ---- what of the lesson runs: only the code the submission can reach --------------------------

def _cells(*specs):
    """CodeCells from ``(origin, source)`` pairs (sources dedented, labels by position)."""
    return [CodeCell(origin, str(i), textwrap.dedent(source).lstrip("\n"))
            for i, (origin, source) in enumerate(specs)]


def _planned(cells, functions=("answer_fn",)):
    """What runs of each cell: its planned source, or None when it is left out."""
    return [plan.source for plan in plan_cells(cells, functions)]


def _runs(planned, line):
    """Does the planned source of a cell hold ``line`` (as a whole line)?"""
    return planned is not None and line in planned.splitlines()


def test_are_output_only_lesson_cells_and_their_heavy_imports_left_out():
    """Does a lesson that only plots and prints around the answer run no more than the import
    the answer uses (no matplotlib), while the student's own cells run whole?"""
    cells = _cells(("lesson", "import matplotlib.pyplot as plt\nimport numpy as np\n"),
                   ("lesson", "xs = np.linspace(0, 1, 5)\nplt.plot(xs, xs ** 2)\nprint(xs)\n"),
                   ("answer", "def answer_fn(x):\n    return np.asarray(x) ** 2\n"),
                   ("added", "plt.plot([1, 2])\nprint('mine')\n"),
                   ("lesson", "assert np.allclose(answer_fn(xs), xs ** 2)\nplt.show()\n"))
    planned = _planned(cells[:3] + cells[4:])
    assert _runs(planned[0], "import numpy as np")
    assert not _runs(planned[0], "import matplotlib.pyplot as plt")
    assert planned[1] is None and planned[3] is None
    assert planned[2] == cells[2].source
    # the student's own plot needs plt: then the lesson's import of it runs too
    with_plot = _planned(cells)
    assert with_plot[3] == cells[3].source
    assert _runs(with_plot[0], "import matplotlib.pyplot as plt")


def test_does_a_worked_cell_that_defines_a_helper_the_answer_uses_still_run():
    """Does a helper the answer calls run, with the data it reads, what that data is built from
    and every statement that mentions that data (it might change it), while the statements
    around them are left out?"""
    cells = _cells(("lesson", "import numpy as np\n"),
                   ("lesson", "raw = np.arange(4.0)\nscale = raw.max()\nprint(scale)\n"
                              "print('the scale is ready')\n"),
                   ("lesson", """
                       def normalise(v):
                           return v / scale


                       demo = np.ones(3)
                       """),
                   ("answer", "def answer_fn(v):\n    return 2 * normalise(v)\n"))
    planned = _planned(cells)
    assert _runs(planned[1], "raw = np.arange(4.0)") and _runs(planned[1], "scale = raw.max()")
    assert _runs(planned[1], "print(scale)")
    assert not _runs(planned[1], "print('the scale is ready')")
    assert _runs(planned[2], "def normalise(v):") and not _runs(planned[2], "demo = np.ones(3)")
    assert _runs(planned[0], "import numpy as np")


#: Lesson statements that change an object the answer reads, each in its own way.
MUTATIONS = {
    "an item assignment": "table['k'] = 3.0\n",
    "a method call": "weights.append(5.0)\n",
    "an alias": "alias = weights\nalias.append(7.0)\n",
    "a function that writes into it": "def reset():\n    table['k'] = 0.5\n\n\nreset()\n",
    "a function that calls a method": "def grow():\n    weights.append(2.0)\n\n\ngrow()\n",
    "a library call": "np.copyto(arr, 9.0)\n",
    "a function that hands it out": "def handle():\n    return table\n\n\n"
                                    "handle()['k'] = 4.0\n",
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_does_a_lesson_statement_that_changes_what_the_answer_reads_still_run(mutation):
    """Is a statement that may change data the answer reads (through an item, a method, an
    alias, a function, a library call) kept, and an unrelated one left out?"""
    cells = _cells(("lesson", "import numpy as np\ntable = {'k': 1.0}\nweights = [1.0]\n"
                              "arr = np.zeros(2)\n"),
                   ("answer", "def answer_fn(x):\n    return x * table['k'] + sum(weights) "
                              "+ arr.sum()\n"),
                   ("lesson", mutation),
                   ("lesson", "unrelated = [1]\nunrelated.append(2)\n"))
    planned = _planned(cells)
    assert planned[2] == cells[2].source
    assert planned[3] is None


def test_does_a_lesson_statement_that_rebinds_an_exercise_or_sets_global_state_still_run():
    """Is a lesson statement that rebinds an exercise's function, or seeds numpy's global
    generator, kept even though no student cell mentions what it changes?"""
    cells = _cells(("lesson", "import numpy as np\n"),
                   ("answer", "def answer_fn(x):\n    return x\n"),
                   ("lesson", "answer_fn = np.negative\nprint('demo')\n"),
                   ("lesson", "np.random.seed(0)\n"))
    planned = _planned(cells)
    assert _runs(planned[2], "answer_fn = np.negative") and not _runs(planned[2], "print('demo')")
    assert planned[3] == cells[3].source


#: Student code that reaches the namespace other than by names: no lesson code is left out.
DYNAMIC = {
    "globals()": "def answer_fn():\n    return globals()['hidden']\n",
    "eval": "def answer_fn():\n    return eval('hid' + 'den')\n",
    "sys.modules": "import sys\ndef answer_fn():\n    return sys.modules['__main__'].hidden\n",
    "a computed getattr": "import sys\nname = 'hidden'\ndef answer_fn():\n"
                          "    return getattr(sys.modules[__name__], name)\n",
    "frames": "import sys\ndef answer_fn():\n    return sys._getframe().f_globals['hidden']\n",
    "a function's globals": "def answer_fn():\n    return answer_fn.__globals__['hidden']\n",
    "a pickle": "import pickle\ndef answer_fn():\n"
                "    return pickle.loads(b'c__main__\\nhidden\\n.')\n",
    "the IPython shell": "def answer_fn():\n    return get_ipython().user_ns['hidden']\n",
}


@pytest.mark.parametrize("answer", DYNAMIC.values(), ids=DYNAMIC.keys())
def test_does_every_lesson_cell_run_when_the_answer_reaches_names_dynamically(answer):
    """When the student's code can read a lesson name without naming it, does the plan give up
    and run every lesson statement?"""
    cells = _cells(("lesson", "hidden = 41\nprint(hidden)\n"), ("answer", answer))
    assert _planned(cells) == [cell.source for cell in cells]


def test_are_magics_read_as_the_code_they_run():
    """Is the body of a %%time cell analysed as code (a lesson helper it uses runs), and do
    line magics and shell escapes need nothing?"""
    cells = _cells(("lesson", "def helper():\n    return 1\n\n\nprint('left out')\n"),
                   ("answer", to_python("%%time\ndef answer_fn():\n    return helper()\n")),
                   ("added", to_python("%matplotlib inline\n!ls\n")))
    planned = _planned(cells)
    assert _runs(planned[0], "def helper():") and not _runs(planned[0], "print('left out')")
    assert planned[1:] == [cells[1].source, cells[2].source]


def test_does_a_partly_run_cell_keep_its_line_numbers():
    """Does a left-out statement become blank lines (tracebacks point at the lesson's own
    lines), and do statements sharing a line run together?"""
    cells = _cells(("lesson", "print(1)\nx = 2; print(3)\n\n\ndef f():\n    return x\n"
                              "print(4)\n"),
                   ("answer", "def answer_fn():\n    return f()\n"))
    planned = _planned(cells)[0]
    assert planned.splitlines() == ["", "x = 2; print(3)", "", "", "def f():",
                                    "    return x", ""]


def test_does_a_student_cell_that_does_not_compile_change_nothing():
    """Is a student's cell with a syntax error (none of it can run) no reason to run the
    lesson's demonstrations, while a lesson cell with unusual line breaks runs whole?"""
    cells = _cells(("lesson", "import numpy as np\nprint('demo')\n"),
                   ("added", "def broken(:\n    uses_demo_data\n"),
                   ("answer", "def answer_fn():\n    return np.pi * scale\n"),
                   ("lesson", "scale = 2\n\x0cprint('after a form feed')\n"))
    planned = _planned(cells)
    assert _runs(planned[0], "import numpy as np") and not _runs(planned[0], "print('demo')")
    assert planned[1:] == [cell.source for cell in cells[1:]]


def test_does_the_baseline_run_every_lesson_cell():
    """With the shortcuts off (the benchmark's baseline), is every cell planned whole, and are
    the switches back on afterwards?"""
    cells = _cells(("lesson", "print('plot')\n"), ("answer", "def answer_fn():\n    return 1\n"))
    exercises = [e for e in registry.all_exercises() if e.lesson == L2]
    with speedups.baseline():
        assert [p.source for p in verify._plan(cells, exercises, {})] == \
            [c.source for c in cells]
    assert speedups.SPEEDUPS == speedups.Speedups()
    assert verify._plan(cells, exercises, {})[0].source is None


def test_does_the_planned_code_give_the_answer_the_values_of_a_full_run(policy):
    """Run in a sandbox, does the planned code (helpers, data, every kind of change to the
    data) give the answer exactly the values it gets when every cell runs?"""
    cells = _cells(("lesson", "import numpy as np\ntable = {'k': 1.0}\nweights = [1.0]\n"
                              "arr = np.zeros(2)\nprint('setup')\n"),
                   ("lesson", "raw = np.arange(4.0)\nscale = raw.max()\nprint(scale)\n"),
                   ("lesson", "def normalise(v):\n    return v / scale\n"),
                   ("answer", "def answer_fn(x):\n    return (normalise(x) * table['k'] "
                              "+ sum(weights) + arr.sum())\n"),
                   *[("lesson", mutation) for mutation in MUTATIONS.values()],
                   ("lesson", "xs = np.linspace(0.0, 1.0, 3)\nprint('a plot of', xs)\n"),
                   ("lesson", "print(answer_fn(raw))\n"))
    planned = _planned(cells)
    assert None in planned  # something is left out...
    values = []
    for sources in (planned, [cell.source for cell in cells]):
        with sandbox.Session(policy) as live:
            live.start()
            for source in filter(None, sources):
                _run(live, source)
            values.append(live.call("answer_fn", [np.array([3.0, 6.0])]).value.tolist())
    # ...yet both runs agree, on the value only every change to the data gives
    # (x / scale) * table['k'] + sum(weights) + arr.sum(), with scale = 3 and the data after
    # every change: k = 4, weights = [1, 5, 7, 2], arr = [9, 9]
    assert values[0] == values[1] == [1.0 * 4.0 + 15.0 + 18.0, 2.0 * 4.0 + 15.0 + 18.0]


def _lesson3_with(tmp_path, answers=None, worked_cell="", rewritten=""):
    """Lesson 3's solution with answer cells replaced, and the worked cell whose source
    contains ``worked_cell`` rewritten by the student."""
    nb = _solution(L3)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (answers or {}):
            cell.source = answers[grade_id]
        if worked_cell and worked_cell in cell.source and not grade_id:
            cell.source = rewritten
    path = tmp_path / f"{L3}.ipynb"
    nbformat.write(nb, path)
    return path


def test_does_the_verifier_run_the_worked_cell_whose_helper_an_answer_calls(tmp_path):
    """On a real lesson: is an answer that calls a helper defined in a worked cell (after a
    data load and before a timing demo) confirmed, while the lesson's plots are left out?"""
    path = _lesson3_with(tmp_path, {"logistic_gradients": (
        "def logistic_gradients(w, b, X, y):\n    return logistic_gradients_loop(w, b, X, y)\n")})
    result = verify.verify_submission(path, L3)
    assert result.exercises[f"{L3}.logistic_gradients"].status == "passed", result.summary()
    statuses = [c.status for c in result.cells if c.origin == "lesson"]
    assert "skipped" in statuses and set(statuses) <= {"ok", "skipped"}


def test_can_a_student_not_hide_code_in_a_worked_cell_that_is_left_out(tmp_path):
    """Does a wrong function the student wrote over a worked cell (whose released version the
    plan leaves out) still replace the right answer, as it does in the kernel?"""
    path = _lesson3_with(tmp_path, worked_cell="z_demo, a_demo = logistic_forward", rewritten=(
        "def logistic_forward(w, b, X):\n    z = w.T @ X + b\n    return z, 0.0 * z\n"))
    result = verify.verify_submission(path, L3)
    assert result.exercises[f"{L3}.logistic_forward"].status == "failed", result.summary()
    edited = next(c for c in result.cells if c.origin == "edited")
    released = [c.status for c in result.cells if c.origin == "lesson" and c.label == edited.label]
    assert edited.status == "ok" and released == ["skipped"]


def test_are_answers_built_from_the_courses_own_helpers_flagged_for_a_human(tmp_path):
    """The red team's lesson 3 (round 3): logistic_dJdz IS autograder.losses'
    bce_with_logits_grad, logistic_cost a composition of two public helpers, logistic_gradients
    the lesson's own numerical_gradient. They pass out of kernel (the helpers are public), so
    each answer cell must be on the review list with what it uses; the solution's own answers,
    which use what the lesson imports, are not."""
    answers = {
        "logistic_cost": "from autograder.losses import batch_cost, bce_with_logits\n\n"
                         "def logistic_cost(w, b, X, y):\n"
                         "    return batch_cost(bce_with_logits(w.T @ X + b, y))\n",
        "logistic_dJdz": "from autograder.losses import bce_with_logits_grad as logistic_dJdz\n",
        "logistic_gradients": "def logistic_gradients(w, b, X, y):\n"
                              "    g = numerical_gradient(lambda p: logistic_cost(p['w'], "
                              "p['b'], X, y), {'w': w, 'b': np.array(float(b))})\n"
                              "    return g['w'], float(g['b'])\n"}
    result = verify.verify_submission(_lesson3_with(tmp_path, answers), L3)
    flags = "\n".join(result.flags)
    assert "<answer logistic_dJdz> imports course helpers the lesson does not give " \
           "(autograder.losses.bce_with_logits_grad)" in flags
    assert "autograder.losses.batch_cost, autograder.losses.bce_with_logits" in flags
    assert "<answer logistic_gradients> uses the course's numerical differentiator" in flags
    (tmp_path / "honest").mkdir()
    given = "from autograder.activations import sigmoid\n\n"   # what the lesson imports anyway
    honest = verify.verify_submission(_lesson3_with(tmp_path / "honest", {
        "logistic_forward": given + "def logistic_forward(w, b, X):\n"
                                    "    z = w.T @ X + b\n    return z, sigmoid(z)\n"}), L3)
    assert not [f for f in honest.flags if "course" in f or "differentiator" in f]
    # round 4's ways round: a magic first line, an import inside exec, an alias
    (tmp_path / "hidden").mkdir()
    hidden = {
        "logistic_cost": "%matplotlib inline\n" + answers["logistic_cost"],
        "logistic_dJdz": "exec('from autograder.losses import bce_with_logits_grad as "
                         "logistic_dJdz')\n",
        "logistic_gradients": answers["logistic_gradients"].replace(
            "    g = numerical_gradient(", "    g = _d(").replace(
            "def logistic_gradients", "_d = (numerical_gradient)\n\n\ndef logistic_gradients")}
    flags = "\n".join(verify.verify_submission(_lesson3_with(tmp_path / "hidden", hidden),
                                               L3).flags)
    assert "<answer logistic_cost> imports course helpers the lesson does not give" in flags
    assert "<answer logistic_dJdz> names the course's package in an answer" in flags
    assert "<answer logistic_gradients> uses the course's numerical differentiator" in flags


# ---- one registry: grade cells, exercises and seeds --------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_does_every_autograded_grade_cell_map_to_a_registered_exercise(lesson):
    """Is each code grade cell tied to registered exercises (with its adapter resolved), and
    does every registered exercise of the lesson have grade cells?"""
    cells, seeds = verify._grade_cells(lesson, REPO / "course")
    checked = set()
    for grade_id, points, kind, checks in cells:
        if kind == "written":
            continue
        assert checks, f"{grade_id} checks no exercise"
        for check in checks:
            exercise = registry.get(check.exercise_id)
            assert not check.problem and check.function == exercise.function
            assert check.part in ("shape", "values")
            checked.add(check.exercise_id)
    assert checked == {e.id for e in registry.all_exercises() if e.lesson == lesson}
    assert registry.VISIBLE_SEED in seeds and len(seeds) > 1


def test_is_the_grade_cells_adapter_applied_on_the_graders_side():
    """Is lesson 4's two-lists-to-dict adapter found from the grade cell's own import?"""
    from autograder.exercises.lesson04 import named_gradients

    cells, _ = verify._grade_cells("04_generalised_delta", REPO / "course")
    adapters = {c.adapter for _, _, kind, checks in cells for c in checks
                if c.exercise_id.endswith("generalised_backward")}
    assert adapters == {named_gradients}


def test_are_fresh_seeds_secret_reproducible_and_never_the_notebooks_own():
    """Do seeds depend on the secret, repeat with it, differ per exercise and avoid the seeds
    the notebook uses?"""
    first = verify.derive_seeds("s3cret", "a.b", 5)
    assert first == verify.derive_seeds("s3cret", "a.b", 5) and len(set(first)) == 5
    assert first != verify.derive_seeds("other", "a.b", 5)
    assert first != verify.derive_seeds("s3cret", "a.c", 5)
    assert first[0] not in verify.derive_seeds("s3cret", "a.b", 5, exclude={first[0]})


def test_are_the_notebooks_own_seeds_refused():
    """Does asking the verifier to use a visible or hidden seed of the lesson fail loudly?"""
    with pytest.raises(ValueError, match="fresh"):
        verify.verify_submission(REPO / "notebooks" / L2 / f"{L2}.ipynb", L2, seeds=[0])


# ---- the sandbox -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def policy():
    return from_options()


@pytest.fixture
def session(policy):
    """A sandbox of its own, for a test that ends it."""
    with sandbox.Session(policy) as live:
        live.start()
        assert live.alive, live.detail
        yield live


@pytest.fixture(scope="module")
def shared(policy):
    """One sandbox for the tests that only look around in it (each starts in ~0.5 s)."""
    with sandbox.Session(policy) as live:
        live.start()
        assert live.alive, live.detail
        yield live


def _run(session, source):
    outcome = session.exec_cell(source, "<test>", 10)
    assert outcome.status == "ok", outcome.error
    return outcome


def test_does_the_sandbox_answer_calls_and_say_what_went_wrong(shared):
    """Are a result, a raised error, a missing name and a non-function each reported as such,
    with the session still alive?"""
    _run(shared, "def double(x):\n    return 2 * x\n\ndef boom(x):\n    raise KeyError(x)\n"
                  "not_a_function = 3\n")
    answer = shared.call("double", [np.arange(3.0)])
    assert answer.status == "ok" and answer.value.tolist() == [0.0, 2.0, 4.0]
    assert shared.call("boom", [1.0]).status == "raised"
    assert "KeyError" in shared.call("boom", [1.0]).error
    assert shared.call("nothing_here", []).status == "missing"
    assert shared.call("not_a_function", []).status == "not_callable"
    assert shared.alive


def test_does_a_function_argument_call_back_to_the_graders_function(session):
    """Is dJ answered on the grader's side, its errors passed back, its calls bounded?"""
    _run(session, "def descend(dJ, w):\n    return [dJ(w), dJ(w + 1.0)]\n"
                  "def abuse(dJ):\n    while True:\n        dJ(0.0)\n")
    answer = session.call("descend", [lambda w: 3.0 * w, 2.0])
    assert answer.status == "ok" and answer.value == [6.0, 9.0]
    assert session.callbacks_answered == 2
    flooded = session.call("abuse", [lambda w: w], max_callbacks=50)
    assert flooded.status == "protocol" and not session.alive


@pytest.mark.slow
def test_does_a_cooperative_timeout_keep_the_session_and_a_hard_hang_end_it(session):
    """Is a slow cell stopped by its alarm (session alive), and one that ignores the alarm
    ended by the grader's own deadline?"""
    slow = session.exec_cell("while True:\n    pass\n", "<slow>", 0.5)
    assert slow.status == "timeout" and session.alive
    stubborn = session.exec_cell(
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n",
        "<stubborn>", 0.5)
    assert stubborn.status == "timeout" and stubborn.ended_session and not session.alive


def test_does_a_second_reply_end_the_session_and_point_at_its_request(session):
    """Does a reply the grader did not ask for (a forked child, a forged line) end the
    session, with the blame on the request it claims to answer?"""
    first = _run(session, "x = 1\n")
    forged = session.exec_cell(
        "import os\n"
        "for f in [int(n) for n in os.listdir('/proc/self/fd')]:\n"
        "    try:\n"
        f"        os.write(f, b'{{\"op\":\"done\",\"id\":{first.request},\"status\":\"ok\"}}\\n')\n"
        "    except OSError:\n"
        "        pass\n", "<forger>", 5)
    assert forged.ended_session and forged.status == "protocol"
    assert forged.blame == first.request and not session.alive


@pytest.mark.slow
def test_is_a_flood_on_the_channel_stopped(session):
    """Does a line longer than the message limit end the session as 'flooded'?"""
    outcome = session.exec_cell(
        "import os\nfor f in range(3, 20):\n    try:\n        os.write(f, b'A' * (40 * 2 ** 20))"
        "\n    except OSError:\n        pass\n", "<flood>", 20)
    assert outcome.status == "flooded" and not session.alive


def test_does_the_sandbox_look_like_grading_and_hold_nothing_of_the_grader(shared, policy):
    """Is NBGRADER_EXECUTION set as under nbgrader, the checks a stand-in, the reference, the
    registry and the repository out of reach, and the grader's environment not passed on?"""
    _run(shared, f"""
import importlib, os, sys
env = dict(os.environ)
import autograder.checks, autograder.activations, autograder.losses, autograder.gradcheck
import autograder.datasets, autograder.conventions
stub = autograder.checks.check_exercise("anything", None) is None
missing = []
for name in ("autograder.reference", "autograder.exercises", "autograder.mistakes",
             "autograder.pipeline", "autograder.integrity.verify"):
    try:
        importlib.import_module(name)
    except ImportError:
        missing.append(name)
repo_visible = os.path.exists({str(REPO / "course" / "source")!r})
path = list(sys.path)
""")
    _run(shared, "def look():\n    return {'env': env, 'stub': stub, 'missing': missing, "
                  "'repo': repo_visible, 'path': path}\n")
    seen = shared.call("look", []).value
    assert seen["env"]["NBGRADER_EXECUTION"] == "autograde"
    assert "AUTOGRADER_VERIFY_SECRET" not in seen["env"] and "PYTEST_CURRENT_TEST" not in \
        seen["env"]
    assert seen["stub"] and len(seen["missing"]) == 5
    assert not any(str(REPO) == p or p.startswith(str(REPO) + "/autograder")
                   for p in seen["path"])
    if policy.mode == "bubblewrap":
        assert not seen["repo"]


def test_does_bubblewrap_cut_network_and_writes_outside_tmp(shared, policy, needs_bubblewrap):
    """Inside bubblewrap: no network, read-only system folders, a size-capped /tmp, no /etc
    and its own user id."""
    if policy.mode != "bubblewrap":
        pytest.skip("bubblewrap is not used here")
    _run(shared, """
import os, socket
def probe():
    results = {}
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=2)
        results["network"] = True
    except OSError:
        results["network"] = False
    for folder in ("/usr", "/opt/verifier", "/"):
        try:
            open(os.path.join(folder, "x"), "w").write("x")
            results[folder] = True
        except OSError:
            results[folder] = False
    open("/tmp/ok", "w").write("fine")
    results["etc"] = os.path.exists("/etc/passwd")
    results["uid"] = os.getuid()
    return results
""")
    seen = shared.call("probe", []).value
    assert seen == {"network": False, "/usr": False, "/opt/verifier": False, "/": False,
                    "etc": False, "uid": seen["uid"]}
    if policy.own_uid:
        assert users.is_sandbox_uid(seen["uid"])


def test_are_the_resource_limits_in_force(shared, policy):
    """Does the student's code run under the address-space, CPU, file-size, open-file and
    process caps (set so that it cannot raise them)?"""
    _run(shared, "import resource\ndef limits():\n    return {name: list(resource.getrlimit("
                  "getattr(resource, name))) for name in ('RLIMIT_AS', 'RLIMIT_CPU', "
                  "'RLIMIT_FSIZE', 'RLIMIT_NOFILE', 'RLIMIT_NPROC', 'RLIMIT_CORE')}\n")
    seen = shared.call("limits", []).value
    caps = policy.limits("verifier")
    assert seen["RLIMIT_AS"] == [caps["address_space_bytes"]] * 2
    assert seen["RLIMIT_CPU"] == [caps["cpu_seconds"]] * 2
    assert seen["RLIMIT_FSIZE"] == [caps["file_size_bytes"]] * 2
    assert seen["RLIMIT_NOFILE"] == [caps["open_files"]] * 2
    assert seen["RLIMIT_CORE"] == [0, 0]
    if policy.session_uid():
        assert seen["RLIMIT_NPROC"] == [caps["processes"]] * 2


def test_does_the_private_package_hold_only_the_public_modules(tmp_path):
    """Is the sandbox's copy of the package the public modules, a stand-in for the checks and
    nothing else (no reference, no registry, no pipeline)?"""
    folder = sandbox.build_private_package(tmp_path / "pkg")
    names = sorted(p.name for p in (folder / "autograder").iterdir())
    assert names == sorted([f"{m}.py" for m in sandbox.PUBLIC_MODULES] +
                           ["__init__.py", "checks.py"])
    assert "def check_exercise" in (folder / "autograder" / "checks.py").read_text()
    assert "_exercises" not in (folder / "autograder" / "checks.py").read_text()


def test_is_a_public_module_that_imports_a_private_one_refused_even_after_a_check(
        tmp_path, monkeypatch):
    """Once the public modules were found clean (the check is done once per version of their
    files), is a changed module that imports the reference still refused?"""
    sandbox.build_private_package(tmp_path / "clean")
    monkeypatch.setattr(sandbox, "_autograder_imports", lambda path: {"reference"})
    monkeypatch.setattr(sandbox, "_package_signature", lambda: ("a module changed",))
    with pytest.raises(RuntimeError, match="reference"):
        sandbox.build_private_package(tmp_path / "leaking")
    with speedups.baseline(), pytest.raises(RuntimeError, match="reference"):
        sandbox.build_private_package(tmp_path / "leaking-baseline")


def test_does_the_sandbox_start_with_none_of_the_graders_secrets(monkeypatch, policy):
    """Is an environment variable of the grader (a token, the verifier's secret) absent?"""
    monkeypatch.setenv("AUTOGRADER_VERIFY_SECRET", "do-not-leak")
    monkeypatch.setenv("SOME_TOKEN", "do-not-leak")
    with sandbox.Session(policy) as live:
        live.start()
        _run(live, "import os\ndef env():\n    return dict(os.environ)\n")
        seen = live.call("env", []).value
    assert "do-not-leak" not in json.dumps(seen)


# ---- the result: min(in-kernel, verified) ------------------------------------------------------

def _result(**cells):
    result = verify.VerificationResult("nb.ipynb", L2, "test")
    for grade_id, verified in cells.items():
        kind = "written" if verified is None else "autograded"
        result.grade_cells[grade_id] = verify.GradeCellOutcome(grade_id, 2.0, kind,
                                                               verified=verified,
                                                               reason="because")
    return result


def test_is_the_kept_score_the_lower_of_kernel_and_verification():
    """Does a confirmed cell keep its in-kernel score, an unconfirmed one get 0, and a written
    answer or an unknown cell keep the kernel's score?"""
    result = _result(ok=True, bad=False, essay=None)
    assert result.capped_score("ok", 2.0) == 2.0 and result.capped_score("ok", 1.0) == 1.0
    assert result.capped_score("bad", 2.0) == 0.0 and result.capped_score("bad", 0.0) == 0.0
    assert result.capped_score("essay", 3.0) == 3.0
    assert result.capped_score("unknown", 1.0) == 1.0
    assert result.unverified_cells() == {"essay": "because"}


def test_does_a_disagreement_put_the_submission_on_the_review_list():
    """Are points in the kernel that the verification does not confirm (and the reverse)
    listed with the grade cell and the reason, and flags passed on?"""
    result = _result(ok=True, bad=False)
    result.flags.append("cell <added x> uses IPython hooks")
    reasons = result.review_reasons({"ok": 0.0, "bad": 2.0})
    assert any(r.startswith("bad: 2 point(s) in the kernel, not confirmed") for r in reasons)
    assert any(r.startswith("ok: 0 points in the kernel although") for r in reasons)
    assert "cell <added x> uses IPython hooks" in reasons
    assert _result(ok=True).review_reasons({"ok": 2.0}) == []


def _processes(uid):
    """Pids of the processes run by ``uid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _stat_fields(pid):
    """The fields of /proc/PID/stat after the command name (which may hold spaces)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _family(pid):
    """``pid`` and every process descended from it."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                parents[int(entry.name)] = int(_stat_fields(entry.name)[1])
        except (OSError, IndexError, ValueError):
            continue
    family, children = {pid}, {pid}
    while children:
        children = {p for p, parent in parents.items() if parent in children} - family
        family |= children
    return family


def _alive(pids):
    """Those of ``pids`` still running (a zombie has ended)."""
    alive = []
    for pid in pids:
        try:
            if _stat_fields(pid)[0] != "Z":
                alive.append(pid)
        except (OSError, IndexError):
            continue
    return alive


def test_does_the_verifier_leave_no_process_or_file_behind(policy):
    """After a session that forked a detached, sleeping child, is nothing of it still running
    and its scratch folder gone?"""
    with sandbox.Session(policy) as live:
        live.start()
        scratch = live.scratch
        _run(live, "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\n"
                   "    os._exit(0)\n")
        running = _family(live.process.pid) | set(_processes(live.uid) if live.uid else [])
        assert len(running) >= 2  # the sandbox's process and the detached child, at least
    assert not scratch.exists()
    assert _alive(running) == []


def test_is_a_session_limited_to_its_own_resources_when_run_as_root():
    """Does each session get a user id of its own when the grader is root (so the process
    limit counts the sandbox alone)?"""
    if os.getuid() != 0:
        pytest.skip("not root: sessions keep the grader's user id")
    uids = {users.new_uid() for _ in range(16)}
    assert len(uids) == 16 and all(users.is_sandbox_uid(uid) for uid in uids)


def test_does_the_students_feedback_quote_no_message_of_the_verifier():
    """Is the student's feedback on an unconfirmed cell status words only (messages, which may
    quote the fresh inputs, stay with the instructor)?"""
    result = _result(bad=False, ok=True)
    result.grade_cells["bad"].checks = [("02_hidden_layer.hidden_forward", "values")]
    result.exercises["02_hidden_layer.hidden_forward"] = verify.ExerciseOutcome(
        "02_hidden_layer.hidden_forward", "hidden_forward", "failed",
        message="`hidden_forward` raised ValueError: X = [[0.123, 4.56]]")
    text = result.feedback_text("bad")
    assert "failed" in text and "0.123" not in text and "ValueError" not in text
    assert result.feedback_text("ok") == ""


def test_is_a_cell_longer_than_the_grader_reads_not_parsed_and_its_answer_not_confirmed(
        tmp_path):
    """Red team round 5: an 8 MB cell took the grader's parser (ast, symtable) to 4.4 GiB and
    220 s. A student cell over MAX_CELL_CHARS is never parsed: it is replaced by one that
    raises, so an answer in it is not confirmed, and the cell is flagged; a correct answer
    elsewhere is unaffected, and the whole run stays small and quick."""
    import resource
    import time

    from autograder.integrity.student_code import MAX_CELL_CHARS

    padding = "_pad = [" + "0, " * (MAX_CELL_CHARS * 4 // 3) + "]\n"
    path = _lesson3_with(tmp_path, {"logistic_dJdz": padding + (
        "def logistic_dJdz(z, y):\n    return sigmoid(z) - y\n")})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    result = verify.verify_submission(path, L3)
    assert time.monotonic() - started < 120
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 300
    assert result.exercises[f"{L3}.logistic_dJdz"].status != "passed"
    assert result.exercises[f"{L3}.logistic_forward"].status == "passed", result.summary()
    assert any("longer than the grader reads" in flag for flag in result.flags)


def test_are_complex_step_and_hand_written_difference_quotients_flagged(tmp_path):
    """Red team round 5: a complex-step logistic_gradients (20/20) and hand-written centred
    differences (19/19) earned every point unmentioned. They still pass (their values are
    right); each answer is now on the review list with what it does."""
    answers = {
        "logistic_gradients": "def logistic_gradients(w, b, X, y):\n"
                              "    step = 1e-20\n    dw = np.zeros_like(w)\n"
                              "    for k in range(w.shape[0]):\n"
                              "        e = np.zeros(w.shape, dtype=complex)\n"
                              "        e[k, 0] = step * 1j\n"
                              "        z = (w + e).T @ X + b\n"
                              "        cost = np.mean(np.log(1 + np.exp(z)) - y * z)\n"
                              "        dw[k, 0] = cost.imag / step\n"
                              "    z = w.T @ X + b\n"
                              "    return dw, float(np.mean(sigmoid(z) - y))\n",
        "logistic_dJdz": "def logistic_dJdz(z, y):\n    h = 1e-6\n"
                         "    f = lambda t: np.logaddexp(0, t) - y * t\n"
                         "    return (f(z + h) - f(z - h)) / (2 * h) / z.shape[1]\n"}
    result = verify.verify_submission(_lesson3_with(tmp_path, answers), L3)
    flags = "\n".join(result.flags)
    assert "<answer logistic_gradients> computes with complex numbers" in flags
    assert "<answer logistic_dJdz> divides a difference by a small step" in flags


def test_is_an_answer_rebuilt_from_the_references_compiled_code_flagged(tmp_path):
    """A kernel can no longer print the reference's source (autograder.sandbox.lesson_scope),
    but it runs its compiled code, which a cell can dump and a resubmission load back. Such an
    answer passes (its values are right) and is on the review list with what it does."""
    import marshal

    def logistic_dJdz(z, y):
        return np.exp(-np.logaddexp(0, -z)) - y

    blob = base64.b64encode(marshal.dumps(logistic_dJdz.__code__)).decode()
    answer = ("import base64 as _b, marshal as _m, types as _t\n"
              f"logistic_dJdz = _t.FunctionType(_m.loads(_b.b64decode('{blob}')), globals())\n")
    result = verify.verify_submission(_lesson3_with(tmp_path, {"logistic_dJdz": answer}), L3)
    assert result.exercises[f"{L3}.logistic_dJdz"].status == "passed", result.summary()
    assert any("<answer logistic_dJdz> builds code from data" in flag for flag in result.flags)


def test_do_the_review_flags_spare_every_correct_answer_we_have():
    """No correct answer of the four blind corpora (written by authors who saw only the
    student notebooks) nor of the solutions is flagged by the two derivative rules or by any
    of the patterns of suspicious code."""
    import json
    import re

    from autograder.integrity.verify import _COMPLEX, _QUOTIENT, _SMALL_STEP, _SUSPICIOUS

    def flagged(code):
        return bool(_COMPLEX.search(code) or (_SMALL_STEP.search(code) and _QUOTIENT.search(code))
                    or any(re.search(pattern, code, flags=re.MULTILINE)
                           for pattern, _ in _SUSPICIOUS))

    corpus = REPO / "tests" / "blind_corpus"
    sources = [(manifest.parent / r["file"]).read_text()
               for manifest in corpus.glob("*/*/manifest.json")
               for r in json.loads(manifest.read_text()) if r["correct"]]
    for lesson in LESSONS:
        nb = _solution(lesson)
        sources += [c.source for c in nb.cells if c.cell_type == "code"
                    and c.metadata.get("nbgrader", {}).get("solution")]
    assert len(sources) > 250
    assert not [s for s in sources if flagged(s)]
