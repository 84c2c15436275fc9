"""Draw a layered network with matplotlib: nodes in columns, one line per weight.

:func:`draw_network` is the one drawing function of the course. It knows nothing about any
lesson; the presets below it (:func:`neuron_picture`, :func:`hidden_layer_picture`,
:func:`logistic_picture`, :func:`network_232_picture`, :func:`deep_network_picture`) give it each
lesson's shapes and names, in the course notation, and a caption.

Layout
------
Layer ``l`` is the column ``x = l``; its ``n_l`` nodes are spread evenly over ``y in [0, 1]``,
the first at the top. A layer with more than ``max_shown`` nodes shows its first
``max_shown - 2``, a vertical ellipsis and its last node, so a 64-input network stays readable.
Edge labels sit on their line at a fraction of the way that depends on the *source* node (the
first source near its own end, the last near the target's end): edges leaving one node fan out
and edges entering one node fan in, so labels placed this way do not sit on top of each other
(``tests/unit/test_pictures_network.py`` measures their boxes with a renderer).

Weights are drawn in the rows convention of seed 004: ``weights[l][i, j]`` joins node ``i`` of
layer ``l`` to node ``j`` of layer ``l + 1``. A columns-convention matrix ``W`` (one row per
unit it feeds) is passed as ``W.T``. Colour and width show the value: the diverging colour map
``PuOr`` (ColorBrewer, readable with the common colour-vision deficiencies), purple for
negative, orange for positive, width growing with ``|w|``.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Circle

#: The diverging, colour-blind-safe map for weight values (ColorBrewer PuOr).
WEIGHT_CMAP = "PuOr_r"
#: Colour of a highlighted node or edge (the stepper's current step): a dark blue that stays
#: distinct from both ends of PuOr and from grey.
HIGHLIGHT = "#0b5394"
#: Colour of a node whose value differs from the reference (the first place a bug shows).
MISMATCH = "#b2182b"
#: Radius of a node, in inches.
NODE_RADIUS = 0.22
#: Gap between a node's centre and the value above / the gradient below it, in points.
TEXT_OFFSET = 18
_ELLIPSIS = "⋮"


def mathtext(name: str) -> str:
    """A plain name as matplotlib mathtext: ``"h1"`` -> ``$h_{1}$``, ``"w12"`` -> ``$w_{12}$``.

    Names already containing ``$`` are returned unchanged; so are names with spaces.
    """
    if "$" in name or " " in name or not name:
        return name
    match = re.fullmatch(r"([A-Za-zσδ∂]+)(\d+)", name)
    if match:
        return f"${match.group(1)}_{{{match.group(2)}}}$"
    return f"${name}$" if re.fullmatch(r"[A-Za-z]+", name) else name


class Captioned:
    """A figure with a caption: shown in a notebook as a PNG with the caption as alt text and as a
    visible caption under it (``_repr_html_``), or as bare PNG bytes (``png``).

    Subclasses have ``figure`` (a bare :class:`matplotlib.figure.Figure`) and ``caption``.
    """

    def png(self, dpi=None) -> bytes:
        """The figure as PNG bytes (Agg, no pyplot)."""
        import io

        if not isinstance(self.figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(self.figure)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi or self.figure.dpi)
        return buffer.getvalue()

    def _repr_png_(self):
        return self.png()

    def _repr_html_(self):
        # A figure with alt text and a visible caption: what a screen reader and a reader see.
        data = base64.b64encode(self.png()).decode("ascii")
        caption = html.escape(self.caption)
        return (f'<figure style="margin: 0"><img src="data:image/png;base64,{data}" '
                f'alt="{caption}" style="max-width: 100%"/>'
                f'<figcaption style="font-style: italic; max-width: 800px">{caption}'
                "</figcaption></figure>")


@dataclass
class Plot(Captioned):
    """Any captioned figure (the static pictures of :mod:`autograder.pictures.lessons`)."""

    figure: Figure
    caption: str


@dataclass
class Picture(Captioned):
    """A drawn network and handles on what is drawn, for tests and for the widgets.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes
    caption : str
        What the picture shows, in words: shown under it and used as its alt text.
    positions : dict of str -> (float, float)
        Node name -> centre in data coordinates.
    nodes : dict of str -> matplotlib.patches.Circle
    node_texts, value_texts, grad_texts : dict of str -> matplotlib.text.Text
        The name inside each node, the value above it and the gradient below it.
    edges : dict of str -> matplotlib.lines.Line2D
        Edge name -> its line (edge names are the labels given, else ``"e<l>_<i>_<j>"``).
    edge_texts : dict of str -> matplotlib.text.Text
    edge_ends : dict of str -> (str, str)
        Edge name -> (source node, target node).
    """

    figure: Figure
    ax: object
    caption: str
    positions: dict = field(default_factory=dict)
    nodes: dict = field(default_factory=dict)
    node_texts: dict = field(default_factory=dict)
    value_texts: dict = field(default_factory=dict)
    grad_texts: dict = field(default_factory=dict)
    edges: dict = field(default_factory=dict)
    edge_texts: dict = field(default_factory=dict)
    edge_ends: dict = field(default_factory=dict)

    def texts(self):
        """Every text artist with something written in it (for the overlap test)."""
        groups = (self.node_texts, self.value_texts, self.grad_texts, self.edge_texts)
        return [t for group in groups for t in group.values() if t.get_text()] + \
            [t for t in self.ax.texts if t.get_text() and t not in
             {x for g in groups for x in g.values()}]


def _shown_indices(n, max_shown):
    """Which node indices of a layer of ``n`` are drawn; ``None`` marks the ellipsis."""
    if n <= max_shown:
        return list(range(n))
    return list(range(max_shown - 2)) + [None, n - 1]


def _default_names(layer_sizes):
    names = []
    for l, n in enumerate(layer_sizes):
        names.append([f"$a^{{[{l}]}}_{{{j + 1}}}$" for j in range(n)])
    return names


def draw_network(layer_sizes, *, weights=None, node_labels=None, edge_labels=None, values=None,
                 grads=None, highlight=None, ax=None, layer_titles=None, gap_titles=None,
                 bias_labels=None, caption="", max_shown=6, figsize=None, fontsize=11,
                 value_format="{:.3g}", display=None):
    """Draw a layered network: one column of nodes per layer, one line per weight.

    Parameters
    ----------
    layer_sizes : sequence of int
        Nodes per layer, inputs first, e.g. ``(2, 3, 2)``.
    weights : sequence of ((n_l, n_{l+1}) array_like or None), optional
        ``weights[l][i, j]`` joins node ``i`` of layer ``l`` to node ``j`` of layer ``l + 1``
        (rows convention; pass a columns-convention ``W`` as ``W.T``). Colour and width of each
        line show the value. Lines without a weight (``None``) are all the same grey.
    node_labels : sequence of sequence of str, optional
        A name per node per layer (``"x1"``, ``"h2"``; drawn as mathtext ``h_2``). The names are
        also the keys of ``values``, ``grads``, ``highlight`` and of the returned handles.
    edge_labels : sequence of (n_l, n_{l+1}) array_like of str or None, optional
        A name per weight (``"w11"``), written on its line; ``None`` for a layer leaves it bare.
    values, grads : dict of str -> float, optional
        A number written above (values) or below (gradients) a node, or on an edge (grads only).
    highlight : str or iterable of str, optional
        Names of nodes and edges drawn in :data:`HIGHLIGHT`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new bare figure (no pyplot) when omitted.
    layer_titles : sequence of str, optional
        A title under each column (``"inputs"``, ``"hidden h"``).
    gap_titles : sequence of str, optional
        A title above each gap between columns (``"weights w"``).
    bias_labels : sequence of (sequence of str or None), optional
        For each layer after the first, a bias name per node, drawn as a small square feeding it.
    caption : str
        What the picture shows (the alt text).
    max_shown : int
        Layers with more nodes show the first ``max_shown - 2``, an ellipsis and the last.
    figsize : (float, float), optional
    fontsize : float
    value_format : str
        How values and gradients are written.
    display : dict of str -> str, optional
        Text to show for a node or edge name instead of its mathtext form.

    Returns
    -------
    Picture
    """
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two layers of at least one node; got "
                         f"{tuple(layer_sizes)}.")
    n_layers = len(sizes)
    names = [list(layer) for layer in node_labels] if node_labels is not None \
        else _default_names(sizes)
    if [len(layer) for layer in names] != sizes:
        raise ValueError(f"node_labels must have {sizes} names per layer; got "
                         f"{[len(layer) for layer in names]}.")
    if weights is not None:
        weights = [None if W is None else np.asarray(W, dtype=np.float64) for W in weights]
        expected = [(sizes[l], sizes[l + 1]) for l in range(n_layers - 1)]
        if len(weights) != n_layers - 1 or any(
                W is not None and W.shape != e for W, e in zip(weights, expected)):
            raise ValueError(f"weights[l] must have shape (n_l, n_l+1) = {expected} (rows "
                             f"convention: pass a columns-convention W as W.T); got "
                             f"{[None if W is None else W.shape for W in weights]}.")
    values, grads = dict(values or {}), dict(grads or {})
    highlight = {highlight} if isinstance(highlight, str) else set(highlight or ())

    if ax is None:
        shown_max = max(len(_shown_indices(n, max_shown)) for n in sizes)
        width, height = figsize or (1.9 + 2.3 * (n_layers - 1), 1.3 + 0.95 * shown_max)
        figure = Figure(figsize=(width, height), dpi=100)
        FigureCanvasAgg(figure)
        ax = figure.add_axes((0.01, 0.01, 0.98, 0.98))
    figure = ax.figure
    ax.set_axis_off()
    ax.set_aspect("auto")
    picture = Picture(figure=figure, ax=ax, caption=caption)

    # Node positions: shown nodes spread over [0, 1], first at the top.
    shown = [_shown_indices(n, max_shown) for n in sizes]
    spots = {}
    for l, indices in enumerate(shown):
        k = len(indices)
        for slot, j in enumerate(indices):
            y = 0.5 if k == 1 else 1.0 - slot / (k - 1)
            spots[(l, j)] = (float(l), y)

    norm = None
    display = dict(display or {})
    if weights is not None and any(W is not None for W in weights):
        top = max(float(np.max(np.abs(W))) for W in weights if W is not None) or 1.0
        norm = TwoSlopeNorm(vcenter=0.0, vmin=-top, vmax=top)
        cmap = _cmap(WEIGHT_CMAP)

    # Edges first, under the nodes.
    for l in range(n_layers - 1):
        labels = None if edge_labels is None else edge_labels[l]
        sources = [i for i in shown[l] if i is not None]
        targets = [j for j in shown[l + 1] if j is not None]
        for s_slot, i in enumerate(sources):
            for j in targets:
                (x0, y0), (x1, y1) = spots[(l, i)], spots[(l + 1, j)]
                name = str(labels[i][j]) if labels is not None else f"e{l}_{i}_{j}"
                if norm is not None and weights[l] is not None:
                    value = weights[l][i, j]
                    colour = cmap(norm(value))
                    lw = 0.8 + 3.2 * abs(value) / (norm.vmax or 1.0)
                else:
                    colour, lw = "0.55", 1.2
                if name in highlight:
                    colour, lw = HIGHLIGHT, max(lw, 3.0) + 1.0
                # A thin grey line under each coloured one: a weight near 0 (white in the
                # colour map) stays visible.
                ax.plot([x0, x1], [y0, y1], color="0.82", lw=0.7, zorder=0.5)
                line = ax.plot([x0, x1], [y0, y1], color=colour, lw=lw, zorder=1,
                               solid_capstyle="round")[0]
                picture.edges[name] = line
                picture.edge_ends[name] = (names[l][i], names[l + 1][j])
                text = labels is not None or name in grads
                if text:
                    # Stagger along the line by source (see the module docstring).
                    frac = 0.5 if len(sources) == 1 else \
                        0.24 + 0.52 * s_slot / (len(sources) - 1)
                    tx, ty = x0 + frac * (x1 - x0), y0 + frac * (y1 - y0)
                    label = display.get(name, mathtext(name)) if labels is not None else ""
                    if name in grads:
                        label = f"{label} {value_format.format(grads[name])}".strip()
                    picture.edge_texts[name] = ax.text(
                        tx, ty, label, ha="center", va="center", fontsize=fontsize - 2,
                        color=HIGHLIGHT if name in highlight else "0.15", zorder=3,
                        bbox={"boxstyle": "round,pad=0.12", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.9})

    # Biases: a small square above-left of each node it feeds.
    for l in range(1, n_layers):
        labels = None if bias_labels is None else bias_labels[l - 1]
        if labels is None:
            continue
        for j in shown[l]:
            if j is None:
                continue
            x, y = spots[(l, j)]
            bx, by = x - 0.22, y + 0.3
            ax.plot([bx, x], [by, y], color="0.6", lw=1.0, ls=(0, (2, 2)), zorder=1)
            name = labels[j]
            picture.positions[name] = (bx, by)
            picture.node_texts[name] = ax.text(
                bx, by, mathtext(name), ha="center", va="center", fontsize=fontsize - 2,
                zorder=4, color=HIGHLIGHT if name in highlight else "0.1",
                bbox={"boxstyle": "square,pad=0.2", "facecolor": "#f4f4f4",
                      "edgecolor": HIGHLIGHT if name in highlight else "0.5"})
            if name in grads:
                picture.grad_texts[name] = ax.annotate(
                    value_format.format(grads[name]), (bx, by), xytext=(0, 11),
                    textcoords="offset points", ha="center", va="bottom",
                    fontsize=fontsize - 2, color=HIGHLIGHT, zorder=4)

    # Nodes, their names, values above and gradients below.
    for (l, j), (x, y) in spots.items():
        if j is None:
            ax.text(x, y, _ELLIPSIS, ha="center", va="center", fontsize=fontsize + 4,
                    color="0.3")
            continue
        name = names[l][j]
        lit = name in highlight
        circle = Circle((0.0, 0.0), 1.0, facecolor="#e8f0fa" if lit else "white",
                        edgecolor=HIGHLIGHT if lit else "0.2", lw=2.6 if lit else 1.3,
                        zorder=5)
        circle.set_transform(_circle_transform(ax, x, y))
        ax.add_patch(circle)
        picture.nodes[name] = circle
        picture.positions[name] = (x, y)
        picture.node_texts[name] = ax.text(x, y, display.get(name, mathtext(name)),
                                           ha="center", va="center",
                                           fontsize=fontsize, zorder=6)
        above = value_format.format(values[name]) if name in values else ""
        below = value_format.format(grads[name]) if name in grads else ""
        picture.value_texts[name] = ax.annotate(
            above, (x, y), xytext=(0, TEXT_OFFSET), textcoords="offset points", ha="center",
            va="bottom", fontsize=fontsize - 2, color="0.1", zorder=6)
        picture.grad_texts[name] = ax.annotate(
            below, (x, y), xytext=(0, -TEXT_OFFSET), textcoords="offset points", ha="center",
            va="top", fontsize=fontsize - 2, color=HIGHLIGHT, zorder=6)

    for l, title in enumerate(layer_titles or ()):
        if title:
            ax.text(float(l), -0.2, title, ha="center", va="top", fontsize=fontsize - 1,
                    color="0.25")
    for l, title in enumerate(gap_titles or ()):
        if title:
            ax.text(l + 0.5, 1.2, title, ha="center", va="bottom", fontsize=fontsize - 1,
                    color="0.25")
    left = -0.55 if bias_labels is None else -0.6
    ax.set_xlim(left, n_layers - 1 + 0.45)
    ax.set_ylim(-0.34, 1.32)
    return picture


def _cmap(name):
    from matplotlib import colormaps

    return colormaps[name]


def _circle_transform(ax, x, y):
    """Put a unit circle at the data point ``(x, y)`` with a radius of ``NODE_RADIUS`` inches:
    round whatever the axes' aspect (a circle in data units would be an ellipse)."""
    from matplotlib.transforms import Affine2D, ScaledTranslation

    return (Affine2D().scale(NODE_RADIUS) + ax.figure.dpi_scale_trans
            + ScaledTranslation(x, y, ax.transData))


