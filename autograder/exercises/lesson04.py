"""Exercises of lesson 4, "Generalised deltas" (seed 004), examples as ROWS.

This lesson follows seed 004 and so uses the rows convention of
:mod:`autograder.reference.delta_rule` (``x`` is ``(m, n_in)``, ``a1 = x @ w + b1``); the rest
of the course uses columns (:mod:`autograder.conventions`). Batch gradients are means.

Every exercise but the last uses the seed's 2-3-2 network (2 inputs, 3 hidden units, 2 outputs);
only the number of examples ``m`` and the values change between the worked example and the hidden
tests. Because the two layers' sizes differ (3 hidden, 2 outputs) a missing transpose shows up as
a wrong shape, and because ``w`` (2, 3) has the shape of ``u.T`` (2, 3), sending the hidden delta
back through ``w`` instead of ``u`` (slip S5) is a silent value error that the checks name.

``generalised_backward`` returns two lists; :func:`named_gradients` turns them into one dict of
arrays (``"dweights[1]"``, ``"dbiases[1]"``, ...) so that :func:`autograder.checks.check_exercise`
can compare them entry by entry, output layer first.
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..adapters import named_gradients  # the grade cells import it from here too
from ..mistakes import mistake
from ..reference import delta_rule as ref
from . import Exercise, register

LESSON = "04_generalised_delta"

SECTION_ROWS = "Section 1, 'Rows or columns: one network, two layouts'"
SECTION_OUTPUT = "Section 2, 'The output layer'"
SECTION_HIDDEN = "Section 3, 'The hidden layer: no target, several paths'"
SECTION_ALL = "Section 4, 'All four gradients'"
SECTION_DEBUG = "Section 5, 'Debugging with the gradient checker'"
SECTION_GENERAL = "Section 6, 'The generalised delta rule'"

#: Seeds of the hidden tests in the lesson's grade cells (the worked example is seed 0).
HIDDEN_SEEDS = (401, 402, 403)


# ----------------------------------------------------------------------------- inputs
def _examples(rng, low=4, high=8):
    """A number of examples different from every layer size of the 2-3-2 net (so m > 3)."""
    return int(rng.integers(low, high))


def _network_2_3_2(rng):
    """The seed's 2-3-2 network with a batch of ``m`` examples, as rows."""
    m = _examples(rng)
    return {
        "x": rng.normal(size=(m, 2)),
        "t": rng.uniform(0.05, 0.95, size=(m, 2)),
        "w": rng.normal(scale=0.9, size=(2, 3)),
        "b1": rng.normal(scale=0.5, size=3),
        "u": rng.normal(scale=0.9, size=(3, 2)),
        "b2": rng.normal(scale=0.5, size=2),
    }


def _lesson_network():
    """The lesson's worked example, ``make_network(m=5, seed=4)`` in its text: 5 examples
    through the 2-3-2 network, drawn in the lesson's order. The visible checks use it (and the
    quantities the lesson computes from it), so a student can reproduce every printed number;
    before, they drew m = 7 examples from seed 0, arrays the lesson never shows."""
    rng = np.random.default_rng(4)
    return {
        "x": rng.normal(size=(5, 2)),
        "t": rng.uniform(0.05, 0.95, size=(5, 2)),
        "w": rng.normal(scale=0.9, size=(2, 3)),
        "b1": rng.normal(scale=0.5, size=3),
        "u": rng.normal(scale=0.9, size=(3, 2)),
        "b2": rng.normal(scale=0.5, size=2),
    }


def _lesson_quantities():
    """``h``, ``y``, ``t``, ``u`` and the output deltas of the lesson's worked example."""
    net = _lesson_network()
    forward = ref.delta_forward(net["x"], net["w"], net["b1"], net["u"], net["b2"])
    return {"h": forward["h"], "y": forward["y"], "t": net["t"], "u": net["u"],
            "delta_out": ref.output_delta(forward["y"], net["t"])}


def _lesson_output_delta():
    q = _lesson_quantities()
    return {"y": q["y"], "t": q["t"]}


def _lesson_output_weight_gradient():
    q = _lesson_quantities()
    return {"h": q["h"], "delta_out": q["delta_out"]}


def _lesson_hidden_delta():
    q = _lesson_quantities()
    return {"delta_out": q["delta_out"], "u": q["u"], "h": q["h"]}


def _output_delta_inputs(rng):
    m = _examples(rng)
    return {"y": sigmoid(rng.normal(size=(m, 2))), "t": rng.uniform(0.05, 0.95, size=(m, 2))}


