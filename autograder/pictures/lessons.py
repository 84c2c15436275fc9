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
* :func:`curves_picture` -- training and test curves;
* :func:`digit_training_pictures` -- lesson 6's three pictures of the digit network a student's
  own ``sgd_epoch`` trains (curves, first-layer weights, misclassified test digits).

A picture drawn with a student's functions goes through :func:`when_written`: where one of them
is not written yet (``NotImplementedError``) the cell shows a :class:`Note` saying which exercise
to finish first, instead of an error.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..activations import get_activation
from .network import WEIGHT_CMAP, Plot

#: Two colours a colour-blind reader tells apart (the ends of PuOr), and a neutral third.
COLOURS = ("#e08214", "#542788", "#4d4d4d")


@dataclass
class Note:
    """A sentence shown where a picture would be (its exercise is not written yet)."""

    text: str

    @property
    def caption(self) -> str:  # so that a Gallery may hold a note among its pictures
        return self.text

    def __repr__(self):
        return self.text

    def _repr_html_(self):
        return (f'<p class="picture-note" role="note" style="font-style: italic">'
                f"{html.escape(self.text)}</p>")


@dataclass
class Gallery:
    """Several captioned pictures shown one under the other (one notebook output)."""

    plots: list = field(default_factory=list)

    @property
    def caption(self) -> str:
        return " ".join(plot.caption for plot in self.plots)

    def __repr__(self):  # what a plain-text front end shows: the captions
        return "\n".join(plot.caption if isinstance(plot, Note) else f"[picture] {plot.caption}"
                         for plot in self.plots)

    def _repr_html_(self):
        return "".join(plot._repr_html_() for plot in self.plots)


def when_written(make, needs):
    """``make()``, or a :class:`Note` if a student's function it calls is not written yet.

    Parameters
    ----------
    make : callable
        ``() -> picture``; it calls the student's functions.
    needs : str
        The exercise those functions belong to, as the lesson names it (``"Exercise 5
        (mlp_backward)"``).

    Only ``NotImplementedError`` (the unwritten stub) is turned into a note: any other error in
    a student's function is theirs to see, with its traceback.
    """
    try:
        return make()
    except NotImplementedError:
        return Note(f"Finish {needs} first: this picture is drawn with your own functions, and "
                    "one of them is not written yet. Run this cell again once it is.")


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


def layer_gradient_sizes(gradients, params, X, Y, activations, loss):
    """``||dW_j||`` for each layer ``j = 1..L``, from a gradient function.

    Parameters
    ----------
    gradients : callable
        ``(params, X, Y, activations, loss) -> {"dW1", "db1", ...}``: the reference's or the
        lesson's (the student's) ``mlp_gradients``.
    params : dict
        ``{"W1": (n_1, n_0), "b1": (n_1, 1), ...}``.
    X : (n_0, n) ndarray
    Y : (n_L, n) ndarray
    activations : list of L str
    loss : "squared_error" or "bce"

    Returns
    -------
    (L,) ndarray of float64
        The Frobenius norm of each layer's weight gradient.
    """
    grads = gradients(params, X, Y, activations, loss)
    names = [f"dW{j}" for j in range(1, len(activations) + 1)]
    missing = [name for name in names if name not in grads]
    if missing:
        raise ValueError(f"The gradients have no {', '.join(missing)}: the gradient function "
                         f"must return one dWj per layer (it returned {sorted(grads)}).")
    return np.array([np.linalg.norm(np.asarray(grads[name], dtype=np.float64))
                     for name in names])


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
    return layer_gradient_sizes(mlp_gradients, params, X, Y, activations, "squared_error")


