"""Specification of the gradient-descent explorer widget (autograder.widgets), without a browser.

The controls are driven the way a frontend drives them (setting ``.value``) and through
``update``; the plotted data is read back from the matplotlib artists and the rendered PNG.
"""
import io
import json
import os
import subprocess
import sys

import matplotlib.image
import numpy as np
import pytest

from autograder import explorer as ex
from autograder import widgets as wd


@pytest.fixture
def explorer(capfd):
    """A fresh explorer on the quadratic; afterwards, nothing may have reached stderr."""
    made = wd.gradient_descent_explorer()
    yield made
    made.close()
    assert capfd.readouterr().err == ""


def _pixels(png):
    return matplotlib.image.imread(io.BytesIO(png), format="png")


def _xy(line):
    x, y = line.get_data()
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def test_does_building_it_headless_print_nothing(capfd):
    """Outside IPython, does gradient_descent_explorer() build, display nothing, and keep stdout
    and stderr empty?"""
    made = wd.gradient_descent_explorer()
    out = capfd.readouterr()
    assert out.out == "" and out.err == ""
    assert made.state.curve == "quadratic" and made.state.diagnosis.kind in ex.KINDS
    assert made.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    made.close()


def test_does_every_control_have_a_description_and_a_sensible_range(explorer):
    """Are the controls labelled, and do their ranges cover the curves and their defaults?"""
    controls = [explorer.curve_dropdown, explorer.lr_slider, explorer.w0_slider,
                explorer.n_iter_slider]
    assert all(c.description for c in controls)
    assert [value for _, value in explorer.curve_dropdown.options] == list(ex.CURVES)
    assert explorer.lr_slider.base ** explorer.lr_slider.min <= 1e-3
    assert (explorer.w0_slider.min, explorer.w0_slider.max) == ex.CURVES["quadratic"].w_range
    assert explorer.n_iter_slider.min == 0 and explorer.n_iter_slider.max >= 50
    for curve in ex.CURVES.values():
        assert explorer.lr_slider.base ** explorer.lr_slider.min < curve.lr < \
            explorer.lr_slider.base ** explorer.lr_slider.max


@pytest.mark.parametrize("name", list(ex.CURVES))
def test_does_the_top_of_the_lr_slider_diverge_on_every_curve(name):
    """From each curve's default start, does the largest learning rate on the slider diverge?"""
    curve = ex.CURVES[name]
    top = 10.0 ** wd.LR_EXPONENTS[1]
    assert ex.diagnose(curve, ex.run_descent(curve, curve.w0, top, 20)).kind == "diverged"


def test_does_a_too_large_learning_rate_show_the_divergence_message(explorer):
    """Setting the lr slider to 3 on the quadratic: does the page say 'diverged' and why?"""
    before_png, before_path = explorer.image.value, _xy(explorer.plot.lines["path"])
    explorer.lr_slider.value = 3.0
    state = explorer.state
    assert state.lr == 3.0 and state.diagnosis.kind == "diverged"
    assert "learning rate is too large" in explorer.diagnosis_html.value
    assert "smaller learning rate" in explorer.diagnosis_html.value
    assert wd.KIND_COLOURS["diverged"] in explorer.diagnosis_html.value
    assert explorer.image.value != before_png
    x, _ = _xy(explorer.plot.lines["path"])
    assert x.size < before_path[0].size  # the run stopped when |w| passed W_LIMIT
    assert "ran off" in explorer.plot.offscreen.get_text()


def test_does_the_start_slider_move_the_start_of_the_path(explorer):
    """Does a new w0 become the first plotted point, with the run recomputed from it?"""
    explorer.w0_slider.value = 5.5
    x, y = _xy(explorer.plot.lines["start"])
    assert x.tolist() == [5.5] and y.tolist() == [float(ex.CURVES["quadratic"].J(5.5))]
    expected = ex.run_descent("quadratic", 5.5, explorer.state.lr, explorer.state.n_iter)
    np.testing.assert_array_equal(explorer.state.iterates, expected)
    np.testing.assert_array_equal(_xy(explorer.plot.lines["path"])[0], expected)


