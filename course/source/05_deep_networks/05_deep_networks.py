# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 5: Deep networks, Jacobians and mini-batch SGD
#
# **Points:** 22 autograded + 6 written = 28 in total.
#
# So far our networks had one or two layers and we differentiated them one weight at a time.
# This lesson handles a network of any depth $L$ and any widths in one go. Three ideas carry
# it:
#
# 1. the cost we minimise is an **average** of per-example losses, so its gradient is the
#    average of per-example gradients, and the loss itself can be treated as one more layer;
# 2. the chain rule for vectors is a product of **Jacobian matrices**, and for the usual
#    activations those Jacobians are diagonal, which makes backpropagation cheap: its cost grows
#    like the size of the network, $O(V + E)$;
# 3. we do not need the exact average to make progress: the gradient on a small random
#    **mini-batch** is right on average, and much cheaper.
#
# At the end you train your own backpropagation code on real handwritten digits.
#
# | Section | What you do | Points |
# |---|---|---|
# | 1. A deep network, layer by layer | `layer_forward` | 3 |
# | 2. Empirical risk: the cost is an average | read; two checked worked cells | 0 |
# | 3. The loss as one more activation | read; a checked worked cell | 0 |
# | 4. The chain rule in one dimension | read; a checked worked cell | 0 |
# | 5. Many dimensions: Jacobians | `elementwise_jacobian`, `jacobian_backward`, a derivation | 5 + 4 written |
# | 6. From Jacobian products to deltas | `layer_backward` | 3 |
# | 7. Capstone: backpropagation for L layers | `mlp_backward`, gradient check | 5 |
# | 8. What backprop costs: O(V + E) | read; a checked worked cell | 0 |
# | 9. Mini-batches: an unbiased, noisy gradient | `minibatch_gradient`, two slips in the notes | 3 + 2 written |
# | 10. Mini-batch SGD and the batch size | `sgd_epoch`, training on digits | 3 |
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
# | pre-activations $Z_j$, activations $F_j$, slopes $J_j$ | `cache["Zj"]`, `cache["Fj"]`, `cache["Jj"]` | `(n_j, n)` |
# | targets $Y$ | `Y` | `(n_L, n)` |
# | gradients | `grads["dWj"]`, `grads["dbj"]` | the shape of `Wj`, `bj` |

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import get_activation, sigmoid
from autograder.checks import check_exercise
from autograder.datasets import load_digits, train_test_split_columns
from autograder.gradcheck import gradient_check, numerical_gradient
from autograder.losses import bce_with_logits, squared_error


