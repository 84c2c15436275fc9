"""Exercises of lesson 02_hidden_layer: one hidden layer, its gradients, SGD/GD, a shared weight.

Inputs are drawn so that every registered mistake is distinguishable from the right answer:
``W1`` is never square (``d != p``), the batch has ``n > 1`` examples with ``n`` different from
``p`` and ``d`` (so a transposed result has a different shape), and every bias is nonzero.
"""
from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..mistakes import learning_rate_mistakes, mistake
from ..reference import hidden_layer as ref
from . import Exercise, register

LESSON = "02_hidden_layer"

#: Seeds of the hidden test cases in the lesson's grade cells (the visible ones are 0, 1, 2).
HIDDEN_SEEDS = (201, 202, 203)

FORWARD = "Section 1, 'The network and its shapes'"
OUTPUT = "Section 2, 'The output layer'"
HIDDEN = "Section 3, 'The hidden layer'"
STEPS = "Section 5, 'One observation or the whole sample'"
SHARED = "Section 6, 'A weight shared by several units'"

#: Mistakes this lesson names that the shared catalogue does not have.
ACTIVATED_OUTPUT = (
    "the output unit is linear here, y_hat = z^(2): no activation (and no h') belongs at the "
    "output"
)
INPUTS_FOR_ACTIVATIONS = (
    "dz^(2)/dw_j^(2) is the hidden activation a_j^(1), not an input x_k: the output layer's "
    "inputs are the hidden units"
)
SAME_X_EVERY_EXAMPLE = (
    "in the sum over examples, x_k must be the input of observation i; one observation's x_k "
    "was used for every example (the notation x_k in How to Fit a Neural Network hides the "
    "index i)"
)
MEAN_OVER_PATHS = (
    "the path terms are averaged; the multivariate chain rule adds one term per path"
)


# --- inputs ----------------------------------------------------------------------------------

def _nonzero(rng, size, low=0.2, high=1.0):
    """Uniform magnitudes in [low, high) with random signs: never zero, never tiny."""
    return rng.uniform(low, high, size=size) * rng.choice([-1.0, 1.0], size=size)


def _network(rng, p, d):
    return {
        "W1": rng.normal(size=(d, p)),
        "b1": _nonzero(rng, (d, 1)),
        "W2": _nonzero(rng, (1, d), 0.5, 1.5),  # never ~0: the hidden gradients scale with it
        "b2": _nonzero(rng, (1, 1)),
    }


def _sizes(rng):
    """p != d (W1 not square) and n > 1 different from both (transposes change the shape)."""
    p = int(rng.integers(2, 5))
    d = int(rng.choice([k for k in range(2, 6) if k != p]))
    n = int(rng.choice([k for k in range(3, 8) if k not in (p, d)]))
    return p, d, n


#: The hidden activations the lesson's code supports ("the same code works for sigmoid, tanh
#: and relu"): seed k exercises ACTIVATIONS[k % 3], so the worked example (seed 0) uses the
#: sigmoid, visible seeds 1 and 2 and the hidden seeds 201-203 cover all three.
ACTIVATIONS = ("sigmoid", "tanh", "relu")


def activation_case(seed):
    """``make_inputs`` keywords for a seed: which activation it exercises."""
    return {"activation": ACTIVATIONS[seed % len(ACTIVATIONS)]}


def batch_inputs(rng, activation="sigmoid"):
    """``params, X, y, activation`` for a batch of n examples.

    With ReLU, one pre-activation is exactly 0 (the first unit on the first example), where the
    course's slope is 0: a slope written ``Z1 >= 0`` gives 1 there. The product is exact: the
    example's other inputs are 0 and the unit's bias is minus the one remaining product.
    """
    p, d, n = _sizes(rng)
    params = _network(rng, p, d)
    X = rng.normal(size=(p, n))
    if activation == "relu":
        X[1:, 0] = 0.0
        params["b1"][0, 0] = -(params["W1"][0, 0] * X[0, 0])
    return {"params": params, "X": X, "y": rng.normal(size=(1, n)), "activation": activation}


def forward_inputs(rng, activation="sigmoid"):
    inputs = batch_inputs(rng, activation)
    del inputs["y"]
    return inputs


