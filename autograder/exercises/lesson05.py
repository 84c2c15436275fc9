"""Exercises of lesson 5, "Backpropagation through L layers with Jacobians" (seed 001).

Examples are columns and batch gradients are means (:mod:`autograder.conventions`); the
mathematics is :mod:`autograder.reference.mlp`.

The inputs are drawn so that every registered mistake shows on every seed: neighbouring layer
sizes differ and ``n_0 != n_1`` (a transposed ``dW`` or a ``dW`` built from the wrong layer comes
back with a wrong shape), there are several examples (a sum differs from a mean), biases are
nonzero, and activations are sigmoid or tanh only (for ReLU and the identity ``sigma'(sigma(z))``
happens to equal ``sigma'(z)``, which would hide ``sigma_prime_at_a``). The mini-batch exercises
are lesson 6's (:mod:`autograder.exercises.lesson06`); they share the drawing helpers below.
"""
from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..mistakes import mistake
from ..reference import mlp as ref
from . import Exercise, register

LESSON = "05_deep_networks"

SECTION_FORWARD = "Section 1, 'A deep network, layer by layer'"
SECTION_JACOBIANS = "Section 5, 'Many dimensions: Jacobians'"
SECTION_DELTAS = "Section 6, 'From Jacobian products to deltas'"
SECTION_CAPSTONE = "Section 7, 'Capstone: backpropagation for L layers'"

#: Seeds of the hidden tests in the lesson's grade cells (the worked example is seed 0).
HIDDEN_SEEDS = (501, 502, 503, 504)

SMOOTH = ("sigmoid", "tanh")

#: Every activation the lesson's functions accept (``get_activation``'s names).
ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")


def activation_case(seed):
    """``make_inputs`` keywords for a seed: which activation it exercises, with edge inputs.

    The worked example (seed 0) keeps its smooth draw; every other seed k exercises
    ``ACTIVATIONS[(k - 1) % 4]`` (the hidden seeds 501-504 cover all four; the visible seed 2
    and the verifier's first judging seed stay smooth, where every registered mistake shows)
    and puts the edge inputs
    the docstrings imply into the pre-activations: an entry exactly 0 (where ReLU's slope is
    0 by the course's convention and the sigmoid's output is exactly 1/2) and entries of size
    about 800 (where a naive exp overflows).
    """
    if seed == 0:
        return {}
    return {"activation": ACTIVATIONS[(seed - 1) % len(ACTIVATIONS)], "edges": True}


def jacobian_backward_case(seed):
    """Odd seeds (the visible seed 1, hidden 501 and 503) pass the weights without the biases,
    as the docstring allows: the depth must come from the lists, not from counting params.
    Hidden seeds 502 and 503 end in a wide layer (n_L of 2 to 5) whose ``J_L`` is one row
    ``(1, n_L)`` (a loss absorbed into the last map, as the docstring allows): a J_L read as
    a diagonal is then wrong, which a one-unit output cannot show."""
    return {"weights_only": seed % 2 == 1, "wide_output": seed > 1 and seed % 4 in (2, 3)}


def layer_backward_case(seed):
    """Seed 504 (hidden) is the first layer: ``J_prev`` is None, so is ``delta_prev``."""
    return {"first_layer": seed % 4 == 0 and seed != 0}


# ----------------------------------------------------------------------------- inputs
def _layer_sizes(rng, depth, last=None):
    """``depth + 1`` sizes in 2..5, neighbours different (``last`` fixes the output size)."""
    sizes = [int(rng.integers(2, 6))]
    while len(sizes) < depth + 1:
        size = int(rng.integers(2, 6)) if (last is None or len(sizes) < depth) else last
        if size != sizes[-1]:
            sizes.append(size)
    return sizes


def _params(rng, sizes):
    params = {}
    for j in range(1, len(sizes)):
        params[f"W{j}"] = rng.normal(scale=0.9, size=(sizes[j], sizes[j - 1]))
        params[f"b{j}"] = rng.normal(scale=0.5, size=(sizes[j], 1))
    return params