def random_network(layer_sizes, seed, scale=0.8):
    """Seeded random parameters {"W1": (n_1, n_0), "b1": (n_1, 1), ...} with nonzero biases.

    Used for the small worked examples; `init_network` (Section 10) is the one for training.
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
# which is exactly how the source notes write it.
#
# The backward pass will need the slope of every activation at its input. The forward pass has
# $Z_j$ at hand, so we store it right away:
#
# $$J_j = \sigma_j'(Z_j) \quad\text{(elementwise)}.$$
#
# With examples as columns, `W @ F_prev` transforms all examples at once and the bias column
# `b` is broadcast across them. The activation functions and their derivatives come from
# `autograder.activations`: `get_activation("tanh").f(z)` is $\tanh z$ and
# `get_activation("tanh").df(z)` is $\tanh'(z)$. Note that `df` takes the pre-activation $z$,
# not the activation.
#
# ### Exercise 1 (3 points): one layer forward

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
# **Checked worked cell (seed item: the forward pass stores $F_j$ and $J_j$).** For a tanh
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
# **Checked worked cell (seed item: empirical risk with cross-entropy or squared loss).** One
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
# and the same for every $b_j$. It is therefore enough to work out the gradient for **one**
# example; the batch gradient is the mean of those. In code the mean comes for free: put the
# examples side by side as columns and a matrix product sums over them.
#
# **Checked worked cell (seed item: the gradient of the average is the average of the
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
# both the target and the loss. The right-hand side is again a network, $\tilde F(x_i,\theta)$,
# with the same weights; only its last activation differs, and its output is a single number.
#
# So there is nothing special about differentiating a loss: if we can compute
# $\nabla_\theta F_L$ for a network with a **scalar** output, we can compute the gradient of
# the loss. Two things to notice about $\tilde\sigma_L$:
#
# * it maps $\mathbb R^{n_L}$ to $\mathbb R$, so unlike $\tanh$ it does not act coordinate by
#   coordinate; its derivative is a row of $n_L$ partial derivatives,
#   $\partial\ell/\partial z_k$ (Section 5 calls this a $1\times n_L$ Jacobian);
# * for the squared error that row is $\bigl((\sigma_L(z) - y)\odot\sigma_L'(z)\bigr)^\top$, and
#   for the cross-entropy with a sigmoid output it is simply $(\sigma(z) - y)^\top$: the slope
#   $\sigma'$ cancels against the derivative of the logarithm.
#
# **Checked worked cell (seed item: the loss absorbed as a final activation, forward).** The
# absorbed last layer, applied to $Z_L$ of each example, returns that example's loss; its
# derivative row matches centred differences. Section 5 differentiates the whole absorbed
# network.

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

        def jacobian(z):
            return (sigmoid(z) - y).reshape(1, -1)
    else:
        def f(z):
            return np.atleast_1d(0.5 * np.sum((act.f(z) - y) ** 2))

        def jacobian(z):
            return ((act.f(z) - y) * act.df(z)).reshape(1, -1)
    return f, jacobian


for loss in ("squared_error", "bce"):
    for i in range(n_ex):
        one_loss = mlp_cost(params_ex, X_ex[:, [i]], Y_ex[:, [i]], activations_ex, loss)
        z_i = mlp_forward(params_ex, X_ex[:, [i]], activations_ex)[1]["Z2"][:, 0]
        f_tilde, row = absorbed_loss(Y_ex[:, i], loss, activations_ex[-1])
        assert np.isclose(f_tilde(z_i)[0], one_loss)
        h = 1e-6
        slopes = [(f_tilde(z_i + h * e)[0] - f_tilde(z_i - h * e)[0]) / (2 * h)
                  for e in np.eye(z_i.size)]
        assert row(z_i).shape == (1, 2) and np.allclose(row(z_i)[0], slopes, atol=1e-8)
print("The absorbed last layer returns each example's loss, and its row is dl/dZ_L.")

# %% [markdown]
# ## Section 4, 'The chain rule in one dimension'
#
# Start with the case where every layer has width one, so every $W_j$, $b_j$, $Z_j$, $F_j$ is
# a number. Let $J_j = \sigma_j'(Z_j)$, the slope stored by the forward pass.
# $W_L$ enters $F_L = \sigma_L(W_L F_{L-1} + b_L)$ once, so
#
# $$\frac{\partial F_L}{\partial W_L} = J_L\,F_{L-1}, \qquad
# \frac{\partial F_L}{\partial b_L} = J_L .$$
#
# One layer further down, $W_{L-1}$ changes $Z_{L-1}$, which changes $F_{L-1}$ by the factor
# $J_{L-1}$, which changes $Z_L$ by the factor $W_L$, which changes $F_L$ by the factor $J_L$.
# Each layer we pass adds a factor $W$ and a factor $J$:
#
# $$\frac{\partial F_L}{\partial W_j} = J_L\,W_L\,J_{L-1}\,W_{L-1}\cdots W_{j+1}\,J_j\,F_{j-1},
# \qquad
# \frac{\partial F_L}{\partial b_j} = J_L\,W_L\,J_{L-1}\,W_{L-1}\cdots W_{j+1}\,J_j .$$
#
# Two things to see here. The long product $J_L W_L \cdots J_j$ is shared by $W_j$ and $b_j$,
# and the product for layer $j-1$ is the one for layer $j$ times $W_j J_{j-1}$: computed from
# the top down, each layer costs one extra multiplication. That reuse is backpropagation.
#
# **Checked worked cell (seed item: the univariate backward pass).** A chain of three
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
# $f:\mathbb R^k\to\mathbb R^l$, $r\mapsto y$, the **Jacobian** at $r$ is the $l\times k$ matrix
# of all partial derivatives,
#
# $$J_{ab} = \frac{\partial y_a}{\partial r_b}, \qquad a = 1..l,\ b = 1..k,$$
#
# and the chain rule says that the Jacobian of a composition is the product of the Jacobians,
# in the order the functions are applied, read from the outside in.
#
# **The rule for a weight matrix.** Let $f:\mathbb R^k\to\mathbb R$ be scalar-valued, so its
# Jacobian $J$ at $r = Wa$ is a row ($1\times k$). The entry $W_{pq}$ enters only $r_p$, with
# $\partial r_p/\partial W_{pq} = a_q$, so
# $\partial f(Wa)/\partial W_{pq} = J_{1p}\,a_q$. Collected in a matrix of the shape of $W$:
#
# $$\nabla_W f(Wa) = J^\top a^\top \qquad (k\times 1 \text{ times } 1\times m = k\times m).$$
#
# The outer product of a column (how much each output of $Wa$ matters) and a row (what each
# input of $Wa$ is) is the pattern behind every weight gradient in this course.
#
# **Checked worked cell (seed item: $\nabla_W f(Wa) = J^\top a^\top$).**

# %%
rule_rng = np.random.default_rng(7)
W_rule, a_rule = rule_rng.normal(size=(4, 3)), rule_rng.normal(size=(3, 1))
c_rule = np.array([[1.0, -2.0, 0.5, 3.0]])


def f_rule(r):
    """A scalar function of r (4, 1): sum_k c_k tanh(r_k)."""
    return (c_rule @ np.tanh(r)).item()


J_rule = c_rule * (1.0 - np.tanh(W_rule @ a_rule) ** 2).T  # (1, 4): df/dr_k
by_rule = J_rule.T @ a_rule.T  # (4, 1) @ (1, 3) = (4, 3), the shape of W
numeric_rule = numerical_gradient(lambda p: f_rule(p["W"] @ a_rule), {"W": W_rule})["W"]
assert by_rule.shape == W_rule.shape and np.allclose(by_rule, numeric_rule, atol=1e-9)
print(by_rule.round(5))

# %% [markdown]
# ### The backward pass with Jacobians
#
# Now let $J_j$ denote the Jacobian of $\sigma_j$ at $Z_j$ (one example), and suppose the
# network's output $F_L$ is a scalar: $n_L = 1$, or the loss has been absorbed as in
# Section 3, in which case $J_L$ is the $1\times n_L$ row of $\partial\ell/\partial Z_L$.
# The one-dimensional formulas keep their form; transposes put the shapes right:
#
# $$\frac{\partial F_L}{\partial W_j} = \bigl(J_L W_L J_{L-1} W_{L-1}\cdots W_{j+1} J_j\bigr)^\top
# F_{j-1}^\top,
# \qquad
# \frac{\partial F_L}{\partial b_j} = \bigl(J_L W_L J_{L-1} W_{L-1}\cdots W_{j+1} J_j\bigr)^\top .$$
#
# Check the shapes: $J_L$ is $1\times n_L$, $W_L$ is $n_L\times n_{L-1}$, $J_{L-1}$ is
# $n_{L-1}\times n_{L-1}$, ..., so the product $P_j = J_L W_L\cdots J_j$ is a row
# $1\times n_j$; $P_j^\top F_{j-1}^\top$ is $n_j\times n_{j-1}$, the shape of $W_j$, and
# $P_j^\top$ is $n_j \times 1$, the shape of $b_j$. Going down a layer,
# $P_{j-1} = P_j\,W_j\,J_{j-1}$.
#
# **Why the activation's Jacobian is diagonal.** $\sigma_j$ acts coordinate by coordinate:
# output $a$ is $\sigma(z_a)$, which does not depend on $z_b$ for $b\neq a$. So
# $\partial\sigma(z)_a/\partial z_b = 0$ off the diagonal and $\sigma'(z_a)$ on it:
# $J_j = \operatorname{diag}(\sigma_j'(Z_j))$. The absorbed loss $\tilde\sigma_L$ is the one
# exception (it mixes all its inputs into one number).
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
        "sigmoid", "tanh", "relu" or "identity".

    Returns
    -------
    (n, n) ndarray
        Entry (a, b) is d sigma(z)_a / d z_b.
    """
    ### BEGIN SOLUTION
    return np.diag(get_activation(activation).df(z))
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "elementwise_jacobian_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Is the Jacobian an (n, n) matrix for z of shape (n,)?"""
check_exercise("05_deep_networks.elementwise_jacobian", elementwise_jacobian, part="shape")

