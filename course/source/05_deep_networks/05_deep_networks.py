# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 5: Backpropagation through L layers with Jacobians
#
# **Points:** 16 autograded + 9 written = 25 in total. **Time:** about 4 hours on a first meeting with backpropagation.
#
# **After this lesson you can**
#
# * write the forward pass of an $L$-layer network for a whole batch, and say the shape of
#   every array it stores;
# * derive the gradient of a loss through $L$ layers as a product of Jacobian matrices, and
#   turn that product into the delta recursion of backpropagation;
# * implement backpropagation for any depth and check it against centred differences.
#
# **Source.** This lesson follows *CSCI 5525 Machine Learning, Lecture 10: Neural Networks
# (Part 2)* (Fall 2019; "Lecture 10" below). Like lesson 4, it keeps the letters of its source,
# so that you can read the two side by side; the crosswalk to the course's notation table
# (`00_start_here`) is:
#
# | Lecture 10 and this lesson | course table | meaning |
# |---|---|---|
# | $F_j$, $F_0 = x$ | $a^{[j]}$, $a^{[0]} = x$ | activations of layer $j$ (one column per example) |
# | $Z_j = W_j F_{j-1} + b_j$ | $z^{[j]}$ | pre-activations of layer $j$ |
# | $\sigma_j$, $\sigma_j'$ | $h$, $h'$ of layer $j$ | the activation function of layer $j$ and its slope |
# | $W_j$, $b_j$ | $W^{[j]}$, $b^{[j]}$ | weights and biases of layer $j$ |
# | $x_i$, $y_i$ | $x^{(i)}$, $y^{(i)}$ | example $i$ |
# | $n$ | $m$ | number of examples |
# | $\ell$ | $L$ | loss of one example ($L$ is the **depth** in this lesson) |
# | $\hat{\mathcal R}$ | $J$ | empirical risk: the mean loss, the cost |
# | $J_j$ | $D_j$ | Jacobian of layer $j$ |
#
# The one letter changed from Lecture 10: it writes $J_j$ for the Jacobian of layer $j$; this
# lesson writes $D_j$ ("derivative"), because $J$ is the cost in lessons 1 and 3. The code
# keeps Lecture 10's letter in its names (`cache["Jj"]`, `J_prev`). In the layer code of
# Sections 1, 6 and 7 it holds the *diagonal* of $D_j$, the slopes $\sigma_j'(Z_j)$, one column per
# example (the matrix itself is not built there); Section 5's exercises, which teach the
# matrices, build the full $n_j \times n_j$ matrix $D_j$ for one example. In the code, `J`
# never means a cost. The batch size, when it appears (lesson 6), is $B$; $b_j$ is
# always a bias.
#
# So far our networks had one or two layers and we differentiated them one weight at a time.
# This lesson handles a network of any depth $L$ and any widths in one go. Two ideas carry
# it:
#
# 1. the cost we minimise is an **average** of per-example losses, so its gradient is the
#    average of per-example gradients, and the loss itself can be treated as one more layer;
# 2. the chain rule for vectors is a product of **Jacobian matrices**, and for the usual
#    activations those Jacobians are diagonal, which makes backpropagation cheap: its cost grows
#    like the size of the network, $O(V + E)$.
#
# Lesson 6 then trains such a network on handwritten digits with mini-batch SGD, counts what a
# gradient costs, measures how the gradients of a deep sigmoid network vanish, and checks
# backpropagation against an automatic-differentiation engine.
#
# | Section | What you do | Points |
# |---|---|---|
# | 1. A deep network, layer by layer | `layer_forward` | 3 |
# | 2. Empirical risk: the cost is an average | read; two checked worked cells | 0 |
# | 3. The loss as one more activation | derive the output row; a checked worked cell | 2 written |
# | 4. The chain rule in one dimension | read; a slip in Lecture 10; a checked worked cell | 1 written |
# | 5. Many dimensions: Jacobians | derive the Jacobian form; `elementwise_jacobian`, `jacobian_backward` | 4 written + 5 |
# | 6. From Jacobian products to deltas | derive the delta recursion; `layer_backward` | 2 written + 3 |
# | 7. Capstone: backpropagation for L layers | `mlp_backward`, gradient check | 5 |
#
# Each exercise has a grade cell for types and shapes and one for values; the values cell also
# runs hidden tests on fresh random inputs, so your function must work for any input, not just
# the worked example. Cells marked **checked worked cell** compute something and `assert` it:
# if one fails after you wrote an exercise, your exercise is the place to look.
#
# ### Shapes used in this lesson
#
# Examples are **columns** (as everywhere in this course, `autograder/conventions.py`), and a
# batch cost is the **mean** of the per-example losses. For a network with layer sizes
# $[n_0, n_1, \dots, n_L]$ and a batch of $n$ examples:
#
# | quantity | in the code | shape |
# |---|---|---|
# | inputs $X = F_0$ | `X`, `cache["F0"]` | `(n_0, n)` |
# | weights $W_j$ | `params["Wj"]` | `(n_j, n_{j-1})` |
# | biases $b_j$ | `params["bj"]` | `(n_j, 1)` (broadcast over the columns) |
# | pre-activations $Z_j$, activations $F_j$ | `cache["Zj"]`, `cache["Fj"]` | `(n_j, n)` |
# | slopes $\sigma_j'(Z_j)$ (per example, the diagonal of the Jacobian $D_j$) | `cache["Jj"]` | `(n_j, n)` |
# | targets $Y$ | `Y` | `(n_L, n)` |
# | gradients | `grads["dWj"]`, `grads["dbj"]` | the shape of `Wj`, `bj` |

# %%
from autograder.pictures import deep_network_picture

deep_network_picture((3, 4, 2), activations=["tanh", "sigmoid"],  # the worked example's sizes
                     what="The worked example of Sections 1-7: 3 inputs, 4 tanh units, "
                          "2 sigmoid outputs.")

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import get_activation, sigmoid
from autograder.checks import check_exercise
from autograder.gradcheck import gradient_check, numerical_gradient
from autograder.losses import bce_with_logits, squared_error


def random_network(layer_sizes, seed, scale=0.8):
    """Seeded random parameters {"W1": (n_1, n_0), "b1": (n_1, 1), ...} with nonzero biases.

    Used for the small worked examples (lesson 6 has the initialisation for training).
    """
    rng = np.random.default_rng(seed)
    params = {}
    for j in range(1, len(layer_sizes)):
        params[f"W{j}"] = rng.normal(scale=scale, size=(layer_sizes[j], layer_sizes[j - 1]))
        params[f"b{j}"] = rng.normal(scale=0.5, size=(layer_sizes[j], 1))
    return params


# The worked example of Sections 1-3: a 3-4-2 network, 5 examples.
example_rng = np.random.default_rng(5)
params_ex = random_network([3, 4, 2], seed=5)
activations_ex = ["tanh", "sigmoid"]
X_ex = example_rng.normal(size=(3, 5))
Y_ex = np.array([[1.0, 0.0, 1.0, 1.0, 0.0],
                 [0.0, 0.0, 1.0, 0.0, 1.0]])
