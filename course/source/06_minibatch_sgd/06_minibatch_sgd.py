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
# **Points:** 6 autograded + 4 written = 10 in total. **Time:** about 3.5 hours.
#
# **After this lesson you can**
#
# * prove that a mini-batch gradient is an unbiased estimate of the full gradient, and say
#   what "unbiased" does and does not mean when the data are reshuffled every epoch;
# * predict how the noise of that estimate shrinks with the batch size $B$ (its variance like
#   $1/B$, its size like $1/\sqrt B$), and measure it;
# * implement mini-batch SGD and train a digit classifier with it;
# * explain why training a network can end in different minima from different starts (its
#   loss is not convex);
# * explain why backpropagation costs about as much as a forward pass, $O(V + E)$, and why the
#   gradients of a deep sigmoid network vanish;
# * check a backward pass against a reverse-mode automatic-differentiation engine.
#
# **Source.** This lesson follows the second half of *CSCI 5525 Machine Learning, Lecture 10: Neural Networks (Part 2)*
# (Fall 2019; "Lecture 10" below). Lecture 10 writes $b$ for the batch size; this course
# writes $B$, because $b_j$ is a bias. The other letters are lesson 5's, whose crosswalk to the
# course table applies here ($F_j$ activations, $n$ examples, $\hat{\mathcal R}$ the cost,
# $D_j$ the Jacobian of layer $j$).
#
# Lesson 5 computed the exact gradient of the empirical risk by backpropagation, over all $n$
# training examples at once. This lesson asks how much of that work one step of training
# really needs. The answer is: very little. The gradient on a small random **mini-batch** is
# right on average, and much cheaper; stochastic gradient descent takes one step per
# mini-batch. At the end you train a network on real handwritten digits.
#
# | Section | What you do | Points |
# |---|---|---|
# | 1. Mini-batches: an unbiased, noisy gradient | derive unbiasedness; `minibatch_gradient`; a slip in Lecture 10 | 2 written + 3 + 2 written |
# | 2. Mini-batch SGD and the batch size | `sgd_epoch`, training on digits | 3 |
# | 3. The cost of a network is not convex | two starts, two minima (a checked worked cell) | 0 |
# | 4. What one gradient costs: O(V + E) | read; a checked worked cell | 0 |
# | 5. Saturation: why deep sigmoid networks learn slowly | predict, then measure | 0 |
# | 6. Frameworks do this for you: automatic differentiation | compare backprop with an autodiff engine | 0 |
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
from autograder.pictures import deep_network_picture

deep_network_picture((64, 16, 1), activations=["tanh", "sigmoid"], input_name="pixels",
                     what="The digit network of Section 2: an 8x8 image in, 16 tanh units, "
                          "one sigmoid output, the probability that the digit is an 8.")

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import get_activation
from autograder.checks import check_exercise
from autograder.datasets import load_digits, train_test_split_columns

# %% [markdown]
# ### The network, given: its cost, and gradients by automatic differentiation
#
# This lesson trains the networks of lesson 5, so it needs their cost and its gradient. Both
# are given below, and they show none of lesson 5's backpropagation code: the cost is written
# once, on the nodes of `autograder.autodiff`, and `mlp_gradients` asks that module for the
# gradient. The module does **reverse-mode automatic differentiation** on whole arrays: every
# operation (`@`, `+`, `*`, an activation) records how to send a gradient back to its inputs,
# and the chain rule does the rest. Section 6 builds the same idea on single numbers and
# checks it against backpropagation. It gives the numbers your lesson 5 `mlp_backward` gives;
# to train with your own backpropagation instead, put your `mlp_backward` where
# `mlp_gradients` is called.

# %%
from autograder.autodiff import activation, gradients, softplus, total


def mlp_output(params, X, activations):
    """The logit Z_L and the output F_L, each (n_L, n): autodiff nodes (their arrays: .value)."""
    F = X
    for j, name in enumerate(activations, start=1):
        Z = params[f"W{j}"] @ F + params[f"b{j}"]
        F = activation(name, Z)
    return Z, F


def mlp_forward(params, X, activations):
    """The network's output F_L (n_L, n) and its logit Z_L (n_L, n), as arrays."""
    Z, F = mlp_output(params, X, activations)
    return F.value, Z.value


def cost_node(params, X, Y, activations, loss):
    """The empirical risk as an autodiff node: the mean over the columns of the per-example
    loss ("squared_error" or "bce"; bce is written in the logit Z_L, stable for any Z_L)."""
    Z, F = mlp_output(params, X, activations)
    per_entry = softplus(Z) - Y * Z if loss == "bce" else 0.5 * (F - Y) * (F - Y)
    return total(per_entry) * (1.0 / X.shape[1])


