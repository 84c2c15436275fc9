"""Exercises of lesson 6, "Mini-batch SGD, batch size, and a digit classifier" (seed 001).

Examples are columns and batch gradients are means (:mod:`autograder.conventions`); the
mathematics is :mod:`autograder.reference.mlp`. The networks are drawn as in lesson 5 (the helpers
of :mod:`autograder.exercises.lesson05`: neighbouring layer sizes differ, several examples,
nonzero biases, smooth activations), with a number of examples that the batch size does not
divide, so a dropped last batch shows.
"""
from __future__ import annotations

import numpy as np

from ..mistakes import learning_rate_mistakes, mistake
from ..reference import mlp as ref
from ..reference.update import gradient_step
from . import Exercise, register
from .lesson05 import _network_and_data, output_layer_first

LESSON = "06_minibatch_sgd"

SECTION_MINIBATCH = "Section 1, 'Mini-batches: an unbiased, noisy gradient'"
SECTION_SGD = "Section 2, 'Mini-batch SGD and the batch size'"

#: Seeds of the hidden tests in the lesson's grade cells (the worked example is seed 0).
HIDDEN_SEEDS = (601, 602, 603, 604)


# ----------------------------------------------------------------------------- inputs
def _minibatch_inputs(rng, with_lr=False):
    params, X, Y, activations, loss = _network_and_data(rng, depth_range=(1, 3),
                                                        n_range=(9, 14))
    n = X.shape[1]
    batch_size = int(rng.integers(3, 6))
    while n % batch_size == 0:  # an incomplete last batch must exist
        batch_size += 1
    inputs = {"params": params, "X": X, "Y": Y, "activations": activations, "loss": loss}
    if with_lr:
        inputs["lr"] = float(rng.uniform(0.1, 0.5))
    inputs["batch_size"] = batch_size
    inputs["rng"] = _distinguishing_generator(rng, n, batch_size)
    return inputs


def _distinguishing_generator(rng, n, batch_size):
    """A Generator whose first batch differs as a set from a with-replacement draw and from
    the second draw (so the 'with_replacement' and 'unpaired_sample' mistakes always show)."""
    while True:
        seed = int(rng.integers(1, 2**31))
        draws = np.random.default_rng(seed)
        first = np.sort(draws.choice(n, size=batch_size, replace=False))
        second = np.sort(draws.choice(n, size=batch_size, replace=False))
        again = np.sort(np.random.default_rng(seed).choice(n, size=batch_size, replace=True))
        if not np.array_equal(first, again) and not np.array_equal(first, second):
            return np.random.default_rng(seed)


def _sgd_epoch_inputs(rng):
    return _minibatch_inputs(rng, with_lr=True)


# ----------------------------------------------------------------------------- wrong variants
def _minibatch_variant(kind):
    def wrong(params, X, Y, activations, loss, batch_size, rng):
        n = X.shape[1]
        if kind == "full":
            return ref.mlp_gradients(params, X, Y, activations, loss)
        if kind == "replace":
            idx = rng.choice(n, size=batch_size, replace=True)
            return ref.mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
        if kind == "other_draw":
            idx = rng.permutation(n)[:batch_size]
            return ref.mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
        idx_x = rng.choice(n, size=batch_size, replace=False)
        idx_y = rng.choice(n, size=batch_size, replace=False)
        return ref.mlp_gradients(params, X[:, idx_x], Y[:, idx_y], activations, loss)
    return wrong


def _sgd_epoch_variant(kind):
    def wrong(params, X, Y, activations, loss, lr, batch_size, rng):
        n = X.shape[1]
        if kind == "one_step":
            return gradient_step(params, ref.mlp_gradients(params, X, Y, activations, loss), lr)
        order = np.arange(n) if kind == "no_shuffle" else rng.permutation(n)
        stop = n - n % batch_size if kind == "drop_last" else n
        for start in range(0, stop, batch_size):
            batch = order[start:start + batch_size]
            grads = ref.mlp_gradients(params, X[:, batch], Y[:, batch], activations, loss)
            params = gradient_step(params, grads, lr)
        return params
    return wrong


# ----------------------------------------------------------------------------- messages
WITH_REPLACEMENT = (
    "the batch is drawn with replacement (an example may appear twice); draw it without "
    "replacement, idx = rng.choice(n, size=batch_size, replace=False)"
)
UNPAIRED = (
    "inputs and targets come from two different draws, so x_i meets another example's target: "
    "draw one index array and take the same columns of X and Y (the formula in 'CSCI 5525 "
    "Machine Learning, Lecture 10: Neural Networks (Part 2)' writes F(x_i) next to y'_i where "
    "both should carry the prime)"
)
OTHER_DRAW = (
    "this is the gradient of a batch drawn another way, rng.permutation(n)[:batch_size]: as "
    "uniform as the docstring's draw, but the grader replays idx = rng.choice(n, "
    "size=batch_size, replace=False) to compare exact numbers, so draw it that way"
)
FULL_BATCH = (
    "this is the gradient on the whole data set: no mini-batch was drawn"
)
NO_SHUFFLE = (
    "the examples are visited in their stored order: shuffle first with "
    "order = rng.permutation(n), then cut order into consecutive batches"
)
ONE_STEP = (
    "this is one full-batch gradient step; an epoch takes one step per mini-batch, "
    "ceil(n / batch_size) steps in all"
)
DROP_LAST = (
    "the last, smaller batch is skipped: when batch_size does not divide n, the remaining "
    "examples still form one final batch"
)


# ----------------------------------------------------------------------------- exercises
def _register():
    minibatch_gradient = Exercise(
        id=f"{LESSON}.minibatch_gradient",
        function="minibatch_gradient",
        reference=output_layer_first(ref.minibatch_gradient),
        student_form=ref.minibatch_gradient,
        make_inputs=_minibatch_inputs,
        outputs=("grads",),
        where=SECTION_MINIBATCH,
        mistakes=(
            mistake("with_replacement", _minibatch_variant("replace"), SECTION_MINIBATCH,
                    message=WITH_REPLACEMENT),
            mistake("unpaired_sample", _minibatch_variant("unpaired"), SECTION_MINIBATCH,
                    message=UNPAIRED),
            mistake("full_batch", _minibatch_variant("full"), SECTION_MINIBATCH,
                    message=FULL_BATCH),
            mistake("other_draw", _minibatch_variant("other_draw"), SECTION_MINIBATCH,
                    message=OTHER_DRAW),
        ),
    )
    sgd_epoch = Exercise(
        id=f"{LESSON}.sgd_epoch",
        function="sgd_epoch",
        reference=ref.sgd_epoch,
        make_inputs=_sgd_epoch_inputs,
        outputs=("params",),
        where=SECTION_SGD,
        mistakes=(
            *learning_rate_mistakes(ref.sgd_epoch, SECTION_SGD),
            mistake("no_shuffle", _sgd_epoch_variant("no_shuffle"), SECTION_SGD,
                    message=NO_SHUFFLE),
            mistake("one_step_per_epoch", _sgd_epoch_variant("one_step"), SECTION_SGD,
                    message=ONE_STEP),
            mistake("dropped_last_batch", _sgd_epoch_variant("drop_last"), SECTION_SGD,
                    message=DROP_LAST),
        ),
    )
    register(minibatch_gradient, sgd_epoch)


_register()