# %% nbgrader={"grade": true, "grade_id": "elementwise_jacobian_values", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Is the Jacobian diag(sigma'(z)), on the worked example and on fresh inputs?"""
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
# Implement the boxed formulas above literally, with the running row product $P_j$: start
# from $P_L = J_L$, and for $j = L, L-1, \dots, 1$ record the two gradients of layer $j$, then
# move down with $P_{j-1} = P_j W_j J_{j-1}$. `jacobians[j - 1]` is $J_j$ and
# `layer_inputs[j - 1]` is $F_{j-1}$ (Python counts from 0, layers from 1).

# %% nbgrader={"grade": false, "grade_id": "jacobian_backward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def jacobian_backward(params, layer_inputs, jacobians):
    """Gradients of a scalar network output F_L by products of Jacobian matrices.

    Parameters
    ----------
    params : dict
        {"W1": (n_1, n_0), ..., "WL": (n_L, n_{L-1})} (the biases are not needed).
    layer_inputs : list of L ndarrays
        [F_0, ..., F_{L-1}], F_{j-1} a column of shape (n_{j-1}, 1).
    jacobians : list of L ndarrays
        [J_1, ..., J_L]: J_j is (n_j, n_j) for j < L; J_L is a row (1, n_L) because the
        output is a scalar.

    Returns
    -------
    dict
        {"dW1": (n_1, n_0), "db1": (n_1, 1), ..., "dWL", "dbL"}, with
        dF_L/dW_j = P_j^T F_{j-1}^T and dF_L/db_j = P_j^T, P_j = J_L W_L ... W_{j+1} J_j.
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
check_exercise("05_deep_networks.jacobian_backward", jacobian_backward, part="values")
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.jacobian_backward", jacobian_backward, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# **Checked worked cell (seed items: the multivariate backward pass; a scalar output).** A
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
# **Checked worked cell (seed item: the loss absorbed as a final activation, backward).** Swap
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
# ### Written derivation (4 points): the Jacobian form for $L = 2$
#
# Take a network with two layers, $F_2 = \sigma_2(W_2\,\sigma_1(W_1 x + b_1) + b_2)$, a scalar
# output ($n_2 = 1$), one example, and coordinatewise activations.
#
# 1. Derive $\partial F_2/\partial W_1$ in the Jacobian form
#    $(J_2 W_2 J_1)^\top x^\top$: apply the chain rule through $Z_2$, $F_1$ and $Z_1$, say what
#    each factor is and what its shape is, and show that the result has the shape of $W_1$.
# 2. Explain why $J_1$ is a diagonal matrix, and what that means for the code: how would you
#    compute $(W_2^\top v) \odot \dots$ instead of a product with $J_1$, and why is it cheaper?
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
# = J_2 W_2 J_1 \quad (1\times n_1).$$
#
# $W_1$ enters only through $Z_1 = W_1x + b_1$, with $\partial (Z_1)_p/\partial (W_1)_{pq}
# = x_q$. So, with the rule $\nabla_W f(Wa) = J^\top a^\top$ for $f = g$ and $a = x$:
#
# $$\frac{\partial F_2}{\partial (W_1)_{pq}} = (J_2W_2J_1)_{1p}\,x_q
# \quad\Longrightarrow\quad
# \frac{\partial F_2}{\partial W_1} = (J_2 W_2 J_1)^\top x^\top ,$$
#
# an $(n_1\times 1)(1\times n_0) = n_1\times n_0$ matrix, the shape of $W_1$. (Likewise
# $\partial F_2/\partial b_1 = (J_2W_2J_1)^\top$, $n_1\times1$.)
#
# $J_1$ is diagonal because $\sigma_1$ acts on each coordinate separately:
# $(F_1)_a = \sigma_1((Z_1)_a)$ does not depend on $(Z_1)_b$ for $b\ne a$, so every
# off-diagonal partial derivative is zero and the diagonal holds $\sigma_1'((Z_1)_a)$.
# Multiplying by a diagonal matrix scales each entry, so in code
# $(J_2W_2J_1)^\top = J_1 W_2^\top J_2^\top = (W_2^\top \delta_2)\odot\sigma_1'(Z_1)$ with
# $\delta_2 = J_2^\top$: an elementwise product with the stored slopes, $O(n_1)$ work and
# memory instead of building an $n_1\times n_1$ matrix and multiplying by it ($O(n_1^2)$).
#
# === BEGIN MARK SCHEME ===
# 4 points.
# - 1: the chain rule through $Z_2$, $F_1$, $Z_1$ giving the row $J_2 W_2 J_1$ with each
#   factor named ($J_2 = \sigma_2'(Z_2)$, $W_2 = \partial Z_2/\partial F_1$,
#   $J_1 = \partial F_1/\partial Z_1$).
# - 1: the step from $\partial F_2/\partial Z_1$ to $\partial F_2/\partial W_1$ via
#   $\partial (Z_1)_p/\partial(W_1)_{pq} = x_q$ (or the rule $\nabla_W f(Wa) = J^\top a^\top$),
#   ending in $(J_2W_2J_1)^\top x^\top$.
# - 1: shapes stated and checked: $1\times n_1$ row, final $n_1\times n_0$ = shape of $W_1$.
#   Missing transposes (a $1\times n_1$ times $n_0\times 1$ product) lose this point.
# - 1: diagonal because the activation is coordinatewise (off-diagonal derivatives vanish),
#   and the consequence: an elementwise product with $\sigma_1'(Z_1)$, linear rather than
#   quadratic cost.
# Half points for a right idea with an index or shape slip.
# === END MARK SCHEME ===

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
# $$\delta_j = P_j^\top = (J_L W_L\cdots W_{j+1} J_j)^\top = \frac{\partial \ell}{\partial Z_j}
# \quad (n_j\times 1).$$
#
# Then the gradients of layer $j$ are $\partial\ell/\partial W_j = \delta_j F_{j-1}^\top$ and
# $\partial\ell/\partial b_j = \delta_j$, and transposing $P_{j-1} = P_jW_jJ_{j-1}$ gives,
# because the diagonal $J_{j-1}$ is its own transpose and acts elementwise,
#
# $$\delta_{j-1} = J_{j-1}W_j^\top\delta_j = \bigl(W_j^\top\delta_j\bigr)\odot\sigma_{j-1}'(Z_{j-1}).$$
#
# It starts at the output with the derivative row of the absorbed loss (Section 3), transposed:
#
# $$\delta_L = (F_L - y)\odot\sigma_L'(Z_L) \ \text{(squared error)}, \qquad
#   \delta_L = F_L - y \ \text{(cross-entropy with a sigmoid output)}.$$
#
# **A batch at once.** Put the deltas of the $n$ examples side by side as the columns of a
# matrix $\Delta_j$ ($n_j\times n$), just like $Z_j$ and $F_j$. The recursion is elementwise per
# column, so it holds for the matrices unchanged: $\Delta_{j-1} = (W_j^\top\Delta_j)\odot J_{j-1}$
# with the stored slopes $J_{j-1}$ ($n_{j-1}\times n$). And the mean of the per-example weight
# gradients is one matrix product, because a product of a matrix with a transposed one sums
# over the shared index, here the examples:
#
# $$\frac1n\sum_{i=1}^n \delta_j^{(i)}\,F_{j-1}^{(i)\top} = \frac1n\,\Delta_j F_{j-1}^\top
# \quad (n_j\times n_{j-1}), \qquad
# \frac1n\sum_{i=1}^n \delta_j^{(i)} = \text{the row means of } \Delta_j\quad (n_j\times 1).$$
#
# ### Exercise 4 (3 points): one layer backward
#
# Given the deltas of layer $j$ (one column per example), return the layer's mean gradients and
# the deltas of the layer below. For the first layer there is no layer below: the caller passes
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
        Mean over the batch of delta_i F_prev_i^T.
    db : (n_j, 1) ndarray
        Mean over the batch of the deltas.
    delta_prev : (n_{j-1}, n) ndarray or None
        (W^T delta) * J_prev, or None when J_prev is None.
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
# Put it together: compute the output delta $\Delta_L$ from the cache and the targets, then
# walk down the layers with `layer_backward`, storing `dWj` and `dbj` as you go. The cache is
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
# **Checked worked cell (seed items: the absorbed loss and the average of gradients, with your
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
# ## Section 8, 'What backprop costs: O(V + E)'
#
# Picture the network as a graph: $V$ nodes (every unit, inputs included) and $E$ edges (one
# per weight). The forward pass sends one message along every edge, from inputs to outputs.
# The backward pass sends one message back along every edge: node $k$ of layer $j$ passes
# $W_{kq}\,\delta_k$ to node $q$ below, each node adds what it receives and multiplies once by
# its slope $J_q$, and every edge also produces its gradient entry $\delta_k F_q$. That is a
# constant amount of work per edge and per node, so one backward pass costs $O(V + E)$, about
# as much as a forward pass.
#
# Compare numerical differentiation: two forward passes **per parameter**, so
# $O\bigl((V+E)\cdot E\bigr)$, quadratic in the size of the network. That gap is why
# backpropagation made training large networks possible.
#
# **Checked worked cell (seed item: backprop is $O(V+E)$).** Count the multiplications of one
# backward pass (one example, scalar output) by walking the graph layer by layer, and compare
# with $2(V + E)$ and with the cost of centred differences.

# %%
def graph_size(layer_sizes):
    """V = number of units (inputs included), E = number of weights."""
    V = sum(layer_sizes)
    E = sum(a * b for a, b in zip(layer_sizes[1:], layer_sizes[:-1]))
    return V, E


def backward_multiplications(layer_sizes):
    """Multiplications in one backward pass, counted as the message-passing loop does them."""
    L = len(layer_sizes) - 1
    count = layer_sizes[L]  # output node: delta_L = J_L * 1
    for j in range(L, 0, -1):
        n_out, n_in = layer_sizes[j], layer_sizes[j - 1]
        count += n_out * n_in  # every edge: dW[k, q] = delta[k] * F_prev[q]
        if j > 1:
            count += n_out * n_in  # every edge: message[q] += W[k, q] * delta[k]
            count += n_in  # every node below: delta_prev[q] = message[q] * J[q]
    return count


widths = [2, 4, 8, 16, 32, 64, 128]
sizes_family = [[w, w, w, 1] for w in widths]
edges, backprop_ops, numerical_ops = [], [], []
for sizes in sizes_family:
    V, E = graph_size(sizes)
    count = backward_multiplications(sizes)
    assert E <= count <= 2 * (V + E)  # linear in the size of the graph
    forward = E + V - sizes[0]  # one multiply-add per edge, one activation per unit
    n_params = E + V - sizes[0]  # weights and biases
    edges.append(E)
    backprop_ops.append(count)
    numerical_ops.append(2 * n_params * forward)

fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.loglog(edges, backprop_ops, "o-", label="backpropagation")
ax.loglog(edges, numerical_ops, "s-", label="centred differences")
ax.loglog(edges, 2 * np.array(edges), "k:", label="2E")
ax.set_xlabel("number of weights E")
ax.set_ylabel("multiplications per gradient")
ax.set_title("Networks [w, w, w, 1], w = 2 ... 128")
ax.legend()
plt.show()

# %% [markdown]
# ## Section 9, 'Mini-batches: an unbiased, noisy gradient'
#
# One gradient of $\hat{\mathcal R}$ needs a forward and a backward pass over **all** $n$
# examples. For a large data set that is a lot of work for one small step. Instead, draw a
# **mini-batch** of $b$ examples $\{(x_i', y_i')\}_{i=1}^b$ uniformly at random (without
# replacement) and use the gradient of the mean loss on that batch:
#
# $$\hat g = \frac1b\sum_{i=1}^{b}\nabla_\theta\,\ell\bigl(y_i', F(x_i', \theta)\bigr),
# \qquad
# \mathbb E\bigl[\hat g\bigr] = \nabla_\theta\hat{\mathcal R}(\theta).$$
#
# Why is it right on average? Every example has the same chance $b/n$ of being in the batch,
# so the expected sum over the batch is $\frac bn\sum_{i=1}^n\nabla\ell_i$; divide by $b$ and
# you get the full mean. Note that each input $x_i'$ travels with **its own** target $y_i'$:
# the batch is a set of pairs.
#
# ### Exercise 6 (3 points): the mini-batch gradient
#
# Draw the batch with exactly `idx = rng.choice(n, size=batch_size, replace=False)`, so that
# the grader, holding a copy of the same generator, draws the same batch. Then use
# `mlp_gradients` on the chosen columns.

# %% nbgrader={"grade": false, "grade_id": "minibatch_gradient", "locked": false, "schema_version": 3, "solution": true, "task": false}
def minibatch_gradient(params, X, Y, activations, loss, batch_size, rng):
    """Gradient of the mean loss on one random mini-batch.

    Parameters
    ----------
    params : dict, as in mlp_forward
    X : (n_0, n) ndarray
    Y : (n_L, n) ndarray
    activations : list of L str
    loss : "squared_error" or "bce"
    batch_size : int, 1 <= batch_size <= n
    rng : numpy.random.Generator
        Draw the batch with idx = rng.choice(n, size=batch_size, replace=False).

    Returns
    -------
    dict
        {"dW1", "db1", ...}: the mean gradient over the batch's examples.
    """
    ### BEGIN SOLUTION
    idx = rng.choice(X.shape[1], size=batch_size, replace=False)
    return mlp_gradients(params, X[:, idx], Y[:, idx], activations, loss)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "minibatch_gradient_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does minibatch_gradient return a gradient of the right shape for every parameter?"""