n_ex = X_ex.shape[1]

# %% [markdown]
# ## Section 1, 'A deep network, layer by layer'
#
# A deep network applies the same recipe $L$ times. Starting from $F_0 = x$, layer $j$ takes
# the previous layer's output $F_{j-1}$, forms an affine combination and passes it through its
# activation function $\sigma_j$:
#
# $$Z_j = W_j F_{j-1} + b_j, \qquad F_j = \sigma_j(Z_j), \qquad j = 1, \dots, L,$$
#
# and the network's output is $F(x, \theta) = F_L$, where $\theta$ collects every $W_j$ and
# $b_j$. Written out in one line it is a nest of functions,
# $F(x,\theta) = \sigma_L\bigl(W_L(\cdots W_2\,\sigma_1(W_1 x + b_1) + b_2 \cdots) + b_L\bigr)$,
# which is exactly how *CSCI 5525 Machine Learning, Lecture 10: Neural Networks (Part 2)* writes it.
#
# The backward pass will need the slope of every activation at its input. The forward pass has
# $Z_j$ at hand, so we store the slopes $\sigma_j'(Z_j)$ (elementwise) right away, as
# `cache["Jj"]`.
#
# With examples as columns, `W @ F_prev` transforms all examples at once and the bias column
# `b` is broadcast across them. The activation functions and their derivatives come from
# `autograder.activations`: `get_activation("tanh").f(z)` is $\tanh z$ and
# `get_activation("tanh").df(z)` is $\tanh'(z)$. Note that `df` takes the pre-activation $z$,
# not the activation.
#
# ### Exercise 1 (3 points): one layer forward
#
# **Predict before you code.** For the worked example's first layer ($n_0 = 3$ inputs,
# $n_1 = 4$ units, $n = 5$ examples), write the shapes of `W`, `b`, `F_prev`, `Z`, `F` and `J`.
# Which of them does the backward pass need, and why is `J` worth storing now rather than
# recomputing later?

# %% nbgrader={"grade": false, "grade_id": "layer_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def layer_forward(W, b, F_prev, activation):
    """Forward pass of one layer, keeping what the backward pass needs.

    Parameters
    ----------
    W : (n_out, n_in) ndarray
        Weights of the layer.
    b : (n_out, 1) ndarray
        Bias column, added to every example.
    F_prev : (n_in, n) ndarray
        Output of the previous layer (the inputs X for the first layer), one column per example.
    activation : str
        "sigmoid", "tanh", "relu" or "identity"; use get_activation(activation).f and .df.

    Returns
    -------
    Z : (n_out, n) ndarray
        Pre-activations W F_prev + b.
    F : (n_out, n) ndarray
        Activations sigma(Z).
    J : (n_out, n) ndarray
        Slopes sigma'(Z), evaluated at Z.
    """
    ### BEGIN SOLUTION
    act = get_activation(activation)
    Z = W @ F_prev + b
    return Z, act.f(Z), act.df(Z)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "layer_forward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does layer_forward return Z, F and J, each of shape (n_out, n)?"""
check_exercise("05_deep_networks.layer_forward", layer_forward, part="shape")

# %% nbgrader={"grade": true, "grade_id": "layer_forward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are Z, F and J right, on the worked example and on fresh inputs?"""
check_exercise("05_deep_networks.layer_forward", layer_forward, part="values")
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.layer_forward", layer_forward, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# The whole forward pass is a loop over the layers. It is given: read it, it fixes the names
# of the cache that the rest of the lesson (and the grader) uses.

# %%
def mlp_forward(params, X, activations):
    """Forward pass of an L-layer network.

    Parameters
    ----------
    params : dict
        {"W1": (n_1, n_0), "b1": (n_1, 1), ..., "WL": (n_L, n_{L-1}), "bL": (n_L, 1)}.
    X : (n_0, n) ndarray
    activations : list of L str, one per layer

    Returns
    -------
    output : (n_L, n) ndarray
        F_L.
    cache : dict
        "F0" = X and, for j = 1..L, "Zj", "Fj", "Jj", each (n_j, n).
    """
    F = X
    cache = {"F0": X}
    for j, activation in enumerate(activations, start=1):
        Z, F, J = layer_forward(params[f"W{j}"], params[f"b{j}"], F, activation)
        cache[f"Z{j}"], cache[f"F{j}"], cache[f"J{j}"] = Z, F, J
    return F, cache


# %% [markdown]
# **Checked worked cell (from Lecture 10: the forward pass stores $F_j$ and the slopes).** For a tanh
# layer the slope has a neat closed form, $\tanh'(z) = 1 - \tanh^2 z$, and for a sigmoid layer
# $\sigma'(z) = \sigma(z)(1 - \sigma(z))$: both can be computed from $F_j$ alone.

# %%
output_ex, cache_ex = mlp_forward(params_ex, X_ex, activations_ex)
print({name: value.shape for name, value in cache_ex.items()})
assert output_ex.shape == (2, 5) and cache_ex["Z1"].shape == (4, 5)
assert np.allclose(cache_ex["J1"], 1.0 - cache_ex["F1"] ** 2)  # tanh layer
assert np.allclose(cache_ex["J2"], cache_ex["F2"] * (1.0 - cache_ex["F2"]))  # sigmoid layer
assert np.allclose(cache_ex["Z2"], params_ex["W2"] @ cache_ex["F1"] + params_ex["b2"])

# %% [markdown]
# ## Section 2, 'Empirical risk: the cost is an average'
#
# Training means choosing $\theta$ to make the network's predictions good on the $n$ training
# examples $(x_i, y_i)$. We measure "good" with a per-example loss $\ell(y_i, F(x_i,\theta))$
# and minimise the **empirical risk**, the average loss:
#
# $$\hat{\mathcal R}(\theta) = \frac{1}{n}\sum_{i=1}^{n} \ell\bigl(y_i, F(x_i, \theta)\bigr).$$
#
# Two losses appear in this course:
#
# * squared error, $\ell(y, F) = \tfrac12 \lVert F - y\rVert^2 = \tfrac12\sum_k (F_k - y_k)^2$;
# * binary cross-entropy for a sigmoid output, $F = \sigma(z)$. Written in the logit $z = Z_L$
#   it becomes $\ell = \log(1 + e^{z}) - y z$ (per output, summed over outputs), which
#   `autograder.losses.bce_with_logits` evaluates without ever taking $\log 0$.
#
# Some texts sum instead of averaging. A sum is $n$ times the mean: it points in the same
# direction and only rescales the learning rate ($\eta_{\text{sum}} = \eta_{\text{mean}}/n$).
# With the mean, the learning rate does not need to change when the data set grows.
#
# The cost function is given:

# %%
def mlp_cost(params, X, Y, activations, loss):
    """Empirical risk: the mean over the columns of the per-example loss.

    Parameters
    ----------
    params : dict, as in mlp_forward
    X : (n_0, n) ndarray
    Y : (n_L, n) ndarray
    activations : list of L str
    loss : "squared_error" or "bce" (bce needs a sigmoid last layer)

    Returns
    -------
    float
    """
    output, cache = mlp_forward(params, X, activations)
    if loss == "bce":
        # from the logit Z_L: stable for any size of Z_L
        per_example = bce_with_logits(cache[f"Z{len(activations)}"], Y)
    else:
        per_example = squared_error(output, Y)
    return float(np.mean(per_example))


