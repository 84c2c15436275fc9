"""The generalised delta rule (seed 004): sigmoid layers, squared-error loss, examples as ROWS.

This is the one module of the package that uses the *rows* convention, because lesson 4 follows
seed 004, which writes ``a^(1) = x w + b^(1)``. Everything else uses columns; see
:mod:`autograder.conventions`. The two are transposes of each other:

=====================  ============================  ==============================
quantity               rows (this module)            columns (the rest)
=====================  ============================  ==============================
inputs                 ``x``  (m, n_in)              ``X = x.T``  (n_in, m)
first-layer weights    ``w``  (n_in, n_hid)          ``W1 = w.T``  (n_hid, n_in)
first-layer bias       ``b1`` (n_hid,)               ``b1[:, None]``  (n_hid, 1)
second-layer weights   ``u``  (n_hid, n_out)         ``W2 = u.T``  (n_out, n_hid)
pre-activations        ``a1 = x @ w + b1``           ``Z1 = W1 @ X + b1 = a1.T``
targets                ``t``  (m, n_out)             ``Y = t.T``  (n_out, m)
=====================  ============================  ==============================

Weight ``w[i, j]`` connects input ``i`` to hidden unit ``j`` (the seed's ``w_ij``), so a
gradient ``dw`` has the shape of ``w`` and its transpose is the columns-convention ``dW1``.

Model and cost
--------------
``h = sigmoid(x @ w + b1)``, ``y = sigmoid(h @ u + b2)``; per-example loss
``L = 1/2 sum_k (y_k - t_k)**2``; the batch cost is the **mean** of ``L`` over the ``m`` rows,
so every gradient below is a mean over examples (the seed's single-example formulas are the
case ``m = 1``).

Deltas
------
``delta`` of a unit is ``dL/da`` of its pre-activation, one row per example:
output ``delta_out = (y - t) y (1 - y)``; hidden
``delta_hid = (delta_out @ u.T) h (1 - h)`` (the seed's generalised rule, with ``h`` and ``u``
where its last line slips to ``y`` and ``w``: slip S5). A weight's gradient is
``(activation feeding it)^T @ (delta of the unit it feeds) / m``.
"""
from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..losses import batch_cost, squared_error
from .update import gradient_step


def _as_float(*arrays):
    """Fresh float64 copies, so no function here can change its caller's arrays."""
    return tuple(np.array(a, dtype=np.float64, copy=True) for a in arrays)


def delta_forward(x, w, b1, u, b2):
    """Forward pass of the two-layer sigmoid network (seed 004, item 004-1), examples as rows.

    Parameters
    ----------
    x : (m, n_in) ndarray
        One example per row.
    w : (n_in, n_hid) ndarray
        ``w[i, j]`` connects input ``i`` to hidden unit ``j``.
    b1 : (n_hid,) ndarray
    u : (n_hid, n_out) ndarray
        ``u[i, j]`` connects hidden unit ``i`` to output ``j``.
    b2 : (n_out,) ndarray

    Returns
    -------
    dict with keys
        ``a1`` (m, n_hid) hidden pre-activation ``x @ w + b1``;
        ``h`` (m, n_hid) hidden activation ``sigmoid(a1)``;
        ``a2`` (m, n_out) output pre-activation ``h @ u + b2``;
        ``y`` (m, n_out) output ``sigmoid(a2)``.
    """
    x, w, b1, u, b2 = _as_float(x, w, b1, u, b2)
    a1 = x @ w + b1  # b1 (n_hid,) broadcasts over the rows
    h = sigmoid(a1)
    a2 = h @ u + b2
    y = sigmoid(a2)
    return {"a1": a1, "h": h, "a2": a2, "y": y}


def delta_cost(x, t, w, b1, u, b2):
    """Mean over the rows of the per-example loss ``1/2 sum_k (y_k - t_k)**2`` (item 004-2).

    Parameters
    ----------
    x : (m, n_in) ndarray
    t : (m, n_out) ndarray
        Targets, one row per example.
    w, b1, u, b2 : see :func:`delta_forward`

    Returns
    -------
    float
    """
    y = delta_forward(x, w, b1, u, b2)["y"]
    # autograder.losses works in columns: transposing is the whole translation.
    return batch_cost(squared_error(y.T, np.asarray(t, dtype=np.float64).T))


