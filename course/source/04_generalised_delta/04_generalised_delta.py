# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 4: Generalised deltas
#
# **Points:** 20 autograded + 12 written = 32 in total. About 4 hours on a first meeting with backpropagation.
#
# **By the end of this lesson you can**: derive the delta of an output unit and of a hidden unit
# (which sums over every path to the loss), write every gradient of a two-layer network as
# "delta times the activation the weight multiplies", find bugs in a backward pass with a
# gradient checker, and backpropagate through a sigmoid network of any depth.
#
# **Crosswalk: this lesson's letters.** We follow *Backpropagation. A Peek into the Mathematics of Optimization* (see the References of
# `00_start_here`), and keep its letters so that you can read it side by side. They differ from
# the course's notation table:
#
# | here (the source) | course notation | what it is |
# |---|---|---|
# | $a^{[1]}$, $a^{[2]}$ | $z^{[1]}$, $z^{[2]}$ | pre-activations (weighted sums before the sigmoid) |
# | $h$ | $a^{[1]}$ | hidden activations |
# | $y$ | $\hat y$, $a^{[2]}$ | the network's **output** |
# | $t$ | $y$ | the **target** |
# | $\mathbf{w}$, $\mathbf{u}$ | $(W^{[1]})^\top$, $(W^{[2]})^\top$ | weights, examples as rows (Section 1) |
# | $\delta_j = \partial L/\partial a_j$ | $\delta_j = \partial L/\partial z_j$ | the same quantity: the gradient at a pre-activation |
#
# So in this lesson **$y$ is the output and $t$ the target**, and **$a$ is a pre-activation**.
#
# When you backpropagate by hand, one weight at a time, the same products keep coming back.
# This lesson names the quantity that repeats, the **delta** of a unit, and turns the
# bookkeeping into one rule that holds for every weight of every sigmoid network:
#
# $$\frac{\partial L}{\partial w_{ij}} = \delta_j \, x_i
# \qquad\text{(delta of the unit the weight feeds)} \times \text{(activation it multiplies)}.$$
#
# We follow the source's 2-3-2 network: two inputs, three hidden units, two outputs, sigmoid
# activations everywhere and the squared-error (L2) loss. For a two-class classifier (Section 4
# trains one) the usual choice would be cross-entropy on the outputs (lesson 3; or a softmax
# with cross-entropy), whose output delta does not stall when an output saturates (lesson 3's
# $\partial J/\partial z$); we keep L2 because the source derives the delta rule with it, and the
# rule's form does not depend on the loss: only the output delta changes.
#
# | Section | What you do | Points |
# |---|---|---|
# | 1. Rows or columns: one network, two layouts | read; two checked worked cells | 0 |
# | 2. The output layer | derivation of the output delta, `output_delta`, `output_weight_gradient` | 2 written + 6 |
# | 3. The hidden layer: no target, several paths | derivation of $\partial L/\partial w_{11}$ and the hidden delta, `hidden_delta` | 5 written + 3 |
# | 4. All four gradients | `delta_gradients`, gradient check, training on real data | 4 |
# | 5. Debugging with the gradient checker | find three planted bugs, `fixed_backward` | 3 + 3 written |
# | 6. The generalised delta rule | a slip in the source, `generalised_backward` | 2 written + 4 |
#
# Each exercise has a grade cell for types and shapes and one for values; the values cell also
# runs hidden tests on fresh random inputs, so the function must work for any input, not just
# the worked example.

# %%
from autograder.pictures import network_232_picture

network_232_picture()  # the 2-3-2 network of Backpropagation. A Peek into the Mathematics of Optimization

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import sigmoid, sigmoid_prime
from autograder.checks import check_exercise
from autograder.datasets import load_breast_cancer, one_hot
from autograder.gradcheck import gradient_check, numerical_gradient
from autograder.losses import batch_cost, squared_error

# %% [markdown]
# ## Section 1, 'Rows or columns: one network, two layouts'
#
# The network has inputs $x_1, x_2$, hidden units $h_1, h_2, h_3$ and outputs $y_1, y_2$,
# compared with targets $t_1, t_2$. Two weight matrices connect the layers: $\mathbf{w}$ from
# the inputs to the hidden layer and $\mathbf{u}$ from the hidden layer to the outputs;
# $w_{ij}$ joins input $i$ to hidden unit $j$, and $u_{ij}$ joins hidden unit $i$ to output
# $j$. With $a$ for a pre-activation (the weighted sum before the sigmoid):
#
# $$\mathbf{a}^{[1]} = \mathbf{x}\mathbf{w} + \mathbf{b}^{[1]},\qquad
# \mathbf{h} = \sigma(\mathbf{a}^{[1]}),\qquad
# \mathbf{a}^{[2]} = \mathbf{h}\mathbf{u} + \mathbf{b}^{[2]},\qquad
# \mathbf{y} = \sigma(\mathbf{a}^{[2]}).$$
#
# Here an example $\mathbf{x}$ is a **row** vector multiplied from the left. Stack $m$
# examples as the rows of a matrix and the same formula handles the whole batch at once:
# `x` has shape `(m, 2)` and `x @ w` has shape `(m, 3)`. The rest of the course stacks
# examples as **columns** instead (`autograder/conventions.py`). The two layouts are
# transposes of each other, and so is every formula: $(\mathbf{x}\mathbf{w})^\top =
# \mathbf{w}^\top\mathbf{x}^\top$, which is the column version $W_1 X$.
#
# | quantity | rows (this lesson, as in the source) | columns (the rest of the course) |
# |---|---|---|
# | inputs | `x` `(m, n_in)` | `X = x.T` `(n_in, m)` |
# | first weights | `w` `(n_in, n_hid)`, `w[i, j]`: input i to hidden j | `W1 = w.T` `(n_hid, n_in)` |
# | first bias | `b1` `(n_hid,)` | `b1[:, None]` `(n_hid, 1)` |
# | hidden layer | `a1 = x @ w + b1`, `h` `(m, n_hid)` | `Z1 = W1 @ X + b1 = a1.T` |
# | second weights | `u` `(n_hid, n_out)` | `W2 = u.T` `(n_out, n_hid)` |
# | outputs, targets | `y`, `t` `(m, n_out)` | `A2 = y.T`, `Y = t.T` `(n_out, m)` |
# | gradients | `dw` has the shape of `w` | `dW1 = dw.T` |
#
# To move a result from one layout to the other, transpose everything (biases become
# columns). In this lesson every array has one row per example. The forward pass and the cost
# below are given; read them, then run the checked cell after them.

