# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 3: Logistic regression, vectorised
#
# **Points:** 20 autograded + 9 written = **29 in total**. About 3.5 hours on a first meeting with backpropagation.
#
# **By the end of this lesson you can**: write the cross-entropy cost in the logit $z$ and
# compute it without overflow; derive $\partial J/\partial z$ for logistic regression and then
# every parameter's gradient from it, for a whole batch at once, as matrix products whose
# shapes you can check; explain why that shared factor is backpropagation in miniature; and
# train and evaluate the model on real data. This lesson follows *Numeric Minimization of Loss*
# (see the References of `00_start_here`); the symbols are the course's notation table.
#
# | exercise | points |
# |---|---|
# | `logistic_forward` (Section 4) | 1 + 2 |
# | `logistic_cost` (Section 5) | 1 + 3 |
# | written derivation of $\partial J/\partial z$ (Section 6) | 4 |
# | `logistic_dJdz` (Section 6) | 1 + 2 |
# | written derivation of the batch gradients (Section 7) | 3 |
# | `logistic_gradients` (Section 7) | 1 + 3 |
# | written question on the lost minus sign (Section 9) | 2 |
# | `logistic_gradient_descent` (Section 10) | 1 + 3 |
# | `logistic_predict` (Section 10) | 1 + 1 |
#
# Logistic regression is the smallest model in which every idea of backpropagation already
# appears: a forward pass, a cost, one derivative that is computed once and then shared by all
# parameters, and a gradient-descent loop. In this lesson you write all of it, for a whole batch
# of examples at once, and train it to tell benign from malignant tumours.
#
# Lesson 1 covered gradient descent itself: each parameter moves against its own partial
# derivative, $\theta \leftarrow \theta - \eta\, \partial J / \partial \theta$. Here we work
# out those partial derivatives for logistic regression.
#
# Grade cells call `check_exercise`. When a check fails, read its message: it says what was
# expected, what came back, and, for the usual slips, which one it looks like.

# %%
from autograder.pictures import logistic_picture

logistic_picture(p=2)  # this lesson's model, drawn for two features

# %%
import time
from functools import reduce

import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import sigmoid, tanh
from autograder.checks import check_exercise
from autograder.datasets import load_breast_cancer, train_test_split_columns
from autograder.gradcheck import gradient_check, numerical_gradient

# %% [markdown]
# ## Section 1, 'Shapes and notation'
#
# Examples sit side by side as **columns**, exactly as in *Numeric Minimization of Loss*. With
# $p$ features and $m$ examples:
#
# | name | shape | what it holds |
# |---|---|---|
# | `X` | $(p, m)$ | example $x^{(i)}$ in column $i$ |
# | `y` | $(1, m)$ | labels $y^{(i)} \in \{0, 1\}$ |
# | `w` | $(p, 1)$ | one weight per feature |
# | `b` | float | the bias |
# | `z`, `a` | $(1, m)$ | logit $z^{(i)}$ and probability $a^{(i)}$ of every example |
# | `dw`, `db` | like `w`, `b` | a gradient always has the shape of its parameter |
#
# The cost of a batch is the **mean** of the per-example losses $L^{(i)}$,
# $J = \frac1m \sum_i L^{(i)}$ (*Numeric Minimization of Loss* calls the learning rate $\alpha$;
# this course writes $\eta$, as in the notation table); the source adds the losses up, which only rescales the learning rate (lesson 1, Section 8). When
# parameters are stacked into one vector, the gradient lists the partial derivatives in the
# same order (lesson 1, Section 9, where the source's swapped order is shown to climb).

# %% [markdown]
# ## Section 2, 'From likelihood to cost'
#
# Lesson 1, Section 1 turned the likelihood of the labels into the mean negative log-likelihood,
# for one weight. With a bias and $p$ weights nothing changes: with $a^{(i)} = \sigma(z^{(i)})$,
#
# $$J(b, w) = -\frac1m \log \mathcal{L}(b, w)
#   = \frac1m \sum_{i=1}^m -\Big[y^{(i)} \log a^{(i)} + (1 - y^{(i)}) \log (1 - a^{(i)})\Big].$$
#
# The cell below compares three candidate models on five made-up tumours: the one with the
# largest likelihood $\mathcal{L}$ is the one with the smallest cost, which is exactly
# $-\frac1m\log\mathcal{L}$.

# %%
# five tumours, one standardised feature (say, the radius); label 1 = benign
x_toy = np.array([[-1.2, -0.4, 0.3, 0.9, 1.6]])
y_toy = np.array([[1.0, 1.0, 0.0, 1.0, 0.0]])
# candidate models: small tumours benign; a coin flip; large tumours benign
candidates = [(np.array([[-2.0]]), 0.5), (np.array([[0.0]]), 0.0), (np.array([[1.0]]), 0.0)]

likelihoods, costs_toy = [], []
for w_c, b_c in candidates:
    a_c = sigmoid(w_c.T @ x_toy + b_c)
    likelihood = np.prod(a_c ** y_toy * (1 - a_c) ** (1 - y_toy))
    cost = -np.mean(y_toy * np.log(a_c) + (1 - y_toy) * np.log(1 - a_c))
    assert np.isclose(cost, -np.log(likelihood) / x_toy.shape[1])
    likelihoods.append(likelihood)
    costs_toy.append(cost)
    print(f"w = {w_c[0, 0]:+.1f}, b = {b_c:+.1f}:  likelihood {likelihood:.4f},  cost {cost:.4f}")

assert np.argmax(likelihoods) == np.argmin(costs_toy)

