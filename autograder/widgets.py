"""ipywidgets front ends for the lessons. Grading never imports this module.

:func:`gradient_descent_explorer` (lesson 1) puts sliders over :mod:`autograder.explorer`: pick a
curve, a learning rate, a start point and a number of iterations, and see the path of gradient
descent on ``J(w)``, the cost per iteration and a diagnosis in plain words.

How it draws
------------
The figure is a bare :class:`matplotlib.figure.Figure` on its own Agg canvas: no pyplot, no
backend is chosen, nothing global changes, and no figure piles up in pyplot's registry. It is
built once; a change of a control only updates the data of the artists that show the run, and
the PNG of the canvas goes to an ``ipywidgets.Image``. That works the same in JupyterLab,
Notebook 7, VS Code and Binder without ipympl, and headless (nbclient, pytest), where there is no
frontend and nothing is printed.

Drawing axes, ticks and labels is most of the cost of a matplotlib draw, and they rarely change:
the curve's panel is fixed per curve, and so is the top of the log-scale panel, whose bottom
snaps to powers of 10**4 and whose iteration axis ends at a round number (5, 10, 20, 30, ...).
So the run's artists are *animated* (left out of a normal draw); the rest is drawn once into a
background that is reused (blitting) until the curve or an axis limit changes. Each update then
pastes the background, draws a few lines, pastes the legend (drawn once into a transparent
layer: laying out its text would cost as much as the rest of the update) and encodes the PNG
with a plain encoder (:func:`_png_bytes`). ``benchmarks/explorer_update.py`` times this against
building a new figure for every change; ``benchmarks/slider_latency.py`` times a slider move in
JupyterLab, from the key press to the new plot in the browser.
"""
from __future__ import annotations

import contextlib
import html
import struct
import zlib
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from .explorer import (
    CURVES,
    Diagnosis,
    curve_points,
    descend,
    diagnose,
    gap_history,
    get_curve,
    path_points,
    tangent_at,
)

#: Learning-rate slider: 10**-3 to 10**3. The top diverges on every curve from its default
#: start (the quadratic for lr > 2, the two valleys for lr > 0.76, the logistic cost rises for
#: lr above a few hundred).
LR_EXPONENTS = (-3.0, 3.0)
#: Largest number of iterations on the slider.
N_ITER_MAX = 100
#: Colour of the bar beside the diagnosis, per kind.
KIND_COLOURS = {"converged": "#2a9d4b", "slow": "#c99a06", "oscillating": "#e07a10",
                "diverged": "#c8322b"}
_CONTROLS = ("curve", "lr", "w0", "n_iter")


@dataclass(frozen=True)
class ExplorerState:
    """What the explorer shows now: its settings, the run and its diagnosis.

    ``source`` says whose path it is (``"yours"``, ``"reference"`` or ``"none"``) and ``note``
    what went wrong with the student's function (see :func:`autograder.explorer.descend`);
    ``diagnosis`` is ``None`` when no path could be run.
    """

    curve: str
    lr: float
    w0: float
    n_iter: int
    iterates: np.ndarray
    diagnosis: Diagnosis | None
    source: str = "reference"
    note: str = ""


