"""The static pictures the lessons show where they teach, computed by the course's own code.

Each ``*_picture`` function returns a :class:`autograder.pictures.network.Plot` (a bare
matplotlib figure and a caption; a notebook shows it with the caption as alt text). The numbers
behind each picture come from a pure function next to it, which the tests check:

* :func:`activation_picture` -- sigmoid, tanh and ReLU with their derivatives: saturation, and
  ``σ' <= 1/4`` (:func:`activation_curves`);
* :func:`vanishing_gradient_picture` -- the size of the gradient of each layer's weights in a
  deep network at initialisation (:func:`gradient_size_per_layer`, from
  :func:`autograder.reference.mlp.mlp_gradients`);
* :func:`decision_region_picture` -- a two-feature classifier's decision regions and its data
  (lesson 4's radius-texture network; :func:`decision_grid`);
* :func:`digit_weights_picture` and :func:`misclassified_picture` -- the first-layer weights of a
  digit network as 8x8 images, and digits it gets wrong (lesson 5);
* :func:`curves_picture` -- training and test curves.
"""
from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..activations import get_activation
from .network import WEIGHT_CMAP, Plot

#: Two colours a colour-blind reader tells apart (the ends of PuOr), and a neutral third.
COLOURS = ("#e08214", "#542788", "#4d4d4d")


def _figure(figsize):
    figure = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(figure)
    return figure


def activation_curves(z=None, names=("sigmoid", "tanh", "relu")):
    """Each activation and its derivative on a grid.

    Returns
    -------
    z : (n,) ndarray
    curves : dict of str -> (f(z), f'(z)) pair of (n,) ndarrays
    """
    z = np.linspace(-6.0, 6.0, 481) if z is None else np.asarray(z, dtype=np.float64)
    return z, {name: (get_activation(name).f(z), get_activation(name).df(z)) for name in names}


def activation_picture():
    """Sigmoid, tanh and ReLU (left) and their derivatives (right), with ``σ' <= 1/4`` marked
    and the saturated tails of the sigmoid shaded."""
    z, curves = activation_curves()
    figure = _figure((9.0, 3.3))
    left, right = figure.subplots(1, 2)
    figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.25)
    styles = {"sigmoid": ("-", COLOURS[0]), "tanh": ("--", COLOURS[1]), "relu": (":", COLOURS[2])}
    for name, (f, df) in curves.items():
        ls, colour = styles[name]
        left.plot(z, f, ls, color=colour, lw=2, label=name)
        right.plot(z, df, ls, color=colour, lw=2, label=f"{name}'")
    slope = curves["sigmoid"][1]
    saturated = slope < 0.02  # the flat tails: almost no gradient passes through the unit
    for ax in (left, right):
        ax.fill_between(z, 0, 1, where=saturated, transform=ax.get_xaxis_transform(),
                        color="0.9", zorder=0)
        ax.set_xlabel("z")
        ax.set_xlim(z[0], z[-1])
    right.axhline(0.25, color=COLOURS[0], lw=0.8)
    right.annotate("σ' ≤ 1/4 (largest at z = 0)", (0.0, 0.25), xytext=(0.6, 0.45),
                   fontsize=8, color=COLOURS[0], arrowprops={"arrowstyle": "->",
                                                             "color": COLOURS[0]})
    right.text(-5.8, 0.62, "saturated:\nσ' < 0.02", fontsize=8, color="0.35")
    left.set_ylim(-1.15, 1.6)
    right.set_ylim(-0.05, 1.15)
    left.set_title("activations h(z)", fontsize=10)
    right.set_title("derivatives h'(z)", fontsize=10)
    left.legend(fontsize=8, loc="upper left")
    right.legend(fontsize=8, loc="upper right")
    caption = ("Left: the sigmoid, tanh and ReLU activations. Right: their derivatives. The "
               "sigmoid's derivative is at most 1/4 (at z = 0) and nearly 0 in the shaded "
               "tails, where the unit is saturated; tanh's is at most 1; ReLU's is 1 for z > 0 "
               "and 0 for z < 0.")
    return Plot(figure, caption)