# Why the log: a model that gives each of 2000 labels probability 0.6 has a likelihood of
# 0.6**2000, about 1e-444, far below the smallest positive float64 (about 5e-324): np.prod can
# only return 0 or a meaningless last bit. The log-likelihood is an ordinary number.
probabilities = np.full(2000, 0.6)
print("product:", np.prod(probabilities), "  sum of logs:", np.sum(np.log(probabilities)))
assert np.prod(probabilities) < 1e-320
assert np.isclose(np.sum(np.log(probabilities)), 2000 * np.log(0.6))

# %% [markdown]
# ## Section 3, 'Forward propagation is composition'
#
# Before specialising to one neuron, look at what a forward pass is in general. A network with
# two $\tanh$ layers and a sigmoid output computes, layer by layer,
#
# $$z^{[l]} = b^{[l]} + W^{[l]} a^{[l-1]}, \qquad a^{[l]} = h^{[l]}(z^{[l]}), \qquad
#   a^{[0]} = X,$$
#
# with $h^{[1]} = h^{[2]} = \tanh$ and $h^{[3]} = \sigma$. (*Numeric Minimization of Loss* writes $w^{[l]T}$ for the
# weights of a layer; our $W^{[l]}$ of shape $(n_\text{out}, n_\text{in})$ already has one row
# per unit, so no transpose is needed.) Substituting each line into the next gives one nested
# expression:
#
# $$a^{[3]} = \sigma\Big(b^{[3]} + W^{[3]} \tanh\big(b^{[2]} + W^{[2]}
#   \tanh(b^{[1]} + W^{[1]} X)\big)\Big).$$
#
# The network is a composition of functions, one per layer. Differentiating a composition is
# what the chain rule does, and backpropagation is the chain rule applied to this nesting,
# from the outside in. The cell checks that the nested expression and the layer-by-layer loop
# are the same computation.

# %%
rng = np.random.default_rng(3)
sizes = [4, 3, 2, 1]                 # a^[0] has 4 features; the layers have 3, 2 and 1 units
params = {}
for layer in (1, 2, 3):
    params[f"W{layer}"] = rng.normal(size=(sizes[layer], sizes[layer - 1]))
    params[f"b{layer}"] = rng.normal(size=(sizes[layer], 1))
X_small = rng.normal(size=(4, 5))    # five examples


def make_layer(W, b, g):
    """The function a_prev -> g(b + W a_prev) of one layer."""
    return lambda a_prev: g(b + W @ a_prev)


layers = [make_layer(params["W1"], params["b1"], tanh),
          make_layer(params["W2"], params["b2"], tanh),
          make_layer(params["W3"], params["b3"], sigmoid)]
network = reduce(lambda f, g: (lambda x: g(f(x))), layers)     # layer 3 after 2 after 1

a3_nested = sigmoid(params["b3"] + params["W3"] @ tanh(
    params["b2"] + params["W2"] @ tanh(params["b1"] + params["W1"] @ X_small)))

assert a3_nested.shape == (1, 5)
assert np.allclose(network(X_small), a3_nested, rtol=1e-14, atol=0)
print("a^[3] =", np.round(a3_nested, 4))

# %% [markdown]
# ## Section 4, 'The forward pass of logistic regression'
#
# Logistic regression is the one-layer case: $p$ inputs, one sigmoid unit. For one example,
#
# $$z^{(i)} = b + \sum_{j=1}^p w_j x_j^{(i)} = b + w^T x^{(i)}, \qquad
#   a^{(i)} = \sigma(z^{(i)}) = \frac{1}{1 + e^{-z^{(i)}}} .$$
#
# For all $m$ examples at once, $w^T X$ is a $(1, p)$ times $(p, m)$ product: one logit per
# column, shape $(1, m)$. Adding the float `b` adds it to every column (numpy broadcasting).
#
# **Worked example.** With $w = (0.5, -1)^T$, $b = 0.25$ and three examples
# $X = \begin{pmatrix} 1 & 2 & 0 \\ 0 & 1 & -1 \end{pmatrix}$:
# $z = (0.5 - 0 + 0.25,\; 1 - 1 + 0.25,\; 0 + 1 + 0.25) = (0.75,\; 0.25,\; 1.25)$ and
# $a = \sigma(z) \approx (0.679,\; 0.562,\; 0.777)$.
#
# **Predict before you code.** Which shape does `w.T @ X` have, and which `X.T @ w`, for
# $p = 2$ features and $m = 3$ examples? Which of the two is the row $z$ of the docstring?
#
# **Exercise (3 points).** Write `logistic_forward`. Use the `sigmoid` imported at the top
# (from `autograder.activations`): it never overflows, even for $|z|$ in the thousands, so you
# do not need to write your own.

# %% nbgrader={"grade": false, "grade_id": "logistic_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def logistic_forward(w, b, X):
    """Logits and probabilities of logistic regression for a batch of examples.

    Parameters
    ----------
    w : (p, 1) ndarray
        Weights, one per feature.
    b : float
        Bias.
    X : (p, m) ndarray
        One example per column.

    Returns
    -------
    z : (1, m) ndarray
        Logits ``w^T X + b``.
    a : (1, m) ndarray
        Probabilities ``sigmoid(z)``.
    """
    ### BEGIN SOLUTION
    z = w.T @ X + b
    a = sigmoid(z)
    return z, a
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "logistic_forward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does logistic_forward return two arrays z and a of shape (1, m)?"""
check_exercise("03_logistic_regression.logistic_forward", logistic_forward, part="shape")

# %% nbgrader={"grade": true, "grade_id": "logistic_forward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are z and a right, on the worked example and on fresh inputs?"""
check_exercise("03_logistic_regression.logistic_forward", logistic_forward, part="values",
               seeds=[0, 1])
