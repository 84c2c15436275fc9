"""Time the widgets in a real browser: from a key press to the new picture.

The explorer of lesson 1, the backprop stepper (lessons 1 and 4) and the 2-D descent view
(lesson 3) are timed in one run; the explorer in detail (per slider, against two baselines), the
other two in one table with it (see "The other widgets" below).

A JupyterLab server (on 127.0.0.1, private settings, a copy of lesson 1) and headless chromium
are started; the explorer cell runs in a live kernel; then each slider (learning rate, start
point, iterations) is moved one step at a time with the arrow key, as a person using the
keyboard would, and each move waits for its plot. Measured on the page's own clock:

key -> plot in DOM    from the key press to the plot image's new ``src`` (the PNG arrived);
key -> plot decoded   from the key press to the new image decoded, ready to paint (the figure
                      that counts, target: median <= 100 ms).

Baselines from the same run:

kernel redraw         ``GradientDescentExplorer.redraw`` timed inside the live kernel for the
                      same moves (run descent, diagnose, update the artists, encode the PNG, set
                      the widget values); the rest of the latency is messaging and the browser;
rebuild figure        in this process, for the same settings: a new figure built, drawn and
                      encoded for every move, what a redraw costs without the cached figure.

The other widgets
-----------------
A second notebook shows the 2-3-2 stepper and the 2-D view. The stepper's step slider and the
2-D view's iterate slider are moved one step at a time with the arrow key; each press is timed
the same way, and each widget's ``redraw`` is timed in the kernel. The summary table gives, per
widget, the median and 90th percentile of key -> picture decoded (target: median <= 100 ms,
p90 <= 200 ms) and of the kernel's redraw.

Usage::

    .venv/bin/python benchmarks/slider_latency.py [--moves 20] [--json build/slider_latency.json]

Measured 2026-12-03 (``--moves 10``; python 3.11.7, matplotlib 3.11.2, chromium 156, 2 CPUs
shared with other jobs, load average 1.05), key press -> new picture decoded::

    widget                             median ms   p90 ms  kernel median  kernel p90  verdict
    explorer (lr, w0, n_iter sliders)       92.8    111.7           38.0        52.0  met
    backprop stepper (step slider)          88.4    103.2           48.5        58.2  met
    2-D descent (iterate slider)            79.1     86.6           36.7        45.2  met

Explorer baseline in the same run: rebuilding the figure per move costs 282 ms median (7.4x the
cached-figure redraw); messaging and the browser add 51 ms per move. All 30 explorer moves gave
exactly one new plot.

Needs Playwright for Python and Debian's chromium (see tests/browser/labdriver.py). No number is
asserted anywhere; timings depend on the machine and its load, which is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))

import labdriver as lab  # noqa: E402  (lives with the browser tests)

LESSON = "01_single_neuron"
TARGET_MEDIAN_MS = 100.0
TARGET_P90_MS = 200.0

#: Run in the kernel before the explorer: time every redraw (one line, pasted as is).
TIMER_CELL = ("import time; import autograder.widgets as _w; _redraw_ms = []; "
              "_redraw = _w.GradientDescentExplorer.redraw; "
              "_w.GradientDescentExplorer.redraw = lambda self: (lambda t0: (_redraw(self), "
              "_redraw_ms.append(1e3 * (time.perf_counter() - t0))))(time.perf_counter())")
READ_CELL = "print(*[round(t, 3) for t in _redraw_ms])"


def browser_moves(n_moves, n_warmup):
    """Run the explorer in JupyterLab, make the moves; the moves and the kernel's redraw times.

    Returns
    -------
    moves : list of labdriver.Move
        The timed moves (warm-up moves left out), in order: lr, then w0, then n_iter.
    redraw_ms : list of float
        The kernel's redraw time for each of those moves.
    versions : dict
    """
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="slider-latency-") as scratch:
        scratch = Path(scratch)
        root = scratch / "root"
        shutil.copytree(REPO / "notebooks" / LESSON, root / LESSON)
        with lab.JupyterLabServer(root, scratch / "state") as server, \
                sync_playwright() as playwright:
            browser = lab.launch_chromium(playwright)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.on("dialog", lambda dialog: dialog.dismiss())
                notebook = lab.NotebookPage(page, server, f"{LESSON}/{LESSON}.ipynb").open()
                cell = notebook.code_cell_containing("gradient_descent_explorer(")
                notebook.run_new_cell_above(cell, TIMER_CELL)
                explorer = lab.ExplorerView(notebook, cell).show()
                moves, n_presses = [], n_warmup + n_moves
                for slider in ("lr", "w0", "n_iter"):
                    explorer.focus(slider)
                    for i in range(n_presses):
                        move = explorer.press(slider, "ArrowRight")
                        if i >= n_warmup:
                            moves.append(move)
                printed = notebook.run_new_cell_above(cell, READ_CELL)
                # The last redraws are the key presses' (showing the explorer redraws too, and
                # so does the slider's first sync: it snaps 0.4 to its step, 10**-0.4).
                redraw_ms = [float(x) for x in printed.split()][-3 * n_presses:]
                if len(redraw_ms) != 3 * n_presses:
                    raise RuntimeError(f"the kernel redrew {len(redraw_ms)} times for "
                                       f"{3 * n_presses} key presses")
                timed = [s * n_presses + i for s in range(3) for i in range(n_warmup, n_presses)]
                versions = {"chromium": browser.version}
                others = other_widget_moves(page, server, root, n_moves, n_warmup)
            finally:
                browser.close()
    return moves, [redraw_ms[i] for i in timed], versions, others


#: The second notebook: the stepper and the 2-D view, each redraw timed in the kernel.
WIDGETS_SETUP = (
    "import time\n"
    "import autograder.widgets as _w\n"
    "_redraw_ms = {'stepper': [], 'plane': []}\n"
    "def _timed(cls, name):\n"
    "    original = cls.redraw\n"
    "    def redraw(self):\n"
    "        t0 = time.perf_counter()\n"
    "        original(self)\n"
    "        _redraw_ms[name].append(1e3 * (time.perf_counter() - t0))\n"
    "    cls.redraw = redraw\n"
    "_timed(_w.BackpropStepper, 'stepper')\n"
    "_timed(_w.DescentPlane, 'plane')")
WIDGETS = {"stepper": ("_w.backprop_stepper('232')", "Step", "ArrowRight"),
           "plane": ("_w.descent_plane()", "Iterate k", "ArrowLeft")}


def other_widget_moves(page, server, root, n_moves, n_warmup):
    """The stepper and the 2-D view in a second notebook: timed key presses and kernel redraws.

    Returns
    -------
    dict of str -> (list of labdriver.Redraw, list of float)
    """
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(WIDGETS_SETUP)] + [
        nbformat.v4.new_code_cell(code) for code, _, _ in WIDGETS.values()] + [
        nbformat.v4.new_code_cell("print(*[round(t, 3) for t in _redraw_ms[WHICH]])")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "widgets.ipynb")
    notebook = lab.NotebookPage(page, server, "widgets.ipynb").open()
    notebook.run_cell(0)
    results = {}
    for name, (code, slider, key) in WIDGETS.items():
        view = lab.ImageWidgetView(notebook, notebook.code_cell_containing(code)).show()
        view.slider_handle(slider).click()
        presses = [view.press(key) for _ in range(n_warmup + n_moves)][n_warmup:]
        printed = notebook.run_new_cell_above(
            notebook.code_cell_containing("_redraw_ms[WHICH]"),
            f"print(*[round(t, 3) for t in _redraw_ms[{name!r}]])")
        redraw = [float(x) for x in printed.split()][-n_moves:]
        results[name] = (presses, redraw)
    return results


def settings_of(moves, start):
    """The explorer's settings after each move, from the sliders' positions."""
    current = dict(start)
    settings = []
    for move in moves:
        current[move.slider] = (10.0 ** move.value if move.slider == "lr"
                                else int(round(move.value)) if move.slider == "n_iter"
                                else move.value)
        settings.append(dict(current))
    return settings


def rebuild_ms(settings):
    """In this process: a fresh figure built, drawn and encoded for each setting."""
    from autograder import explorer as ex
    from autograder.widgets import ExplorerFigure

    curve = ex.get_curve("quadratic")
    times = []
    for values in settings:
        start = time.perf_counter()
        iterates = ex.run_descent(curve, values["w0"], values["lr"], values["n_iter"])
        ex.diagnose(curve, iterates)
        figure = ExplorerFigure()
        figure.show(curve, iterates, values["n_iter"])
        figure.png()
        times.append(1e3 * (time.perf_counter() - start))
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=20,
                        help="timed moves per slider (default 20; 3 sliders)")
    parser.add_argument("--warmup", type=int, default=3,
                        help="untimed moves per slider first (default 3)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    missing = lab.missing_tools()
    if missing:
        print(f"error: {missing} not found: {lab.HOW_TO_ENABLE}.", file=sys.stderr)
        return 2

    import matplotlib

    from autograder.explorer import get_curve

    moves, redraw, versions, others = browser_moves(args.moves, args.warmup)
    curve = get_curve("quadratic")
    # The explorer starts from the curve's defaults; the warm-up moves shift the start a little,
    # which does not change what a rebuild costs.
    rebuild = rebuild_ms(settings_of(moves, {"lr": curve.lr, "w0": curve.w0, "n_iter": 20}))

    decoded = lab.summary([m.to_load_ms for m in moves])
    in_dom = lab.summary([m.to_src_ms for m in moves])
    kernel = lab.summary(redraw)
    rebuilt = lab.summary(rebuild)
    per_slider = {s: lab.summary([m.to_load_ms for m in moves if m.slider == s])
                  for s in ("lr", "w0", "n_iter")}
    one_image = sum(m.n_images == 1 for m in moves)
    distinct = len({m.digest for m in moves})

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Explorer slider -> plot latency in JupyterLab, {len(moves)} key presses "
          f"({args.moves} per slider after {args.warmup} warm-up)")
    print(f"python {platform.python_version()}, matplotlib {matplotlib.__version__}, chromium "
          f"{versions['chromium']}, {os.cpu_count()} CPUs, load average {load:.2f}")
    print(f"{'':<38}{'median ms':>10}{'p90 ms':>9}")
    rows = [("browser: key -> plot decoded", decoded), ("browser: key -> plot in DOM", in_dom)]
    rows += [(f"  {s} slider: key -> plot decoded", per_slider[s]) for s in per_slider]
    rows += [("baseline: kernel redraw (same moves)", kernel),
             ("baseline: rebuild figure (this process)", rebuilt)]
    for label, stats in rows:
        print(f"{label:<38}{stats['median']:>10.1f}{stats['p90']:>9.1f}")
    overhead = np.median([m.to_load_ms - r for m, r in zip(moves, redraw)])
    print(f"browser / kernel redraw: median {decoded['median'] / kernel['median']:.1f}x; "
          f"messaging and browser add {overhead:.0f} ms (median per move)")
    print(f"rebuild / kernel redraw: median {rebuilt['median'] / kernel['median']:.1f}x")
    print(f"{one_image} of {len(moves)} moves gave exactly one new plot; {distinct} distinct plots")
    verdict = "met" if decoded["median"] <= TARGET_MEDIAN_MS else "NOT met"
    print(f"target median <= {TARGET_MEDIAN_MS:.0f} ms: {verdict}")

    print()
    print(f"All widgets, key press -> new picture decoded ({args.moves} presses each; targets: "
          f"median <= {TARGET_MEDIAN_MS:.0f} ms, p90 <= {TARGET_P90_MS:.0f} ms)")
    print(f"{'widget':<34}{'median ms':>10}{'p90 ms':>9}{'kernel median':>15}{'kernel p90':>12}"
          f"{'  verdict'}")
    table = {"explorer (lr, w0, n_iter sliders)": (decoded, kernel)}
    labels = {"stepper": "backprop stepper (step slider)", "plane": "2-D descent (iterate slider)"}
    for name, (presses, kernel_ms) in others.items():
        table[labels[name]] = (lab.summary([p.to_load_ms for p in presses]),
                               lab.summary(kernel_ms))
    for label, (browser_stats, kernel_stats) in table.items():
        ok = (browser_stats["median"] <= TARGET_MEDIAN_MS and
              browser_stats["p90"] <= TARGET_P90_MS)
        print(f"{label:<34}{browser_stats['median']:>10.1f}{browser_stats['p90']:>9.1f}"
              f"{kernel_stats['median']:>15.1f}{kernel_stats['p90']:>12.1f}"
              f"  {'met' if ok else 'NOT met'}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "moves": [m.__dict__ for m in moves], "kernel_redraw_ms": redraw,
            "rebuild_ms": rebuild, "summary": dict(rows), "load_average": load,
            "widgets": {label: {"browser": b, "kernel": k} for label, (b, k) in table.items()},
            **versions}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