def gradient_sizes_picture(sizes, notation="F", title=""):
    """``||dW_j||`` per layer on a log scale, one line per hidden activation.

    Parameters
    ----------
    sizes : dict of str -> (L,) array_like
        Hidden activation -> the size of each layer's weight gradient, layer 1 first.
    notation : {"F", "a"}
        Axis labels in lesson 5's letters (layer ``j``, ``W_j``, the risk ``R̂``) or in the
        course notation (layer ``l``, ``W^[l]``, the cost ``J``).
    """
    if not sizes:
        raise ValueError("sizes is empty: give at least one activation's gradient sizes.")
    depth = len(next(iter(sizes.values())))
    figure = _figure((6.0, 3.5))
    ax = figure.add_subplot()
    figure.subplots_adjust(left=0.13, right=0.97, bottom=0.15, top=0.9)
    layers = np.arange(1, depth + 1)
    markers = ("o", "s", "^")
    for k, (name, values) in enumerate(sizes.items()):
        ax.semilogy(layers, values, "-" + markers[k % 3], color=COLOURS[k % 3], label=name)
    if notation == "F":
        ax.set_xlabel("layer j (1 = next to the input)")
        ax.set_ylabel(r"$\|\partial \hat{R} / \partial W_j\|$")
    else:
        ax.set_xlabel("layer l (1 = next to the input)")
        ax.set_ylabel(r"$\|\partial J / \partial W^{[l]}\|$")
    ax.set_xticks(layers)
    ax.legend(fontsize=8, title="hidden activation", title_fontsize=8)
    ax.set_title(title or f"Gradient size per layer, {depth}-layer network", fontsize=10)
    ratios = ", ".join(f"{name} {values[0] / values[-1]:.2g}" for name, values in
                       ((n, np.asarray(v, dtype=np.float64)) for n, v in sizes.items()))
    caption = (f"The size of the gradient of each layer's weights in a network of {depth} "
               "layers, on a log scale, one line per hidden activation. The first layer's "
               f"gradient divided by the last layer's: {ratios}.")
    if "sigmoid" in sizes:
        caption += (" With sigmoid hidden units it vanishes towards the input: each layer "
                    "multiplies in a factor σ' ≤ 1/4.")
    return Plot(figure, caption)


def vanishing_gradient_picture(depth=8, width=16, activations=("sigmoid", "tanh", "relu"), *,
                               network=None, gradients=None, loss="bce",
                               needs="Exercise 5 (mlp_backward)"):
    """The gradient's size per layer in a deep network, one line per hidden activation.

    Parameters
    ----------
    depth, width : int
        Without ``network``: the reference's network of :func:`gradient_size_per_layer`.
    activations : sequence of str
        The hidden activations compared (the output is a sigmoid).
    network : (params, X, Y), optional
        A lesson's own deep network and data (lesson 6, Section 5).
    gradients : callable, optional
        With ``network``: the lesson's ``mlp_gradients`` (the student's backpropagation); if it
        is not written yet the picture is a :class:`Note` naming ``needs``.
    loss : "squared_error" or "bce"
        With ``network``: the loss the gradients are of.
    """
    if network is None:
        sizes = {name: gradient_size_per_layer(depth, width, name) for name in activations}
        return gradient_sizes_picture(sizes, notation="a", title=(
            f"{depth}-layer network, {width} units per layer, at initialisation"))
    if gradients is None:
        raise ValueError("With a network, give gradients: the lesson's mlp_gradients.")
    params, X, Y = network
    n_layers = sum(1 for name in params if name.startswith("W"))

    def measure():
        return gradient_sizes_picture({
            name: layer_gradient_sizes(gradients, params, X, Y,
                                       [name] * (n_layers - 1) + ["sigmoid"], loss)
            for name in activations})

    return when_written(measure, needs)


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
    total = int(np.sum(labels != predicted))
    which = ("The one misclassified digit, with its" if total == 1 else
             f"The {total} misclassified digits, each with its" if len(chosen) == total else
             f"{len(chosen)} of the {total} misclassified digits, each with its")
    caption = (f"{which} true label and the network's answer." if len(chosen)
               else "No digit is misclassified.")
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
               + f" after each {xlabel}" + (" (log scale)" if log else "")
               + f"; at the end: training {train[-1]:.3g}"
               + (f", test {test[-1]:.3g}." if test is not None else "."))
    return Plot(figure, caption)