# --------------------------------------------------------------------------------------------
# The networks of the lessons, in the course notation


def neuron_picture(w=None, b=None, x=None, *, with_loss=False, values=None, grads=None,
                   highlight=None, ax=None):
    """Lesson 1's single neuron: ``x --w--> z = w x + b --σ--> a`` (and on to the loss ``L``).

    Parameters
    ----------
    w, b, x : float, optional
        Numbers to write on the picture (the weight colours its line).
    with_loss : bool
        Draw the loss ``L = ½ (a − y)²`` as a fourth node (the stepper does).
    values, grads, highlight, ax : see :func:`draw_network`
    """
    values = dict(values or {})
    if x is not None:
        values.setdefault("x", float(x))
    if b is not None and not with_loss:
        values.setdefault("b", float(b))
    sizes = (1, 1, 1, 1) if with_loss else (1, 1, 1)
    names = [["x"], ["z"], ["a"], ["L"]][:len(sizes)]
    edges = [[["w"]], [["σ"]], [["loss"]]][:len(sizes) - 1]
    weights = None if w is None else [np.array([[float(w)]])] + [None] * (len(sizes) - 2)
    titles = ["input", "z = w x + b", "a = σ(z) = ŷ", "L = ½ (a − y)²"][:len(sizes)]
    caption = ("The single neuron: the input x is multiplied by the weight w and the bias b is "
               "added, giving z = w x + b; the activation gives a = σ(z), the prediction ŷ.")
    if with_loss:
        caption += " The loss L = ½ (a − y)² compares it with the target y."
    return draw_network(
        sizes, weights=weights, node_labels=names, edge_labels=edges,
        bias_labels=[["b"]] + [None] * (len(sizes) - 2), values=values, grads=grads,
        highlight=highlight, ax=ax, caption=caption, layer_titles=titles,
        display={"loss": "½(a − y)²"}, figsize=(2.3 * len(sizes), 2.8))


