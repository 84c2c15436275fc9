"""Does the out-of-kernel verifier grade each exercise on its own, as the grade cells do?

The student's earlier functions are replaced by right answers served from the grader's side
(over the channel) while a later function is verified; a function that changes its arguments in
place, or returns booleans where floats are asked for, fails out of kernel as in the kernel.
Each test checks the grade cells (in process, :mod:`tests.blind_corpus.harness`) and the
verifier on the same submission, so the two cannot drift apart.
"""
import sys

import nbformat
import pytest

from autograder.integrity import verify
from layout import REPO, TESTS

sys.path.insert(0, str(TESTS / "blind_corpus"))
import harness  # noqa: E402

L2, L3, L5 = "02_hidden_layer", "03_logistic_regression", "05_deep_networks"

WRONG_LAYER_BACKWARD = '''
def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    return delta @ F_prev.T / n, delta.sum(axis=1) / n, (W.T @ delta) * J_prev
'''
MLP_BACKWARD_REUSING = '''
def mlp_backward(params, cache, Y, activations, loss):
    L = len(params) // 2
    delta = cache[f"F{L}"] - Y
    if loss != "bce":
        delta = delta * cache[f"J{L}"]
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        dW, db, delta = layer_backward(delta, params[f"W{j}"], cache[f"F{j - 1}"],
                                       J_prev if J_prev is not None else 0.0 * cache["F0"])
        grads[f"dW{j}"], grads[f"db{j}"] = SIGN * dW, db
    return grads
'''
IN_PLACE_GD_STEP = '''
def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    dW2, db2 = output_layer_gradients(params, X, y, activation)
    dW1, db1 = hidden_layer_gradients(params, X, y, activation)
    for name, g in (("W1", dW1), ("b1", db1), ("W2", dW2), ("b2", db2)):
        params[name] -= lr * g
    return params
'''
BOOL_PREDICT = '''
def logistic_predict(w, b, X):
    return w.T @ X + b >= 0
'''