def sgd_inputs(rng, activation="sigmoid"):
    """One observation as a (p, 1) column, and a learning rate."""
    p, d, _ = _sizes(rng)
    return {"params": _network(rng, p, d), "x": rng.normal(size=(p, 1)),
            "y": rng.normal(size=(1, 1)), "lr": float(rng.uniform(0.2, 1.0)),
            "activation": activation}


def gd_inputs(rng, activation="sigmoid"):
    inputs = batch_inputs(rng, activation)
    activation = inputs.pop("activation")
    inputs["lr"] = float(rng.uniform(0.2, 1.0))
    inputs["activation"] = activation
    return inputs


def tied_inputs(rng, activation="sigmoid"):
    """A shared weight w used by d = 2 or 3 units, a batch of scalar inputs x (n,)."""
    d = int(rng.integers(2, 4))
    n = int(rng.integers(3, 7))
    return {"w": float(_nonzero(rng, (), 0.3, 1.5)), "c": _nonzero(rng, (d,)),
            "v": _nonzero(rng, (d,), 0.5, 1.5), "b": float(_nonzero(rng, ())),
            "x": rng.normal(size=n), "y": rng.normal(size=n), "activation": activation}


# --- wrong variants ----------------------------------------------------------------------------

def _parts(params, X, y, activation):
    """Forward quantities every backward variant needs, computed the right way."""
    h = get_activation(activation)
    cache = ref.hidden_forward(params, X, h)
    delta = cache["y_hat"] - y
    return h, cache, delta, X.shape[1]


def _dZ1(params, X, y, activation, h_prime=None, sign=1.0, with_w2=True):
    """dJ/dZ1 (d, n), built with a chosen h' factor (the right one when ``h_prime`` is None)."""
    h, cache, delta, _ = _parts(params, X, y, activation)
    factor = h.df(cache["Z1"]) if h_prime is None else h_prime(h, cache)
    back = params["W2"].T @ delta if with_w2 else delta
    return sign * back * factor


def _hidden_grads(params, X, y, activation, **variant):
    """(dW1, db1) from :func:`_dZ1` with the given variant, reduced the right way."""
    dZ1 = _dZ1(params, X, y, activation, **variant)
    return dZ1 @ X.T / X.shape[1], dZ1.mean(axis=1, keepdims=True)


def _h_prime_at_output(h, cache):
    return h.df(cache["y_hat"])  # z^(2) = y_hat: the slip S1


def _step_with_hidden_grads(params, X, y, lr, activation, dW1, db1):
    """A gradient step whose hidden-layer gradients are replaced by (dW1, db1)."""
    grads = ref.hidden_backward(params, X, y, activation)
    grads.update(dW1=dW1, db1=db1)
    return ref.gradient_step(params, grads, lr)


# forward
def forward_without_b1(params, X, activation):
    h = get_activation(activation)
    Z1 = params["W1"] @ X
    A1 = h.f(Z1)
    return {"Z1": Z1, "A1": A1, "y_hat": params["W2"] @ A1 + params["b2"]}


def forward_without_b2(params, X, activation):
    cache = ref.hidden_forward(params, X, activation)
    cache["y_hat"] = params["W2"] @ cache["A1"]
    return cache


def forward_examples_as_rows(params, X, activation):
    h = get_activation(activation)
    Z1 = X.T @ params["W1"].T + params["b1"].T
    A1 = h.f(Z1)
    return {"Z1": Z1, "A1": A1, "y_hat": A1 @ params["W2"].T + params["b2"]}


def forward_activated_output(params, X, activation):
    cache = ref.hidden_forward(params, X, activation)
    cache["y_hat"] = get_activation(activation).f(cache["y_hat"])
    return cache


# output layer
def output_opposite_sign(params, X, y, activation):
    dW2, db2 = ref.output_layer_gradients(params, X, y, activation)
    return -dW2, -db2


def output_missing_transpose(params, X, y, activation):
    _, cache, delta, n = _parts(params, X, y, activation)
    return cache["A1"] @ delta.T / n, delta.mean(axis=1, keepdims=True)


def output_sum_not_mean(params, X, y, activation):
    dW2, db2 = ref.output_layer_gradients(params, X, y, activation)
    return dW2 * X.shape[1], db2 * X.shape[1]