class ExplorerFigure:
    """The two panels: ``J(w)`` with the path of the iterates, and ``J(w_k) - J(w*)`` per step.

    Build it once, then call :meth:`show` for each run and :meth:`png` to render.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    lines : dict of str -> matplotlib.lines.Line2D
        ``"curve"``, ``"path"``, ``"start"``, ``"last"``, ``"minimum"`` (left panel) and
        ``"gap"`` (right panel); tests read the plotted data from them.
    """

    def __init__(self, figsize=(9.0, 3.4), dpi=100):
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax_curve, self.ax_gap = self.figure.subplots(1, 2)
        # Fixed margins: a layout engine would measure the text again on every draw.
        self.figure.subplots_adjust(left=0.07, right=0.985, bottom=0.15, top=0.88, wspace=0.22)
        ax = self.ax_curve
        self.lines = {
            "curve": ax.plot([], [], color="0.35", lw=1.6, zorder=1)[0],
            "path": ax.plot([], [], "-o", color="C1", lw=1.0, ms=3.5, zorder=2,
                            label="iterates")[0],
            "minimum": ax.plot([], [], "*", color="C2", ms=12, zorder=3,
                               label="lowest point")[0],
            "start": ax.plot([], [], "o", color="C0", ms=7, zorder=4, label="start w₀")[0],
            "last": ax.plot([], [], "D", color="C3", ms=6, zorder=5, label="last w")[0],
            "gap": self.ax_gap.plot([], [], "-o", color="C1", lw=1.0, ms=3)[0],
            # Seed 003's picture: the tangent at the last iterate says which way the step goes.
            "tangent": ax.plot([], [], "-", color="#0b5394", lw=2.2, zorder=6)[0],
        }
        self.slope_note = ax.annotate(
            "", (0.0, 0.0), xytext=(0, 14), textcoords="offset points", ha="center",
            va="bottom", fontsize=8, color="#0b5394", zorder=7,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.0})
        ax.set_xlabel("w")
        ax.set_ylabel("J(w)")
        legend = ax.legend(loc="upper center", ncol=4, fontsize=7.5, frameon=True,
                           framealpha=0.85, edgecolor="none", bbox_to_anchor=(0.5, 1.0))
        # Under the legend: the curves leave that strip empty.
        self.offscreen = ax.text(0.5, 0.89, "", transform=ax.transAxes, ha="center",
                                 va="top", fontsize=8, color="C3",
                                 bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none",
                                       "pad": 1.5})
        self.ax_gap.set_yscale("log")
        self.ax_gap.set_xlabel("iteration k")
        self.ax_gap.set_title("J(w_k) − J(w*), log scale", fontsize=10)
        self._curve_name = None
        # The artists that change with every run are drawn on top of a cached background.
        self._animated = [self.lines[name] for name in ("path", "start", "last", "gap",
                                                        "tangent")] + [self.slope_note]
        # The legend and the note go on top of them, so a wild path never hides them. The
        # legend never changes: it is drawn once into a layer of its own (see render).
        self.legend = legend
        for artist in self._animated + [legend, self.offscreen]:
            artist.set_animated(True)
        self._background = None
        self._background_key = None
        self._legend_layer = None
        #: How many renders drew the whole figure (the rest reused the background).
        self.full_draws = 0

    def _show_curve(self, curve):
        """Draw the curve itself; only when the curve changes."""
        w, J = curve_points(curve)
        self.lines["curve"].set_data(w, J)
        self.lines["minimum"].set_data([curve.w_star], [curve.J_star])
        margin = 0.08 * (J.max() - J.min())
        self.ax_curve.set_xlim(*curve.w_range)
        # Extra room at the top for the legend.
        self.ax_curve.set_ylim(J.min() - margin, J.max() + 2.5 * margin)
        self.ax_curve.set_title(curve.title, fontsize=10)
        # The gap panel's top is fixed per curve, like the left panel's view: no start point on
        # the range starts higher, and a diverging run leaves through the top in both panels.
        self._gap_top = 10.0 ** np.ceil(np.log10(1.5 * (J.max() - curve.J_star)))
        self._curve_name = curve.name

    def show(self, curve, iterates, n_iter):
        """Put a run on the panels (no rendering).

        Parameters
        ----------
        curve : Curve
        iterates : (n_iter + 1,) ndarray, from :func:`autograder.explorer.run_descent`
        n_iter : int
        """
        if curve.name != self._curve_name:
            self._show_curve(curve)
        w, J = path_points(curve, iterates)
        self.lines["path"].set_data(w, J)
        self.lines["start"].set_data(w[:1], J[:1])
        self.lines["last"].set_data(w[-1:], J[-1:])
        w_pts, J_pts, _, hint = tangent_at(curve, w[-1])
        self.lines["tangent"].set_data(w_pts, J_pts)
        self.slope_note.xy = (float(w[-1]), float(J[-1]))
        self.slope_note.set_text(hint)
        k, gap = gap_history(curve, iterates)
        self.lines["gap"].set_data(k, gap)
        right = _iteration_axis_end(n_iter)
        self.ax_gap.set_xlim(-0.02 * right, 1.02 * right)
        self.ax_gap.set_ylim(_gap_bottom(gap, self._gap_top), self._gap_top)
        self.offscreen.set_text(_offscreen_note(curve, w, iterates.size))

    def _background_state(self):
        """Everything the cached background depends on."""
        return (self._curve_name, self.ax_gap.get_xlim(), self.ax_gap.get_ylim())

    def render(self, reuse_background=True):
        """Draw the figure into the canvas; reuse the background while it is still valid."""
        key = self._background_state()
        if reuse_background and key == self._background_key:
            self.canvas.restore_region(self._background)
        else:
            self.canvas.draw()  # everything except the animated artists
            self.full_draws += 1
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
            self._legend_layer = self._draw_legend_layer()
        for artist in self._animated:
            self.figure.draw_artist(artist)
        self._paste_legend()
        self.figure.draw_artist(self.offscreen)

    def _draw_legend_layer(self):
        """The legend alone on a transparent canvas, cropped to it.

        Returns
        -------
        x0, y0 : int
            Its lower-left corner on the canvas, in pixels from the bottom left.
        rgba : (height, width, 4) uint8 ndarray
            Its pixels, bottom row first (as ``RendererAgg.draw_image`` takes them).
        """
        width, height = self.canvas.get_width_height()
        renderer = RendererAgg(width, height, self.figure.dpi)
        renderer.clear()
        self.legend.draw(renderer)
        # Two pixels of margin keep the anti-aliased edge of the frame.
        box = self.legend.get_window_extent(renderer).padded(2)
        x0, y0 = max(int(np.floor(box.x0)), 0), max(int(np.floor(box.y0)), 0)
        x1, y1 = min(int(np.ceil(box.x1)), width), min(int(np.ceil(box.y1)), height)
        top_down = np.asarray(renderer.buffer_rgba())[height - y1:height - y0, x0:x1]
        return x0, y0, np.ascontiguousarray(top_down[::-1])

    def _paste_legend(self):
        """Blend the legend's layer over the canvas (alpha compositing, as drawing it would)."""
        x0, y0, rgba = self._legend_layer
        renderer = self.canvas.get_renderer()
        gc = renderer.new_gc()
        renderer.draw_image(gc, x0, y0, rgba)
        gc.restore()

    def png(self, reuse_background=True) -> bytes:
        """Render the figure and return it as PNG bytes."""
        self.render(reuse_background)
        return _png_bytes(np.asarray(self.canvas.buffer_rgba()))


def _png_bytes(rgba, compress_level=1):
    """Encode an image as PNG: 8-bit RGBA, no row filter, fast zlib.

    Pillow's encoder (behind ``matplotlib.image.imsave``) filters every row first: 13 ms for the
    explorer's 900 x 340 figure even at zlib level 1. A plot's flat colours need no filter:
    unfiltered rows at level 1 take under 4 ms and give a slightly smaller file (38 kB, not 41).

    Parameters
    ----------
    rgba : (height, width, 4) uint8 ndarray
        Top row first, as ``FigureCanvasAgg.buffer_rgba()`` gives it.
    compress_level : int
        zlib level, 0 to 9.

    Returns
    -------
    bytes
    """
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # byte 0 of each row: filter 0
    rows[:, 1:] = rgba.reshape(height, 4 * width)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), compress_level)) + chunk(b"IEND", b""))


