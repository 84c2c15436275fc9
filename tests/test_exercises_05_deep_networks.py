"""Tests of the exercises of lesson 5 (autograder/exercises/lesson05.py).

Does the reference pass every check? Does every registered mistake fail with a message that names
it, on the worked example and on every hidden seed? Does a hard-coded answer fail the hidden
tests? Do the inputs have the properties that keep the mistakes apart?
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


def _ids(pairs):
    return [f"{ex.function}-{wrong.key}" for ex, wrong in pairs]


def _as_arrays(result):
    """A result as a list of float64 arrays (dict values, tuple items or one array)."""
    if isinstance(result, dict):
        values = result.values()
    elif isinstance(result, tuple):
        values = result
    else:
        values = [result]
    return [np.asarray(v, dtype=np.float64) for v in values]


def _same(a, b):
    a, b = _as_arrays(a), _as_arrays(b)
    return len(a) == len(b) and all(x.shape == y.shape and np.allclose(x, y, rtol=1e-6,
                                                                          atol=1e-9)
                                    for x, y in zip(a, b))


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


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_the_reference_pass_every_check(exercise, capsys):
    """Does the reference pass the shape and value checks, visible and hidden?"""
    for part in ("shape", "values"):
        check_exercise(exercise.id, exercise.reference, part=part)  # raises if it fails
        check_exercise(exercise.id, exercise.reference, part=part,
                       seeds=lesson05.HIDDEN_SEEDS, hidden=True)
    assert capsys.readouterr().out.count("\u2714") == 4


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_ids(MISTAKES))
def test_does_each_mistake_differ_from_the_reference_on_every_seed(exercise, wrong):
    """Is every mistake distinguishable from the right answer on every visible and hidden seed?"""
    for seed in SEEDS:
        right = exercise.reference(*exercise.inputs(seed).values())
        assert not _same(wrong.fn(*exercise.inputs(seed).values()), right), seed


@pytest.mark.parametrize("exercise, wrong", MISTAKES, ids=_ids(MISTAKES))
def test_does_each_mistake_fail_with_a_message_that_names_it(exercise, wrong):
    """Does check_exercise reject every mistake, naming it and its section, visible and hidden?"""
    with pytest.raises(CheckFailed) as visible:
        check_exercise(exercise.id, wrong.fn, quiet=True)
    assert wrong.message in str(visible.value)
    assert "Where to look: Section" in str(visible.value)
    for seed in lesson05.HIDDEN_SEEDS:
        with pytest.raises(CheckFailed) as hidden:
            check_exercise(exercise.id, wrong.fn, seeds=[seed], hidden=True, quiet=True)
        assert wrong.message in str(hidden.value)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_a_hard_coded_answer_fail_the_hidden_tests(exercise):
    """Does returning the worked example's answer pass visibly but fail every hidden seed?"""
    answer = exercise.reference(*exercise.inputs(VISIBLE_SEED).values())

    def hard_coded(*args):
        return answer

    check_exercise(exercise.id, hard_coded, quiet=True)  # passes on the worked example
    for seed in lesson05.HIDDEN_SEEDS:
        with pytest.raises(CheckFailed):
            check_exercise(exercise.id, hard_coded, seeds=[seed], hidden=True, quiet=True)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_does_an_unanswered_exercise_say_it_is_not_written_yet(exercise):
    """Does a function that raises NotImplementedError get the 'not written yet' message?"""
    def unanswered(*args):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not written yet"):
        check_exercise(exercise.id, unanswered, part="shape")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.function)
def test_is_the_visible_example_different_from_every_hidden_one(exercise):
    """Does every hidden seed draw inputs different from the worked example's?"""
    def first_array(inputs):
        return next(v for v in inputs.values() if isinstance(v, np.ndarray)) \
            if any(isinstance(v, np.ndarray) for v in inputs.values()) \
            else next(iter(inputs["params"].values()))

    visible = first_array(exercise.inputs(VISIBLE_SEED))
    for seed in lesson05.HIDDEN_SEEDS:
        hidden = first_array(exercise.inputs(seed))
        assert hidden.shape != visible.shape or not np.allclose(hidden, visible)


@pytest.mark.parametrize("seed", SEEDS)
def test_do_the_inputs_separate_the_mistakes(seed):
    """Are neighbouring sizes different, several examples drawn, activations smooth (not ReLU)?"""
    inputs = get(f"{LESSON}.mlp_backward").inputs(seed)
    params = inputs["params"]
    L = ref.n_layers(params)
    sizes = [params["W1"].shape[1]] + [params[f"W{j}"].shape[0] for j in range(1, L + 1)]
    assert L >= 2 and all(a != b for a, b in zip(sizes[:-1], sizes[1:]))
    assert inputs["Y"].shape[1] >= 4
    assert set(inputs["activations"][:-1]) <= {"sigmoid", "tanh"}
    assert all(np.abs(params[f"b{j}"]).min() > 0 for j in range(1, L + 1))
    jac = get(f"{LESSON}.jacobian_backward").inputs(seed)
    assert jac["jacobians"][-1].shape[0] == 1 and len(jac["jacobians"]) >= 2


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
