# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 6: Mini-batch SGD, batch size, and a digit classifier
#
# **Points:** 6 autograded + 2 written = 8 in total.
#
# Lesson 5 computed the exact gradient of the empirical risk by backpropagation, over all $n$
# training examples at once. This lesson asks how much of that work one step of training
# really needs. The answer is: very little. The gradient on a small random **mini-batch** is
# right on average, and much cheaper; stochastic gradient descent takes one step per
# mini-batch. At the end you train a network on real handwritten digits.
#
# | Section | What you do | Points |
# |---|---|---|
# | 1. Mini-batches: an unbiased, noisy gradient | `minibatch_gradient`, two slips in a source document | 3 + 2 written |
# | 2. Mini-batch SGD and the batch size | `sgd_epoch`, training on digits | 3 |
#
# Each exercise has a grade cell for types and shapes and one for values; the values cell also
# runs hidden tests on fresh random inputs. Cells marked **checked worked cell** compute
# something and `assert` it: if one fails after you wrote an exercise, your exercise is the
# place to look.
#
# ### Shapes used in this lesson
#
# The same as in lesson 5: examples are **columns**, a batch cost is the **mean** of the
# per-example losses, and a network with layer sizes $[n_0, \dots, n_L]$ has weights $W_j$ of
# shape `(n_j, n_{j-1})` and bias columns $b_j$ of shape `(n_j, 1)`, stored as
# `params["Wj"]`, `params["bj"]`; gradients `grads["dWj"]`, `grads["dbj"]` have the shapes
# of the parameters. Inputs $X$ are `(n_0, n)`, targets $Y$ are `(n_L, n)`.

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import get_activation
from autograder.checks import check_exercise
from autograder.datasets import load_digits, train_test_split_columns
from autograder.losses import bce_with_logits, squared_error

# %% [markdown]
# ### What lesson 5 built, given
#
# The forward pass, the cost and backpropagation of lesson 5, in one compact form. They are
# given so that this lesson does not depend on your lesson 5 answers; read them as a summary
# of what you built there (the backward loop is lesson 5's delta recursion).

# %%
def mlp_forward(params, X, activations):
    """Forward pass: output F_L (n_L, n) and the cache {"F0", "Zj", "Fj", "Jj"} (each (n_j, n))."""
    cache = {"F0": X}
    for j, name in enumerate(activations, start=1):
        act = get_activation(name)
        cache[f"Z{j}"] = params[f"W{j}"] @ cache[f"F{j - 1}"] + params[f"b{j}"]
        cache[f"F{j}"], cache[f"J{j}"] = act.f(cache[f"Z{j}"]), act.df(cache[f"Z{j}"])
    return cache[f"F{len(activations)}"], cache


def mlp_cost(params, X, Y, activations, loss):
    """Empirical risk: the mean over the columns of the per-example loss ("squared_error" or
    "bce"; bce is computed from the logit Z_L, stable for any size of Z_L)."""
    output, cache = mlp_forward(params, X, activations)
    if loss == "bce":
        return float(np.mean(bce_with_logits(cache[f"Z{len(activations)}"], Y)))
    return float(np.mean(squared_error(output, Y)))


def mlp_gradients(params, X, Y, activations, loss):
    """The gradient of mlp_cost at params by backpropagation: {"dW1": (n_1, n_0), "db1", ...}."""
    L = len(activations)
    _, cache = mlp_forward(params, X, activations)
    n = X.shape[1]
    # dl/dZ_L per example: the sigmoid's slope cancels in the cross-entropy
    Delta = cache[f"F{L}"] - Y if loss == "bce" else (cache[f"F{L}"] - Y) * cache[f"J{L}"]
    grads = {}
    for j in range(L, 0, -1):
        grads[f"dW{j}"] = (Delta @ cache[f"F{j - 1}"].T) / n
        grads[f"db{j}"] = Delta.sum(axis=1, keepdims=True) / n
        if j > 1:
            Delta = cache[f"J{j - 1}"] * (params[f"W{j}"].T @ Delta)
    return grads


