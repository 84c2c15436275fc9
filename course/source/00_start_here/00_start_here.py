# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Start here: backpropagation, by hand and checked
#
# **What this course teaches.** How a neural network computes the gradient it learns from. You
# start with one parameter and a slope, and end with a deep network trained on handwritten
# digits. Along the way you *derive* every gradient on paper first (a short written derivation,
# or a number, a shape or a sign you predict), then write it as numpy code, then check it
# against numerical differences. Nothing is a black box: at the end you compare your own
# backpropagation with an automatic-differentiation library.
#
# **For whom.** Students of a first machine-learning or deep-learning course, and self-learners
# who have used a framework and want to know what `loss.backward()` does. Each lesson is meant
# for an afternoon: the times below are a reviewer's estimate for a student meeting
# backpropagation for the first time, most of it spent on the written derivations (the course
# aims at 2.5 hours a lesson, and lessons 2-6 are still longer than that).
#
# **Prerequisites.**
#
# - Calculus: derivatives, the chain rule for one variable; partial derivatives (lesson 1 and 2
#   introduce the multivariate chain rule as you need it).
# - Linear algebra: matrix products and transposes, and what the shape of a product is.
# - Python and numpy: arrays, broadcasting, `@`, `sum`/`mean` with `axis=`. No deep-learning
#   framework.
# - Probability: what a likelihood is helps in lessons 1 and 3, but they explain it.

# %% [markdown]
# ## The lessons
#
# | lesson | objectives: after it you can ... | time |
# |---|---|---|
# | [00 Start here](00_start_here.ipynb) | find your way, read the notation | 15 min |
# | [01 Gradient descent and the single neuron](../01_single_neuron/01_single_neuron.ipynb) | turn a likelihood into a cost; run gradient descent and predict when it diverges; derive one neuron's gradients with the chain rule; write SGD and full-batch steps | 3 h |
# | [02 One hidden layer](../02_hidden_layer/02_hidden_layer.ipynb) | write a hidden layer's forward pass; derive every gradient of the network; check them numerically; handle a weight shared by several units | 3.5-4 h |
# | [03 Logistic regression, vectorised](../03_logistic_regression/03_logistic_regression.ipynb) | compute the cross-entropy stably from the logit; derive $\partial J/\partial z$ and the batch gradients as matrix products; train a tumour classifier | 3.5 h |
# | [04 The generalised delta rule](../04_generalised_delta/04_generalised_delta.ipynb) | derive output and hidden deltas; write every gradient as delta times activation; find planted bugs with a gradient checker; backpropagate through any depth | 4 h |
# | [05 Backpropagation through L layers with Jacobians](../05_deep_networks/05_deep_networks.ipynb) | write backpropagation for $L$ layers with Jacobians, in the course's column layout | 4 h |
# | [06 Mini-batch SGD and training a digit classifier](../06_minibatch_sgd/06_minibatch_sgd.ipynb) | estimate the gradient from mini-batches, choose a batch size, and train a digit classifier; what a gradient costs and why deep sigmoid networks learn slowly | 3.5 h |
#
# Every lesson begins with its learning objectives and ends with a link to the next one (the last
# with further reading).

# %% [markdown]
# ## How to check your work
#
# - **Exercises.** Write your code where it says `# YOUR CODE HERE` (keep the `def` line and its
#   docstring, which says what the function computes and the shapes), then run the test cell
#   under it. A failing test says what it expected, what it got, and, for the usual slips, which
#   one it looks like and where in the lesson to look.
# - **Written derivations.** Write them where it says `YOUR ANSWER HERE` (Markdown with LaTeX).
#   They come *before* the code they lead to: derive first, then code. Your instructor grades them
#   by hand; a self-learner compares with the model answer in `solutions/`.
# - **Gradient checks.** Lessons 1-5 compare your gradients with centred differences; a right
#   gradient lands far below the threshold $10^{-7}$.
# - **A whole notebook**, as your instructor will check it (your file is not changed):
#   `python -m autograder check notebooks/01_single_neuron/01_single_neuron.ipynb`.
#   The instructor's grading also runs hidden tests on fresh random inputs, so an answer that
#   only fits the worked example will not pass them.
#
# ## Where the solutions are
#
# `solutions/<lesson>/<lesson>.ipynb` holds every lesson solved: the code of every exercise, and
# every written question's **model answer** with its **mark scheme** under headings of those
# names. The hidden tests are not in them. Try first: the feedback is the best part.

# %% [markdown]
# <!-- include: docs/notation.md -->

# %% [markdown]
# ## References
#
# The lessons are written in our own words from four source documents, which they cite by title
# where they follow them (the course corrects their slips and says where):
#
# 1. *How to Fit a Neural Network: Backpropagation*. Lecture notes on gradient descent for a
#    single neuron and one hidden layer, with SGD and full-batch updates (lessons 1 and 2). No
#    author or course is stated in the document.
# 2. *CSCI 5525 Machine Learning, Fall 2019, Lecture 10: Neural Networks (Part 2)*, by Steven Wu
#    (lecturer and scribe), dated 25 February 2020: empirical risk, backpropagation through $L$
#    layers with Jacobians, mini-batch SGD (lessons 5 and 6).
# 3. *Numeric Minimization of Loss*. Handwritten-style notes on gradient descent on $J(w)$ and
#    vectorised logistic regression (lessons 1 and 3). No author or course is stated.
# 4. *Backpropagation. A Peek into the Mathematics of Optimization*. Notes on the generalised
#    delta rule in a 2-3-2 sigmoid network (lesson 4), written for a course that otherwise uses
#    TensorFlow and scikit-learn. No author is stated.
#
# ## Further reading
#
# - Ian Goodfellow, Yoshua Bengio and Aaron Courville, *Deep Learning*, MIT Press 2016,
#   chapter 6, "Deep Feedforward Networks" (6.5: back-propagation), free at
#   <https://www.deeplearningbook.org>.
# - Michael Nielsen, *Neural Networks and Deep Learning*, chapter 2, "How the backpropagation
#   algorithm works", <http://neuralnetworksanddeeplearning.com/chap2.html>.
# - Stanford CS231n, "Backpropagation, Intuitions" and "Derivatives, Backpropagation, and
#   Vectorization", <https://cs231n.github.io/optimization-2/>.
# - Aston Zhang, Zachary Lipton, Mu Li and Alexander Smola, *Dive into Deep Learning*,
#   chapter 5, "Multilayer Perceptrons" (5.3: forward propagation, backward propagation, and
#   computational graphs), <https://d2l.ai>.
# - Andrej Karpathy, *micrograd*, a tiny scalar autograd engine with a neural-network library on
#   top, <https://github.com/karpathy/micrograd>, and its lecture "The spelled-out intro to
#   neural networks and backpropagation".
#
# ## Licence
#
# Code: MIT. Lesson text: CC BY 4.0 (see `LICENSE` and `LICENSE-CONTENT.md`).
#
# **Next: lesson 1, [Gradient descent and the single neuron](../01_single_neuron/01_single_neuron.ipynb).**