def _iteration_axis_end(n_iter):
    """The right end of the loss panel's iteration axis: 5 for up to 5 iterations, else
    ``n_iter`` rounded up to a multiple of 10.

    Round ends keep the axis, and so the cached background, unchanged while the iterations
    slider moves within a decade of steps.
    """
    step = 5 if n_iter <= 5 else 10
    return step * max(int(np.ceil(n_iter / step)), 1)


def _gap_bottom(gap, top):
    """The lower log-axis limit of the gap panel: a power of 10**4 at or below the smallest gap
    (at least 1e-16, at most top / 100).

    Snapping in steps of four decades keeps the limit (and so the cached background) unchanged
    across most updates.
    """
    bottom = max(4 * int(np.floor(np.log10(gap.min()) / 4.0)), -16)
    return 10.0 ** min(bottom, int(np.log10(top)) - 2)


def _offscreen_note(curve, w, n_points):
    """A note when iterates lie outside the plotted range (the plot never zooms out to them)."""
    lo, hi = curve.w_range
    outside = int(np.count_nonzero((w < lo) | (w > hi)))
    lost = n_points - w.size
    if lost:
        return f"w ran off to |w| > 1e6; {outside + lost} of {n_points} iterates not shown"
    if outside:
        return f"{outside} of {n_points} iterates lie outside the plot"
    return ""


def _diagnosis_html(diagnosis, note=""):
    """The diagnosis in a box with a coloured bar; a note about the student's function above it
    (no bar: the browser tests find the diagnosis by its bar)."""
    shown = (f'<p style="max-width: 880px; margin: 0 0 4px 0; color: #8a4b00">'
             f'\u26a0 {html.escape(note)}</p>' if note else "")
    if diagnosis is None:
        return shown
    colour = KIND_COLOURS[diagnosis.kind]
    return (shown + f'<div style="border-left: 5px solid {colour}; padding: 2px 10px; '
            f'max-width: 880px; line-height: 1.4">{html.escape(diagnosis.message)}</div>')