def record_curves(step, params, n_epochs, costs):
    """Train with ``step`` for ``n_epochs``, recording each cost before and after every epoch.

    Parameters
    ----------
    step : callable
        ``params -> params``: one epoch (a new dict; ``params`` is not changed).
    params : dict
        The initial parameters.
    costs : dict of str -> callable
        Curve name -> ``params -> float`` (e.g. the cost on the training and on the test data).

    Returns
    -------
    params : dict
        The parameters after the last epoch.
    curves : dict of str -> (n_epochs + 1,) ndarray
    """
    curves = {name: [float(cost(params))] for name, cost in costs.items()}
    for _ in range(n_epochs):
        params = step(params)
        for name, cost in costs.items():
            curves[name].append(float(cost(params)))
    return params, {name: np.array(values) for name, values in curves.items()}


def digit_training_pictures(sgd_epoch, mlp_forward, mlp_cost, params, data, activations, *,
                            loss="bce", lr=0.5, batch_size=32, n_epochs=30, seed=0,
                            names=None, needs="Exercise 2 (sgd_epoch)"):
    """Lesson 6's pictures of the digit network trained by the student's ``sgd_epoch``.

    The training is the capstone's (``minibatch_sgd``: one generator seeded ``seed``, one
    ``sgd_epoch`` per epoch), so it ends at the same parameters; the cost on the test data is
    recorded after every epoch too.

    Parameters
    ----------
    sgd_epoch, mlp_forward, mlp_cost : callable
        The lesson's functions, with its signatures (``sgd_epoch(params, X, Y, activations,
        loss, lr, batch_size, rng)``, ``mlp_forward(params, X, activations) -> (F_L, cache)``,
        ``mlp_cost(params, X, Y, activations, loss)``).
    params : dict
        The initial parameters ``{"W1": (n_1, 64), ...}``.
    data : (X_train, Y_train, X_test, Y_test)
        Images as columns ``(64, n)``; targets ``(1, n)`` of 0/1.
    names : dict, optional
        Label -> text for the misclassified digits (``{0: "3", 1: "8"}``).

    Returns
    -------
    Gallery or Note
        The training and test curves, the first-layer weights as 8x8 images and the
        misclassified test digits; or a note naming ``needs`` if ``sgd_epoch`` is not written.
    """
    X_train, Y_train, X_test, Y_test = data

    def draw():
        rng = np.random.default_rng(seed)
        trained, curves = record_curves(
            lambda p: sgd_epoch(p, X_train, Y_train, activations, loss, lr, batch_size, rng),
            params, n_epochs,
            {"training": lambda p: mlp_cost(p, X_train, Y_train, activations, loss),
             "test": lambda p: mlp_cost(p, X_test, Y_test, activations, loss)})
        output = np.asarray(mlp_forward(trained, X_test, activations)[0])
        predicted = (output > 0.5).astype(int).ravel()
        labels = (np.asarray(Y_test) > 0.5).astype(int).ravel()
        wrong = int(np.sum(predicted != labels))
        n_layers = sum(1 for name in params if name.startswith("W"))
        shape = "-".join(str(n) for n in [params["W1"].shape[1]] + [
            params[f"W{j}"].shape[0] for j in range(1, n_layers + 1)])
        return Gallery([
            curves_picture(curves["training"], curves["test"], xlabel="epoch",
                           ylabel="cost (cross-entropy)" if loss == "bce" else "cost",
                           title=f"{shape} network, batches of {batch_size}"),
            digit_weights_picture(trained["W1"]),
            misclassified_picture(X_test, labels, predicted, n=8, names=names)
            if wrong else Note("No test digit is misclassified."),
        ])

    return when_written(draw, needs)
