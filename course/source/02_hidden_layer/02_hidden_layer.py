# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 2: One hidden layer
#
# **Points:** 19 autograded + 11 written = 30 in total. About 3.5 to 4 hours on a first meeting with backpropagation.
#
# This lesson follows *How to Fit a Neural Network: Backpropagation* (see the References of
# `00_start_here`); its symbols are those of the course's notation table, with layer marks in
# square brackets: $W^{[1]}$ is the hidden layer, $W^{[2]}$ the output layer. The source marks
# layers with round brackets, which the course keeps for examples: its $w^{(1)}_{jk}$ and
# $b^{(2)}_j$ are our $w^{[1]}_{jk}$ and $b^{[2]}_j$, and its $x_{ik}$ (input $k$ of
# observation $i$) is our $x^{(i)}_k$.
#
# Lesson 1 trained a single neuron. Here we put $d$ neurons side by side, feed their outputs
# into one linear output unit, and work out, with nothing more than the chain rule, how every
# weight of that network should move. By the end you will have:
#
# 1. written the forward pass of a network with one hidden layer (3 points);
# 2. derived on paper the gradients of the output layer (2 points, written) and of the hidden
#    layer (3 points, written), coded them (3 + 4 points), explained a slip in *How to Fit a
#    Neural Network* (2 points, written), and checked your gradients against finite differences;
# 3. turned them into a stochastic (one observation) and a full-batch gradient step
#    (3 + 3 points), and trained the network on real data;
# 4. found out what happens when one weight feeds several units: a derivation (4 points,
#    written) and its code (3 points).
#
# **Conventions used in every lesson.** Examples are the *columns* of `X`, a weight matrix has
# one row per unit it feeds, and the cost of a batch is the **mean** of the per-example losses
# (lesson 1, Section 8 says why; the source adds them up, which only rescales the learning
# rate).
#
# | name | shape | what it holds |
# |---|---|---|
# | `X` | `(p, m)` | $m$ examples of $p$ inputs, one per column |
# | `y`, `y_hat` | `(1, m)` | targets and predictions |
# | `W1` | `(d, p)` | row $j$ holds $w_{j1}^{[1]}, \dots, w_{jp}^{[1]}$, the weights into hidden unit $j$ |
# | `b1` | `(d, 1)` | the hidden biases $b_j^{[1]}$ (added to every column) |
# | `W2` | `(1, d)` | the output weights $w_j^{[2]}$ |
# | `b2` | `(1, 1)` | the output bias $b^{[2]}$ |
# | `Z1`, `A1` | `(d, m)` | hidden pre-activations $z_j^{[1]}$ and activations $a_j^{[1]}$, one column per example |
# | `dW1`, `db1`, ... | shape of `W1`, `b1`, ... | a gradient always has the shape of its parameter |

# %%
from autograder.pictures import hidden_layer_picture

hidden_layer_picture(p=3, d=2)  # this lesson's network, with the worked example's sizes

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import get_activation, sigmoid_prime
from autograder.checks import check_exercise
from autograder.datasets import load_breast_cancer
from autograder.gradcheck import gradient_check, numerical_gradient
from autograder.losses import batch_cost, squared_error

# %% [markdown]
# ## Section 1, 'The network and its shapes'
#
# Each example has $p$ inputs $x_1, \dots, x_p$. Hidden unit $j$ (for $j = 1, \dots, d$) is a
# neuron exactly like the one of lesson 1, only with $p$ inputs:
#
# $$z_j^{[1]} = \sum_{k=1}^{p} w_{jk}^{[1]} x_k + b_j^{[1]}, \qquad a_j^{[1]} = h\big(z_j^{[1]}\big).$$
#
# The superscript in square brackets counts layers: $[1]$ is the hidden layer, $[2]$ the output
# (a superscript in round brackets, $x^{(i)}$, is kept for example $i$). The output unit
# adds up the hidden activations with its own weights and bias and applies **no** activation,
# so the prediction is its pre-activation:
#
# $$\hat y = z^{[2]} = \sum_{j=1}^{d} w_j^{[2]} a_j^{[1]} + b^{[2]}.$$
#
# The sum over $k$ is the $j$-th row of $W^{[1]}$ times the input column, so all units and all
# examples are computed at once by two matrix products:
#
# $$Z^{[1]} = W^{[1]} X + b^{[1]}, \qquad A^{[1]} = h\big(Z^{[1]}\big), \qquad
#   \hat{\mathbf y} = W^{[2]} A^{[1]} + b^{[2]},$$
#
# with shapes $(d, p)(p, m) + (d, 1) \to (d, m)$ and $(1, d)(d, m) + (1, 1) \to (1, m)$; numpy
# broadcasting adds a bias column to every column.
#
# Each example gets the squared-error loss $L = \tfrac12(\hat y - y)^2$, and the cost of the
# batch is their mean, $J = \tfrac1m \sum_i L_i$.
#
# **Worked example.** Three inputs, two hidden units, four examples:

# %%
params = {
    "W1": np.array([[0.5, -0.3, 0.8],
                    [-0.6, 0.4, 0.2]]),       # (d, p) = (2, 3)
    "b1": np.array([[0.1], [-0.2]]),          # (2, 1)
    "W2": np.array([[1.2, -0.7]]),            # (1, 2)
    "b2": np.array([[0.3]]),                  # (1, 1)
}
X = np.array([[1.0, -0.5, 0.3, 2.0],
              [0.2, 1.5, -1.0, 0.0],
              [-0.4, 0.8, 0.6, -1.2]])        # (p, m) = (3, 4): one example per column