def _n_examples(rng, sizes, low=3, high=8):
    """A number of examples (>= 3) different from every layer size, so no array is square by
    accident and a transposed product cannot slip through."""
    while True:
        n = int(rng.integers(low, high))
        if n not in sizes:
            return n


def _smooth(rng, count):
    return [str(rng.choice(SMOOTH)) for _ in range(count)]


def _layer_forward_inputs(rng, activation=None, edges=False):
    n_in, n_out = _layer_sizes(rng, 1)
    n = _n_examples(rng, (n_in, n_out))
    inputs = {
        "W": rng.normal(scale=0.9, size=(n_out, n_in)),
        "b": rng.normal(scale=0.5, size=(n_out, 1)),
        "F_prev": rng.normal(size=(n_in, n)),
        "activation": _smooth(rng, 1)[0] if activation is None else activation,
    }
    if edges:  # Z[0, 0] = 0 exactly (a zero input column, a zero bias); column 1 of Z large
        inputs["F_prev"][:, 0] = 0.0
        inputs["b"][0, 0] = 0.0
        column = inputs["W"] @ inputs["F_prev"][:, 1]
        inputs["F_prev"][:, 1] *= 800.0 / max(float(np.max(np.abs(column))), 1e-3)
    return inputs


def _elementwise_jacobian_inputs(rng, activation=None, edges=False):
    z = rng.normal(scale=1.5, size=int(rng.integers(3, 7)) + (3 if edges else 0))
    if edges:
        z[:3] = rng.permutation([0.0, 800.0, -800.0])
    return {"z": z, "activation": _smooth(rng, 1)[0] if activation is None else activation}


def _jacobian_backward_inputs(rng, weights_only=False, wide_output=False):
    depth = int(rng.integers(2, 4))
    sizes = _layer_sizes(rng, depth, last=None if wide_output else 1)   # wide: n_L in 2..5
    params = _params(rng, sizes)
    activations = _smooth(rng, depth)
    layer_inputs, jacobians, _ = ref.jacobian_forward(params, rng.normal(size=sizes[0]),
                                                      activations)
    if wide_output:   # a loss's gradient row g^T absorbed into the last map: J_L = g^T D_L
        jacobians[-1] = rng.normal(size=(1, sizes[-1])) @ np.atleast_2d(jacobians[-1])
    if weights_only:  # the docstring's "biases are not needed": a dict of the W_j alone
        params = {name: value for name, value in params.items() if name.startswith("W")}
    return {"params": params, "layer_inputs": layer_inputs, "jacobians": jacobians}


def _layer_backward_inputs(rng, first_layer=False):
    n_prev, n_out = _layer_sizes(rng, 1)
    n = _n_examples(rng, (n_prev, n_out))
    act = get_activation(_smooth(rng, 1)[0])
    Z_prev = rng.normal(size=(n_prev, n))
    return {
        "delta": rng.normal(scale=0.5, size=(n_out, n)),
        "W": rng.normal(scale=0.9, size=(n_out, n_prev)),
        "F_prev": Z_prev if first_layer else act.f(Z_prev),  # the first layer's input is X
        "J_prev": None if first_layer else act.df(Z_prev),
    }


def _network_and_data(rng, depth_range=(2, 4), n_range=(4, 8), loss=None, hidden=None):
    """A random network with its data: sizes, params, X, Y, activations, loss (``loss`` and
    the ``hidden`` layers' activation fixed when given, drawn otherwise)."""
    depth = int(rng.integers(*depth_range))
    drawn = str(rng.choice(ref.LOSSES))  # drawn always: the worked example's draws stay put
    loss = drawn if loss is None else loss
    sizes = _layer_sizes(rng, depth)
    params = _params(rng, sizes)
    n = _n_examples(rng, sizes, *n_range)
    X = rng.normal(size=(sizes[0], n))
    if loss == "bce":
        activations = _smooth(rng, depth - 1) + ["sigmoid"]
        Y = rng.integers(0, 2, size=(sizes[-1], n)).astype(np.float64)
    else:
        activations = _smooth(rng, depth - 1) + [str(rng.choice(SMOOTH + ("identity",)))]
        Y = rng.normal(size=(sizes[-1], n))
    if hidden is not None:
        activations = [hidden] * (depth - 1) + activations[-1:]
    return params, X, Y, activations, loss