def gradient_size_per_layer(depth=8, width=16, activation="sigmoid", seed=0, n_samples=64):
    """The size of each layer's weight gradient at initialisation, in a deep network.

    A ``depth``-layer network of ``width`` units per hidden layer (the default LeCun scale of
    :func:`autograder.reference.mlp.init_mlp`), random standard-normal inputs, a squared-error
    loss on random targets. The gradient of layer ``l`` holds the product of ``L - l`` factors
    ``W^T σ'``; with the sigmoid each ``σ'`` is at most 1/4, so the early layers' gradients
    shrink geometrically.

    Returns
    -------
    (depth,) ndarray of float64
        ``||dW_l||`` (Frobenius norm) for ``l = 1 .. depth``.
    """
    from ..reference.mlp import init_mlp, mlp_gradients

    rng = np.random.default_rng(seed)
    sizes = [width] * depth + [1]
    params = init_mlp(sizes, seed=seed)
    X = rng.standard_normal((width, n_samples))
    Y = rng.uniform(0.0, 1.0, size=(1, n_samples))
    activations = [activation] * (depth - 1) + ["sigmoid"]
    grads = mlp_gradients(params, X, Y, activations, "squared_error")
    return np.array([np.linalg.norm(grads[f"dW{l}"]) for l in range(1, depth + 1)])


def vanishing_gradient_picture(depth=8, width=16, activations=("sigmoid", "tanh", "relu")):
    """``||dW_l||`` per layer on a log scale, one line per hidden activation."""
    figure = _figure((6.0, 3.5))
    ax = figure.add_subplot()
    figure.subplots_adjust(left=0.13, right=0.97, bottom=0.15, top=0.9)
    layers = np.arange(1, depth + 1)
    markers = ("o", "s", "^")
    sizes = {}
    for k, name in enumerate(activations):
        sizes[name] = gradient_size_per_layer(depth, width, name)
        ax.semilogy(layers, sizes[name], "-" + markers[k], color=COLOURS[k % 3], label=name)
    ax.set_xlabel("layer l (1 = next to the input)")
    ax.set_ylabel(r"$\|\partial J / \partial W^{(l)}\|$")
    ax.set_xticks(layers)
    ax.legend(fontsize=8, title="hidden activation", title_fontsize=8)
    ax.set_title(f"{depth}-layer network, {width} units per layer, at initialisation",
                 fontsize=10)
    ratio = sizes[activations[0]][-1] / sizes[activations[0]][0]
    caption = (f"The size of the gradient of each layer's weights in a {depth}-layer network at "
               f"initialisation, on a log scale. With sigmoid hidden units the first layer's "
               f"gradient is {ratio:.0f} times smaller than the last layer's: each layer "
               "multiplies in a factor σ' ≤ 1/4 (vanishing gradients).")
    return Plot(figure, caption)


def decision_grid(predict, x_range, y_range, n=150):
    """A two-feature classifier's output on a grid.

    Parameters
    ----------
    predict : callable
        ``(m, 2) ndarray -> (m,) ndarray``: the score of class 1 (or the class itself).
    x_range, y_range : (float, float)

    Returns
    -------
    G1, G2, S : (n, n) ndarrays
    """
    G1, G2 = np.meshgrid(np.linspace(*x_range, n), np.linspace(*y_range, n))
    scores = np.asarray(predict(np.column_stack([G1.ravel(), G2.ravel()])), dtype=np.float64)
    return G1, G2, scores.reshape(G1.shape)


def decision_region_picture(predict, points, labels, feature_names=("x1", "x2"),
                            class_names=("class 0", "class 1"), threshold=0.5, title=""):
    """The decision regions of a two-feature classifier, its boundary and the data.

    Parameters
    ----------
    predict : callable
        ``(m, 2) -> (m,)``: the probability (or score) of class 1.
    points : (m, 2) ndarray
        One example per row.
    labels : (m,) ndarray of 0/1
    threshold : float
        The boundary is ``predict = threshold``.
    """
    points = np.asarray(points, dtype=np.float64)
    labels = np.asarray(labels).ravel().astype(int)
    pad = 0.5
    x_range = (points[:, 0].min() - pad, points[:, 0].max() + pad)
    y_range = (points[:, 1].min() - pad, points[:, 1].max() + pad)
    G1, G2, S = decision_grid(predict, x_range, y_range)
    figure = _figure((5.6, 4.4))
    ax = figure.add_subplot()
    figure.subplots_adjust(left=0.13, right=0.97, bottom=0.12, top=0.9)
    ax.contourf(G1, G2, S >= threshold, levels=[-0.5, 0.5, 1.5], colors=["#d8daeb", "#fee0b6"])
    ax.contour(G1, G2, S, levels=[threshold], colors="k", linewidths=1.5)
    for c, (marker, colour) in enumerate((("o", COLOURS[1]), ("^", COLOURS[0]))):
        chosen = labels == c
        ax.scatter(points[chosen, 0], points[chosen, 1], s=10, marker=marker, color=colour,
                   alpha=0.7, linewidths=0, label=class_names[c])
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(title or "decision regions", fontsize=10)
    accuracy = float(np.mean((np.asarray(predict(points)) >= threshold) == (labels == 1)))
    caption = (f"The classifier's decision regions over {feature_names[0]} and "
               f"{feature_names[1]}: shaded orange where it predicts {class_names[1]}, purple "
               f"where it predicts {class_names[0]}, the black line its boundary; the points "
               f"are the examples (triangles {class_names[1]}, circles {class_names[0]}). "
               f"{accuracy:.0%} of them lie on their own side.")
    return Plot(figure, caption)