# %% [markdown]
# **Checked worked cell (from Lecture 10: empirical risk with cross-entropy or squared loss).** One
# example at a time, by the definitions, then averaged: the same numbers as `mlp_cost`. For
# the cross-entropy we also compare the logit form with the textbook form
# $-[y\log a + (1-y)\log(1-a)]$, which agree whenever $a$ is not rounded to 0 or 1.

# %%
losses_sq, losses_ce = [], []
for i in range(n_ex):
    f_i = mlp_forward(params_ex, X_ex[:, [i]], activations_ex)[0][:, 0]
    y_i = Y_ex[:, i]
    losses_sq.append(0.5 * np.sum((f_i - y_i) ** 2))
    losses_ce.append(-np.sum(y_i * np.log(f_i) + (1 - y_i) * np.log(1 - f_i)))

risk_sq = mlp_cost(params_ex, X_ex, Y_ex, activations_ex, "squared_error")
risk_ce = mlp_cost(params_ex, X_ex, Y_ex, activations_ex, "bce")
print(f"squared error: mean of {np.round(losses_sq, 4)} = {risk_sq:.6f}")
print(f"cross-entropy: mean of {np.round(losses_ce, 4)} = {risk_ce:.6f}")
assert np.isclose(risk_sq, np.mean(losses_sq)) and np.isclose(risk_ce, np.mean(losses_ce))
assert np.isclose(np.sum(losses_sq), n_ex * risk_sq)  # a sum is n times the mean

# %% [markdown]
# ### The gradient of an average is the average of the gradients
#
# Differentiation is linear, so
#
# $$\nabla_{W_j}\hat{\mathcal R}(\theta)
# = \nabla_{W_j}\frac1n\sum_{i=1}^n \ell\bigl(y_i, F(x_i,\theta)\bigr)
# = \frac1n\sum_{i=1}^n \nabla_{W_j}\,\ell\bigl(y_i, F(x_i,\theta)\bigr),$$
#
# and the same for every $b_j$ (Lecture 10 announces this for "each $W_i$" and then
# differentiates by $W_j$: it is one index, $j$, throughout). It is therefore enough to work out
# the gradient for **one** example; the batch gradient is the mean of those. In code the mean comes for free: put the
# examples side by side as columns and a matrix product sums over them.
#
# **Checked worked cell (from Lecture 10: the gradient of the average is the average of the
# gradients).** No backpropagation yet: numerical gradients (centred differences, from
# `autograder.gradcheck`) of the batch cost and of each example's cost.

# %%
def cost_of(X, Y):
    return lambda p: mlp_cost(p, X, Y, activations_ex, "squared_error")


batch_gradient = numerical_gradient(cost_of(X_ex, Y_ex), params_ex)
per_example_gradients = [numerical_gradient(cost_of(X_ex[:, [i]], Y_ex[:, [i]]), params_ex)
                         for i in range(n_ex)]
for name in params_ex:
    mean_of_gradients = np.mean([g[name] for g in per_example_gradients], axis=0)
    assert np.allclose(batch_gradient[name], mean_of_gradients, atol=1e-9), name
print("dR/dW2 (batch):          ", batch_gradient["W2"][0].round(6))
print("mean of per-example ones:",
      np.mean([g["W2"] for g in per_example_gradients], axis=0)[0].round(6))

# %% [markdown]
# ## Section 3, 'The loss as one more activation'
#
# Fix one example $(x_i, y_i)$. Its loss is
#
# $$\ell\bigl(y_i, F(x_i,\theta)\bigr)
# = \ell\Bigl(y_i,\ \sigma_L\bigl(W_L(\cdots\sigma_1(W_1x_i + b_1)\cdots) + b_L\bigr)\Bigr)
# = \tilde\sigma_L\bigl(W_L(\cdots\sigma_1(W_1x_i + b_1)\cdots) + b_L\bigr),$$
#
# where the new last "activation" $\tilde\sigma_L(z) = \ell(y_i, \sigma_L(z))$ has swallowed
# both the target and the loss. (Lecture 10 writes $\tilde\sigma_L(a) = \ell(y_i, a)$, which
# leaves the output activation out: for its own equation to hold, $\sigma_L$ must be inside.) The right-hand side is again a network, $\tilde F(x_i,\theta)$,
# with the same weights; only its last activation differs, and its output is a single number.
#
# So there is nothing special about differentiating a loss: if we can compute
# $\nabla_\theta F_L$ for a network with a **scalar** output, we can compute the gradient of
# the loss. Two things to notice about $\tilde\sigma_L$:
#
# * it maps $\mathbb R^{n_L}$ to $\mathbb R$, so unlike $\tanh$ it does not act coordinate by
#   coordinate; its derivative is a row of $n_L$ partial derivatives,
#   $\partial\ell/\partial z_k$ (Section 5 calls this a $1\times n_L$ Jacobian);
# * its derivative row is where backpropagation starts, so you derive it now. (Where
#   Lecture 10 writes this starting derivative with $\sigma_L'$, the slope of the plain output
#   activation, it means the absorbed $\tilde\sigma_L'$: the loss is inside it.)
#
# ### Written derivation (2 points): where backpropagation starts
#
# Let $z = Z_L$ be the last pre-activation of one example ($n_L$ entries) and $y$ its target.
#
# 1. For the squared error $\ell = \tfrac12\lVert\sigma_L(z) - y\rVert^2$ with a
#    coordinatewise $\sigma_L$, derive the row $\partial\ell/\partial z$ ($1\times n_L$).
# 2. For the cross-entropy with a sigmoid output, $\ell = \sum_k \bigl[\log(1 + e^{z_k}) -
#    y_k z_k\bigr]$, derive the same row. What happened to $\sigma'$, and why is that good news
#    for a saturated output unit?
#
# Answer in the cell below, then run the checked worked cell after it: it compares the
# absorbed loss with `mlp_cost`, and its derivative row (by centred differences there, so that
# the cell does not give your derivation away) is what Sections 5 and 7 start from.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_output_row", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.**
#
# 1. $\ell = \tfrac12\sum_k(\sigma_L(z_k) - y_k)^2$ and $z_k$ enters only the $k$-th term, so
#    $\partial\ell/\partial z_k = (\sigma_L(z_k) - y_k)\,\sigma_L'(z_k)$: the row is
#    $\bigl((F_L - y)\odot\sigma_L'(Z_L)\bigr)^\top$.
# 2. $\partial\ell/\partial z_k = \frac{e^{z_k}}{1 + e^{z_k}} - y_k = \sigma(z_k) - y_k$: the
#    row is $(F_L - y)^\top$. The slope $\sigma'$ has cancelled (the derivative of
#    $\log(1+e^z)$ is already $\sigma(z)$). Good news: a confidently wrong sigmoid output
#    ($\sigma' \approx 0$) still gets a gradient of size $|F_L - y|\approx 1$, whereas with the
#    squared error the factor $\sigma'$ makes it almost zero.
#
# === BEGIN MARK SCHEME ===
# 2 points.
# - 1: the squared-error row $(F_L - y)\odot\sigma_L'(Z_L)$ (as a row), with the chain rule
#   through $\sigma_L$ shown.
# - 1: the cross-entropy row $\sigma(z) - y$, derived from $\log(1+e^z) - yz$, with the remark
#   that $\sigma'$ cancels and so a saturated wrong output still learns.
# Half a point for a right result without a derivation.
# === END MARK SCHEME ===

