"""The forward and the backward pass as a list of steps, one node or weight at a time.

A *walkthrough* is the list of :class:`Step` records for one example through one network: first
the forward pass (each node's value), then the backward pass (each node's and each weight's
gradient, with the local factor it multiplied in and the formula with the numbers plugged in,
"dL/dh1 = δ1 u11 + δ2 u12 = (0.1)(0.3) + (0.2)(-0.4) = -0.05"). Two networks:

* :func:`neuron_walkthrough`: lesson 1's single neuron ``x -> z = w x + b -> a = σ(z) -> L``,
  with the lesson's worked numbers ``w = 0.5, b = -1, x = 2, y = 1`` (Section 6);
* :func:`hidden_walkthrough`: lesson 2's 3-2-1 network (sigmoid hidden units, a linear output),
  with the first column of the lesson's worked example, :func:`lesson2_worked_example`;
* :func:`network_232_walkthrough`: seed 004's 2-3-2 network (lesson 4), with the first example
  of the lesson's worked batch, :func:`lesson4_worked_example`.

Every value is computed by the gradient-checked reference functions of
:mod:`autograder.reference` (``tests/unit/test_pictures_stepper.py`` compares them with those and
with finite differences). The intermediate values in between (``dL/da``, ``dL/dz``) are the
products those functions form. The student package holds no reference: there
:func:`walkthrough` reads the lesson's worked examples from ``data/walkthroughs.json``, which
:func:`record_walkthroughs` writes when the package is built (the values the stepper shows
anyway, and nothing else).

"Use my functions": :func:`student_values` runs a student's own functions (passed in by name, as
the lesson's exercises call them) on the same example, feeding each the student's own upstream
results, and :func:`check_steps` compares their numbers with the reference, step by step.
:func:`first_difference` is the first step that differs: the place where the bug enters.
Nothing here imports a widget.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..activations import sigmoid, sigmoid_prime

#: The lesson's worked walkthroughs, recorded for the student package (see the module docstring).
RECORDED = Path(__file__).resolve().parent.parent / "data" / "walkthroughs.json"

#: Lesson 1, Section 6: the worked example of the chain rule for one neuron.
NEURON_WORKED = {"w": 0.5, "b": -1.0, "x": 2.0, "y": 1.0}
#: A student's number matches the reference when within these tolerances (float64 maths on the
#: same inputs agrees to ~1e-15; a slip changes a value by far more than 1e-9).
RTOL, ATOL = 1e-7, 1e-10
#: The networks a walkthrough can follow: lesson 1's neuron, lesson 2's hidden layer, lesson 4's
#: 2-3-2 network.
NETWORKS = ("neuron", "hidden", "232")
#: The names a notebook may pass in ``student_functions``, per network, with what each computes.
STUDENT_FUNCTIONS = {
    "neuron": {"neuron_forward": "(w, b, x) -> (z, a)",
               "neuron_example_gradients": "(w, b, x, y) -> (dw, db)"},
    "hidden": {"hidden_forward": "(params, X) -> {'Z1', 'A1', 'y_hat'}",
               "output_layer_gradients": "(params, X, y) -> (dW2, db2)",
               "hidden_layer_gradients": "(params, X, y) -> (dW1, db1)"},
    "232": {"delta_forward": "(x, w, b1, u, b2) -> {'a1', 'h', 'a2', 'y'}",
            "output_delta": "(y, t) -> delta_out",
            "output_weight_gradient": "(h, delta_out) -> du",
            "hidden_error": "(delta_out, u) -> dL/dh",
            "hidden_delta": "(delta_out, u, h) -> delta_hid",
            "delta_gradients": "(x, t, w, b1, u, b2) -> {'dw', 'db1', 'du', 'db2'}"},
}


@dataclass(frozen=True)
class Step:
    """One step of a walkthrough.

    Attributes
    ----------
    key : str
        Unique within the walkthrough: ``"h1"``, ``"dL/dh1"``, ``"dL/dw11"``.
    phase : {"forward", "backward"}
    symbol : str
        What this step computes, as shown: ``"h1"``, ``"∂L/∂h1"``, ``"δ1"``.
    value : float
        Its value, from the reference functions.
    formula : str
        The formula, then the numbers plugged in, then the result.
    local : str
        The local factor this step multiplied in ("" for the forward pass and the first step).
    targets : tuple of str
        The nodes and edges of the picture this step is about (highlighted).
    source : str
        The student function that computes this value ("" if none does).
    """

    key: str
    phase: str
    symbol: str
    value: float
    formula: str
    local: str
    targets: tuple
    source: str = ""


@dataclass(frozen=True)
class StepCheck:
    """A student's value for a step, next to the reference.

    Attributes
    ----------
    step : Step
    status : {"match", "differs", "error", "unchecked"}
        ``"unchecked"``: none of the functions passed in computes this value.
    student : float or None
    message : str
        One line for the student.
    """

    step: Step
    status: str
    student: float | None
    message: str


@dataclass(frozen=True)
class Walkthrough:
    """The steps of one network on one example, and its inputs (for :func:`student_values`).

    Attributes
    ----------
    network : {"neuron", "hidden", "232"}
    steps : tuple of Step
    inputs : dict
        The example and the parameters: ``w, b, x, y``; ``W1, b1, W2, b2, x, y``; or
        ``x, t, w, b1, u, b2``.
    """

    network: str
    steps: tuple
    inputs: dict

    def index(self, key) -> int:
        """Position of the step with this key."""
        for i, step in enumerate(self.steps):
            if step.key == key:
                return i
        raise KeyError(f"no step {key!r}; steps are {[s.key for s in self.steps]}")

    def step(self, key) -> Step:
        return self.steps[self.index(key)]

    @property
    def n_forward(self) -> int:
        return sum(step.phase == "forward" for step in self.steps)


def _n(value) -> str:
    """A number for a formula: 4 significant digits, negatives in brackets when multiplied."""
    text = f"{float(value):.4g}"
    return f"({text})" if text.startswith("-") else text


def _r(value) -> str:
    """A result: 4 significant digits, never bracketed."""
    return f"{float(value):.4g}"


# --------------------------------------------------------------------------------------------
# The single neuron


def neuron_walkthrough(w=NEURON_WORKED["w"], b=NEURON_WORKED["b"], x=NEURON_WORKED["x"],
                       y=NEURON_WORKED["y"]) -> Walkthrough:
    """The single sigmoid neuron with squared-error loss, one observation, step by step.

    Parameters
    ----------
    w, b, x, y : float
        Weight, bias, input and target (lesson 1's worked example by default).

    Returns
    -------
    Walkthrough
        Steps ``x, z, a, L`` (forward) and ``dL/da, dL/dz, dL/dw, dL/db`` (backward).
    """
    from ..reference import neuron

    w, b, x, y = (float(v) for v in (w, b, x, y))
    z, a = neuron.neuron_forward(w, b, x)
    dw, db = neuron.neuron_example_gradients(w, b, x, y)
    loss = neuron.neuron_cost(w, b, np.array([x]), np.array([y]))
    dL_da = a - y  # d/da of 1/2 (a - y)^2
    slope = float(sigmoid_prime(z))
    dL_dz = dL_da * slope  # equals db: dz/db = 1
    steps = (
        Step("x", "forward", "x", x, f"x = {_r(x)}", "", ("x",)),
        Step("z", "forward", "z", z, f"z = w x + b = {_n(w)} · {_n(x)} + {_n(b)} = {_r(z)}", "",
             ("z", "w", "b"), "neuron_forward"),
        Step("a", "forward", "a", a, f"a = σ(z) = σ({_r(z)}) = {_r(a)}", "", ("a", "σ"),
             "neuron_forward"),
        Step("L", "forward", "L", loss, f"L = ½ (a − y)² = ½ ({_r(a)} − {_r(y)})² = {_r(loss)}",
             "", ("L",)),
        Step("dL/da", "backward", "∂L/∂a", dL_da, f"∂L/∂a = a − y = {_r(a)} − {_n(y)} = "
             f"{_r(dL_da)}", "∂L/∂a = a − y (from L = ½ (a − y)²)", ("a", "loss")),
        Step("dL/dz", "backward", "∂L/∂z", dL_dz, f"∂L/∂z = ∂L/∂a · σ'(z) = {_n(dL_da)} · "
             f"{_n(slope)} = {_r(dL_dz)}", f"σ'(z) = a (1 − a) = {_r(slope)}", ("z", "σ"),
             "neuron_example_gradients"),
        Step("dL/dw", "backward", "∂L/∂w", dw, f"∂L/∂w = ∂L/∂z · x = {_n(dL_dz)} · {_n(x)} = "
             f"{_r(dw)}", f"∂z/∂w = x = {_r(x)}", ("w", "x"), "neuron_example_gradients"),
        Step("dL/db", "backward", "∂L/∂b", db, f"∂L/∂b = ∂L/∂z · 1 = {_r(db)}",
             "∂z/∂b = 1", ("b",), "neuron_example_gradients"),
    )
    return Walkthrough("neuron", steps, {"w": w, "b": b, "x": x, "y": y})


# --------------------------------------------------------------------------------------------
# Lesson 2's network: one hidden layer, one linear output


def lesson2_worked_example():
    """Lesson 2's worked example (its first cell of numbers): params and the 4 examples.

    Returns
    -------
    params : dict
        ``"W1"`` (2, 3), ``"b1"`` (2, 1), ``"W2"`` (1, 2), ``"b2"`` (1, 1).
    X : (3, 4) ndarray
    y : (1, 4) ndarray
    """
    params = {"W1": np.array([[0.5, -0.3, 0.8], [-0.6, 0.4, 0.2]]),
              "b1": np.array([[0.1], [-0.2]]), "W2": np.array([[1.2, -0.7]]),
              "b2": np.array([[0.3]])}
    X = np.array([[1.0, -0.5, 0.3, 2.0], [0.2, 1.5, -1.0, 0.0], [-0.4, 0.8, 0.6, -1.2]])
    y = np.array([[0.5, -0.2, 1.0, 0.3]])
    return params, X, y


def hidden_walkthrough(W1=None, b1=None, W2=None, b2=None, x=None, y=None) -> Walkthrough:
    """Lesson 2's network (sigmoid hidden units, linear output, squared error), one example.

    Parameters
    ----------
    W1 : (d, p), b1 : (d, 1), W2 : (1, d), b2 : (1, 1) array_like
        The parameters, columns convention (lesson 2's worked example by default).
    x : (p,) or (p, 1) array_like
        ONE example (by default the first column of the worked example's ``X``).
    y : float or (1, 1) array_like
        Its target.

    Returns
    -------
    Walkthrough
        Forward: ``x1..xp``, ``a1..ad`` (the hidden activations a^[1]_j), ``yhat``, ``L``.
        Backward: ``dL/dyhat``, the ``dL/dw2_j``, ``dL/db2``, the ``dL/da1_j``, the hidden
        deltas ``delta1_j`` (dL/dz^[1]_j), the ``dL/dw1_jk`` and the ``dL/db1_j``.
    """
    from ..reference import hidden_layer

    given = (W1, b1, W2, b2, x, y)
    if all(v is None for v in given):
        params, X, Y = lesson2_worked_example()
        W1, b1, W2, b2, x, y = params["W1"], params["b1"], params["W2"], params["b2"], \
            X[:, 0], Y[0, 0]
    elif any(v is None for v in given):
        raise ValueError("pass all of W1, b1, W2, b2, x, y, or none of them (then the first "
                         "example of lesson 2's worked example is used).")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] != 1:
        raise ValueError(f"the stepper follows ONE example: pass one column of X, shape (p,) or "
                         f"(p, 1); got shape {x.shape} (use X[:, 0]).")
    x = x.reshape(-1)
    y = float(np.asarray(y, dtype=np.float64).reshape(-1)[0])
    params = {"W1": np.asarray(W1, dtype=np.float64),
              "b1": np.asarray(b1, dtype=np.float64).reshape(-1, 1),
              "W2": np.asarray(W2, dtype=np.float64).reshape(1, -1),
              "b2": np.asarray(b2, np.float64).reshape(1, 1)}
    d, p = params["W1"].shape
    X, Y = x[:, None], np.array([[y]])
    forward = hidden_layer.hidden_forward(params, X)
    z1, a1, y_hat = forward["Z1"][:, 0], forward["A1"][:, 0], float(forward["y_hat"][0, 0])
    loss = float(hidden_layer.hidden_cost(params, X, Y))
    grads = hidden_layer.hidden_backward(params, X, Y)
    w1, w2 = params["W1"], params["W2"][0]
    err = y_hat - y
    dL_da1 = err * w2
    slopes = a1 * (1 - a1)
    delta1 = dL_da1 * slopes

    steps = [Step(f"x{k + 1}", "forward", f"x{k + 1}", x[k], f"x{k + 1} = {_r(x[k])}", "",
                  (f"x{k + 1}",)) for k in range(p)]
    for j in range(d):
        terms = " + ".join(f"w^[1]_{j + 1}{k + 1} x{k + 1}" for k in range(p))
        numbers = " + ".join(f"{_n(w1[j, k])} · {_n(x[k])}" for k in range(p))
        steps.append(Step(
            f"a{j + 1}", "forward", f"a^[1]_{j + 1}", a1[j],
            f"a^[1]_{j + 1} = σ(z^[1]_{j + 1}) = σ({terms} + b^[1]_{j + 1}) = σ({numbers} + "
            f"{_n(params['b1'][j, 0])}) = σ({_r(z1[j])}) = {_r(a1[j])}", "",
            (f"a{j + 1}",) + tuple(f"w1_{j + 1}{k + 1}" for k in range(p)), "hidden_forward"))
    terms = " + ".join(f"w^[2]_{j + 1} a^[1]_{j + 1}" for j in range(d))
    numbers = " + ".join(f"{_n(w2[j])} · {_n(a1[j])}" for j in range(d))
    steps.append(Step(
        "yhat", "forward", "ŷ", y_hat,
        f"ŷ = z^[2] = {terms} + b^[2] = {numbers} + {_n(params['b2'][0, 0])} = {_r(y_hat)}"
        " (a linear output: no activation)", "",
        ("yhat",) + tuple(f"w2_{j + 1}" for j in range(d)), "hidden_forward"))
    steps.append(Step("L", "forward", "L", loss,
                      f"L = ½ (ŷ − y)² = ½ ({_r(y_hat)} − {_r(y)})² = {_r(loss)}", "",
                      ("yhat",)))
    steps.append(Step(
        "dL/dyhat", "backward", "∂L/∂ŷ", err, f"∂L/∂ŷ = ŷ − y = {_r(y_hat)} − {_n(y)} = "
        f"{_r(err)}", "∂L/∂ŷ = ŷ − y (from L = ½ (ŷ − y)²); the output is linear, so this is "
        "also ∂L/∂z^[2]", ("yhat",), "output_layer_gradients"))
    for j in range(d):
        steps.append(Step(
            f"dL/dw2_{j + 1}", "backward", f"∂L/∂w^[2]_{j + 1}", grads["dW2"][0, j],
            f"∂L/∂w^[2]_{j + 1} = (ŷ − y) a^[1]_{j + 1} = {_n(err)} · {_n(a1[j])} = "
            f"{_r(grads['dW2'][0, j])}", f"∂ŷ/∂w^[2]_{j + 1} = a^[1]_{j + 1} = {_r(a1[j])}",
            (f"w2_{j + 1}",), "output_layer_gradients"))
    steps.append(Step(
        "dL/db2", "backward", "∂L/∂b^[2]", grads["db2"][0, 0],
        f"∂L/∂b^[2] = (ŷ − y) · 1 = {_r(grads['db2'][0, 0])}", "∂ŷ/∂b^[2] = 1", ("yhat",),
        "output_layer_gradients"))
    for j in range(d):
        steps.append(Step(
            f"dL/da1_{j + 1}", "backward", f"∂L/∂a^[1]_{j + 1}", dL_da1[j],
            f"∂L/∂a^[1]_{j + 1} = (ŷ − y) w^[2]_{j + 1} = {_n(err)} · {_n(w2[j])} = "
            f"{_r(dL_da1[j])}", f"∂ŷ/∂a^[1]_{j + 1} = w^[2]_{j + 1} = {_r(w2[j])} (the weight "
            "on the way back, taken before any update)", (f"a{j + 1}", f"w2_{j + 1}")))
    for j in range(d):
        steps.append(Step(
            f"delta1_{j + 1}", "backward", f"δ^[1]_{j + 1} = ∂L/∂z^[1]_{j + 1}", delta1[j],
            f"δ^[1]_{j + 1} = ∂L/∂a^[1]_{j + 1} · h'(z^[1]_{j + 1}) = {_n(dL_da1[j])} · "
            f"{_n(slopes[j])} = {_r(delta1[j])}",
            f"h'(z^[1]_{j + 1}) = σ(z) (1 − σ(z)) = a^[1]_{j + 1} (1 − a^[1]_{j + 1}) = "
            f"{_r(slopes[j])}, at the hidden unit's own z", (f"a{j + 1}",),
            "hidden_layer_gradients"))
    for j in range(d):
        for k in range(p):
            steps.append(Step(
                f"dL/dw1_{j + 1}{k + 1}", "backward", f"∂L/∂w^[1]_{j + 1}{k + 1}",
                grads["dW1"][j, k],
                f"∂L/∂w^[1]_{j + 1}{k + 1} = δ^[1]_{j + 1} x{k + 1} = {_n(delta1[j])} · "
                f"{_n(x[k])} = {_r(grads['dW1'][j, k])}",
                f"∂z^[1]_{j + 1}/∂w^[1]_{j + 1}{k + 1} = x{k + 1} = {_r(x[k])}",
                (f"w1_{j + 1}{k + 1}",), "hidden_layer_gradients"))
    for j in range(d):
        steps.append(Step(
            f"dL/db1_{j + 1}", "backward", f"∂L/∂b^[1]_{j + 1}", grads["db1"][j, 0],
            f"∂L/∂b^[1]_{j + 1} = δ^[1]_{j + 1} · 1 = {_r(grads['db1'][j, 0])}",
            f"∂z^[1]_{j + 1}/∂b^[1]_{j + 1} = 1", (f"a{j + 1}",), "hidden_layer_gradients"))
    steps = tuple(Step(s.key, s.phase, s.symbol, float(s.value), s.formula, s.local, s.targets,
                       s.source) for s in steps)
    inputs = {**params, "x": x, "y": y}
    return Walkthrough("hidden", steps, inputs)


# --------------------------------------------------------------------------------------------
# The 2-3-2 network


def lesson4_worked_example(m=5, seed=4):
    """Lesson 4's worked batch, made exactly as its ``make_network(m=5, seed=4)`` makes it.

    Returns
    -------
    x : (m, 2), t : (m, 2), w : (2, 3), b1 : (3,), u : (3, 2), b2 : (2,) ndarrays
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(m, 2))
    t = rng.uniform(0.05, 0.95, size=(m, 2))
    w = rng.normal(scale=0.9, size=(2, 3))
    b1 = rng.normal(scale=0.5, size=3)
    u = rng.normal(scale=0.9, size=(3, 2))
    b2 = rng.normal(scale=0.5, size=2)
    return x, t, w, b1, u, b2


def _one_row(x, t):
    x, t = np.asarray(x, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if x.ndim == 2:
        if x.shape[0] != 1:
            raise ValueError(f"the stepper follows ONE example: pass one row of x, shape (2,) or "
                             f"(1, 2); got shape {x.shape} (use x[0] and t[0]).")
        x, t = x[0], t[0]
    return x, t


def network_232_walkthrough(x=None, t=None, w=None, b1=None, u=None, b2=None) -> Walkthrough:
    """Seed 004's 2-3-2 sigmoid network with squared-error loss, one example, step by step.

    Parameters
    ----------
    x, t : (2,) array_like
        One example and its targets (by default the first row of lesson 4's worked batch).
    w : (2, 3), b1 : (3,), u : (3, 2), b2 : (2,) array_like
        The parameters, rows convention (lesson 4's by default).

    Returns
    -------
    Walkthrough
        Forward: ``x1, x2, h1..h3, y1, y2, L``. Backward: ``δ1, δ2`` (``dL/da2_k``), the six
        ``dL/du_jk``, ``dL/db2_k``, ``dL/dh_j``, the hidden deltas ``δh_j``, the six
        ``dL/dw_ij`` and ``dL/db1_j``.
    """
    from ..reference import delta_rule

    given = (x, t, w, b1, u, b2)
    if any(v is None for v in given):
        X, T, W, B1, U, B2 = lesson4_worked_example()
        x, t, w, b1, u, b2 = (X[0], T[0], W, B1, U, B2) if all(v is None for v in given) else \
            (None,) * 6
        if x is None:
            raise ValueError("pass all of x, t, w, b1, u, b2, or none of them (then the first "
                             "example of lesson 4's worked batch is used).")
    x, t = _one_row(x, t)
    w, b1, u, b2 = (np.asarray(v, dtype=np.float64) for v in (w, b1, u, b2))
    forward = delta_rule.delta_forward(x[None, :], w, b1, u, b2)
    h, y, a1, a2 = forward["h"][0], forward["y"][0], forward["a1"][0], forward["a2"][0]
    loss = delta_rule.delta_cost(x[None, :], t[None, :], w, b1, u, b2)
    d_out = delta_rule.output_delta(y[None, :], t[None, :])[0]
    du = delta_rule.output_weight_gradient(h[None, :], d_out[None, :])
    dL_dh = delta_rule.hidden_error(d_out[None, :], u)[0]
    d_hid = delta_rule.hidden_delta(d_out[None, :], u, h[None, :])[0]
    grads = delta_rule.delta_gradients(x[None, :], t[None, :], w, b1, u, b2)

    steps = [Step(f"x{i + 1}", "forward", f"x{i + 1}", x[i], f"x{i + 1} = {_r(x[i])}", "",
                  (f"x{i + 1}",)) for i in range(2)]
    for j in range(3):
        terms = " + ".join(f"w{i + 1}{j + 1} x{i + 1}" for i in range(2))
        numbers = " + ".join(f"{_n(w[i, j])} · {_n(x[i])}" for i in range(2))
        steps.append(Step(
            f"h{j + 1}", "forward", f"h{j + 1}", h[j],
            f"h{j + 1} = σ({terms} + b1_{j + 1}) = σ({numbers} + {_n(b1[j])}) = σ({_r(a1[j])})"
            f" = {_r(h[j])}", "", (f"h{j + 1}",) + tuple(f"w{i + 1}{j + 1}" for i in range(2)),
            "delta_forward"))
    for k in range(2):
        terms = " + ".join(f"u{j + 1}{k + 1} h{j + 1}" for j in range(3))
        numbers = " + ".join(f"{_n(u[j, k])} · {_n(h[j])}" for j in range(3))
        steps.append(Step(
            f"y{k + 1}", "forward", f"y{k + 1}", y[k],
            f"y{k + 1} = σ({terms} + b2_{k + 1}) = σ({numbers} + {_n(b2[k])}) = σ({_r(a2[k])})"
            f" = {_r(y[k])}", "", (f"y{k + 1}",) + tuple(f"u{j + 1}{k + 1}" for j in range(3)),
            "delta_forward"))
    steps.append(Step(
        "L", "forward", "L", loss,
        f"L = ½ [(y1 − t1)² + (y2 − t2)²] = ½ [({_r(y[0])} − {_r(t[0])})² + ({_r(y[1])} − "
        f"{_r(t[1])})²] = {_r(loss)}", "", ("y1", "y2")))

    for k in range(2):
        slope = y[k] * (1 - y[k])
        steps.append(Step(
            f"delta{k + 1}", "backward", f"δ{k + 1} = ∂L/∂a2_{k + 1}", d_out[k],
            f"δ{k + 1} = (y{k + 1} − t{k + 1}) y{k + 1} (1 − y{k + 1}) = ({_r(y[k])} − "
            f"{_r(t[k])}) · {_n(y[k])} · (1 − {_r(y[k])}) = {_r(d_out[k])}",
            f"σ'(a2_{k + 1}) = y{k + 1} (1 − y{k + 1}) = {_r(slope)}", (f"y{k + 1}",),
            "output_delta"))
    for j in range(3):
        for k in range(2):
            steps.append(Step(
                f"dL/du{j + 1}{k + 1}", "backward", f"∂L/∂u{j + 1}{k + 1}", du[j, k],
                f"∂L/∂u{j + 1}{k + 1} = δ{k + 1} h{j + 1} = {_n(d_out[k])} · {_n(h[j])} = "
                f"{_r(du[j, k])}", f"∂a2_{k + 1}/∂u{j + 1}{k + 1} = h{j + 1} = {_r(h[j])}",
                (f"u{j + 1}{k + 1}",), "output_weight_gradient"))
    for k in range(2):
        steps.append(Step(
            f"dL/db2_{k + 1}", "backward", f"∂L/∂b2_{k + 1}", grads["db2"][k],
            f"∂L/∂b2_{k + 1} = δ{k + 1} · 1 = {_r(grads['db2'][k])}",
            f"∂a2_{k + 1}/∂b2_{k + 1} = 1", (f"y{k + 1}",), "delta_gradients"))
    for j in range(3):
        terms = " + ".join(f"δ{k + 1} u{j + 1}{k + 1}" for k in range(2))
        numbers = " + ".join(f"{_n(d_out[k])} · {_n(u[j, k])}" for k in range(2))
        steps.append(Step(
            f"dL/dh{j + 1}", "backward", f"∂L/∂h{j + 1}", dL_dh[j],
            f"∂L/∂h{j + 1} = {terms} = {numbers} = {_r(dL_dh[j])}",
            f"one term per path: h{j + 1} feeds y1 through u{j + 1}1 and y2 through u{j + 1}2",
            (f"h{j + 1}", f"u{j + 1}1", f"u{j + 1}2"), "hidden_error"))
    for j in range(3):
        slope = h[j] * (1 - h[j])
        steps.append(Step(
            f"deltah{j + 1}", "backward", f"δh{j + 1} = ∂L/∂a1_{j + 1}", d_hid[j],
            f"δh{j + 1} = ∂L/∂h{j + 1} · h{j + 1} (1 − h{j + 1}) = {_n(dL_dh[j])} · "
            f"{_n(slope)} = {_r(d_hid[j])}",
            f"σ'(a1_{j + 1}) = h{j + 1} (1 − h{j + 1}) = {_r(slope)}", (f"h{j + 1}",),
            "hidden_delta"))
    for i in range(2):
        for j in range(3):
            steps.append(Step(
                f"dL/dw{i + 1}{j + 1}", "backward", f"∂L/∂w{i + 1}{j + 1}", grads["dw"][i, j],
                f"∂L/∂w{i + 1}{j + 1} = δh{j + 1} x{i + 1} = {_n(d_hid[j])} · {_n(x[i])} = "
                f"{_r(grads['dw'][i, j])}",
                f"∂a1_{j + 1}/∂w{i + 1}{j + 1} = x{i + 1} = {_r(x[i])}",
                (f"w{i + 1}{j + 1}",), "delta_gradients"))
    for j in range(3):
        steps.append(Step(
            f"dL/db1_{j + 1}", "backward", f"∂L/∂b1_{j + 1}", grads["db1"][j],
            f"∂L/∂b1_{j + 1} = δh{j + 1} · 1 = {_r(grads['db1'][j])}",
            f"∂a1_{j + 1}/∂b1_{j + 1} = 1", (f"h{j + 1}",), "delta_gradients"))
    steps = tuple(Step(s.key, s.phase, s.symbol, float(s.value), s.formula, s.local, s.targets,
                       s.source) for s in steps)
    return Walkthrough("232", steps, {"x": x, "t": t, "w": w, "b1": b1, "u": u, "b2": b2})


def walkthrough(network="232", **inputs) -> Walkthrough:
    """:func:`neuron_walkthrough`, :func:`hidden_walkthrough` or
    :func:`network_232_walkthrough` by name.

    In the student package (no reference) the lesson's worked example is read from
    :data:`RECORDED`; other inputs cannot be stepped through there, and say so.
    """
    if network not in NETWORKS:
        raise ValueError(f"network must be one of {', '.join(map(repr, NETWORKS))}, not "
                         f"{network!r}.")
    from .. import answer_key

    if not answer_key.live():
        if inputs:
            raise ValueError(
                "This installation of the course (the student package) steps through the "
                "lesson's worked example only: call backprop_stepper without "
                f"{', '.join(sorted(inputs))}.")
        return recorded_walkthrough(network)
    if network == "neuron":
        return neuron_walkthrough(**inputs)
    if network == "hidden":
        return hidden_walkthrough(**inputs)
    return network_232_walkthrough(**inputs)


def record_walkthroughs(path=RECORDED) -> Path:
    """Write the worked walkthroughs of both networks to ``path`` (JSON); returns ``path``."""
    def plain(value):
        return np.asarray(value, dtype=np.float64).tolist()

    record = {}
    for network in NETWORKS:
        walk = walkthrough(network)
        record[network] = {"steps": [asdict(step) for step in walk.steps],
                           "inputs": {k: plain(v) for k, v in walk.inputs.items()}}
    path = Path(path)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=0) + "\n")
    return path


def recorded_walkthrough(network, path=RECORDED) -> Walkthrough:
    """The worked walkthrough of ``network`` as :func:`record_walkthroughs` wrote it."""
    try:
        record = json.loads(Path(path).read_text())[network]
    except (OSError, ValueError, KeyError) as error:
        raise RuntimeError(
            f"The stepper's recorded example ({path}) is missing or damaged ({error}); "
            "reinstall the course package (make student-package builds it).") from None
    steps = tuple(Step(**{**step, "targets": tuple(step["targets"])}) for step in record["steps"])
    def number(key):   # the neuron's inputs and lesson 2's target are plain numbers
        return network == "neuron" or (network == "hidden" and key == "y")

    inputs = {k: (float(v) if number(k) else np.asarray(v, dtype=np.float64))
              for k, v in record["inputs"].items()}
    return Walkthrough(network, steps, inputs)


# --------------------------------------------------------------------------------------------
# The student's functions, step by step


class _Failed:
    """A student function that raised: stands in for every value it would have given."""

    def __init__(self, name, error):
        self.text = f"{name} raised {type(error).__name__}: {error}"


def _call(functions, name, *args):
    """``functions[name](*args)`` on copies of the arguments; ``None`` if not given; a
    :class:`_Failed` if it raised."""
    function = functions.get(name)
    if function is None:
        return None
    copies = [np.array(a, dtype=np.float64, copy=True) if isinstance(a, np.ndarray) else a
              for a in args]
    try:
        return function(*copies)
    except Exception as error:  # the student's code: report it on the step, never crash
        return _Failed(name, error)


def _pick(result, index, name):
    """Entry ``index`` of a student's result, as a float (or the failure / a shape error)."""
    if result is None or isinstance(result, _Failed):
        return result
    try:
        return float(np.asarray(result, dtype=np.float64)[index])
    except (IndexError, TypeError, ValueError) as error:
        return _Failed(name, f"{error} (its result has shape "
                             f"{np.shape(result)}; expected an entry at {index})")


def _field(result, key, name):
    if result is None or isinstance(result, _Failed):
        return result
    try:
        return np.asarray(result[key], dtype=np.float64)
    except (KeyError, TypeError, IndexError, ValueError) as error:
        return _Failed(name, f"no {key!r} in its result ({type(error).__name__}: {error})")


def _check_names(network, functions):
    known = STUDENT_FUNCTIONS[network]
    unknown = sorted(set(functions) - set(known))
    if unknown:
        raise ValueError(f"unknown student function(s) {unknown} for the {network} stepper; "
                         f"it uses: " + "; ".join(f"{k} {v}" for k, v in known.items()))


def student_values(walk: Walkthrough, student_functions) -> dict:
    """Run a student's functions on the walkthrough's example; their number for each step.

    Each function gets the student's own upstream results where the functions passed in give
    them (a wrong output delta flows on into the hidden deltas, as in their own code), else the
    reference's. Arguments are copies: a function that changes its inputs changes nothing here.

    Parameters
    ----------
    walk : Walkthrough
    student_functions : dict of str -> callable
        Keys from :data:`STUDENT_FUNCTIONS` for the network; missing ones are skipped.

    Returns
    -------
    dict of str -> float or _Failed
        Step key -> the student's value (only for the steps their functions compute).
    """
    functions = dict(student_functions or {})
    _check_names(walk.network, functions)
    ref = {s.key: s.value for s in walk.steps}
    out = {}
    p = walk.inputs
    if walk.network == "neuron":
        forward = _call(functions, "neuron_forward", p["w"], p["b"], p["x"])
        if forward is not None:
            for i, key in enumerate(("z", "a")):
                out[key] = _pick(forward, i, "neuron_forward") if not isinstance(
                    forward, _Failed) else forward
        grads = _call(functions, "neuron_example_gradients", p["w"], p["b"], p["x"], p["y"])
        if grads is not None:
            dw = _pick(grads, 0, "neuron_example_gradients")
            out["dL/dw"] = dw
            out["dL/db"] = _pick(grads, 1, "neuron_example_gradients")
            # Their dL/dz is not returned; dL/dw = dL/dz x gives it back (x != 0).
            if isinstance(dw, float) and p["x"] != 0:
                out["dL/dz"] = dw / p["x"]
            elif isinstance(dw, _Failed):
                out["dL/dz"] = dw
        return out

    if walk.network == "hidden":
        return _hidden_student_values(walk, functions)

    x, t, w, b1, u, b2 = (p[k] for k in ("x", "t", "w", "b1", "u", "b2"))
    X, T = x[None, :], t[None, :]
    h = np.array([ref[f"h{j + 1}"] for j in range(3)])[None, :]
    y = np.array([ref[f"y{k + 1}"] for k in range(2)])[None, :]
    forward = _call(functions, "delta_forward", X, w, b1, u, b2)
    if forward is not None:
        h_s, y_s = _field(forward, "h", "delta_forward"), _field(forward, "y", "delta_forward")
        for j in range(3):
            out[f"h{j + 1}"] = _pick(np.reshape(h_s, -1), j, "delta_forward") \
                if not isinstance(h_s, _Failed) else h_s
        for k in range(2):
            out[f"y{k + 1}"] = _pick(np.reshape(y_s, -1), k, "delta_forward") \
                if not isinstance(y_s, _Failed) else y_s
        if not isinstance(h_s, _Failed) and np.size(h_s) == 3:
            h = np.reshape(h_s, (1, 3))
        if not isinstance(y_s, _Failed) and np.size(y_s) == 2:
            y = np.reshape(y_s, (1, 2))
    d_out = np.array([ref["delta1"], ref["delta2"]])[None, :]
    result = _call(functions, "output_delta", y, T)
    if result is not None:
        for k in range(2):
            out[f"delta{k + 1}"] = _pick(np.reshape(result, -1), k, "output_delta") \
                if not isinstance(result, _Failed) else result
        if not isinstance(result, _Failed) and np.size(result) == 2:
            d_out = np.reshape(np.asarray(result, dtype=np.float64), (1, 2))
    result = _call(functions, "output_weight_gradient", h, d_out)
    if result is not None:
        for j in range(3):
            for k in range(2):
                out[f"dL/du{j + 1}{k + 1}"] = _pick(result, (j, k), "output_weight_gradient")
    result = _call(functions, "hidden_error", d_out, u)
    if result is not None:
        for j in range(3):
            out[f"dL/dh{j + 1}"] = _pick(np.reshape(result, -1), j, "hidden_error") \
                if not isinstance(result, _Failed) else result
    result = _call(functions, "hidden_delta", d_out, u, h)
    if result is not None:
        for j in range(3):
            out[f"deltah{j + 1}"] = _pick(np.reshape(result, -1), j, "hidden_delta") \
                if not isinstance(result, _Failed) else result
    grads = _call(functions, "delta_gradients", X, T, w, b1, u, b2)
    if grads is not None:
        dw, db1 = _field(grads, "dw", "delta_gradients"), _field(grads, "db1", "delta_gradients")
        du, db2 = _field(grads, "du", "delta_gradients"), _field(grads, "db2", "delta_gradients")
        for i in range(2):
            for j in range(3):
                out[f"dL/dw{i + 1}{j + 1}"] = _pick(dw, (i, j), "delta_gradients")
        for j in range(3):
            out[f"dL/db1_{j + 1}"] = _pick(np.reshape(db1, -1) if isinstance(db1, np.ndarray)
                                           else db1, j, "delta_gradients")
        for k in range(2):
            out[f"dL/db2_{k + 1}"] = _pick(np.reshape(db2, -1) if isinstance(db2, np.ndarray)
                                           else db2, k, "delta_gradients")
        if "output_weight_gradient" not in functions:
            for j in range(3):
                for k in range(2):
                    out[f"dL/du{j + 1}{k + 1}"] = _pick(du, (j, k), "delta_gradients")
    return out


def _pair(result, name):
    """A student's ``(first, second)`` result as two float arrays, or a :class:`_Failed`."""
    if result is None or isinstance(result, _Failed):
        return result, result
    try:
        first, second = result
        return np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
    except (TypeError, ValueError) as error:
        failed = _Failed(name, f"expected two arrays, got {type(result).__name__} ({error})")
        return failed, failed


def _hidden_student_values(walk, functions):
    """:func:`student_values` for lesson 2's network: the student's hidden_forward,
    output_layer_gradients and hidden_layer_gradients on the one example (m = 1, so each
    gradient of the mean cost is the example's own, and db2 = ŷ − y, db1_j = δ^[1]_j)."""
    p = walk.inputs
    params = {k: np.array(p[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2")}
    d, n_in = params["W1"].shape
    X, Y = np.asarray(p["x"], dtype=np.float64)[:, None], np.array([[float(p["y"])]])
    out = {}
    forward = _call(functions, "hidden_forward", params, X)
    if forward is not None:
        A1, y_hat = _field(forward, "A1", "hidden_forward"), _field(forward, "y_hat",
                                                                    "hidden_forward")
        for j in range(d):
            out[f"a{j + 1}"] = A1 if isinstance(A1, _Failed) else \
                _pick(np.reshape(A1, -1), j, "hidden_forward")
        out["yhat"] = y_hat if isinstance(y_hat, _Failed) else \
            _pick(np.reshape(y_hat, -1), 0, "hidden_forward")
    dW2, db2 = _pair(_call(functions, "output_layer_gradients", params, X, Y),
                     "output_layer_gradients")
    if dW2 is not None:
        for j in range(d):
            out[f"dL/dw2_{j + 1}"] = dW2 if isinstance(dW2, _Failed) else \
                _pick(np.reshape(dW2, -1), j, "output_layer_gradients")
        b = db2 if isinstance(db2, _Failed) else _pick(np.reshape(db2, -1), 0,
                                                       "output_layer_gradients")
        out["dL/db2"] = out["dL/dyhat"] = b
    dW1, db1 = _pair(_call(functions, "hidden_layer_gradients", params, X, Y),
                     "hidden_layer_gradients")
    if dW1 is not None:
        for j in range(d):
            for k in range(n_in):
                out[f"dL/dw1_{j + 1}{k + 1}"] = dW1 if isinstance(dW1, _Failed) else \
                    _pick(dW1, (j, k), "hidden_layer_gradients")
            b = db1 if isinstance(db1, _Failed) else _pick(np.reshape(db1, -1), j,
                                                           "hidden_layer_gradients")
            out[f"dL/db1_{j + 1}"] = out[f"delta1_{j + 1}"] = b
    return out


def check_steps(walk: Walkthrough, values: dict) -> tuple:
    """Compare a student's values (from :func:`student_values`) with the reference, per step.

    Returns
    -------
    tuple of StepCheck
        One per step, in order.
    """
    checks = []
    for step in walk.steps:
        value = values.get(step.key)
        if value is None:
            checks.append(StepCheck(step, "unchecked", None,
                                    "not computed by the functions you passed in"))
        elif isinstance(value, _Failed):
            checks.append(StepCheck(step, "error", None, value.text))
        elif not np.isfinite(value) or not np.isclose(value, step.value, rtol=RTOL, atol=ATOL):
            checks.append(StepCheck(step, "differs", value,
                                    f"yours: {_r(value)}, reference: {_r(step.value)}"))
        else:
            checks.append(StepCheck(step, "match", value, f"yours: {_r(value)}: matches"))
    return tuple(checks)


def first_difference(checks) -> int | None:
    """Index of the first step whose student value differs or raised; ``None`` if none does."""
    for i, check in enumerate(checks):
        if check.status in ("differs", "error"):
            return i
    return None


def reference_gradients(walk: Walkthrough) -> dict:
    """The walkthrough's parameter gradients as arrays, named as the reference names them.

    Returns
    -------
    dict
        ``{"dw", "db"}`` (floats) for the neuron; ``{"dW1", "db1", "dW2", "db2"}`` for lesson 2's
        network and ``{"dw", "db1", "du", "db2"}`` for the 2-3-2 network (arrays of the
        parameters' shapes).
    """
    v = {s.key: s.value for s in walk.steps}
    if walk.network == "neuron":
        return {"dw": v["dL/dw"], "db": v["dL/db"]}
    if walk.network == "hidden":
        d, p = np.shape(walk.inputs["W1"])
        return {"dW1": np.array([[v[f"dL/dw1_{j}{k}"] for k in range(1, p + 1)]
                                 for j in range(1, d + 1)]),
                "db1": np.array([[v[f"dL/db1_{j}"]] for j in range(1, d + 1)]),
                "dW2": np.array([[v[f"dL/dw2_{j}"] for j in range(1, d + 1)]]),
                "db2": np.array([[v["dL/db2"]]])}
    return {"dw": np.array([[v[f"dL/dw{i}{j}"] for j in (1, 2, 3)] for i in (1, 2)]),
            "db1": np.array([v[f"dL/db1_{j}"] for j in (1, 2, 3)]),
            "du": np.array([[v[f"dL/du{j}{k}"] for k in (1, 2)] for j in (1, 2, 3)]),
            "db2": np.array([v[f"dL/db2_{k}"] for k in (1, 2)])}