# ## Section 1, 'Mini-batches: an unbiased, noisy gradient'
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
# ### Exercise 1 (3 points): the mini-batch gradient
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
check_exercise("06_minibatch_sgd.minibatch_gradient", minibatch_gradient, part="shape")

# %% nbgrader={"grade": true, "grade_id": "minibatch_gradient_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Is it the gradient on the right batch, on the worked example and on fresh inputs?"""
check_exercise("06_minibatch_sgd.minibatch_gradient", minibatch_gradient, part="values")
### BEGIN HIDDEN TESTS
check_exercise("06_minibatch_sgd.minibatch_gradient", minibatch_gradient, part="values",
               seeds=[601, 602, 603, 604], hidden=True)
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


def flatten(grads):
    """All gradients of a dict as one vector (keys in sorted order)."""
    return np.concatenate([np.ravel(grads[k]) for k in sorted(grads)])


# The full gradient at the initial parameters, the target every estimate below aims at.
params_0 = init_network(digit_layers, seed=0)
full_gradient = flatten(mlp_gradients(params_0, X_train, Y_train, digit_activations, "bce"))


def relative_distance(g):
    """||g - full gradient|| / ||full gradient||."""
    return np.linalg.norm(g - full_gradient) / np.linalg.norm(full_gradient)

# %% [markdown]
# **Checked worked cell (seed item: the mini-batch gradient is an unbiased estimate).** At the
# initial parameters, one batch of 8 gives a gradient far from the full one, but the average of
# 2000 independent batches lands close to it, and ever closer as more batches are averaged.

# %%
unbiased_rng = np.random.default_rng(1)
draws = np.array([flatten(minibatch_gradient(params_0, X_train, Y_train, digit_activations,
                                             "bce", 8, unbiased_rng))
                  for _ in range(2000)])
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
# The same draws feed both estimators, so only the pairing differs.
slip_rng = np.random.default_rng(3)
literal, paired = [], []
for _ in range(2000):
    idx = slip_rng.choice(n_train, size=8, replace=False)
    literal.append(flatten(mlp_gradients(params_0, X_train[:, :8], Y_train[:, idx],
                                         digit_activations, "bce")))
    paired.append(flatten(mlp_gradients(params_0, X_train[:, idx], Y_train[:, idx],
                                        digit_activations, "bce")))
literal_distance = relative_distance(np.mean(literal, axis=0))
paired_distance = relative_distance(np.mean(paired, axis=0))
print(f"mean of 2000 correct batch gradients: distance {paired_distance:.3f}")
print(f"mean of 2000 'literal' gradients:     distance {literal_distance:.3f}")
assert literal_distance > 0.5 > 0.1 > paired_distance

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
# ## Section 2, 'Mini-batch SGD and the batch size'
#
# Stochastic gradient descent takes a step $\theta \leftarrow \theta - \eta\,\hat g$ after each
# mini-batch. In practice the batches are not drawn independently: each **epoch** shuffles the
# data once and then cuts it into consecutive batches, so every example is used exactly once
# per epoch. Each batch is still a uniform random sample, so each step is still unbiased.
#
# The batch size $b$ is a hyperparameter, tuned like the learning rate. Per step, a batch
# costs work proportional to $b$ and gives noise proportional to $1/b$ (Section 1). Small
# batches take many cheap, noisy steps per epoch; large batches take few, accurate, expensive
# ones (and make better use of vectorised hardware).
#
# ### Exercise 2 (3 points): one epoch of mini-batch SGD
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
check_exercise("06_minibatch_sgd.sgd_epoch", sgd_epoch, part="shape")

# %% nbgrader={"grade": true, "grade_id": "sgd_epoch_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are the parameters after one epoch right, on the worked example and on fresh inputs?"""
check_exercise("06_minibatch_sgd.sgd_epoch", sgd_epoch, part="values")
### BEGIN HIDDEN TESTS
check_exercise("06_minibatch_sgd.sgd_epoch", sgd_epoch, part="values",
               seeds=[601, 602, 603, 604], hidden=True)
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

# %% [markdown]
# ## Summary
#
# * A mini-batch gradient is an unbiased, noisy estimate of the full gradient (inputs paired
#   with their own targets); its variance falls like $1/B$, and $B$ is tuned like the learning
#   rate.