# %%
def absorbed_loss(y, loss, last_activation):
    """The loss of one example as a last "activation" of z = Z_L (n_L,).

    Returns
    -------
    f : callable, z (n_L,) -> (1,) ndarray, the loss
    jacobian : callable, z (n_L,) -> (1, n_L) ndarray, its derivative as a row
    """
    act = get_activation(last_activation)
    if loss == "bce":
        def f(z):
            return np.atleast_1d(np.sum(bce_with_logits(z, y)))
    else:
        def f(z):
            return np.atleast_1d(0.5 * np.sum((act.f(z) - y) ** 2))

    def jacobian(z, h=1e-6):
        # centred differences, one coordinate at a time: accurate to ~1e-10 here, and it
        # leaves the closed form to your derivation above
        return np.array([[(f(z + h * e)[0] - f(z - h * e)[0]) / (2 * h)
                          for e in np.eye(z.size)]])
    return f, jacobian


for loss in ("squared_error", "bce"):
    for i in range(n_ex):
        one_loss = mlp_cost(params_ex, X_ex[:, [i]], Y_ex[:, [i]], activations_ex, loss)
        z_i = mlp_forward(params_ex, X_ex[:, [i]], activations_ex)[1]["Z2"][:, 0]
        f_tilde, row = absorbed_loss(Y_ex[:, i], loss, activations_ex[-1])
        assert np.isclose(f_tilde(z_i)[0], one_loss)
        assert row(z_i).shape == (1, 2)  # a row: one loss, n_L = 2 inputs
print("The absorbed last layer returns each example's loss; its row dl/dZ_L is (1, n_L).")

# %% [markdown]
# ## Section 4, 'The chain rule in one dimension'
#
# Start with the case where every layer has width one, so every $W_j$, $b_j$, $Z_j$, $F_j$ is
# a number. Let $D_j = \sigma_j'(Z_j)$, the slope stored by the forward pass.
# $W_L$ enters $F_L = \sigma_L(W_L F_{L-1} + b_L)$ once, so
#
# $$\frac{\partial F_L}{\partial W_L} = D_L\,F_{L-1}, \qquad
# \frac{\partial F_L}{\partial b_L} = D_L .$$
#
# One layer further down, $W_{L-1}$ changes $Z_{L-1}$, which changes $F_{L-1}$ by the factor
# $D_{L-1}$, which changes $Z_L$ by the factor $W_L$, which changes $F_L$ by the factor $D_L$.
# Each layer we pass adds a factor $W$ and a factor $D$:
#
# $$\frac{\partial F_L}{\partial W_j} = D_L\,W_L\,D_{L-1}\,W_{L-1}\cdots W_{j+1}\,D_j\,F_{j-1},$$
#
# and the bias of the same layer has the same product without the last factor (the input
# $F_{j-1}$), because $Z_j$ changes one for one with it.
#
# Two things to see here. The long product $D_L W_L \cdots D_j$ is shared by the weights and
# the bias of layer $j$,
# and the product for layer $j-1$ is the one for layer $j$ times $W_j D_{j-1}$: computed from
# the top down, each layer costs a constant number of multiplications (by its weight, by its
# slope, and one for its gradient). That reuse is backpropagation.
#
# ### A slip in Lecture 10 (1 point)
#
# *CSCI 5525 Machine Learning, Lecture 10: Neural Networks (Part 2)* writes the last of these formulas as
# $\frac{\partial F_L}{\partial b_i} = J_L W_L J_{L-1} W_{L-1}\cdots J_j$ (in its letters).
# Which index should the left side carry, and how can you tell from the right side alone?
# Answer in the cell below.
# %% [markdown] nbgrader={"grade": true, "grade_id": "slip_s6_bias_index", "locked": false, "points": 1, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** It should be $\partial F_L/\partial b_j$. The right side ends with the slope
# of layer $j$, and it is the companion of the $W_j$ formula one line above it without the
# final factor $F_{j-1}$: $b_j$ enters $Z_j = W_jF_{j-1} + b_j$ with derivative 1 where $W_j$
# has $F_{j-1}$. The letter $i$ numbers examples elsewhere in Lecture 10 and plays no part here.
#
# === BEGIN MARK SCHEME ===
# 1 point: $b_j$, with a reason (the last factor is layer $j$'s slope; the $W_j$ companion
# formula; $b_j$ enters $Z_j$ with derivative 1). Half a point for $b_j$ without a reason.
# === END MARK SCHEME ===

# %% [markdown]
# **Checked worked cell (from Lecture 10: the univariate backward pass).** A chain of three
# one-unit layers, the formulas above against centred differences.

# %%
chain = {"W1": 0.7, "b1": -0.2, "W2": -1.3, "b2": 0.4, "W3": 0.9, "b3": 0.1}
chain_activations = ["tanh", "sigmoid", "tanh"]
x_chain = 1.5


def chain_output(p):
    """F_3 of the one-unit chain at x_chain."""
    F = x_chain
    for j, name in enumerate(chain_activations, start=1):
        F = get_activation(name).f(p[f"W{j}"] * F + p[f"b{j}"])
    return float(F)


F_chain, J_chain = [x_chain], []  # F_0, F_1, ... and J_1, J_2, ...
for j, name in enumerate(chain_activations, start=1):
    z = chain[f"W{j}"] * F_chain[-1] + chain[f"b{j}"]
    F_chain.append(float(get_activation(name).f(z)))
    J_chain.append(float(get_activation(name).df(z)))

by_formula = {}
product = J_chain[2]  # J_3
for j in (3, 2, 1):
    by_formula[f"W{j}"] = product * F_chain[j - 1]
    by_formula[f"b{j}"] = product
    if j > 1:
        product = product * chain[f"W{j}"] * J_chain[j - 2]  # times W_j J_{j-1}

numeric = numerical_gradient(chain_output, {k: np.array(v) for k, v in chain.items()})
for name in chain:
    print(f"dF3/d{name}: formula {by_formula[name]: .8f}   numerical {float(numeric[name]): .8f}")
    assert np.isclose(by_formula[name], numeric[name], rtol=1e-7, atol=1e-10)

