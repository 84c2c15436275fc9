"""The backprop stepper and the 2-D descent view in a live kernel, used with the keyboard and mouse;
lessons 5 and 6 opened with their pictures drawn.

A small notebook (written here, served from the test server's folder) shows the 2-3-2 stepper
with a planted bug in ``hidden_delta`` and lesson 3's 2-D view. A key press on a control must
bring exactly one new picture and a new shown value; "Use my functions" must mark the node where
the planted bug enters. Screenshots: build/screenshots/stepper-*.png, descent-plane-*.png. The
time from key press to picture is printed, never asserted (benchmarks/slider_latency.py).

Lessons 5 and 6, solved and run from the Run menu, must show every picture cell's image(s),
decoded, with the caption as alt text; the released lesson 6 must show a note where a picture
needs an exercise not written yet. Screenshots: build/screenshots/<lesson>-picture-N.png
(<lesson>-picture-N-M.png for the M-th of a cell's pictures) and 06_minibatch_sgd-picture-note.png.
"""
from __future__ import annotations

import time

import nbformat
import pytest

from labdriver import ImageWidgetView, NotebookPage

pytestmark = pytest.mark.browser

SETUP = """from autograder.reference import delta_rule
from autograder.widgets import backprop_stepper, descent_plane


def hidden_delta(delta_out, u, h):
    return (delta_out @ u.T) * h * h  # planted bug: h h where h (1 - h) belongs"""
STEPPER = """backprop_stepper("232", student_functions={
    "output_delta": delta_rule.output_delta, "hidden_delta": hidden_delta})"""
PLANE = "descent_plane()"


