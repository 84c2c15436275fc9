"""The gradient-descent explorer of lesson 1 in a live kernel, used with the keyboard and the mouse.

The explorer cell of the student notebook is run with Shift+Enter; then its sliders are moved the
way a person moves them (click the knob, arrow keys, Home/End, a drag, typing into the readout),
and the plot image the page shows is compared before and after. The time from each key press to
the new plot is measured on the page's clock and printed, never asserted (timings belong to
benchmarks/slider_latency.py). Screenshots: build/screenshots/explorer-*.png.

The tests share one explorer (opening it costs seconds); each reads the state it starts from.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labdriver import ExplorerView, NotebookPage

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]

LESSON = "01_single_neuron"
DIVERGED_BAR = "rgb(200, 50, 43)"  # KIND_COLOURS["diverged"], #c8322b, as the browser says it


@pytest.fixture(scope="module")
def explorer(page, lab_server, lab_root, screenshots):
    """The explorer shown by lesson 1's student notebook (its own copy), in a fresh kernel."""
    folder = lab_root / "explorer"
    shutil.copytree(REPO / "notebooks" / LESSON, folder)
    notebook = NotebookPage(page, lab_server, f"explorer/{LESSON}.ipynb").open()
    view = ExplorerView(notebook, notebook.code_cell_containing("gradient_descent_explorer("))
    view.show()
    view.cell.screenshot(path=str(screenshots / "explorer-start.png"))
    yield view
    lab_server.shutdown_kernels()


def _diagnosis(explorer):
    return explorer.diagnosis().inner_text()


def test_does_the_explorer_show_its_controls_a_diagnosis_and_a_plot(explorer):
    """Are the curve menu, the three sliders with readouts, the diagnosis and a drawn plot on
    the page?"""
    assert explorer.root.locator("select").count() == 1
    for name in ("lr", "w0", "n_iter"):
        assert explorer.handle(name).count() == 1 and explorer.readout(name).strip()
    assert _diagnosis(explorer).startswith(("Converged", "Slow", "Oscillating", "Diverged"))
    width = explorer.page.evaluate("(img) => img.naturalWidth", explorer.image.element_handle())
    assert width >= 600


@pytest.mark.parametrize("name", ["lr", "w0", "n_iter"])
def test_does_each_arrow_key_on_a_slider_redraw_the_plot_once(explorer, name):
    """Click a slider's knob, press the right arrow five times: does each press move the slider
    one step up, change its readout and bring exactly one new, different plot?"""
    explorer.focus(name)
    value, readout, digest = explorer.value(name), explorer.readout(name), explorer.image_digest()
    latencies = []
    for _ in range(5):
        move = explorer.press(name, "ArrowRight")
        assert move.value > value and move.n_images == 1 and move.digest != digest
        assert explorer.readout(name) != readout
        value, readout, digest = move.value, explorer.readout(name), move.digest
        latencies.append(move.to_load_ms)
    print(f"{name}: key press -> new plot decoded, ms: {[round(t) for t in latencies]}")


def test_does_dragging_the_start_point_with_the_mouse_move_the_plot(explorer):
    """Drag the start-point knob 80 px to the right: does w0 grow and the picture change?"""
    before_value, before_picture = explorer.value("w0"), explorer.image_screenshot()
    explorer.drag("w0", 80)
    assert explorer.value("w0") > before_value + 0.5
    assert explorer.image_screenshot() != before_picture


def test_does_a_too_large_learning_rate_show_the_divergence_message(explorer, screenshots):
    """End on the learning-rate slider (lr = 1000), then typing 2.5 into its readout (just past
    2, where the quadratic starts to diverge): does the diagnosis say "Diverged" and why, in red,
    with a new plot? And Home (lr = 0.001): does it say the run is slow?"""
    explorer.focus("lr")
    before = explorer.image_screenshot()
    move = explorer.press("lr", "End")
    assert move.value == pytest.approx(3.0) and move.n_images == 1
    text = _diagnosis(explorer)
    assert text.startswith("Diverged") and "learning rate is too large" in text
    assert "Try a smaller learning rate" in text
    assert explorer.diagnosis().evaluate("(d) => getComputedStyle(d).borderLeftColor") == \
        DIVERGED_BAR
    assert explorer.image_screenshot() != before

    explorer.focus("lr")
    move = explorer.press("lr", "Home")
    assert move.value == pytest.approx(-3.0)
    assert _diagnosis(explorer).startswith("Slow")

    readout = explorer.slider_row("lr").locator(".widget-readout")
    readout.click()
    explorer.page.keyboard.press("Control+a")
    explorer.page.keyboard.type("2.5")
    n_load = len(explorer._probe()["load"])
    explorer.page.keyboard.press("Enter")
    explorer.wait_until_quiet(n_load)
    assert 10 ** explorer.value("lr") == pytest.approx(2.5, rel=0.03)
    assert _diagnosis(explorer).startswith("Diverged")
    explorer.cell.scroll_into_view_if_needed()
    explorer.cell.screenshot(path=str(screenshots / "explorer-diverged.png"))


def test_does_choosing_another_curve_bring_its_own_plot_and_start(explorer, screenshots):
    """Pick "Two valleys" in the curve menu: do the description, the start point and the
    picture change to that curve's?"""
    before = explorer.image_screenshot()
    explorer.choose_curve("Two valleys: J(w) = w⁴/8 + w³/12 - 3w²/4 + 2")
    # The menu lists every curve's title, so look for the description under it.
    assert "split by a hump" in explorer.root.inner_text()
    assert explorer.settled_value("w0", 2.5) == pytest.approx(2.5)
    assert explorer.image_screenshot() != before
    explorer.cell.screenshot(path=str(screenshots / "explorer-two-valleys.png"))