# %%
def delta_forward(x, w, b1, u, b2):
    """Forward pass of the two-layer sigmoid network, examples as rows.

    Parameters
    ----------
    x : (m, n_in) ndarray
    w : (n_in, n_hid) ndarray
    b1 : (n_hid,) ndarray
    u : (n_hid, n_out) ndarray
    b2 : (n_out,) ndarray

    Returns
    -------
    dict with keys "a1", "h" (each (m, n_hid)) and "a2", "y" (each (m, n_out))
    """
    a1 = x @ w + b1  # b1 is added to every row
    h = sigmoid(a1)
    a2 = h @ u + b2
    y = sigmoid(a2)
    return {"a1": a1, "h": h, "a2": a2, "y": y}


def delta_cost(x, t, w, b1, u, b2):
    """Mean over the examples (rows) of L = 1/2 sum_k (y_k - t_k)^2.

    Parameters
    ----------
    x : (m, n_in) ndarray
    t : (m, n_out) ndarray
    w, b1, u, b2 : as in delta_forward

    Returns
    -------
    float
    """
    y = delta_forward(x, w, b1, u, b2)["y"]
    # autograder.losses works in columns: transposing is the whole translation
    return batch_cost(squared_error(y.T, t.T))


def make_network(m, seed):
    """A 2-3-2 network with m examples: x, t, w, b1, u, b2 (seeded)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(m, 2))
    t = rng.uniform(0.05, 0.95, size=(m, 2))
    w = rng.normal(scale=0.9, size=(2, 3))
    b1 = rng.normal(scale=0.5, size=3)
    u = rng.normal(scale=0.9, size=(3, 2))
    b2 = rng.normal(scale=0.5, size=2)
    return x, t, w, b1, u, b2


# The worked example of this lesson: 5 examples through the 2-3-2 network.
x, t, w, b1, u, b2 = make_network(m=5, seed=4)

# %% [markdown]
# **Checked worked cell (the 2-3-2 forward pass).** The same network in both layouts: the
# column computation, transposed back, must give the row computation exactly.

# %%
forward = delta_forward(x, w, b1, u, b2)
print({name: value.shape for name, value in forward.items()})

X, W1, B1, W2, B2 = x.T, w.T, b1[:, None], u.T, b2[:, None]  # columns: transpose everything
A1 = sigmoid(W1 @ X + B1)
A2 = sigmoid(W2 @ A1 + B2)
assert forward["h"].shape == (5, 3) and forward["y"].shape == (5, 2)
assert np.allclose(forward["h"], A1.T) and np.allclose(forward["y"], A2.T)
print("rows and columns agree: y =\n", forward["y"].round(4))

# %% [markdown]
# **The loss and the sigmoid's derivative.** For one example the loss is
#
# $$L = \tfrac12 \sum_k (y_k - t_k)^2, \qquad
# \sigma(a) = \frac{1}{1 + e^{-a}}, \qquad \sigma'(a) = \sigma(a)\,\bigl(1 - \sigma(a)\bigr).$$
#
# The last identity is what makes sigmoid networks pleasant to differentiate: the derivative
# of a unit can be computed from its *activation* alone, with no need to keep $a$. The source works with one example. For a batch we take
# the **mean** of the per-example losses, as everywhere in the course (lesson 1, Section 8), so
# every gradient below is a mean over rows.
#
# **Checked worked cell (loss and $\sigma'$).**

# %%
per_example = 0.5 * np.sum((forward["y"] - t) ** 2, axis=1)  # one loss per row
assert per_example.shape == (5,)
assert np.isclose(delta_cost(x, t, w, b1, u, b2), per_example.mean())

a = np.linspace(-4.0, 4.0, 9)
step = 1e-5
slope = (sigmoid(a + step) - sigmoid(a - step)) / (2 * step)  # centred difference
assert np.allclose(slope, sigmoid(a) * (1 - sigmoid(a)), atol=1e-9)
assert np.allclose(sigmoid_prime(a), sigmoid(a) * (1 - sigmoid(a)))
print(f"cost of the worked batch: {delta_cost(x, t, w, b1, u, b2):.6f}")
print("sigma'(a) = sigma(a) (1 - sigma(a)) holds at", a)

# %% [markdown]
# ## Section 2, 'The output layer'
#
# Take one weight $u_{ij}$ of the output layer. It appears in exactly one pre-activation,
# $a^{[2]}_j = \sum_i h_i u_{ij} + b^{[2]}_j$, so there is one chain from $u_{ij}$ to the loss.
#
# **Written derivation (2 points).** In the cell below: (a) derive $\partial L/\partial u_{ij}$
# for one example, one named factor per link of the chain, and write it as $\delta_j\, h_i$:
# what is the output delta $\delta_j = \partial L/\partial a^{[2]}_j$? (b) For the batch, with
# `h` of shape `(m, n_hid)` and the output deltas `delta_out` of shape `(m, n_out)` (one row per
# example), write the gradient of the mean cost with respect to $\mathbf{u}$ as one matrix
# product, with the shape of every factor, and say which index it sums over.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_output_delta", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** (a)
# $$\frac{\partial L}{\partial u_{ij}}
# = \underbrace{\frac{\partial L}{\partial y_j}}_{y_j - t_j}\;
#   \underbrace{\frac{\partial y_j}{\partial a^{[2]}_j}}_{y_j (1 - y_j)}\;
#   \underbrace{\frac{\partial a^{[2]}_j}{\partial u_{ij}}}_{h_i}
# = \delta_j\, h_i,
# \qquad \delta_j = (y_j - t_j)\, y_j (1 - y_j) = \frac{\partial L}{\partial a^{[2]}_j}.$$
# The delta belongs to output unit $j$: every weight that feeds unit $j$ shares it.
#
# (b) $\partial J/\partial \mathbf{u} = \mathbf{h}^\top \boldsymbol\delta / m$:
# `(n_hid, m)` times `(m, n_out)` gives `(n_hid, n_out)`, the shape of `u`; entry $[i, j]$ is
# $\sum_\text{examples} h_i \delta_j$, because the example index is the one the two factors
# share, and dividing by $m$ makes it the mean.
#
# === BEGIN MARK SCHEME ===
# 2 points in total.
# - 1 point: (a) the three factors, with y_j (1 - y_j) as the output's own sigmoid derivative,
#   and delta_j identified.
# - 1 point: (b) h^T delta / m with shapes (n_hid, m)(m, n_out), summing over the examples.
# === END MARK SCHEME ===

# %% [markdown]
# In code, `delta_out` has one row per example and one column per output, the shape of `y`.
#
# ### Exercise 1 (3 points): the output delta

# %% nbgrader={"grade": false, "grade_id": "output_delta", "locked": false, "schema_version": 3, "solution": true, "task": false}
def output_delta(y, t):
    """Delta of every output unit, dL/da2 (your Section 2 derivation), one row per example.

    Parameters
    ----------
    y : (m, n_out) ndarray
        Outputs of the network.
    t : (m, n_out) ndarray
        Targets.

    Returns
    -------
    (m, n_out) ndarray
        Not averaged over the examples (the weight gradients do that).
    """
    ### BEGIN SOLUTION
    return (y - t) * y * (1 - y)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "output_delta_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does output_delta return an array of the shape of y?"""