y = np.array([[0.5, -0.2, 1.0, 0.3]])         # (1, 4)

# %% [markdown]
# For the first example and the first hidden unit, the sum over $k$ reads
# $z_1^{[1]} = 0.5 \cdot 1.0 + (-0.3) \cdot 0.2 + 0.8 \cdot (-0.4) + 0.1 = 0.22$.
# Your forward pass below must give the same number in row 1, column 1 of `Z1` (the cell after
# the exercise checks it).

# %% [markdown]
# ### Exercise 1 (3 points): the forward pass
#
# Write `hidden_forward`. `get_activation(activation)` gives an object `h` with `h.f` (the
# activation) and `h.df` (its derivative, which takes the **pre-activation** $z$), so the same
# code works for `"sigmoid"`, `"tanh"` and `"relu"` (ReLU has no derivative at $z = 0$; the
# course takes its slope there to be 0, as `h.df` does). Return the intermediate arrays too: the
# backward pass needs them.
#
# **Predict before you code.** `b1` has shape `(d, 1)`. If someone stored it flat, shape
# `(d,)`, what shape would `W1 @ X + b1` have for the worked example ($d = 2$, $m = 4$), and
# would numpy raise an error? And for a batch of $m = 2$ examples? (Try both after your
# prediction: one of them is the quiet kind of bug.)

# %% nbgrader={"grade": false, "grade_id": "hidden_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hidden_forward(params, X, activation="sigmoid"):
    """Forward pass of a network with one hidden layer and a linear output unit.

    Parameters
    ----------
    params : dict
        "W1" (d, p), "b1" (d, 1), "W2" (1, d), "b2" (1, 1).
    X : (p, m) ndarray
        One example per column.
    activation : str
        Name of the hidden activation h ("sigmoid", "tanh" or "relu").

    Returns
    -------
    dict
        "Z1" (d, m) the hidden pre-activations, "A1" (d, m) the hidden activations,
        "y_hat" (1, m) the predictions.
    """
    ### BEGIN SOLUTION
    h = get_activation(activation)
    Z1 = params["W1"] @ X + params["b1"]
    A1 = h.f(Z1)
    y_hat = params["W2"] @ A1 + params["b2"]  # linear output: no activation here
    return {"Z1": Z1, "A1": A1, "y_hat": y_hat}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "hidden_forward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does hidden_forward return Z1, A1 (d, m) and y_hat (1, m) as float arrays?"""
check_exercise("02_hidden_layer.hidden_forward", hidden_forward, part="shape")