def digit_weights_picture(W1, n_shown=16, n_cols=8):
    """The first-layer weights of a digit network: row ``j`` of ``W1`` as an 8x8 image.

    Parameters
    ----------
    W1 : (n_hidden, 64) array_like
        Columns convention: row ``j`` holds the weights into hidden unit ``j``.
    """
    W1 = np.asarray(W1, dtype=np.float64)
    if W1.ndim != 2 or W1.shape[1] != 64:
        raise ValueError(f"W1 must have shape (n_hidden, 64) for 8x8 digits; got {W1.shape}.")
    n = min(n_shown, W1.shape[0])
    n_rows = int(np.ceil(n / n_cols))
    figure = _figure((1.1 * min(n, n_cols) + 0.8, 1.2 * n_rows + 0.4))
    axes = figure.subplots(n_rows, min(n, n_cols), squeeze=False)
    top = float(np.max(np.abs(W1[:n]))) or 1.0
    image = None
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k < n:
            image = ax.imshow(W1[k].reshape(8, 8), cmap=WEIGHT_CMAP, vmin=-top, vmax=top)
            ax.set_title(f"unit {k + 1}", fontsize=8)
    figure.colorbar(image, ax=axes, shrink=0.8, label="weight")
    caption = (f"The weights into the first {n} hidden units, each drawn as the 8x8 image it is "
               "matched against: orange pixels push the unit up, purple ones down, white ones "
               "do not matter.")
    return Plot(figure, caption)


def misclassified(X, labels, predicted, n=8):
    """Indices of up to ``n`` examples whose prediction differs from the label, in order."""
    wrong = np.flatnonzero(np.asarray(predicted).ravel() != np.asarray(labels).ravel())
    return wrong[:n]


def misclassified_picture(X, labels, predicted, n=8, names=None):
    """A few digits the network gets wrong, with the label and the prediction.

    Parameters
    ----------
    X : (64, m) array_like
        One 8x8 image per column (columns convention).
    labels, predicted : (m,) array_like
    names : dict, optional
        Label value -> text (``{0: "3", 1: "8"}``).
    """
    X = np.asarray(X, dtype=np.float64)
    labels, predicted = np.asarray(labels).ravel(), np.asarray(predicted).ravel()
    chosen = misclassified(X, labels, predicted, n)
    names = names or {}
    figure = _figure((1.2 * max(len(chosen), 1) + 0.4, 1.7))
    axes = figure.subplots(1, max(len(chosen), 1), squeeze=False)[0]
    for ax in axes:
        ax.set_axis_off()
    for ax, i in zip(axes, chosen):
        ax.imshow(X[:, i].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"is {names.get(labels[i], labels[i])}\nsaid "
                     f"{names.get(predicted[i], predicted[i])}", fontsize=8)
    caption = (f"{len(chosen)} of the {int(np.sum(labels != predicted))} misclassified digits, "
               "with the true label and the network's answer." if len(chosen) else
               "No digit is misclassified.")
    return Plot(figure, caption)


def curves_picture(train, test=None, xlabel="epoch", ylabel="cost", log=True, title=""):
    """Training (and test) curves against the epoch."""
    figure = _figure((5.6, 3.4))
    ax = figure.add_subplot()
    figure.subplots_adjust(left=0.14, right=0.97, bottom=0.15, top=0.9)
    plot = ax.semilogy if log else ax.plot
    plot(np.arange(len(train)), train, "o-", ms=3, color=COLOURS[0], label="training")
    if test is not None:
        plot(np.arange(len(test)), test, "s--", ms=3, color=COLOURS[1], label="test")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    caption = (f"The {ylabel} on the training data" + (" and on the held-out test data"
                                                        if test is not None else "")
               + f" after each {xlabel}" + (" (log scale)." if log else "."))
    return Plot(figure, caption)