@pytest.fixture(scope="module")
def notebook(page, lab_server, lab_root):
    """The notebook open in JupyterLab, its first cell run."""
    folder = lab_root / "pictures"
    folder.mkdir(exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in (SETUP, STEPPER, PLANE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "widgets.ipynb")
    opened = NotebookPage(page, lab_server, "pictures/widgets.ipynb").open()
    opened.run_cell(0)
    yield opened
    lab_server.shutdown_kernels()


@pytest.fixture(scope="module")
def stepper(notebook, screenshots):
    view = ImageWidgetView(notebook, notebook.code_cell_containing("backprop_stepper(")).show()
    view.cell.screenshot(path=str(screenshots / "stepper-start.png"))
    return view


@pytest.fixture(scope="module")
def plane(notebook, screenshots):
    view = ImageWidgetView(notebook, notebook.code_cell_containing(PLANE)).show()
    view.cell.screenshot(path=str(screenshots / "descent-plane-start.png"))
    return view


def _label(view):
    return view.root.locator(".stepper-label").inner_text()


def _step_text(view):
    return view.root.locator(".stepper-step").inner_text()


def test_does_an_arrow_key_on_the_step_slider_step_forward(stepper):
    """Click the step slider's knob, press the right arrow: one new picture, the next step's
    label, and its formula with numbers (x2, then h1 = σ(...))?"""
    stepper.slider_handle("Step").click()
    digest = stepper.image_digest()
    move = stepper.press("ArrowRight")
    assert move.n_images == 1 and move.digest != digest
    assert _label(stepper).startswith("2 / 33") and _step_text(stepper).count("x2 =") == 1
    move = stepper.press("ArrowRight")
    assert _label(stepper).startswith("3 / 33: h1")
    assert "h1 = σ(w11 x1 + w21 x2 + b1_1) = σ(" in _step_text(stepper)
    print(f"stepper: key -> new picture decoded: {move.to_load_ms:.0f} ms")


def test_do_the_buttons_work_from_the_keyboard(stepper):
    """Tab focus on "Next ▶" and Enter: does the step advance with a new picture; and Back?"""
    before = _label(stepper)
    stepper.button("Next").focus()
    move = stepper.press("Enter")
    assert move.n_images == 1 and _label(stepper) != before
    stepper.button("Back").focus()
    stepper.press("Enter")
    assert _label(stepper) == before


def test_does_use_my_functions_mark_the_planted_bug(stepper, screenshots):
    """Tick "Use my functions" with the keyboard (Space), then End on the slider: does the text
    say the value first differs at the first hidden delta, in hidden_delta, and the picture
    change?"""
    stepper.slider_handle("Step").click()
    stepper.press("End")
    unmarked = stepper.image_digest()
    assert "first differs" not in _step_text(stepper)
    stepper.root.locator("input[type=checkbox]").focus()
    move = stepper.press("Space")
    text = _step_text(stepper)
    assert "Your value first differs at step 22, δh1" in text and "hidden_delta" in text
    assert move.digest != unmarked
    stepper.cell.scroll_into_view_if_needed()
    stepper.cell.screenshot(path=str(screenshots / "stepper-first-difference.png"))


def _choose_phase(view, name, label_start, timeout_ms=45_000):
    """Click the pass button ``name`` until the step label starts with ``label_start``.

    A click on the button the browser still shows as selected does nothing: the kernel's last
    change of the pass (from the previous test's End key) may not have reached the page yet. So
    wait a little for the label, and click again until the deadline (a loaded machine)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = view.root.locator("button", has_text=name)
    label = view.root.locator(".stepper-label")
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        button.click()
        try:
            view.page.wait_for_function(
                "([el, start]) => el.innerText.startsWith(start)",
                arg=[label.element_handle(), label_start], timeout=3_000)
            return _label(view)
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                return _label(view)


def test_does_the_backward_switch_jump_to_the_output_delta(stepper):
    """Click "forward", then "backward": is the step 1 / 33, then δ1, the first of the backward
    pass?"""
    assert _choose_phase(stepper, "forward", "1 / 33").startswith("1 / 33")
    assert _choose_phase(stepper, "backward", "9 / 33").startswith("9 / 33: δ1")


def test_does_the_iterate_slider_move_the_2d_view(plane):
    """Click the iterate slider's knob, press the left arrow: one new picture per press?"""
    plane.slider_handle("Iterate k").click()
    digest = plane.image_digest()
    times = []
    for _ in range(3):
        move = plane.press("ArrowLeft")
        assert move.n_images == 1 and move.digest != digest
        digest = move.digest
        times.append(round(move.to_load_ms))
    print(f"2-D view: key -> new picture decoded, ms: {times}")


def test_does_the_sign_slip_switch_change_the_path(plane, screenshots):
    """Focus the sign-slip toggle and press Space: a new picture, the path now climbing?"""
    digest = plane.image_digest()
    plane.button("sign slip").focus()
    move = plane.press("Space")
    assert move.n_images >= 1 and move.digest != digest
    plane.cell.scroll_into_view_if_needed()
    plane.cell.screenshot(path=str(screenshots / "descent-plane-slip.png"))


# -- lessons 5 and 6 open with their pictures --------------------------------------------------

#: Lesson -> (text of each picture cell, images it shows), in notebook order; the first is the
#: cell right after the title.
LESSON_PICTURES = {
    "05_deep_networks": [("deep_network_picture(", 1)],
    "06_minibatch_sgd": [("deep_network_picture(", 1), ("digit_training_pictures(", 3),
                         ("vanishing_gradient_picture(", 1)],
}

_IMAGES_JS = """(cell) => Array.from(cell.querySelectorAll('.jp-OutputArea-output img')).map(
  img => ({loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth,
           alt: img.alt, caption: (img.closest('figure') || {querySelector: () => null})
                 .querySelector('figcaption')?.innerText || ''}))"""


def _images(cell):
    return cell.evaluate(_IMAGES_JS)


@pytest.mark.parametrize("lesson", sorted(LESSON_PICTURES))
def test_do_lessons_5_and_6_show_their_pictures_in_lab(lesson, page, lab, screenshots):
    """The solved lesson, Run > Run All Cells: does the cell after the title draw the lesson's
    network, and does every picture cell show its decoded image(s), each with its caption as alt
    text and under it, and nothing on stderr?"""
    notebook = NotebookPage(page, lab, f"solutions/{lesson}/{lesson}.ipynb").open()
    notebook.run_all(timeout_ms=600_000)
    cells = notebook.cells()
    for k, (text, n_images) in enumerate(LESSON_PICTURES[lesson]):
        cell = notebook.code_cell_containing(text)
        index = notebook.index_of(cell)
        if k == 0:
            assert index == 1 and not cells[0].is_code  # right after the title cell
        assert cells[index].executed and not cells[index].errors, cells[index]
        page.wait_for_function(
            "(cell) => Array.from(cell.querySelectorAll('.jp-OutputArea-output img'))"
            ".every(img => img.complete && img.naturalWidth > 0)",
            arg=cell.element_handle(), timeout=30_000)
        images = _images(cell)
        assert len(images) == n_images, images
        for image in images:
            assert image["loaded"] and image["width"] > 200
            assert len(image["alt"]) > 40 and image["caption"].strip() == image["alt"].strip()
        figures = cell.locator(".jp-OutputArea-output figure")
        for i in range(n_images):  # one by one: a cell taller than the screen is cut off
            name = f"{lesson}-picture-{k + 1}" + (f"-{i + 1}" if n_images > 1 else "")
            figures.nth(i).scroll_into_view_if_needed()
            figures.nth(i).screenshot(path=str(screenshots / f"{name}.png"))


def test_does_the_student_see_a_note_where_a_picture_needs_an_unwritten_exercise(
        page, lab, screenshots):
    """Lesson 6 as released, every cell run past the stubs' errors: does the digit pictures'
    cell run without an error and say which exercise to finish first?"""
    notebook = NotebookPage(page, lab, "notebooks/06_minibatch_sgd/06_minibatch_sgd.ipynb").open()
    notebook.run_all_past_errors(timeout_ms=600_000)
    cell = notebook.code_cell_containing("digit_training_pictures(")
    view = notebook.cells()[notebook.index_of(cell)]
    assert view.executed and not view.errors
    note = cell.locator(".picture-note").inner_text()
    assert note.startswith("Finish Exercise 2 (sgd_epoch) first")
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=str(screenshots / "06_minibatch_sgd-picture-note.png"))
