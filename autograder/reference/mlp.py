"""Deep (L-layer) networks: forward pass, empirical risk, backpropagation and mini-batch SGD.

Follows seed 001 (ERM, L-layer backpropagation with Jacobians, mini-batch SGD). Shapes follow
:mod:`autograder.conventions`: examples are columns, ``W_j`` is ``(n_j, n_{j-1})``, ``b_j`` is
``(n_j, 1)``, and a batch cost is the mean of the per-example losses.

Notation (seed 001)
-------------------
``layer_sizes = [n_0, n_1, ..., n_L]`` with ``n_0 = n_in``; ``activations`` is a list of ``L``
names from :mod:`autograder.activations`, one per layer.

* ``F_0 = X``
* ``Z_j = W_j F_{j-1} + b_j``                   ``(n_j, n_samples)``
* ``F_j = sigma_j(Z_j)``                        ``(n_j, n_samples)``
* ``J_j = sigma_j'(Z_j)``                       ``(n_j, n_samples)``: for a coordinatewise
  activation the Jacobian of ``sigma_j`` at one example is ``diag(J_j[:, i])``, so storing the
  diagonal is enough (:func:`elementwise_jacobian` builds the full matrix when it is wanted).

Two ways to the same gradient
-----------------------------
* :func:`jacobian_chain_gradients` applies seed 001's formulas literally, one example at a time,
  with explicit Jacobian matrices: ``dF_L/dW_j = (J_L W_L J_{L-1} ... J_j)^T F_{j-1}^T`` and
  ``dF_L/db_j = (J_L W_L ... J_j)^T`` (Lecture 10 writes ``db_i`` on the left: slip S6).
* :func:`mlp_backward` is the same recursion, vectorised over a batch: the row vector
  ``J_L W_L ... J_j`` transposed is the *delta* ``delta_j = dl/dZ_j`` of one example, and
  ``delta_{j-1} = (W_j^T delta_j) * J_{j-1}`` because ``J_{j-1}`` is diagonal.

The loss as a last activation (seed 001)
----------------------------------------
``l(y, sigma_L(z))`` is itself a map of ``z = Z_L``; using it as the last "activation"
(:func:`absorbed_loss_map`) turns the network into one with a scalar output, the loss, and the
Jacobian formulas then give the gradient of the loss (:func:`absorbed_loss_gradients`).
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ..activations import get_activation, sigmoid
from ..losses import bce_with_logits, squared_error
from .update import gradient_step

#: The losses :func:`mlp_cost` and :func:`mlp_backward` know.
LOSSES = ("squared_error", "bce")


# --------------------------------------------------------------------------------------------
# Parameters and checks of the arguments
# --------------------------------------------------------------------------------------------
def n_layers(params):
    """Number of layers ``L`` of a parameter dict ``{"W1", "b1", ..., "WL", "bL"}``."""
    L = sum(1 for name in params if name.startswith("W"))
    for j in range(1, L + 1):
        if f"W{j}" not in params or f"b{j}" not in params:
            raise ValueError(f"params must hold W1, b1, ..., W{L}, b{L}; found {sorted(params)}.")
    return L


def _activation_list(params, activations):
    L = n_layers(params)
    activations = list(activations)
    if len(activations) != L:
        raise ValueError(f"The network has {L} layers but {len(activations)} activations were "
                         "given: one activation per layer.")
    return [get_activation(a) for a in activations]


def _check_loss(loss, activations):
    if loss not in LOSSES:
        raise ValueError(f"Unknown loss {loss!r}; choose one of {LOSSES}.")
    if loss == "bce" and get_activation(activations[-1]).name != "sigmoid":
        raise ValueError("The 'bce' loss needs a sigmoid last layer (it is computed from the "
                         "logit Z_L, where F_L = sigmoid(Z_L)).")


def init_mlp(layer_sizes, seed=0, scale=None):
    """Seeded random parameters for the layer sizes ``[n_in, n_1, ..., n_L]``.

    Weights are ``scale * N(0, 1)``; by default ``scale = 1 / sqrt(n_{j-1})`` for layer ``j``
    (LeCun's choice), which keeps each ``Z_j`` of order one when the inputs are, so sigmoid and
    tanh units start in their sensitive range. Biases start at zero.

    Parameters
    ----------
    layer_sizes : sequence of int, length L + 1
    seed : int
    scale : float, optional
        One standard deviation for every weight matrix instead of the default.

    Returns
    -------
    dict of str -> ndarray
        ``{"W1": (n_1, n_0), "b1": (n_1, 1), ..., "WL": (n_L, n_{L-1}), "bL": (n_L, 1)}``.
    """
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError("layer_sizes needs at least [n_in, n_out], all positive.")
    rng = np.random.default_rng(seed)
    params = {}
    for j in range(1, len(sizes)):
        std = 1.0 / np.sqrt(sizes[j - 1]) if scale is None else float(scale)
        params[f"W{j}"] = std * rng.standard_normal((sizes[j], sizes[j - 1]))
        params[f"b{j}"] = np.zeros((sizes[j], 1))
    return params


# --------------------------------------------------------------------------------------------
# Forward pass and empirical risk (seed items 001-1, 001-5)
# --------------------------------------------------------------------------------------------
def layer_forward(W, b, F_prev, activation):
    """One layer: ``Z = W F_prev + b``, ``F = sigma(Z)``, ``J = sigma'(Z)`` (seed 001-5).

    Parameters
    ----------
    W : (n_out, n_in) ndarray
    b : (n_out, 1) ndarray
    F_prev : (n_in, n_samples) ndarray
        The previous layer's output (``X`` for the first layer).
    activation : str or Activation

    Returns
    -------
    Z, F, J : (n_out, n_samples) ndarrays
        Pre-activation, activation and the elementwise derivative ``sigma'(Z)`` (the diagonal of
        the activation's Jacobian, one column per example).
    """
    act = get_activation(activation)
    Z = W @ F_prev + b
    return Z, act.f(Z), act.df(Z)


def mlp_forward(params, X, activations):
    """Forward pass of an L-layer network, keeping what the backward pass needs.

    Parameters
    ----------
    params : dict
        ``W1 (n_1, n_0), b1 (n_1, 1), ..., WL, bL``.
    X : (n_0, n_samples) ndarray
    activations : list of L activation names

    Returns
    -------
    output : (n_L, n_samples) ndarray
        ``F_L``.
    cache : dict of str -> ndarray
        ``"F0"`` (= ``X``) and, for ``j = 1..L``, ``"Zj"``, ``"Fj"``, ``"Jj"``, each
        ``(n_j, n_samples)``; ``Jj = sigma_j'(Zj)``.
    """
    acts = _activation_list(params, activations)
    F = np.asarray(X, dtype=np.float64)
    cache = {"F0": F}
    for j, act in enumerate(acts, start=1):
        Z, F, J = layer_forward(params[f"W{j}"], params[f"b{j}"], F, act)
        cache[f"Z{j}"], cache[f"F{j}"], cache[f"J{j}"] = Z, F, J
    return F, cache


def per_example_loss(params, X, Y, activations, loss):
    """The loss of each example, ``l(y_i, F(x_i, theta))``, shape ``(n_samples,)``.

    ``"squared_error"`` is ``1/2 sum_k (F_L - Y)_k^2`` per column. ``"bce"`` is computed from the
    logit ``Z_L`` with :func:`autograder.losses.bce_with_logits` (no ``log(0)``, no overflow).
    """
    _check_loss(loss, activations)
    output, cache = mlp_forward(params, X, activations)
    Y = np.asarray(Y, dtype=np.float64)
    if loss == "bce":
        return np.atleast_1d(bce_with_logits(cache[f"Z{n_layers(params)}"], Y))
    return np.atleast_1d(squared_error(output, Y))


def mlp_cost(params, X, Y, activations, loss):
    """Empirical risk ``R(theta) = 1/n sum_i l(y_i, F(x_i, theta))`` (seed 001-1).

    Parameters
    ----------
    params : dict, see :func:`mlp_forward`
    X : (n_0, n_samples) ndarray
    Y : (n_L, n_samples) ndarray
    activations : list of L activation names
    loss : {"squared_error", "bce"}

    Returns
    -------
    float
        The mean over the batch (a sum would be ``n`` times larger and only rescale the
        learning rate).
    """
    return float(np.mean(per_example_loss(params, X, Y, activations, loss)))


# --------------------------------------------------------------------------------------------
# Backward pass with deltas, vectorised over the batch (seed items 001-2, 001-8)
# --------------------------------------------------------------------------------------------
def output_delta(F_L, J_L, Y, loss):
    """``delta_L = dl/dZ_L`` for each example, ``(n_L, n_samples)``.

    Squared error: ``(F_L - Y) * J_L``. Binary cross-entropy with a sigmoid output:
    ``F_L - Y``, because ``sigma'`` cancels against the derivative of the log.
    """
    if loss == "bce":
        return F_L - Y
    if loss == "squared_error":
        return (F_L - Y) * J_L
    raise ValueError(f"Unknown loss {loss!r}; choose one of {LOSSES}.")


def layer_backward(delta, W, F_prev, J_prev):
    """One layer of the backward pass, from ``delta_j = dl/dZ_j`` (one column per example).

    Parameters
    ----------
    delta : (n_j, n_samples) ndarray
        Per-example ``dl/dZ_j``.
    W : (n_j, n_{j-1}) ndarray
        ``W_j``.
    F_prev : (n_{j-1}, n_samples) ndarray
        The layer's input ``F_{j-1}``.
    J_prev : (n_{j-1}, n_samples) ndarray or None
        ``sigma_{j-1}'(Z_{j-1})``; ``None`` for the first layer, which has no delta below it.

    Returns
    -------
    dW : (n_j, n_{j-1}) ndarray
        ``delta F_prev^T / n``: the mean over the batch of the per-example ``delta_i F_i^T``.
    db : (n_j, 1) ndarray
        The mean of the deltas over the batch.
    delta_prev : (n_{j-1}, n_samples) ndarray or None
        ``(W^T delta) * J_prev``; elementwise because ``J_prev`` is a diagonal Jacobian.
    """
    n = delta.shape[1]
    dW = delta @ F_prev.T / n
    db = delta.sum(axis=1, keepdims=True) / n
    delta_prev = None if J_prev is None else (W.T @ delta) * J_prev
    return dW, db, delta_prev


def backward_from_delta(params, cache, delta_L):
    """Backward pass from a given output delta ``dl/dZ_L`` (one column per example).

    Returns
    -------
    dict of str -> ndarray
        ``{"dW1", "db1", ..., "dWL", "dbL"}``, each the mean over the batch, shaped like its
        parameter.
    """
    L = n_layers(params)
    grads = {}
    delta = delta_L
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        dW, db, delta = layer_backward(delta, params[f"W{j}"], cache[f"F{j - 1}"], J_prev)
        grads[f"dW{j}"], grads[f"db{j}"] = dW, db
    return {key: grads[key] for j in range(1, L + 1) for key in (f"dW{j}", f"db{j}")}


def mlp_backward(params, cache, Y, activations, loss):
    """Gradient of :func:`mlp_cost` by backpropagation (seed 001-2, 001-8).

    Parameters
    ----------
    params : dict, see :func:`mlp_forward`
    cache : dict returned by :func:`mlp_forward`
    Y : (n_L, n_samples) ndarray
    activations : list of L activation names
    loss : {"squared_error", "bce"}

    Returns
    -------
    dict of str -> ndarray
        ``{"dW1": (n_1, n_0), "db1": (n_1, 1), ..., "dWL", "dbL"}``: means over the batch of the
        per-example gradients (the gradient of the average is the average of the gradients).
    """
    _check_loss(loss, activations)
    L = n_layers(params)
    Y = np.asarray(Y, dtype=np.float64)
    delta_L = output_delta(cache[f"F{L}"], cache[f"J{L}"], Y, loss)
    return backward_from_delta(params, cache, delta_L)


def mlp_gradients(params, X, Y, activations, loss):
    """Forward then backward: the gradient of :func:`mlp_cost` at ``params``."""
    _, cache = mlp_forward(params, X, activations)
    return mlp_backward(params, cache, Y, activations, loss)


# --------------------------------------------------------------------------------------------
# Seed 001's formulas with explicit Jacobian matrices, one example (001-6 .. 001-9, 001-3)
# --------------------------------------------------------------------------------------------
class VectorMap(NamedTuple):
    """A layer's map ``R^n -> R^m`` for one example, with its Jacobian ``(m, n)``."""

    name: str
    f: Callable
    jacobian: Callable


def elementwise_jacobian(z, activation):
    """Jacobian of a coordinatewise activation at one example: ``diag(sigma'(z))`` (001-9).

    Output ``k`` depends on input ``k`` only, so every off-diagonal partial derivative is zero.

    Parameters
    ----------
    z : (n,) ndarray
        Pre-activation of one example.
    activation : str or Activation

    Returns
    -------
    (n, n) ndarray
    """
    z = np.asarray(z, dtype=np.float64).reshape(-1)
    return np.diag(get_activation(activation).df(z))


def as_vector_map(activation):
    """A coordinatewise activation (name or :class:`Activation`) as a :class:`VectorMap`."""
    if isinstance(activation, VectorMap):
        return activation
    act = get_activation(activation)
    return VectorMap(act.name, act.f, lambda z, act=act: elementwise_jacobian(z, act))


def absorbed_loss_map(y, loss, last_activation):
    """The loss ``l(y, sigma_L(z))`` of one example as a final "activation" of ``z = Z_L`` (001-3).

    The map sends ``z`` (n_L,) to the loss, a vector of one entry, so the network that ends with
    it has a scalar output and its Jacobian is a ``(1, n_L)`` row: ``dl/dZ_L`` transposed.

    Parameters
    ----------
    y : (n_L,) ndarray
        Target of the example.
    loss : {"squared_error", "bce"}
    last_activation : str or Activation
        ``sigma_L`` (must be the sigmoid for ``"bce"``).

    Returns
    -------
    VectorMap
    """
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    act = get_activation(last_activation)
    _check_loss(loss, [act])
    if loss == "bce":
        def f(z):
            return np.atleast_1d(np.sum(bce_with_logits(z, y)))

        def jacobian(z):
            return (sigmoid(z) - y).reshape(1, -1)
    else:
        def f(z):
            return np.atleast_1d(0.5 * np.sum((act.f(z) - y) ** 2))

        def jacobian(z):
            return ((act.f(z) - y) * act.df(z)).reshape(1, -1)
    return VectorMap(f"{loss}({act.name})", f, jacobian)


def jacobian_forward(params, x, activations):
    """Forward pass for one example with explicit Jacobian matrices (001-5, 001-9).

    Parameters
    ----------
    params : dict, see :func:`mlp_forward`
    x : (n_0,) or (n_0, 1) ndarray
    activations : list of L activation names, Activations or VectorMaps

    Returns
    -------
    layer_inputs : list of L column vectors
        ``[F_0, ..., F_{L-1}]``, ``F_{j-1}`` is ``(n_{j-1}, 1)``: the input of layer ``j``.
    jacobians : list of L ndarrays
        ``[J_1, ..., J_L]``, ``J_j`` the Jacobian of layer ``j``'s map at ``Z_j``,
        ``(n_j, n_j)`` for a coordinatewise activation.
    output : (m, 1) ndarray
        ``F_L``.
    """
    maps = [as_vector_map(a) for a in activations]
    if len(maps) != n_layers(params):
        raise ValueError("One activation per layer is needed.")
    F = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    layer_inputs, jacobians = [], []
    for j, layer_map in enumerate(maps, start=1):
        layer_inputs.append(F)
        z = (params[f"W{j}"] @ F + params[f"b{j}"]).reshape(-1)
        jacobians.append(np.atleast_2d(layer_map.jacobian(z)))
        F = np.asarray(layer_map.f(z), dtype=np.float64).reshape(-1, 1)
    return layer_inputs, jacobians, F


def jacobian_backward(params, layer_inputs, jacobians):
    """Seed 001's multivariate backward pass for a scalar output (001-6, 001-7, 001-8).

    With the row vector ``P_j = J_L W_L J_{L-1} W_{L-1} ... J_j`` (shape ``(1, n_j)``):
    ``dF_L/dW_j = P_j^T F_{j-1}^T`` and ``dF_L/db_j = P_j^T``, and ``P_{j-1} = P_j W_j J_{j-1}``.

    Parameters
    ----------
    params : dict
        ``W1 (n_1, n_0), ..., WL`` (biases are not needed).
    layer_inputs : list of L ndarrays
        ``[F_0, ..., F_{L-1}]`` as columns ``(n_{j-1}, 1)``.
    jacobians : list of L ndarrays
        ``[J_1, ..., J_L]``; ``J_j`` is ``(n_j, n_j)`` for ``j < L`` and ``J_L`` has ONE row
        (``(1, n_L)``): the output ``F_L`` must be a scalar.

    Returns
    -------
    dict of str -> ndarray
        ``{"dW1": (n_1, n_0), "db1": (n_1, 1), ..., "dWL", "dbL"}``.
    """
    L = len(jacobians)
    row = np.atleast_2d(np.asarray(jacobians[-1], dtype=np.float64))
    if row.shape[0] != 1:
        raise ValueError(f"The output must be a scalar: J_L has {row.shape[0]} rows, not 1. "
                         "Absorb the loss into the last layer to get a scalar output.")
    grads = {}
    for j in range(L, 0, -1):
        F_prev = np.asarray(layer_inputs[j - 1], dtype=np.float64).reshape(-1, 1)
        grads[f"dW{j}"] = row.T @ F_prev.T
        grads[f"db{j}"] = row.T
        if j > 1:
            row = row @ params[f"W{j}"] @ jacobians[j - 2]
    return {key: grads[key] for j in range(1, L + 1) for key in (f"dW{j}", f"db{j}")}


def jacobian_chain_gradients(params, x, activations):
    """Gradients of a scalar output ``F_L`` (n_L = 1) for one example, by Jacobian products.

    Parameters
    ----------
    params : dict, see :func:`mlp_forward`
    x : (n_0,) ndarray
    activations : list of L activation names (or maps whose last one is scalar-valued)

    Returns
    -------
    dict of str -> ndarray
        ``dF_L/dW_j = (J_L W_L ... J_j)^T F_{j-1}^T`` and ``dF_L/db_j = (J_L W_L ... J_j)^T``.
    """
    layer_inputs, jacobians, _ = jacobian_forward(params, x, activations)
    return jacobian_backward(params, layer_inputs, jacobians)


def absorbed_loss_gradients(params, x, y, activations, loss):
    """Gradient of one example's loss, as the gradient of the network whose last map is the loss.

    Equals :func:`mlp_backward` on the batch made of this one example (001-3).
    """
    maps = list(activations[:-1]) + [absorbed_loss_map(y, loss, activations[-1])]
    return jacobian_chain_gradients(params, x, maps)


# --------------------------------------------------------------------------------------------
# Cost of backpropagation: O(V + E) (001-4)
# --------------------------------------------------------------------------------------------
def graph_size(layer_sizes):
    """Number of nodes ``V`` (every unit, inputs included) and edges ``E`` (weights).

    ``V = n_0 + n_1 + ... + n_L`` and ``E = sum_j n_j n_{j-1}``. Biases are not counted as edges
    (they would add ``V - n_0``, which changes nothing in ``O(V + E)``).
    """
    sizes = [int(n) for n in layer_sizes]
    V = sum(sizes)
    E = sum(a * b for a, b in zip(sizes[1:], sizes[:-1]))
    return V, E


def forward_operation_count(layer_sizes):
    """Operations of one forward pass for one example: a multiply-add per edge, an activation
    per non-input node: ``E + V - n_0``."""
    V, E = graph_size(layer_sizes)
    return E + V - int(layer_sizes[0])


def backward_operation_count(layer_sizes):
    """Multiplications (each multiply-add counted once) of backpropagation for one example.

    Per edge of layer ``j``: one product for ``dW_j`` and, for ``j > 1``, one multiply-add for
    the message ``W_j^T delta_j``; per non-input node: one product with its ``J``. That is
    ``2E - n_0 n_1 + V - n_0 <= 2(V + E)``: linear in the size of the graph.
    """
    sizes = [int(n) for n in layer_sizes]
    V, E = graph_size(sizes)
    return 2 * E - sizes[0] * sizes[1] + V - sizes[0]


def message_passing_backward(params, x, activations):
    """Backpropagation for one example and a scalar output, node by node, counting the work.

    The same gradients as :func:`jacobian_chain_gradients`, computed as messages along the
    edges of the graph, with every multiplication counted.

    Returns
    -------
    grads : dict of str -> ndarray
    n_operations : int
        Equals :func:`backward_operation_count` of the layer sizes.
    """
    acts = _activation_list(params, activations)
    L = len(acts)
    if params[f"W{L}"].shape[0] != 1:
        raise ValueError("message_passing_backward needs a scalar output (n_L = 1).")
    _, cache = mlp_forward(params, np.asarray(x, dtype=np.float64).reshape(-1, 1), acts)
    count = 0
    delta = np.zeros(1)
    delta[0] = cache[f"J{L}"][0, 0] * 1.0  # dF_L/dZ_L: the seed message 1 times sigma_L'
    count += 1
    grads = {}
    for j in range(L, 0, -1):
        W = params[f"W{j}"]
        F_prev = cache[f"F{j - 1}"][:, 0]
        n_out, n_in = W.shape
        dW, db, message = np.zeros((n_out, n_in)), np.zeros((n_out, 1)), np.zeros(n_in)
        for k in range(n_out):
            db[k, 0] = delta[k]  # a copy: no arithmetic
            for i in range(n_in):
                dW[k, i] = delta[k] * F_prev[i]
                count += 1
                if j > 1:
                    message[i] += W[k, i] * delta[k]
                    count += 1
        grads[f"dW{j}"], grads[f"db{j}"] = dW, db
        if j > 1:
            J_prev = cache[f"J{j - 1}"][:, 0]
            delta = np.zeros(n_in)
            for i in range(n_in):
                delta[i] = message[i] * J_prev[i]
                count += 1
    grads = {key: grads[key] for j in range(1, L + 1) for key in (f"dW{j}", f"db{j}")}
    return grads, count


# --------------------------------------------------------------------------------------------
# Mini-batches and SGD (001-10, 001-11)
# --------------------------------------------------------------------------------------------
def sample_minibatch(n_samples, batch_size, rng):
    """Indices of a mini-batch drawn uniformly without replacement: ``rng.choice(n, b, False)``."""
    if not 1 <= int(batch_size) <= int(n_samples):
        raise ValueError(f"batch_size must be between 1 and n_samples = {n_samples}.")
    return rng.choice(int(n_samples), size=int(batch_size), replace=False)


def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    """Gradient of the cost on one random mini-batch: an unbiased estimate of the full gradient.

    Parameters
    ----------
    params : dict, see :func:`mlp_forward`
    X : (n_0, n_samples) ndarray
    Y : (n_L, n_samples) ndarray
    activations : list of L activation names
    loss : {"squared_error", "bce"}
    batch_size : int, 1 <= batch_size <= n_samples
    rng : numpy.random.Generator
        The batch is ``idx = rng.choice(n_samples, size=batch_size, replace=False)``; each input
        column ``X[:, i]`` stays paired with its own target ``Y[:, i]``.

    Returns
    -------
    dict of str -> ndarray
        ``{"dW1", "db1", ...}``: the mean gradient over the batch.
    """
    idx = sample_minibatch(X.shape[1], batch_size, rng)
    return mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)