def _ipython_shell():
    """The running IPython shell, or ``None`` (plain Python, pytest)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return get_ipython()


class GradientDescentExplorer:
    """The explorer: controls, a diagnosis line and the figure, kept in step.

    Use :func:`gradient_descent_explorer` to make one. Changing a control (in the browser, or by
    setting ``explorer.lr_slider.value`` in code) runs descent again and redraws; :meth:`update`
    sets several controls and redraws once. :attr:`state` is what is shown now.

    Attributes
    ----------
    ui : ipywidgets.VBox
        Everything, ready to display.
    curve_dropdown, lr_slider, w0_slider, n_iter_slider : ipywidgets controls
    diagnosis_html : ipywidgets.HTML
    image : ipywidgets.Image
        The rendered figure (PNG).
    plot : ExplorerFigure
        The matplotlib figure and its artists.
    """

    def __init__(self, curve="quadratic", lr=None, w0=None, n_iter=20, descent=None):
        curve = get_curve(curve)
        if descent is not None and not callable(descent):
            raise TypeError(f"descent should be your gradient_descent_1d function; found "
                            f"{type(descent).__name__}.")
        self.descent = descent
        self._holding = 0
        self._shown_in_cell = None
        self.plot = ExplorerFigure()
        wide = widgets.Layout(width="560px")
        style = {"description_width": "120px"}
        self.curve_dropdown = widgets.Dropdown(
            options=[(c.title, name) for name, c in CURVES.items()], value=curve.name,
            description="Curve", style=style, layout=wide)
        self.about = widgets.HTML(layout=widgets.Layout(margin="0 0 4px 128px"))
        # Each update takes a few tens of milliseconds (see the benchmark): cheap enough to
        # follow a dragged slider.
        self.lr_slider = widgets.FloatLogSlider(
            value=curve.lr, base=10.0, min=LR_EXPONENTS[0], max=LR_EXPONENTS[1], step=0.01,
            description="Learning rate η", readout_format=".3g", continuous_update=True,
            style=style, layout=wide)
        self.w0_slider = widgets.FloatSlider(
            value=curve.w0, min=curve.w_range[0], max=curve.w_range[1], step=0.05,
            description="Start w₀", readout_format=".2f", continuous_update=True,
            style=style, layout=wide)
        self.n_iter_slider = widgets.IntSlider(
            value=20, min=0, max=N_ITER_MAX, step=1, description="Iterations",
            continuous_update=True, style=style, layout=wide)
        self.diagnosis_html = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.ui = widgets.VBox([
            self.curve_dropdown, self.about, self.lr_slider, self.w0_slider,
            self.n_iter_slider, self.diagnosis_html, self.image,
        ])
        self.curve_dropdown.observe(self._on_curve, names="value")
        for control in (self.lr_slider, self.w0_slider, self.n_iter_slider):
            control.observe(self._on_value, names="value")
        self._state = None
        self.update(lr=lr, w0=w0, n_iter=n_iter)

    # -- reacting to the controls ------------------------------------------------------------

    @contextlib.contextmanager
    def _batch(self):
        """Hold redraws while several controls change; the caller redraws once afterwards."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1

    def _on_value(self, change):
        if not self._holding:
            self.redraw()

    def _on_curve(self, change):
        """A new curve: move the start-point slider to its range and take its defaults."""
        curve = get_curve(change["new"])
        # hold_sync sends each slider's new range and value to the browser in one message: sent
        # one by one, a continuously updating slider can clip the value to its old range and
        # echo the clipped value back, so the new curve would start at the old curve's w0.
        slider = self.w0_slider
        with self._batch(), slider.hold_sync(), self.lr_slider.hold_sync():
            lo, hi = curve.w_range
            # Widen first, then narrow, so that min <= max holds at every moment.
            slider.min, slider.max = min(lo, slider.min), max(hi, slider.max)
            slider.value = curve.w0
            slider.min, slider.max = lo, hi
            self.lr_slider.value = curve.lr
        if not self._holding:
            self.redraw()

    def update(self, **values):
        """Set any of ``curve``, ``lr``, ``w0``, ``n_iter`` and redraw once.

        A new ``curve`` first brings its default ``lr`` and ``w0``; values given in the same
        call win over them. ``None`` leaves a control as it is.

        Returns
        -------
        ExplorerState
            The new state.

        Raises
        ------
        TypeError
            For an unknown name.
        ValueError
            For a value outside its slider's range (a slider would silently clip it).
        """
        unknown = set(values) - set(_CONTROLS)
        if unknown:
            raise TypeError(f"Unknown control(s) {sorted(unknown)}; use {', '.join(_CONTROLS)}.")
        with self._batch():
            if values.get("curve") is not None:
                self.curve_dropdown.value = get_curve(values["curve"]).name
            for name, control in (("lr", self.lr_slider), ("w0", self.w0_slider),
                                  ("n_iter", self.n_iter_slider)):
                if values.get(name) is not None:
                    control.value = _in_range(name, values[name], control)
        self.redraw()
        return self.state

    def redraw(self):
        """Run descent with the current settings and refresh the diagnosis and the figure."""
        curve = get_curve(self.curve_dropdown.value)
        lr, w0 = float(self.lr_slider.value), float(self.w0_slider.value)
        n_iter = int(self.n_iter_slider.value)
        run = descend(curve, w0, lr, n_iter, self.descent)
        iterates = run.iterates
        diagnosis = diagnose(curve, iterates) if run.source != "none" else None
        self.plot.show(curve, iterates, n_iter)
        self.about.value = f"<i>{html.escape(curve.description)}</i>"
        self.diagnosis_html.value = _diagnosis_html(diagnosis, run.note)
        self.image.value = self.plot.png()
        self._state = ExplorerState(curve.name, lr, w0, n_iter, iterates, diagnosis,
                                    run.source, run.note)

    @property
    def state(self) -> ExplorerState:
        """The settings, iterates and diagnosis on screen now."""
        return self._state

    # -- showing -------------------------------------------------------------------------------

    def show(self):
        """Display the explorer (in IPython or Jupyter; nothing happens in plain Python)."""
        shell = _ipython_shell()
        if shell is None:
            return
        from IPython.display import display

        display(self.ui)
        self._shown_in_cell = getattr(shell, "execution_count", None)

    def _ipython_display_(self):
        # gradient_descent_explorer() shows the UI and returns the explorer; as the last line
        # of a cell the explorer would then be shown a second time. Once per cell is enough.
        shell = _ipython_shell()
        if shell is not None and self._shown_in_cell == getattr(shell, "execution_count", -1):
            return
        self.show()

    def close(self):
        """Close every widget (frees the frontend's copies)."""
        for control in (self.curve_dropdown, self.about, self.lr_slider, self.w0_slider,
                        self.n_iter_slider, self.diagnosis_html, self.image, self.ui):
            control.close()

    def __repr__(self):
        s = self._state
        return (f"GradientDescentExplorer(curve={s.curve!r}, lr={s.lr:.4g}, w0={s.w0:.4g}, "
                f"n_iter={s.n_iter}): {s.diagnosis.kind if s.diagnosis else s.note}")


def _in_range(name, value, control):
    """``value`` if it lies within ``control``'s range, else a ``ValueError`` naming the range."""
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.base ** control.min, control.base ** control.max
    else:
        lo, hi = control.min, control.max
    if not lo <= value <= hi:
        raise ValueError(f"{name} = {value!r} is outside the slider's range [{lo:g}, {hi:g}].")
    return value


def gradient_descent_explorer(curve="quadratic", lr=None, w0=None, n_iter=20, display=True,
                              descent=None):
    """Build, display and return the gradient-descent explorer (lesson 1).

    Parameters
    ----------
    curve : {"quadratic", "nonconvex", "logistic_nll"}
        The curve to start with (see :data:`autograder.explorer.CURVES`).
    lr, w0 : float, optional
        Start values of the learning rate and the start point; the curve's defaults if omitted.
    n_iter : int
        Start value of the number of iterations, 0 to ``N_ITER_MAX``.
    display : bool
        Show the explorer now (only inside IPython/Jupyter; plain Python prints nothing).
    descent : callable, optional
        Your ``gradient_descent_1d``: the explorer runs it and checks each step against the
        update rule (:func:`autograder.explorer.descend`); the reference's when omitted.

    Returns
    -------
    GradientDescentExplorer
        Its :meth:`~GradientDescentExplorer.update` and
        :attr:`~GradientDescentExplorer.state` drive and read it from code.
    """
    explorer = GradientDescentExplorer(curve, lr=lr, w0=w0, n_iter=n_iter, descent=descent)
    if display:
        explorer.show()
    return explorer


# --------------------------------------------------------------------------------------------
# The backprop stepper (lessons 1, 2 and 4)

#: Colour of the status bar: the student's values match so far / first differ here.
STEP_COLOURS = {"forward": "#4d4d4d", "backward": "#0b5394", "match": "#2a9d4b",
                "differs": "#b2182b"}


