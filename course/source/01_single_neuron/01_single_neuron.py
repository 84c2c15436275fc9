# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 1: Gradient descent and the single neuron
#
# **Points:** 16 autograded + 6 written = **22 in total**. About 3 hours on a first meeting with backpropagation.
#
# | exercise | what you write | points |
# |---|---|---|
# | 3 | `gradient_descent_1d`, gradient descent on one parameter | 1 + 2 |
# | 5 | `neuron_forward`, the forward pass of one neuron | 1 + 2 |
# | 6 | written: derive the weight's and the bias's gradients with the chain rule | 4 |
# | 6 | `neuron_example_gradients`, the chain rule for each observation | 1 + 3 |
# | 7 | `neuron_sgd_step`, one stochastic-gradient step | 1 + 2 |
# | 8 | `neuron_gd_step`, one full-batch step | 1 + 2 |
# | 9 | written: a gradient listed in the wrong order | 2 |
#
# **By the end of this lesson you can**:
#
# 1. explain why training minimises the negative log-likelihood rather than maximising the
#    likelihood, and which way a gradient step goes;
# 2. write gradient descent on one parameter and predict, from the cost's curvature, when a
#    learning rate makes it zig-zag or diverge;
# 3. derive, with the chain rule, the gradient of one neuron's loss with respect to its weight
#    and its bias, and check it numerically;
# 4. write stochastic and full-batch gradient steps, and say why a gradient's entries must be
#    listed in the order of the parameters.
#
# The symbols are those of the course's notation table (`00_start_here`, and `docs/notation.md`).
# This lesson follows two of the course's source documents: *Numeric Minimization of Loss*
# (Sections 1-4 and 9) and *How to Fit a Neural Network: Backpropagation* (Sections 5-8); the
# landing notebook's References list them.
#
# A network learns by nudging its parameters downhill on a cost. This lesson builds that idea from
# the ground up: first with a single parameter you can draw, then with the smallest network there
# is, one neuron with one weight and one bias, whose gradient needs the chain rule. Everything
# later in the course (hidden layers, backpropagation) is the same two ideas applied many times.
#
# **How to work.** Write code only between the lines of each exercise; keep the `def` line. Run
# the cell below each exercise: its message says what is wrong and where to look. The grader
# also runs your functions on inputs you do not see, so make them work for any input.

# %%
from autograder.pictures import neuron_picture

neuron_picture()  # this lesson's network: one input, one weight, one bias

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograder.activations import sigmoid, sigmoid_prime
from autograder.checks import check_exercise
from autograder.datasets import load_breast_cancer
from autograder.gradcheck import gradient_check
from autograder.losses import batch_cost, bce_with_logits

# %% [markdown]
# ### Shapes in this lesson
#
# The neuron here has **one input**, so its parameters are numbers and a batch of observations is
# a 1-D array:
#
# | name | shape | meaning |
# |---|---|---|
# | `w`, `b` | float | the weight and the bias |
# | `x`, `y` | `(m,)` | inputs and targets, one entry per observation |
# | `z`, `a` | `(m,)` | pre-activation (linear predictor) and activation, one entry per observation |
# | `dw`, `db` | float, or `(m,)` per observation | a gradient has its parameter's shape |
#
# Later lessons have many inputs and store a batch as a matrix `X` of shape
# `(n_features, m)`, **one example per column**; our `x` is the single row of such an
# `X`. A **batch cost is always the mean** of the per-example losses (Section 8 says why, once
# for the whole course); $m$ is the number of examples and $\eta$ the learning rate. With one
# input, example $i$'s values are the entries $x_i$, $y_i$ of the arrays (the course writes
# $x^{(i)}$ when an example is a column of $X$).
#
# In a docstring, **float** means a number: a Python `float` or a numpy `float64` both count,
# an array does not (not even one of size 1); **ndarray of float64** means a numpy array, not a
# list. The checks hold you to this in every lesson.

# %% [markdown]
# ## Section 1, 'Costs and likelihoods'
#
# Training means choosing the parameters. A standard recipe is *maximum likelihood*: pick the
# parameters under which the data we actually observed were most probable. Take a model with a
# single parameter $w$ (no bias yet) that says an example with input $x$ has label $1$ with
# probability $a = \sigma(w x)$, where $\sigma(z) = 1 / (1 + e^{-z})$. The likelihood of $m$
# independent labelled examples is a product,
#
# $$\mathcal{L}(w) = \prod_{i=1}^{m} a_i^{\,y_i} (1 - a_i)^{1 - y_i}, \qquad a_i = \sigma(w x_i).$$
#
# Instead of maximising $\mathcal{L}$ we **minimise the negative log-likelihood**
#
# $$J(w) = -\frac{1}{m} \log \mathcal{L}(w)
#        = \frac{1}{m} \sum_{i=1}^{m} -\big[y_i \log a_i + (1 - y_i) \log(1 - a_i)\big].$$
#
# The logarithm is increasing, so both have their best point at the same $w$. Two reasons to
# prefer $J$: a product of many probabilities is astronomically small (it underflows to $0$ in
# floating point), while a sum of logs is a number of reasonable size with a slope you can use;
# and "minimise a cost" is the convention every optimiser follows (the minus sign is custom, not
# mathematics). The factor $1/m$ makes $J$ a mean, as everywhere in this course; it does not move
# the minimum.
#
# Let us check this on real data: 40 tumours from the Wisconsin breast-cancer data, with one
# standardised feature, the mean radius (label 1 = benign).

# %%
X_cancer, y_cancer, feature_names = load_breast_cancer(features=["mean radius"])
x_cancer, y_cancer = X_cancer[0], y_cancer[0]          # the single row of X: shape (569,)
x40, y40 = x_cancer[:40], y_cancer[:40]


