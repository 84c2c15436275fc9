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