def _output_weight_gradient_inputs(rng):
    m = _examples(rng)
    return {"h": sigmoid(rng.normal(size=(m, 3))), "delta_out": rng.normal(scale=0.1,
                                                                           size=(m, 2))}


def _hidden_delta_inputs(rng):
    m = _examples(rng)
    return {
        "delta_out": rng.normal(scale=0.1, size=(m, 2)),
        "u": rng.normal(scale=0.9, size=(3, 2)),
        "h": sigmoid(rng.normal(size=(m, 3))),
    }


def _layer_sizes(rng):
    """2 to 4 layers; sizes 2..5 with no two neighbours equal (so every transpose shows)."""
    n_layers = int(rng.integers(2, 5))
    sizes = [int(rng.integers(2, 6))]
    while len(sizes) < n_layers + 1:
        size = int(rng.integers(2, 6))
        if size != sizes[-1]:
            sizes.append(size)
    return sizes


def _deep_network(rng, sizes=None):
    sizes = _layer_sizes(rng) if sizes is None else sizes
    m = int(rng.integers(6, 9))  # larger than every layer size
    return {
        "x": rng.normal(size=(m, sizes[0])),
        "t": rng.uniform(0.05, 0.95, size=(m, sizes[-1])),
        "weights": [rng.normal(scale=0.9, size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])],
        "biases": [rng.normal(scale=0.5, size=b) for b in sizes[1:]],
    }


def _generalised_inputs(rng):
    return _deep_network(rng)


# ----------------------------------------------------------------------------- wrong variants
def _two_layer_backward(x, t, w, b1, u, b2, *, sign=1.0, hidden="h_prime", back_through="u",
                        paths="all", reduce="mean", orientation="right", du_by_reshape=False):
    """The 2-3-2 gradients with one or more deliberate mistakes switched on.

    sign        -1.0 uses (t - y) where (y - t) belongs.
    hidden      "h_prime" (right): h (1 - h); "sigma": h itself; "output_layer": y (1 - y)
                applied to the output delta before it goes back (the wrong layer's activation).
    back_through "u" (right) or "w" (the first layer's weights: slip S5).
    paths       "all" (right) or "first" (only output 1 reaches the hidden units).
    reduce      "mean" (right) or "sum".
    orientation "right": dw = x^T delta; "transposed": dw = delta^T x (shapes swapped).
    du_by_reshape  du = (delta^T h).reshape(u.shape), a reshape where a transpose belongs.
    """
    fwd = ref.delta_forward(x, w, b1, u, b2)
    h, y = fwd["h"], fwd["y"]
    m = x.shape[0]
    scale = 1.0 / m if reduce == "mean" else 1.0
    delta_out = sign * (y - t) * y * (1.0 - y)
    back = u.T if back_through == "u" else w
    sent = delta_out * y * (1.0 - y) if hidden == "output_layer" else delta_out
    if paths == "first":
        error = sent[:, :1] @ back[:1, :]
    else:
        error = sent @ back
    factor = {"h_prime": h * (1.0 - h), "sigma": h, "output_layer": 1.0}[hidden]
    delta_hid = error * factor
    if orientation == "right":
        dw, du = x.T @ delta_hid * scale, h.T @ delta_out * scale
    else:
        dw, du = delta_hid.T @ x * scale, delta_out.T @ h * scale
    if du_by_reshape:
        du = (delta_out.T @ h).reshape(u.shape) * scale
    return {"dw": dw, "db1": delta_hid.sum(axis=0) * scale,
            "du": du, "db2": delta_out.sum(axis=0) * scale}


def _variant(**switches):
    return lambda x, t, w, b1, u, b2: _two_layer_backward(x, t, w, b1, u, b2, **switches)


def _generalised_variant_lists(x, t, weights, biases, *, sign=1.0, hidden="h_prime",
                               paths="all", reduce="mean", orientation="right"):
    """The any-depth gradients with one deliberate mistake switched on (see above)."""
    acts = ref.generalised_forward(x, weights, biases)
    m = acts[0].shape[0]
    scale = 1.0 / m if reduce == "mean" else 1.0
    y = acts[-1]
    delta = sign * (y - t) * y * (1.0 - y)
    n_layers = len(weights)
    dweights, dbiases = [None] * n_layers, [None] * n_layers
    for layer in reversed(range(n_layers)):
        feeding = acts[layer]
        dweights[layer] = (feeding.T @ delta if orientation == "right"
                           else delta.T @ feeding) * scale
        dbiases[layer] = delta.sum(axis=0) * scale
        if layer > 0:
            W = np.asarray(weights[layer], dtype=np.float64)
            own = acts[layer + 1]
            sent = delta * own * (1.0 - own) if hidden == "output_layer" else delta
            error = sent[:, :1] @ W[:, :1].T if paths == "first" else sent @ W.T
            factor = {"h_prime": feeding * (1.0 - feeding), "sigma": feeding,
                      "output_layer": 1.0}[hidden]
            delta = error * factor
    return dweights, dbiases