# %% nbgrader={"grade": true, "grade_id": "hidden_forward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are Z1, A1 and y_hat right, on the worked example and on fresh networks?"""
check_exercise("02_hidden_layer.hidden_forward", hidden_forward, part="values", seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("02_hidden_layer.hidden_forward", hidden_forward, part="values",
               seeds=[201, 202, 203], hidden=True)
### END HIDDEN TESTS

# %%
z_by_hand = sum(params["W1"][0, k] * X[k, 0] for k in range(3)) + params["b1"][0, 0]
Z1_yours = hidden_forward(params, X)["Z1"]
print(f"by the sum: {z_by_hand:.4f}   your Z1[0, 0]: {Z1_yours[0, 0]:.4f}")
assert np.isclose(z_by_hand, 0.22) and np.isclose(Z1_yours[0, 0], z_by_hand)

# %% [markdown]
# The grade cells call your function on a fixed example of their own (a failing message shows
# the values it expected) and, in the hidden tests, on fresh random networks of other sizes.
#
# The cost is the mean of the per-example losses; it is given, built on your forward pass:

# %%
def hidden_cost(params, X, y, activation="sigmoid"):
    """Mean over the examples of 1/2 (y_hat - y)^2; X (p, m), y (1, m) -> float."""
    y_hat = hidden_forward(params, X, activation)["y_hat"]
    return batch_cost(squared_error(y_hat, y))


print("cost of the worked example:", hidden_cost(params, X, y))

# %% [markdown]
# ## Section 2, 'The output layer'
#
# *How to Fit a Neural Network* leaves this one as an exercise, and so do we. The output weight
# $w_j^{[2]}$ meets the loss along a short path, $w_j^{[2]} \to \hat y \to L$, and the output
# unit is linear: $\hat y = z^{[2]}$.
#
# **Written derivation (2 points).** In the cell below, for one example:
# (a) derive $\partial L / \partial w_j^{[2]}$ and $\partial L / \partial b^{[2]}$ factor by factor,
# and say why no $h'$ appears (*How to Fit a Neural Network* asks for the update of
# "$b_j^{(2)}$": how many output biases does this network have?); (b) write the SGD update of $w_j^{[2]}$ and $b^{[2]}$ from one
# observation $i$, and the full-batch update on the mean cost; (c) write $\partial J / \partial
# W^{[2]}$ for the whole batch as one matrix product, with the shape of each factor
# ($\delta = \partial L / \partial z^{[2]}$, one entry per example, is a $(1, m)$ row).

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_output_gradients", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** (a) $\dfrac{\partial L}{\partial w_j^{[2]}}
# = \dfrac{\partial L}{\partial \hat y} \cdot \dfrac{\partial \hat y}{\partial w_j^{[2]}}
# = (\hat y - y)\, a_j^{[1]}$ and $\dfrac{\partial L}{\partial b^{[2]}} = (\hat y - y) \cdot 1$.
# There is no $h'$: the output unit is linear, $\partial \hat y / \partial z^{[2]} = 1$; and the
# output layer's inputs are the hidden activations $a_j^{[1]}$, not the $x_k$.
#
# (b) SGD: $w_j^{[2]} \leftarrow w_j^{[2]} - \eta\,(\hat y_i - y_i)\,a_{j}^{[1](i)}$,
# $b^{[2]} \leftarrow b^{[2]} - \eta\,(\hat y_i - y_i)$. Full batch:
# $w_j^{[2]} \leftarrow w_j^{[2]} - \eta\,\frac1m \sum_i (\hat y_i - y_i)\,a_{j}^{[1](i)}$ and
# $b^{[2]} \leftarrow b^{[2]} - \eta\,\frac1m \sum_i (\hat y_i - y_i)$ (the source's single
# output bias is $b^{[2]}$, not $b_j^{[2]}$).
#
# (c) $\dfrac{\partial J}{\partial W^{[2]}} = \frac1m\, \delta\, (A^{[1]})^\top$,
# $(1, m)(m, d) \to (1, d)$: the product sums over the examples; $\partial J / \partial b^{[2]}$
# is the mean of $\delta$, shape $(1, 1)$.
#
# === BEGIN MARK SCHEME ===
# 2 points in total.
# - 1 point: (a) both gradients with their factors, and the reason there is no h' (linear output,
#   d y_hat / d z2 = 1).
# - 1 point: (b) and (c): the updates with the example's own a_j^[1](i) and the 1/m of the mean
#   (a sum is accepted if the student says it rescales eta), and the matrix product with shapes
#   (1, m)(m, d) -> (1, d).
# === END MARK SCHEME ===

# %% [markdown]
# ### Exercise 2 (3 points): the output-layer gradients

# %% nbgrader={"grade": false, "grade_id": "output_layer_gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
def output_layer_gradients(params, X, y, activation="sigmoid"):
    """Gradients of the mean squared-error cost with respect to W2 and b2.

    Parameters
    ----------
    params : dict
        "W1" (d, p), "b1" (d, 1), "W2" (1, d), "b2" (1, 1).
    X : (p, m) ndarray
    y : (1, m) ndarray
    activation : str

    Returns
    -------
    dW2 : (1, d) ndarray
    db2 : (1, 1) ndarray
    """
    ### BEGIN SOLUTION
    cache = hidden_forward(params, X, activation)
    m = X.shape[1]
    delta = cache["y_hat"] - y                      # (1, m): dL/dy_hat for each example
    dW2 = delta @ cache["A1"].T / m                 # the product sums over the examples
    db2 = np.mean(delta, axis=1, keepdims=True)
    return dW2, db2
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "output_layer_gradients_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does output_layer_gradients return dW2 (1, d) and db2 (1, 1)?"""
check_exercise("02_hidden_layer.output_layer_gradients", output_layer_gradients, part="shape")

# %% nbgrader={"grade": true, "grade_id": "output_layer_gradients_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are dW2 and db2 the means of the per-example gradients, on the worked example and fresh ones?"""
check_exercise("02_hidden_layer.output_layer_gradients", output_layer_gradients,
               part="values", seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("02_hidden_layer.output_layer_gradients", output_layer_gradients,
               part="values", seeds=[201, 202, 203], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Section 3, 'The hidden layer'

# %%
# The activation h and its derivative h', which every hidden-layer gradient multiplies in.
# Where h' is nearly zero (the shaded tails) the unit is saturated: almost no gradient passes.
from autograder.pictures.lessons import activation_picture

activation_picture()

# %% [markdown]
#
# A hidden weight $w_{jk}^{[1]}$ is further from the loss. It changes $z_j^{[1]}$, which changes
# $a_j^{[1]}$, which changes $\hat y$, which changes $L$; the chain rule multiplies one factor
# per link. The factor of the link $z_j^{[1]} \to a_j^{[1]}$ is the derivative $h'$ of the
# activation; part of your derivation is to say *at which value* it is evaluated, and why (for
# the sigmoid, $h'(z) = h(z)(1 - h(z))$).
#
# **Written derivation (3 points).** In the cell below: (a) derive
# $\partial L / \partial w_{jk}^{[1]}$ for one example, one named factor per link, and
# $\partial L / \partial b_j^{[1]}$; (b) call $\delta_j^{[1]} = \partial L / \partial z_j^{[1]}$ the
# factors that do not depend on $k$ and write it; (c) for a batch, write the $(d, m)$ array of all
# $\delta_j^{[1]}$ (one column per example) and $\partial J / \partial W^{[1]}$ with matrix products
# and elementwise products $\odot$, giving the shape of every factor.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_hidden_gradients", "locked": false, "points": 3, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** (a)
# $$\frac{\partial L}{\partial w_{jk}^{[1]}}
#   = \underbrace{\frac{\partial L}{\partial \hat y}}_{\hat y - y}
#     \cdot \underbrace{\frac{\partial \hat y}{\partial a_j^{[1]}}}_{w_j^{[2]}}
#     \cdot \underbrace{\frac{\partial a_j^{[1]}}{\partial z_j^{[1]}}}_{h'(z_j^{[1]})}
#     \cdot \underbrace{\frac{\partial z_j^{[1]}}{\partial w_{jk}^{[1]}}}_{x_k}
#   = (\hat y - y)\, w_j^{[2]}\, h'\big(z_j^{[1]}\big)\, x_k ,$$
# and, since the bias enters $z_j^{[1]}$ with coefficient 1,
# $\partial L / \partial b_j^{[1]} = (\hat y - y)\, w_j^{[2]}\, h'(z_j^{[1]})$.
#
# (b) $\delta_j^{[1]} = (\hat y - y)\, w_j^{[2]}\, h'(z_j^{[1]})$, so
# $\partial L / \partial w_{jk}^{[1]} = \delta_j^{[1]} x_k$ and
# $\partial L / \partial b_j^{[1]} = \delta_j^{[1]}$.
#
# (c) $\Delta^{[1]} = \big((W^{[2]})^\top \delta\big) \odot h'\big(Z^{[1]}\big)$,
# $(d, 1)(1, m) \to (d, m)$, elementwise with $(d, m)$;
# $\partial J / \partial W^{[1]} = \frac1m\, \Delta^{[1]} X^\top$, $(d, m)(m, p) \to (d, p)$; and
# $\partial J / \partial b^{[1]}$ is the mean of $\Delta^{[1]}$ over its columns, $(d, 1)$.
#
# === BEGIN MARK SCHEME ===
# 3 points in total.
# - 1 point: (a) the four factors named, with h' at z_j^[1] (h' at a, or at z^[2], loses it),
#   and the bias gradient without the x_k.
# - 1 point: (b) delta_j^[1] as the k-independent factors (= dL/dz_j^[1]).
# - 1 point: (c) the transpose of W^[2], the elementwise product with h'(Z^[1]), the product
#   with X^T and the 1/m, with shapes that work.
# === END MARK SCHEME ===

# %% [markdown]
# ### Exercise 3 (4 points): the hidden-layer gradients

# %% nbgrader={"grade": false, "grade_id": "hidden_layer_gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hidden_layer_gradients(params, X, y, activation="sigmoid"):
    """Gradients of the mean squared-error cost with respect to W1 and b1.

    Parameters
    ----------
    params : dict
        "W1" (d, p), "b1" (d, 1), "W2" (1, d), "b2" (1, 1).
    X : (p, m) ndarray
    y : (1, m) ndarray
    activation : str

    Returns
    -------
    dW1 : (d, p) ndarray
    db1 : (d, 1) ndarray
    """
    ### BEGIN SOLUTION
    h = get_activation(activation)
    cache = hidden_forward(params, X, activation)
    m = X.shape[1]
    delta = cache["y_hat"] - y                              # (1, m)
    dZ1 = (params["W2"].T @ delta) * h.df(cache["Z1"])      # (d, m): h' at the HIDDEN z
    dW1 = dZ1 @ X.T / m
    db1 = np.mean(dZ1, axis=1, keepdims=True)
    return dW1, db1
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "hidden_layer_gradients_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does hidden_layer_gradients return dW1 (d, p) and db1 (d, 1)?"""
check_exercise("02_hidden_layer.hidden_layer_gradients", hidden_layer_gradients, part="shape")

# %% nbgrader={"grade": true, "grade_id": "hidden_layer_gradients_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Are dW1 and db1 right, on the worked example and on fresh networks?"""
check_exercise("02_hidden_layer.hidden_layer_gradients", hidden_layer_gradients,
               part="values", seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("02_hidden_layer.hidden_layer_gradients", hidden_layer_gradients,
               part="values", seeds=[201, 202, 203], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ### A slip in the source
#
# When *How to Fit a Neural Network* turns this gradient into an update rule, the factor is written
# $h'(z_j^{[2]})$. Compare it with your derivation.
#
# **Written question (2 points), before you run the cell below.** In two or three sentences, in
# the answer cell after it: at which pre-activation must the factor $h'$ in
# $\partial L / \partial w_{jk}^{[1]}$ be evaluated, and why? What is wrong with $h'(z^{[2]})$
# beyond giving a different number (hint: does it depend on $j$; what is the derivative of the
# output unit's own activation in this network)?
#
# Then test your answer. The cell below takes the fourth observation alone and compares three
# numbers for $\partial L / \partial w_{21}^{[1]}$: candidate A, with $h'$ at the hidden unit's
# pre-activation $z_2^{[1]}$; candidate B, with the source's $h'(z^{[2]})$ (the output
# pre-activation, which here is $\hat y$); and a finite-difference estimate that knows nothing
# about formulas. **Predict before you run:** which candidate matches it, and will the two
# differ by much?

# %%
x_4, y_4 = X[:, 3:4], y[:, 3:4]        # the fourth observation, kept as a (p, 1) column
cache_4 = hidden_forward(params, x_4)
delta_4 = cache_4["y_hat"][0, 0] - y_4[0, 0]
j, k = 1, 0                            # w_21 in the source's 1-based numbering
candidate_A = delta_4 * params["W2"][0, j] * sigmoid_prime(cache_4["Z1"][j, 0]) * x_4[k, 0]
candidate_B = delta_4 * params["W2"][0, j] * sigmoid_prime(cache_4["y_hat"][0, 0]) * x_4[k, 0]
numeric = numerical_gradient(lambda p: hidden_cost(p, x_4, y_4), params)["W1"][j, k]
dW1_4, _ = hidden_layer_gradients(params, x_4, y_4)
print(f"A, h' at z_j^[1]:   {candidate_A:+.8f}\nB, h' at z^[2]:     {candidate_B:+.8f}\n"
      f"finite differences: {numeric:+.8f}\nyour dW1[{j}, {k}]:    {dW1_4[j, k]:+.8f}")
matches = [np.isclose(c, numeric, rtol=1e-7) for c in (candidate_A, candidate_B)]
assert sum(matches) == 1, "exactly one candidate is the derivative"
assert np.isclose(dW1_4[j, k], numeric, rtol=1e-7), "your hidden_layer_gradients disagrees"


# %% [markdown] nbgrader={"grade": true, "grade_id": "slip_h_prime", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# *Model answer.* The factor is $\partial a_j^{[1]} / \partial z_j^{[1]}$, the derivative of
# the activation of the unit that $w_{jk}^{[1]}$ feeds, so it is $h'$ at that unit's own
# pre-activation $z_j^{[1]}$ (for the same example). $z^{[2]}$ is the output's pre-activation:
# it is one number per example with no index $j$, so $h'(z^{[2]})$ would scale every hidden
# unit's gradient by the same factor, and it is not a link of the path
# $w_{jk}^{[1]} \to z_j^{[1]} \to a_j^{[1]} \to \hat y \to L$ at all. The output unit is linear,
# $\hat y = z^{[2]}$, so its own derivative is 1 and contributes no $h'$ factor.
#
# === BEGIN MARK SCHEME ===
# 1 point: $h'$ is evaluated at $z_j^{[1]}$ because it is $\partial a_j^{[1]} / \partial z_j^{[1]}$,
# the derivative of unit $j$'s own activation (a chain-rule link on the path from the weight).
# 1 point: either of: $z^{[2]}$ does not depend on $j$ (same factor for every hidden unit) /
# the output is linear so $\partial \hat y / \partial z^{[2]} = 1$ and no $h'$ belongs there.
# No credit for "because the numbers differ" alone.
# === END MARK SCHEME ===

# %% [markdown]
# ## Section 4, 'Checking your gradients'
#
# The two layers together give the full backward pass (given):

# %%
def hidden_backward(params, X, y, activation="sigmoid"):
    """All four gradients of the mean cost: dict "dW1" (d, p), "db1" (d, 1), "dW2" (1, d),
    "db2" (1, 1)."""
    dW1, db1 = hidden_layer_gradients(params, X, y, activation)
    dW2, db2 = output_layer_gradients(params, X, y, activation)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


# %% [markdown]
# Now compare your backward pass with finite differences on the worked example.
# `gradient_check` nudges every entry of every parameter up and down, measures the change of
# the cost, and reports for each parameter the largest relative error
# $|a - n| / (|a| + |n|)$ between your analytic value $a$ and the numerical one $n$. In float64
# a right gradient of a smooth cost lands near $10^{-10}$ or below; the threshold $10^{-7}$
# leaves room for rounding, while a wrong sign, a missing factor or a wrong $h'$ gives
# $10^{-3}$ or more. Each parameter gets its own row, so a bug in a small bias is not hidden
# behind a large weight matrix. Try it with `activation="tanh"` too.

# %%
report = gradient_check(lambda p: hidden_cost(p, X, y), params, hidden_backward(params, X, y))
print(report)
assert report.passed

# %% [markdown]
# **See the backward pass.** The stepper below follows the first example of the worked example
# through the network, one node at a time: the forward pass writes each value above its node,
# the backward pass writes each gradient below it (and on each weight's line) with the local
# factor it multiplied in. Before you press Next in the backward pass, predict: which number
# does $\partial L/\partial a^{[1]}_1$ multiply to reach $\delta^{[1]}_1$, and which weight
# carries the error back from $\hat y$? "Use my functions" runs your `hidden_forward`,
# `output_layer_gradients` and `hidden_layer_gradients` on the same example (with one example,
# a gradient of the mean cost is that example's own) and marks the first node where your
# value differs: the place a bug enters.

# %%
from autograder.widgets import backprop_stepper

backprop_stepper("hidden", student_functions={
    "hidden_forward": hidden_forward, "output_layer_gradients": output_layer_gradients,
    "hidden_layer_gradients": hidden_layer_gradients})

# %% [markdown]
# ## Section 5, 'One observation or the whole sample'
#
# Gradient descent moves every parameter against its gradient, $\theta \leftarrow \theta -
# \eta\, \partial J / \partial \theta$. What changes between the two versions in *How to Fit a
# Neural Network* is only the data the gradient is computed from.
#
# **Stochastic gradient descent (SGD)** uses one observation $(\mathbf x^{(i)}, y^{(i)})$ per
# step.
#
# **Before you code, on paper.** (a) Write the SGD update of one hidden weight
# $w_{jk}^{[1]}$ with the factors of your Section 3 derivation, putting the index $(i)$ on every
# factor that depends on the observation. (b) Your function will update all four arrays. If
# it changed `W2` first and then computed the hidden layer's gradient, which of the four
# results would be wrong, and why?
#
# <details><summary>Check your answers</summary>
#
# (a) $w_{jk}^{[1]} \leftarrow w_{jk}^{[1]} - \eta\, \big(\hat y^{(i)} - y^{(i)}\big)\, w_j^{[2]}\,
#     h'\big(z_{j}^{[1](i)}\big)\, x_{k}^{(i)}$; the bias drops the $x_k^{(i)}$, and the
# output layer's weights have $a_j^{[1](i)}$ in place of $w_j^{[2]} h'(z_j^{[1](i)}) x_k^{(i)}$.
# (b) `W1` and `b1`: their gradient contains $w_j^{[2]}$, which must be the weight the
# prediction $\hat y^{(i)}$ was made with. All gradients are taken at the current parameters,
# before any of them moves.
#
# </details>
#
# **Full-batch gradient descent (GD)** uses all $m$ observations and the mean of their
# gradients. The source writes this update without the $\frac1m$ (a sum: lesson 1, Section 8)
# and with $x_k$ where $x_k^{(i)}$ is meant: inside the sum, each term needs the input of *its
# own* observation.
#
# Both exercises below are the backward pass followed by the update: SGD on a `(p, 1)` column, GD
# on the whole `(p, m)` array. Return new arrays rather than updating in place, so that the
# caller's `params` stay as they were.

# %% [markdown]
# ### Exercise 4 (3 points): one SGD step

# %% nbgrader={"grade": false, "grade_id": "hidden_sgd_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
    """One stochastic-gradient step computed from ONE observation.

    Parameters
    ----------
    params : dict
        "W1" (d, p), "b1" (d, 1), "W2" (1, d), "b2" (1, 1); not modified.
    x : (p, 1) ndarray
        One observation, as a column.
    y : (1, 1) ndarray
        Its target.
    lr : float
        The learning rate eta.
    activation : str

    Returns
    -------
    dict
        New "W1", "b1", "W2", "b2" with the same shapes.
    """
    ### BEGIN SOLUTION
    grads = hidden_backward(params, x, y, activation)
    return {name: params[name] - lr * grads["d" + name] for name in params}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "hidden_sgd_step_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does hidden_sgd_step return new W1, b1, W2, b2 with the shapes of the old ones?"""
check_exercise("02_hidden_layer.hidden_sgd_step", hidden_sgd_step, part="shape")

# %% nbgrader={"grade": true, "grade_id": "hidden_sgd_step_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Does hidden_sgd_step move every parameter by -lr times its one-observation gradient?"""
check_exercise("02_hidden_layer.hidden_sgd_step", hidden_sgd_step, part="values", seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("02_hidden_layer.hidden_sgd_step", hidden_sgd_step, part="values",
               seeds=[201, 202, 203], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5 (3 points): one full-batch GD step

# %% nbgrader={"grade": false, "grade_id": "hidden_gd_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
    """One full-batch gradient-descent step on the mean cost.

    Parameters
    ----------
    params : dict
        "W1" (d, p), "b1" (d, 1), "W2" (1, d), "b2" (1, 1); not modified.
    X : (p, m) ndarray
    y : (1, m) ndarray
    lr : float
    activation : str

    Returns
    -------
    dict
        New "W1", "b1", "W2", "b2" with the same shapes.
    """
    ### BEGIN SOLUTION
    grads = hidden_backward(params, X, y, activation)
    return {name: params[name] - lr * grads["d" + name] for name in params}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "hidden_gd_step_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does hidden_gd_step return new W1, b1, W2, b2 with the shapes of the old ones?"""
check_exercise("02_hidden_layer.hidden_gd_step", hidden_gd_step, part="shape")

# %% nbgrader={"grade": true, "grade_id": "hidden_gd_step_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Does hidden_gd_step move every parameter by -lr times its mean gradient over the batch?"""
check_exercise("02_hidden_layer.hidden_gd_step", hidden_gd_step, part="values", seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("02_hidden_layer.hidden_gd_step", hidden_gd_step, part="values",
               seeds=[201, 202, 203], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# The cell below checks the update rules above entry by entry on the worked example: one GD
# step on $w_{23}^{[1]}$ and $b_2^{[1]}$ written as the explicit mean over observations (each
# with its own $x_{ik}$), and the GD step as the average of the four one-observation SGD
# gradients.

# %%
lr = 0.5
new = hidden_gd_step(params, X, y, lr)
cache = hidden_forward(params, X)
delta = cache["y_hat"][0] - y[0]                                # (m,): one value per observation
j, k = 1, 2
per_obs = delta * params["W2"][0, j] * sigmoid_prime(cache["Z1"][j])  # (m,), observation i in each
assert np.isclose(new["W1"][j, k], params["W1"][j, k] - lr * np.mean(per_obs * X[k]))
assert np.isclose(new["b1"][j, 0], params["b1"][j, 0] - lr * np.mean(per_obs))

# the mean over single-observation steps: what each SGD step would subtract, averaged
sgd_moves = [{name: params[name] - value
              for name, value in hidden_sgd_step(params, X[:, [i]], y[:, [i]], lr).items()}
             for i in range(X.shape[1])]
for name in params:
    mean_move = np.mean([move[name] for move in sgd_moves], axis=0)
    assert np.allclose(params[name] - new[name], mean_move)
print("GD step = average of the SGD steps from the same point: checked for", list(params))

# %% [markdown]
# ## Section 6, 'A weight shared by several units'
#
# *How to Fit a Neural Network* ends with a question: what if one weight is used by more than one neuron? Take a
# single input $x$ and $d$ hidden units that all multiply it by the **same** weight $w$:
#
# $$z_j = w\, x + c_j, \qquad a_j = h(z_j), \qquad \hat y = \sum_{j=1}^d v_j a_j + b .$$
#
# In the letters of the rest of this lesson, $c_j$ is the hidden bias $b_j^{[1]}$, $v_j$ the
# output weight $w_j^{[2]}$ and $b$ the output bias $b^{[2]}$; the short names keep the sums
# readable, and the code below uses them too. (Sharing weights is how convolutional and recurrent networks work.) Now $w$ reaches the loss
# along $d$ paths $w \to z_j \to a_j \to \hat y \to L$, one through each unit. Seen from $w$, the
# loss is $L\big(y, a_1(w), a_2(w), \dots, a_d(w)\big)$: a function of several intermediate
# variables that all depend on $w$. The multivariate chain rule adds the contributions of
# these variables, one term per path.
#
# In code, `c` and `v` are 1-D arrays of shape `(d,)`, `w` and `b` are floats, and a batch of
# scalar inputs is a 1-D array `x` of shape `(m,)` (as for the single neuron of lesson 1).

# %% [markdown]
# **Written derivation (4 points).** In the cell below, for one observation $(x, y)$ and
# $d = 2$ units, derive $\partial L / \partial w$ for $L = \frac12(\hat y - y)^2$. Name the rule
# you use, write the contribution of each path, and say in one sentence why the contributions
# are added and not, say, averaged or taken from one unit only. Then give the general formula
# for $d$ units and for the mean cost over $m$ observations.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_shared_weight", "locked": false, "points": 4, "schema_version": 3, "solution": true, "task": false}
# *Model answer.* $L$ depends on $w$ only through $a_1$ and $a_2$, so by the multivariate
# chain rule
# $$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a_1}\frac{d a_1}{d w}
#   + \frac{\partial L}{\partial a_2}\frac{d a_2}{d w}.$$
# With $\partial L / \partial a_j = (\hat y - y)\, v_j$ and
# $d a_j / d w = h'(z_j)\, \partial z_j / \partial w = h'(z_j)\, x$:
# $$\frac{\partial L}{\partial w} = \underbrace{(\hat y - y)\, v_1 h'(z_1)\, x}_{\text{path through unit 1}}
#   + \underbrace{(\hat y - y)\, v_2 h'(z_2)\, x}_{\text{path through unit 2}}.$$
# The terms add because a small change $\varepsilon$ in $w$ moves $z_1$ **and** $z_2$ at the
# same time; to first order the change of $L$ is the sum of the changes each move causes
# (the total differential $dL = \sum_j \frac{\partial L}{\partial a_j} da_j$). In general
# $$\frac{\partial L}{\partial w} = (\hat y - y)\, x \sum_{j=1}^d v_j h'(z_j), \qquad
#   \frac{\partial J}{\partial w} = \frac1m \sum_{i=1}^m (\hat y_i - y_i)\, x_i
#   \sum_{j=1}^d v_j h'(z_{ij}).$$
# Equivalently: untie the weight into copies $w_1 = \dots = w_d = w$, compute each copy's
# gradient as in Section 3, and add them.
#
# === BEGIN MARK SCHEME ===
# 1 point: names the multivariate chain rule (or total derivative) and writes
# $\partial L/\partial w = \sum_j \partial L/\partial a_j \cdot da_j/dw$ with both paths.
# 1 point: correct factors per path, $(\hat y - y)\, v_j\, h'(z_j)\, x$, with $h'$ at $z_j$.
# 1 point: a correct reason for adding (a change in $w$ moves every $z_j$ at once; the first-order
# changes add / total differential). "Because the source says so" earns nothing.
# 1 point: the general formula for $d$ units and the mean over $m$ observations (the $\frac1m$
# may be a sum if the student says it only rescales the learning rate).
# === END MARK SCHEME ===

# %% [markdown]
# ### Exercise 6 (3 points): the gradient of a shared weight
#
# Write `tied_weight_gradient`, the derivative of the **mean** cost
# $J = \frac1m \sum_i \frac12 (\hat y_i - y_i)^2$ with respect to $w$, combining the paths and the
# observations as your derivation says.

# %% nbgrader={"grade": false, "grade_id": "tied_weight_gradient", "locked": false, "schema_version": 3, "solution": true, "task": false}
def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
    """dJ/dw for one weight w shared by d hidden units (z_j = w x + c_j), mean cost.

    Parameters
    ----------
    w : float
        The shared input weight.
    c : (d,) ndarray
        Hidden biases c_j.
    v : (d,) ndarray
        Output weights v_j.
    b : float
        Output bias.
    x : (m,) ndarray
        One scalar input per observation.
    y : (m,) ndarray
        Targets.
    activation : str

    Returns
    -------
    float
    """
    ### BEGIN SOLUTION
    h = get_activation(activation)
    Z = w * x[np.newaxis, :] + c[:, np.newaxis]          # (d, m)
    y_hat = v @ h.f(Z) + b                               # (m,)
    delta = y_hat - y
    paths = v[:, np.newaxis] * h.df(Z) * (delta * x)     # (d, m): path j, observation i
    return float(np.mean(np.sum(paths, axis=0)))         # add the paths, average the examples
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "tied_weight_gradient_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does tied_weight_gradient return one finite number?"""
check_exercise("02_hidden_layer.tied_weight_gradient", tied_weight_gradient, part="shape")

# %% nbgrader={"grade": true, "grade_id": "tied_weight_gradient_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Is tied_weight_gradient right, on the worked example and on fresh ones?"""
check_exercise("02_hidden_layer.tied_weight_gradient", tied_weight_gradient,
               part="values", seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("02_hidden_layer.tied_weight_gradient", tied_weight_gradient, part="values",
               seeds=[201, 202, 203], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# A shared weight is a hidden layer whose weights are forced to be equal. The cell below builds
# that network for your function ($p = 1$, $W^{[1]}$ a column of copies of $w$, $b^{[1]} = c$,
# $W^{[2]} = v^\top$) and checks three things: the per-copy gradients `dW1` from your Section 3
# code add up to your $\partial J / \partial w$; any single copy alone (one path) does not; and
# finite differences agree.

# %%
w_shared, c, v, b = 0.8, np.array([0.5, -1.0]), np.array([1.5, 0.7]), -0.2
x_in, y_in = np.array([-1.0, 0.4, 1.5, 0.9]), np.array([0.3, -0.1, 0.8, 1.1])
untied = {"W1": np.full((2, 1), w_shared), "b1": c[:, np.newaxis], "W2": v[np.newaxis, :],
          "b2": np.array([[b]])}
dW1_copies, _ = hidden_layer_gradients(untied, x_in[np.newaxis, :], y_in[np.newaxis, :])
dJ_dw = tied_weight_gradient(w_shared, c, v, b, x_in, y_in)


def shared_cost(p):
    """Mean cost as a function of the shared weight alone (the network above)."""
    z = p["w"] * x_in[np.newaxis, :] + c[:, np.newaxis]
    return batch_cost(squared_error(v @ get_activation("sigmoid").f(z) + b, y_in))


print("path terms (one per unit):", dW1_copies[:, 0], " sum:", dW1_copies.sum())
print("your dJ/dw:", dJ_dw)
assert np.isclose(dJ_dw, dW1_copies.sum())
assert not np.any(np.isclose(dJ_dw, dW1_copies[:, 0]))   # one path is not enough
tied_report = gradient_check(shared_cost, {"w": np.array(w_shared)}, {"w": np.array(dJ_dw)})
print(tied_report)
assert tied_report.passed

# %% [markdown]
# ## Section 7, 'Training on real data'
#
# Time to train. The Wisconsin breast-cancer data (569 tumours, 30 measurements, shipped with
# scikit-learn) labels each tumour benign (1) or malignant (0). We fit the label with squared
# error, a least-squares classifier, and call a prediction above 0.5 benign. The features are
# standardised; `X_bc` has shape `(30, 569)`, one tumour per column.
#
# Full-batch GD takes one step per pass over the data; SGD takes one step per observation, so
# in one pass it takes 569 steps. Those steps add up over the pass, much as the gradients add up
# in a summed cost (lesson 1, Section 8), so SGD needs a much smaller learning rate per step; and each step
# is noisy, because one observation's gradient only estimates the mean gradient.

# %%
X_bc, y_bc, _ = load_breast_cancer()
init_rng = np.random.default_rng(2)
n_hidden = 6
start = {"W1": init_rng.normal(scale=0.3, size=(n_hidden, X_bc.shape[0])),
         "b1": np.zeros((n_hidden, 1)),
         "W2": init_rng.normal(scale=0.3, size=(1, n_hidden)),
         "b2": np.zeros((1, 1))}

gd_params, gd_costs = start, [hidden_cost(start, X_bc, y_bc)]
for epoch in range(60):
    gd_params = hidden_gd_step(gd_params, X_bc, y_bc, lr=0.5)
    gd_costs.append(hidden_cost(gd_params, X_bc, y_bc))

order_rng = np.random.default_rng(3)
sgd_params, sgd_costs = start, [hidden_cost(start, X_bc, y_bc)]
for epoch in range(4):
    for i in order_rng.permutation(X_bc.shape[1]):
        sgd_params = hidden_sgd_step(sgd_params, X_bc[:, [i]], y_bc[:, [i]], lr=0.02)
    sgd_costs.append(hidden_cost(sgd_params, X_bc, y_bc))


def accuracy(p):
    """Share of tumours on the right side of 0.5."""
    return np.mean((hidden_forward(p, X_bc)["y_hat"] > 0.5) == (y_bc > 0.5))


print(f"GD : cost {gd_costs[0]:.3f} -> {gd_costs[-1]:.3f}, accuracy {accuracy(gd_params):.3f}")
print(f"SGD: cost {sgd_costs[0]:.3f} -> {sgd_costs[-1]:.3f}, accuracy {accuracy(sgd_params):.3f}")
assert gd_costs[-1] < gd_costs[0] and sgd_costs[-1] < sgd_costs[0]

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(range(len(gd_costs)), gd_costs, label="GD (one step per pass)")
ax.plot(range(len(sgd_costs)), sgd_costs, "o-", label="SGD (569 steps per pass)")
ax.set_xlabel("passes over the data (epochs)")
ax.set_ylabel("mean cost J")
ax.set_yscale("log")
ax.legend()
plt.show()

# %% [markdown]
# ## Summary
#
# * A hidden layer is $d$ neurons side by side, computed for a whole batch by one matrix product
#   per layer; here the output unit is linear.
# * Each gradient is a product of one factor per link from the parameter to the loss, with $h'$
#   at the hidden unit's own pre-activation; the factors shared by a unit's weights form its
#   $\delta$.
# * SGD and full-batch GD differ only in which observations the gradient averages; a summed
#   cost only rescales the learning rate.
# * A weight used in several places collects one term per path, and the terms add.
#
# **Next: lesson 3, [Logistic regression, vectorised](../03_logistic_regression/03_logistic_regression.ipynb)**,
# takes the same ideas to a cross-entropy loss, where the output unit is no longer linear.