### BEGIN HIDDEN TESTS
check_exercise("03_logistic_regression.logistic_forward", logistic_forward, part="values",
               seeds=[31, 32, 33], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# The worked example from the text, with your function:

# %%
w_demo = np.array([[0.5], [-1.0]])
X_demo = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]])
z_demo, a_demo = logistic_forward(w_demo, 0.25, X_demo)
print("z =", z_demo, "\na =", np.round(a_demo, 3))
assert np.allclose(z_demo, [[0.75, 0.25, 1.25]])
assert np.allclose(a_demo, 1 / (1 + np.exp(-np.array([[0.75, 0.25, 1.25]]))))

# %% [markdown]
# ## Section 5, 'The cost written in z'
#
# The per-example loss of Section 2 can be written with the logit $z$ alone. **Derive it on
# paper first**, using $a = \frac{e^z}{1 + e^z}$ and $1 - a = \frac{1}{1 + e^z}$: what is left
# of $L^{(i)} = -[y \log a + (1 - y)\log(1 - a)]$? Then open the box to compare.
#
# <details><summary>Check your derivation</summary>
#
# $$\begin{aligned}
# L^{(i)} &= -\Big[y \log \frac{e^z}{1 + e^z} + (1 - y) \log \frac{1}{1 + e^z}\Big] \\
#   &= -\Big[y z - y \log(1 + e^z) - (1 - y) \log(1 + e^z)\Big] \\
#   &= -\Big[y z - \log(1 + e^z)\Big] \;=\; \log(1 + e^z) - y z ,
# \end{aligned}$$
#
# where $z$ and $y$ are $z^{(i)}$ and $y^{(i)}$. Two terms, no probabilities, no division.
#
# </details>
#
# This is also the form to *compute* with. Through probabilities, a confident model breaks
# floating point: for $z = -800$, $a = \sigma(z)$ rounds to exactly 0 and $\log a = -\infty$;
# for $z = 50$, $a$ rounds to exactly 1, and with $y = 1$ the term $(1 - y)\log(1 - a)$ is
# $0 \cdot (-\infty)$, which is `nan`. Written in $z$ only $\log(1 + e^z)$ is left, but
# computed as written it still breaks: **predict** what `np.log(1 + np.exp(z))` gives at
# $z = 800$, and find a way to write $\log(1 + e^z)$ that never takes $e$ to a large positive
# power (hint: for $z > 0$, take $e^z$ out of the bracket). Then open the box.
#
# <details><summary>Check your answer</summary>
#
# $e^{800}$ overflows to `inf`, so the naive version gives `inf` where the loss is about 800.
# For $z > 0$, $\log(1 + e^z) = \log\big(e^z(e^{-z} + 1)\big) = z + \log(1 + e^{-z})$, and
# $e^{-z} < 1$; in one line, $\log(1 + e^z) = \max(z, 0) + \log(1 + e^{-|z|})$. numpy has
# this safe form built in: `np.logaddexp(0, z)` $= \log(e^0 + e^z)$, which never overflows and
# keeps its digits for very negative $z$.
#
# </details>
#
# The cell shows the versions side by side (the `errstate` line only hides the warnings the
# naive versions raise).

# %%
z_row = np.array([[-800.0, -40.0, 0.0, 40.0, 800.0]])
y_row = np.ones_like(z_row)
with np.errstate(all="ignore"):            # let the naive formulas fail quietly, to look at them
    a_row = sigmoid(z_row)
    through_a = -(y_row * np.log(a_row) + (1 - y_row) * np.log(1 - a_row))
    naive_in_z = np.log(1 + np.exp(z_row)) - y_row * z_row
print("z                 ", z_row[0])
print("through a         ", through_a[0])
print("log(1 + e^z) - yz ", naive_in_z[0])
print("np.logaddexp(0, z)", np.logaddexp(0.0, z_row)[0])

assert not np.all(np.isfinite(through_a)) and not np.all(np.isfinite(naive_in_z))
assert np.all(np.isfinite(np.logaddexp(0.0, z_row)))

# %% [markdown]
# Your cost will show it (the cell after the exercise): a tumour with label 1 that the model
# calls 0 with $z = -800$ costs about 800, as much as a thousand ordinary mistakes. For a
# confident error the loss grows *linearly* in $|z|$ ($\log(1 + e^{z}) - z \approx |z|$ for
# $z \ll 0$), not in proportion to the confidence $1 - a$, which is already almost 1 at
# $z = -10$: the cost keeps growing long after the probability has saturated, while its slope
# in $z$ stays bounded (Section 6 derives it; predict now how large it can get).
#
# **Exercise (4 points).** Write `logistic_cost`, the mean loss over the batch, computed from
# $z$. The worked example of the checks contains two such extreme examples (with $z \approx 50$
# and $z \approx -800$, both labelled 1), so a version that goes through $\log a$ fails.

# %% nbgrader={"grade": false, "grade_id": "logistic_cost", "locked": false, "schema_version": 3, "solution": true, "task": false}
def logistic_cost(w, b, X, y):
    """Mean binary cross-entropy of logistic regression, computed from the logits.

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray
        One example per column.
    y : (1, m) ndarray
        Labels, 0 or 1.

    Returns
    -------
    float
        The mean over the batch of Section 5's per-example loss, finite for any logits.
    """
    ### BEGIN SOLUTION
    z = w.T @ X + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "logistic_cost_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does logistic_cost return one finite number, even with huge logits?"""
check_exercise("03_logistic_regression.logistic_cost", logistic_cost, part="shape")