def _submission(tmp_path, lesson, answers):
    """The lesson's solution notebook with answer cells replaced ({grade_id: source})."""
    nb = nbformat.read(REPO / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    path = tmp_path / f"{lesson}.ipynb"
    nbformat.write(nb, path)
    return path


def _kernel(lesson, answers):
    """{exercise function: (points lost, messages)} from the grade cells, in process."""
    lost = {}
    for score in harness.score_answer(lesson, "\n".join(answers.values())):
        name = score.exercise_id.split(".", 1)[1]
        points, messages = lost.get(name, (0.0, []))
        lost[name] = (points + score.max_points - score.points,
                      messages + ([score.message] if score.message else []))
    return lost


def test_is_a_later_function_not_charged_for_an_earlier_ones_bug(tmp_path):
    """With a `layer_backward` missing keepdims, do mlp_backward, minibatch_gradient and
    sgd_epoch (which reach it through the student's mlp_backward) keep every point, in the
    grade cells and out of kernel, while layer_backward loses its own?"""
    answers = {"layer_backward": WRONG_LAYER_BACKWARD,
               "mlp_backward": MLP_BACKWARD_REUSING.replace("SIGN", "1.0")}
    kernel = _kernel(L5, answers)
    assert kernel["layer_backward"][0] > 0
    assert {n: p for n, (p, _) in kernel.items() if n != "layer_backward"} == {
        n: 0.0 for n in kernel if n != "layer_backward"}
    result = verify.verify_submission(_submission(tmp_path, L5, answers), L5)
    statuses = {o.function: o.status for o in result.exercises.values()}
    assert statuses.pop("layer_backward") == "failed"
    assert set(statuses.values()) == {"passed"}, result.summary()
    assert "layer_backward" in result.exercises[f"{L5}.mlp_backward"].calls


def test_does_a_wrong_function_say_once_that_its_own_upstream_function_fails(tmp_path):
    """Does a wrong mlp_backward that calls a wrong layer_backward lose its points for its own
    bug and say, in one line, that layer_backward fails its own test (kernel and verifier)?"""
    answers = {"layer_backward": WRONG_LAYER_BACKWARD,
               "mlp_backward": MLP_BACKWARD_REUSING.replace("SIGN", "-1.0")}
    line = "This also calls your `layer_backward`, which fails its own test: fix that first."
    points, messages = _kernel(L5, answers)["mlp_backward"]
    assert points > 0 and all(m.count(line) == 1 for m in messages)
    result = verify.verify_submission(_submission(tmp_path, L5, answers), L5)
    outcome = result.exercises[f"{L5}.mlp_backward"]
    assert outcome.status == "failed" and outcome.message.count(line) == 1


@pytest.mark.parametrize("lesson, answers, expected", [
    (L2, {"hidden_gd_step": IN_PLACE_GD_STEP}, "changed its argument(s) `params` in place"),
    (L3, {"logistic_predict": BOOL_PREDICT}, "holds booleans"),
], ids=["params changed in place", "booleans for floats"])
def test_do_the_kernel_and_the_verifier_refuse_the_same_breach_of_the_contract(
        tmp_path, lesson, answers, expected):
    """Does an answer with right values that changes the caller's dict, or returns booleans
    where the docstring asks for floats, lose its points in the kernel and out of kernel?"""
    (name,) = answers
    points, messages = _kernel(lesson, answers)[name]
    assert points > 0 and expected in messages[0]
    result = verify.verify_submission(_submission(tmp_path, lesson, answers), lesson)
    outcome = result.exercises[f"{lesson}.{name}"]
    assert outcome.status == "failed" and expected in outcome.message, result.summary()


# --- what a submission can make the grader's side do (red-team findings) -----------------------

ORDERED_LAYER_BACKWARD = '''
from collections import namedtuple
Grads = namedtuple("Grads", "dW db delta_prev")

def layer_backward(delta, W, F_prev, J_prev):
    n = delta.shape[1]
    delta_prev = None if J_prev is None else (W.T @ delta) * J_prev
    return Grads(delta @ F_prev.T / n, delta.sum(axis=1, keepdims=True) / n, delta_prev)
'''
ORDERED_MLP_BACKWARD = MLP_BACKWARD_REUSING.replace("SIGN", "1.0").replace(
    "    grads = {}", "    from collections import OrderedDict\n    grads = OrderedDict()")
HUGE_JACOBIAN_FIRST = '''
def jacobian_backward(params, layer_inputs, jacobians):
    elementwise_jacobian(np.zeros(20_000), "sigmoid")   # a 20000 x 20000 matrix, if served
    raise RuntimeError("unreachable when the grader refuses the call")
'''
LONG_DESCENT_FIRST = '''
def logistic_predict(w, b, X):
    logistic_gradient_descent(X, np.zeros((1, X.shape[1])), 0.1, 10 ** 9)
    return (w.T @ X + b >= 0).astype(float)
'''


def test_are_an_ordered_dict_and_a_namedtuple_confirmed_as_the_grade_cells_accept_them(
        tmp_path):
    """Right answers returned as a namedtuple (layer_backward) and an OrderedDict
    (mlp_backward) keep their points in the grade cells and out of kernel alike."""
    answers = {"layer_backward": ORDERED_LAYER_BACKWARD, "mlp_backward": ORDERED_MLP_BACKWARD}
    kernel = _kernel(L5, answers)
    assert kernel["layer_backward"][0] == 0 and kernel["mlp_backward"][0] == 0, kernel
    result = verify.verify_submission(_submission(tmp_path, L5, answers), L5)
    statuses = {o.function: o.status for o in result.exercises.values()}
    assert statuses["layer_backward"] == statuses["mlp_backward"] == "passed", result.summary()


@pytest.mark.parametrize("lesson, answers, function", [
    (L5, {"jacobian_backward": HUGE_JACOBIAN_FIRST}, "jacobian_backward"),
    (L3, {"logistic_predict": LONG_DESCENT_FIRST}, "logistic_predict"),
])
def test_does_the_grader_refuse_to_serve_a_stand_in_on_inputs_far_beyond_the_lessons(
        tmp_path, lesson, answers, function):
    """An earlier exercise's right answer runs in the grading process, outside the sandbox:
    called on an array of 20000 entries (a 3 GB Jacobian) or with 10**9 iterations, it is not
    run there (the student's own version runs instead, inside the sandbox's limits): the
    exercise loses its points within seconds and the grading process stays small."""
    import resource
    import time

    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    result = verify.verify_submission(_submission(tmp_path, lesson, answers), lesson)
    assert time.monotonic() - started < 120
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mib < 1024, f"the grading process grew by {grown_mib:.0f} MiB"
    assert result.exercises[f"{lesson}.{function}"].status != "passed"


def test_is_a_served_stand_in_bounded_by_its_own_exercises_sizes():
    """Does the grader's stand-in for elementwise_jacobian refuse an array 100 times larger
    than its worked example's (and above the floor), and a stand-in with a huge iteration
    count refuse it, saying why; and serve the lesson's own sizes?"""
    import numpy as np

    from autograder import exercises as registry

    served = verify._served_answers(registry.get(f"{L5}.jacobian_backward"), set())
    jacobian = served["elementwise_jacobian"]
    assert jacobian(np.zeros(5), "sigmoid").shape == (5, 5)
    with pytest.raises(ValueError, match="stands in for yours only on inputs"):
        jacobian(np.zeros(20_000), "sigmoid")
    served = verify._served_answers(registry.get(f"{L3}.logistic_predict"), set())
    descent = served["logistic_gradient_descent"]
    X, y = np.ones((2, 3)), np.zeros((1, 3))
    with pytest.raises(ValueError, match="whole numbers up to"):
        descent(X, y, 0.1, 10 ** 9)


def test_does_the_bound_count_lists_and_whole_floats_too():
    """A list of 20000 numbers (np.zeros(n).tolist()) and an iteration count written as a
    float (9e6) are refused like an array and an int (a second red-team round)."""
    import numpy as np

    from autograder import exercises as registry

    served = verify._served_answers(registry.get(f"{L5}.jacobian_backward"), set())
    with pytest.raises(ValueError, match="stands in for yours only on inputs"):
        served["elementwise_jacobian"](np.zeros(20_000).tolist(), "sigmoid")
    served = verify._served_answers(registry.get(f"{L3}.logistic_predict"), set())
    with pytest.raises(ValueError, match="whole numbers up to"):
        served["logistic_gradient_descent"](np.ones((1, 1)), np.ones((1, 1)), 0.1, 9e6)
    X, y = np.ones((2, 3)), np.zeros((1, 3))
    assert served["logistic_gradient_descent"](X, y, 0.5, 5) is not None


def test_does_the_bound_refuse_arrays_with_more_axes_than_the_lesson_uses():
    """Red team round 5: three arrays of N numbers with different axes broadcast to N^3 entries
    inside the grader (hidden_delta((N,1,1,1), (1,1,N,1), (N,1,1,1,1)): 8.5 GiB at N = 650).
    A stand-in takes at most the axes of its worked example's arguments (at least 2)."""
    import numpy as np

    from autograder import exercises as registry

    served = verify._served_answers(registry.get(f"{L5}.jacobian_backward"), set())
    jacobian = served["elementwise_jacobian"]
    with pytest.raises(ValueError, match="at most 2 axes"):
        jacobian(np.zeros((5, 1, 1)), "sigmoid")
    with pytest.raises(ValueError, match="at most 2 axes"):
        jacobian([[[0.0]] * 3] * 3, "sigmoid")          # nested lists stack into axes too
    assert jacobian(np.zeros(5), "sigmoid").shape == (5, 5)
    for exercise in registry.all_exercises():
        served = verify._served_answers(exercise, set())
        if "hidden_delta" in served:
            with pytest.raises(ValueError, match="axes"):
                served["hidden_delta"](np.ones((50, 1, 1, 1)), np.ones((1, 1, 50, 1)),
                                       np.ones((50, 1, 1, 1, 1)))
            break
    else:
        pytest.fail("no exercise is served hidden_delta")
