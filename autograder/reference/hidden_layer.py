"""One hidden layer: p inputs, d hidden units with activation h, one linear output (seed 000).

Shapes follow :mod:`autograder.conventions` (examples as columns):

==========  ===========  ==================================================
name        shape        meaning
==========  ===========  ==================================================
``X``       ``(p, n)``   one example per column
``y``       ``(1, n)``   targets
``W1``      ``(d, p)``   row ``j`` holds ``w_j^(1)``, the weights into unit ``j``
``b1``      ``(d, 1)``   hidden biases
``W2``      ``(1, d)``   output weights ``w_j^(2)``
``b2``      ``(1, 1)``   output bias ``b^(2)``
``Z1, A1``  ``(d, n)``   hidden pre-activations ``z_j^(1)`` and activations ``a_j^(1)``
``y_hat``   ``(1, n)``   the output ``z^(2)`` (the output unit is linear)
==========  ===========  ==================================================

The per-example loss is the squared error ``L = 1/2 (y_hat - y)**2``; a batch cost is the mean.
Seed 000 sums over the sample instead; the sum is ``n`` times the mean, so it only rescales the
learning rate.

The tied-weight functions (seed 000's second exercise) use one scalar input per example, a 1-D
``x`` of shape ``(n,)``, and one scalar weight ``w`` shared by all ``d`` hidden units.
"""
from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..losses import batch_cost, squared_error, squared_error_grad
from .update import gradient_step


def hidden_forward(params, X, activation="sigmoid"):
    """Forward pass of the one-hidden-layer network (seed item 000-9).

    ``Z1 = W1 X + b1``, ``A1 = h(Z1)``, ``y_hat = W2 A1 + b2``.

    Parameters
    ----------
    params : dict
        ``"W1"`` (d, p), ``"b1"`` (d, 1), ``"W2"`` (1, d), ``"b2"`` (1, 1).
    X : (p, n) ndarray
    activation : str or Activation
        The hidden units' activation ``h``.

    Returns
    -------
    dict
        ``"Z1"`` (d, n), ``"A1"`` (d, n), ``"y_hat"`` (1, n).
    """
    h = get_activation(activation)
    X = np.asarray(X, dtype=np.float64)
    Z1 = np.asarray(params["W1"], dtype=np.float64) @ X + np.asarray(params["b1"], np.float64)
    A1 = h.f(Z1)
    y_hat = np.asarray(params["W2"], dtype=np.float64) @ A1 + np.asarray(params["b2"], np.float64)
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}


def hidden_cost(params, X, y, activation="sigmoid"):
    """Batch cost: the mean over examples of ``1/2 (y_hat - y)**2``.

    Parameters
    ----------
    params : dict, see :func:`hidden_forward`
    X : (p, n) ndarray
    y : (1, n) ndarray
    activation : str or Activation

    Returns
    -------
    float
    """
    y_hat = hidden_forward(params, X, activation)["y_hat"]
    return batch_cost(squared_error(y_hat, y))


def hidden_backward(params, X, y, activation="sigmoid"):
    """Gradients of the batch cost (a mean) with respect to every parameter.

    Per example (seed items 000-10, 000-13, 000-14), with ``delta = dL/dy_hat = y_hat - y``:

    * ``dL/dw_j^(2) = delta * a_j^(1)`` and ``dL/db^(2) = delta``;
    * ``dL/dw_jk^(1) = delta * w_j^(2) * h'(z_j^(1)) * x_k`` and
      ``dL/db_j^(1) = delta * w_j^(2) * h'(z_j^(1))``.

    The batch gradient is the mean of these over the columns of ``X``.

    Parameters
    ----------
    params : dict, see :func:`hidden_forward`
    X : (p, n) ndarray
    y : (1, n) ndarray
    activation : str or Activation

    Returns
    -------
    dict
        ``"dW1"`` (d, p), ``"db1"`` (d, 1), ``"dW2"`` (1, d), ``"db2"`` (1, 1).
    """
    h = get_activation(activation)
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[1]
    cache = hidden_forward(params, X, h)
    delta = squared_error_grad(cache["y_hat"], y)  # (1, n): dL/dy_hat, one per example
    W2 = np.asarray(params["W2"], dtype=np.float64)
    # dL/dz_j^(1) for every unit and example: w_j^(2) * delta, times h' at the HIDDEN z
    dZ1 = (W2.T @ delta) * h.df(cache["Z1"])  # (d, n)
    return {
        "dW1": dZ1 @ X.T / n,  # the product sums over examples; / n makes it the mean
        "db1": dZ1.mean(axis=1, keepdims=True),
        "dW2": delta @ cache["A1"].T / n,
        "db2": delta.mean(axis=1, keepdims=True),
    }