check_exercise("05_deep_networks.minibatch_gradient", minibatch_gradient, part="shape")

# %% nbgrader={"grade": true, "grade_id": "minibatch_gradient_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Is it the gradient on the right batch, on the worked example and on fresh inputs?"""
check_exercise("05_deep_networks.minibatch_gradient", minibatch_gradient, part="values")
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.minibatch_gradient", minibatch_gradient, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Real data: handwritten 3s and 8s
#
# From here on we work with 8x8 images of handwritten digits (scikit-learn's copy of the UCI
# data set, nothing is downloaded): each image is a column of 64 pixel values in $[0, 1]$, and
# the task is to tell a 3 (label 0) from an 8 (label 1). A quarter of the images is held out
# for testing. `init_network` draws weights with standard deviation $1/\sqrt{n_{j-1}}$, which
# keeps every $Z_j$ of order one at the start, and zero biases.

# %%
def init_network(layer_sizes, seed=0):
    """Seeded initial parameters: W_j ~ N(0, 1/n_{j-1}), b_j = 0."""
    rng = np.random.default_rng(seed)
    params = {}
    for j in range(1, len(layer_sizes)):
        params[f"W{j}"] = rng.normal(size=(layer_sizes[j], layer_sizes[j - 1])) \
            / np.sqrt(layer_sizes[j - 1])
        params[f"b{j}"] = np.zeros((layer_sizes[j], 1))
    return params