def likelihood(w, x, y):
    """Probability of the labels y under P(y = 1 | x) = sigmoid(w x): a product over examples."""
    a = sigmoid(w * x)
    return np.prod(np.where(y == 1.0, a, 1.0 - a))


def nll(w, x, y):
    """Mean negative log-likelihood J(w), computed stably from z = w x."""
    return batch_cost(bce_with_logits(w * x, y))


w_grid = np.linspace(-6.0, 2.0, 801)
likelihoods = np.array([likelihood(w, x40, y40) for w in w_grid])
costs = np.array([nll(w, x40, y40) for w in w_grid])
w_best = w_grid[np.argmin(costs)]

# Numeric Minimization of Loss: the most likely w is the w of smallest negative log-likelihood.
assert w_grid[np.argmax(likelihoods)] == w_best
print(f"best w on the grid: {w_best:.2f}; likelihood there {likelihoods.max():.3g}")
# With all 569 tumours the product underflows to exactly 0 for a poor w; the mean log does not.
print("likelihood of all 569 labels at w = 2:", likelihood(2.0, x_cancer, y_cancer),
      "  J(2) =", round(nll(2.0, x_cancer, y_cancer), 3))
assert likelihood(2.0, x_cancer, y_cancer) == 0.0 and np.isfinite(nll(2.0, x_cancer, y_cancer))

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
left.plot(w_grid, likelihoods)
left.set(xlabel="w", title="likelihood (40 tumours)")
right.plot(w_grid, costs)
right.set(xlabel="w", title="J(w), negative log-likelihood")
for ax in (left, right):
    ax.axvline(w_best, color="grey", linestyle=":")
plt.tight_layout()
plt.show()

# %% [markdown]
# **Predict before you run.** Gradient descent (Section 3) follows the slope. Stand at $w = 2$,
# far to the right of the best $w$ in both pictures. Which of the two curves gives it a slope to
# follow there, and roughly how large is each slope? The cell below measures both with a centred
# difference, the likelihood's relative to its own maximum so that the two are comparable.

# %%
eps, w_far = 1e-5, 2.0
slope_likelihood = (likelihood(w_far + eps, x40, y40)
                    - likelihood(w_far - eps, x40, y40)) / (2 * eps)
slope_cost = (nll(w_far + eps, x40, y40) - nll(w_far - eps, x40, y40)) / (2 * eps)
print(f"at w = 2: slope of the likelihood / its maximum "
      f"{slope_likelihood / likelihoods.max():.1e}, slope of J {slope_cost:.2f}")
# Numeric Minimization of Loss: the log-likelihood is more consistently sloped than the
# likelihood, which is flat (to 20 digits) wherever the model is poor.
assert abs(slope_likelihood) < 1e-12 * likelihoods.max() and slope_cost > 0.1

# %% [markdown]
# ## Section 2, 'Which way is downhill?'
#
# Suppose we stand at some $w$ and can only ask for the slope $\frac{dJ}{dw}$ there.
#
# * If the slope is **negative**, $J$ goes *down* as $w$ grows: step to the right.
# * If the slope is **positive**, $J$ goes *up* as $w$ grows: step to the left.
#
# Both cases say the same thing: **move against the sign of the slope**. The step
# $-\eta \frac{dJ}{dw}$ with a small $\eta > 0$ does exactly that, and it also shrinks as we
# approach the bottom, where the slope flattens to $0$.
#
# For the cost of Section 1 we do not need a formula for the slope yet (lesson 3 derives one):
# we can *measure* it, with the centred difference
# $\frac{J(w + \epsilon) - J(w - \epsilon)}{2\epsilon}$ for a small $\epsilon$ (Section 6
# says why it is accurate).

# %%
def nll_slope(w, x=x40, y=y40, eps=1e-5):
    """dJ/dw of the mean negative log-likelihood, measured by a centred difference."""
    return (nll(w + eps, x, y) - nll(w - eps, x, y)) / (2 * eps)


for w in (w_best - 2.0, w_best + 2.0):
    # Numeric Minimization of Loss: a small step against the slope goes towards w_best and
    # lowers J.
    w_next = w - 0.5 * nll_slope(w)
    assert np.sign(w_next - w) == np.sign(w_best - w)
    assert nll(w_next, x40, y40) < nll(w, x40, y40)
    print(f"at w = {w:+.2f}: slope {nll_slope(w):+.3f}, so step to {w_next:+.2f} "
          f"(J {nll(w, x40, y40):.4f} -> {nll(w_next, x40, y40):.4f})")

# %% [markdown]
# ## Section 3, 'Gradient descent with one parameter'
#
# Repeat the step. Given a starting value $w_0$, a **learning rate** $\eta > 0$ (called `lr` in
# the code) and a number of iterations $n_\text{iter}$:
#
# $$\text{for } k = 0, 1, \dots, n_\text{iter} - 1: \qquad
#   w_{k+1} = w_k - \eta \, \frac{dJ}{dw}(w_k).$$
#
# The slope must be evaluated at the **current** $w_k$ in every iteration. The learning rate
# sets how far each step goes: too small and progress is slow, too large and the steps overshoot
# the bottom and can grow without bound.
#
# **Exercise (3 points).** Write `gradient_descent_1d`. It returns the whole path
# $[w_0, w_1, \dots, w_{n_\text{iter}}]$, so that we can watch it.