# %% [markdown]
# ## Section 5, 'Many dimensions: Jacobians'
#
# With several units per layer, "the derivative" of a layer becomes a matrix. For a function
# $f:\mathbb R^k\to\mathbb R^l$, $r\mapsto f(r)$, the **Jacobian** at $r$ is the matrix of
# all partial derivatives, one row per output and one column per input,
#
# $$D_{pq} = \frac{\partial f_p}{\partial r_q}, \qquad p = 1..l,\ q = 1..k,$$
#
# an $l\times k$ matrix, an element of $\mathbb R^{l\times k}$ (Lecture 10 writes
# "$\mathbb R^l\times\mathbb R^k$", which is the set of *pairs* of vectors, not of matrices).
# The chain rule says that the Jacobian of a composition is the product of the Jacobians, each
# evaluated where its function is applied, with the **last-applied (outermost) function on the
# left**: for $u(r) = g(f(r))$ with $g:\mathbb R^l\to\mathbb R^s$,
# $D_u(r) = D_g\bigl(f(r)\bigr)\,D_f(r)$. Reading the product from left to right walks the
# composition from the output back to the input; the shapes ($s\times l$ times $l\times k$)
# only fit in that order.
#
# **The rule for a weight matrix.** Let $v\in\mathbb R^{n_\text{in}}$ be a column, $W$ an
# $n_\text{out}\times n_\text{in}$ matrix, and $f:\mathbb R^{n_\text{out}}\to\mathbb R$
# **scalar-valued**, so its Jacobian $D$ at $Wv$ is a row ($1\times n_\text{out}$). The entry
# $W_{pq}$ enters only the $p$-th entry of $Wv$, with slope $v_q$, so
# $\partial f(Wv)/\partial W_{pq} = D_{1p}\,v_q$. Collected in a matrix of the shape of $W$:
#
# $$\nabla_W f(Wv) = D^\top v^\top \qquad (n_\text{out}\times 1 \text{ times }
#   1\times n_\text{in} = n_\text{out}\times n_\text{in}).$$
#
# Lecture 10 states this rule for a vector-valued $f$. It needs $f$ scalar: for
# $f:\mathbb R^{n_\text{out}}\to\mathbb R^s$ with $s > 1$ the derivative by a matrix has three
# indices (output, row, column), and $D^\top v^\top$ (with $D$ of shape $s\times n_\text{out}$)
# does not even multiply out. That
# is why the loss is absorbed into the network first (Section 3): its output is one number.
#
# The outer product of a column (how much each output of $Wv$ matters) and a row (what each
# input of $Wv$ is) is the pattern behind every weight gradient in this course.
#
# **Checked worked cell (from Lecture 10: $\nabla_W f(Wv) = D^\top v^\top$ for a scalar $f$).**

# %%
rule_rng = np.random.default_rng(7)
W_rule, v_rule = rule_rng.normal(size=(4, 3)), rule_rng.normal(size=(3, 1))
c_rule = np.array([[1.0, -2.0, 0.5, 3.0]])


def f_rule(r):
    """A scalar function of r (4, 1): sum_k c_k tanh(r_k)."""
    return (c_rule @ np.tanh(r)).item()


D_rule = c_rule * (1.0 - np.tanh(W_rule @ v_rule) ** 2).T  # (1, 4): df/dr_k
by_rule = D_rule.T @ v_rule.T  # (4, 1) @ (1, 3) = (4, 3), the shape of W
numeric_rule = numerical_gradient(lambda p: f_rule(p["W"] @ v_rule), {"W": W_rule})["W"]
assert by_rule.shape == W_rule.shape and np.allclose(by_rule, numeric_rule, atol=1e-9)
print(by_rule.round(5))

# %% [markdown]
# ### The backward pass with Jacobians
#
# Now let $D_j$ denote the Jacobian of $\sigma_j$ at $Z_j$ (one example), and suppose the
# network's output $F_L$ is a scalar: $n_L = 1$, or the loss has been absorbed as in
# Section 3, in which case $D_L$ is the $1\times n_L$ row you derived there. The
# one-dimensional formulas of Section 4 keep their pattern, but with matrices the order and
# the transposes matter. Derive them before you code them.
#
# ### Written derivation (4 points): the Jacobian form of the backward pass
#
# Take a network with two layers, $F_2 = \sigma_2(W_2\,\sigma_1(W_1 x + b_1) + b_2)$, a scalar
# output ($n_2 = 1$), one example, and coordinatewise activations.
#
# 1. Derive $\partial F_2/\partial W_1$ and $\partial F_2/\partial b_1$ as products of
#    Jacobians and $x$: apply the chain rule through $Z_2$, $F_1$ and $Z_1$, say what each factor
#    is and what its shape is, and show that the results have the shapes of $W_1$ and $b_1$.
# 2. Explain why $D_1$ is a diagonal matrix, and what that means for the code: how can you
#    avoid building it, and why is that cheaper?
# 3. Generalise to layer $j$ of $L$: write $\partial F_L/\partial W_j$ and
#    $\partial F_L/\partial b_j$ with a row $P_j$ ($1\times n_j$) built from the $D$'s and
#    $W$'s, and say how $P_{j-1}$ is obtained from $P_j$.
#
# Write your answer in the cell below (Markdown with LaTeX).

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_jacobian_L2", "locked": false, "points": 4, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** Write $Z_1 = W_1x + b_1$ ($n_1\times1$), $F_1 = \sigma_1(Z_1)$,
# $Z_2 = W_2F_1 + b_2$ ($1\times1$), $F_2 = \sigma_2(Z_2)$. As a function of $Z_1$, the
# output is $g(Z_1) = \sigma_2(W_2\sigma_1(Z_1) + b_2)$, and by the chain rule its Jacobian
# (a $1\times n_1$ row) is the product of the Jacobians of the three maps, outermost first:
#
# $$\frac{\partial F_2}{\partial Z_1}
# = \underbrace{\sigma_2'(Z_2)}_{J_2:\ 1\times1}\;
#   \underbrace{W_2}_{\partial Z_2/\partial F_1:\ 1\times n_1}\;
#   \underbrace{\operatorname{diag}(\sigma_1'(Z_1))}_{J_1:\ n_1\times n_1}
# = D_2 W_2 D_1 \quad (1\times n_1).$$
#
# $W_1$ enters only through $Z_1 = W_1x + b_1$, with $\partial (Z_1)_p/\partial (W_1)_{pq}
# = x_q$. So, with the rule $\nabla_W f(Wv) = D^\top v^\top$ for $f = g$ and $v = x$:
#
# $$\frac{\partial F_2}{\partial (W_1)_{pq}} = (D_2W_2D_1)_{1p}\,x_q
# \quad\Longrightarrow\quad
# \frac{\partial F_2}{\partial W_1} = (D_2 W_2 D_1)^\top x^\top ,$$
#
# an $(n_1\times 1)(1\times n_0) = n_1\times n_0$ matrix, the shape of $W_1$. (Likewise
# $\partial F_2/\partial b_1 = (D_2W_2D_1)^\top$, $n_1\times1$.)
#
# $D_1$ is diagonal because $\sigma_1$ acts on each coordinate separately:
# $(F_1)_a = \sigma_1((Z_1)_a)$ does not depend on $(Z_1)_b$ for $b\ne a$, so every
# off-diagonal partial derivative is zero and the diagonal holds $\sigma_1'((Z_1)_a)$.
# Multiplying by a diagonal matrix scales each entry, so in code
# $(D_2W_2D_1)^\top = D_1 W_2^\top D_2^\top = (W_2^\top \delta_2)\odot\sigma_1'(Z_1)$ with
# $\delta_2 = D_2^\top$: an elementwise product with the stored slopes, $O(n_1)$ work and
# memory instead of building an $n_1\times n_1$ matrix and multiplying by it ($O(n_1^2)$).
#
# For layer $j$ of $L$ the same steps give, with the row
# $P_j = D_L W_L D_{L-1} W_{L-1}\cdots W_{j+1} D_j$ ($1\times n_j$),
#
# $$\frac{\partial F_L}{\partial W_j} = P_j^\top F_{j-1}^\top \ (n_j\times n_{j-1}),\qquad
# \frac{\partial F_L}{\partial b_j} = P_j^\top \ (n_j\times 1),\qquad
# P_{j-1} = P_j\,W_j\,D_{j-1},$$
#
# starting from $P_L = D_L$: one product per layer, from the output down.
#
# === BEGIN MARK SCHEME ===
# 4 points.
# - 1: the chain rule through $Z_2$, $F_1$, $Z_1$ giving the row $D_2 W_2 D_1$ with each
#   factor named ($D_2 = \sigma_2'(Z_2)$, $W_2 = \partial Z_2/\partial F_1$,
#   $D_1 = \partial F_1/\partial Z_1$).
# - 1: the step from $\partial F_2/\partial Z_1$ to $\partial F_2/\partial W_1$ via
#   $\partial (Z_1)_p/\partial(W_1)_{pq} = x_q$ (or the rule $\nabla_W f(Wv) = D^\top v^\top$),
#   ending in $(D_2W_2D_1)^\top x^\top$.
# - 1: shapes stated and checked: $1\times n_1$ row, final $n_1\times n_0$ = shape of $W_1$.
#   Missing transposes (a $1\times n_1$ times $n_0\times 1$ product) lose this point.
# - 1: diagonal because the activation is coordinatewise (off-diagonal derivatives vanish),
#   and the consequence: an elementwise product with $\sigma_1'(Z_1)$, linear rather than
#   quadratic cost; and the general $P_j$ with $P_{j-1} = P_jW_jD_{j-1}$ (this part is needed
#   for the point: without it, half).
# Half points for a right idea with an index or shape slip.
# === END MARK SCHEME ===