def _generalised_variant(**switches):
    return named_gradients(
        lambda x, t, weights, biases: _generalised_variant_lists(x, t, weights, biases,
                                                                 **switches))


# ----------------------------------------------------------------------------- messages
WRONG_WEIGHTS = (
    "the hidden delta is sent back through the first layer's weights w where the next layer's "
    "weights u belong (the second half of the slip in 'Backpropagation. A Peek into the "
    "Mathematics of Optimization', discussed in Section 6: dL/dh_j collects "
    "delta_k u_jk, one term for every weight leaving h_j)"
)
STILL_BUGGY = (
    "this is exactly what buggy_backward returns for this gradient: the planted bugs that "
    "affect it are still there (fix them one at a time and re-run the gradient check)"
)
# The bug hunt's messages say where a remaining planted bug sits (which gradients it spoils),
# never what it is: naming the bug would answer the written exercise that follows ("quote the
# line, say what is wrong"), and finding it with the gradient checker is the lesson.
PLANTED_SIGN = (
    "one planted bug is still there, and all four gradients are wrong: it sits in a quantity "
    "that every gradient is built from. Read the gradient check's table, then that line"
)
PLANTED_SIGMA = (
    "one planted bug is still there: du and db2 are right but dw and db1 are not, so it sits "
    "between the output delta and the hidden layer's gradients"
)
PLANTED_RESHAPE = (
    "one planted bug is still there: only du is wrong (the right numbers may even be in it, in "
    "the wrong places), so it sits in the line that computes du"
)