def mlp_cost(params, X, Y, activations, loss):
    """The empirical risk, a float."""
    return float(cost_node(params, X, Y, activations, loss).value)


def mlp_gradients(params, X, Y, activations, loss):
    """The gradient of mlp_cost at params, by automatic differentiation: {"dW1": (n_1, n_0),
    "db1": (n_1, 1), ...}."""
    return gradients(lambda nodes: cost_node(nodes, X, Y, activations, loss), params)


# %% [markdown]
# ## Section 1, 'Mini-batches: an unbiased, noisy gradient'
#
# One gradient of $\hat{\mathcal R}$ needs a forward and a backward pass over **all** $n$
# examples. For a large data set that is a lot of work for one small step. Instead, draw a
# **mini-batch** of $B$ examples $\{(x_i', y_i')\}_{i=1}^B$ uniformly at random (without
# replacement) and use the gradient of the mean loss on that batch:
#
# $$\hat g = \frac1B\sum_{i=1}^{B}\nabla_\theta\,\ell\bigl(y_i', F(x_i', \theta)\bigr).$$
#
# Write $g_k = \nabla_\theta\ell(y_k, F(x_k,\theta))$ for the gradient of example $k$ of the
# data set, so that $\nabla_\theta\hat{\mathcal R}(\theta) = \frac1n\sum_{k=1}^n g_k$.
#
# ### Written derivation (2 points): is the mini-batch gradient right on average?
#
# 1. Show that $\mathbb E[\hat g] = \nabla_\theta\hat{\mathcal R}(\theta)$ when the batch is
#    drawn uniformly without replacement. (Hint: write $\hat g$ as a sum over **all** $n$
#    examples with indicator variables, "is example $k$ in the batch?", and find the
#    probability of each.)
# 2. Does the proof need the batch to be drawn without replacement? What would change with
#    replacement?
#
# Answer in the cell below.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_unbiased", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.**
#
# 1. Let $I_k = 1$ if example $k$ is in the batch and 0 otherwise. Then
#    $\hat g = \frac1B\sum_{k=1}^n I_k\,g_k$, and by linearity of expectation
#    $\mathbb E[\hat g] = \frac1B\sum_k \Pr(I_k = 1)\,g_k$. A uniform batch of $B$ out of $n$
#    contains each example with the same probability, and the $B$ places are shared among $n$
#    examples, so $\Pr(I_k = 1) = B/n$. Hence
#    $\mathbb E[\hat g] = \frac1B\cdot\frac Bn\sum_k g_k = \frac1n\sum_k g_k
#    = \nabla_\theta\hat{\mathcal R}(\theta)$.
# 2. No: with replacement each of the $B$ draws is a uniform example, so each term has
#    expectation $\frac1n\sum_k g_k$ and so does their mean. What changes is the noise: an
#    example can appear twice, and with $\sigma^2 = \frac1n\sum_k\lVert g_k - \bar g\rVert^2$
#    the expected squared error is $\sigma^2/B$ with replacement but only
#    $\frac{\sigma^2}{B}\cdot\frac{n-B}{n-1}$ without (the finite-population factor). (The
#    exercise asks for draws without replacement so that the grader can replay your batch.)
#
# === BEGIN MARK SCHEME ===
# 2 points.
# - 1: indicators (or an equivalent counting argument), $\Pr = B/n$ with a reason, linearity
#   of expectation, the result.
# - 1: unbiased either way, with a reason; the difference is in the variance (a repeated
#   example), not in the mean.
# === END MARK SCHEME ===

# %% [markdown]
# ### Exercise 1 (3 points): the mini-batch gradient
#
# The function returns the mean gradient over one random batch of `batch_size` examples. The
# batch must be drawn by one call `rng.choice(n, size=batch_size, replace=False)` (the
# grader, holding a copy of the same generator, replays that call to know your batch);
# `mlp_gradients` above computes a mean gradient over whatever columns it is given.

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
        The batch size B.
    rng : numpy.random.Generator
        The source of the batch: one call rng.choice(n, size=batch_size, replace=False).

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
# **Checked worked cell (from Lecture 10: the mini-batch gradient is an unbiased estimate).** At the
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
# Let $\bar g = \nabla\hat{\mathcal R}$ and let
#
# $$s^2 = \frac{1}{n-1}\sum_{k=1}^n \lVert g_k - \bar g\rVert^2$$
#
# be the variance of the per-example gradients, with the $n - 1$ of the sample variance
# (`var(ddof=1)` in the cell below), summed over all parameters. For a batch of $B$ drawn
# without replacement the expected squared distance of a batch mean from the full mean is,
# **exactly**,
#
# $$\mathbb E\,\lVert\hat g - \bar g\rVert^2 = \frac{s^2}{B}\Bigl(1 - \frac Bn\Bigr).$$
#
# (With the $1/n$ variance instead, the factor would read $\frac{n}{n-1}(1 - \frac Bn)$: the
# formula is exact only with the $n - 1$.) So the **variance** falls like $1/B$, with a
# correction that reaches 0 at $B = n$ (the whole data set has no sampling noise), and the
# typical **size** of the error, its square root, falls only like $1/\sqrt B$: four times the
# batch, half the noise, *while $B$ is small next to $n$*.
#
# **Predict before you run.** Here $n = 268$. From $B = 8$ to $B = 128$, by what factor should
# the measured mean squared distance fall (do not forget the correction)? And the distance
# itself? Then check against the cell, which measures 200 batches per size.
#
# <details><summary>Check your prediction (after you have written it down)</summary>
#
# Near $B = n$ the correction takes over: from $B = 8$ to $B = 128$ the factor $1 - B/n$ alone
# falls from 0.97 to 0.52, so the variance falls by about $16 \times 0.97/0.52 \approx 30$,
# not 16, and the distance by about $\sqrt{30} \approx 5.5$.
#
# </details>