X_digits, digit_labels = load_digits(digits=(3, 8))
Y_digits = (digit_labels == 8).astype(float).reshape(1, -1)
X_train, Y_train, X_test, Y_test = train_test_split_columns(X_digits, Y_digits,
                                                           test_fraction=0.25, seed=0)
n_train = X_train.shape[1]
digit_layers, digit_activations = [64, 16, 1], ["tanh", "sigmoid"]
print("train:", X_train.shape, " test:", X_test.shape)

# %% [markdown]
# **Checked worked cell (seed item: the mini-batch gradient is an unbiased estimate).** At the
# initial parameters, one batch of 8 gives a gradient far from the full one, but the average of
# 2000 independent batches lands close to it, and ever closer as more batches are averaged.

# %%
def flatten(grads):
    return np.concatenate([np.ravel(grads[k]) for k in sorted(grads)])


params_0 = init_network(digit_layers, seed=0)
full_gradient = flatten(mlp_gradients(params_0, X_train, Y_train, digit_activations, "bce"))
unbiased_rng = np.random.default_rng(1)
draws = np.array([flatten(minibatch_gradient(params_0, X_train, Y_train, digit_activations,
                                             "bce", 8, unbiased_rng))
                  for _ in range(2000)])


def relative_distance(g):
    return np.linalg.norm(g - full_gradient) / np.linalg.norm(full_gradient)


