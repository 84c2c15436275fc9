"""The explorer's fast redraw (autograder.widgets): the pasted legend, the PNG encoder and the
round iteration axis give the same picture as plain matplotlib, only sooner.

The browser side (a slider move in JupyterLab, timed) is tests/browser/test_explorer_in_lab.py
and benchmarks/slider_latency.py.
"""
import io

import matplotlib.image
import numpy as np
import pytest

from autograder import explorer as ex
from autograder import widgets as wd


def _decoded(png):
    """PNG bytes -> (height, width, 4) uint8 array, decoded by Pillow through matplotlib."""
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    return np.round(pixels * 255).astype(np.uint8)


def _figure_with_run(lr=1.9, w0=6.5, n_iter=23):
    """A figure showing a zig-zag run whose path crosses the legend's corner of the panel."""
    curve = ex.CURVES["quadratic"]
    figure = wd.ExplorerFigure()
    figure.show(curve, ex.run_descent(curve, w0, lr, n_iter), n_iter)
    return figure


def test_does_the_pasted_legend_look_like_a_legend_drawn_by_matplotlib():
    """Is the figure with the legend pasted from its layer the same, to one level of 255 in a few
    edge pixels, as the figure with matplotlib drawing the legend on top in the same place?"""
    figure = _figure_with_run()
    figure.render()
    pasted = np.asarray(figure.canvas.buffer_rgba()).copy()
    figure.canvas.restore_region(figure._background)
    for artist in figure._animated + [figure.legend, figure.offscreen]:
        figure.figure.draw_artist(artist)
    drawn = np.asarray(figure.canvas.buffer_rgba()).copy()
    difference = np.abs(pasted.astype(int) - drawn.astype(int))
    assert difference.max() <= 1
    assert np.count_nonzero(difference) < 0.01 * difference.size
    x0, y0, layer = figure._legend_layer
    assert layer[..., 3].max() == 255 and layer.shape[0] > 10 and layer.shape[1] > 100


def test_is_the_legend_on_top_of_a_path_that_crosses_it():
    """Where a diverging path runs through the legend's box, does the pasted legend cover it
    (the path shows only faintly through the 85 % opaque frame), as a legend drawn on top would?"""
    curve = ex.CURVES["quadratic"]
    figure = wd.ExplorerFigure()
    figure.show(curve, ex.run_descent(curve, curve.w0, 2.2, 8), 8)  # zig-zags off the top
    path, legend = figure.lines["path"], figure.legend

    def picture(with_path, with_legend):
        path.set_visible(with_path)
        legend.set_visible(with_legend)
        figure.render(reuse_background=False)
        return np.asarray(figure.canvas.buffer_rgba()).astype(int)

    pictures = {(p, q): picture(p, q) for p in (True, False) for q in (True, False)}
    path.set_visible(True)
    legend.set_visible(True)
    x0, y0, layer = figure._legend_layer
    height = pictures[True, True].shape[0]
    box = (slice(height - y0 - layer.shape[0], height - y0), slice(x0, x0 + layer.shape[1]))
    # Inside the frame: the layer has a margin, and the frame has rounded corners.
    inside = tuple(slice(s.start + 6, s.stop - 6) for s in box)
    crossing = np.abs(pictures[True, False] - pictures[False, False])[inside]
    assert crossing.max() > 100  # without the legend the path is plainly there
    covered = np.abs(pictures[True, True] - pictures[False, True])[inside]
    assert covered.max() <= 0.15 * 255 + 2  # with it, at most the frame's 15 % shows through


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (340, 900)])
def test_does_the_png_encoder_round_trip_exactly(shape):
    """Does Pillow decode _png_bytes(rgba) to exactly rgba, for any size and alpha?"""
    rng = np.random.default_rng(sum(shape))
    rgba = rng.integers(0, 256, size=shape + (4,), dtype=np.uint8)
    png = wd._png_bytes(rgba)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_array_equal(_decoded(png), rgba)


def test_is_the_explorer_png_the_canvas_pixel_for_pixel_and_small():
    """Is the explorer's PNG exactly the rendered canvas, and no larger than 100 kB?"""
    figure = _figure_with_run()
    png = figure.png()
    np.testing.assert_array_equal(_decoded(png), np.asarray(figure.canvas.buffer_rgba()))
    assert len(png) < 100_000


@pytest.mark.parametrize("n_iter, end", [(0, 5), (1, 5), (5, 5), (6, 10), (10, 10), (11, 20),
                                         (20, 20), (21, 30), (99, 100), (100, 100)])
def test_does_the_iteration_axis_end_at_a_round_number_at_or_after_the_last_step(n_iter, end):
    """Is the right end of the loss panel's iteration axis n_iter rounded up to 5, then to 10s?"""
    assert wd._iteration_axis_end(n_iter) == end


def test_do_moves_of_the_iterations_slider_within_a_decade_reuse_the_background():
    """From 21 to 30 iterations, one step at a time: is the background drawn only once, and does
    each step still show every iterate on the loss panel? (A slow run: its cost gap stays within
    one band of the log axis, whose limits are the other part of the background.)"""
    explorer = wd.gradient_descent_explorer(lr=0.05, n_iter=21, display=False)
    try:
        draws = explorer.plot.full_draws
        for n_iter in range(22, 31):
            explorer.n_iter_slider.value = n_iter
            k, _ = explorer.plot.lines["gap"].get_data()
            assert list(k) == list(range(n_iter + 1))
            assert explorer.plot.ax_gap.get_xlim()[1] >= n_iter
        assert explorer.plot.full_draws == draws
        explorer.n_iter_slider.value = 31  # into the next decade: new axis, new background
        assert explorer.plot.full_draws == draws + 1
    finally:
        explorer.close()