def output_forgotten_batch_sum(params, X, y, activation):
    _, cache, delta, n = _parts(params, X, y, activation)
    return delta @ cache["A1"].T / n, delta  # the matrix product sums; the bias does not


def output_activated(params, X, y, activation):
    h, cache, delta, n = _parts(params, X, y, activation)
    delta = delta * h.df(cache["y_hat"])
    return delta @ cache["A1"].T / n, delta.mean(axis=1, keepdims=True)


def output_inputs_for_activations(params, X, y, activation):
    _, _, delta, n = _parts(params, X, y, activation)
    return delta @ X.T / n, delta.mean(axis=1, keepdims=True)


# hidden layer
def hidden_h_prime_wrong_layer(params, X, y, activation):
    return _hidden_grads(params, X, y, activation, h_prime=_h_prime_at_output)


def hidden_sigma_for_sigma_prime(params, X, y, activation):
    return _hidden_grads(params, X, y, activation, h_prime=lambda h, c: h.f(c["Z1"]))


def hidden_sigma_prime_at_a(params, X, y, activation):
    return _hidden_grads(params, X, y, activation, h_prime=lambda h, c: h.df(c["A1"]))


def hidden_missing_transpose(params, X, y, activation):
    dZ1 = _dZ1(params, X, y, activation)
    return X @ dZ1.T / X.shape[1], dZ1.mean(axis=1, keepdims=True)


def hidden_sum_not_mean(params, X, y, activation):
    dW1, db1 = ref.hidden_layer_gradients(params, X, y, activation)
    return dW1 * X.shape[1], db1 * X.shape[1]


def hidden_forgotten_batch_sum(params, X, y, activation):
    dZ1 = _dZ1(params, X, y, activation)
    return dZ1 @ X.T / X.shape[1], dZ1  # the matrix product sums over examples; the bias not


def hidden_opposite_sign(params, X, y, activation):
    return _hidden_grads(params, X, y, activation, sign=-1.0)


def hidden_without_w2(params, X, y, activation):
    return _hidden_grads(params, X, y, activation, with_w2=False)


# update steps (one observation: X is the (p, 1) column x)
def step_h_prime_wrong_layer(params, X, y, lr, activation):
    return _step_with_hidden_grads(params, X, y, lr, activation,
                                   *hidden_h_prime_wrong_layer(params, X, y, activation))


def step_same_x_every_example(params, X, y, lr, activation):
    db1 = _dZ1(params, X, y, activation).mean(axis=1, keepdims=True)
    dW1 = db1 @ X[:, :1].T  # x_k of observation 0 for every i
    return _step_with_hidden_grads(params, X, y, lr, activation, dW1, db1)


# shared weight
def tied_single_path(w, c, v, b, x, y, activation):
    return float(ref.tied_weight_path_terms(w, c, v, b, x, y, activation)[0])


def tied_mean_over_paths(w, c, v, b, x, y, activation):
    return float(np.mean(ref.tied_weight_path_terms(w, c, v, b, x, y, activation)))


def tied_opposite_sign(w, c, v, b, x, y, activation):
    return -ref.tied_weight_gradient(w, c, v, b, x, y, activation)


def tied_sum_not_mean(w, c, v, b, x, y, activation):
    return len(x) * ref.tied_weight_gradient(w, c, v, b, x, y, activation)


def tied_sigma_prime_at_a(w, c, v, b, x, y, activation):
    h = get_activation(activation)
    cache = ref.tied_weight_forward(w, c, v, b, x, h)
    delta = cache["y_hat"] - y
    return float(np.mean(np.sum(v[:, None] * h.df(cache["A"]), axis=0) * delta * x))


# --- the registry --------------------------------------------------------------------------