# %% [markdown]
# **Why the activation's Jacobian is diagonal** is part 2 of your derivation; the exercise
# below builds that matrix for one example.
#
# ### Exercise 2 (2 points): the Jacobian of a coordinatewise activation

# %% nbgrader={"grade": false, "grade_id": "elementwise_jacobian", "locked": false, "schema_version": 3, "solution": true, "task": false}
def elementwise_jacobian(z, activation):
    """Jacobian matrix of a coordinatewise activation at one example.

    Parameters
    ----------
    z : (n,) ndarray
        Pre-activation of ONE example.
    activation : str
        "sigmoid", "tanh", "relu" or "identity" (ReLU's slope at z = 0 is taken as 0).

    Returns
    -------
    (n, n) ndarray
        Entry (p, q) is d sigma(z)_p / d z_q.
    """
    ### BEGIN SOLUTION
    return np.diag(get_activation(activation).df(z))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "elementwise_jacobian_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Is the Jacobian an (n, n) matrix for z of shape (n,)?"""
check_exercise("05_deep_networks.elementwise_jacobian", elementwise_jacobian, part="shape")

# %% nbgrader={"grade": true, "grade_id": "elementwise_jacobian_values", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Is the Jacobian right, on the worked example and on fresh inputs?"""
check_exercise("05_deep_networks.elementwise_jacobian", elementwise_jacobian, part="values")
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.elementwise_jacobian", elementwise_jacobian, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# The forward pass for one example with explicit Jacobian matrices is given. It takes an
# optional `last_map`, a pair `(f, jacobian)` like the one `absorbed_loss` returns, to replace
# the last activation.

# %%
def jacobian_forward(params, x, activations, last_map=None):
    """Forward pass of ONE example, returning each layer's input and Jacobian.

    Parameters
    ----------
    params : dict, as in mlp_forward
    x : (n_0,) ndarray
    activations : list of L str
    last_map : optional (f, jacobian) pair replacing the last activation

    Returns
    -------
    layer_inputs : list of L ndarrays, [F_0, ..., F_{L-1}], each a column (n_{j-1}, 1)
    jacobians : list of L ndarrays, [J_1, ..., J_L]; J_j is (n_j, n_j), or (1, n_L) for
        a last_map
    output : (n_out, 1) ndarray, F_L
    """
    L = len(activations)
    F = np.asarray(x, dtype=float).reshape(-1, 1)
    layer_inputs, jacobians = [], []
    for j in range(1, L + 1):
        layer_inputs.append(F)
        z = (params[f"W{j}"] @ F + params[f"b{j}"])[:, 0]
        if j == L and last_map is not None:
            f, jacobian = last_map
            F, J = f(z).reshape(-1, 1), jacobian(z)
        else:
            F = get_activation(activations[j - 1]).f(z).reshape(-1, 1)
            J = elementwise_jacobian(z, activations[j - 1])
        jacobians.append(J)
    return layer_inputs, jacobians, F


# %% [markdown]
# ### Exercise 3 (3 points): the backward pass with Jacobian matrices
#
# Implement part 3 of your derivation literally, with explicit Jacobian matrices and the
# running row product $P_j$, from the output layer down. `jacobians[j - 1]` is $D_j$ and
# `layer_inputs[j - 1]` is $F_{j-1}$ (Python counts from 0, layers from 1).

# %% nbgrader={"grade": false, "grade_id": "jacobian_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def jacobian_backward(params, layer_inputs, jacobians):
    """Gradients of a scalar network output F_L by products of Jacobian matrices.

    Parameters
    ----------
    params : dict
        {"W1": (n_1, n_0), ..., "WL": (n_L, n_{L-1})}; biases may be in the dict or not
        (they are not needed).
    layer_inputs : list of L ndarrays
        [F_0, ..., F_{L-1}], F_{j-1} a column of shape (n_{j-1}, 1).
    jacobians : list of L ndarrays
        [J_1, ..., J_L]: J_j is (n_j, n_j) for j < L; J_L is a row (1, n_L) because the
        output is a scalar.

    Returns
    -------
    dict
        {"dW1": (n_1, n_0), "db1": (n_1, 1), ..., "dWL", "dbL"}: the gradient of the scalar
        F_L with respect to every W_j and b_j, each of the shape of its parameter.
    """
    ### BEGIN SOLUTION
    L = len(jacobians)
    P = jacobians[L - 1]  # (1, n_L)
    grads = {}
    for j in range(L, 0, -1):
        grads[f"dW{j}"] = P.T @ layer_inputs[j - 1].T
        grads[f"db{j}"] = P.T
        if j > 1:
            P = P @ params[f"W{j}"] @ jacobians[j - 2]
    return grads
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "jacobian_backward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does jacobian_backward return dWj and dbj of the shapes of Wj and bj?"""
check_exercise("05_deep_networks.jacobian_backward", jacobian_backward, part="shape")