# %%
per_example_flat = np.array([
    flatten(mlp_gradients(params_0, X_train[:, [i]], Y_train[:, [i]], digit_activations, "bce"))
    for i in range(X_train.shape[1])])
s2 = per_example_flat.var(axis=0, ddof=1).sum()
batch_sizes = [1, 2, 4, 8, 16, 32, 64, 128]
measured, predicted = [], []
noise_rng = np.random.default_rng(2)
for B in batch_sizes:
    squared = [np.sum((flatten(minibatch_gradient(params_0, X_train, Y_train, digit_activations,
                                                  "bce", B, noise_rng)) - full_gradient) ** 2)
               for _ in range(200)]
    measured.append(np.mean(squared))
    predicted.append(s2 / B * (1 - B / n_train))
ratios = np.array(measured) / np.array(predicted)
print("measured / predicted:", ratios.round(2))
assert np.all((0.7 < ratios) & (ratios < 1.4))

fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.loglog(batch_sizes, measured, "o", label="measured (200 batches)")
ax.loglog(batch_sizes, predicted, "-", label=r"$s^2/B\,(1 - B/n)$")
ax.set_xlabel("batch size B")
ax.set_ylabel(r"mean $\|\hat g - \nabla R\|^2$")
ax.legend()
plt.show()

# %% [markdown]
# ### A slip in Lecture 10's expectation formula
#
# *CSCI 5525 Machine Learning, Lecture 10: Neural Networks (Part 2)* writes the mini-batch expectation as
# $\mathbb E\bigl[\frac1b\sum_i\nabla_\theta\ell(y_i', F(x_i,\theta^t))\bigr]
# = \nabla_\theta\hat{\mathcal R}(\theta^t)$ (its $b$ is our $B$; its other slip, a $b_i$
# that should be $b_j$, was lesson 5's Section 4).
#
# **Demonstration.** Taken literally, the formula evaluates the network on the first
# $B$ inputs $x_1,\dots,x_B$ of the data set while drawing the targets $y_i'$ at random. The
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
# ### Written question (2 points): the slip
#
# 1. What should the expectation formula say instead?
# 2. What does the demonstration above show about the literal version, and why can it not be
#    unbiased, however many draws are averaged?
#
# Answer in the cell below.

# %% [markdown] nbgrader={"grade": true, "grade_id": "slips_s6", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.**
#
# 1. It should read
#    $\mathbb E\bigl[\frac1B\sum_{i=1}^B\nabla_\theta\ell(y_i', F(x_i',\theta^t))\bigr]
#    = \nabla_\theta\hat{\mathcal R}(\theta^t)$: each input $x_i'$ comes from the batch,
#    paired with its own target $y_i'$.
# 2. The literal version always evaluates the network at the same $B$ fixed inputs with random
#    targets, so its expectation is the gradient of a different function (those $B$ inputs,
#    each with the average target), not of $\hat{\mathcal R}$: the other $n - B$ inputs never
#    enter at all. The demonstration's average stays far from the full gradient however many
#    draws are averaged (the bias does not average away), while the correct estimator's
#    average converges to it.
#
# === BEGIN MARK SCHEME ===
# 2 points.
# - 1: $F(x_i', \theta^t)$: inputs and targets from the same sampled pairs.
# - 1: the literal version's mean is the gradient of another function (fixed inputs, averaged
#   targets), so it is biased, as the demonstration shows; averaging more draws removes noise,
#   not bias.
# === END MARK SCHEME ===