def test_does_the_iterations_slider_set_the_number_of_plotted_steps(explorer):
    """With 5 iterations, are there 6 points on the path and on the loss panel?"""
    explorer.n_iter_slider.value = 5
    assert _xy(explorer.plot.lines["path"])[0].size == 6
    k, gap = _xy(explorer.plot.lines["gap"])
    assert k.tolist() == list(range(6))
    np.testing.assert_array_equal(gap, ex.gap_history("quadratic", explorer.state.iterates)[1])
    assert explorer.plot.ax_gap.get_xlim()[1] >= 5


def test_does_the_learning_rate_slider_change_the_run_and_its_diagnosis(explorer):
    """From lr = 0.4 (converged) to 0.05 (slow) to 1.9 (oscillating): do the run, the plotted
    path and the text follow?"""
    assert explorer.state.diagnosis.kind == "converged"
    for lr, kind in ((0.05, "slow"), (1.9, "oscillating")):
        explorer.lr_slider.value = lr
        assert explorer.state.diagnosis.kind == kind
        expected = ex.run_descent("quadratic", explorer.state.w0, lr, explorer.state.n_iter)
        np.testing.assert_array_equal(_xy(explorer.plot.lines["path"])[0], expected)
        assert explorer.state.diagnosis.message.split(".")[0] in explorer.diagnosis_html.value


def test_does_choosing_a_curve_bring_its_range_defaults_and_drawing(explorer):
    """Choosing the two-valley curve: do the start slider's range, w0, lr, the drawn curve and
    the lowest-point marker follow?"""
    explorer.curve_dropdown.value = "nonconvex"
    curve = ex.CURVES["nonconvex"]
    assert (explorer.w0_slider.min, explorer.w0_slider.max) == curve.w_range
    assert explorer.w0_slider.value == curve.w0 and explorer.lr_slider.value == curve.lr
    np.testing.assert_array_equal(_xy(explorer.plot.lines["curve"])[1], ex.curve_points(curve)[1])
    assert _xy(explorer.plot.lines["minimum"])[0].tolist() == [-2.0]
    assert explorer.plot.ax_curve.get_xlim() == curve.w_range
    assert "local minimum" in explorer.diagnosis_html.value  # w0 = 2.5 ends in the higher valley
    assert curve.description in explorer.about.value


def test_does_the_logistic_curve_plot_and_diagnose(explorer):
    """On the breast-cancer curve, does the default run converge near the fitted weight?"""
    state = explorer.update(curve="logistic_nll")
    assert state.diagnosis.kind == "converged"
    assert abs(state.iterates[-1] - ex.CURVES["logistic_nll"].w_star) < 0.1


def test_does_update_set_several_controls_and_redraw_once(explorer, monkeypatch):
    """Does update(curve=..., lr=..., w0=..., n_iter=...) apply all four with one render, and
    let explicit values win over the new curve's defaults?"""
    renders = []
    real_png = explorer.plot.png
    monkeypatch.setattr(explorer.plot, "png", lambda *a, **k: renders.append(1) or real_png())
    state = explorer.update(curve="nonconvex", lr=0.05, w0=-1.0, n_iter=40)
    assert len(renders) == 1
    assert (state.curve, state.lr, state.w0, state.n_iter) == ("nonconvex", 0.05, -1.0, 40)
    assert state is explorer.state and state.iterates.shape == (41,)


def test_does_update_refuse_unknown_names_and_values_the_sliders_cannot_show(explorer):
    """Is a typo or an lr beyond the slider refused, rather than silently clipped?"""
    with pytest.raises(TypeError, match="alpha"):
        explorer.update(alpha=0.1)
    with pytest.raises(ValueError, match="range"):
        explorer.update(lr=1e5)
    with pytest.raises(ValueError, match="range"):
        explorer.update(w0=100.0)


