"""The message first: a failing check shows the student's message, not a traceback through the
package, in an executed notebook and on the feedback page, and the cell still scores 0.

IPython prints what an exception's ``_render_traceback_()`` returns in place of the traceback;
``CheckFailed`` returns the message (and, when the student's own code raised, the frames of
that code). The slow tests run real kernels: nbclient on a notebook built here, and
``python -m autograder grade`` on a tiny lesson whose grade cells call ``check_exercise``.
"""
import csv
import re
import subprocess
import sys

import nbformat
import nbformat.v4 as v4
import numpy as np
import pytest

from autograder.checks import CheckFailed, check_exercise
from layout import REPO

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# What a traceback through the package would show; none of it may reach the student.
TRACEBACK_MARKS = ("Traceback (most recent call last)", "autograder/checks.py", "site-packages",
                   "check_exercise(", "_compare_parts", "compare_result")

WRONG_FORWARD = '''def neuron_forward(w, b, x):
    """z = w x + b and a = z: the activation is forgotten."""
    z = w * x + b
    return z, z
'''
RAISING_FORWARD = '''def neuron_forward(w, b, x):
    z = w * x + b
    return z, sigmoid_of(z)
'''
CHECK = 'check_exercise("01_single_neuron.neuron_forward", neuron_forward, part="values")'


def _plain(lines):
    return ANSI.sub("", "\n".join(lines))


# --- the rendering itself (no kernel) ----------------------------------------------------------

def test_is_the_rendered_traceback_the_message_alone():
    """Does _render_traceback_ return every line of the message, and nothing else?"""
    error = CheckFailed("`a` is wrong.\nThis looks like a known mistake: X.\nWhere to look: Y.")
    lines = error._render_traceback_()
    assert _plain(lines) == "\u2718 `a` is wrong.\nThis looks like a known mistake: X.\n" \
                            "Where to look: Y."


def test_does_an_error_in_the_students_code_keep_only_the_students_frames():
    """When the student's function raised, does the message come first, then the student's
    frames, and none of the package's?"""
    def neuron_forward(w, b, x):
        return w * x + b, undefined_name  # noqa: F821

    with pytest.raises(CheckFailed) as caught:
        check_exercise("01_single_neuron.neuron_forward", neuron_forward, part="values")
    text = _plain(caught.value._render_traceback_())
    assert text.startswith("\u2718 `neuron_forward` raised NameError")
    assert "in neuron_forward" in text and "undefined_name" in text
    assert "NameError: name 'undefined_name' is not defined" in text
    assert "checks.py" not in text and "_call" not in text
    assert text.index("The traceback below points at") < text.index("Traceback of your code")
    assert text.index("Traceback of your code") < text.index("in neuron_forward")


def test_does_a_shape_error_name_the_students_line_in_plain_words():
    """numpy's "could not be broadcast" names neither the line nor the cause: does the message
    name the student's line, the two shapes and what to check, before numpy's own words?"""
    def hidden_forward(params, X, activation="sigmoid"):
        # entry by entry where W1 @ X was meant
        Z1 = params["W1"] * X + params["b1"]
        return Z1, Z1, Z1

    with pytest.raises(CheckFailed) as caught:
        check_exercise("02_hidden_layer.hidden_forward", hidden_forward, part="values")
    text = _plain(caught.value._render_traceback_())
    assert "The shapes do not fit: line" in text and "`Z1 = params[\"W1\"] * X + params[\"b1\"]`" in text
    assert text.index("The shapes do not fit") < text.index("raised ValueError")
    assert caught.value.located


def test_is_a_matmul_mismatch_explained_as_inner_sizes():
    """An @ whose inner sizes differ: does the message say which sizes and what must match?"""
    from autograder.checks import shape_error_message

    try:
        np.ones((2, 3)) @ np.ones((2, 3))
    except ValueError as error:
        message = shape_error_message(error, "f")
    assert "inner sizes differ (2 against 3)" in message
    assert shape_error_message(ValueError("something else"), "f") == ""
    assert shape_error_message(TypeError("operands could not be broadcast together with shapes"
                                         " (2,) (3,)"), "f") == ""


