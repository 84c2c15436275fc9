"""What is particular to the exercises of lesson 5 (autograder/exercises/lesson05.py): the seven
mistakes of the capstone, inputs that keep them apart, both losses, gradients by key.

What every lesson's exercises must do is checked for all lessons at once by
tests/lessons/test_lesson_contract.py.
"""
import numpy as np
import pytest

from autograder.checks import CheckFailed, check_exercise
from autograder.exercises import VISIBLE_SEED, all_exercises, get
from autograder.exercises import lesson05
from autograder.reference import mlp as ref

LESSON = lesson05.LESSON
EXERCISES = [ex for ex in all_exercises() if ex.lesson == LESSON]
SEEDS = (VISIBLE_SEED, *lesson05.HIDDEN_SEEDS)
MISTAKES = [(ex, wrong) for ex in EXERCISES for wrong in ex.mistakes]


def test_are_all_five_exercises_registered():
    """Does the lesson register the five exercises its notebook grades?"""
    assert sorted(ex.function for ex in EXERCISES) == sorted([
        "layer_forward", "elementwise_jacobian", "jacobian_backward", "layer_backward",
        "mlp_backward"])


def test_do_the_mistakes_include_the_seven_the_lesson_promises():
    """Are the capstone's registered mistakes the seven the brief lists?"""
    keys = {wrong.key for wrong in get(f"{LESSON}.mlp_backward").mistakes}
    assert keys == {"missing_transpose", "sum_not_mean", "sigma_for_sigma_prime",
                    "sigma_prime_at_a", "wrong_layer_activation", "opposite_sign",
                    "forgotten_batch_sum"}


@pytest.mark.parametrize("seed", SEEDS)
def test_do_the_inputs_separate_the_mistakes(seed):
    """Are neighbouring sizes different, several examples drawn, activations smooth (not ReLU,
    save the seeds that exercise ReLU hidden layers: the others separate sigma'(a))?"""
    inputs = get(f"{LESSON}.mlp_backward").inputs(seed)
    params = inputs["params"]
    L = ref.n_layers(params)
    sizes = [params["W1"].shape[1]] + [params[f"W{j}"].shape[0] for j in range(1, L + 1)]
    assert L >= 2 and all(a != b for a, b in zip(sizes[:-1], sizes[1:]))
    assert inputs["Y"].shape[1] >= 4
    hidden = set(inputs["activations"][:-1])
    assert hidden <= {"sigmoid", "tanh"} or (seed % 4 == 3 and hidden == {"relu"})
    assert all(np.abs(params[f"b{j}"]).min() > 0 for j in range(1, L + 1))
    jac = get(f"{LESSON}.jacobian_backward").inputs(seed)
    assert jac["jacobians"][-1].shape[0] == 1 and len(jac["jacobians"]) >= 2


def test_do_the_hidden_seeds_cover_every_activation_and_the_edges():
    """Do the hidden seeds of layer_forward and elementwise_jacobian use every activation the
    lesson offers, each with a pre-activation exactly 0 and one of size ~800, and does one
    hidden seed of layer_backward check the first layer (J_prev None)?"""
    for name in ("layer_forward", "elementwise_jacobian"):
        exercise = get(f"{LESSON}.{name}")
        seen = set()
        for seed in lesson05.HIDDEN_SEEDS:
            inputs = exercise.inputs(seed)
            seen.add(inputs["activation"])
            z = inputs["z"] if "z" in inputs else inputs["W"] @ inputs["F_prev"] + inputs["b"]
            assert (z == 0.0).any() and np.abs(z).max() > 300, (name, seed)
        assert seen == set(lesson05.ACTIVATIONS), (name, seen)
    firsts = [get(f"{LESSON}.layer_backward").inputs(seed)["J_prev"] is None
              for seed in lesson05.HIDDEN_SEEDS]
    assert any(firsts) and not all(firsts)


def test_does_a_first_layer_that_returns_a_delta_fail():
    """Does a layer_backward that returns W^T delta where J_prev is None (the first layer) lose
    the hidden values check, with a message naming the boundary case?"""
    def no_none(delta, W, F_prev, J_prev):
        if J_prev is not None:
            return ref.layer_backward(delta, W, F_prev, J_prev)
        dW, db, _ = ref.layer_backward(delta, W, F_prev, np.ones_like(F_prev))
        return dW, db, W.T @ delta

    with pytest.raises(CheckFailed, match="should be None") as failure:
        check_exercise(f"{LESSON}.layer_backward", no_none, seeds=lesson05.HIDDEN_SEEDS,
                       hidden=True, quiet=True)
    assert failure.value.mistake == "boundary_condition"


def test_do_the_hidden_seeds_cover_both_losses():
    """Do the capstone's hidden tests use both the squared error and the cross-entropy?"""
    losses = {get(f"{LESSON}.mlp_backward").inputs(seed)["loss"]
              for seed in lesson05.HIDDEN_SEEDS}
    assert losses == {"squared_error", "bce"}


def test_does_the_capstone_report_the_output_layer_first():
    """Are the capstone's gradients checked from the output layer down (dWL first)?"""
    exercise = get(f"{LESSON}.mlp_backward")
    grads = exercise.reference(*exercise.inputs(VISIBLE_SEED).values())
    L = len(grads) // 2
    assert list(grads)[:2] == [f"dW{L}", f"db{L}"] and list(grads)[-1] == "db1"


def test_does_a_student_returning_gradients_in_any_key_order_pass():
    """Is a dict in the natural order dW1, db1, ... accepted (keys, not order, matter)?"""
    check_exercise(f"{LESSON}.mlp_backward", ref.mlp_backward, quiet=True)


def test_is_a_missing_gradient_key_named():
    """Does a dict without dbL get a message naming the missing key?"""
    def no_last_bias(params, cache, Y, activations, loss):
        grads = ref.mlp_backward(params, cache, Y, activations, loss)
        grads.pop(f"db{ref.n_layers(params)}")
        return grads

    with pytest.raises(CheckFailed, match="has no key"):
        check_exercise(f"{LESSON}.mlp_backward", no_last_bias, part="shape")


def test_is_a_cross_entropy_delta_through_dl_dF_caught_on_a_saturated_output():
    """Does a delta computed as (F - Y) / (F (1 - F)) times F'(Z), equal on paper, fail on the
    hidden seed whose sigmoid output is exactly 1.0 (0/0 there), named unstable_numerics?"""
    def through_dl_dF(params, cache, Y, activations, loss):
        L = len(activations)
        F, J = cache[f"F{L}"], cache[f"J{L}"]
        with np.errstate(divide="ignore", invalid="ignore"):
            dl_dF = (F - Y) / (F * (1 - F)) if loss == "bce" else F - Y
        return ref.backward_from_delta(params, cache, dl_dF * J)

    inputs = get("05_deep_networks.mlp_backward").inputs(501)
    output = inputs["cache"][f"F{len(inputs['activations'])}"]
    assert inputs["loss"] == "bce" and np.any(output == 1.0)
    with pytest.raises(CheckFailed) as caught:
        check_exercise("05_deep_networks.mlp_backward", through_dl_dF, seeds=[501], hidden=True,
                       quiet=True)
    assert caught.value.mistake == "unstable_numerics"
