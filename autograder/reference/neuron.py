"""The single neuron of seed 000: one input, one weight, one bias, an activation ``h``.

Model and loss (shapes: :mod:`autograder.conventions`)
-------------------------------------------------------
``w`` and ``b`` are floats; ``x`` is one observation (a float) or a batch of observations, a 1-D
array ``(n_samples,)``; ``y`` has the shape of ``x``.

* forward (000-1): ``z = w x + b``, ``y_hat = a = h(z)``
* per-example loss: ``L = 1/2 (y_hat - y)**2``, so ``dL/dy_hat = y_hat - y``
* chain rule for one observation (000-3, 000-5)::

      dL/dw = dL/dy_hat * h'(z) * x        (dz/dw = x)
      dL/db = dL/dy_hat * h'(z) * 1        (dz/db = 1; seed 000 writes "l_1", slip S2)

* batch cost: the **mean** of the per-example losses; its gradient is the mean of the
  per-example gradients (000-6, 001-2). Seed 000 sums instead; a sum is ``n`` times the mean,
  which only rescales the learning rate (``lr_sum = lr_mean / n``).

The activation is given by name (``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``) or as an
:class:`autograder.activations.Activation`.
"""
from __future__ import annotations

import numpy as np

from ..activations import get_activation
from ..losses import batch_cost, squared_error, squared_error_grad
from .update import gradient_step


def _as_float(value, name):
    """A scalar argument (``w``, ``b``, ``lr``) as a Python float, with a clear error otherwise."""
    array = np.asarray(value, dtype=np.float64)
    if array.size != 1:
        raise ValueError(f"{name} must be one number; got shape {array.shape}.")
    return float(array.reshape(()))


def _as_observations(x, y=None):
    """``x`` (and ``y``) as float64 arrays; ``y`` must have the shape of ``x``."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim > 1:
        raise ValueError(f"x must be a float or a 1-D array (n_samples,); got shape {x.shape}.")
    if y is None:
        return x
    y = np.asarray(y, dtype=np.float64)
    if y.shape != x.shape:
        raise ValueError(f"y must have the shape of x, {x.shape}; got {y.shape}.")
    return x, y


def _out(array):
    """Return 0-d results as Python floats and arrays as they are."""
    return float(array) if np.ndim(array) == 0 else array


def neuron_forward(w, b, x, activation="sigmoid"):
    """Forward pass of the one-input neuron: ``z = w x + b``, ``a = h(z)`` (seed 000, 000-1).

    Parameters
    ----------
    w, b : float
        Weight and bias.
    x : float or (n_samples,) ndarray
        One observation or a batch of observations.
    activation : str or Activation
        ``h``; the sigmoid by default.

    Returns
    -------
    z : float or (n_samples,) ndarray
        The linear predictor, shape of ``x``.
    a : float or (n_samples,) ndarray
        The activation ``h(z)``, which is also the prediction ``y_hat``; shape of ``x``.
    """
    h = get_activation(activation)
    x = _as_observations(x)
    z = _as_float(w, "w") * x + _as_float(b, "b")
    return _out(z), _out(h.f(z))


def neuron_example_gradients(w, b, x, y, activation="sigmoid"):
    """Gradients of each observation's loss ``1/2 (y_hat - y)**2`` with respect to ``w`` and ``b``.

    The chain rule through ``z = w x + b`` and ``y_hat = h(z)`` (000-3, 000-5)::

        dL/dw = (y_hat - y) * h'(z) * x
        dL/db = (y_hat - y) * h'(z) * 1

    ``h'`` is evaluated at the pre-activation ``z``, not at ``a``.

    Parameters
    ----------
    w, b : float
    x : float or (n_samples,) ndarray
        Observations; each entry is one example and gets its own gradient.
    y : float or (n_samples,) ndarray
        Targets, shape of ``x``.
    activation : str or Activation

    Returns
    -------
    dw, db : float or (n_samples,) ndarray
        Entry ``i`` is the gradient of example ``i``'s loss; shape of ``x``.
    """
    h = get_activation(activation)
    x, y = _as_observations(x, y)
    z = _as_float(w, "w") * x + _as_float(b, "b")
    # dL/dz is shared by both parameters: compute it once (seed 003's key idea, 003-11).
    dL_dz = squared_error_grad(h.f(z), y) * h.df(z)
    dz_dw = x
    dz_db = np.ones_like(x)
    return _out(dL_dz * dz_dw), _out(dL_dz * dz_db)


def neuron_cost(w, b, x, y, activation="sigmoid"):
    """The batch cost: the mean over observations of ``1/2 (y_hat - y)**2``.

    Parameters
    ----------
    w, b : float
    x, y : float or (n_samples,) ndarray, same shape
    activation : str or Activation

    Returns
    -------
    float
    """
    x, y = _as_observations(x, y)
    _, y_hat = neuron_forward(w, b, x, activation)
    return batch_cost(np.atleast_1d(squared_error(y_hat, y)))


def neuron_batch_gradients(w, b, x, y, activation="sigmoid"):
    """Gradient of :func:`neuron_cost`: the mean of the per-example gradients (000-6, 001-2).

    The derivative of a sum is the sum of the derivatives, so the derivative of the mean cost
    is the mean of :func:`neuron_example_gradients`.

    Parameters
    ----------
    w, b : float
    x, y : float or (n_samples,) ndarray, same shape
    activation : str or Activation

    Returns
    -------
    dw, db : float
    """
    dw, db = neuron_example_gradients(w, b, x, y, activation)
    return float(np.mean(dw)), float(np.mean(db))


def neuron_sgd_step(w, b, x_i, y_i, lr, activation="sigmoid"):
    """One stochastic-gradient step on a single observation ``(x_i, y_i)`` (000-2, 000-4).

    ``w <- w - lr * dL/dw`` and ``b <- b - lr * dL/db``, both gradients taken at the current
    ``(w, b)`` before either parameter changes.

    Parameters
    ----------
    w, b : float
    x_i, y_i : float
        One observation and its target.
    lr : float
        Learning rate (``eta`` in seed 000).
    activation : str or Activation

    Returns
    -------
    w, b : float
        The updated parameters.
    """
    x_i, y_i = _as_float(x_i, "x_i"), _as_float(y_i, "y_i")
    dw, db = neuron_example_gradients(w, b, x_i, y_i, activation)
    return _step(w, b, dw, db, lr)


def neuron_gd_step(w, b, x, y, lr, activation="sigmoid"):
    """One full-batch gradient-descent step on the mean cost (000-7, 000-8).

    ``w <- w - lr * mean_i dL_i/dw`` and ``b <- b - lr * mean_i dL_i/db``. Seed 000 sums over
    the observations; that is this step with ``lr`` multiplied by ``n_samples``.

    Parameters
    ----------
    w, b : float
    x, y : (n_samples,) ndarray
        The whole sample (or a mini-batch), same shape.
    lr : float
    activation : str or Activation

    Returns
    -------
    w, b : float
        The updated parameters.
    """
    dw, db = neuron_batch_gradients(w, b, x, y, activation)
    return _step(w, b, dw, db, lr)


def _step(w, b, dw, db, lr):
    """``(w, b) - lr * (dw, db)`` through the course's one update rule, as two floats."""
    new = gradient_step({"w": _as_float(w, "w"), "b": _as_float(b, "b")},
                        {"dw": dw, "db": db}, _as_float(lr, "lr"))
    return new["w"], new["b"]
