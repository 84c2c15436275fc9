"""Reverse-mode automatic differentiation on whole arrays: lesson 6's Section 6, at network size.

Lesson 6 trains networks with gradients from this module, so that it never shows lesson 5's
backpropagation code (the delta recursion is what lesson 5 asks the student to write). The
method is the one lesson 6's ``Value`` engine shows on single numbers: every operation records
its inputs and, for each, the *vector-Jacobian product* that turns the gradient of the cost
with respect to its output into the gradient with respect to that input; :meth:`Node.backward`
visits the nodes from the cost down, in reverse topological order, and adds up what each node
sends to its inputs. Nothing here knows about layers or deltas: those come out of the chain rule.

>>> W = Node.variable(np.ones((2, 3)))
>>> cost = total(W @ np.ones((3, 4)))
>>> cost.backward()
>>> W.grad.shape
(2, 3)

Only nodes on a path from a :meth:`Node.variable` to the cost get a gradient; data (plain
arrays, :func:`constant`) do not cost a backward product. Float64 throughout.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .activations import get_activation, sigmoid


class Node:
    """One value of a computation, and how to send a gradient back to its inputs.

    Parameters
    ----------
    value : array_like
        The value, stored as float64.
    inputs : sequence of (Node, callable)
        Each input that needs a gradient, with its vector-Jacobian product
        ``vjp(g) -> gradient contribution of the same shape as the input``.
    needs_grad : bool
        True for a variable, or for any node computed from one.
    """

    __array_ufunc__ = None   # ``ndarray @ node``, ``ndarray * node``: numpy hands them to the node

    def __init__(self, value, inputs=(), needs_grad=False):
        self.value = np.asarray(value, dtype=np.float64)
        self.inputs = tuple(inputs)
        self.needs_grad = needs_grad or bool(self.inputs)
        self.grad = None

    @classmethod
    def variable(cls, value) -> Node:
        """A leaf whose gradient :meth:`backward` computes (a parameter)."""
        return cls(np.array(value, dtype=np.float64), needs_grad=True)

    @property
    def shape(self):
        return self.value.shape

    # ---- arithmetic: each result records its inputs' vector-Jacobian products ----------------

    def __add__(self, other):
        other = _node(other)
        return _result(self.value + other.value,
                       (self, lambda g, s=self.shape: _unbroadcast(g, s)),
                       (other, lambda g, s=other.shape: _unbroadcast(g, s)))

    __radd__ = __add__

    def __neg__(self):
        return _result(-self.value, (self, lambda g: -g))

    def __sub__(self, other):
        return self + (-_node(other))

    def __rsub__(self, other):
        return _node(other) + (-self)

    def __mul__(self, other):
        other = _node(other)
        a, b = self.value, other.value
        return _result(a * b, (self, lambda g: _unbroadcast(g * b, a.shape)),
                       (other, lambda g: _unbroadcast(g * a, b.shape)))

    __rmul__ = __mul__

    def __matmul__(self, other):
        other = _node(other)
        a, b = self.value, other.value
        return _result(a @ b, (self, lambda g: g @ b.T), (other, lambda g: a.T @ g))

    def __rmatmul__(self, other):
        return _node(other) @ self

    # ---- the backward pass ----------------------------------------------------------------

    def backward(self) -> None:
        """Fill ``grad`` of every node this one depends on (this one must be a scalar)."""
        if self.value.shape != ():
            raise ValueError(f"backward() starts from a scalar cost, not shape {self.shape}")
        order = _topological(self)
        for node in order:
            node.grad = None
        self.grad = np.ones(())
        for node in reversed(order):
            if node.grad is None:
                continue
            for parent, vjp in node.inputs:
                contribution = vjp(node.grad)
                parent.grad = contribution if parent.grad is None else parent.grad + contribution


def constant(value) -> Node:
    """Data: a node that takes no gradient."""
    return Node(value)


def _node(value) -> Node:
    return value if isinstance(value, Node) else Node(value)


def _result(value, *inputs) -> Node:
    """A node computed from ``inputs``, keeping only those that need a gradient."""
    kept = tuple((node, vjp) for node, vjp in inputs if node.needs_grad)
    return Node(value, kept)


def _unbroadcast(g, shape):
    """Sum ``g`` over the axes numpy broadcast to reach it from ``shape`` (a bias column)."""
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def _topological(root):
    """Every node ``root`` depends on, each after all of its inputs (no recursion)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((parent, False) for parent, _ in node.inputs if id(parent) not in seen)
    return order


# ---- functions of one node ------------------------------------------------------------------

def elementwise(f: Callable, df: Callable, x) -> Node:
    """``f`` applied entry by entry; its vector-Jacobian product multiplies by ``df``."""
    x = _node(x)
    z = x.value
    return _result(f(z), (x, lambda g: g * df(z)))


def activation(name: str, x) -> Node:
    """The activation ``name`` of :func:`autograder.activations.get_activation`, entry by
    entry."""
    act = get_activation(name)
    return elementwise(act.f, act.df, x)


def softplus(x) -> Node:
    """``log(1 + e**x)``, stable for any size of ``x``; its derivative is the sigmoid."""
    return elementwise(lambda z: np.logaddexp(0.0, z), sigmoid, x)


def total(x) -> Node:
    """The sum of every entry: a scalar."""
    x = _node(x)
    shape = x.shape
    return _result(x.value.sum(), (x, lambda g: np.full(shape, g)))


# ---- what lesson 6 uses --------------------------------------------------------------------

def gradients(cost_of: Callable, params: dict) -> dict:
    """The gradient of ``cost_of(params)`` with respect to every array of ``params``.

    Parameters
    ----------
    cost_of : callable
        ``cost_of(nodes) -> scalar Node``, given ``{name: Node}`` in place of ``params``.
    params : dict
        ``{name: ndarray}`` (not modified).

    Returns
    -------
    dict
        ``{"d" + name: ndarray of the shape of params[name]}``.
    """
    leaves = {name: Node.variable(value) for name, value in params.items()}
    cost_of(leaves).backward()
    return {f"d{name}": leaf.grad if leaf.grad is not None else np.zeros_like(leaf.value)
            for name, leaf in leaves.items()}