def output_delta(y, t):
    """Delta of each output unit, ``dL/da2 = (y - t) y (1 - y)`` (item 004-3).

    ``y - t`` is ``dL/dy`` for the squared error and ``y (1 - y)`` is ``sigma'(a2)`` written with
    the activation ``y = sigma(a2)``.

    Parameters
    ----------
    y : (m, n_out) ndarray
        Network outputs.
    t : (m, n_out) ndarray
        Targets.

    Returns
    -------
    (m, n_out) ndarray
        One row per example (not averaged: the averaging happens in the weight gradients).
    """
    y, t = _as_float(y, t)
    return (y - t) * y * (1.0 - y)


def output_weight_gradient(h, delta_out):
    """Gradient of the batch cost with respect to ``u``: ``h^T delta / m`` (item 004-3).

    Per example ``dL/du_ij = delta_j h_i``; the matrix product sums these outer products over
    the rows and dividing by ``m`` makes it the mean.

    Parameters
    ----------
    h : (m, n_hid) ndarray
        Hidden activations.
    delta_out : (m, n_out) ndarray
        Output deltas from :func:`output_delta`.

    Returns
    -------
    (n_hid, n_out) ndarray
        Same shape as ``u``.
    """
    h, delta_out = _as_float(h, delta_out)
    return h.T @ delta_out / h.shape[0]


def output_weight_update(u, h, delta_out, lr):
    """One gradient-descent step on ``u``: ``u_ij <- u_ij - lr delta_j h_i`` (item 004-4).

    Parameters
    ----------
    u : (n_hid, n_out) ndarray
    h : (m, n_hid) ndarray
    delta_out : (m, n_out) ndarray
    lr : float
        Learning rate (the seed's eta), for the mean cost.

    Returns
    -------
    (n_hid, n_out) ndarray
        The new ``u``; the argument is not changed.
    """
    du = output_weight_gradient(h, delta_out)
    return gradient_step({"u": u}, {"du": du}, lr)["u"]


def hidden_error(delta_out, u):
    """``dL/dh_j = sum_k delta_k u_jk`` for every hidden unit (item 004-5).

    Hidden unit ``j`` feeds every output ``k``, so its error collects one term per output.

    Parameters
    ----------
    delta_out : (m, n_out) ndarray
    u : (n_hid, n_out) ndarray

    Returns
    -------
    (m, n_hid) ndarray
    """
    delta_out, u = _as_float(delta_out, u)
    return delta_out @ u.T  # row-by-row: sum over k of delta_k u_jk


def hidden_delta(delta_out, u, h):
    """Delta of each hidden unit, ``(sum_k delta_k u_jk) h_j (1 - h_j)`` (items 004-7, 004-8).

    Parameters
    ----------
    delta_out : (m, n_out) ndarray
    u : (n_hid, n_out) ndarray
        The weights of the layer *after* the hidden one.
    h : (m, n_hid) ndarray
        The hidden activations (``h (1 - h) = sigma'(a1)``; not the outputs ``y``).

    Returns
    -------
    (m, n_hid) ndarray
    """
    h = np.asarray(h, dtype=np.float64)
    return hidden_error(delta_out, u) * h * (1.0 - h)


def delta_gradients(x, t, w, b1, u, b2):
    """Gradients of the mean cost with respect to all four parameters of the network.

    Parameters
    ----------
    x : (m, n_in) ndarray
    t : (m, n_out) ndarray
    w, b1, u, b2 : see :func:`delta_forward`

    Returns
    -------
    dict with keys
        ``dw`` (n_in, n_hid), ``db1`` (n_hid,), ``du`` (n_hid, n_out), ``db2`` (n_out,):
        each the shape of its parameter.
    """
    x, t = _as_float(x, t)
    m = x.shape[0]
    forward = delta_forward(x, w, b1, u, b2)
    delta_out = output_delta(forward["y"], t)
    delta_hid = hidden_delta(delta_out, u, forward["h"])
    return {
        "dw": x.T @ delta_hid / m,
        "db1": delta_hid.mean(axis=0),  # da1/db1 = 1: the bias gradient is the mean delta
        "du": output_weight_gradient(forward["h"], delta_out),
        "db2": delta_out.mean(axis=0),
    }