def hidden_layer_picture(p=3, d=2, *, W1=None, W2=None, ax=None):
    """Lesson 2's p-d-1 network: ``p`` inputs, ``d`` hidden units ``a^[1]``, one linear output.

    Parameters
    ----------
    p, d : int
        Inputs and hidden units (the lesson's worked example has ``p = 3``, ``d = 2``).
    W1 : (d, p) array_like, optional
    W2 : (1, d) array_like, optional
        The lesson's weights in its own (columns) convention; they colour the lines.
    """
    weights = None
    if W1 is not None and W2 is not None:
        weights = [np.asarray(W1, dtype=np.float64).T, np.asarray(W2, dtype=np.float64).T]
        d, p = weights[0].shape[1], weights[0].shape[0]
    inputs = [f"x{k + 1}" for k in range(p)]
    hidden = [f"$a^{{[1]}}_{{{j + 1}}}$" for j in range(d)]
    first = [[f"$w^{{[1]}}_{{{j + 1}{k + 1}}}$" for j in range(d)] for k in range(p)] \
        if p * d <= 9 else None
    second = [[f"$w^{{[2]}}_{{{j + 1}}}$"] for j in range(d)] if d <= 4 else None
    caption = (f"The network of lesson 2: {p} inputs x1..x{p}, {d} hidden units a^[1]_j = "
               f"h(z^[1]_j) with weights W^[1] ({d} x {p}) and biases b^[1], and one linear "
               "output ŷ = z^[2] with weights W^[2] and bias b^[2].")
    if weights is not None:
        caption += " Line colour and width show each weight (purple negative, orange positive)."
    return draw_network(
        (p, d, 1), weights=weights, node_labels=[inputs, hidden, ["ŷ"]],
        edge_labels=[first, second], ax=ax, caption=caption,
        layer_titles=[f"inputs (p = {p})", f"hidden, h (d = {d})", "output, linear"],
        gap_titles=["$W^{[1]}, b^{[1]}$", "$W^{[2]}, b^{[2]}$"])