single, averaged = relative_distance(draws[0]), relative_distance(draws.mean(axis=0))
print(f"one batch of 8:          relative distance to the full gradient {single:.3f}")
print(f"mean of 2000 batches:    relative distance to the full gradient {averaged:.3f}")
assert averaged < 0.1 < 0.3 < single

# %% [markdown]
# ### Noise and batch size
#
# The batch gradient is right on average but noisy, and the noise shrinks as the batch grows.
# If $s^2$ is the variance of the per-example gradients (summed over all parameters), the
# expected squared distance of a batch mean from the full mean is
#
# $$\mathbb E\,\lVert\hat g - \nabla\hat{\mathcal R}\rVert^2
# = \frac{s^2}{b}\Bigl(1 - \frac bn\Bigr),$$
#
# the familiar $1/b$ of averaging $b$ samples, with a correction that reaches 0 at $b = n$
# (the whole data set has no sampling noise). Measured below over 200 batches per size.

# %%
per_example_flat = np.array([
    flatten(mlp_gradients(params_0, X_train[:, [i]], Y_train[:, [i]], digit_activations, "bce"))
    for i in range(X_train.shape[1])])
s2 = per_example_flat.var(axis=0, ddof=1).sum()
batch_sizes = [1, 2, 4, 8, 16, 32, 64, 128]
measured, predicted = [], []
noise_rng = np.random.default_rng(2)
for b in batch_sizes:
    squared = [np.sum((flatten(minibatch_gradient(params_0, X_train, Y_train, digit_activations,
                                                  "bce", b, noise_rng)) - full_gradient) ** 2)
               for _ in range(200)]
    measured.append(np.mean(squared))
    predicted.append(s2 / b * (1 - b / n_train))
ratios = np.array(measured) / np.array(predicted)
print("measured / predicted:", ratios.round(2))
assert np.all((0.7 < ratios) & (ratios < 1.4))

fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.loglog(batch_sizes, measured, "o", label="measured (200 batches)")
ax.loglog(batch_sizes, predicted, "-", label=r"$s^2/b\,(1 - b/n)$")
ax.set_xlabel("batch size b")
ax.set_ylabel(r"mean $\|\hat g - \nabla R\|^2$")
ax.legend()
plt.show()