def network_case(seed):
    """``make_inputs`` keywords for a seed of a whole-network exercise: every other seed uses
    each loss the docstring offers (``LOSSES[seed % 2]``), seeds 3 mod 4 ReLU hidden layers,
    seeds 1 mod 4 (cross-entropy) a saturated output; the worked example (seed 0) keeps its
    draw."""
    if seed == 0:
        return {}
    return {"loss": ref.LOSSES[seed % 2], "hidden": "relu" if seed % 4 == 3 else None,
            "saturated": seed % 4 == 1}


def _saturate_output(params, X, activations, top=40.0):
    """Scale the output layer so that its largest logit is ``top``: a sigmoid output of exactly
    1.0 in float64 (sigmoid(40) = 1 - 4e-18), where a delta computed as dl/dF times F'(Z),
    (F - Y) / (F (1 - F)) * F (1 - F), divides by zero (the cross-entropy's delta is F - Y)."""
    L = len(activations)
    _, cache = ref.mlp_forward(params, X, activations)
    logits = cache[f"Z{L}"]
    largest = float(logits.flat[np.argmax(np.abs(logits))])
    scale = top / largest if abs(largest) > 1e-6 else top
    return dict(params, **{f"W{L}": params[f"W{L}"] * scale, f"b{L}": params[f"b{L}"] * scale})


def _mlp_backward_inputs(rng, loss=None, hidden=None, saturated=False):
    params, X, Y, activations, loss = _network_and_data(rng, loss=loss, hidden=hidden)
    if saturated:
        params = _saturate_output(params, X, activations)
    _, cache = ref.mlp_forward(params, X, activations)
    return {"params": params, "cache": cache, "Y": Y, "activations": activations, "loss": loss}


# ----------------------------------------------------------------------------- adapters
def output_layer_first(backward):
    """Return ``backward``'s gradients reordered from the output layer down (dWL, dbL, ...).

    A check reports the first wrong gradient it meets; starting at the layer nearest the loss
    reports the error where it starts, before it spreads to every layer below.
    """
    def reordered(*args):
        grads = backward(*args)
        L = len(grads) // 2
        return {key: grads[key] for j in range(L, 0, -1) for key in (f"dW{j}", f"db{j}")}

    reordered.__name__ = getattr(backward, "__name__", "backward")
    return reordered


# ----------------------------------------------------------------------------- wrong variants
def _layer_forward_variant(kind):
    def wrong(W, b, F_prev, activation):
        act = get_activation(activation)
        Z = W @ F_prev if kind == "no_bias" else W @ F_prev + b
        F = act.f(Z)
        J = {"no_bias": act.df(Z), "sigma": F, "at_a": act.df(F)}[kind]
        return Z, F, J
    return wrong


def _jacobian_backward_variant(kind):
    """Seed 001's formulas with one mistake: "untransposed" (the univariate formulas used for
    matrices) or "no_J" (the Jacobian J_{j-1} left out of the running product)."""
    def wrong(params, layer_inputs, jacobians):
        L = len(jacobians)
        row = np.atleast_2d(jacobians[-1])
        grads = {}
        for j in range(L, 0, -1):
            F_prev = np.asarray(layer_inputs[j - 1]).reshape(-1, 1)
            if kind == "untransposed":
                grads[f"dW{j}"], grads[f"db{j}"] = F_prev @ row, row
            else:
                grads[f"dW{j}"], grads[f"db{j}"] = row.T @ F_prev.T, row.T
            if j > 1:
                row = row @ params[f"W{j}"]
                if kind != "no_J":
                    row = row @ jacobians[j - 2]
        return grads
    return wrong