def hidden_layer_stepper_picture(W1, W2):
    """Lesson 2's network as the backprop stepper draws it: plain node and edge names (``x1``,
    ``a1``, ``yhat``; ``w1_jk``, ``w2_j``) as keys, shown in the lesson's notation.

    Parameters
    ----------
    W1 : (d, p) array_like
    W2 : (1, d) array_like
        Columns convention, as lesson 2 stores them; they colour the lines.
    """
    W1, W2 = np.asarray(W1, dtype=np.float64), np.asarray(W2, dtype=np.float64).reshape(1, -1)
    d, p = W1.shape
    inputs = [f"x{k + 1}" for k in range(p)]
    hidden = [f"a{j + 1}" for j in range(d)]
    first = [[f"w1_{j + 1}{k + 1}" for j in range(d)] for k in range(p)]
    second = [[f"w2_{j + 1}"] for j in range(d)]
    display = {f"a{j + 1}": f"$a^{{[1]}}_{{{j + 1}}}$" for j in range(d)}
    display.update({f"w1_{j + 1}{k + 1}": f"$w^{{[1]}}_{{{j + 1}{k + 1}}}$"
                    for j in range(d) for k in range(p)})
    display.update({f"w2_{j + 1}": f"$w^{{[2]}}_{{{j + 1}}}$" for j in range(d)})
    display["yhat"] = r"$\hat y$"
    caption = (f"Lesson 2's network for one example: {p} inputs x1..x{p}, {d} hidden units "
               f"a^[1]_j = σ(z^[1]_j) with weights w^[1]_jk (input k to unit j), and one linear "
               "output ŷ with weights w^[2]_j. Line colour and width show each weight (purple "
               "negative, orange positive).")
    return draw_network(
        (p, d, 1), weights=[W1.T, W2.T], node_labels=[inputs, hidden, ["yhat"]],
        edge_labels=[first, second], caption=caption, display=display,
        layer_titles=[f"inputs (p = {p})", "hidden, σ", "output, linear"],
        gap_titles=["$W^{[1]}, b^{[1]}$", "$W^{[2]}, b^{[2]}$"], figsize=(6.6, 3.8))