# %% [markdown]
# ## Section 2, 'Mini-batch SGD and the batch size'
#
# Stochastic gradient descent takes a step $\theta \leftarrow \theta - \eta\,\hat g$ after each
# mini-batch. In practice the batches are not drawn independently: each **epoch** shuffles the
# data once and then cuts it into consecutive batches, so every example is used exactly once
# per epoch. Is each step still unbiased? Only in a narrow sense. Each batch on its own is a
# uniform sample of $B$ examples (every position of a random permutation is equally likely to
# hold any example), so for any parameters $\theta$ **fixed in advance**, the batch gradient at
# $\theta$ has expectation $\nabla\hat{\mathcal R}(\theta)$. The iterate $\theta_k$ at which
# step $k$ actually evaluates it is not fixed in advance: it was fitted to the epoch's earlier
# batches, which tells us which examples batch $k$ cannot contain, so at $\theta_k$ the step
# is biased, even averaged over the shuffle. Two ways to see the dependence: the second batch
# is drawn from the examples the first one did not use, so its conditional expectation is the
# mean gradient over those remaining examples, not over all $n$; and the last batch of an
# epoch is entirely determined by the others. Over a whole epoch the dependence works in our
# favour: every example counts exactly once.
#
# The batch size $B$ is a hyperparameter, tuned like the learning rate. Per step, a batch
# costs work proportional to $B$, and the variance of its gradient falls like $1/B$, its size
# like $1/\sqrt B$ (Section 1). Small batches take many cheap, noisy steps per epoch; large
# batches take few, accurate, expensive ones (and make better use of vectorised hardware).
#
# ### Exercise 2 (3 points): one epoch of mini-batch SGD
#
# One epoch visits the examples in the order of one call `rng.permutation(n)` (the grader
# replays that call), in consecutive batches of `batch_size`; when `batch_size` does not
# divide $n$ the last batch is smaller, and it still counts. Each batch gives one SGD step
# $\theta \leftarrow \theta - \eta\,\hat g$ on every parameter. Return a new dict; do not
# change the arrays you were given.
#
# **Predict before you code.** The digits of Section 1 have $n = 268$ training images. With
# $B = 32$, how many steps does one epoch take, and how many images are in its last batch? In
# that last batch, does one image move the parameters more or less than an image of a full
# batch does?

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
        The batch size B, 1 <= B <= n.
    rng : numpy.random.Generator
        The source of the epoch's order: one call rng.permutation(n).

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
# 32. This is a **checked worked cell**: it asserts that the cost falls and that the test
# accuracy beats 93%. The cell after it draws what the network learned.

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

# Checked: trained by your backprop and your SGD, the network should classify held-out 3s and
# 8s far better than guessing (about 50%).
assert history[-1] < history[0] / 10, "the training cost should fall by a factor of 10"
assert test_accuracy > 0.93, f"test accuracy {test_accuracy:.3f} is too low"
print("Capstone passed: test accuracy", round(test_accuracy, 3))

# %%
# Your sgd_epoch trains the same network once more (same start, same seed: it ends at `trained`),
# recording the cost on the test digits too. Then: the weights into each hidden unit, drawn as
# the 8x8 image they are matched against, and the test digits the network still gets wrong.
from autograder.pictures.lessons import digit_training_pictures

digit_training_pictures(sgd_epoch, mlp_forward, mlp_cost, init_network(digit_layers, seed=0),
                        (X_train, Y_train, X_test, Y_test), digit_activations,
                        lr=0.5, batch_size=32, n_epochs=30, names={0: "3", 1: "8"})

# %% [markdown]
# **Checked worked cell (from Lecture 10: batch size is a hyperparameter).** Five epochs, the same
# learning rate, three batch sizes. With $B = n$ (plain gradient descent) an epoch is one
# accurate step; with $B = 1$ it is $n$ cheap steps so noisy that the cost jumps around; a
# moderate batch gets most of the speed with little of the noise.
#
# **Read this comparison with care.** The learning rate is held fixed at 0.5 for every $B$, so
# the plot confounds two things: the batch size and the amount of movement per epoch ($B = n$
# takes one step of size $\eta$ per epoch, $B = 16$ takes $\lceil n/16\rceil$ of them). A fair
# comparison tunes $\eta$ separately for each $B$ (a common starting point is to scale it with
# $B$, up to the point where the steps become unstable) and compares the best runs, or compares
# at equal computation. What the cell does show, at this rate, is both ends losing: per epoch
# the moderate batch ends far below the full batch, while $B = 1$, whose steps are as large
# but far noisier, ends no better than the full batch. Before you run it, predict the order of
# the three final costs.

# %%
curves = {}
for B in (1, 16, n_train):
    curves[B] = minibatch_sgd(init_network(digit_layers, seed=0), X_train, Y_train,
                              digit_activations, "bce", lr=0.5, batch_size=B, n_epochs=5)[1]
final_costs = {B: float(curve[-1]) for B, curve in curves.items()}

