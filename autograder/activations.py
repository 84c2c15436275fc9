"""Activation functions and their derivatives, elementwise on float64 arrays.

Every derivative takes the *pre-activation* ``z``, not the activation ``a = h(z)``; passing
``a`` where ``z`` is meant is one of the mistakes the checks recognise.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np


def sigmoid(z):
    """Logistic sigmoid ``1 / (1 + exp(-z))``, computed without overflow.

    For ``z >= 0`` use ``1 / (1 + e^-z)``; for ``z < 0`` the algebraically equal
    ``e^z / (1 + e^z)``: neither branch exponentiates a large positive number, so there is no
    overflow warning even for ``|z|`` of 1e4 or more.

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray of float64, same shape as ``z``, values in [0, 1]
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    """Derivative of the sigmoid at ``z``: ``sigma(z) * (1 - sigma(z))``.

    Parameters
    ----------
    z : array_like, any shape (pre-activation, not the activation)

    Returns
    -------
    ndarray of float64, same shape as ``z``
    """
    # Computed as sigma(z) * sigma(-z) (= sigma(z) * (1 - sigma(z))): ``1 - sigma(z)`` loses all
    # its digits to cancellation once sigma(z) rounds to 1 (z > ~37), sigma(-z) keeps them, so
    # the derivative stays accurate to the last digit in both tails.
    return sigmoid(z) * sigmoid(-np.asarray(z, dtype=np.float64))


def tanh(z):
    """Hyperbolic tangent (numpy's is already stable)."""
    return np.tanh(np.asarray(z, dtype=np.float64))


def tanh_prime(z):
    """Derivative of tanh at ``z``: ``1 - tanh(z)**2``."""
    # Computed as sech(z)**2 with sech(z) = 2 e / (1 + e**2), e = exp(-|z|) in (0, 1]: the
    # direct 1 - tanh(z)**2 cancels to 0 once tanh(z) rounds to +-1 (|z| > ~19) and loses
    # digits well before; this form keeps them and, unlike 1 / cosh(z)**2, never overflows.
    e = np.exp(-np.abs(np.asarray(z, dtype=np.float64)))
    sech = 2.0 * e / (1.0 + e * e)
    return sech * sech


def relu(z):
    """Rectified linear unit ``max(0, z)``."""
    z = np.asarray(z, dtype=np.float64)
    return np.maximum(z, 0.0)


def relu_prime(z):
    """Derivative of ReLU: 1 where ``z > 0``, else 0 (the subgradient 0 is used at ``z = 0``)."""
    z = np.asarray(z, dtype=np.float64)
    return (z > 0).astype(np.float64)


def identity(z):
    """The identity activation, used by a linear output unit."""
    return np.array(z, dtype=np.float64, copy=True)


def identity_prime(z):
    """Derivative of the identity: ones of the shape of ``z``."""
    return np.ones_like(np.asarray(z, dtype=np.float64))


class Activation(NamedTuple):
    """An activation function ``f`` together with its derivative ``df`` (both take ``z``)."""

    name: str
    f: Callable
    df: Callable


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
    "identity": Activation("identity", identity, identity_prime),
}


def get_activation(name) -> Activation:
    """Look up an activation by name (``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``).

    An :class:`Activation` passed in is returned unchanged, so functions may take either.
    """
    if isinstance(name, Activation):
        return name
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"Unknown activation {name!r}; choose one of: {known}.") from None