def logistic_picture(p=2, *, w=None, ax=None, feature_names=None):
    """Lesson 3's logistic regression: ``p`` inputs, ``z = w^T x + b``, ``a = sigma(z)``.

    Parameters
    ----------
    p : int
        Number of features.
    w : (p, 1) array_like, optional
        The weights (they colour the lines).
    feature_names : sequence of str, optional
        Written under the input column instead of "features".
    """
    weights = None
    if w is not None:
        w = np.asarray(w, dtype=np.float64).reshape(-1, 1)
        p = w.shape[0]
        weights = [w, None]
    inputs = [f"x{k + 1}" for k in range(p)]
    labels = [[f"w{k + 1}"] for k in range(p)]
    caption = (f"Logistic regression with {p} features: each feature x_k is multiplied by its "
               "weight w_k, the bias b is added to give the logit z = wᵀx + b, and the sigmoid "
               "gives the probability a = σ(z) that the label is 1.")
    picture = draw_network(
        (p, 1, 1), weights=weights, node_labels=[inputs, ["z"], ["a"]],
        edge_labels=[labels, [["σ"]]], bias_labels=[["b"], None], ax=ax, caption=caption,
        layer_titles=[feature_names or f"features (p = {p})", "z = wᵀx + b", "a = σ(z)"])
    return picture