# ----------------------------------------------------------------------------- exercises
def _register():
    output_delta = Exercise(
        id=f"{LESSON}.output_delta",
        function="output_delta",
        reference=ref.output_delta,
        make_inputs=_output_delta_inputs,
        worked_example=_lesson_output_delta,
        outputs=("delta_out",),
        where=SECTION_OUTPUT,
        mistakes=(
            mistake("opposite_sign", lambda y, t: (t - y) * y * (1.0 - y), SECTION_OUTPUT),
            mistake("sigma_for_sigma_prime", lambda y, t: (y - t) * y, SECTION_OUTPUT),
            mistake("sigma_prime_at_a", lambda y, t: (y - t) * sigmoid_prime(y),
                    SECTION_OUTPUT),
            mistake("forgotten_chain_factor", lambda y, t: y - t, SECTION_OUTPUT,
                    message="a factor of the chain rule is missing: (y - t) is dL/dy, and one "
                            "more factor takes it from the output y back to its weighted sum "
                            "a2 (your Section 2 derivation)"),
        ),
    )
    output_weight_gradient = Exercise(
        id=f"{LESSON}.output_weight_gradient",
        function="output_weight_gradient",
        reference=ref.output_weight_gradient,
        make_inputs=_output_weight_gradient_inputs,
        worked_example=_lesson_output_weight_gradient,
        outputs=("du",),
        where=SECTION_OUTPUT,
        mistakes=(
            mistake("missing_transpose", lambda h, d: d.T @ h / h.shape[0], SECTION_OUTPUT,
                    message="the result has the shape of u transposed: du[i, j] pairs hidden "
                            "unit i (rows of u) with output j (columns of u): check which "
                            "factor's rows are the hidden units"),
            mistake("sum_not_mean", lambda h, d: h.T @ d, SECTION_OUTPUT),
            mistake("opposite_sign", lambda h, d: -(h.T @ d) / h.shape[0], SECTION_OUTPUT,
                    message="the sign is flipped: the gradient itself carries no minus sign; "
                            "the minus belongs only in the update u - lr du"),
        ),
    )
    hidden_delta = Exercise(
        id=f"{LESSON}.hidden_delta",
        function="hidden_delta",
        reference=ref.hidden_delta,
        make_inputs=_hidden_delta_inputs,
        worked_example=_lesson_hidden_delta,
        outputs=("delta_hid",),
        where=SECTION_HIDDEN,
        mistakes=(
            mistake("single_path", lambda d, u, h: (d[:, :1] @ u[:, :1].T) * h * (1.0 - h),
                    SECTION_HIDDEN,
                    message="only output 1 contributes: dL/dh_j = sum over k of delta_k u_jk "
                            "needs every output, because h_j feeds them all"),
            mistake("sigma_for_sigma_prime", lambda d, u, h: (d @ u.T) * h, SECTION_HIDDEN),
            mistake("sigma_prime_at_a", lambda d, u, h: (d @ u.T) * sigmoid_prime(h),
                    SECTION_HIDDEN),
            mistake("forgotten_chain_factor", lambda d, u, h: d @ u.T, SECTION_HIDDEN,
                    message="a factor of the chain rule is missing: delta_out @ u.T is "
                            "dL/dh; multiply by dh/da1 = h (1 - h) to get dL/da1"),
        ),
    )
    two_layer_mistakes = (
        mistake("opposite_sign", _variant(sign=-1.0), SECTION_OUTPUT),
        mistake("wrong_layer_activation", _variant(hidden="output_layer"), SECTION_HIDDEN,
                message="the hidden delta uses the output's y (1 - y) where the hidden "
                        "layer's h (1 - h) belongs (the first half of the slip in 'Backpropagation. "
                        "A Peek into the Mathematics of Optimization', discussed in "
                        "Section 6): a hidden delta needs the derivative of its own unit's "
                        "activation"),
        mistake("wrong_weights", _variant(back_through="w"), SECTION_HIDDEN,
                message=WRONG_WEIGHTS),
        mistake("sigma_for_sigma_prime", _variant(hidden="sigma"), SECTION_HIDDEN),
        mistake("single_path", _variant(paths="first"), SECTION_HIDDEN),
        mistake("missing_transpose", _variant(orientation="transposed"), SECTION_ALL,
                message="dw and du come out transposed: a weight gradient is (activations "
                        "feeding the layer).T @ (deltas of the layer) / m, e.g. x.T @ delta_hid"),
        mistake("sum_not_mean", _variant(reduce="sum"), SECTION_ALL),
    )
    delta_gradients = Exercise(
        id=f"{LESSON}.delta_gradients",
        function="delta_gradients",
        reference=ref.delta_gradients,
        make_inputs=_network_2_3_2,
        worked_example=_lesson_network,
        outputs=("dw", "db1", "du", "db2"),
        where=SECTION_ALL,
        mistakes=two_layer_mistakes,
    )
    fixed_backward = Exercise(
        id=f"{LESSON}.fixed_backward",
        function="fixed_backward",
        reference=ref.delta_gradients,
        make_inputs=_network_2_3_2,
        worked_example=_lesson_network,
        outputs=("dw", "db1", "du", "db2"),
        where=SECTION_DEBUG,
        mistakes=(
            mistake("opposite_sign", _variant(sign=-1.0), SECTION_DEBUG, message=PLANTED_SIGN),
            mistake("sigma_for_sigma_prime", _variant(hidden="sigma"), SECTION_DEBUG,
                    message=PLANTED_SIGMA),
            mistake("reshape_for_transpose", _variant(du_by_reshape=True), SECTION_DEBUG,
                    message=PLANTED_RESHAPE),
            mistake("planted_bugs", _variant(sign=-1.0, hidden="sigma", du_by_reshape=True),
                    SECTION_DEBUG, message=STILL_BUGGY),
        ),
    )
    generalised_backward = Exercise(
        id=f"{LESSON}.generalised_backward",
        function="generalised_backward",
        reference=named_gradients(ref.generalised_backward),
        student_form=ref.generalised_backward,
        make_inputs=_generalised_inputs,
        outputs=("gradients",),
        where=SECTION_GENERAL,
        mistakes=(
            mistake("opposite_sign", _generalised_variant(sign=-1.0), SECTION_OUTPUT),
            mistake("wrong_layer_activation", _generalised_variant(hidden="output_layer"),
                    SECTION_GENERAL,
                    message="a hidden delta uses the derivative of the NEXT layer's activation "
                            "where its own layer's h (1 - h) belongs (the slip in 'Backpropagation. "
                            "A Peek into the Mathematics of Optimization': it writes "
                            "y_j (1 - y_j) for a hidden unit j)"),
            mistake("sigma_for_sigma_prime", _generalised_variant(hidden="sigma"),
                    SECTION_GENERAL),
            mistake("single_path", _generalised_variant(paths="first"), SECTION_GENERAL),
            mistake("missing_transpose", _generalised_variant(orientation="transposed"),
                    SECTION_GENERAL,
                    message="a weight gradient comes out transposed: for weights of shape "
                            "(n_l, n_l+1) it is activations[l].T @ delta / m"),
            mistake("sum_not_mean", _generalised_variant(reduce="sum"), SECTION_GENERAL),
        ),
    )
    register(output_delta, output_weight_gradient, hidden_delta, delta_gradients,
             fixed_backward, generalised_backward)


_register()