class StepperFigure:
    """The network picture of a walkthrough, redrawn for one step: values and gradients reached
    so far written by their nodes, the current step's nodes and edges highlighted, and (with the
    student's functions) the node where their value first differs outlined in red.

    As in :class:`ExplorerFigure`, the unchanging part (lines, circles, names, titles) is drawn
    once into a background; each step pastes it and draws on top only what the step changes: the
    numbers reached so far and the highlighted nodes and lines, drawn again in their new style.

    Attributes
    ----------
    picture : autograder.pictures.network.Picture
    shown : dict
        What the last :meth:`show` put on the picture: ``"values"`` and ``"grads"`` (name ->
        text), ``"highlight"`` (names), ``"mismatch"`` (name or ``None``), ``"edge_label"``.
    """

    def __init__(self, walk):
        from .pictures import network as nw

        self.walk = walk
        p = walk.inputs
        if walk.network == "neuron":
            self.picture = nw.neuron_picture(p["w"], p["b"], with_loss=True)
        elif walk.network == "hidden":
            self.picture = nw.hidden_layer_stepper_picture(p["W1"], p["W2"])
        else:
            self.picture = nw.network_232_picture(p["w"], p["u"])
        self._nw = nw
        pic = self.picture
        self.canvas = pic.figure.canvas
        for text in list(pic.value_texts.values()) + list(pic.grad_texts.values()):
            text.set_text("")
            text.set_animated(True)
        self._background = None
        self.shown = {}

    def show(self, index, checks=None):
        """Decide what step ``index`` shows (no rendering).

        Parameters
        ----------
        index : int
        checks : tuple of StepCheck, optional
            The student's values; the first differing step at or before ``index`` is marked.
        """
        pic, steps = self.picture, self.walk.steps
        values, grads = {}, {}
        for step in steps[:index + 1]:
            node = step.targets[0]
            if step.phase == "forward" and step.key in pic.nodes:
                values[node] = f"{step.value:.3g}"
            elif step.phase == "backward" and node in pic.nodes:
                grads[node] = f"{step.value:.3g}"
        current = steps[index]
        edge = current.targets[0]
        label = None
        if current.phase == "backward" and edge in pic.edge_texts:
            label = (edge, f"{pic.edge_texts[edge].get_text()} {current.value:.3g}")
        mismatch = None
        if checks is not None:
            from .pictures.stepper import first_difference

            first = first_difference(checks[:index + 1])
            if first is not None:
                mismatch = checks[first].step.targets[0]
        self.shown = {"values": values, "grads": grads, "highlight": tuple(current.targets),
                      "mismatch": mismatch, "edge_label": label}

    def render(self):
        """Paste the background and draw this step's changes on top."""
        nw, pic, figure = self._nw, self.picture, self.picture.figure
        if self._background is None:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        shown = self.shown
        lit = [n for n in shown["highlight"] if n in pic.edges]
        if shown["mismatch"] in pic.edges:
            lit.append(shown["mismatch"])
        for name in lit:
            line = pic.edges[name]
            colour, width = line.get_color(), line.get_linewidth()
            line.set_color(nw.MISMATCH if name == shown["mismatch"] else nw.HIGHLIGHT)
            line.set_linewidth(max(width, 2.5) + 1.0)
            figure.draw_artist(line)
            line.set_color(colour)
            line.set_linewidth(width)
        nodes = [n for n in shown["highlight"] if n in pic.nodes]
        if shown["mismatch"] in pic.nodes:
            nodes.append(shown["mismatch"])
        # The ends of a redrawn line go on top of it again, as in the background.
        ends = [end for name in lit for end in pic.edge_ends[name] if end in pic.nodes]
        nodes = list(dict.fromkeys(ends + nodes))
        for name in nodes:
            circle = pic.nodes[name]
            style = (circle.get_edgecolor(), circle.get_facecolor(), circle.get_linewidth())
            bad = name == shown["mismatch"]
            if name not in shown["highlight"] and not bad:
                figure.draw_artist(circle)
                figure.draw_artist(pic.node_texts[name])
                continue
            circle.set_edgecolor(nw.MISMATCH if bad else nw.HIGHLIGHT)
            circle.set_facecolor("#fbe3e3" if bad else "#e8f0fa")
            circle.set_linewidth(3.5 if bad else 3.0)
            figure.draw_artist(circle)
            figure.draw_artist(pic.node_texts[name])
            circle.set_edgecolor(style[0])
            circle.set_facecolor(style[1])
            circle.set_linewidth(style[2])
        if shown["edge_label"] is not None:
            name, text = shown["edge_label"]
            artist = pic.edge_texts[name]
            old, colour = artist.get_text(), artist.get_color()
            artist.set_text(text)
            artist.set_color(nw.HIGHLIGHT)
            figure.draw_artist(artist)
            artist.set_text(old)
            artist.set_color(colour)
        for group, key in ((pic.value_texts, "values"), (pic.grad_texts, "grads")):
            for name, text in shown[key].items():
                group[name].set_text(text)
                figure.draw_artist(group[name])
                group[name].set_text("")

    def png(self) -> bytes:
        self.render()
        return _png_bytes(np.asarray(self.canvas.buffer_rgba()))


def _step_html(step, check=None, first=None):
    """The current step's formula and local factor, and the student's value if checked."""
    colour = STEP_COLOURS[step.phase]
    lines = [f"<b>{html.escape(step.phase.capitalize())}</b>: "
             f"<code>{html.escape(step.formula)}</code>"]
    if step.local:
        lines.append(f"local factor: <code>{html.escape(step.local)}</code>")
    if check is not None:
        mark = {"match": "✓", "differs": "✗", "error": "✗", "unchecked": "·"}[check.status]
        lines.append(f"your functions: {mark} {html.escape(check.message)}")
    if first is not None:
        colour = STEP_COLOURS["differs"]
        lines.append(f'<b class="stepper-first-difference">Your value first differs at step '
                     f'{first.index + 1}, {html.escape(first.step.symbol)}</b>: '
                     f'{html.escape(first.message)}. The bug enters there '
                     f'(in {html.escape(first.step.source or "your code")}).')
    return (f'<div class="stepper-step" style="border-left: 5px solid {colour}; '
            f'padding: 2px 10px; max-width: 880px; line-height: 1.5">'
            + "<br>".join(lines) + "</div>")