def dL_dw11(x, t, w, b1, u, b2):
    """``dL/dw_11`` for ONE example, term by term as in the seed's worked case (item 004-6).

    ``dL/dw_11 = [sum_k (y_k - t_k) y_k (1 - y_k) u_1k] h_1 (1 - h_1) x_1``: one term per output
    (two in the 2-3-2 network), because ``h_1`` feeds every output. Indices in the formula count
    from 1; the code counts from 0.

    Parameters
    ----------
    x : (n_in,) ndarray
        One example.
    t : (n_out,) ndarray
        Its targets.
    w, b1, u, b2 : see :func:`delta_forward`

    Returns
    -------
    float
    """
    x, t = _as_float(x, t)
    forward = delta_forward(x[None, :], w, b1, u, b2)
    h, y = forward["h"][0], forward["y"][0]
    u = np.asarray(u, dtype=np.float64)
    # One path per output k: through y_k, whose pre-activation a2_k depends on h_1 via u_1k.
    paths = [(y[k] - t[k]) * y[k] * (1.0 - y[k]) * u[0, k] for k in range(y.size)]
    dL_dh1 = sum(paths)
    return float(dL_dh1 * h[0] * (1.0 - h[0]) * x[0])


def generalised_forward(x, weights, biases):
    """Forward pass of a sigmoid network of any depth, examples as rows.

    Parameters
    ----------
    x : (m, n_0) ndarray
    weights : list of L ndarrays
        ``weights[l]`` has shape ``(n_l, n_{l+1})``.
    biases : list of L ndarrays
        ``biases[l]`` has shape ``(n_{l+1},)``.

    Returns
    -------
    list of L + 1 ndarrays
        The activations ``[x, h_1, ..., h_{L-1}, y]``, entry ``l`` of shape ``(m, n_l)``.
    """
    if len(weights) != len(biases) or not weights:
        raise ValueError("weights and biases must be non-empty lists of the same length.")
    activations = [np.array(x, dtype=np.float64, copy=True)]
    for w, b in zip(weights, biases):
        a = activations[-1] @ np.asarray(w, dtype=np.float64) + np.asarray(b, dtype=np.float64)
        activations.append(sigmoid(a))
    return activations


def generalised_cost(x, t, weights, biases):
    """Mean squared-error cost (``1/2 sum_k``, mean over rows) of :func:`generalised_forward`."""
    y = generalised_forward(x, weights, biases)[-1]
    return batch_cost(squared_error(y.T, np.asarray(t, dtype=np.float64).T))


def generalised_backward(x, t, weights, biases):
    """Gradients of the mean cost for any depth: the generalised delta rule (item 004-8).

    Every layer uses ``dL/dw_ij = delta_j x_i`` with ``x_i`` the activation feeding the weight;
    the output delta is ``(y - t) y (1 - y)`` and a hidden delta is
    ``delta_j = (sum_k delta_k w_jk) h_j (1 - h_j)``, where ``w_jk`` are the weights of the
    *next* layer and ``h_j`` the activation of the unit itself.

    Parameters
    ----------
    x : (m, n_0) ndarray
    t : (m, n_L) ndarray
    weights, biases : see :func:`generalised_forward`

    Returns
    -------
    dweights : list of L ndarrays, each the shape of its weight matrix
    dbiases : list of L ndarrays, each the shape of its bias
    """
    activations = generalised_forward(x, weights, biases)
    m = activations[0].shape[0]
    y = activations[-1]
    delta = output_delta(y, t)
    n_layers = len(weights)
    dweights, dbiases = [None] * n_layers, [None] * n_layers
    for layer in reversed(range(n_layers)):
        feeding = activations[layer]  # the activations that multiply weights[layer]
        dweights[layer] = feeding.T @ delta / m
        dbiases[layer] = delta.mean(axis=0)
        if layer > 0:  # send the delta back through this layer's weights to the layer below
            delta = hidden_delta(delta, weights[layer], feeding)
    return dweights, dbiases