def test_does_the_rendering_never_raise():
    """A message whose str() breaks: is the fall-back a line, not an exception in IPython?"""
    class Odd(CheckFailed):
        def __str__(self):
            raise RuntimeError("broken")

    try:
        lines = Odd("x")._render_traceback_()
    except Exception as error:  # pragma: no cover - the failure this test is for
        pytest.fail(f"_render_traceback_ raised {error!r}")
    assert isinstance(lines, list) and all(isinstance(line, str) for line in lines)


# --- a real kernel (nbclient) ------------------------------------------------------------------

@pytest.mark.slow
def test_does_an_executed_notebook_show_the_message_alone_and_score_0(tmp_path):
    """In a notebook run by nbclient, is a failing check's output an error (so nbgrader scores
    the cell 0) whose traceback is the message, with no line of the package's traceback?"""
    from nbclient import NotebookClient
    from nbgrader.utils import determine_grade

    grade = {"nbgrader": {"grade": True, "grade_id": "t", "locked": True, "points": 2,
                          "schema_version": 3, "solution": False, "task": False}}
    nb = v4.new_notebook(cells=[
        v4.new_code_cell("from autograder.checks import check_exercise\n" + WRONG_FORWARD),
        v4.new_code_cell(CHECK, metadata=grade),
        v4.new_code_cell(RAISING_FORWARD),
        v4.new_code_cell(CHECK, metadata=grade),
    ])
    NotebookClient(nb, allow_errors=True, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for index in (1, 3):
        cell = nb.cells[index]
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert len(errors) == 1 and errors[0].ename == "CheckFailed", cell.outputs
        assert determine_grade(cell) == (0, 2)
        text = _plain(errors[0].traceback)
        for mark in TRACEBACK_MARKS:
            assert mark not in text, (mark, text)
        assert not [o for o in cell.outputs if o.get("name") == "stderr"]
    named = _plain(nb.cells[1].outputs[0].traceback)
    assert named.startswith("\u2718 `a` returned by `neuron_forward`")
    assert "This looks like a known mistake: a equals z" in named and "Where to look:" in named
    raised = _plain(nb.cells[3].outputs[0].traceback)
    assert "Traceback of your code" in raised and "Cell In[" in raised
    assert "return z, sigmoid_of(z)" in raised and "NameError" in raised


# --- the feedback page (python -m autograder grade) --------------------------------------------

LESSON = "00_message_first"
SOURCE = f'''# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %%
import numpy as np
from autograder.activations import sigmoid
from autograder.checks import check_exercise

# %% nbgrader={{"grade": false, "grade_id": "neuron_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}}
def neuron_forward(w, b, x):
    """z = w x + b and a = sigmoid(z)."""
    ### BEGIN SOLUTION
    z = w * x + b
    return z, sigmoid(z)
    ### END SOLUTION

# %% nbgrader={{"grade": true, "grade_id": "neuron_forward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}}
"""Are z and a right?"""
{CHECK}
### BEGIN HIDDEN TESTS
check_exercise("01_single_neuron.neuron_forward", neuron_forward, part="values", seeds=[5],
               hidden=True)
### END HIDDEN TESTS
'''


@pytest.mark.slow
def test_does_the_feedback_page_show_the_message_without_a_traceback(tmp_path):
    """Graded by `python -m autograder grade`: does the feedback page of a wrong answer hold
    the named mistake and "Where to look", none of the package's traceback, and is the cell
    scored 0?"""
    from tiny_course import build_one_lesson

    course, nb = build_one_lesson(tmp_path, LESSON, SOURCE)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    answer.source = WRONG_FORWARD
    folder = tmp_path / "submitted" / "ada" / LESSON
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{LESSON}.ipynb")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(tmp_path / "submitted"), "--out",
         str(out), "--course", str(course), "--no-verify", "--workers", "1"],
        cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out / "scores.csv", newline="") as handle:
        rows = {r["grade_id"]: r for r in csv.DictReader(handle)}
    assert float(rows["neuron_forward_values"]["score"]) == 0.0
    page = (out / "feedback" / "ada" / f"{LESSON}.html").read_text()
    text = re.sub(r"<[^>]+>", "", page).replace("&#39;", "'").replace("&#x27;", "'")
    assert "This looks like a known mistake: a equals z" in text, text[-3000:]
    assert "Where to look:" in text
    for mark in TRACEBACK_MARKS[:3]:
        assert mark not in text, mark


# --- what the messages print: the lesson's own worked example, the lesson's own words ----------

