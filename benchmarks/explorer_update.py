"""Time the explorer's redraw path against rebuilding the figure for every change.

A slider drag is simulated: the learning rate sweeps geometrically from 0.05 to 1.9, then the
start point sweeps across the plotting range, on one curve. Each step is timed three ways, in
the same process, on the same sequence of settings:

update      ``explorer.update(...)``: what a slider change costs in the notebook (run descent,
            diagnose, update the artists, paste the cached background, encode the PNG, set
            the widgets' values);
no-blit     the same artists updated, but the whole figure drawn every time;
rebuild     the baseline: a new figure built, drawn and encoded for every change (plus the
            same descent and diagnosis).

Usage::

    .venv/bin/python benchmarks/explorer_update.py [--n 60] [--curve quadratic]

No numbers are asserted anywhere; timings depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import matplotlib
import numpy as np

from autograder import explorer as ex
from autograder.widgets import ExplorerFigure, gradient_descent_explorer


def _settings(curve, n):
    """The simulated drag: n/2 learning rates, then n/2 start points."""
    half = n // 2
    lo, hi = curve.w_range
    lrs = [{"lr": float(v)} for v in np.geomspace(0.05, 1.9, half)]
    w0s = [{"w0": float(v)} for v in np.linspace(lo + 0.1 * (hi - lo), hi - 0.1 * (hi - lo),
                                                  n - half)]
    return lrs + w0s


def _time(function, settings):
    times = []
    for values in settings:
        start = time.perf_counter()
        function(values)
        times.append(time.perf_counter() - start)
    return np.array(times) * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=60, help="updates per method (default 60)")
    parser.add_argument("--curve", default="quadratic", choices=list(ex.CURVES))
    args = parser.parse_args()

    curve = ex.get_curve(args.curve)
    explorer = gradient_descent_explorer(curve.name, display=False)
    settings = _settings(curve, args.n)
    explorer.update(**settings[0])  # warm-up: caches, first draw
    draws_before = explorer.plot.full_draws

    def update(values):
        explorer.update(**values)

    current = {"lr": curve.lr, "w0": curve.w0, "n_iter": explorer.state.n_iter}

    def run(values):
        current.update(values)
        iterates = ex.run_descent(curve, current["w0"], current["lr"], current["n_iter"])
        ex.diagnose(curve, iterates)
        return iterates

    reused = ExplorerFigure()

    def no_blit(values):
        reused.show(curve, run(values), current["n_iter"])
        reused.png(reuse_background=False)

    def rebuild(values):
        figure = ExplorerFigure()
        figure.show(curve, run(values), current["n_iter"])
        figure.png()

    timings = {"update": _time(update, settings)}
    full_draws = explorer.plot.full_draws - draws_before
    current.update(lr=curve.lr, w0=curve.w0)
    timings["no-blit"] = _time(no_blit, settings)
    current.update(lr=curve.lr, w0=curve.w0)
    timings["rebuild"] = _time(rebuild, settings)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Explorer redraw benchmark: curve {curve.name!r}, {len(settings)} updates per method")
    print(f"python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
          f"{os.cpu_count()} CPUs, load average {load:.2f}")
    print(f"{'method':<10}{'median ms':>12}{'p90 ms':>10}")
    for name, ms in timings.items():
        print(f"{name:<10}{np.median(ms):>12.1f}{np.percentile(ms, 90):>10.1f}")
    base = timings["rebuild"]
    for name in ("update", "no-blit"):
        print(f"rebuild / {name}: median {np.median(base) / np.median(timings[name]):.1f}x, "
              f"p90 {np.percentile(base, 90) / np.percentile(timings[name], 90):.1f}x")
    print(f"update: {full_draws} of {len(settings)} updates redrew the background "
          "(new axis limits); the rest reused it")
    explorer.close()


if __name__ == "__main__":
    main()