# %% nbgrader={"grade": true, "grade_id": "jacobian_backward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are the Jacobian-product gradients right, on the worked example and on fresh inputs?"""
check_exercise("05_deep_networks.jacobian_backward", jacobian_backward, part="values",
               seeds=[0, 1])
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.jacobian_backward", jacobian_backward, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# **Checked worked cell (from Lecture 10: the multivariate backward pass; a scalar output).** A
# 3-4-2-1 network, one example: your Jacobian products against centred differences of $F_L$.

# %%
params_scalar = random_network([3, 4, 2, 1], seed=11)
activations_scalar = ["tanh", "sigmoid", "tanh"]
x_scalar = np.array([0.5, -1.2, 0.8])


def scalar_output(p):
    return float(jacobian_forward(p, x_scalar, activations_scalar)[2][0, 0])


inputs_s, jacobians_s, _ = jacobian_forward(params_scalar, x_scalar, activations_scalar)
print("J_2 =\n", jacobians_s[1].round(4))  # diagonal
report_scalar = gradient_check(scalar_output, params_scalar,
                               jacobian_backward(params_scalar, inputs_s, jacobians_s))
print(report_scalar)
assert report_scalar.passed

# %% [markdown]
# **Checked worked cell (from Lecture 10: the loss absorbed as a final activation, backward).** Swap
# the last activation for the absorbed loss of Section 3 and the very same function returns
# the gradient of one example's loss, for either loss, with a 2-unit output.

# %%
for loss in ("squared_error", "bce"):
    f_tilde, row = absorbed_loss(Y_ex[:, 0], loss, activations_ex[-1])
    inputs_a, jacobians_a, loss_value = jacobian_forward(params_ex, X_ex[:, 0], activations_ex,
                                                         last_map=(f_tilde, row))
    one_example_cost = cost_of(X_ex[:, [0]], Y_ex[:, [0]]) if loss == "squared_error" else \
        (lambda p: mlp_cost(p, X_ex[:, [0]], Y_ex[:, [0]], activations_ex, "bce"))
    assert np.isclose(loss_value[0, 0], one_example_cost(params_ex))
    report_absorbed = gradient_check(one_example_cost, params_ex,
                                     jacobian_backward(params_ex, inputs_a, jacobians_a))
    print(loss, "->", "PASSED" if report_absorbed.passed else "FAILED")
    assert report_absorbed.passed, report_absorbed

# %% [markdown]
# ## Section 6, 'From Jacobian products to deltas'
#
# Building $n_j\times n_j$ diagonal matrices only to multiply by them wastes work, and
# handling one example at a time wastes the matrix products that could treat all examples at
# once. Both fixes are small.
#
# **Deltas.** With the loss absorbed, the transposed row product is the derivative of the
# example's loss with respect to $Z_j$; call it the **delta** of layer $j$:
#
# $$\delta_j = P_j^\top = (D_L W_L\cdots W_{j+1} D_j)^\top = \frac{\partial \ell}{\partial Z_j}
# \quad (n_j\times 1).$$
#
# Its starting value $\delta_L$ is the transposed row you derived in Section 3.
#
# **A batch at once.** Put the deltas of the $n$ examples side by side as the columns of a
# matrix $\Delta_j$ ($n_j\times n$), just like $Z_j$ and $F_j$; write $\delta_j^{(i)}$ for
# column $i$ (example $i$).
#
# ### Written derivation (2 points): the delta recursion
#
# 1. Starting from your $P_{j-1} = P_jW_jD_{j-1}$, express $\delta_{j-1}$ through $\delta_j$,
#    $W_j$ and the stored slopes $\sigma_{j-1}'(Z_{j-1})$, without forming $D_{j-1}$ as a
#    matrix. Does the same formula hold column by column for $\Delta_{j-1}$?
# 2. Write the mean over the batch of the per-example weight gradients,
#    $\frac1n\sum_i \partial\ell_i/\partial W_j$, as **one** matrix product involving
#    $\Delta_j$ and $F_{j-1}$ (with its shape), and the mean bias gradient likewise. Why does a
#    single product compute a sum over examples?

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_delta_recursion", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.**
#
# 1. Transposing, $\delta_{j-1} = P_{j-1}^\top = D_{j-1}^\top W_j^\top P_j^\top
#    = D_{j-1}W_j^\top\delta_j$ (a diagonal matrix is its own transpose), and multiplying by a
#    diagonal matrix scales each entry:
#    $\delta_{j-1} = (W_j^\top\delta_j)\odot\sigma_{j-1}'(Z_{j-1})$ ($n_{j-1}\times 1$). The
#    matrix product and the elementwise product act on each column separately, so
#    $\Delta_{j-1} = (W_j^\top\Delta_j)\odot\sigma_{j-1}'(Z_{j-1})$ with the stored slopes
#    ($n_{j-1}\times n$).
# 2. $\frac1n\sum_i \delta_j^{(i)}F_{j-1}^{(i)\top} = \frac1n\,\Delta_jF_{j-1}^\top$
#    ($n_j\times n_{j-1}$, the shape of $W_j$): entry $(p, q)$ of $\Delta_jF_{j-1}^\top$ is
#    $\sum_i (\Delta_j)_{pi}(F_{j-1})_{qi}$, a sum over the shared index, the examples. The mean
#    bias gradient is the row mean of $\Delta_j$ ($n_j\times 1$).
#
# === BEGIN MARK SCHEME ===
# 2 points.
# - 1: $\delta_{j-1} = (W_j^\top\delta_j)\odot\sigma'_{j-1}(Z_{j-1})$ from the transposed
#   product, and the remark that it holds column by column.
# - 1: $\frac1n\Delta_jF_{j-1}^\top$ with its shape and why the product sums over examples; the
#   bias as a row mean. A sum without $1/n$ loses half a point (the cost is a mean).
# === END MARK SCHEME ===

# %% [markdown]
# ### Exercise 4 (3 points): one layer backward
#
# Implement your derivation for one layer: given the deltas of layer $j$ (one column per
# example), return the layer's mean gradients and the deltas of the layer below. For the first layer there is no layer below: the caller passes
# `J_prev=None`, and you return `None` for `delta_prev`.