def _layer_backward_variant(kind):
    def wrong(delta, W, F_prev, J_prev):
        n = delta.shape[1]
        scale = 1.0 if kind == "sum" else 1.0 / n
        dW = (F_prev @ delta.T if kind == "transposed" else delta @ F_prev.T) * scale
        db = delta * scale if kind == "no_batch_sum" else delta.sum(axis=1, keepdims=True) * scale
        if J_prev is None:  # the first layer: no delta below it, whatever the mistake
            return dW, db, None
        delta_prev = W.T @ delta if kind == "no_J" else (W.T @ delta) * J_prev
        return dW, db, delta_prev
    return wrong


def _mlp_backward_variant(kind):
    """The capstone's gradients with one deliberate mistake (switch ``kind``):

    "sign"        Y - F_L where F_L - Y belongs;
    "transposed"  dW_j = F_{j-1} delta_j^T / n (shape of W_j^T);
    "sum"         sums over the batch instead of means;
    "sigma"       sigma(Z) = F where sigma'(Z) = J belongs (output and hidden deltas);
    "at_a"        sigma'(F) where sigma'(Z) = J belongs;
    "own_output"  dW_j = delta_j F_j^T: the layer's output where its input F_{j-1} belongs;
    "no_batch_sum" db_j = delta_j / n, one column per example, not combined.
    """
    def wrong(params, cache, Y, activations, loss):
        L = ref.n_layers(params)
        acts = [get_activation(a) for a in activations]
        n = Y.shape[1]

        def slope(j):
            if kind == "sigma":
                return cache[f"F{j}"]
            if kind == "at_a":
                return acts[j - 1].df(cache[f"F{j}"])
            return cache[f"J{j}"]

        error = Y - cache[f"F{L}"] if kind == "sign" else cache[f"F{L}"] - Y
        delta = error if loss == "bce" else error * slope(L)
        scale = 1.0 if kind == "sum" else 1.0 / n
        grads = {}
        for j in range(L, 0, -1):
            feeding = cache[f"F{j}"] if kind == "own_output" else cache[f"F{j - 1}"]
            dW = feeding @ delta.T if kind == "transposed" else delta @ feeding.T
            grads[f"dW{j}"] = dW * scale
            grads[f"db{j}"] = delta * scale if kind == "no_batch_sum" \
                else delta.sum(axis=1, keepdims=True) * scale
            if j > 1:
                delta = (params[f"W{j}"].T @ delta) * slope(j - 1)
        return grads
    return wrong