# %% nbgrader={"grade": true, "grade_id": "logistic_cost_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Is the cost right (and finite for extreme logits), on the worked example and on fresh inputs?"""
check_exercise("03_logistic_regression.logistic_cost", logistic_cost, part="values")
### BEGIN HIDDEN TESTS
check_exercise("03_logistic_regression.logistic_cost", logistic_cost, part="values",
               seeds=[31, 32, 33], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# Your cost is the mean negative log-likelihood of Section 2: on the five toy tumours it ranks
# the three candidate models the same way; and the confidently wrong tumour costs about 800.

# %%
assert np.isclose(logistic_cost(np.ones((1, 1)), 0.0, np.array([[-800.0]]), np.ones((1, 1))), 800.0)
for (w_c, b_c), cost in zip(candidates, costs_toy):
    assert np.isclose(logistic_cost(w_c, b_c, x_toy, y_toy), cost)
print("logistic_cost agrees with -log(likelihood) / m for every candidate.")

# %% [markdown]
# ## Section 6, 'The derivative with respect to z'
#
# The loss of one example depends on the parameters only through its logit $z$. So the chain
# rule splits every derivative into a part that is the same for all parameters, the derivative
# with respect to $z$, and a part that is specific to each parameter. We start with the shared
# part.
#
# **Written exercise (4 points).** Starting from $L = -\big[y z - \log(1 + e^z)\big]$ (the
# loss of one example, $L^{(i)}$ of Section 5; we drop the superscript $(i)$. *Numeric
# Minimization of Loss* calls it $J^{(i)}$, and the function below keeps that letter in its
# name, `logistic_dJdz`), derive $\dfrac{\partial L}{\partial z}$ and write it
# in terms of $a = \sigma(z)$ and $y$. Show each step, and say where the minus sign in front of
# the bracket goes. Then check your answer a second way, with the two-factor chain rule
# $\frac{\partial L}{\partial a}\cdot\frac{\partial a}{\partial z}$ applied to
# $L = -[y \log a + (1 - y)\log(1 - a)]$, using $\sigma'(z) = a(1 - a)$.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_dJdz", "locked": false, "points": 4, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** Multiply out the minus sign first: $L = \log(1 + e^z) - y z$. Then
#
# $$\frac{\partial L}{\partial z} = \frac{1}{1 + e^z}\cdot e^z - y
#   = \frac{e^z}{1 + e^z} - y = \frac{1}{1 + e^{-z}} - y = \sigma(z) - y = a - y .$$
#
# The minus sign in front of the bracket multiplies *both* terms: $-y z$ gives $-y$ and
# $+\log(1 + e^z)$ gives $+a$. Losing it gives $y - a$, which is the derivative of the
# log-likelihood $y z - \log(1 + e^z)$, not of the cost.
#
# Second way: $\frac{\partial L}{\partial a} = -\frac{y}{a} + \frac{1 - y}{1 - a}
# = \frac{a - y}{a(1 - a)}$ and $\frac{\partial a}{\partial z} = a(1 - a)$, so the product is
# $a - y$: the factor $\sigma'(z)$ cancels, which is why the result is so simple.
#
# Sanity check: if $y = 1$ and $a$ is close to 1 the derivative is close to 0 (nothing to
# fix); if $a > y$ it is positive, so lowering $z$ lowers the loss, as it should.
#
# === BEGIN MARK SCHEME ===
# 4 points in total.
# - 1 point: differentiates $\log(1 + e^z)$ correctly to $e^z / (1 + e^z)$ (chain rule on the
#   log).
# - 1 point: recognises $e^z / (1 + e^z) = \sigma(z) = a$ (any correct rearrangement).
# - 1 point: keeps the overall minus sign and arrives at $a - y$. An answer of $y - a$ gets 0
#   for this point, even if the rest is right (this is the slip in *Numeric Minimization of
#   Loss*).
# - 1 point: the second route, $\frac{(a - y)}{a(1 - a)} \cdot a(1 - a) = a - y$, or an
#   equivalent independent check (limits, sign argument, numerical check). Mentioning that
#   $\sigma'$ cancels is enough if the algebra is shown.
# Steps that are merely asserted ("clearly the derivative is a - y") earn at most 2 points.
# === END MARK SCHEME ===

# %% [markdown]
# In code, `dJdz` is the row of these per-example derivatives, one per column:
# $\big[\partial L^{(1)}/\partial z^{(1)}, \dots, \partial L^{(m)}/\partial z^{(m)}\big]$,
# shape $(1, m)$. (The derivative of the *mean* cost with respect to $z^{(i)}$ carries an extra
# $1/m$; we apply it once, in Section 7.)
#
# **Exercise (3 points).** Write `logistic_dJdz`.

# %% nbgrader={"grade": false, "grade_id": "logistic_dJdz", "locked": false, "schema_version": 3, "solution": true, "task": false}
def logistic_dJdz(z, y):
    """Per-example derivative of the cross-entropy loss with respect to the logit.

    Parameters
    ----------
    z : (1, m) ndarray
        Logits.
    y : (1, m) ndarray
        Labels, 0 or 1.

    Returns
    -------
    dJdz : (1, m) ndarray
        ``dL^(i)/dz^(i)`` for every example (the name keeps the source's J).
    """
    ### BEGIN SOLUTION
    return sigmoid(z) - y
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "logistic_dJdz_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does logistic_dJdz return an array of shape (1, m)?"""
check_exercise("03_logistic_regression.logistic_dJdz", logistic_dJdz, part="shape")

# %% nbgrader={"grade": true, "grade_id": "logistic_dJdz_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Is dJ/dz right for every example, on the worked example and on fresh inputs?"""
check_exercise("03_logistic_regression.logistic_dJdz", logistic_dJdz, part="values",
               seeds=[0, 1])
### BEGIN HIDDEN TESTS
check_exercise("03_logistic_regression.logistic_dJdz", logistic_dJdz, part="values",
               seeds=[31, 32, 33], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# A derivative can always be checked against a difference quotient, here of your own cost. With
# one feature, $w = 1$ and $b = 0$, the logits are the row $X$ itself; the loss of each example
# depends only on its own $z$, so one centred difference per entry gives the whole row (times
# $m$, since your cost is the mean).

# %%
rng = np.random.default_rng(6)
z_check = rng.normal(0.0, 3.0, size=(1, 8))
y_check = (rng.permutation(8) % 2).astype(float).reshape(1, 8)


def cost_of_row(z):
    """Your mean cost with the row z as the logits (w = 1, b = 0, one feature)."""
    return logistic_cost(np.ones((1, 1)), 0.0, z, y_check)


h = 1e-5
numeric_dJdz = np.zeros_like(z_check)
for i in range(z_check.shape[1]):
    bump = np.zeros_like(z_check)
    bump[0, i] = h
    numeric_dJdz[0, i] = (cost_of_row(z_check + bump) - cost_of_row(z_check - bump)) / (2 * h)
numeric_dJdz *= z_check.shape[1]                    # per-example derivative, not the mean's
print("yours     ", np.round(logistic_dJdz(z_check, y_check), 6))
print("numerical ", np.round(numeric_dJdz, 6))
assert np.allclose(logistic_dJdz(z_check, y_check), numeric_dJdz, atol=1e-8)

# %% [markdown]
# ## Section 7, 'From dJ/dz to every parameter'
#
# The logit $z^{(i)} = b + w_1 x_1^{(i)} + \dots + w_p x_p^{(i)}$ is linear in the parameters,
# so its partial derivatives are read off directly:
#
# $$\frac{\partial z^{(i)}}{\partial b} = 1, \qquad
#   \frac{\partial z^{(i)}}{\partial w_j} = x_j^{(i)}, \quad\text{that is}\quad
#   \nabla_w z^{(i)} = x^{(i)} .$$
#
# The cell confirms both numerically for one example.

# %%
x_one = np.array([[0.5], [-1.0], [2.0]])          # one example with p = 3 features


def logit_of_one(P):
    """z = w^T x + b for the single example x_one."""
    return (P["w"].T @ x_one + P["b"]).item()


slopes = numerical_gradient(logit_of_one, {"w": np.array([[0.1], [0.2], [-0.3]]), "b": 0.4})
print("dz/db =", slopes["b"], "  grad_w z =", slopes["w"].ravel())
assert np.isclose(slopes["b"], 1.0)
assert np.allclose(slopes["w"], x_one)

# %% [markdown]
# Now chain the pieces.
#
# **Written derivation (3 points).** In the cell below: (a) for one example, write
# $\partial L^{(i)}/\partial b$ and $\partial L^{(i)}/\partial w_j$ with the chain rule, using
# $\partial L^{(i)}/\partial z^{(i)}$ from Section 6 and the two facts the cell above checked (*Numeric
# Minimization of Loss* writes $\partial J/\partial w_{j1}$ here: with a single unit there is
# no second index to count, so $w_j$ is enough);
# (b) the cost is the mean over examples: write $\partial J/\partial b$ and the whole vector
# $\partial J/\partial w$ for the batch, the latter as **one matrix product** of `X` and the row
# `dJdz` of shape $(1, m)$, with the shape of each factor and of the result; (c) say which
# dimension the product sums over, and why that must be the inner one.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_batch_gradients", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** (a) Every parameter reuses the same $\partial L^{(i)}/\partial z^{(i)}$:
#
# $$\frac{\partial L^{(i)}}{\partial b} = \frac{\partial L^{(i)}}{\partial z^{(i)}}\cdot 1,
#   \qquad
#   \frac{\partial L^{(i)}}{\partial w_j} = \frac{\partial L^{(i)}}{\partial z^{(i)}}\,
#   x_j^{(i)} .$$
#
# (b) The gradient of the mean is the mean of these. For $b$ it is the mean of the row `dJdz`.
# For $w_j$ it is $\frac1m\sum_i x_j^{(i)}\, \partial L^{(i)}/\partial z^{(i)}$, row $j$ of $X$
# times the column $\mathtt{dJdz}^T$, so
#
# $$\frac{\partial J}{\partial b} = \frac1m \sum_{i=1}^m \mathtt{dJdz}^{(i)}, \qquad
#   \frac{\partial J}{\partial w} = \frac1m\, X\, \mathtt{dJdz}^T
#   \quad\big((p, m)\text{ times }(m, 1) = (p, 1)\big),$$
#
# the shape of $w$, as a gradient must have. (c) It sums over the $m$ examples, the inner
# dimension: a matrix product adds up over the index the two factors share. *Numeric
# Minimization of Loss* writes `np.sum(dJdz)` and `np.dot(X, dJdz.T)` without the $1/m$: $m$
# times our gradient (lesson 1, Section 8).
#
# === BEGIN MARK SCHEME ===
# 3 points in total.
# - 1 point: (a) both per-example chains, reusing dJ/dz (dz/db = 1, dz/dw_j = x_j).
# - 1 point: (b) the batch gradients with the 1/m (a sum is accepted if the student says it
#   rescales eta), dJ/dw as X dJdz^T (or equivalent, e.g. (dJdz X^T)^T) with shapes (p, m)(m, 1).
# - 1 point: (c) the examples are the summed, inner dimension.
# === END MARK SCHEME ===

# %% [markdown]
# **Exercise (4 points).** Write `logistic_gradients`, returning `dw` of shape $(p, 1)$ and
# `db` as a float. Reuse your `logistic_forward` and `logistic_dJdz`.

# %% nbgrader={"grade": false, "grade_id": "logistic_gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
def logistic_gradients(w, b, X, y):
    """Gradient of the mean cross-entropy with respect to w and b, for a whole batch.

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray
        One example per column.
    y : (1, m) ndarray
        Labels, 0 or 1.

    Returns
    -------
    dw : (p, 1) ndarray
        dJ/dw of the mean cost, shape of w.
    db : float
        dJ/db of the mean cost.
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    z, _ = logistic_forward(w, b, X)
    dJdz = logistic_dJdz(z, y)
    dw = X @ dJdz.T / m
    db = float(np.mean(dJdz))
    return dw, db
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "logistic_gradients_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does logistic_gradients return dw with the shape of w (p, 1) and db as one number?"""
check_exercise("03_logistic_regression.logistic_gradients", logistic_gradients, part="shape")

# %% nbgrader={"grade": true, "grade_id": "logistic_gradients_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Are dw and db the gradients of the mean cost, on the worked example and on fresh inputs?"""
check_exercise("03_logistic_regression.logistic_gradients", logistic_gradients, part="values")
### BEGIN HIDDEN TESTS
check_exercise("03_logistic_regression.logistic_gradients", logistic_gradients,
               part="values", seeds=[31, 32, 33], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Check your own gradient
#
# `gradient_check` nudges every parameter entry up and down, measures how the cost changes,
# and compares that slope with your analytic gradient, parameter by parameter (so a bug in
# `db` cannot hide behind a large `dw`). In float64 a correct gradient of a smooth cost agrees
# to about $10^{-10}$; the check passes below a relative error of $10^{-7}$. A sign error, a
# missing $1/m$ or a missing term gives $10^{-3}$ or more.

# %%
rng = np.random.default_rng(7)
X_gc = rng.normal(size=(4, 10))
y_gc = (rng.permutation(10) % 2).astype(float).reshape(1, 10)
w_gc, b_gc = rng.normal(size=(4, 1)), 0.3

dw_gc, db_gc = logistic_gradients(w_gc, b_gc, X_gc, y_gc)
report = gradient_check(lambda P: logistic_cost(P["w"], P["b"], X_gc, y_gc),
                        {"w": w_gc, "b": b_gc},
                        {"dw": dw_gc, "db": np.reshape(db_gc, ())})
print(report)
assert report.passed

# %% [markdown]
# ## Section 8, 'Reuse, loops and vectors'
#
# The key idea of backpropagation is already visible here: the factor
# $\partial L^{(i)}/\partial z^{(i)}$ appears in the derivative of *every* parameter, so we
# compute it **once** per example and reuse it, instead of redoing the chain
# $\frac{\partial L}{\partial a}\cdot\frac{\partial a}{\partial z}$ for $b$, $w_1$, ..., $w_p$
# separately. In a deep network the shared factors are whole layers' worth of derivatives, and
# reusing them is what makes backpropagation cost about as much as one forward pass.
#
# The loop below makes the reuse explicit, one example at a time. Your vectorised
# `logistic_gradients` does the same arithmetic, but lets numpy run the loops in compiled code.
# Both are timed on all 30 breast-cancer features and 569 tumours; the numbers must agree.

# %%
X_bc, y_bc, feature_names = load_breast_cancer()          # (30, 569), (1, 569)
rng = np.random.default_rng(8)
w_t, b_t = 0.1 * rng.normal(size=(30, 1)), 0.0


def logistic_gradients_loop(w, b, X, y):
    """The gradients of logistic_gradients, one example at a time."""
    p, m = X.shape
    dw, db = np.zeros((p, 1)), 0.0
    for i in range(m):
        x_i = X[:, i:i + 1]                                   # (p, 1)
        z_i = float(w[:, 0] @ x_i[:, 0]) + b
        dJdz_i = float(sigmoid(z_i)) - y[0, i]                # computed once per example...
        db += dJdz_i * 1.0                                    # ...reused for b (dz/db = 1)
        dw += dJdz_i * x_i                                    # ...and for every w_j (dz/dw = x)
    return dw / m, db / m


def best_time(f, repeats=5):
    """Shortest wall-clock time of a few calls (the least disturbed run)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


dw_loop, db_loop = logistic_gradients_loop(w_t, b_t, X_bc, y_bc)
dw_vec, db_vec = logistic_gradients(w_t, b_t, X_bc, y_bc)
assert np.allclose(dw_loop, dw_vec, rtol=1e-10, atol=1e-14)
assert np.isclose(db_loop, db_vec, rtol=1e-10, atol=1e-14)

t_loop = best_time(lambda: logistic_gradients_loop(w_t, b_t, X_bc, y_bc))
t_vec = best_time(lambda: logistic_gradients(w_t, b_t, X_bc, y_bc))
print(f"loop: {1e3 * t_loop:.2f} ms   vectorised: {1e3 * t_vec:.3f} ms   "
      f"(about {t_loop / t_vec:.0f} times faster on this machine)")

# %% [markdown]
# ## Section 9, 'A lost minus sign'
#
# *Numeric Minimization of Loss* loses the minus sign of Section 6 on the way, and its
# vectorised line reads `dJdz = y - a`. That is the gradient of the log-likelihood, the
# quantity we want to make *large*. Plug it into gradient descent and every step goes uphill on
# the cost. The cell runs both versions on two breast-cancer features from the same start.

# %%
X_s3, y_s3, _ = load_breast_cancer(["mean radius", "mean texture"])
m_s3 = X_s3.shape[1]


def descend(flip_sign, lr=0.5, n_iter=40):
    """Gradient descent with your gradients, or with the slip's (every sign flipped, since
    dJdz = y - a flips dJdz and so every gradient built on it); returns the costs."""
    w, b = np.zeros((2, 1)), 0.0
    sign = -1.0 if flip_sign else 1.0
    costs = [logistic_cost(w, b, X_s3, y_s3)]
    for _ in range(n_iter):
        dw, db = logistic_gradients(w, b, X_s3, y_s3)
        w, b = w - lr * sign * dw, b - lr * sign * db
        costs.append(logistic_cost(w, b, X_s3, y_s3))
    return np.array(costs)


costs_right, costs_slip = descend(flip_sign=False), descend(flip_sign=True)
plt.figure(figsize=(6, 3.5))
plt.plot(costs_right, label="dJdz = a - y")
plt.plot(costs_slip, label="dJdz = y - a (the slip)")
plt.xlabel("step")
plt.ylabel("cost J")
plt.title("The same descent with the sign flipped")
plt.legend()
plt.show()

assert np.all(np.diff(costs_right) < 0), "with a - y every step should lower the cost"
assert np.all(np.diff(costs_slip) > 0), "with y - a every step raises the cost"
print(f"after 40 steps: {costs_right[-1]:.3f} with a - y, {costs_slip[-1]:.3f} with y - a "
      f"(start: {costs_right[0]:.3f})")

# %% [markdown]
# **Written question (2 points).** For a small step, $J(\theta + \Delta) \approx J(\theta) +
# \nabla J(\theta)^T \Delta$. Use this to explain why each step with `y - a` *raises* the cost,
# and why the cost then keeps growing instead of settling somewhere.

# %% [markdown] nbgrader={"grade": true, "grade_id": "question_lost_sign", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** With `y - a` the "gradient" used is $-\nabla J$, so the step is
# $\Delta = +\eta \nabla J$ and $J(\theta + \Delta) \approx J(\theta) + \eta
# \|\nabla J\|^2 \ge J(\theta)$: the cost rises by about $\eta\|\nabla J\|^2$ at every step.
# (Because $J$ is convex the increase is guaranteed, not only approximate.) The steps only stop
# where $\nabla J = 0$, and the one such point is the minimum we are moving away from, so
# nothing stops the climb: the weights grow, the predictions become confidently wrong, and
# since a confidently wrong example costs about $|z|$, the cost keeps growing roughly in
# proportion to $\|w\|$.
#
# === BEGIN MARK SCHEME ===
# 2 points in total.
# - 1 point: the first-order argument: the step is $+\eta\nabla J$ (or "gradient ascent on
#   J"), so the change is $+\eta\|\nabla J\|^2 > 0$.
# - 1 point: why it does not settle: the only stationary point is the minimum, which the
#   iterates leave; or the loss of confidently wrong predictions grows without bound (about
#   $|z|$). Either reason earns the point.
# === END MARK SCHEME ===

# %% [markdown]
# ## Section 10, 'Gradient descent and prediction'

# %%
# Gradient descent in two dimensions: logistic regression with ONE feature (the standardised mean
# radius), so the cost J(w, b) is a surface you can see as contours. Choose a learning rate and a
# start, then move the iterate slider: the right panel shows the model and its decision boundary
# at that iterate. The sign-slip switch runs Section 9's y - a: watch where the path goes.
# The path is made by YOUR logistic_cost and logistic_gradients, checked first against the
# surface drawn (a line above the picture says if they disagree).
from autograder.widgets import descent_plane

descent_plane(cost=logistic_cost, gradients=logistic_gradients)

# %% [markdown]
#
# Put the pieces into the loop of Lesson 1: start from $w_0$, $b_0$ and repeat
# $w \leftarrow w - \eta\, \partial J/\partial w$, $b \leftarrow b - \eta\,
# \partial J/\partial b$ for `n_iter` steps. Record the cost before the first step and after
# every step, so that `costs` has `n_iter + 1` entries and `costs[k]` is the cost after `k`
# steps.
#
# **Exercise (4 points).** Write `logistic_gradient_descent`. Use your `logistic_gradients`
# and `logistic_cost`, and do not change the caller's `w0` (write `w = w - lr * dw`, not
# `w -= ...`).

# %% nbgrader={"grade": false, "grade_id": "logistic_gradient_descent", "locked": false, "schema_version": 3, "solution": true, "task": false}
def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
    """Full-batch gradient descent on the mean cross-entropy of logistic regression.

    Parameters
    ----------
    X : (p, m) ndarray
        One example per column.
    y : (1, m) ndarray
        Labels, 0 or 1.
    lr : float
        Learning rate (eta).
    n_iter : int
        Number of steps.
    w0 : (p, 1) ndarray, optional
        Initial weights; zeros of shape (p, 1) when None.
    b0 : float
        Initial bias.

    Returns
    -------
    w : (p, 1) ndarray
        Weights after n_iter steps.
    b : float
        Bias after n_iter steps.
    costs : (n_iter + 1,) ndarray
        costs[k] is the cost after k steps; costs[0] is the cost at (w0, b0).
    """
    ### BEGIN SOLUTION
    w = np.zeros((X.shape[0], 1)) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    costs = [logistic_cost(w, b, X, y)]
    for _ in range(n_iter):
        dw, db = logistic_gradients(w, b, X, y)
        w = w - lr * dw
        b = b - lr * db
        costs.append(logistic_cost(w, b, X, y))
    return w, b, np.array(costs)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "logistic_gradient_descent_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does gradient descent return w (p, 1), b as a number and n_iter + 1 costs?"""
check_exercise("03_logistic_regression.logistic_gradient_descent", logistic_gradient_descent,
               part="shape")

# %% nbgrader={"grade": true, "grade_id": "logistic_gradient_descent_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Are the final w, b and the recorded costs right, on the worked example and fresh inputs?"""
check_exercise("03_logistic_regression.logistic_gradient_descent", logistic_gradient_descent,
               part="values")
### BEGIN HIDDEN TESTS
check_exercise("03_logistic_regression.logistic_gradient_descent", logistic_gradient_descent,
               part="values", seeds=[31, 32, 33], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# A trained model predicts label 1 when it thinks that is at least as likely as 0, that is when
# $a \ge \frac12$.
#
# **Before you code.** (a) Which condition on the logit $z$ says exactly the same as
# $a \ge \frac12$? Use two facts about $\sigma$. (b) What label does the rule give an example
# that lies exactly on the decision boundary? (c) In float64, $\sigma(z)$ rounds to exactly
# $0.5$ for every $|z|$ below about $10^{-16}$. For which logits do "$\sigma(z) \ge 0.5$"
# and your condition in (a) then disagree, and which of the two is the rule of the model?
#
# <details><summary>Check your answers</summary>
#
# (a) $\sigma(0) = \frac12$ and $\sigma$ is increasing, so $a \ge \frac12$ exactly when
# $z \ge 0$: no sigmoid is needed to predict. (b) $z = 0$ gives $a = \frac12$, so label 1.
# (c) For tiny negative $z$, the rounded sigmoid says 1 where the model says 0: the test on
# $z$ is exact. (The checks use no logits that small.)
#
# </details>
#
# **Exercise (2 points).** Write `logistic_predict`, returning the labels as floats 0.0 and
# 1.0, shape $(1, m)$.

# %% nbgrader={"grade": false, "grade_id": "logistic_predict", "locked": false, "schema_version": 3, "solution": true, "task": false}
def logistic_predict(w, b, X):
    """Predicted labels: 1.0 where the model's a = sigmoid(w^T X + b) is at least 1/2 (a logit
    of exactly 0 gives 1.0), else 0.0.

    Parameters
    ----------
    w : (p, 1) ndarray
    b : float
    X : (p, m) ndarray
        One example per column.

    Returns
    -------
    y_hat : (1, m) ndarray of float
        0.0 or 1.0 for every example.
    """
    ### BEGIN SOLUTION
    z = w.T @ X + b
    return (z >= 0).astype(float)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "logistic_predict_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does logistic_predict return an array of shape (1, m)?"""
check_exercise("03_logistic_regression.logistic_predict", logistic_predict, part="shape")

# %% nbgrader={"grade": true, "grade_id": "logistic_predict_values", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Is the prediction 1 exactly where a >= 1/2, on the worked example and on fresh inputs?"""
check_exercise("03_logistic_regression.logistic_predict", logistic_predict, part="values")
### BEGIN HIDDEN TESTS
check_exercise("03_logistic_regression.logistic_predict", logistic_predict, part="values",
               seeds=[31, 32, 33], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Section 11, 'Diagnosing tumours'
#
# Time for real data: the Wisconsin breast-cancer measurements (569 tumours, 30 features per
# tumour, label 1 = benign), shipped with scikit-learn. Every feature has been scaled to mean 0
# and standard deviation 1, which lets one learning rate suit all the weights. (The scaling used
# all 569 tumours, a small shortcut: strictly, the test tumours should not influence it.) We
# train on three quarters of the tumours and measure accuracy on the quarter the model never
# saw. A model that always answers "benign" is right about two times in three; that is the bar
# to beat.

# %%
X_train, y_train, X_test, y_test = train_test_split_columns(X_bc, y_bc, test_fraction=0.25,
                                                            seed=0)
w_bc, b_bc, costs_bc = logistic_gradient_descent(X_train, y_train, lr=0.5, n_iter=300)

plt.figure(figsize=(6, 3.5))
plt.plot(costs_bc)
plt.yscale("log")
plt.xlabel("step")
plt.ylabel("training cost J (log scale)")
plt.title("Logistic regression on 427 tumours")
plt.show()

train_accuracy = float(np.mean(logistic_predict(w_bc, b_bc, X_train) == y_train))
test_accuracy = float(np.mean(logistic_predict(w_bc, b_bc, X_test) == y_test))
always_benign = float(max(np.mean(y_test), 1 - np.mean(y_test)))
print(f"training accuracy {train_accuracy:.3f}, test accuracy {test_accuracy:.3f}, "
      f"always-benign baseline {always_benign:.3f}")
largest = np.argsort(-np.abs(w_bc[:, 0]))[:3]
print("largest weights:", ", ".join(f"{feature_names[j]} ({w_bc[j, 0]:+.2f})" for j in largest))

assert costs_bc[-1] < 0.1 < costs_bc[0]
assert test_accuracy > 0.93 and test_accuracy > always_benign + 0.2

# %% [markdown]
# ## Summary
#
# - Maximum likelihood becomes "minimise the mean negative log-likelihood", the cross-entropy
#   $J = \frac1m\sum_i \big[\log(1 + e^{z^{(i)}}) - y^{(i)} z^{(i)}\big]$, computed from $z$ so
#   that it stays finite.
# - A forward pass is a composition of layer functions; its derivative is the chain rule.
# - For logistic regression the shared factor is $\partial L^{(i)}/\partial z^{(i)}$, which you
#   derived in Section 6 (its sign matters: the other one climbs the cost).
# - With examples as columns, the batch gradients are one matrix product and one mean, whose
#   shapes you can check; computing `dJdz` once and reusing it for every parameter is
#   backpropagation in miniature.
# - Check gradients numerically, every time you derive one.
#
# **Next: lesson 4, [The generalised delta rule](../04_generalised_delta/04_generalised_delta.ipynb)**:
# a hidden layer and two outputs, the deltas layer by layer.