def network_232_picture(w=None, u=None, *, values=None, grads=None, highlight=None, ax=None,
                        targets=True):
    """Seed 004's 2-3-2 network (lesson 4): ``x1, x2 -> h1..h3 -> y1, y2``, targets ``t1, t2``.

    Parameters
    ----------
    w : (2, 3) array_like, optional
        ``w[i, j]`` joins input ``i`` to hidden unit ``j`` (the seed's ``w_ij``).
    u : (3, 2) array_like, optional
        ``u[i, j]`` joins hidden unit ``i`` to output ``j``.
    values, grads, highlight, ax : see :func:`draw_network`
    targets : bool
        Write the targets ``t1, t2`` beside the outputs.
    """
    weights = None if w is None and u is None else [w, u]
    w_names = [[f"w{i + 1}{j + 1}" for j in range(3)] for i in range(2)]
    u_names = [[f"u{i + 1}{j + 1}" for j in range(2)] for i in range(3)]
    caption = ("The 2-3-2 network of Backpropagation. A Peek into the Mathematics of "
               "Optimization: inputs x1, x2 feed hidden units h1, h2, h3 through "
               "the weights w_ij (input i to hidden j); the hidden units feed outputs y1, y2 "
               "through u_ij (hidden i to output j); each output is compared with its target "
               "t1, t2. Every unit is a sigmoid of its weighted sum plus a bias.")
    if weights is not None:
        caption += " Line colour and width show each weight (purple negative, orange positive)."
    picture = draw_network(
        (2, 3, 2), weights=weights, node_labels=[["x1", "x2"], ["h1", "h2", "h3"],
                                                 ["y1", "y2"]],
        edge_labels=[w_names, u_names], values=values, grads=grads, highlight=highlight,
        ax=ax, caption=caption, layer_titles=["inputs", "hidden (σ)", "outputs (σ)"],
        gap_titles=["weights w", "weights u"], figsize=(6.6, 4.2))
    if targets:
        for k, name in enumerate(("y1", "y2")):
            x, y = picture.positions[name]
            picture.ax.annotate(
                mathtext(f"t{k + 1}"), xy=(x + 0.17, y),
                xytext=(x + 0.34, y), ha="center", va="center", fontsize=10, color="0.25",
                arrowprops={"arrowstyle": "<->", "color": "0.5", "lw": 0.9})
        picture.ax.set_xlim(-0.55, 2.55)
    return picture