fig, ax = plt.subplots(figsize=(5.5, 3.5))
for B, curve in curves.items():
    steps = int(np.ceil(n_train / B))
    ax.semilogy(curve, "o-", label=f"B = {B} ({steps} step{'s' * (steps > 1)} per epoch)")
ax.set_xlabel("epoch (every example seen once)")
ax.set_ylabel("training cost")
ax.legend()
plt.show()
print({B: round(c, 4) for B, c in final_costs.items()})
assert final_costs[16] < final_costs[n_train]
assert final_costs[16] < final_costs[1]   # the moderate batch beats both ends

# %% [markdown]
# ## Section 3, 'The cost of a network is not convex'
#
# *CSCI 5525 Machine Learning, Lecture 10: Neural Networks (Part 2)* says it in passing: we use gradient descent on the empirical risk "even
# though the loss function is non-convex". For logistic regression (lesson 3) the cost is
# convex: every local minimum is global, and gradient descent with a small enough learning rate
# finds it from any start (when a minimum exists: on separable data the cost only tends to 0).
# For a network with a hidden layer that guarantee is gone, and a reason is easy to see:
# **swapping two hidden units** (their rows of $W_1$ and $b_1$, their columns of $W_2$) changes the
# parameters but not the function the network computes, so every minimum has a twin with the
# same cost. A convex function that is minimal at two points is minimal on the whole segment
# between them. Is the segment between the twins flat?
#
# **Checked worked cell.** A 1-2-1 network (tanh hidden units, identity output, squared error)
# fits $y = 0.8\sin 2x$ on 15 points by full-batch gradient descent, from three starts: a
# random one, its mirror image (the two hidden units swapped) and another random one.

# %%
x_curve = np.linspace(-2, 2, 15).reshape(1, -1)
y_curve = 0.8 * np.sin(2 * x_curve)
curve_activations = ["tanh", "identity"]


def curve_cost(p):
    return mlp_cost(p, x_curve, y_curve, curve_activations, "squared_error")


def descend(p, lr=0.2, n_steps=1500):
    """Full-batch gradient descent; returns the end point and its gradient norm."""
    for _ in range(n_steps):
        grads = mlp_gradients(p, x_curve, y_curve, curve_activations, "squared_error")
        p = {name: p[name] - lr * grads[f"d{name}"] for name in p}
    grads = mlp_gradients(p, x_curve, y_curve, curve_activations, "squared_error")
    return p, float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))


def swap_hidden_units(p):
    """The same network with its two hidden units exchanged."""
    return {"W1": p["W1"][::-1], "b1": p["b1"][::-1], "W2": p["W2"][:, ::-1], "b2": p["b2"]}


def random_start(seed):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(2, 1)), "b1": rng.normal(size=(2, 1)),
            "W2": rng.normal(size=(1, 2)), "b2": rng.normal(size=(1, 1))}


end_a, slope_a = descend(random_start(0))
end_b, slope_b = descend(swap_hidden_units(random_start(0)))
end_c, slope_c = descend(random_start(1))
midpoint = {name: (end_a[name] + end_b[name]) / 2 for name in end_a}
for label, end, slope in (("start A", end_a, slope_a), ("A mirrored", end_b, slope_b),
                          ("start C", end_c, slope_c)):
    print(f"{label:11s} cost {curve_cost(end):.5f}   gradient norm {slope:.1e}   "
          f"W1 = {end['W1'].ravel().round(2)}")
print(f"midpoint of A and its mirror: cost {curve_cost(midpoint):.5f}")

# Two different end points with the same (small) cost, and a segment between them that rises:
# not convex. A third start ends in a basin of a clearly higher cost.
assert not np.allclose(end_a["W1"], end_b["W1"]) and np.isclose(curve_cost(end_a),
                                                                 curve_cost(end_b))
assert curve_cost(midpoint) > 2 * curve_cost(end_a)
assert curve_cost(end_c) > 2 * curve_cost(end_a) and max(slope_a, slope_c) < 0.05

# Picture (lesson 6, non-convexity): the cost along the segment from A to its mirror.
ts = np.linspace(-0.25, 1.25, 61)
along = [curve_cost({k: (1 - s) * end_a[k] + s * end_b[k] for k in end_a}) for s in ts]
fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.plot(ts, along)
ax.plot([0, 1], [curve_cost(end_a), curve_cost(end_b)], "o", label="the two minima")
ax.set_xlabel("position on the segment (0 = A, 1 = A mirrored)")
ax.set_ylabel("cost")
ax.set_title("A convex cost could not rise between two minima")
ax.legend()
plt.show()

# %% [markdown]
# In practice the symmetric twins do no harm (they compute the same function), but the
# other minima can be worse, as start C shows, and plateaus and saddle points slow descent
# down. That is one more reason to try several initial seeds, and why how we initialise
# (Section 5, below) matters.

