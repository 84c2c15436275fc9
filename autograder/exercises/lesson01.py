"""Exercises of lesson 01_single_neuron: gradient descent and the single neuron (seeds 003, 000).

Five functions the student writes, each with its reference in :mod:`autograder.reference.descent`
or :mod:`autograder.reference.neuron` and the wrong variants the checks recognise. The student's
neuron functions use the sigmoid and take no ``activation`` argument, so the registered
references fix it. Inputs are built so that every variant differs from the reference on the
worked example and on any seed: several iterations, a bias far from 0, inputs ``x`` far from 1
(so that a missing or extra factor ``x`` shows), and labels of both classes.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..curves import parabola_slope
from ..mistakes import learning_rate_mistakes, mistake
from ..reference import descent
from ..reference import neuron as ref
from . import Exercise, register

LESSON = "01_single_neuron"

#: Seeds of the hidden test cases in the lesson's grade cells (visible = 0).
HIDDEN_SEEDS = (11, 12, 13)

# Section titles of the lesson, quoted in feedback ("Where to look: ...").
S_DOWNHILL = "Section 2, 'Which way is downhill?'"
S_GD_1D = "Section 3, 'Gradient descent with one parameter'"
S_FORWARD = "Section 5, 'The single neuron'"
S_CHAIN = "Section 6, 'The chain rule for one neuron'"
S_SGD = "Section 7, 'Stochastic gradient descent'"
S_BATCH = "Section 8, 'Full-batch gradient descent'"

# The student's neuron uses the sigmoid: the references take the student's positional arguments.
neuron_forward = partial(ref.neuron_forward, activation="sigmoid")
neuron_example_gradients = partial(ref.neuron_example_gradients, activation="sigmoid")
neuron_sgd_step = partial(ref.neuron_sgd_step, activation="sigmoid")
neuron_gd_step = partial(ref.neuron_gd_step, activation="sigmoid")


# ---- input builders ----------------------------------------------------------------------------

def _signed(rng, low, high):
    """A float of size in [low, high] and random sign."""
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(low, high))


def _observations(rng, n):
    """``n`` inputs with |x| in [0.3, 0.7] or [1.5, 2.5]: never near 1 (x is a chain factor)."""
    sizes = np.where(rng.random(n) < 0.5, rng.uniform(0.3, 0.7, n), rng.uniform(1.5, 2.5, n))
    return rng.choice([-1.0, 1.0], size=n) * sizes


def _balanced_labels(rng, n):
    """0/1 targets, shape (n,), with both classes present."""
    return (rng.permutation(n) % 2).astype(np.float64)


def _descent_1d_inputs(rng):
    """A parabola, a start 1.5-3 away from its minimum, lr * curvature in [0.2, 0.6]."""
    curvature, minimum = rng.uniform(0.5, 2.0), rng.uniform(-2.0, 2.0)
    return {"dJ": parabola_slope(curvature, minimum),
            "w0": minimum + _signed(rng, 1.5, 3.0),
            "lr": rng.uniform(0.2, 0.6) / curvature,
            "n_iter": int(rng.integers(4, 10))}


def input_case(seed):
    """``make_inputs`` keywords for a seed: the edge inputs the docstrings name.

    The worked example (seed 0) keeps its draw. Seeds 1 mod 4 add two observations whose
    pre-activations are exactly +800 and -800 (where exp(z) overflows: a sigmoid written as
    e^z / (1 + e^z) gives nan there); seeds 2 mod 4 pass x (and y) as one float, as the
    docstrings allow, so a float must come back as a float.
    """
    if seed == 0:
        return {}
    return {"edges": seed % 4 == 1, "scalar": seed % 4 == 2}


def _with_edges(w, b, x):
    """``x`` with two observations appended where z = w x + b is exactly +800 and -800
    (w is a power of two, so the divisions are exact; b is a multiple of 1/64)."""
    return np.concatenate([x, [(800.0 - b) / w, (-800.0 - b) / w]])


def _forward_inputs(rng, edges=False, scalar=False):
    w, b, x = _signed(rng, 0.5, 2.0), _signed(rng, 0.5, 1.5), _observations(rng, 6)
    if edges:
        w, b = float(np.sign(w) * 2.0 ** np.round(np.log2(abs(w)))), np.round(b * 64) / 64
        x = _with_edges(w, b, x)
    return {"w": w, "b": b, "x": float(x[0]) if scalar else x}


def _gradients_inputs(rng, edges=False, scalar=False):
    w, b, x = _signed(rng, 0.5, 1.5), _signed(rng, 0.5, 1.5), _observations(rng, 6)
    y = _balanced_labels(rng, 6)
    if edges:
        w, b = float(np.sign(w) * 2.0 ** np.round(np.log2(abs(w)))), np.round(b * 64) / 64
        x, y = _with_edges(w, b, x), np.concatenate([y, [0.0, 1.0]])
    if scalar:
        return {"w": w, "b": b, "x": float(x[0]), "y": float(y[0])}
    return {"w": w, "b": b, "x": x, "y": y}


def _sgd_inputs(rng):
    """One observation the neuron gets wrong (|y_hat - y| > 1/2) with |z| < 3.7.

    A saturated sigmoid (large |z|) or a nearly right prediction would make the step so small
    that updating w before computing db would change db by less than the checks can see.
    """
    w, b, x_i = _signed(rng, 0.5, 1.2), _signed(rng, 0.3, 1.0), _signed(rng, 1.5, 2.2)
    return {"w": w, "b": b, "x_i": x_i, "y_i": float(w * x_i + b < 0.0),
            "lr": rng.uniform(0.5, 1.5)}


def _gd_inputs(rng):
    return {"w": _signed(rng, 0.5, 1.5), "b": _signed(rng, 0.5, 1.5), "x": _observations(rng, 8),
            "y": _balanced_labels(rng, 8), "lr": rng.uniform(0.5, 1.5)}


# ---- wrong variants: gradient_descent_1d -------------------------------------------------------


def _descent_1d_stale_slope(dJ, w0, lr, n_iter):
    """The slope evaluated once, at w0, and reused: w_k = w0 - k lr dJ(w0)."""
    return float(w0) - lr * float(dJ(float(w0))) * np.arange(int(n_iter) + 1)


def _descent_1d_without_start(dJ, w0, lr, n_iter):
    return descent.gradient_descent_1d(dJ, w0, lr, n_iter)[1:]


def _descent_1d_final_only(dJ, w0, lr, n_iter):
    return float(descent.gradient_descent_1d(dJ, w0, lr, n_iter)[-1])


# ---- wrong variants: neuron_forward ------------------------------------------------------------

def _forward_no_bias(w, b, x):
    return neuron_forward(w, 0.0, x)


def _forward_swapped(w, b, x):
    z, a = neuron_forward(w, b, x)
    return a, z


def _forward_no_activation(w, b, x):
    z, _ = neuron_forward(w, b, x)
    return z, z


# ---- wrong variants: neuron_example_gradients --------------------------------------------------

def _chain(w, b, x, y, slope_of_h, dz_dw=None, dz_db=None):
    """(dL/dy_hat * slope_of_h(z, a) * dz_dw, ... * dz_db) with planted factors."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    z = w * x + b
    a = sigmoid(z)
    dL_dz = (a - y) * slope_of_h(z, a)
    dz_dw = x if dz_dw is None else dz_dw
    dz_db = np.ones_like(x) if dz_db is None else dz_db
    return dL_dz * dz_dw, dL_dz * dz_db