# %% nbgrader={"grade": false, "grade_id": "gradient_descent_1d", "locked": false, "schema_version": 3, "solution": true, "task": false}
def gradient_descent_1d(dJ, w0, lr, n_iter):
    """Gradient descent on a cost of one parameter, from w0, for n_iter updates.

    Parameters
    ----------
    dJ : callable
        dJ(w) -> float, the slope of the cost at w.
    w0 : float
        Starting point.
    lr : float
        Learning rate (eta).
    n_iter : int
        Number of updates.

    Returns
    -------
    path : (n_iter + 1,) ndarray of float64
        path[0] = w0, and path[k] is the iterate after k updates of Section 3's rule.
    """
    ### BEGIN SOLUTION
    path = np.empty(n_iter + 1, dtype=np.float64)
    path[0] = w0
    for k in range(n_iter):
        path[k + 1] = path[k] - lr * dJ(path[k])
    return path
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "gradient_descent_1d_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does gradient_descent_1d return a float array of n_iter + 1 values?"""
check_exercise("01_single_neuron.gradient_descent_1d", gradient_descent_1d, part="shape")

# %% nbgrader={"grade": true, "grade_id": "gradient_descent_1d_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Is every iterate right, on the worked example and on fresh cost curves?"""
check_exercise("01_single_neuron.gradient_descent_1d", gradient_descent_1d, part="values")
### BEGIN HIDDEN TESTS
check_exercise("01_single_neuron.gradient_descent_1d", gradient_descent_1d, part="values",
               seeds=[11, 12, 13], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# **Worked example.** For $J(w) = (w - 3)^2$ the slope is $2(w - 3)$. From $w_0 = 0$ with
# $\eta = 0.25$, each step is $w_{k+1} = w_k - 0.5\,(w_k - 3)$: it covers half of the remaining
# distance to $3$, so $w_k = 3 - 3 \cdot 0.5^k$, that is $0, 1.5, 2.25, 2.625, \dots$
# With $\eta = 1.1$ the factor is $1 - 2.2 = -1.2$: every step jumps over the minimum and
# lands further away than it started.

# %%
def parabola_slope(w):
    """Slope of J(w) = (w - 3)**2."""
    return 2.0 * (w - 3.0)


path = gradient_descent_1d(parabola_slope, 0.0, 0.25, 3)
assert np.allclose(path, [0.0, 1.5, 2.25, 2.625])
assert np.allclose(gradient_descent_1d(parabola_slope, 0.0, 0.25, 12),
                   3 - 3 * 0.5 ** np.arange(13))

fig, ax = plt.subplots(figsize=(6, 3))
ws = np.linspace(-3.0, 9.0, 200)
ax.plot(ws, (ws - 3.0) ** 2, color="lightgrey")
for lr, style in [(0.05, "o-"), (0.25, "s-"), (1.1, "^-")]:
    path = gradient_descent_1d(parabola_slope, 0.0, lr, 6)
    ax.plot(path, (path - 3.0) ** 2, style, label=f"lr = {lr}")
ax.set(xlabel="w", ylabel="J(w)", ylim=(-1, 40), title="six steps from w0 = 0")
ax.legend()
plt.show()

# %% [markdown]
# Now the real cost of Section 1, with all 569 tumours. Gradient descent should find the same
# $w$ as the grid search, without trying every value.

# %%
def cancer_slope(w):
    """dJ/dw of the negative log-likelihood on all 569 tumours."""
    return nll_slope(w, x_cancer, y_cancer)


path = gradient_descent_1d(cancer_slope, 0.0, 10.0, 40)
grid_best = w_grid[np.argmin([nll(w, x_cancer, y_cancer) for w in w_grid])]
print(f"gradient descent: w = {path[-1]:.3f}; grid search: w = {grid_best:.2f}")
assert abs(path[-1] - grid_best) < 0.01
assert np.all(np.diff([nll(w, x_cancer, y_cancer) for w in path]) <= 0)  # J never goes up

# %% [markdown]
# ## Section 4, 'Explore: the gradient-descent explorer'
#
# The explorer below runs YOUR `gradient_descent_1d` from Section 3 on a curve you choose and
# draws every step. It checks each step against the update rule; if one breaks it (or your
# function is not written yet), a line above the picture says which step. Fix your function and
# run this cell again (in some installations the picture meanwhile shows a correct descent for
# comparison; in others it stays empty until your function works). Try:
#
# * **a large learning rate** on the quadratic $J(w) = \frac12 (w - 2)^2 + 1$. Work out first, on
#   paper, the factor by which one step multiplies the distance to the minimum, as in the worked
#   example above (there, for $(w - 3)^2$, whose slope is $2(w - 3)$, it was $1 - 2\eta$; here the
#   $\frac12$ changes the slope). From that factor predict the learning rate where the path starts
#   to zig-zag across the minimum, and the one beyond which it flies off; then check both with
#   the slider;
# * **the non-convex curve**: start on either side of the hump at $w = 0$ and watch the path end
#   in different valleys, only one of them the lowest. Gradient descent only knows the local
#   slope. The cost of a network with hidden layers is non-convex like this (lesson 2 onwards);
# * **the logistic negative log-likelihood on real data**, the cost of Section 1 on all 569
#   tumours: how many steps do a small and a large learning rate need, and what is the largest
#   learning rate that still converges?

# %%
from autograder.widgets import gradient_descent_explorer

gradient_descent_explorer(descent=gradient_descent_1d)

# %% [markdown]
# ## Section 5, 'The single neuron'
#
# The smallest network is one neuron. It takes an input $x$, forms the **linear predictor** and
# passes it through an **activation function** $h$:
#
# $$z = w\,x + b, \qquad a = h(z), \qquad \hat{y} = a.$$
#
# With $h = \sigma$ and no bias this is the model of Section 1. The bias $b$ shifts the point
# where the neuron switches from "no" to "yes" away from $x = 0$. In this lesson $h = \sigma$.
# Applied to a batch `x` of shape `(m,)`, numpy computes $z$ and $a$ for every observation
# at once, with the same scalars `w` and `b`.
#
# **Exercise (3 points).** Write `neuron_forward`. Use `sigmoid` from `autograder.activations`
# (already imported): it does not overflow for large $|z|$.

# %% nbgrader={"grade": false, "grade_id": "neuron_forward", "locked": false, "schema_version": 3, "solution": true, "task": false}
def neuron_forward(w, b, x):
    """Forward pass of a one-input sigmoid neuron: the linear predictor and its activation.

    Parameters
    ----------
    w, b : float
        Weight and bias.
    x : float or (m,) ndarray
        One observation, or a batch of observations.

    Returns
    -------
    z : float or (m,) ndarray
        Linear predictor, shape of x.
    a : float or (m,) ndarray
        Activation sigmoid(z), which is the prediction y_hat; shape of x.
    """
    ### BEGIN SOLUTION
    z = w * x + b
    return z, sigmoid(z)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "neuron_forward_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does neuron_forward return z and a, each with the shape of x?"""
check_exercise("01_single_neuron.neuron_forward", neuron_forward, part="shape",
               seeds=[0, 2])

# %% nbgrader={"grade": true, "grade_id": "neuron_forward_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are z and a right, on the worked example and on fresh inputs?"""
check_exercise("01_single_neuron.neuron_forward", neuron_forward, part="values",
               seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("01_single_neuron.neuron_forward", neuron_forward, part="values",
               seeds=[11, 12, 13], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# ## Section 6, 'The chain rule for one neuron'
#
# To train the neuron we need the slope of the loss with respect to **each** parameter.
#
# **Why squared error now?** Sections 1-4 used the negative log-likelihood, the natural cost when
# $a$ is a probability. From here to the end of lesson 2 we follow *How to Fit a Neural Network:
# Backpropagation*, which keeps the loss general (its gradients carry a factor
# $\partial L/\partial \hat y$). For that factor the course picks the squared error: it works
# for outputs that are not probabilities, and it keeps every factor of the chain rule in sight.
# With the sigmoid and the negative log-likelihood two of those factors cancel; lesson 3 derives
# that. For one observation $(x, y)$ the loss is
#
# $$L = \tfrac{1}{2}\,(\hat{y} - y)^2, \qquad \frac{\partial L}{\partial \hat{y}} = \hat{y} - y$$
#
# (the $\tfrac12$ is there so that the $2$ of the square cancels). $L$ depends on $w$ only through
# a chain: $w \to z \to \hat{y} \to L$, and the chain rule multiplies the slope of each link.
# The bias has its own chain, $b \to z \to \hat{y} \to L$. One fact you need: for the sigmoid,
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$; `sigmoid_prime(z)` computes it, and it takes the
# pre-activation $z$.

# %% [markdown]
# **Written exercise (4 points): derive before you code.** In the cell below, for one observation:
#
# (a) write $\dfrac{\partial L}{\partial w}$ as a product of one factor per link of the chain
# $w \to z \to \hat y \to L$, name each factor and give its value;
#
# (b) do the same for $\dfrac{\partial L}{\partial b}$: what is the last factor,
# $\dfrac{\partial z}{\partial b}$, and why (one or two sentences)? *How to Fit a Neural
# Network: Backpropagation* writes that factor as "$l_1$", which a reader easily takes for the
# input $x$ (the factor of the $w$ chain): is that right? Say what a gradient-descent step would
# do to $b$ if someone used $x$ there;
#
# (c) evaluate $\dfrac{\partial L}{\partial w}$ at $w = -1$, $b = 0.5$, $x = 1$, $y = 0$ (a
# calculator or a code cell for $\sigma$ is fine), and say what its sign tells you about which
# way $w$ should move.

# %% [markdown] nbgrader={"grade": true, "grade_id": "derivation_bias_gradient", "locked": false, "points": 4, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** (a) $\dfrac{\partial L}{\partial w}
#   = \dfrac{\partial L}{\partial \hat y} \cdot \dfrac{\partial \hat y}{\partial z}
#     \cdot \dfrac{\partial z}{\partial w} = (\hat y - y) \cdot h'(z) \cdot x$: the loss's slope
# in $\hat y$, the activation's slope **at the pre-activation $z$** (for the sigmoid
# $\sigma(z)(1 - \sigma(z))$), and $x$, because $z = w x + b$ changes by $x$ per unit of $w$.
#
# (b) The bias reaches the loss through $b \to z \to \hat y \to L$, so
#
# $$\frac{\partial L}{\partial b}
#   = \frac{\partial L}{\partial \hat y} \cdot \frac{\partial \hat y}{\partial z}
#     \cdot \frac{\partial z}{\partial b}
#   = (\hat y - y) \cdot h'(z) \cdot 1 .$$
#
# The first two factors are those of (a); $\partial z / \partial b = 1$, because $z = w x + b$ is
# $b$ plus terms that do not contain $b$: raising $b$ by $\varepsilon$ raises $z$ by exactly
# $\varepsilon$. So the "$l_1$" of *How to Fit a Neural Network* is the number $1$, and
# $\partial L / \partial b = \partial L / \partial z$, the factor both gradients share.
# With $x$ instead of $1$, the step for $b$ would be $x$ times too large (and point the wrong way
# whenever $x < 0$); for $x = 0$ the bias would never move even though the loss depends on it. It
# would not be gradient descent any more, and it would fail a gradient check.
#
# (c) $z = -1 \cdot 1 + 0.5 = -0.5$, $\hat y = \sigma(-0.5) \approx 0.3775$,
# $\partial L/\partial \hat y = \hat y - 0 \approx 0.3775$,
# $\sigma'(-0.5) = \hat y\,(1 - \hat y) \approx 0.2350$, so
# $\partial L / \partial w \approx 0.3775 \cdot 0.2350 \cdot 1 \approx 0.0887$. Positive:
# increasing $w$ raises the loss (it raises $\hat y$, away from $y = 0$), so a step
# $-\eta\,\partial L/\partial w$ decreases $w$.
#
# === BEGIN MARK SCHEME ===
# 4 points in total.
# - 1 point: (a) the chain as a product of three partial derivatives with their values, h' taken
#   at z (h'(a) loses this point).
# - 1 point: (b) the same chain for b, and dz/db = 1 with a reason (z is linear in b with
#   coefficient 1; a nudge of b moves z by the same amount); the source's "l_1" should read 1.
# - 1 point: (b) the consequence of using x: the bias step is scaled by x (wrong size, wrong sign
#   for x < 0, no step at x = 0), so the update no longer follows the gradient.
# - 1 point: (c) about 0.089 with the factors shown, and "w should decrease".
# Accept dL/db = dL/dz, or delta, if the factors are shown. No credit for a bare final formula.
# === END MARK SCHEME ===

# %% [markdown]
# **Exercise (4 points).** Write `neuron_example_gradients`: for a batch of observations, return
# the gradient of **each observation's own loss** $L_i = \frac12(\hat y_i - y_i)^2$, that is
# $\partial L_i / \partial w$ and $\partial L_i / \partial b$ for every $i$, as two arrays of the
# shape of `x`. No sum or mean here: that comes in Section 8. Your derivation shows a factor that
# both gradients share: compute it once.

# %% nbgrader={"grade": false, "grade_id": "neuron_example_gradients", "locked": false, "schema_version": 3, "solution": true, "task": false}
def neuron_example_gradients(w, b, x, y):
    """Per-observation gradients of L = 1/2 (y_hat - y)^2 for a sigmoid neuron.

    Parameters
    ----------
    w, b : float
        Weight and bias.
    x : float or (m,) ndarray
        Observations.
    y : float or (m,) ndarray
        Targets, shape of x.

    Returns
    -------
    dw : float or (m,) ndarray
        dw[i] = dL_i/dw, shape of x.
    db : float or (m,) ndarray
        db[i] = dL_i/db, shape of x.
    """
    ### BEGIN SOLUTION
    z, a = neuron_forward(w, b, x)
    dL_dz = (a - y) * sigmoid_prime(z)
    return dL_dz * x, dL_dz * np.ones_like(z)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "neuron_example_gradients_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does neuron_example_gradients return dw and db, each with the shape of x?"""
check_exercise("01_single_neuron.neuron_example_gradients", neuron_example_gradients,
               part="shape", seeds=[0, 2])

# %% nbgrader={"grade": true, "grade_id": "neuron_example_gradients_values", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false}
"""Are dw and db right for every observation, on the worked example and on fresh inputs?"""
check_exercise("01_single_neuron.neuron_example_gradients", neuron_example_gradients,
               part="values", seeds=[0, 1, 2])
### BEGIN HIDDEN TESTS
check_exercise("01_single_neuron.neuron_example_gradients", neuron_example_gradients,
               part="values", seeds=[11, 12, 13], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# Your function on this section's worked example, the observation $x = 2$, $y = 1$ at
# $w = 0.5$, $b = -1$ (lessons 1 and 2 come back to it), against a centred difference of the
# loss alone (which knows nothing about the chain rule):

# %%
def one_loss(w, b, x=2.0, y=1.0):
    """L = 1/2 (sigmoid(w x + b) - y)^2 for the worked example's observation."""
    return 0.5 * (sigmoid(w * x + b) - y) ** 2


dw_c, db_c = neuron_example_gradients(0.5, -1.0, 2.0, 1.0)
numerical = (one_loss(0.5 + 1e-6, -1.0) - one_loss(0.5 - 1e-6, -1.0)) / 2e-6
print("your dL/dw:", float(dw_c), "  by a centred difference:", round(numerical, 10))
assert np.isclose(dw_c, numerical, rtol=1e-8)

# %% [markdown]
# **Check your own gradient.** A numerical derivative needs nothing but the cost: nudge a
# parameter by $\pm\epsilon$ and divide the change by $2\epsilon$. Why centred? Expand
# $J(w \pm \epsilon) = J(w) \pm \epsilon J'(w) + \tfrac{\epsilon^2}{2} J''(w) \pm
# \tfrac{\epsilon^3}{6} J'''(w) + \dots$: in the difference the $J(w)$ and $J''$ terms cancel, so
# $\frac{J(w+\epsilon) - J(w-\epsilon)}{2\epsilon} = J'(w) + O(\epsilon^2)$, where the one-sided
# $\frac{J(w+\epsilon) - J(w)}{\epsilon}$ is off by $O(\epsilon)$. `gradient_check` does this for
# `w` and `b` separately and prints, per parameter, the largest relative error
# $|g_\text{yours} - g_\text{numerical}| / (|g_\text{yours}| + |g_\text{numerical}|)$. The cost
# below is the mean loss of five observations, written from scratch so that it does not depend on
# your code; its gradient is the mean of your per-observation gradients. A correct gradient lands
# far below the threshold $10^{-7}$; a wrong factor gives $10^{-3}$ or more.

# %%
rng = np.random.default_rng(1)
x_check, y_check = rng.normal(size=5), np.array([0.0, 1.0, 1.0, 0.0, 1.0])


def mean_cost(params):
    """Mean over the five observations of 1/2 (sigmoid(w x + b) - y)^2."""
    y_hat = sigmoid(params["w"] * x_check + params["b"])
    return np.mean(0.5 * (y_hat - y_check) ** 2)


dw, db = neuron_example_gradients(0.8, -0.3, x_check, y_check)
report = gradient_check(mean_cost, {"w": np.array(0.8), "b": np.array(-0.3)},
                        {"dw": np.mean(dw), "db": np.mean(db)})
print(report)

# %% [markdown]
# **The chain on the graph**, now that you have written your answer: the stepper below walks
# through the worked example, one factor of your part (a) at a time.

# %%
# Step through the forward and the backward pass of the worked example (w = 0.5, b = -1, x = 2,
# y = 1), one node at a time: Next/Back or the arrow keys on the step slider. "Use my functions"
# runs your neuron_forward and neuron_example_gradients on the same numbers and marks the first
# node where your value differs from the reference: the place a bug enters.
from autograder.widgets import backprop_stepper

backprop_stepper("neuron", student_functions={
    "neuron_forward": neuron_forward, "neuron_example_gradients": neuron_example_gradients})

# %% [markdown]
# ## Section 7, 'Stochastic gradient descent'
#
# With both slopes in hand, gradient descent moves every parameter against its own slope,
# with the same learning rate $\eta$ (`lr`):
#
# $$w \leftarrow w - \eta\,\frac{\partial L}{\partial w}, \qquad
#   b \leftarrow b - \eta\,\frac{\partial L}{\partial b}.$$
#
# **Stochastic** gradient descent (SGD) takes these slopes from a **single observation**
# $(x_i, y_i)$, with the partial derivatives you derived in Section 6 evaluated at that
# observation, steps, and moves on to the next observation.
#
# **Predict before you code** (on paper; the cell after the tests shows what your function does).
#
# 1. Take the worked example of Section 6, $w = 0.5$, $b = -1$, $x = 2$, $y = 1$, and
#    $\eta = 1$. With the slopes you derived there, what are $w$ and $b$ after one step?
# 2. A classmate's code first sets `w = w - lr * dw` and only then computes the slope for $b$,
#    from the *new* $w$. Is their new $b$ the same as yours? If not, is it larger or smaller,
#    and which of the two is the gradient step the update rule above describes?
#
# <details><summary>Check your prediction</summary>
#
# At $(0.5, -1)$ the neuron has $z = 0$, $\hat y = \tfrac12$, $\sigma'(0) = \tfrac14$, so
# $\partial L/\partial b = (\tfrac12 - 1)\cdot\tfrac14 = -\tfrac18$ and
# $\partial L/\partial w = -\tfrac18\cdot 2 = -\tfrac14$: the step gives $w = 0.75$,
# $b = -0.875$. The classmate's slope for $b$ is taken at $(0.75, -1)$, where $z = 0.5$: it is
# about $-0.089$, so their $b$ is about $-0.911$, a step that belongs to no single point. The
# update rule takes **both** slopes at the current $(w, b)$.
#
# </details>
#
# **Exercise (3 points).** Write `neuron_sgd_step` (you may call your `neuron_example_gradients`).

# %% nbgrader={"grade": false, "grade_id": "neuron_sgd_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def neuron_sgd_step(w, b, x_i, y_i, lr):
    """One stochastic-gradient step of the sigmoid neuron on one observation (x_i, y_i).

    Parameters
    ----------
    w, b : float
        Current weight and bias.
    x_i, y_i : float
        One observation and its target.
    lr : float
        Learning rate (eta).

    Returns
    -------
    w, b : float
        The updated weight and bias.
    """
    ### BEGIN SOLUTION
    dw, db = neuron_example_gradients(w, b, x_i, y_i)
    return w - lr * dw, b - lr * db
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "neuron_sgd_step_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does neuron_sgd_step return two numbers, the new w and b?"""
check_exercise("01_single_neuron.neuron_sgd_step", neuron_sgd_step, part="shape")

# %% nbgrader={"grade": true, "grade_id": "neuron_sgd_step_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are the new w and b right, on the worked example and on fresh inputs?"""
check_exercise("01_single_neuron.neuron_sgd_step", neuron_sgd_step, part="values")
### BEGIN HIDDEN TESTS
check_exercise("01_single_neuron.neuron_sgd_step", neuron_sgd_step, part="values",
               seeds=[11, 12, 13], hidden=True)
### END HIDDEN TESTS

# %%
# Your prediction against your function: one step from the worked example with lr = 1.
print("neuron_sgd_step(0.5, -1.0, 2.0, 1.0, lr=1.0) =", neuron_sgd_step(0.5, -1.0, 2.0, 1.0, 1.0))

# %% [markdown]
# One pass of SGD over all 569 tumours, in a shuffled order, takes 569 small steps. Each step
# only looks at one tumour, so an individual step can make the cost on the whole data set go up;
# over the pass the cost goes down.

# %%
def cancer_cost(w, b):
    """Mean squared-error cost of the neuron on all 569 tumours."""
    _, y_hat = neuron_forward(w, b, x_cancer)
    return np.mean(0.5 * (y_hat - y_cancer) ** 2)


w, b = 0.0, 0.0
sgd_costs = [cancer_cost(w, b)]
for i in np.random.default_rng(0).permutation(x_cancer.size):
    w, b = neuron_sgd_step(w, b, x_cancer[i], y_cancer[i], 0.5)
    sgd_costs.append(cancer_cost(w, b))
print(f"after one pass of SGD: w = {w:.3f}, b = {b:.3f}, "
      f"cost {sgd_costs[0]:.4f} -> {sgd_costs[-1]:.4f}")
assert sgd_costs[-1] < sgd_costs[0]

plt.figure(figsize=(6, 3))
plt.plot(sgd_costs)
plt.xlabel("SGD steps (one observation each)")
plt.ylabel("cost on all 569 tumours")
plt.show()

# %% [markdown]
# ## Section 8, 'Full-batch gradient descent'
#
# Instead of one observation at a time, we can descend the cost of the **whole sample**.
#
# **Sum or mean: the course's convention, stated once.** *How to Fit a Neural Network:
# Backpropagation* uses the sum $\hat L = \sum_{i=1}^m L_i$; the derivative of a sum is the sum
# of the derivatives, $\partial \hat L / \partial w = \sum_i \partial L_i / \partial w$. This
# course always uses the **mean**, $J = \frac1m \sum_i L_i$, whose gradient is the mean of the
# per-example gradients:
#
# $$w \leftarrow w - \eta\,\frac1m\sum_{i=1}^m \frac{\partial L_i}{\partial w}, \qquad
#   b \leftarrow b - \eta\,\frac1m\sum_{i=1}^m \frac{\partial L_i}{\partial b}.$$
#
# The sum is $m$ times the mean, so both point the same way: a step on the sum with learning rate
# $\eta / m$ is exactly a step on the mean with $\eta$. The mean has the advantage that a good
# learning rate does not depend on how many examples there are. Every later lesson, and every
# source document that adds the losses up, is read with this rule; the lessons point back here.
# The cell below checks both facts numerically, from scratch.

# %%
rng = np.random.default_rng(2)
x_batch, y_batch = rng.normal(size=7), rng.integers(0, 2, size=7).astype(np.float64)
w0, b0, eta, eps = 0.7, 0.4, 0.9, 1e-6


def losses(w, b):
    """The seven per-observation losses 1/2 (sigmoid(w x_i + b) - y_i)^2, shape (7,)."""
    return 0.5 * (sigmoid(w * x_batch + b) - y_batch) ** 2


# The slope of the summed loss is the sum of the per-observation slopes ...
per_example = (losses(w0 + eps, b0) - losses(w0 - eps, b0)) / (2 * eps)
slope_of_sum = (losses(w0 + eps, b0).sum() - losses(w0 - eps, b0).sum()) / (2 * eps)
assert np.isclose(slope_of_sum, per_example.sum(), rtol=1e-9)
# ... and the slope of the mean is their mean, 1/m of the slope of the sum.
slope_of_mean = (losses(w0 + eps, b0).mean() - losses(w0 - eps, b0).mean()) / (2 * eps)
assert np.isclose(slope_of_mean, per_example.mean(), rtol=1e-9)
assert np.isclose(slope_of_sum, x_batch.size * slope_of_mean, rtol=1e-9)
# A step on the sum with eta / m lands where a step on the mean with eta lands.
assert np.isclose(w0 - eta / x_batch.size * slope_of_sum, w0 - eta * slope_of_mean)
print(f"slope of the sum {slope_of_sum:.6f} = 7 x slope of the mean {slope_of_mean:.6f}")

# %% [markdown]
# **Predict before you code.** Copy every observation of a batch once, so that the batch has
# twice as many observations and each appears twice. Does one full-batch step on the **mean**
# cost change? And one step on the **sum**? Your function below will answer the first
# question: try it on `x_batch` and on `np.tile(x_batch, 2)` once it passes.
#
# **Exercise (3 points).** Write `neuron_gd_step`: one step on the **mean** cost of the batch.

# %% nbgrader={"grade": false, "grade_id": "neuron_gd_step", "locked": false, "schema_version": 3, "solution": true, "task": false}
def neuron_gd_step(w, b, x, y, lr):
    """One full-batch gradient-descent step of the sigmoid neuron on the mean cost.

    Parameters
    ----------
    w, b : float
        Current weight and bias.
    x, y : (m,) ndarray
        Observations and targets.
    lr : float
        Learning rate (eta).

    Returns
    -------
    w, b : float
        The updated weight and bias.
    """
    ### BEGIN SOLUTION
    dw, db = neuron_example_gradients(w, b, x, y)
    return w - lr * np.mean(dw), b - lr * np.mean(db)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "neuron_gd_step_shape", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Does neuron_gd_step return two numbers, the new w and b?"""
check_exercise("01_single_neuron.neuron_gd_step", neuron_gd_step, part="shape")

# %% nbgrader={"grade": true, "grade_id": "neuron_gd_step_values", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false}
"""Are the new w and b right, on the worked example and on fresh batches?"""
check_exercise("01_single_neuron.neuron_gd_step", neuron_gd_step, part="values")
### BEGIN HIDDEN TESTS
check_exercise("01_single_neuron.neuron_gd_step", neuron_gd_step, part="values",
               seeds=[11, 12, 13], hidden=True)
### END HIDDEN TESTS

# %% [markdown]
# Train the neuron on all 569 tumours with full-batch steps, then use it: predict "benign" when
# $\hat y \ge 0.5$.

# %%
w, b = 0.0, 0.0
gd_costs = [cancer_cost(w, b)]
for _ in range(300):
    w, b = neuron_gd_step(w, b, x_cancer, y_cancer, 2.0)
    gd_costs.append(cancer_cost(w, b))
_, y_hat = neuron_forward(w, b, x_cancer)
accuracy = np.mean((y_hat >= 0.5) == (y_cancer == 1.0))
print(f"w = {w:.3f}, b = {b:.3f}, cost {gd_costs[-1]:.4f}, accuracy {accuracy:.1%} "
      f"(always answering 'benign' scores {np.mean(y_cancer):.1%})")
assert np.all(np.diff(gd_costs) <= 1e-12) and accuracy > 0.85

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
left.plot(gd_costs)
left.set(xlabel="full-batch steps", ylabel="mean cost")
order = np.argsort(x_cancer)
right.plot(x_cancer, y_cancer, "|", alpha=0.4)
right.plot(x_cancer[order], y_hat[order])
right.set(xlabel="mean radius (standardised)", ylabel="y_hat = P(benign)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Section 9, 'Several parameters at once'
#
# Sections 7 and 8 already moved two parameters at once. In vector form, stack the parameters into
# $\theta$ and their partial derivatives, **in the same order**, into the gradient:
#
# $$\theta = \begin{bmatrix} w \\ b \end{bmatrix}, \qquad
#   \nabla J(\theta) = \begin{bmatrix} \partial J / \partial w \\ \partial J / \partial b
#   \end{bmatrix}, \qquad
#   \theta \leftarrow \theta - \eta\,\nabla J(\theta).$$
#
# Each entry of $\theta$ moves against its own partial derivative; the vector form is the two
# scalar updates written at once, and it looks the same for a million parameters. The first cell
# checks that it is the same as your `neuron_gd_step`.

# %%
theta = np.array([0.3, -0.2])                     # [w, b]
dw, db = neuron_example_gradients(theta[0], theta[1], x_cancer, y_cancer)
gradient = np.array([np.mean(dw), np.mean(db)])   # [dJ/dw, dJ/db]: the order of theta
assert np.allclose(theta - 2.0 * gradient,
                   neuron_gd_step(theta[0], theta[1], x_cancer, y_cancer, 2.0))

# %% [markdown]
# *Numeric Minimization of Loss* writes the same update with the gradient listed as
# $\big[\partial J/\partial b,\ \partial J/\partial w\big]$ under the parameter vector
# $[w, b]$. The cell below runs both versions on the cost
# $J(w, b) = \frac12 (w - 1)^2 + 3\,(b + 2)^2$, whose minimum is at $(1, -2)$.

# %%
def gradient_in_order(theta):
    """[dJ/dw, dJ/db] of J(w, b) = 1/2 (w - 1)^2 + 3 (b + 2)^2."""
    w, b = theta
    return np.array([w - 1.0, 6.0 * (b + 2.0)])


def gradient_as_listed(theta):
    """The same partial derivatives in the order the source lists them: [dJ/db, dJ/dw]."""
    return gradient_in_order(theta)[::-1]


def quadratic_cost(theta):
    w, b = theta
    return 0.5 * (w - 1.0) ** 2 + 3.0 * (b + 2.0) ** 2


final = {}
for name, gradient_fn in [("in order", gradient_in_order), ("as listed", gradient_as_listed)]:
    theta = np.zeros(2)
    for _ in range(50):
        theta = theta - 0.1 * gradient_fn(theta)
    final[name] = theta
    print(f"{name:>10}: theta = {np.round(theta, 3)}, J = {quadratic_cost(theta):.4g}")

theta_listed = final["as listed"]
assert np.allclose(final["in order"], [1.0, -2.0], atol=1e-2)
assert quadratic_cost(theta_listed) > quadratic_cost(np.zeros(2))

# %% [markdown]
# **Written exercise (2 points).** (a) If $[w, b]$ is updated with the gradient listed as
# $\big[\partial J/\partial b,\ \partial J/\partial w\big]$, which partial derivative moves $w$?
# (b) Why does that run fail in the cell above, although both lists contain the same two numbers?
# Hint: compare the direction of the step with the direction of steepest descent. (c) How do you
# fix it, and how can code make the mistake impossible?

# %% [markdown] nbgrader={"grade": true, "grade_id": "written_gradient_order", "locked": false, "points": 2, "schema_version": 3, "solution": true, "task": false}
# **Model answer.** (a) $w$ would move by $-\eta\,\partial J/\partial b$ and $b$ by
# $-\eta\,\partial J/\partial w$: each parameter follows the other one's slope.
#
# (b) The swapped vector is not a descent direction. A small step $-\eta d$ changes $J$ by about
# $-\eta\, \nabla J \cdot d$; with $d$ the swapped gradient,
# $\nabla J \cdot d = 2\,\frac{\partial J}{\partial w}\frac{\partial J}{\partial b}$, which is
# negative whenever the two partials have opposite signs, and then the step goes uphill. In the
# cell, $w$ is pushed by the steep $b$-direction (slope $6(b+2)$) and $b$ by the gentle one; the
# iteration does not settle and $J$ grows. Having "the same numbers" is not enough: each number
# must sit next to its own parameter.
#
# (c) List the partials in the order of the parameters,
# $[\partial J/\partial w,\ \partial J/\partial b]$ under $[w, b]$ (or reorder $\theta$ as
# $[b, w]$). In code, keep parameters and gradients in dicts keyed by name
# (`{"w": ..., "b": ...}` and `{"dw": ..., "db": ...}`), or build both vectors with one function,
# so that the order cannot differ.
#
# === BEGIN MARK SCHEME ===
# 2 points in total.
# - 1 point: (a) w moves with dJ/db (and b with dJ/dw), and (b) a reason that this is not descent:
#   the inner product with the true gradient is 2 (dJ/dw)(dJ/db), negative when the signs differ,
#   or an equivalent argument from the cell (the cost grows / the iteration does not converge).
# - 1 point: (c) the fix (same order for parameters and partials) and one way to enforce it in code
#   (names/dicts, one function that builds both, or an assertion on the order).
# === END MARK SCHEME ===

# %% [markdown]
# ## Summary
#
# * Maximising the likelihood is minimising the negative log-likelihood $J$; the log turns a
#   vanishing product into a well-behaved mean.
# * Gradient descent moves each parameter against its own partial derivative,
#   $\theta \leftarrow \theta - \eta \nabla J$, with the partials in the order of the parameters.
# * For one neuron, each parameter's gradient is a product of one factor per link of its chain to
#   the loss; the weight's and the bias's share the factor $\partial L/\partial z$, computed once.
# * SGD steps on one observation at a time; full-batch descent on the mean of all of them. A sum
#   instead of the mean only rescales the learning rate by $m$ (Section 8).
#
# **Next: lesson 2, [One hidden layer](../02_hidden_layer/02_hidden_layer.ipynb)**, where a
# weight reaches the loss through another neuron.