# ----------------------------------------------------------------------------- messages
DIAGONAL_AS_VECTOR = (
    "this is the diagonal only, a vector of shape (n,): the Jacobian is the (n, n) matrix with "
    "sigma'(z) on its diagonal and zeros elsewhere (np.diag builds it)"
)
UNTRANSPOSED = (
    "the one-dimensional formulas were used for matrices, without their transposes: "
    "dF_L/dW_j = (J_L W_L ... J_j)^T F_{j-1}^T has the shape (n_j, n_{j-1}) of W_j, and "
    "dF_L/db_j = (J_L W_L ... J_j)^T is a column"
)
NO_JACOBIAN_IN_PRODUCT = (
    "a factor of the chain rule is missing: going down one layer multiplies the running "
    "product by W_j AND by the Jacobian J_{j-1} of the layer below"
)
NO_J_IN_DELTA = (
    "a factor of the chain rule is missing: W^T delta is dl/dF_prev, the gradient at the "
    "layer's output; one more factor takes it to dl/dZ_prev (your Section 6 derivation)"
)
OWN_OUTPUT = (
    "dW_j uses the wrong layer's activation: it needs the layer's INPUT F_{j-1}, not its "
    "output F_j"
)
# ----------------------------------------------------------------------------- exercises
def _register():
    layer_forward = Exercise(
        id=f"{LESSON}.layer_forward",
        function="layer_forward",
        reference=ref.layer_forward,
        make_inputs=_layer_forward_inputs,
        outputs=("Z", "F", "J"),
        where=SECTION_FORWARD,
        case=activation_case,
        mistakes=(
            mistake("forgotten_bias", _layer_forward_variant("no_bias"), SECTION_FORWARD),
            mistake("sigma_for_sigma_prime", _layer_forward_variant("sigma"), SECTION_FORWARD),
            mistake("sigma_prime_at_a", _layer_forward_variant("at_a"), SECTION_FORWARD),
        ),
    )
    elementwise_jacobian = Exercise(
        id=f"{LESSON}.elementwise_jacobian",
        function="elementwise_jacobian",
        reference=ref.elementwise_jacobian,
        make_inputs=_elementwise_jacobian_inputs,
        outputs=("J",),
        where=SECTION_JACOBIANS,
        case=activation_case,
        mistakes=(
            mistake("sigma_for_sigma_prime",
                    lambda z, a: np.diag(get_activation(a).f(z)), SECTION_JACOBIANS),
            mistake("sigma_prime_at_a",
                    lambda z, a: np.diag(get_activation(a).df(get_activation(a).f(z))),
                    SECTION_JACOBIANS),
            mistake("diagonal_as_vector", lambda z, a: get_activation(a).df(z),
                    SECTION_JACOBIANS, message=DIAGONAL_AS_VECTOR),
        ),
    )
    jacobian_backward = Exercise(
        id=f"{LESSON}.jacobian_backward",
        function="jacobian_backward",
        reference=output_layer_first(ref.jacobian_backward),
        student_form=ref.jacobian_backward,
        make_inputs=_jacobian_backward_inputs,
        outputs=("grads",),
        where=SECTION_JACOBIANS,
        case=jacobian_backward_case,
        mistakes=(
            mistake("missing_transpose", _jacobian_backward_variant("untransposed"),
                    SECTION_JACOBIANS, message=UNTRANSPOSED),
            mistake("forgotten_chain_factor", _jacobian_backward_variant("no_J"),
                    SECTION_JACOBIANS, message=NO_JACOBIAN_IN_PRODUCT),
        ),
    )
    layer_backward = Exercise(
        id=f"{LESSON}.layer_backward",
        function="layer_backward",
        reference=ref.layer_backward,
        make_inputs=_layer_backward_inputs,
        outputs=("dW", "db", "delta_prev"),
        where=SECTION_DELTAS,
        case=layer_backward_case,
        mistakes=(
            mistake("missing_transpose", _layer_backward_variant("transposed"), SECTION_DELTAS),
            mistake("sum_not_mean", _layer_backward_variant("sum"), SECTION_DELTAS),
            mistake("forgotten_batch_sum", _layer_backward_variant("no_batch_sum"),
                    SECTION_DELTAS),
            mistake("forgotten_chain_factor", _layer_backward_variant("no_J"), SECTION_DELTAS,
                    message=NO_J_IN_DELTA),
        ),
    )
    mlp_backward = Exercise(
        id=f"{LESSON}.mlp_backward",
        function="mlp_backward",
        reference=output_layer_first(ref.mlp_backward),
        student_form=ref.mlp_backward,
        make_inputs=_mlp_backward_inputs,
        outputs=("grads",),
        where=SECTION_CAPSTONE,
        case=network_case,
        mistakes=(
            mistake("opposite_sign", _mlp_backward_variant("sign"), SECTION_CAPSTONE),
            mistake("missing_transpose", _mlp_backward_variant("transposed"), SECTION_CAPSTONE),
            mistake("sum_not_mean", _mlp_backward_variant("sum"), SECTION_CAPSTONE),
            mistake("sigma_for_sigma_prime", _mlp_backward_variant("sigma"), SECTION_CAPSTONE),
            mistake("sigma_prime_at_a", _mlp_backward_variant("at_a"), SECTION_CAPSTONE),
            mistake("wrong_layer_activation", _mlp_backward_variant("own_output"),
                    SECTION_CAPSTONE, message=OWN_OUTPUT),
            mistake("forgotten_batch_sum", _mlp_backward_variant("no_batch_sum"),
                    SECTION_CAPSTONE),
        ),
    )
    register(layer_forward, elementwise_jacobian, jacobian_backward, layer_backward,
             mlp_backward)


_register()