@dataclass(frozen=True)
class _Located:
    index: int
    step: object
    message: str


class BackpropStepper:
    """Step through the forward and the backward pass of a network, one node at a time.

    Use :func:`backprop_stepper` to make one. The step slider (arrow keys, Home, End) and the
    Back / Next buttons move one step; the Forward / Backward switch jumps to the start of that
    pass; "Use my functions" compares the student's functions with the reference, node by node.

    Attributes
    ----------
    walk : autograder.pictures.stepper.Walkthrough
    step_slider : ipywidgets.IntSlider
    back_button, next_button : ipywidgets.Button
    phase_buttons : ipywidgets.ToggleButtons
    mine_checkbox : ipywidgets.Checkbox
    step_html : ipywidgets.HTML
    image : ipywidgets.Image
    plot : StepperFigure
    """

    def __init__(self, network="232", student_functions=None, **inputs):
        from .pictures import stepper as st

        self._st = st
        self.walk = st.walkthrough(network, **inputs)
        self.student_functions = dict(student_functions or {})
        # Checked once here, so a misspelt name is reported when the cell runs.
        self._values = st.student_values(self.walk, self.student_functions)
        self.checks = st.check_steps(self.walk, self._values)
        self.plot = StepperFigure(self.walk)
        n = len(self.walk.steps)
        self.step_slider = widgets.IntSlider(
            value=0, min=0, max=n - 1, step=1, description="Step", continuous_update=True,
            readout=False, layout=widgets.Layout(width="420px"))
        self.step_label = widgets.Label()
        self.step_label.add_class("stepper-label")  # for the browser tests
        self.back_button = widgets.Button(description="◀ Back", tooltip="previous step",
                                          layout=widgets.Layout(width="90px"))
        self.next_button = widgets.Button(description="Next ▶", tooltip="next step",
                                          layout=widgets.Layout(width="90px"))
        self.phase_buttons = widgets.ToggleButtons(options=["forward", "backward"],
                                                   value="forward", description="Pass")
        self.mine_checkbox = widgets.Checkbox(
            value=False, description="Use my functions", indent=False,
            disabled=not self.student_functions,
            tooltip=("compare your functions with the reference, node by node"
                     if self.student_functions else
                     "pass student_functions={...} to backprop_stepper to use this"))
        self.step_html = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="700px"))
        self.ui = widgets.VBox([
            widgets.HBox([self.back_button, self.next_button, self.step_slider,
                          self.step_label]),
            widgets.HBox([self.phase_buttons, self.mine_checkbox]),
            self.step_html, self.image])
        self._syncing = False
        self.step_slider.observe(lambda change: self.redraw(), names="value")
        self.mine_checkbox.observe(lambda change: self.redraw(), names="value")
        self.phase_buttons.observe(self._on_phase, names="value")
        self.back_button.on_click(lambda button: self.go(self.step_slider.value - 1))
        self.next_button.on_click(lambda button: self.go(self.step_slider.value + 1))
        self._shown_in_cell = None
        self.redraw()

    def go(self, index):
        """Show step ``index`` (clipped to the walkthrough)."""
        self.step_slider.value = int(min(max(index, 0), len(self.walk.steps) - 1))

    def _on_phase(self, change):
        if self._syncing:
            return
        self.go(0 if change["new"] == "forward" else self.walk.n_forward)

    @property
    def first_difference(self):
        """Index of the first step where the student's value differs (``None``: none so far,
        or "use my functions" is off)."""
        if not self.mine_checkbox.value:
            return None
        return self._st.first_difference(self.checks)

    def redraw(self):
        index = int(self.step_slider.value)
        step = self.walk.steps[index]
        mine = bool(self.mine_checkbox.value)
        checks = self.checks if mine else None
        first = self._st.first_difference(self.checks[:index + 1]) if mine else None
        located = None if first is None else _Located(first, self.checks[first].step,
                                                      self.checks[first].message)
        self.plot.show(index, checks)
        self._syncing = True
        self.phase_buttons.value = step.phase
        self._syncing = False
        self.step_label.value = f"{index + 1} / {len(self.walk.steps)}: {step.symbol}"
        self.step_html.value = _step_html(step, self.checks[index] if mine else None, located)
        self.image.value = self.plot.png()

    def show(self):
        shell = _ipython_shell()
        if shell is None:
            return
        from IPython.display import display

        display(self.ui)
        self._shown_in_cell = getattr(shell, "execution_count", None)

    def _ipython_display_(self):
        shell = _ipython_shell()
        if shell is not None and self._shown_in_cell == getattr(shell, "execution_count", -1):
            return
        self.show()

    def close(self):
        for control in (self.step_slider, self.step_label, self.back_button, self.next_button,
                        self.phase_buttons, self.mine_checkbox, self.step_html, self.image,
                        self.ui):
            control.close()

    def __repr__(self):
        i = self.step_slider.value
        return (f"BackpropStepper(network={self.walk.network!r}, step {i + 1}/"
                f"{len(self.walk.steps)}: {self.walk.steps[i].symbol})")