# %% [markdown]
# ## Section 4, 'What one gradient costs: O(V + E)'
#
# Every step of `sgd_epoch` calls backpropagation once. How much work is that, next to the
# forward pass? Picture the network as a graph: $V$ nodes (every unit, inputs included) and $E$ edges (one
# per weight). The forward pass sends one message along every edge, from inputs to outputs.
# The backward pass sends one message back along every edge: node $k$ of layer $j$ passes
# $W_{kq}\,\delta_k$ to node $q$ below, each node adds what it receives and multiplies once by
# its slope $D_q$, and every edge also produces its gradient entry $\delta_k F_q$. That is a
# constant amount of work per edge and per node, so one backward pass costs $O(V + E)$, about
# as much as a forward pass.
#
# Compare numerical differentiation: two forward passes **per parameter**, so
# $O\bigl((V+E)\cdot E\bigr)$, quadratic in the size of the network. That gap is why
# backpropagation made training large networks possible.
#
# **Checked worked cell (from Lecture 10: backprop is $O(V+E)$).** Count the multiplications of one
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
# ## Section 5, 'Saturation: why deep sigmoid networks learn slowly'
#
# Lesson 5's delta recursion (your `mlp_backward`) multiplies, at every layer on the way down, by $W_j^\top$ and by the
# slopes $\sigma_{j-1}'(Z_{j-1})$. For the sigmoid, $\sigma'(z) = \sigma(z)(1 - \sigma(z))$: a
# product $p(1-p)$ of two numbers that add up to 1, so it is at most $\tfrac14$ (at $z = 0$),
# and close to 0 when the unit **saturates** ($|z|$ large, $\sigma(z)$ near 0 or 1). In the
# product of Jacobians $D_L W_L D_{L-1} W_{L-1}\cdots D_j$ every sigmoid layer contributes a
# diagonal factor of size at most $\tfrac14$. $\tanh$ has $\tanh'(0) = 1$; ReLU has slope 1
# wherever it is active.
#
# **Predict before you run.** An 8-layer network, 16 sigmoid units per hidden layer, weights
# drawn with standard deviation $1/\sqrt{16}$ (so each $W_j^\top$ keeps the size of a vector
# roughly the same). By about what factor do you expect $\lVert\partial\hat{\mathcal R}/\partial
# W_1\rVert$ to be smaller than $\lVert\partial\hat{\mathcal R}/\partial W_8\rVert$: 10? 1000?
# And for $\tanh$ hidden units? Write your guess down, then run the two cells.
#
# **Checked worked cell.** The largest sigmoid slope, on a fine grid.

# %%
z_grid = np.linspace(-8, 8, 16001)
slopes_grid = get_activation("sigmoid").df(z_grid)
print(f"max sigma'(z) = {slopes_grid.max():.6f} at z = {z_grid[slopes_grid.argmax()]:.3f}")
assert np.isclose(slopes_grid.max(), 0.25) and np.all(slopes_grid <= 0.25)

# %% [markdown]
# **Checked worked cell (lesson 5's backprop on a deep network).** The norm of each layer's weight
# gradient, for sigmoid and for tanh hidden layers (sigmoid output, cross-entropy, 50 random
# examples).

# %%
deep_sizes = [16] * 8 + [1]
deep_rng = np.random.default_rng(1)
deep_params = {}
for j in range(1, len(deep_sizes)):
    deep_params[f"W{j}"] = deep_rng.normal(size=(deep_sizes[j], deep_sizes[j - 1])) \
        / np.sqrt(deep_sizes[j - 1])
    deep_params[f"b{j}"] = np.zeros((deep_sizes[j], 1))
X_deep = deep_rng.normal(size=(16, 50))
Y_deep = (deep_rng.random((1, 50)) < 0.5).astype(float)
layer_norms = {}
for hidden in ("sigmoid", "tanh"):
    deep_activations = [hidden] * (len(deep_sizes) - 2) + ["sigmoid"]
    deep_grads = mlp_gradients(deep_params, X_deep, Y_deep, deep_activations, "bce")
    layer_norms[hidden] = [float(np.linalg.norm(deep_grads[f"dW{j}"]))
                           for j in range(1, len(deep_sizes))]
    print(f"{hidden:8s} ||dW_j||, j = 1..8:", np.array(layer_norms[hidden]).round(6))

ratio_sigmoid = layer_norms["sigmoid"][0] / layer_norms["sigmoid"][-1]
ratio_tanh = layer_norms["tanh"][0] / layer_norms["tanh"][-1]
print(f"||dW_1|| / ||dW_8||: sigmoid {ratio_sigmoid:.1e}, tanh {ratio_tanh:.2f}")
assert ratio_sigmoid < 1e-3 < 0.05 < ratio_tanh