# %% [markdown]
# ### Two slips in the notes
#
# The source notes write the univariate backward pass with
# $\frac{\partial F_L}{\partial b_i} = J_L W_L J_{L-1} W_{L-1}\cdots J_j$ on the last line,
# and the mini-batch expectation as
# $\mathbb E\bigl[\frac1b\sum_i\nabla_\theta\ell(y_i', F(x_i,\theta^t))\bigr]
# = \nabla_\theta\hat{\mathcal R}(\theta^t)$.
#
# **Demonstration.** Taken literally, the second formula evaluates the network on the first
# $b$ inputs $x_1,\dots,x_b$ of the data set while drawing the targets $y_i'$ at random. The
# cell below averages that estimator over 2000 draws, next to the correct one.

# %%
slip_rng = np.random.default_rng(3)
literal = []
for _ in range(2000):
    idx = slip_rng.choice(n_train, size=8, replace=False)
    literal.append(flatten(mlp_gradients(params_0, X_train[:, :8], Y_train[:, idx],
                                         digit_activations, "bce")))
literal_distance = relative_distance(np.mean(literal, axis=0))
print(f"mean of 2000 correct batch gradients: distance {averaged:.3f}")
print(f"mean of 2000 'literal' gradients:     distance {literal_distance:.3f}")
assert literal_distance > 0.5 > averaged

# %% [markdown]
# ### Written question (2 points): the two slips
#
# 1. In $\frac{\partial F_L}{\partial b_i} = J_L W_L \cdots J_j$, which index should the left
#    side carry, and how do you know?
# 2. What should the expectation formula say instead, and what does the demonstration above
#    show about the literal version? Why can it not be unbiased?
#
# Answer in the cell below.

# %% [markdown] nbgrader={"grade": true, "grade_id": "slips_s6", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.**
#
# 1. It should be $\partial F_L/\partial b_j$. The right side ends with $J_j$, the slope of
#    layer $j$, and it is the companion of $\partial F_L/\partial W_j = J_L W_L\cdots J_j
#    F_{j-1}$ one line above: $b_j$ enters $Z_j = W_jF_{j-1} + b_j$ with derivative 1 where
#    $W_j$ has $F_{j-1}$. There is no $i$ in that formula at all ($i$ numbers examples).
# 2. It should read
#    $\mathbb E\bigl[\frac1b\sum_{i=1}^b\nabla_\theta\ell(y_i', F(x_i',\theta^t))\bigr]
#    = \nabla_\theta\hat{\mathcal R}(\theta^t)$: each input $x_i'$ comes from the batch,
#    paired with its own target $y_i'$. The literal version always evaluates the network at
#    the same $b$ fixed inputs with random targets, so its expectation is the gradient of a
#    different function (those $b$ inputs with averaged targets), not of $\hat{\mathcal R}$:
#    the demonstration's average stays far from the full gradient no matter how many draws are
#    averaged, while the correct estimator's average converges to it.
#
# === BEGIN MARK SCHEME ===
# 2 points.
# - 1: $b_j$, with a reason (matches $J_j$ / the $W_j$ line; $b_j$ is layer $j$'s bias).
# - 1: $F(x_i', \theta^t)$ with the reason that inputs and targets must come from the same
#   sampled pairs; the literal version's mean is not the full gradient (biased), as shown.
# === END MARK SCHEME ===

# %% [markdown]
# ## Section 10, 'Mini-batch SGD and the batch size'
#
# Stochastic gradient descent takes a step $\theta \leftarrow \theta - \eta\,\hat g$ after each
# mini-batch. In practice the batches are not drawn independently: each **epoch** shuffles the
# data once and then cuts it into consecutive batches, so every example is used exactly once
# per epoch. Each batch is still a uniform random sample, so each step is still unbiased.
#
# The batch size $b$ is a hyperparameter, tuned like the learning rate. Per step, a batch
# costs work proportional to $b$ and gives noise proportional to $1/b$ (Section 9). Small
# batches take many cheap, noisy steps per epoch; large batches take few, accurate, expensive
# ones (and make better use of vectorised hardware).
#
# ### Exercise 7 (3 points): one epoch of mini-batch SGD
#
# Shuffle with exactly `order = rng.permutation(n)`, then take the batches
# `order[0:b]`, `order[b:2b]`, ...; the last one holds whatever is left, even if it is smaller
# than `b`. After each batch update every parameter, `W - lr * dW`. Return a new dict; do not
# change the arrays you were given.

# %% nbgrader={"grade": false, "grade_id": "sgd_epoch", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng):
    """One epoch of mini-batch stochastic gradient descent.

    Parameters
    ----------
    params : dict, as in mlp_forward (not modified)
    X : (n_0, n) ndarray
    Y : (n_L, n) ndarray
    activations : list of L str
    loss : "squared_error" or "bce"
    lr : float
        Learning rate.
    batch_size : int
    rng : numpy.random.Generator
        Shuffle with order = rng.permutation(n).

    Returns
    -------
    dict
        The parameters after ceil(n / batch_size) steps, same keys and shapes.
    """
    ### BEGIN SOLUTION
    n = X.shape[1]
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        batch = order[start:start + batch_size]
        grads = mlp_gradients(params, X[:, batch], Y[:, batch], activations, loss)
        params = {name: value - lr * grads["d" + name] for name, value in params.items()}
    return params
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "sgd_epoch_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does sgd_epoch return every parameter with its shape?"""
check_exercise("05_deep_networks.sgd_epoch", sgd_epoch, part="shape")