# %% nbgrader={"grade": false, "grade_id": "layer_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def layer_backward(delta, W, F_prev, J_prev):
    """Backward pass through one layer, for a batch.

    Parameters
    ----------
    delta : (n_j, n) ndarray
        dl/dZ_j of each example, one column per example.
    W : (n_j, n_{j-1}) ndarray
        The layer's weights W_j.
    F_prev : (n_{j-1}, n) ndarray
        The layer's input F_{j-1}.
    J_prev : (n_{j-1}, n) ndarray or None
        sigma'_{j-1}(Z_{j-1}); None for the first layer.

    Returns
    -------
    dW : (n_j, n_{j-1}) ndarray
        The mean over the batch of each example's dl/dW_j.
    db : (n_j, 1) ndarray
        The mean over the batch of each example's dl/db_j.
    delta_prev : (n_{j-1}, n) ndarray or None
        dl/dZ_{j-1} of each example, one column per example; None when J_prev is None.
    """
    ### BEGIN SOLUTION
    n = delta.shape[1]
    dW = delta @ F_prev.T / n
    db = np.mean(delta, axis=1, keepdims=True)
    delta_prev = None if J_prev is None else (W.T @ delta) * J_prev
    return dW, db, delta_prev
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "layer_backward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Do dW, db and delta_prev have the shapes of W, b and F_prev?"""
check_exercise("05_deep_networks.layer_backward", layer_backward, part="shape")

# %% nbgrader={"grade": true, "grade_id": "layer_backward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are dW, db and delta_prev right, on the worked example and on fresh inputs?"""
check_exercise("05_deep_networks.layer_backward", layer_backward, part="values")
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.layer_backward", layer_backward, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Section 7, 'Capstone: backpropagation for L layers'
#
# Put it together: compute the output delta $\Delta_L$ from the cache and the targets (your
# Section 3 derivation, one column per example), then walk down the layers with
# `layer_backward`, storing `dWj` and `dbj` as you go. The cache is
# the one `mlp_forward` returns (`"F0"`, and `"Zj"`, `"Fj"`, `"Jj"` for `j = 1..L`), and
# `loss` is `"squared_error"` or `"bce"` (the latter always with a sigmoid last layer).
#
# ### Exercise 5 (5 points): backpropagation

# %% nbgrader={"grade": false, "grade_id": "mlp_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def mlp_backward(params, cache, Y, activations, loss):
    """Gradient of mlp_cost (the mean loss over the batch) by backpropagation.

    Parameters
    ----------
    params : dict
        {"W1": (n_1, n_0), "b1": (n_1, 1), ..., "WL", "bL"}.
    cache : dict
        From mlp_forward: "F0" and "Zj", "Fj", "Jj" (each (n_j, n)) for j = 1..L.
    Y : (n_L, n) ndarray
        Targets, one column per example.
    activations : list of L str
    loss : str
        "squared_error" or "bce".

    Returns
    -------
    dict
        {"dW1": (n_1, n_0), "db1": (n_1, 1), ..., "dWL", "dbL"}: mean gradients over the batch.
    """
    ### BEGIN SOLUTION
    L = len(activations)
    error = cache[f"F{L}"] - Y
    delta = error if loss == "bce" else error * cache[f"J{L}"]
    grads = {}
    for j in range(L, 0, -1):
        J_prev = cache[f"J{j - 1}"] if j > 1 else None
        grads[f"dW{j}"], grads[f"db{j}"], delta = layer_backward(
            delta, params[f"W{j}"], cache[f"F{j - 1}"], J_prev)
    return grads
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "mlp_backward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does mlp_backward return a gradient for every parameter, with the parameter's shape?"""
check_exercise("05_deep_networks.mlp_backward", mlp_backward, part="shape")

# %% nbgrader={"grade": true, "grade_id": "mlp_backward_values", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false}
"""Are all gradients right, for both losses, on the worked example and on fresh inputs?"""
check_exercise("05_deep_networks.mlp_backward", mlp_backward, part="values", seeds=[0, 2])
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.mlp_backward", mlp_backward, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Gradient-check your backpropagation
#
# Before you trust a backward pass, compare it with numerical differences. `gradient_check`
# perturbs every entry of every parameter, reports the largest relative error
# $|a - n|/(|a| + |n|)$ per parameter, and passes below $10^{-7}$: in float64 a correct smooth
# gradient lands near $10^{-10}$ or below, while a wrong sign, factor or transpose gives
# $10^{-3}$ or more. Run it on a three-layer network with both losses. Reports per
# parameter matter: a bug in a small bias would hide in one global number.

# %%
def mlp_gradients(params, X, Y, activations, loss):
    """Forward then backward: the gradient of mlp_cost at params (dict of dWj, dbj)."""
    _, cache = mlp_forward(params, X, activations)
    return mlp_backward(params, cache, Y, activations, loss)


check_rng = np.random.default_rng(3)
params_check = random_network([4, 5, 3, 2], seed=3)
activations_check = ["tanh", "tanh", "sigmoid"]
X_check = check_rng.normal(size=(4, 6))
targets_check = {"squared_error": check_rng.normal(size=(2, 6)),
                 "bce": check_rng.integers(0, 2, size=(2, 6)).astype(float)}
for loss, Y_check in targets_check.items():
    report = gradient_check(
        lambda p: mlp_cost(p, X_check, Y_check, activations_check, loss), params_check,
        mlp_gradients(params_check, X_check, Y_check, activations_check, loss))
    print(f"--- {loss} ---")
    print(report)
    assert report.passed

# %% [markdown]
# **Checked worked cell (from Lecture 10: the absorbed loss and the average of gradients, with your
# backprop).** For each example, the Jacobian-product gradient of the absorbed network equals
# your `mlp_backward` on that one example, and the mean of those equals the batch gradient.

# %%
for loss in ("squared_error", "bce"):
    per_example = []
    for i in range(n_ex):
        f_tilde, row = absorbed_loss(Y_ex[:, i], loss, activations_ex[-1])
        inputs_a, jacobians_a, _ = jacobian_forward(params_ex, X_ex[:, i], activations_ex,
                                                    last_map=(f_tilde, row))
        by_jacobians = jacobian_backward(params_ex, inputs_a, jacobians_a)
        by_deltas = mlp_gradients(params_ex, X_ex[:, [i]], Y_ex[:, [i]], activations_ex, loss)
        assert all(np.allclose(by_jacobians[k], by_deltas[k]) for k in by_deltas)
        per_example.append(by_deltas)
    batch = mlp_gradients(params_ex, X_ex, Y_ex, activations_ex, loss)
    for k in batch:
        assert np.allclose(batch[k], np.mean([g[k] for g in per_example], axis=0))
print("Jacobian products = deltas, per example; batch gradient = mean of per-example ones.")

# %% [markdown]
# ## Summary
#
# * The cost is an average of per-example losses, so its gradient is the average of
#   per-example gradients; with examples as columns, matrix products compute that mean.
# * The loss can be absorbed as the network's last "activation": differentiating a loss is
#   differentiating a network with a scalar output.
# * The chain rule through $L$ layers is a product of Jacobians,
#   $\partial F_L/\partial W_j = (D_LW_L\cdots D_j)^\top F_{j-1}^\top$; coordinatewise
#   activations have diagonal Jacobians, so the product becomes the delta recursion
#   $\delta_{j-1} = (W_j^\top\delta_j)\odot\sigma'(Z_{j-1})$, at $O(V+E)$ cost (lesson 6 counts it).
#
# **Next: lesson 6, [Mini-batch SGD and training a digit classifier](../06_minibatch_sgd/06_minibatch_sgd.ipynb)**: mini-batch SGD, the batch size, and a digit
# classifier trained with the backpropagation you wrote here.