def _sigma_prime(z, a):
    return sigmoid_prime(z)


def _gradients_flipped(w, b, x, y):
    dw, db = neuron_example_gradients(w, b, x, y)
    return -dw, -db


def _gradients_sigma_for_sigma_prime(w, b, x, y):
    return _chain(w, b, x, y, lambda z, a: a)


def _gradients_sigma_prime_at_a(w, b, x, y):
    return _chain(w, b, x, y, lambda z, a: sigmoid_prime(a))


def _gradients_without_x(w, b, x, y):
    return _chain(w, b, x, y, _sigma_prime, dz_dw=np.ones_like(np.asarray(x, dtype=np.float64)))


def _gradients_without_h_prime(w, b, x, y):
    return _chain(w, b, x, y, lambda z, a: np.ones_like(z))


def _gradients_bias_times_x(w, b, x, y):
    return _chain(w, b, x, y, _sigma_prime, dz_db=np.asarray(x, dtype=np.float64))


# ---- wrong variants: neuron_sgd_step -----------------------------------------------------------


def _sgd_without_x(w, b, x_i, y_i, lr):
    dw, db = _gradients_without_x(w, b, x_i, y_i)
    return w - lr * float(dw), b - lr * float(db)


def _sgd_bias_times_x(w, b, x_i, y_i, lr):
    dw, db = _gradients_bias_times_x(w, b, x_i, y_i)
    return w - lr * float(dw), b - lr * float(db)


def _sgd_sequential(w, b, x_i, y_i, lr):
    """w is updated first, and db is then computed with the new w."""
    dw, _ = neuron_example_gradients(w, b, x_i, y_i)
    new_w = w - lr * dw
    _, db = neuron_example_gradients(new_w, b, x_i, y_i)
    return new_w, b - lr * db


# ---- wrong variants: neuron_gd_step ------------------------------------------------------------

def _gd_with(w, b, lr, dw, db):
    return float(w - lr * dw), float(b - lr * db)


def _gd_last_example_only(w, b, x, y, lr):
    """A loop that overwrites dw, db for each example instead of adding them up."""
    dw, db = neuron_example_gradients(w, b, x, y)
    return _gd_with(w, b, lr, dw[-1], db[-1])


def _gd_product_of_means(w, b, x, y, lr):
    """mean(dL/dz) * mean(x) for dw: the mean of a product is not the product of the means."""
    _, dL_dz = neuron_example_gradients(w, b, x, y)
    return _gd_with(w, b, lr, np.mean(dL_dz) * np.mean(x), np.mean(dL_dz))


# ---- the exercises -----------------------------------------------------------------------------