def backprop_stepper(network="232", student_functions=None, display=True, **inputs):
    """Build, display and return the backprop stepper (lesson 1: ``"neuron"``; lesson 2:
    ``"hidden"``; lesson 4: ``"232"``).

    Parameters
    ----------
    network : {"neuron", "hidden", "232"}
    student_functions : dict of str -> callable, optional
        Your own functions, by the names of the lesson's exercises (see
        :data:`autograder.pictures.stepper.STUDENT_FUNCTIONS`); "Use my functions" runs them on
        the same example and marks where their value first differs from the reference.
    display : bool
        Show it now (inside IPython/Jupyter only).
    **inputs
        The example and parameters (``w, b, x, y``; ``W1, b1, W2, b2, x, y``; or
        ``x, t, w, b1, u, b2``); the lesson's
        worked example when omitted.

    Returns
    -------
    BackpropStepper
    """
    stepper = BackpropStepper(network, student_functions, **inputs)
    if display:
        stepper.show()
    return stepper


# --------------------------------------------------------------------------------------------
# Descent in two dimensions (lesson 3)

#: Learning-rate slider of the 2-D view: 10**-2 to 10**1.5.
PLANE_LR_EXPONENTS = (-2.0, 1.5)
PLANE_N_ITER = 100


class DescentPlaneFigure:
    """Left: contours of ``J(w, b)`` with the path of gradient descent and the current iterate.
    Right: the data (radius against label) with the model's curve ``σ(w x + b)`` and its decision
    boundary at the current iterate. Contours and data are drawn once (the background).

    Attributes
    ----------
    lines : dict of str -> matplotlib artist
        ``"path"``, ``"current"``, ``"start"``, ``"curve"``, ``"boundary"``; tests read them.
    """

    def __init__(self, figsize=(9.6, 3.8), dpi=100):
        from .pictures import descent2d as d2

        self._d2 = d2
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax_plane, self.ax_data = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.07, right=0.985, bottom=0.14, top=0.86, wspace=0.22)
        W, B, J = d2.cost_grid()
        ax = self.ax_plane
        levels = np.quantile(J, np.linspace(0.0, 0.97, 14))
        contours = ax.contour(W, B, J, levels=np.unique(levels), cmap="viridis",
                              linewidths=0.9)
        ax.clabel(contours, contours.levels[::3], fmt="%.2f", fontsize=7)
        w_star, b_star = d2.minimum()
        ax.plot([w_star], [b_star], "*", color="#2a9d4b", ms=13, label="lowest J")
        ax.set_xlim(*d2.W_RANGE)
        ax.set_ylim(*d2.B_RANGE)
        ax.set_xlabel("weight w")
        ax.set_ylabel("bias b")
        ax.set_title("cost J(w, b): contours, and the path", fontsize=10)
        X, y = d2.data()
        rng = np.random.default_rng(0)
        jitter = rng.uniform(-0.04, 0.04, size=y.shape[1])
        self.ax_data.scatter(X[0], y[0] + jitter, s=7, c=np.where(y[0] > 0, "#e08214", "#542788"),
                             alpha=0.5, linewidths=0)
        self.ax_data.set_xlim(-2.5, 4.0)
        self.ax_data.set_ylim(-0.12, 1.12)
        self.ax_data.set_xlabel("mean radius (standardised)")
        self.ax_data.set_ylabel("label (1 = benign) and a = σ(w x + b)")
        self.ax_data.set_title("the data and the model at iterate k", fontsize=10)
        self.lines = {
            "path": ax.plot([], [], "-o", color="#d6604d", lw=1.2, ms=2.5)[0],
            "start": ax.plot([], [], "o", color="#0b5394", ms=7)[0],
            "current": ax.plot([], [], "D", color="#b2182b", ms=7)[0],
            "curve": self.ax_data.plot([], [], color="#0b5394", lw=2.0)[0],
            "boundary": self.ax_data.axvline(0.0, color="#b2182b", lw=1.4, ls="--"),
        }
        self.note = self.figure.text(0.5, 0.955, "", ha="center", va="center", fontsize=10)
        self._animated = list(self.lines.values()) + [self.note]
        for artist in self._animated:
            artist.set_animated(True)
        self._x_grid = np.linspace(-2.5, 4.0, 200)
        self._background = None
        self.shown = {}

    def show(self, path, costs, k, slip=False, blank=False):
        """Put a run and its iterate ``k`` on the panels (no rendering); ``blank``: there is no
        run, only its start (the student's functions are not ready)."""
        d2 = self._d2
        finite = np.isfinite(path[:, 0])
        n_finite = int(np.argmin(finite)) if not finite.all() else path.shape[0]
        k_shown = min(int(k), n_finite - 1)
        w, b = path[k_shown]
        self.lines["path"].set_data(path[:k_shown + 1, 0], path[:k_shown + 1, 1])
        self.lines["start"].set_data(path[:1, 0], path[:1, 1])
        self.lines["current"].set_data([w], [b])
        z = w * self._x_grid + b
        self.lines["curve"].set_data(self._x_grid, 0.5 * (1 + np.tanh(0.5 * z)))  # σ, stable
        boundary = d2.decision_boundary(w, b)
        self.lines["boundary"].set_visible(boundary is not None)
        if boundary is not None:
            self.lines["boundary"].set_xdata([boundary, boundary])
        w_lo, w_hi = d2.W_RANGE
        b_lo, b_hi = d2.B_RANGE
        outside = not (w_lo <= w <= w_hi and b_lo <= b <= b_hi)
        text = (f"k = {k_shown}: w = {w:.3g}, b = {b:.3g}, J = {costs[k_shown]:.4g}"
                + (f"; boundary at radius {boundary:.2f}" if boundary is not None else ""))
        if slip:
            text = "sign slip dJ/dz = y − a: every step climbs.  " + text
        if outside:
            text += "  (the iterate has left the plot)"
        if blank:
            text = "no path: your functions are not ready (see the note above the picture)"
        elif k_shown < int(k):
            text += f"  (ran away after {k_shown} steps)"
        self.note.set_text(text)
        self.shown = {"k": k_shown, "w": float(w), "b": float(b), "J": float(costs[k_shown]),
                      "boundary": boundary, "note": text}

    def png(self) -> bytes:
        if self._background is None:
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
        return _png_bytes(np.asarray(self.canvas.buffer_rgba()))