def output_layer_gradients(params, X, y, activation="sigmoid"):
    """``(dW2, db2)``: the output layer's part of :func:`hidden_backward` (seed item 000-14).

    Returns
    -------
    dW2 : (1, d) ndarray
    db2 : (1, 1) ndarray
    """
    grads = hidden_backward(params, X, y, activation)
    return grads["dW2"], grads["db2"]


def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    """``(dW1, db1)``: the hidden layer's part of :func:`hidden_backward` (000-10, 000-13).

    Returns
    -------
    dW1 : (d, p) ndarray
    db1 : (d, 1) ndarray
    """
    grads = hidden_backward(params, X, y, activation)
    return grads["dW1"], grads["db1"]


def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    """One stochastic-gradient step on ONE observation (seed items 000-11, 000-14).

    Parameters
    ----------
    params : dict, see :func:`hidden_forward`
    x : (p, 1) ndarray, one example as a column
    y : (1, 1) ndarray
    lr : float
    activation : str or Activation

    Returns
    -------
    dict
        New parameters, same keys and shapes; ``params`` is not modified.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 1:
        raise ValueError(f"x must be one example as a (p, 1) column; got shape {x.shape}.")
    return gradient_step(params, hidden_backward(params, x, y, activation), lr)


def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    """One full-batch gradient-descent step on the mean cost (seed items 000-12, 000-14).

    Parameters
    ----------
    params : dict, see :func:`hidden_forward`
    X : (p, n) ndarray
    y : (1, n) ndarray
    lr : float
    activation : str or Activation

    Returns
    -------
    dict
        New parameters, same keys and shapes; ``params`` is not modified.
    """
    return gradient_step(params, hidden_backward(params, X, y, activation), lr)


# --- a weight shared by several units (seed item 000-15) ------------------------------------

def tied_weight_forward(w, c, v, b, x, activation="sigmoid"):
    """Forward pass of d hidden units that all use the same input weight ``w``.

    ``z_j = w * x + c_j``, ``a_j = h(z_j)``, ``y_hat = sum_j v_j a_j + b``.

    Parameters
    ----------
    w : float, the shared weight
    c : (d,) ndarray, hidden biases
    v : (d,) ndarray, output weights
    b : float, output bias
    x : (n,) ndarray, one scalar input per example
    activation : str or Activation

    Returns
    -------
    dict
        ``"Z"`` (d, n), ``"A"`` (d, n), ``"y_hat"`` (n,).
    """
    h = get_activation(activation)
    x = np.asarray(x, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    Z = float(w) * x[np.newaxis, :] + c[:, np.newaxis]
    A = h.f(Z)
    y_hat = np.asarray(v, dtype=np.float64) @ A + float(b)
    return {"Z": Z, "A": A, "y_hat": y_hat}


def tied_weight_cost(w, c, v, b, x, y, activation="sigmoid"):
    """Mean over examples of ``1/2 (y_hat - y)**2`` for the tied-weight network.

    Returns
    -------
    float
    """
    y_hat = tied_weight_forward(w, c, v, b, x, activation)["y_hat"]
    return batch_cost(squared_error(y_hat, y))


def tied_weight_path_terms(w, c, v, b, x, y, activation="sigmoid"):
    """The contribution of each path ``w -> z_j -> a_j -> y_hat -> L`` to ``dJ/dw``.

    Path ``j`` contributes ``dL/dy_hat * v_j * h'(z_j) * x`` per example; this returns its mean
    over the examples (the batch cost is a mean).

    Parameters
    ----------
    w, c, v, b, x, activation : see :func:`tied_weight_forward`
    y : (n,) ndarray

    Returns
    -------
    (d,) ndarray
    """
    h = get_activation(activation)
    cache = tied_weight_forward(w, c, v, b, x, h)
    delta = squared_error_grad(cache["y_hat"], y)  # (n,)
    v = np.asarray(v, dtype=np.float64)
    per_example = v[:, np.newaxis] * h.df(cache["Z"]) * (delta * np.asarray(x, np.float64))
    return per_example.mean(axis=1)


def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    """``dJ/dw`` for the shared weight: the SUM of the path terms (multivariate chain rule).

    ``dL/dw = sum_j dL/da_j * da_j/dw``: ``w`` reaches the loss through every unit that uses it.

    Returns
    -------
    float
    """
    return float(np.sum(tied_weight_path_terms(w, c, v, b, x, y, activation)))