def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    """One epoch of mini-batch SGD: shuffle once, then one step per consecutive batch.

    Parameters
    ----------
    params : dict, see :func:`mlp_forward` (not modified)
    X : (n_0, n_samples) ndarray
    Y : (n_L, n_samples) ndarray
    activations : list of L activation names
    loss : {"squared_error", "bce"}
    lr : float
    batch_size : int
    rng : numpy.random.Generator
        The order is ``rng.permutation(n_samples)``; batch ``k`` is
        ``order[k * batch_size:(k + 1) * batch_size]`` (the last one may be smaller).

    Returns
    -------
    dict of str -> ndarray
        The parameters after ``ceil(n_samples / batch_size)`` steps
        ``theta <- theta - lr * grad``.
    """
    n = X.shape[1]
    if not 1 <= int(batch_size) <= n:
        raise ValueError(f"batch_size must be between 1 and n_samples = {n}.")
    order = rng.permutation(n)
    for start in range(0, n, int(batch_size)):
        batch = order[start:start + int(batch_size)]
        grads = mlp_gradients(params, X[:, batch], Y[:, batch], activations, loss)
        params = gradient_step(params, grads, lr)
    return params


def minibatch_sgd(params, X, Y, activations, loss, lr, batch_size, n_epochs, seed=0):
    """Train by mini-batch SGD for ``n_epochs`` epochs (001-11).

    Returns
    -------
    params : dict
        The trained parameters (the input dict is not modified).
    history : (n_epochs + 1,) ndarray
        The full-data cost before training and after each epoch.
    """
    rng = np.random.default_rng(seed)
    params = {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}
    history = [mlp_cost(params, X, Y, activations, loss)]
    for _ in range(int(n_epochs)):
        params = sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng)
        history.append(mlp_cost(params, X, Y, activations, loss))
    return params, np.array(history)


__all__ = [
    "VectorMap", "LOSSES", "n_layers", "init_mlp", "layer_forward", "mlp_forward",
    "per_example_loss", "mlp_cost", "output_delta", "layer_backward", "backward_from_delta",
    "mlp_backward", "mlp_gradients", "elementwise_jacobian", "as_vector_map", "absorbed_loss_map",
    "jacobian_forward", "jacobian_backward", "jacobian_chain_gradients", "absorbed_loss_gradients",
    "graph_size", "forward_operation_count", "backward_operation_count",
    "message_passing_backward", "sample_minibatch", "minibatch_gradient", "sgd_epoch",
    "minibatch_sgd",
]