# %%
# The same measurement drawn, with mlp_gradients on the same network.
from autograder.pictures.lessons import vanishing_gradient_picture

vanishing_gradient_picture(network=(deep_params, X_deep, Y_deep), gradients=mlp_gradients,
                           activations=("sigmoid", "tanh"), loss="bce")

# %% [markdown]
# With sigmoid hidden layers the first layer's gradient is tens of thousands of times smaller
# than the last one's (the ratio printed above): on the way down, each layer multiplied the
# deltas by at most $\tfrac14$ (times the size of $W_j^\top$), so unless the weights are large
# the deltas, and with them the gradients $\delta_jF_{j-1}^\top$, shrink geometrically: the
# **vanishing gradient**. The first layers of a deep sigmoid network barely move. $\tanh$
# suffers much less near 0, and ReLU, with slope 1 wherever it is active, less still: one reason
# it replaced the sigmoid in deep networks. A
# learning rate large enough for the first layer would make the last layers diverge. Remedies
# you will meet later: activations with slope near 1 (tanh near 0, ReLU), initialisations
# scaled to the activation, normalisation layers and residual connections.

# %% [markdown]
# ## Section 6, 'Frameworks do this for you: automatic differentiation'
#
# The source documents end where practice begins: *Backpropagation. A Peek into the Mathematics
# of Optimization* says it plainly, TensorFlow, scikit-learn and the other machine-learning
# packages have backpropagation built in. They do it by **reverse-mode automatic
# differentiation**: record every elementary operation of the forward computation in a graph,
# then walk the graph backwards once, each node adding (its local derivative) times (the
# gradient arriving from above) to its inputs' gradients. That is the delta recursion again,
# one scalar at a time, with the chain rule applied by the machine.
#
# A whole reverse-mode engine for scalars fits in one cell (in the spirit of A. Karpathy's
# *micrograd*). It knows addition, multiplication and four functions; `backward()` orders the
# graph so that each node is finished before its inputs, then applies the chain rule.

# %%
class Value:
    """A scalar that remembers how it was computed, for reverse-mode differentiation."""

    def __init__(self, data, parents=(), local_grads=()):
        self.data, self.grad = float(data), 0.0
        self.parents, self.local_grads = parents, local_grads  # d self / d parent

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    __radd__, __rmul__ = __add__, __mul__

    def __sub__(self, other):
        return self + (-1.0) * other

    def apply(self, name):
        """tanh, sigmoid, identity, or softplus log(1 + e^x), with its local derivative."""
        x = self.data
        s = 0.5 * (1.0 + np.tanh(0.5 * x))  # the sigmoid, computed stably
        value, slope = {"tanh": (np.tanh(x), 1.0 - np.tanh(x) ** 2),
                        "sigmoid": (s, s * (1.0 - s)), "identity": (x, 1.0),
                        "softplus": (np.logaddexp(0.0, x), s)}[name]
        return Value(value, (self,), (slope,))

    def backward(self):
        order, seen = [], set()

        def visit(node):  # depth first: a node goes after everything it depends on
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):  # from the output back to the inputs
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad


# %% [markdown]
# The network's cost, written once with `Value`s instead of floats (numpy's `@` works on
# arrays of objects), and differentiated by the engine: no derivative is written by hand.
#
# **Checked worked cell (two engines, and your backprop).** On lesson 5's worked example (a
# 3-4-2 network, tanh then sigmoid, 5 examples), for both losses, the engine of single numbers
# against `mlp_gradients` (the same method on whole arrays). Put your own lesson 5
# `mlp_backward` in place of `mlp_gradients` below to test yours the way frameworks test a new
# layer.

# %%
# Lesson 5's worked example, drawn the same way (seed 5).
example_rng = np.random.default_rng(5)
params_ex = {}
for j, (n_out, n_in) in enumerate([(4, 3), (2, 4)], start=1):
    params_ex[f"W{j}"] = example_rng.normal(scale=0.8, size=(n_out, n_in))
    params_ex[f"b{j}"] = example_rng.normal(scale=0.5, size=(n_out, 1))
example_rng = np.random.default_rng(5)
activations_ex = ["tanh", "sigmoid"]
X_ex = example_rng.normal(size=(3, 5))
Y_ex = np.array([[1.0, 0.0, 1.0, 1.0, 0.0],
                 [0.0, 0.0, 1.0, 0.0, 1.0]])


