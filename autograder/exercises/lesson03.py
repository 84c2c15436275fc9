"""Exercises of lesson 03_logistic_regression: logistic regression, vectorised (seed 003).

Six functions the student writes, each with its reference in :mod:`autograder.reference.logistic`
and the wrong variants that the checks recognise. Inputs are built so that every variant differs
from the reference on the worked example and on any seed: more examples than features, a bias
far from 0, labels of both classes, and (for the cost) two examples with huge logits.
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..losses import batch_cost, bce_with_logits, binary_cross_entropy
from ..mistakes import learning_rate_mistakes, mistake
from ..reference import logistic as ref
from . import Exercise, register

LESSON = "03_logistic_regression"

#: Seeds of the hidden test cases in the lesson's grade cells (visible = 0).
HIDDEN_SEEDS = (31, 32, 33)

# Section titles of the lesson, quoted in feedback ("Where to look: ...").
S_FORWARD = "Section 4, 'The forward pass of logistic regression'"
S_COST = "Section 5, 'The cost written in z'"
S_DJDZ = "Section 6, 'The derivative with respect to z'"
S_GRADIENTS = "Section 7, 'From dJ/dz to every parameter'"
S_SIGN = "Section 9, 'A lost minus sign'"
S_DESCENT = "Section 10, 'Gradient descent and prediction'"


# ---- input builders ----------------------------------------------------------------------------

def _bias(rng):
    """A bias of size 0.5-1.5 and random sign: leaving it out must change every answer."""
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(0.5, 1.5))


def _balanced_labels(rng, m):
    """0/1 labels, shape (1, m), with both classes present."""
    return (rng.permutation(m) % 2).astype(np.float64).reshape(1, m)


def _columns_with_logits(rng, w, b, z):
    """Examples X (p, m) whose logits w^T X + b are exactly ``z`` (plus noise orthogonal to w)."""
    w = w.reshape(-1, 1)
    norm2 = float(np.sum(w * w))
    noise = rng.normal(size=(w.shape[0], z.size))
    noise -= w @ (w.T @ noise) / norm2                   # remove the component along w
    return noise + w @ (z.reshape(1, -1) - b) / norm2


def edge_case(seed):
    """``make_inputs`` keywords for a seed: odd seeds add two examples with logits of +800 and
    -800 (where exp(z) overflows: a sigmoid written as e^z / (1 + e^z) gives nan there); the
    worked example (seed 0) keeps its draw."""
    return {"edges": seed % 2 == 1}


def _forward_inputs(rng, edges=False):
    w, b, X = rng.normal(size=(3, 1)), _bias(rng), rng.normal(size=(3, 5))
    if edges:  # columns along w with w^T x + b = +800 and -800
        along = w / (w.T @ w).item()
        X = np.hstack([X, along * (800.0 - b), along * (-800.0 - b)])
    return {"w": w, "b": b, "X": X}


def _cost_inputs(rng):
    """Seven examples; the last three have huge logits (+50 right, -800 and +800 wrong).

    With ``y = 1``: ``z ~ +50`` has loss ~ e^-50 (a rounds to 1, so (1 - y) log(1 - a) is 0 * -inf)
    and ``z ~ -800`` has loss ~ 800 (a rounds to 0, log(a) = -inf; clipping a gives ~27.6).
    The effect of the bias on the cost can cancel between examples; draws where leaving it out
    changes the cost by less than 0.1 % are redrawn (deterministically, from the same ``rng``).
    """
    while True:
        w, b = rng.normal(size=(3, 1)), _bias(rng)
        z = np.concatenate([rng.normal(0.0, 2.0, size=4),
                            [rng.uniform(40.0, 60.0), -rng.uniform(750.0, 900.0), 800.0]])
        # the last: z = +800 with y = 0, loss 800: log(1 + exp(z)) overflows to inf there
        y = np.concatenate([_balanced_labels(rng, 4), [[1.0, 1.0, 0.0]]], axis=1)
        X = _columns_with_logits(rng, w, b, z)
        cost = ref.logistic_cost(w, b, X, y)
        if abs(_cost_no_bias(w, b, X, y) - cost) > 1e-3 * cost:
            return {"w": w, "b": b, "X": X, "y": y}


def _dJdz_inputs(rng, edges=False):
    z, y = rng.normal(0.0, 2.0, size=(1, 6)), _balanced_labels(rng, 6)
    if edges:  # confidently wrong both ways: dJ/dz is +1 and -1 there
        z, y = np.hstack([z, [[800.0, -800.0]]]), np.hstack([y, [[0.0, 1.0]]])
    return {"z": z, "y": y}


def _gradients_inputs(rng):
    return {"w": rng.normal(size=(3, 1)), "b": _bias(rng), "X": rng.normal(size=(3, 7)),
            "y": _balanced_labels(rng, 7)}


def _descent_inputs(rng):
    X = rng.normal(size=(2, 12))
    y = (X[:1] - 0.5 * X[1:] + 0.8 * rng.normal(size=(1, 12)) > 0).astype(np.float64)
    y[0, :2] = (0.0, 1.0)                                   # both classes, whatever the draw
    return {"X": X, "y": y, "lr": 0.5, "n_iter": 8, "w0": 0.5 * rng.normal(size=(2, 1)),
            "b0": 0.5 * _bias(rng)}


def _predict_inputs(rng):
    """Logits chosen so that leaving out b and thresholding z at 1/2 flip different examples.

    Example A has z in (0, 1/2): only a threshold on z (instead of on a) flips it, and, when
    b > 0, leaving out b flips it too. Example B is flipped by leaving out b alone: z = b/2 when
    b < 0; z between 1/2 and b when b > 0. So the two mistakes never give the same labels.
    """
    w = rng.normal(size=(2, 1))
    # w_0 a power of two (same sign, about the same size): x_0 = -b / w_0 is then exact, and so
    # is the logit 0 of the last example (see _column_at_logit_zero)
    w[0, 0] = np.sign(w[0, 0]) * 2.0 ** np.round(np.log2(max(abs(w[0, 0]), 0.1)))
    b = float(rng.choice([-1.0, 1.0]) * rng.uniform(0.7, 1.5))
    z_a = rng.uniform(0.05, 0.45)
    z_b = b / 2.0 if b < 0 else (0.5 + b) / 2.0
    others = rng.uniform(-3.0, 3.0, size=6)
    z = np.concatenate([[z_a, z_b], others])
    X = _columns_with_logits(rng, w, b, rng.permutation(z))
    return {"w": w, "b": b, "X": np.concatenate([X, _column_at_logit_zero(w, b)], axis=1)}


def _column_at_logit_zero(w, b):
    """An example whose logit w^T x + b is exactly 0.0 in float64 (so a = 1/2 exactly).

    The docstring's rule is "1 where a >= 1/2": ``z > 0`` or ``round(sigmoid(z))`` (which rounds
    1/2 to 0) get this example wrong. x = (x_0, 0, ..., 0) with x_0 * w_0 = -b exactly.
    """
    x = np.zeros((w.shape[0], 1))
    x[0, 0] = -b / float(w[0, 0])  # exact: w_0 is a power of two
    if float((w.T @ x + b)[0, 0]) == 0.0:
        return x
    raise AssertionError("no float64 x_0 gives a logit of exactly 0")


# ---- wrong variants ----------------------------------------------------------------------------

def _logits_without_bias(w, X):
    return np.asarray(w).T @ np.asarray(X)


def _forward_no_bias(w, b, X):
    z = _logits_without_bias(w, X)
    return z, sigmoid(z)


def _forward_transposed(w, b, X):
    z = np.asarray(X).T @ np.asarray(w) + b                  # (m, 1): one row per example
    return z, sigmoid(z)


def _cost_sum(w, b, X, y):
    return float(np.sum(bce_with_logits(ref.logistic_logits(w, b, X), y)))


def _cost_log_likelihood(w, b, X, y):
    return -ref.logistic_cost(w, b, X, y)


def _cost_no_bias(w, b, X, y):
    return batch_cost(bce_with_logits(_logits_without_bias(w, X), y))


def _cost_clipped(w, b, X, y):
    """What autograder.losses.binary_cross_entropy (a clipped to [1e-12, 1 - 1e-12]) gives."""
    return batch_cost(binary_cross_entropy(sigmoid(ref.logistic_logits(w, b, X)), y))


def _dJdz_flipped(z, y):
    return np.asarray(y) - sigmoid(z)


def _dJdz_logit(z, y):
    return np.asarray(z) - np.asarray(y)


def _dJdz_extra_sigma_prime(z, y):
    a = sigmoid(z)
    return (a - np.asarray(y)) * a * (1.0 - a)


def _gradients_flipped(w, b, X, y):
    dw, db = ref.logistic_gradients(w, b, X, y)
    return -dw, -db


def _gradients_transposed(w, b, X, y):
    dJdz = ref.logistic_dJdz(ref.logistic_logits(w, b, X), y)
    return dJdz @ np.asarray(X).T / X.shape[1], float(np.mean(dJdz))     # dw as a row (1, p)


def _gradients_sum(w, b, X, y):
    dw, db = ref.logistic_gradients(w, b, X, y)
    m = X.shape[1]
    return m * dw, m * db


def _gradients_no_bias(w, b, X, y):
    return ref.logistic_gradients(w, 0.0, X, y)


def _gradients_no_batch_sum(w, b, X, y):
    dJdz = ref.logistic_dJdz(ref.logistic_logits(w, b, X), y)
    return np.asarray(X) * dJdz, dJdz                      # per-example terms, never summed


def _gradients_sigma_for_sigma_prime(w, b, X, y):
    """Three-factor chain rule with da/dz = sigma(z): dJ/da * a = (a - y) / (1 - a)."""
    a = sigmoid(ref.logistic_logits(w, b, X))
    dJda = (a - y) / (a * (1.0 - a))
    dJdz = dJda * a
    return np.asarray(X) @ dJdz.T / X.shape[1], float(np.mean(dJdz))


def _descent(X, y, lr, n_iter, w0, b0, step_w=1.0, step_b=1.0, scale=1.0):
    """Gradient descent with knobs to plant the mistakes (step sign/size per parameter)."""
    w, b = np.array(w0, dtype=np.float64), float(b0)
    costs = [ref.logistic_cost(w, b, X, y)]
    for _ in range(int(n_iter)):
        dw, db = ref.logistic_gradients(w, b, X, y)
        w = w - step_w * scale * lr * dw
        b = b - step_b * scale * lr * db
        costs.append(ref.logistic_cost(w, b, X, y))
    return w, b, np.array(costs)


def _descent_frozen_bias(X, y, lr, n_iter, w0, b0):
    return _descent(X, y, lr, n_iter, w0, b0, step_b=0.0)


def _descent_costs_before_each_step(X, y, lr, n_iter, w0, b0):
    w, b, costs = _descent(X, y, lr, n_iter, w0, b0)
    return w, b, costs[:-1]


def _predict_no_bias(w, b, X):
    return (_logits_without_bias(w, X) >= 0.0).astype(np.float64)


def _predict_logit_at_half(w, b, X):
    return (ref.logistic_logits(w, b, X) >= 0.5).astype(np.float64)


def _predict_probabilities(w, b, X):
    return sigmoid(ref.logistic_logits(w, b, X))


# ---- the exercises -----------------------------------------------------------------------------

EXERCISES = (
    Exercise(
        id=f"{LESSON}.logistic_forward",
        function="logistic_forward",
        reference=ref.logistic_forward,
        make_inputs=_forward_inputs,
        case=edge_case,
        outputs=("z", "a"),
        where=S_FORWARD,
        mistakes=(
            mistake("forgotten_bias", _forward_no_bias, where=S_FORWARD),
            mistake("missing_transpose", _forward_transposed, where=S_FORWARD,
                    message="z came back as a column (m, 1) where a row (1, m) is asked: "
                            "the examples are columns of X; which way round must the product "
                            "of w and X be to keep them as columns?"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.logistic_cost",
        function="logistic_cost",
        reference=ref.logistic_cost,
        make_inputs=_cost_inputs,
        outputs=("J",),
        where=S_COST,
        mistakes=(
            mistake("sum_not_mean", _cost_sum, where=S_COST),
            mistake("opposite_sign", _cost_log_likelihood, where=S_COST,
                    message="this is the log-likelihood, the negative of the cost: the cost is "
                            "-[y log a + (1 - y) log(1 - a)] = log(1 + e^z) - y z, which is >= 0"),
            mistake("forgotten_bias", _cost_no_bias, where=S_COST),
            mistake("clipped_log", _cost_clipped, where=S_COST,
                    message="the log of a clipped probability: for the example the model is "
                            "confidently wrong about (z near -800, y = 1) the loss is about 800, "
                            "but clipping a at 1e-12 caps it near 27.6. Compute the loss from z, "
                            "e.g. with np.logaddexp(0, z) - y * z"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.logistic_dJdz",
        function="logistic_dJdz",
        reference=ref.logistic_dJdz,
        make_inputs=_dJdz_inputs,
        case=edge_case,
        outputs=("dJdz",),
        where=S_DJDZ,
        mistakes=(
            mistake("opposite_sign", _dJdz_flipped, where=S_DJDZ),
            mistake("logit_for_activation", _dJdz_logit, where=S_DJDZ,
                    message="this is z - y: the logit z stands where the probability a = sigma(z) "
                            "belongs"),
            mistake("extra_sigma_prime", _dJdz_extra_sigma_prime, where=S_DJDZ,
                    message="sigma'(z) = a(1 - a) is multiplied in although a - y is already the "
                            "derivative with respect to z: the factor da/dz cancelled against "
                            "dJ/da in the derivation"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.logistic_gradients",
        function="logistic_gradients",
        reference=ref.logistic_gradients,
        make_inputs=_gradients_inputs,
        outputs=("dw", "db"),
        where=S_GRADIENTS,
        mistakes=(
            mistake("opposite_sign", _gradients_flipped, where=S_DJDZ),
            mistake("missing_transpose", _gradients_transposed, where=S_GRADIENTS),
            mistake("sum_not_mean", _gradients_sum, where=S_GRADIENTS),
            mistake("forgotten_bias", _gradients_no_bias, where=S_FORWARD),
            mistake("forgotten_batch_sum", _gradients_no_batch_sum, where=S_GRADIENTS),
            mistake("sigma_for_sigma_prime", _gradients_sigma_for_sigma_prime, where=S_DJDZ),
        ),
    ),
    Exercise(
        id=f"{LESSON}.logistic_gradient_descent",
        function="logistic_gradient_descent",
        reference=ref.logistic_gradient_descent,
        make_inputs=_descent_inputs,
        outputs=("w", "b", "costs"),
        where=S_DESCENT,
        mistakes=(
            *learning_rate_mistakes(ref.logistic_gradient_descent, S_DESCENT, S_SIGN,
                                    examples=("X", -1), sum_where=S_GRADIENTS),
            mistake("bias_not_updated", _descent_frozen_bias, where=S_DESCENT,
                    message="w moves but b stays at b0: the bias needs its own step "
                            "b = b - lr * db"),
            mistake("costs_off_by_one", _descent_costs_before_each_step, where=S_DESCENT,
                    message="costs has n_iter entries; it should have n_iter + 1: the cost "
                            "before the first step and after every step"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.logistic_predict",
        function="logistic_predict",
        reference=ref.logistic_predict,
        make_inputs=_predict_inputs,
        outputs=("y_hat",),
        where=S_DESCENT,
        mistakes=(
            mistake("forgotten_bias", _predict_no_bias, where=S_FORWARD),
            mistake("threshold_on_logit", _predict_logit_at_half, where=S_DESCENT,
                    message="z is compared with 1/2; the probability a = sigma(z) is. "
                            "a >= 1/2 exactly when z >= 0"),
            mistake("probabilities_not_labels", _predict_probabilities, where=S_DESCENT,
                    message="these are the probabilities a; predictions are labels, 1.0 where "
                            "a >= 1/2 and 0.0 elsewhere"),
        ),
    ),
)

register(*EXERCISES)