def deep_network_picture(layer_sizes=(64, 32, 16, 10), *, ax=None, activations=None,
                         notation="F", what="", input_name=""):
    """Lesson 5's L-layer network (seed 001): layer ``j`` is ``F_j = σ_j(W_j F_{j-1} + b_j)``.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_0, n_1, ..., n_L]``, inputs first.
    activations : sequence of str, optional
        One name per layer ``1..L``, written under its column.
    notation : {"F", "a"}
        ``"F"``: seed 001's and lessons 5-6's ``F_j`` (unit ``k`` of layer ``j`` is ``(F_j)_k``,
        ``F_0 = X``, the last layer ``F_L``), with the caption giving the course notation of
        ``docs/notation.md`` beside it; ``"a"``: ``a^[l]_k``, that course notation itself.
    what : str, optional
        A first sentence for the caption: which network of the lesson this is.
    input_name : str, optional
        What the inputs are (``"pixels"``), written under the input column.
    """
    sizes = [int(n) for n in layer_sizes]
    n_l = len(sizes) - 1
    if n_l < 1:
        raise ValueError(f"layer_sizes needs the inputs and at least one layer; got "
                         f"{tuple(layer_sizes)}.")
    if activations is not None and len(activations) != n_l:
        raise ValueError(f"activations needs one name per layer 1..L = {n_l}; got "
                         f"{len(activations)}.")
    if notation == "F":
        names = [[f"$(F_{{{l}}})_{{{k + 1}}}$" for k in range(n)] for l, n in enumerate(sizes)]
        titles = ["input $F_0 = X$"] + [f"layer {l}: $F_{{{l}}}$" for l in range(1, n_l)] \
            + [f"layer L = {n_l}: $F_L$"]
        gaps = [f"$W_{{{l}}}, b_{{{l}}}$" for l in range(1, n_l + 1)]
        rule = ("F_j = σ_j(W_j F_(j-1) + b_j), with F_0 = X the input and F_L the output "
                "(the course notation of docs/notation.md writes F_j as a^[j], W_j as W^[j] "
                "and b_j as b^[j])")
    elif notation == "a":
        names = [[f"$a^{{[{l}]}}_{{{k + 1}}}$" if l else f"x{k + 1}" for k in range(n)]
                 for l, n in enumerate(sizes)]
        titles = ["input $a^{[0]} = x$"] + [f"layer {l}" for l in range(1, n_l + 1)]
        gaps = [f"$W^{{[{l}]}}$" for l in range(1, n_l + 1)]
        rule = "a^[l] = h(W^[l] a^[l-1] + b^[l])"
    else:
        raise ValueError(f"notation must be 'F' or 'a', not {notation!r}.")
    units = [f"{n} {input_name}" if l == 0 and input_name else f"{n} unit" + "s" * (n != 1)
             for l, n in enumerate(sizes)]
    titles = [t + (f" ({activations[l - 1]})" if activations and l else "") + f"\n{u}"
              for l, (t, u) in enumerate(zip(titles, units))]
    caption = (f"{what.strip()} " if what else "") + (
        f"An L-layer network with L = {n_l}: {' → '.join(map(str, sizes))} units. Each "
        f"layer applies its weights, bias and activation to the layer before: {rule}.")
    if max(sizes) > 6:
        caption += " Large layers show their first units, an ellipsis and the last."
    return draw_network(sizes, node_labels=names, ax=ax, caption=caption, layer_titles=titles,
                        gap_titles=gaps, fontsize=10)