check_exercise("04_generalised_delta.output_delta", output_delta, part="shape")

# %% nbgrader={"grade": true, "grade_id": "output_delta_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are the output deltas right, on the worked example and on fresh inputs?"""
check_exercise("04_generalised_delta.output_delta", output_delta, part="values")
### BEGIN HIDDEN TESTS
check_exercise("04_generalised_delta.output_delta", output_delta, part="values",
               seeds=[401, 402, 403], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 (3 points): the gradient of the output weights

# %% nbgrader={"grade": false, "grade_id": "output_weight_gradient", "locked": false, "schema_version": 3, "solution": true, "task": false}
def output_weight_gradient(h, delta_out):
    """Gradient of the mean cost with respect to the output weights u.

    Parameters
    ----------
    h : (m, n_hid) ndarray
        Hidden activations, one row per example.
    delta_out : (m, n_out) ndarray
        Output deltas from output_delta.

    Returns
    -------
    (n_hid, n_out) ndarray
        The shape of u.
    """
    ### BEGIN SOLUTION
    m = h.shape[0]
    return h.T @ delta_out / m
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "output_weight_gradient_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does output_weight_gradient return an array of the shape of u?"""
check_exercise("04_generalised_delta.output_weight_gradient", output_weight_gradient,
               part="shape")

# %% nbgrader={"grade": true, "grade_id": "output_weight_gradient_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Is du the gradient of the mean cost, on the worked example and on fresh inputs?"""
check_exercise("04_generalised_delta.output_weight_gradient", output_weight_gradient,
               part="values")
### BEGIN HIDDEN TESTS
check_exercise("04_generalised_delta.output_weight_gradient", output_weight_gradient,
               part="values", seeds=[401, 402, 403], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# **The update rule.** Gradient descent moves each output weight against its gradient,
# $u_{ij} \leftarrow u_{ij} - \eta\, \delta_j h_i$ for one example, or the batch mean of
# $\delta_j h_i$ for the batch.
#
# **Checked worked cell (one update of u).** Entry by entry the step is
# $\eta$ times the mean of $\delta_j h_i$, and a small step lowers the cost.

# %%
lr = 0.5
delta_out = output_delta(forward["y"], t)
du = output_weight_gradient(forward["h"], delta_out)
u_new = u - lr * du  # a new array: the old u stays as it was

i, j = 2, 1  # hidden unit 3 -> output 2, counting from 0 in code
assert np.isclose(u_new[i, j], u[i, j] - lr * np.mean(delta_out[:, j] * forward["h"][:, i]))
cost_before, cost_after = delta_cost(x, t, w, b1, u, b2), delta_cost(x, t, w, b1, u_new, b2)
assert cost_after < cost_before
print(f"cost {cost_before:.6f} -> {cost_after:.6f} after one step on u")

# %% [markdown]
# ## Section 3, 'The hidden layer: no target, several paths'
#
# The same chain rule for a first-layer weight $w_{ij}$ (input $i$ to hidden unit $j$) reads
#
# $$\frac{\partial L}{\partial w_{ij}}
# = \frac{\partial L}{\partial h_j}\;
#   \frac{\partial h_j}{\partial a^{[1]}_j}\;
#   \frac{\partial a^{[1]}_j}{\partial w_{ij}}.$$
#
# The last two factors are local: each depends on one unit or one weight only (you will give
# their values in the derivation below). The first one is the difficulty: there is no target for a
# hidden unit, so there is no "$h_j - t_j$". What there is instead is a set of paths. Unit
# $h_j$ feeds *every* output, through $u_{j1}$ into $a^{[2]}_1$ and through $u_{j2}$ into
# $a^{[2]}_2$, and the loss depends on both. Compare with Section 2, where $u_{ij}$ sat on a
# single path.

# %% [markdown]
# ### Written derivation (5 points): $\partial L/\partial w_{11}$ and the hidden delta
#
# (a) For one example, derive $\partial L/\partial w_{11}$ for the 2-3-2 network in terms of
# $x_1$, $h_1$, $y_1, y_2$, $t_1, t_2$ and entries of $\mathbf{u}$ (the source's worked case).
# Name each factor of the chain rule, and explain why $\partial L/\partial h_1$ has **two**
# terms while $\partial L/\partial u_{11}$ in Section 2 had one. (b) Generalise to any hidden
# weight $w_{ij}$: group every factor except $x_i$ into the hidden delta
# $\delta_j = \partial L/\partial a^{[1]}_j$, written with the output deltas $\delta_k$. (c) In
# rows, write the `(m, n_hid)` array of all hidden deltas from `delta_out`, `u` and `h`, with
# the shape of every factor. Write your answer in the cell below (Markdown with LaTeX).

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_dL_dw11", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** The weight $w_{11}$ enters the loss only through
# $a^{[1]}_1 = x_1 w_{11} + x_2 w_{21} + b^{[1]}_1$ and then $h_1 = \sigma(a^{[1]}_1)$, so
#
# $$\frac{\partial L}{\partial w_{11}} = \frac{\partial L}{\partial h_1}\,
# \frac{\partial h_1}{\partial a^{[1]}_1}\,\frac{\partial a^{[1]}_1}{\partial w_{11}}
# = \frac{\partial L}{\partial h_1}\; h_1(1 - h_1)\; x_1 .$$
#
# $h_1$ feeds both output pre-activations,
# $a^{[2]}_1 = h_1 u_{11} + h_2 u_{21} + h_3 u_{31} + b^{[2]}_1$ and
# $a^{[2]}_2 = h_1 u_{12} + h_2 u_{22} + h_3 u_{32} + b^{[2]}_2$, and $L$ depends on both
# outputs. By the multivariate chain rule each path contributes a term:
#
# $$\frac{\partial L}{\partial h_1}
# = \frac{\partial L}{\partial y_1}\frac{\partial y_1}{\partial a^{[2]}_1}
#   \frac{\partial a^{[2]}_1}{\partial h_1}
# + \frac{\partial L}{\partial y_2}\frac{\partial y_2}{\partial a^{[2]}_2}
#   \frac{\partial a^{[2]}_2}{\partial h_1}
# = (y_1 - t_1)y_1(1 - y_1)\,u_{11} + (y_2 - t_2)y_2(1 - y_2)\,u_{12}.$$
#
# Hence
# $$\frac{\partial L}{\partial w_{11}}
# = \bigl[(y_1 - t_1)y_1(1 - y_1)\,u_{11} + (y_2 - t_2)y_2(1 - y_2)\,u_{12}\bigr]\,
#   h_1(1 - h_1)\,x_1 = (\delta_1 u_{11} + \delta_2 u_{12})\, h_1 (1 - h_1)\, x_1 .$$
#
# $u_{11}$ appears only in $a^{[2]}_1$: changing it moves $y_1$ and nothing else, so there is
# one path to the loss and one term. $h_1$ (and with it $w_{11}$) reaches the loss through
# both $y_1$ and $y_2$; the derivative of a function of several intermediate variables is the
# sum over them, so both paths must be added.
#
# (b) Nothing depended on the indices being 1 and 1:
#
# $$\frac{\partial L}{\partial w_{ij}}
# = \underbrace{\Bigl(\sum_k \delta_k u_{jk}\Bigr) h_j (1 - h_j)}_{\delta_j
#   \,=\, \partial L / \partial a^{[1]}_j}\; x_i ,$$
#
# the same form as at the output, $\partial L/\partial w_{ij} = \delta_j x_i$, with the weights
# $u_{jk}$ *leaving* the hidden unit and its *own* activation $h_j$.
#
# (c) $\boldsymbol\delta_\text{hid} = (\boldsymbol\delta_\text{out}\, \mathbf{u}^\top) \odot
# \mathbf{h} \odot (1 - \mathbf{h})$: `(m, n_out)` times `(n_out, n_hid)` gives `(m, n_hid)`,
# multiplied elementwise by two `(m, n_hid)` arrays; the product sums over the outputs $k$.
#
# === BEGIN MARK SCHEME ===
# 5 points.
# - 1: chain through $h_1$ with the local factors $h_1(1 - h_1)$ and $x_1$ (the derivative
#   of the HIDDEN unit; $y_1(1 - y_1)$ here is the source's slip and loses this point).
# - 1: $\partial L/\partial h_1$ as a sum over both outputs, each term
#   $(y_k - t_k) y_k (1 - y_k) u_{1k}$ with the right $u$ indices ($u_{11}$, $u_{12}$).
# - 1: the final expression assembled correctly (either the expanded form or with deltas
#   defined).
# - 1: the explanation: $h_1$ influences the loss through two outputs (two paths), the
#   multivariate chain rule sums over paths; $u_{11}$ affects only $y_1$ (one path).
# - 1: (b) and (c): the hidden delta with the weights leaving unit j (u_jk) and h_j (1 - h_j), and
#   the rows product delta_out u^T (elementwise) h (1 - h) with shapes.
# Half points are fine for a right idea with a slip in indices.
# === END MARK SCHEME ===

# %% [markdown]
# ### Exercise 3 (3 points): the hidden delta

# %% nbgrader={"grade": false, "grade_id": "hidden_delta", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hidden_delta(delta_out, u, h):
    """Delta of every hidden unit, dL/da1 (your Section 3 derivation), one row per example.

    Parameters
    ----------
    delta_out : (m, n_out) ndarray
        Output deltas.
    u : (n_hid, n_out) ndarray
        Weights from the hidden layer to the outputs.
    h : (m, n_hid) ndarray
        Hidden activations.

    Returns
    -------
    (m, n_hid) ndarray
    """
    ### BEGIN SOLUTION
    dL_dh = delta_out @ u.T  # every output k contributes delta_k u_jk
    return dL_dh * h * (1 - h)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "hidden_delta_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does hidden_delta return an array of the shape of h?"""
check_exercise("04_generalised_delta.hidden_delta", hidden_delta, part="shape")

# %% nbgrader={"grade": true, "grade_id": "hidden_delta_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are the hidden deltas right, on the worked example and on fresh inputs?"""
check_exercise("04_generalised_delta.hidden_delta", hidden_delta, part="values")
### BEGIN HIDDEN TESTS
check_exercise("04_generalised_delta.hidden_delta", hidden_delta, part="values",
               seeds=[401, 402, 403], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# **Checked worked cell (your hidden delta sums over both outputs).** For the first example:
# your hidden delta against a numerical derivative of that example's loss with respect to the
# pre-activations $a^{[1]}$ themselves, and your $\delta_1 x_1$ against a numerical
# $\partial L/\partial w_{11}$ (the source's worked case).

# %%
x_one, t_one = x[:1], t[:1]  # a batch of one example: the mean is that example's loss
fwd_one = delta_forward(x_one, w, b1, u, b2)
delta_hid_one = hidden_delta(output_delta(fwd_one["y"], t_one), u, fwd_one["h"])[0]


def loss_given_a1(params):
    """The loss of the first example as a function of its hidden pre-activations only."""
    y_one = sigmoid(sigmoid(params["a1"]) @ u + b2)
    return 0.5 * np.sum((y_one - t_one[0]) ** 2)


numeric_a1 = numerical_gradient(loss_given_a1, {"a1": fwd_one["a1"][0]})["a1"]
numeric_w = numerical_gradient(lambda p: delta_cost(x_one, t_one, p["w"], b1, u, b2),
                               {"w": w})["w"]
print("your hidden deltas:  ", delta_hid_one.round(8))
print("numerical dL/da1:    ", numeric_a1.round(8))
print(f"your delta_1 x_1: {delta_hid_one[0] * x_one[0, 0]:.8f}   "
      f"numerical dL/dw11: {numeric_w[0, 0]:.8f}")
assert np.allclose(delta_hid_one, numeric_a1, atol=1e-9)
assert np.isclose(delta_hid_one[0] * x_one[0, 0], numeric_w[0, 0], rtol=1e-6)

# %% [markdown]
# ## Section 4, 'All four gradients'
#
# The network has four parameters. By your derivations each gradient is the batch mean of
# "the delta of the unit the parameter feeds times the activation it multiplies" (a bias
# multiplies 1); Section 2's matrix product is the pattern for both weight matrices:
#
# | parameter | shape | delta it feeds | what it multiplies |
# |---|---|---|---|
# | `w` | `(n_in, n_hid)` | hidden delta `(m, n_hid)` | the inputs `x` `(m, n_in)` |
# | `b1` | `(n_hid,)` | hidden delta | 1 |
# | `u` | `(n_hid, n_out)` | output delta `(m, n_out)` | the hidden activations `h` `(m, n_hid)` |
# | `b2` | `(n_out,)` | output delta | 1 |
#
# ### Exercise 4 (4 points): every gradient of the 2-3-2 network
#
# Use `delta_forward` and your functions from Exercises 1 to 3.

# %% nbgrader={"grade": false, "grade_id": "delta_gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
def delta_gradients(x, t, w, b1, u, b2):
    """Gradients of the mean cost with respect to w, b1, u and b2 (examples as rows).

    Parameters
    ----------
    x : (m, n_in) ndarray
    t : (m, n_out) ndarray
    w : (n_in, n_hid) ndarray
    b1 : (n_hid,) ndarray
    u : (n_hid, n_out) ndarray
    b2 : (n_out,) ndarray

    Returns
    -------
    dict with keys "dw", "db1", "du", "db2"
        Each gradient has the shape of its parameter.
    """
    ### BEGIN SOLUTION
    m = x.shape[0]
    forward = delta_forward(x, w, b1, u, b2)
    delta_out = output_delta(forward["y"], t)
    delta_hid = hidden_delta(delta_out, u, forward["h"])
    return {
        "dw": x.T @ delta_hid / m,
        "db1": delta_hid.mean(axis=0),
        "du": output_weight_gradient(forward["h"], delta_out),
        "db2": delta_out.mean(axis=0),
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "delta_gradients_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does delta_gradients return dw, db1, du, db2, each of its parameter's shape?"""
check_exercise("04_generalised_delta.delta_gradients", delta_gradients, part="shape")

# %% nbgrader={"grade": true, "grade_id": "delta_gradients_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Are all four gradients right, on the worked example and on fresh inputs?"""
check_exercise("04_generalised_delta.delta_gradients", delta_gradients, part="values")
### BEGIN HIDDEN TESTS
check_exercise("04_generalised_delta.delta_gradients", delta_gradients, part="values",
               seeds=[401, 402, 403], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# **Check your own gradients.** The gradient checker nudges every entry of every parameter,
# measures how the cost moves (centred differences), and compares with your analytic gradient
# entry by entry. The relative error $|a - n| / (|a| + |n|)$ of a correct gradient lands
# around $10^{-10}$ in float64; $10^{-7}$ is the pass mark, and every bug of this lesson gives
# $10^{-3}$ or more. The report lists each parameter separately, so a bug in a bias is not
# hidden behind a large weight matrix.

# %%
params = {"w": w, "b1": b1, "u": u, "b2": b2}


def cost_of(p):
    """The worked batch's cost as a function of the parameter dict."""
    return delta_cost(x, t, p["w"], p["b1"], p["u"], p["b2"])


report = gradient_check(cost_of, params, delta_gradients(x, t, w, b1, u, b2))
print(report)

# %% [markdown]
# **Checked worked cell (training on real data).** The 2-3-2 network is a real classifier:
# two measurements of breast-tumour cell nuclei (mean radius and mean texture, standardised)
# go in, and the two outputs should be $(1, 0)$ for a malignant and $(0, 1)$ for a benign
# tumour. The data (569 tumours) ship with scikit-learn in columns; transposing puts them in
# this lesson's rows. Gradient descent with your `delta_gradients` should lower the cost.

# %%
X_cancer, labels, names = load_breast_cancer(features=["mean radius", "mean texture"])
x_cancer = X_cancer.T                               # (569, 2): one tumour per row
t_cancer = one_hot(labels.ravel().astype(int), 2).T  # (569, 2): column 0 malignant, 1 benign

rng = np.random.default_rng(7)
trained = {"w": rng.normal(scale=0.5, size=(2, 3)), "b1": np.zeros(3),
           "u": rng.normal(scale=0.5, size=(3, 2)), "b2": np.zeros(2)}
costs = [delta_cost(x_cancer, t_cancer, **trained)]
for _ in range(1000):
    grads = delta_gradients(x_cancer, t_cancer, **trained)
    trained = {name: value - 5.0 * grads["d" + name] for name, value in trained.items()}
    costs.append(delta_cost(x_cancer, t_cancer, **trained))

predicted = delta_forward(x_cancer, **trained)["y"].argmax(axis=1)
accuracy = np.mean(predicted == t_cancer.argmax(axis=1))
assert costs[-1] < 0.5 * costs[0]
print(f"cost {costs[0]:.4f} -> {costs[-1]:.4f}; training accuracy {accuracy:.1%}")

plt.plot(costs)
plt.xlabel("gradient-descent step")
plt.ylabel("mean cost")
plt.title("The 2-3-2 network on two breast-cancer features")
plt.show()

# %% [markdown]
# ## Section 5, 'Debugging with the gradient checker'

# %%
# First, what the trained 2-3-2 network of Section 4 learned: its decision regions over the two
# features (with your delta_gradients; untrained weights if it is not written yet).
from autograder.pictures.lessons import decision_region_picture


def benign_probability(points):
    """The network's output for 'benign' (column 1), one row per tumour."""
    return delta_forward(points, **trained)["y"][:, 1]


decision_region_picture(benign_probability, x_cancer, t_cancer.argmax(axis=1),
                        feature_names=("mean radius (standardised)",
                                       "mean texture (standardised)"),
                        class_names=("malignant", "benign"),
                        title="The 2-3-2 network on two breast-cancer features")

# %%
# The backward pass, one node at a time, on the first example of the worked batch. "Use my
# functions" runs your output_delta, output_weight_gradient, hidden_delta and delta_gradients on
# the same example and marks the first node where your value differs from the reference.
from autograder.widgets import backprop_stepper

backprop_stepper("232", student_functions={
    "output_delta": output_delta, "output_weight_gradient": output_weight_gradient,
    "hidden_delta": hidden_delta, "delta_gradients": delta_gradients})

# %% [markdown]
#
# Below is a backward pass for the same network with **three planted bugs**. It runs, it
# returns arrays of the right shapes, and it is wrong. Do not read it line by line yet: run the
# gradient checker first and let it tell you where to look. Two facts help in reading the
# report:
#
# - which gradient depends on what: `db2` uses only the output delta; `du` uses the output delta
#   and `h`; `dw` and `db1` use the hidden delta, which is built from everything above it;
# - the relative error $|a - n| / (|a| + |n|)$ is 1 exactly when the analytic and numerical
#   values do not share a sign: opposite signs, **or one of them 0** (a gradient that is
#   missing altogether scores 1 too). An analytic value that is exactly minus the numerical one
#   points to a flipped sign and nothing else.

# %%
def buggy_backward(x, t, w, b1, u, b2):
    """Gradients of the mean cost of the 2-3-2 network, with three planted bugs."""
    m = x.shape[0]
    forward = delta_forward(x, w, b1, u, b2)
    h, y = forward["h"], forward["y"]
    delta_out = (t - y) * sigmoid_prime(forward["a2"])
    du = (delta_out.T @ h).reshape(u.shape) / m
    db2 = delta_out.mean(axis=0)
    delta_hid = (delta_out @ u.T) * h
    dw = x.T @ delta_hid / m
    db1 = delta_hid.mean(axis=0)
    return {"dw": dw, "db1": db1, "du": du, "db2": db2}


# %%
print(gradient_check(cost_of, params, buggy_backward(x, t, w, b1, u, b2)))

# %% [markdown]
# ### Exercise 5 (3 points): fix the planted bugs
#
# Copy the body of `buggy_backward` into `fixed_backward` and fix the three bugs, one at a
# time. After each fix, run the gradient check in the cell after the grade cells and watch
# which parameters turn to `ok`.

# %% nbgrader={"grade": false, "grade_id": "fixed_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def fixed_backward(x, t, w, b1, u, b2):
    """buggy_backward with its three bugs fixed: gradients of the mean cost (rows).

    Parameters
    ----------
    x : (m, n_in) ndarray
    t : (m, n_out) ndarray
    w : (n_in, n_hid) ndarray
    b1 : (n_hid,) ndarray
    u : (n_hid, n_out) ndarray
    b2 : (n_out,) ndarray

    Returns
    -------
    dict with keys "dw", "db1", "du", "db2"
        Each gradient has the shape of its parameter.
    """
    ### BEGIN SOLUTION
    m = x.shape[0]
    forward = delta_forward(x, w, b1, u, b2)
    h, y = forward["h"], forward["y"]
    delta_out = (y - t) * sigmoid_prime(forward["a2"])  # was (t - y): the gradient pointed uphill
    du = h.T @ delta_out / m  # was a reshape of delta_out.T @ h: transpose, not reshape
    db2 = delta_out.mean(axis=0)
    delta_hid = (delta_out @ u.T) * h * (1 - h)  # was * h: sigma'(a1) = h (1 - h)
    dw = x.T @ delta_hid / m
    db1 = delta_hid.mean(axis=0)
    return {"dw": dw, "db1": db1, "du": du, "db2": db2}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "fixed_backward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does fixed_backward return dw, db1, du, db2, each of its parameter's shape?"""
check_exercise("04_generalised_delta.fixed_backward", fixed_backward, part="shape")

# %% nbgrader={"grade": true, "grade_id": "fixed_backward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are all three planted bugs fixed, on the worked example and on fresh inputs?"""
check_exercise("04_generalised_delta.fixed_backward", fixed_backward, part="values")
### BEGIN HIDDEN TESTS
check_exercise("04_generalised_delta.fixed_backward", fixed_backward, part="values",
               seeds=[401, 402, 403], hidden=True)
### END HIDDEN TESTS

# %%
print(gradient_check(cost_of, params, fixed_backward(x, t, w, b1, u, b2)))

# %% [markdown]
# ### Written answer (3 points): name the bugs
#
# For each of the three bugs: quote the line, say what is wrong and what the right version
# is, and say which parameters the gradient checker flagged because of it and why those.

# %% [markdown] nbgrader={"grade": true, "grade_id": "planted_bugs_named", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# **Model answer.**
#
# 1. `delta_out = (t - y) * sigmoid_prime(forward["a2"])`: the sign is flipped;
#    $\partial L/\partial y = y - t$, so it must start with `(y - t)`. Every gradient is built from `delta_out`,
#    so all four parameters fail; `db2` depends on nothing else, and its analytic value is
#    exactly minus the numerical one: a pure sign error.
# 2. `du = (delta_out.T @ h).reshape(u.shape) / m`: a reshape where a transpose belongs.
#    `delta_out.T @ h` is $(\partial J/\partial u)^\top$ with shape `(2, 3)`; reshaping it to
#    `(3, 2)` keeps the entries in memory order and scrambles which hidden unit goes with which
#    output. Right: `h.T @ delta_out / m`. Only `u` is affected (after bug 1 is fixed, `u` is
#    the only failure in the output layer while `b2` passes).
# 3. `delta_hid = (delta_out @ u.T) * h`: the activation $\sigma(a^{[1]}) = h$ stands where its
#    derivative $\sigma'(a^{[1]}) = h(1 - h)$ belongs. Right: `* h * (1 - h)`. This corrupts the
#    hidden delta, so `w` and `b1` fail and `u`, `b2` do not.
#
# === BEGIN MARK SCHEME ===
# 3 points, one per bug. Each point needs the line (or an unambiguous description), what is
# wrong and the fix. Saying which parameters fail is expected but not enough on its own
# ("w fails" without the cause earns nothing). Accept `(delta_out.T @ h).T / m` as the fix of
# bug 2, and `sigmoid_prime(forward["a1"])` as the fix of bug 3 (but not `sigmoid_prime(h)`).
# === END MARK SCHEME ===

# %% [markdown]
# ## Section 6, 'The generalised delta rule'
#
# Nothing in Sections 2 and 3 depended on there being exactly one hidden layer. Number the
# layers $l = 0$ (inputs) to $l = D$ (outputs; $D$ is the depth, and $L$ stays the loss), write
# $h^{[l]}_i$ for the activation of unit $i$ of layer $l$ ($h^{[0]} = x$, $h^{[D]} = y$) and
# $w^{[l]}_{ij}$ for the weight from unit $i$ of layer $l - 1$ to unit $j$ of layer $l$ (so
# $w^{[1]} = \mathbf{w}$ and $w^{[2]} = \mathbf{u}$ in the 2-3-2 network).
#
# **Before you read on, generalise on paper.** From your Sections 2 and 3, write
# $\partial L/\partial w^{[l]}_{ij}$ as a delta times an activation, and $\delta^{[l]}_j$ in two
# cases: $j$ an output unit ($l = D$) and $j$ a hidden unit of any layer $l < D$. For the
# hidden case say, for every symbol, which layer it belongs to. You will need it for the slip
# below; the rule is given after your answer, to check it.
#
# **A slip in the source.** *A Peek into the Mathematics of Optimization* ends with the hidden
# delta written as
#
# $$\delta_j = \sum_k \delta_k\, w_{jk}\; y_j (1 - y_j).$$
#
# Taken literally in the 2-3-2 network, it is not the delta you derived. **Before you run the
# cell below**, compare it with your hidden delta factor by factor: for each symbol, which
# unit's value or which weights does it stand for, and does $j$ range over the right units?
# The cell feeds two literal readings of the formula to your own `hidden_delta` (whose
# arguments are the weights leaving the layer and that layer's activation). One of them fails
# at once; the other runs without complaint, and only the gradient check catches it.

# %%
fwd = delta_forward(x, w, b1, u, b2)
h, y = fwd["h"], fwd["y"]
d_out = output_delta(y, t)
try:  # reading 1
    reading_1 = hidden_delta(d_out, u, y)
    print(f"reading 1 gave shape {np.shape(reading_1)} for {h.shape[1]} hidden units")
except (ValueError, IndexError) as error:  # how it fails depends on how hidden_delta is written
    print("reading 1 failed:", error)

d_hid_with_w = hidden_delta(d_out, w.T, h)  # reading 2
print("reading 2 ran: its delta has shape", d_hid_with_w.shape)
slipped_gradients = dict(delta_gradients(x, t, w, b1, u, b2),
                         dw=x.T @ d_hid_with_w / len(x), db1=d_hid_with_w.mean(axis=0))
slip_report = gradient_check(cost_of, params, slipped_gradients)
print(slip_report)
assert {row.name for row in slip_report.failures()} == {"w", "b1"}

# %% [markdown]
# ### Written answer (2 points): the slip
#
# Which two symbols of the source's last formula are wrong, and what should each be? Why did
# the version with `w` run without an error in the 2-3-2 network, and what would have happened
# with three inputs instead of two?

# %% [markdown] nbgrader={"grade": true, "grade_id": "slip_s5", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** $y_j(1 - y_j)$ should be $h_j(1 - h_j)$: the delta of hidden unit $j$
# needs the derivative of *its own* activation, $\sigma'(a^{[1]}_j) = h_j(1 - h_j)$, and the
# outputs $y$ are a different layer (with only two units, so $y_3$ does not even exist). And
# $w_{jk}$ should be the weights leaving unit $j$, $u_{jk}$ in the 2-3-2 network: the error of
# $h_j$ comes back along the connections from $h_j$ to the units it feeds. The code with `w`
# ran because `w` has shape (2, 3), the same as `u.T`, since the network has as many inputs as
# outputs. With three inputs `w` would be (3, 3) while `u.T` is (2, 3), so `d_out @ w` with
# `d_out` of shape (m, 2) would raise a shape error.
#
# === BEGIN MARK SCHEME ===
# 2 points.
# - 1: both corrections: $y_j(1-y_j) \to h_j(1-h_j)$ (own, hidden activation) and
#   $w_{jk} \to u_{jk}$ (the next layer's weights, those leaving unit j). Half a point for one.
# - 1: the shape coincidence (n_in = n_out = 2, so w and u.T are both (2, 3)) and that with 3
#   inputs the product would fail with a shape error.
# === END MARK SCHEME ===

# %% [markdown]
# ### Check your generalisation: the generalised delta rule
#
# For **any** weight of a sigmoid network with the squared-error loss,
#
# $$\frac{\partial L}{\partial w^{[l]}_{ij}} = \delta^{[l]}_j\, h^{[l-1]}_i,
# \qquad
# \delta^{[l]}_j =
# \begin{cases}
# (y_j - t_j)\, y_j (1 - y_j) & \text{if } l = D \text{ (an output unit),}\\[4pt]
# \Bigl(\sum_k \delta^{[l+1]}_k\, w^{[l+1]}_{jk}\Bigr)\, h^{[l]}_j (1 - h^{[l]}_j) &
#   \text{if } l < D \text{ (a hidden unit),}
# \end{cases}$$
#
# where $h^{[l-1]}_i$ is the activation at the input end of the weight, $h^{[l]}_j$ is unit
# $j$'s **own** activation, and the $w^{[l+1]}_{jk}$ in the sum are the weights **leaving** unit
# $j$, those of the *next* layer (the $u_{jk}$ of the 2-3-2 network). The layer mark on every
# weight matters: the slip above dropped it. The deltas are computed from the output
# backwards, each layer's from the one above: that is backpropagation.

# %% [markdown]
# ### Exercise 6 (4 points): the generalised backward pass
#
# A network of any depth is a list of weight matrices and a list of biases, `weights[l]` of
# shape `(n_l, n_{l+1})` and `biases[l]` of shape `(n_{l+1},)`. Python counts from 0 and layers
# from 1: `weights[l]` is the rule's $w^{[l+1]}$, and `activations[l]` below is $h^{[l]}$. The
# forward pass below keeps every layer's activation, `activations = [x, h_1, ..., y]`, because
# the backward pass needs them. Write `generalised_backward`: start from the output delta, and
# for each layer from the top down, compute that layer's two gradients, then the delta of the
# layer below. Your `output_delta` and `hidden_delta` are exactly the two cases of the rule.

# %%
def generalised_forward(x, weights, biases):
    """Forward pass of a sigmoid network of any depth, examples as rows.

    Parameters
    ----------
    x : (m, n_0) ndarray
    weights : list of D ndarrays, weights[l] of shape (n_l, n_{l+1})
    biases : list of D ndarrays, biases[l] of shape (n_{l+1},)

    Returns
    -------
    list of D + 1 ndarrays
        [x, h_1, ..., h_{D-1}, y]; entry l has shape (m, n_l).
    """
    activations = [x]
    for w_layer, b_layer in zip(weights, biases):
        activations.append(sigmoid(activations[-1] @ w_layer + b_layer))
    return activations


# %% nbgrader={"grade": false, "grade_id": "generalised_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def generalised_backward(x, t, weights, biases):
    """Gradients of the mean cost of a sigmoid network of any depth (the generalised rule).

    Parameters
    ----------
    x : (m, n_0) ndarray
    t : (m, n_D) ndarray
    weights : list of D ndarrays, weights[l] of shape (n_l, n_{l+1})
    biases : list of D ndarrays, biases[l] of shape (n_{l+1},)

    Returns
    -------
    dweights : list of D ndarrays, dweights[l] of the shape of weights[l]
    dbiases : list of D ndarrays, dbiases[l] of the shape of biases[l]
    """
    ### BEGIN SOLUTION
    activations = generalised_forward(x, weights, biases)
    m = x.shape[0]
    n_layers = len(weights)
    dweights, dbiases = [None] * n_layers, [None] * n_layers
    delta = output_delta(activations[-1], t)
    for layer in reversed(range(n_layers)):
        below = activations[layer]  # the activations that multiply weights[layer]
        dweights[layer] = below.T @ delta / m
        dbiases[layer] = delta.mean(axis=0)
        if layer > 0:
            delta = hidden_delta(delta, weights[layer], below)
    return dweights, dbiases
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "generalised_backward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does generalised_backward return one gradient per layer, each of its parameter's shape?"""
from autograder.exercises.lesson04 import named_gradients  # two lists -> one dict of arrays

check_exercise("04_generalised_delta.generalised_backward",
               named_gradients(generalised_backward), part="shape")

# %% nbgrader={"grade": true, "grade_id": "generalised_backward_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Are the gradients right for networks of several depths and sizes?"""
from autograder.exercises.lesson04 import named_gradients  # two lists -> one dict of arrays

check_exercise("04_generalised_delta.generalised_backward",
               named_gradients(generalised_backward), part="values")
### BEGIN HIDDEN TESTS
check_exercise("04_generalised_delta.generalised_backward",
               named_gradients(generalised_backward), part="values",
               seeds=[401, 402, 403], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# **Checked worked cell (one rule for every depth).** With two layers, the generalised pass
# must reproduce `delta_gradients`; on a deeper network, the gradient checker has the last
# word.

# %%
dweights, dbiases = generalised_backward(x, t, [w, u], [b1, b2])
two_layer = delta_gradients(x, t, w, b1, u, b2)
assert np.allclose(dweights[0], two_layer["dw"]) and np.allclose(dweights[1], two_layer["du"])
assert np.allclose(dbiases[0], two_layer["db1"]) and np.allclose(dbiases[1], two_layer["db2"])

rng = np.random.default_rng(11)
sizes = [3, 4, 5, 2]
deep_x, deep_t = rng.normal(size=(6, 3)), rng.uniform(0.05, 0.95, size=(6, 2))
deep_params = {}
for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
    deep_params[f"w{layer}"] = rng.normal(scale=0.9, size=(n_in, n_out))
    deep_params[f"b{layer}"] = rng.normal(scale=0.5, size=n_out)
n_layers = len(sizes) - 1


def deep_cost(p):
    """Mean squared-error cost of the deep network, as a function of the parameter dict."""
    y_deep = generalised_forward(deep_x, [p[f"w{i}"] for i in range(n_layers)],
                                 [p[f"b{i}"] for i in range(n_layers)])[-1]
    return batch_cost(squared_error(y_deep.T, deep_t.T))


deep_dw, deep_db = generalised_backward(
    deep_x, deep_t, [deep_params[f"w{i}"] for i in range(n_layers)],
    [deep_params[f"b{i}"] for i in range(n_layers)])
deep_grads = {f"dw{i}": deep_dw[i] for i in range(n_layers)}
deep_grads.update({f"db{i}": deep_db[i] for i in range(n_layers)})
deep_report = gradient_check(deep_cost, deep_params, deep_grads)
print(deep_report)
assert deep_report.passed

# %% [markdown]
# ## Summary
#
# - A unit's **delta** is $\partial L/\partial a$ of its pre-activation. Every weight's gradient
#   is (delta of the unit it feeds) $\times$ (activation it multiplies); a bias multiplies 1.
# - Output delta: $(y_j - t_j)\,y_j(1 - y_j)$. Hidden delta:
#   $(\sum_k \delta^{[l+1]}_k w^{[l+1]}_{jk})\,h^{[l]}_j(1 - h^{[l]}_j)$ with the weights leaving
#   unit $j$ (the next layer's, $u_{jk}$ in the 2-3-2 network) and unit $j$'s own activation.
# - A hidden unit feeding several units collects one term per path: that sum is the
#   multivariate chain rule, and in matrix form it is the product with the next layer's
#   weights, transposed.
# - Batches: in rows, a weight gradient is one matrix product of activations and deltas over
#   $m$, and a bias gradient the mean of the deltas; in columns, transpose everything.
# - When a backward pass is wrong, the per-parameter gradient check tells you which gradients
#   to read, and the dependency structure tells you which line.
#
# **Next: lesson 5, [Backpropagation through L layers with Jacobians](../05_deep_networks/05_deep_networks.ipynb)**:
# the same rule in the course's column layout, for any depth and any activation.