def _lesson_definition(lesson, name):
    """Execute one top-level ``def`` of a lesson's source (with numpy) and return it."""
    import numpy as np

    source = (REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
    block = re.search(rf"^def {name}\(.*?(?=^\S)", source, re.M | re.S)
    assert block, f"no def {name} in {lesson}"
    namespace = {"np": np}
    exec(block.group(0), namespace)  # noqa: S102 - the course's own source
    return namespace[name]


def test_are_the_visible_inputs_of_lesson_4_the_lessons_worked_example():
    """Do lesson 4's visible checks use the network the lesson builds (make_network(m=5,
    seed=4): x of shape (5, 2)), not m = 7 examples drawn from seed 0, so a student can
    reproduce every printed number? And do hidden tests still draw fresh sizes?"""
    import numpy as np

    from autograder.exercises import get
    from autograder.reference import delta_rule as ref

    x, t, w, b1, u, b2 = _lesson_definition("04_generalised_delta", "make_network")(m=5, seed=4)
    lesson = {"x": x, "t": t, "w": w, "b1": b1, "u": u, "b2": b2}
    forward = ref.delta_forward(x, w, b1, u, b2)
    delta_out = ref.output_delta(forward["y"], t)
    expected = {
        "delta_gradients": lesson, "fixed_backward": lesson,
        "output_delta": {"y": forward["y"], "t": t},
        "output_weight_gradient": {"h": forward["h"], "delta_out": delta_out},
        "hidden_delta": {"delta_out": delta_out, "u": u, "h": forward["h"]},
    }
    for name, inputs in expected.items():
        visible = get(f"04_generalised_delta.{name}").inputs()
        assert list(visible) == list(inputs), name
        for key, value in inputs.items():
            np.testing.assert_array_equal(visible[key], value, err_msg=f"{name}: {key}")
    hidden = {get("04_generalised_delta.delta_gradients").inputs(seed)["x"].shape[0]
              for seed in (401, 402, 403)}
    assert hidden != {5} or len(hidden) > 1


def test_does_no_message_use_a_label_the_lessons_do_not_use():
    """Do the mistakes' messages and "where" texts avoid the seed-item labels (S1-S12: "slip
    S5") that only the course's design documents use?"""
    from autograder.exercises import all_exercises

    lessons = "\n".join(p.read_text() for p in (REPO / "course" / "source").glob("*/*.py"))
    used = set(re.findall(r"\bS\d{1,2}\b", lessons))
    found = []
    for exercise in all_exercises():
        for text in [exercise.where] + [part for m in exercise.mistakes
                                        for part in (m.message, m.where)]:
            found += [(exercise.id, label) for label in re.findall(r"\bS\d{1,2}\b", text)
                      if label not in used]
    assert not found, found


@pytest.mark.parametrize("exercise_id", ["01_single_neuron.neuron_forward",
                                         "02_hidden_layer.hidden_forward",
                                         "04_generalised_delta.output_delta"])
def test_can_a_student_reproduce_the_printed_numbers_from_the_message(exercise_id):
    """Does a visible failure say how to get its inputs, and does running that line give
    exactly the expected values the message printed?"""
    import numpy as np

    from autograder import exercises
    from autograder.checks import _format_array

    exercise = exercises.get(exercise_id)

    def wrong(*args):
        result = exercise.reference(*args)
        if isinstance(result, dict):
            return {key: value + 1.0 for key, value in result.items()}
        if isinstance(result, tuple):
            return tuple(value + 1.0 for value in result)
        return result + 1.0

    with pytest.raises(CheckFailed) as caught:
        check_exercise(exercise_id, wrong, part="values")
    message = str(caught.value)
    line = re.search(r"`(\w+\(\*\*worked_example\(\"[\w.]+\"\)\))`", message)
    assert line and "from autograder.exercises import worked_example" in message, message
    namespace = {"worked_example": exercises.worked_example, exercise.function:
                 exercise.reference}
    reproduced = eval(line.group(1), namespace)  # noqa: S307 - the line the message prints
    name, printed = re.search(r"expected (\S+) = (.*?)\n  yours", message, re.S).groups()
    value = reproduced[name] if isinstance(reproduced, dict) else (
        reproduced[exercise.outputs.index(name)] if isinstance(reproduced, tuple)
        else reproduced)
    assert _format_array(np.asarray(value, dtype=np.float64)) == printed