# %% nbgrader={"grade": true, "grade_id": "sgd_epoch_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are the parameters after one epoch right, on the worked example and on fresh inputs?"""
check_exercise("05_deep_networks.sgd_epoch", sgd_epoch, part="values")
### BEGIN HIDDEN TESTS
check_exercise("05_deep_networks.sgd_epoch", sgd_epoch, part="values",
               seeds=[501, 502, 503, 504], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Capstone, part 2: train your network on the digits
#
# `minibatch_sgd` repeats your `sgd_epoch` and records the training cost after each epoch.
# Train a 64-16-1 network (tanh hidden layer, sigmoid output, cross-entropy) with batches of
# 32, and look at the learning curve. This is a **checked worked cell**: it asserts that the
# cost falls and that the test accuracy beats 93%.

# %%
def minibatch_sgd(params, X, Y, activations, loss, lr, batch_size, n_epochs, seed=0):
    """Train with sgd_epoch; returns the parameters and the cost before and after each epoch."""
    rng = np.random.default_rng(seed)
    history = [mlp_cost(params, X, Y, activations, loss)]
    for _ in range(n_epochs):
        params = sgd_epoch(params, X, Y, activations, loss, lr, batch_size, rng)
        history.append(mlp_cost(params, X, Y, activations, loss))
    return params, np.array(history)


def accuracy(params, X, Y):
    """Fraction of examples whose thresholded output (> 0.5) matches the label."""
    output = mlp_forward(params, X, digit_activations)[0]
    return float(np.mean((output > 0.5) == (Y > 0.5)))


trained, history = minibatch_sgd(init_network(digit_layers, seed=0), X_train, Y_train,
                                 digit_activations, "bce", lr=0.5, batch_size=32, n_epochs=30)
test_cost = mlp_cost(trained, X_test, Y_test, digit_activations, "bce")
train_accuracy, test_accuracy = accuracy(trained, X_train, Y_train), \
    accuracy(trained, X_test, Y_test)
print(f"training cost {history[0]:.3f} -> {history[-1]:.4f}; test cost {test_cost:.4f}")
print(f"accuracy: train {train_accuracy:.3f}, test {test_accuracy:.3f}")

fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.semilogy(history, "o-", markersize=3)
ax.set_xlabel("epoch")
ax.set_ylabel("training cost (cross-entropy)")
ax.set_title("64-16-1 network, 3 vs 8, batches of 32")
plt.show()

# Checked: trained by your backprop and your SGD, the network should classify held-out 3s and
# 8s far better than guessing (about 50%).
assert history[-1] < history[0] / 10, "the training cost should fall by a factor of 10"
assert test_accuracy > 0.93, f"test accuracy {test_accuracy:.3f} is too low"
print("Capstone passed: test accuracy", round(test_accuracy, 3))

# %% [markdown]
# **Checked worked cell (seed item: batch size is a hyperparameter).** Five epochs, the same
# learning rate, three batch sizes. With $b = n$ (plain gradient descent) an epoch is one
# accurate step; with $b = 1$ it is $n$ cheap steps so noisy that the cost jumps around; a
# moderate batch gets most of the speed with little of the noise.

# %%
curves = {}
for b in (1, 16, n_train):
    curves[b] = minibatch_sgd(init_network(digit_layers, seed=0), X_train, Y_train,
                              digit_activations, "bce", lr=0.5, batch_size=b, n_epochs=5)[1]
final_costs = {b: float(curve[-1]) for b, curve in curves.items()}

fig, ax = plt.subplots(figsize=(5.5, 3.5))
for b, curve in curves.items():
    steps = int(np.ceil(n_train / b))
    ax.semilogy(curve, "o-", label=f"b = {b} ({steps} steps per epoch)")
ax.set_xlabel("epoch (every example seen once)")
ax.set_ylabel("training cost")
ax.legend()
plt.show()
print({b: round(c, 4) for b, c in final_costs.items()})
assert final_costs[16] < final_costs[n_train]

# %% [markdown]
# ## Summary
#
# * The cost is an average of per-example losses, so its gradient is the average of
#   per-example gradients; with examples as columns, matrix products compute that mean.
# * The loss can be absorbed as the network's last "activation": differentiating a loss is
#   differentiating a network with a scalar output.
# * The chain rule through $L$ layers is a product of Jacobians,
#   $\partial F_L/\partial W_j = (J_LW_L\cdots J_j)^\top F_{j-1}^\top$; coordinatewise
#   activations have diagonal Jacobians, so the product becomes the delta recursion
#   $\delta_{j-1} = (W_j^\top\delta_j)\odot\sigma'(Z_{j-1})$, at $O(V+E)$ cost.
# * A mini-batch gradient is an unbiased, noisy estimate of the full gradient (inputs paired
#   with their own targets); its variance falls like $1/b$, and $b$ is tuned like the learning
#   rate.