EXERCISES = (
    Exercise(
        id=f"{LESSON}.gradient_descent_1d",
        function="gradient_descent_1d",
        reference=descent.gradient_descent_1d,
        make_inputs=_descent_1d_inputs,
        outputs=("path",),
        where=S_GD_1D,
        mistakes=(
            *learning_rate_mistakes(descent.gradient_descent_1d, S_GD_1D, S_DOWNHILL),
            mistake("stale_slope", _descent_1d_stale_slope, where=S_GD_1D,
                    message="every step uses the slope at the start, dJ(w0): the slope changes "
                            "as w moves, so evaluate dJ at the current w inside the loop"),
            mistake("path_off_by_one", _descent_1d_without_start, where=S_GD_1D,
                    message="the path has n_iter entries; it needs n_iter + 1: the starting point "
                            "w0 first, then the value after each of the n_iter updates"),
            mistake("final_value_only", _descent_1d_final_only, where=S_GD_1D,
                    message="only the last w came back; return the whole path, an array of "
                            "n_iter + 1 values starting with w0"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.neuron_forward",
        function="neuron_forward",
        reference=neuron_forward,
        make_inputs=_forward_inputs,
        case=input_case,
        outputs=("z", "a"),
        where=S_FORWARD,
        mistakes=(
            mistake("forgotten_bias", _forward_no_bias, where=S_FORWARD),
            # Before the swap: a student's a = z also matches the swapped variant's second output.
            mistake("forgotten_activation", _forward_no_activation, where=S_FORWARD,
                    message="a equals z: the activation is not applied; a = sigma(z)"),
            mistake("wrong_output", _forward_swapped, where=S_FORWARD,
                    message="z and a are swapped: return the linear predictor z = w x + b first, "
                            "then the activation a = sigma(z)"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.neuron_example_gradients",
        function="neuron_example_gradients",
        reference=neuron_example_gradients,
        make_inputs=_gradients_inputs,
        case=input_case,
        outputs=("dw", "db"),
        where=S_CHAIN,
        mistakes=(
            mistake("opposite_sign", _gradients_flipped, where=S_CHAIN,
                    message="the sign is flipped: dL/dy_hat is y_hat - y (not y - y_hat) for "
                            "L = 1/2 (y_hat - y)^2"),
            mistake("sigma_for_sigma_prime", _gradients_sigma_for_sigma_prime, where=S_CHAIN),
            mistake("sigma_prime_at_a", _gradients_sigma_prime_at_a, where=S_CHAIN),
            mistake("forgotten_chain_factor", _gradients_without_x, where=S_CHAIN,
                    message="dw is missing the factor dz/dw = x: the chain rule for w has three "
                            "factors, dL/dy_hat * h'(z) * x"),
            mistake("forgotten_h_prime", _gradients_without_h_prime, where=S_CHAIN,
                    message="the factor h'(z) = sigma'(z) is missing: y_hat = sigma(z), so "
                            "dy_hat/dz = sigma'(z) sits between dL/dy_hat and dz/dw (or dz/db)"),
            mistake("dz_db_not_one", _gradients_bias_times_x, where=S_CHAIN,
                    message="db was multiplied by x: z = w x + b grows one-for-one with b, so "
                            "dz/db = 1 and db = dL/dy_hat * h'(z) * 1"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.neuron_sgd_step",
        function="neuron_sgd_step",
        reference=neuron_sgd_step,
        make_inputs=_sgd_inputs,
        outputs=("w", "b"),
        where=S_SGD,
        mistakes=(
            *learning_rate_mistakes(neuron_sgd_step, S_SGD, S_DOWNHILL),
            mistake("forgotten_chain_factor", _sgd_without_x, where=S_CHAIN,
                    message="the step for w is missing the factor x_i: dL/dw = dL/dy_hat * "
                            "h'(z) * x_i"),
            mistake("dz_db_not_one", _sgd_bias_times_x, where=S_CHAIN,
                    message="the step for b was multiplied by x_i: dz/db = 1, so "
                            "dL/db = dL/dy_hat * h'(z)"),
            mistake("sequential_update", _sgd_sequential, where=S_SGD,
                    message="db was computed after w had already moved: compute both gradients "
                            "at the current (w, b), then update both"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.neuron_gd_step",
        function="neuron_gd_step",
        reference=neuron_gd_step,
        make_inputs=_gd_inputs,
        outputs=("w", "b"),
        where=S_BATCH,
        mistakes=(
            *learning_rate_mistakes(neuron_gd_step, S_BATCH, S_DOWNHILL, examples=("x", -1)),
            mistake("forgotten_batch_sum", _gd_last_example_only, where=S_BATCH,
                    message="only the last example moved the parameters, as when a loop "
                            "overwrites dw and db instead of adding them up: every example must "
                            "contribute to the mean"),
            mistake("product_of_means", _gd_product_of_means, where=S_BATCH,
                    message="dw is mean(dL/dz) * mean(x); it should be mean(dL/dz * x), the "
                            "mean of the per-example products (the mean of a product is not the "
                            "product of the means)"),
        ),
    ),
)

register(*EXERCISES)