EXERCISES = (
    Exercise(
        id=f"{LESSON}.hidden_forward", function="hidden_forward",
        reference=ref.hidden_forward, make_inputs=forward_inputs,
        case=activation_case, outputs=("Z1", "A1", "y_hat"), where=FORWARD,
        mistakes=(
            mistake("forgotten_bias", forward_without_b1, FORWARD),
            mistake("forgotten_bias", forward_without_b2, FORWARD),
            mistake("missing_transpose", forward_examples_as_rows, FORWARD),
            mistake("activated_output", forward_activated_output, FORWARD, ACTIVATED_OUTPUT),
        ),
    ),
    Exercise(
        id=f"{LESSON}.output_layer_gradients", function="output_layer_gradients",
        reference=ref.output_layer_gradients, make_inputs=batch_inputs,
        case=activation_case, outputs=("dW2", "db2"), where=OUTPUT,
        mistakes=(
            mistake("opposite_sign", output_opposite_sign, OUTPUT),
            mistake("missing_transpose", output_missing_transpose, OUTPUT),
            mistake("sum_not_mean", output_sum_not_mean, OUTPUT),
            mistake("forgotten_batch_sum", output_forgotten_batch_sum, OUTPUT),
            mistake("activated_output", output_activated, OUTPUT, ACTIVATED_OUTPUT),
            mistake("inputs_for_activations", output_inputs_for_activations, OUTPUT,
                    INPUTS_FOR_ACTIVATIONS),
        ),
    ),
    Exercise(
        id=f"{LESSON}.hidden_layer_gradients", function="hidden_layer_gradients",
        reference=ref.hidden_layer_gradients, make_inputs=batch_inputs,
        case=activation_case, outputs=("dW1", "db1"), where=HIDDEN,
        mistakes=(
            mistake("h_prime_wrong_layer", hidden_h_prime_wrong_layer, HIDDEN),
            mistake("sigma_for_sigma_prime", hidden_sigma_for_sigma_prime, HIDDEN),
            mistake("sigma_prime_at_a", hidden_sigma_prime_at_a, HIDDEN),
            mistake("missing_transpose", hidden_missing_transpose, HIDDEN),
            mistake("sum_not_mean", hidden_sum_not_mean, HIDDEN),
            mistake("forgotten_batch_sum", hidden_forgotten_batch_sum, HIDDEN),
            mistake("opposite_sign", hidden_opposite_sign, HIDDEN),
            mistake("forgotten_chain_factor", hidden_without_w2, HIDDEN,
                    "a factor of the chain rule is missing: dy_hat/da_j^(1) = w_j^(2)"),
        ),
    ),
    Exercise(
        id=f"{LESSON}.hidden_sgd_step", function="hidden_sgd_step",
        reference=ref.hidden_sgd_step, make_inputs=sgd_inputs,
        case=activation_case, outputs=("W1", "b1", "W2", "b2"), where=STEPS,
        mistakes=(
            mistake("h_prime_wrong_layer", step_h_prime_wrong_layer, HIDDEN),
            *learning_rate_mistakes(ref.hidden_sgd_step, STEPS),
        ),
    ),
    Exercise(
        id=f"{LESSON}.hidden_gd_step", function="hidden_gd_step",
        reference=ref.hidden_gd_step, make_inputs=gd_inputs,
        case=activation_case, outputs=("W1", "b1", "W2", "b2"), where=STEPS,
        # the one-observation step run on the whole batch is the batch step: not a stand-in
        not_reused=("hidden_sgd_step",),
        mistakes=(
            mistake("same_x_every_example", step_same_x_every_example, STEPS,
                    SAME_X_EVERY_EXAMPLE),
            mistake("h_prime_wrong_layer", step_h_prime_wrong_layer, HIDDEN),
            *learning_rate_mistakes(ref.hidden_gd_step, STEPS, examples=("X", -1)),
        ),
    ),
    Exercise(
        id=f"{LESSON}.tied_weight_gradient", function="tied_weight_gradient",
        reference=ref.tied_weight_gradient, make_inputs=tied_inputs,
        case=activation_case, outputs=("dJ_dw",), where=SHARED,
        mistakes=(
            mistake("single_path", tied_single_path, SHARED),
            mistake("mean_over_paths", tied_mean_over_paths, SHARED, MEAN_OVER_PATHS),
            mistake("opposite_sign", tied_opposite_sign, SHARED),
            mistake("sum_not_mean", tied_sum_not_mean, SHARED),
            mistake("sigma_prime_at_a", tied_sigma_prime_at_a, SHARED),
        ),
    ),
)

register(*EXERCISES)