def autodiff_gradients(params, X, Y, activations, loss):
    """The gradient of mlp_cost by the Value engine: {"dW1": (n_1, n_0), "db1", ...}."""
    as_values = np.vectorize(Value, otypes=[object])
    leaves = {name: as_values(value) for name, value in params.items()}
    F = X
    for j, name in enumerate(activations, start=1):
        Z = leaves[f"W{j}"] @ F + leaves[f"b{j}"]
        if j == len(activations) and loss == "bce":
            break  # the cross-entropy is written in the logit Z_L, as in mlp_cost
        F = np.vectorize(lambda v, name=name: v.apply(name), otypes=[object])(Z)
    if loss == "bce":
        losses = [z.apply("softplus") - y * z for z, y in zip(Z.ravel(), Y.ravel())]
    else:
        losses = [0.5 * (f - y) * (f - y) for f, y in zip(F.ravel(), Y.ravel())]
    cost = sum(losses, Value(0.0)) * (1.0 / X.shape[1])
    cost.backward()
    return {f"d{name}": np.vectorize(lambda v: v.grad, otypes=[float])(leaf)
            for name, leaf in leaves.items()}


for loss in ("squared_error", "bce"):
    by_autodiff = autodiff_gradients(params_ex, X_ex, Y_ex, activations_ex, loss)
    by_you = mlp_gradients(params_ex, X_ex, Y_ex, activations_ex, loss)  # or your mlp_backward
    worst = max(float(np.max(np.abs(by_autodiff[k] - by_you[k]))) for k in by_you)
    print(f"{loss:14s} largest difference between the two: {worst:.1e}")
    assert all(np.allclose(by_autodiff[k], by_you[k], rtol=1e-9, atol=1e-12) for k in by_you)

# %% [markdown]
# The two agree to rounding: same mathematics, one derived by hand (by you, in lesson 5), one
# by the machine. Real
# frameworks differ from this cell in scale, not in kind: their nodes hold whole arrays
# (one node for `W @ F`, with the local rule you derived, $\nabla_W = \Delta F^\top$, built in)
# and they run on GPUs. In PyTorch the same gradient reads (not run here; PyTorch is not part of
# this course's environment):
#
# ```python
# import torch
# W = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
# Z1 = W["W1"] @ torch.tensor(X) + W["b1"]
# Z2 = W["W2"] @ torch.tanh(Z1) + W["b2"]
# cost = torch.nn.functional.binary_cross_entropy_with_logits(Z2, torch.tensor(Y),
#                                                            reduction="sum") / X.shape[1]
# cost.backward()          # reverse mode: W["W1"].grad now holds dR/dW1
# ```
#
# and in JAX `jax.grad(cost_function)(params)` returns the whole dict of gradients at once.
# Checking a hand-written backward pass against such an engine, as you just did, is how new
# layers are tested in practice.

# %% [markdown]
# ## Summary
#
# * A mini-batch gradient is an unbiased estimate of the full gradient at parameters fixed in
#   advance (inputs paired with their own targets); with per-epoch reshuffling the iterate
#   depends on the epoch's earlier batches, so the step actually taken is not unbiased.
# * Its variance falls like $1/B$ (exactly $\frac{s^2}{B}(1 - \frac Bn)$ with the $n-1$
#   variance: the correction matters once $B$ is a sizeable part of $n$), its size like
#   $1/\sqrt B$; $B$ is tuned like the learning rate, and comparing
#   batch sizes at one fixed learning rate confounds the two.
# * A network's cost is not convex: hidden units can be swapped, and different starts can end
#   in different minima.
# * One backward pass costs about as much as one forward pass, $O(V + E)$; centred
#   differences cost a forward pass per parameter.
# * Every sigmoid layer multiplies the deltas by slopes of at most $\tfrac14$: in a deep
#   sigmoid network the first layers' gradients vanish.
# * Reverse-mode automatic differentiation is backpropagation done by the machine; frameworks
#   use it, and it is a second oracle (next to centred differences) for a hand-written backward
#   pass.
#
# ## Where to go next
#
# * The course's six lessons end here. Revisit Section 6: the autodiff engine there
#   is the bridge to PyTorch or JAX, where the training loop you wrote in `sgd_epoch` is a few
#   lines (`loss.backward()`, `optimizer.step()`).
# * Further reading on backpropagation and training: I. Goodfellow, Y. Bengio, A. Courville,
#   *Deep Learning* (MIT Press, 2016), chapters 6 and 8, free at deeplearningbook.org;
#   M. Nielsen, *Neural Networks and Deep Learning*, chapters 2 and 5 (why gradients vanish);
#   A. Zhang et al., *Dive into Deep Learning* (d2l.ai), the chapters on automatic
#   differentiation and optimisation; the Stanford CS231n notes on backpropagation; A. Karpathy's
#   *micrograd*.
# * Things to try with this notebook: a ReLU hidden layer, a wider or deeper digit network
#   (watch Section 5's vanishing gradients), all ten digits with a softmax output, and a
#   learning rate tuned for each batch size.