class DescentPlane:
    """Gradient descent for one-feature logistic regression, in the ``(w, b)`` plane.

    Use :func:`descent_plane`. Controls: learning rate, start ``w0`` and ``b0``, the iterate
    shown (slider over iterations), and the sign-slip switch.

    Attributes
    ----------
    lr_slider, w0_slider, b0_slider, k_slider : ipywidgets sliders
    slip_toggle : ipywidgets.ToggleButton
    image : ipywidgets.Image
    plot : DescentPlaneFigure
    path, costs : ndarrays of the current run
    """

    def __init__(self, lr=None, w0=None, b0=None, cost=None, gradients=None):
        from .pictures import descent2d as d2

        for name, fn in (("cost", cost), ("gradients", gradients)):
            if fn is not None and not callable(fn):
                raise TypeError(f"{name} should be your logistic_{name} function; found "
                                f"{type(fn).__name__}.")
        self._d2 = d2
        self.cost_fn, self.gradients_fn = cost, gradients
        self.run = None
        self.note_html = widgets.HTML()
        self.plot = DescentPlaneFigure()
        style = {"description_width": "130px"}
        wide = widgets.Layout(width="520px")
        self.lr_slider = widgets.FloatLogSlider(
            value=d2.DEFAULT["lr"] if lr is None else lr, base=10.0,
            min=PLANE_LR_EXPONENTS[0], max=PLANE_LR_EXPONENTS[1], step=0.01,
            description="Learning rate η", readout_format=".3g", style=style, layout=wide)
        self.w0_slider = widgets.FloatSlider(
            value=d2.DEFAULT["w0"] if w0 is None else w0, min=d2.W_RANGE[0], max=d2.W_RANGE[1],
            step=0.1, description="Start w₀", style=style, layout=wide)
        self.b0_slider = widgets.FloatSlider(
            value=d2.DEFAULT["b0"] if b0 is None else b0, min=d2.B_RANGE[0], max=d2.B_RANGE[1],
            step=0.1, description="Start b₀", style=style, layout=wide)
        self.k_slider = widgets.IntSlider(
            value=PLANE_N_ITER, min=0, max=PLANE_N_ITER, step=1, description="Iterate k",
            style=style, layout=wide)
        self.slip_toggle = widgets.ToggleButton(
            value=False, description="sign slip: dJ/dz = y − a",
            tooltip="seed 003's slip: the gradient's sign flipped", icon="exclamation-triangle",
            layout=widgets.Layout(width="260px"))
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="960px"))
        self.ui = widgets.VBox([self.lr_slider, self.w0_slider, self.b0_slider, self.k_slider,
                                self.slip_toggle, self.note_html, self.image])
        for control in (self.lr_slider, self.w0_slider, self.b0_slider, self.slip_toggle):
            control.observe(lambda change: self.rerun(), names="value")
        self.k_slider.observe(lambda change: self.redraw(), names="value")
        self._shown_in_cell = None
        self.rerun()

    def rerun(self):
        """Run descent again with the current settings, then redraw."""
        self.run = self._d2.plane_descent(
            self.w0_slider.value, self.b0_slider.value, self.lr_slider.value, PLANE_N_ITER,
            slip=self.slip_toggle.value, cost_fn=self.cost_fn, gradients_fn=self.gradients_fn)
        self.path, self.costs = self.run.path, self.run.costs
        self.note_html.value = (f'<p style="max-width: 900px; margin: 2px 0; color: #8a4b00">'
                                f'\u26a0 {html.escape(self.run.note)}</p>' if self.run.note
                                else "")
        self.redraw()

    def redraw(self):
        self.plot.show(self.path, self.costs, self.k_slider.value, self.slip_toggle.value,
                       blank=self.run.source == "none")
        self.image.value = self.plot.png()

    def show(self):
        shell = _ipython_shell()
        if shell is None:
            return
        from IPython.display import display

        display(self.ui)
        self._shown_in_cell = getattr(shell, "execution_count", None)

    def _ipython_display_(self):
        shell = _ipython_shell()
        if shell is not None and self._shown_in_cell == getattr(shell, "execution_count", -1):
            return
        self.show()

    def close(self):
        for control in (self.lr_slider, self.w0_slider, self.b0_slider, self.k_slider,
                        self.slip_toggle, self.note_html, self.image, self.ui):
            control.close()

    def __repr__(self):
        s = self.plot.shown
        return f"DescentPlane(k={s['k']}, w={s['w']:.4g}, b={s['b']:.4g}, J={s['J']:.4g})"


def descent_plane(lr=None, w0=None, b0=None, display=True, cost=None, gradients=None):
    """Build, display and return the 2-D descent view of lesson 3.

    Parameters
    ----------
    lr, w0, b0 : float, optional
        Start values of the learning rate and the start point.
    display : bool
        Show it now (inside IPython/Jupyter only).
    cost, gradients : callable, optional
        Your ``logistic_cost`` and ``logistic_gradients``: the path is theirs when they agree with
        the surface at the start (:func:`autograder.pictures.descent2d.plane_descent`); the
        reference's when omitted.

    Returns
    -------
    DescentPlane
    """
    plane = DescentPlane(lr=lr, w0=w0, b0=b0, cost=cost, gradients=gradients)
    if display:
        plane.show()
    return plane