def test_does_the_cached_background_give_the_same_picture_as_a_fresh_figure(explorer):
    """After many updates that reuse the background, is the PNG pixel-equal to one drawn from
    scratch, and was the background actually reused?"""
    for lr in np.linspace(0.3, 0.6, 6):
        explorer.lr_slider.value = float(lr)
    explorer.w0_slider.value = 6.0
    assert explorer.plot.full_draws < 8  # 1 build + 7 updates: some reused the background
    state = explorer.state
    fresh = wd.ExplorerFigure()
    fresh.show(ex.CURVES[state.curve], state.iterates, state.n_iter)
    np.testing.assert_array_equal(_pixels(explorer.image.value), _pixels(fresh.png()))


def test_does_a_change_of_axis_limits_redraw_the_background(explorer):
    """When the loss panel needs other limits (more iterations), is the background redrawn?"""
    draws = explorer.plot.full_draws
    explorer.n_iter_slider.value = 60
    assert explorer.plot.full_draws == draws + 1
    assert explorer.plot.ax_gap.get_xlim()[1] >= 60


def test_does_the_image_differ_when_the_run_differs(explorer):
    """Do two different runs give two different pictures, and the same run the same picture?"""
    first = explorer.image.value
    explorer.lr_slider.value = 0.1
    second = explorer.image.value
    explorer.lr_slider.value = 0.4
    assert second != first
    np.testing.assert_array_equal(_pixels(explorer.image.value), _pixels(first))


def test_does_the_repr_summarise_the_state(explorer):
    """Does repr(explorer) name the curve, the settings and the diagnosis?"""
    assert repr(explorer) == ("GradientDescentExplorer(curve='quadratic', lr=0.4, w0=-1, "
                              "n_iter=20): converged")


SHOW_ONCE = r"""
import json
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

shell = InteractiveShell.instance()
counts = []
for cell in ["from autograder.widgets import gradient_descent_explorer",
             "gradient_descent_explorer()",
             "ex = gradient_descent_explorer(display=False)",
             "ex",
             "ex = gradient_descent_explorer()\nex"]:
    with capture_output() as captured:
        result = shell.run_cell(cell)
    assert result.success, result.error_in_exec
    counts.append(sum("application/vnd.jupyter.widget-view+json" in o.data
                      for o in captured.outputs))
import sys
print(json.dumps(counts))
print(json.dumps("matplotlib.pyplot" in sys.modules))
"""


def test_is_the_explorer_shown_exactly_once_per_cell(tmp_path):
    """In IPython, is the explorer shown once whether it is the last line of a cell or not,
    shown by a later cell that names it, and is pyplot left alone? (Run in a separate process:
    an IPython shell is a process-wide singleton; its history goes to a temporary IPYTHONDIR.)"""
    env = dict(os.environ, IPYTHONDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", SHOW_ONCE], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    counts, pyplot_imported = (json.loads(line) for line in done.stdout.splitlines()[-2:])
    assert counts == [0, 1, 0, 1, 1]
    assert not pyplot_imported  # no pyplot: no backend chosen, no global figure registry


@pytest.mark.slow
def test_does_the_explorer_run_in_a_headless_kernel_without_stderr(tmp_path):
    """Executed by nbclient (as nbgrader does), does the lesson's call finish, display one
    widget and write nothing to stderr?"""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "from autograder.widgets import gradient_descent_explorer\n"
        "gradient_descent_explorer()")]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.get("name") == "stderr" or o.output_type == "error"]
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in
             o.get("data", {})]
    assert len(views) == 1


def test_does_the_tangent_follow_the_last_iterate_with_its_hint(explorer):
    """After a run, is the tangent drawn through the last iterate, and does the hint under the
    legend say which way the next step goes?"""
    explorer.update(w0=-2.0, n_iter=3, lr=0.1)
    w_last = explorer.state.iterates[-1]
    x, y = _xy(explorer.plot.lines["tangent"])
    assert np.mean(x) == pytest.approx(w_last)
    assert explorer.plot.slope_note.get_text().endswith("step right")
    explorer.update(w0=6.5)
    assert explorer.plot.slope_note.get_text().endswith("step left")
