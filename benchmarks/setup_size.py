"""From a fresh clone to a running JupyterLab, and what the install weighs (issue 16, item 4).

What it measures, in one run:

1. **clone to lab**: the repository's committed HEAD is cloned into a temporary folder, ``make
   setup`` runs there (a new ``.venv``, the package with its dev extra, as the README's set-up
   says), then ``make lab`` starts JupyterLab on a free port; the clock stops when the server
   answers HTTP. The server is then stopped (its whole process group).
2. **installed size**: ``.venv`` of that clone (runtime and dev extra), a second virtual
   environment with the runtime only (``pip install -e .``: what a student or Binder needs),
   and the same runtime with scikit-learn added, which is what the runtime weighed before the
   bundled data sets replaced it (the "before" of issue 16 item 1; scikit-learn brings SciPy).

The pip cache makes the times those of a warm machine; a cold one downloads more. The machine
may be shared, so read the sizes (exact) before the times (noisy).

Usage::

    .venv/bin/python benchmarks/setup_size.py [--keep] [--skip-lab] [--skip-sizes]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def folder_bytes(path):
    """Bytes of every regular file under ``path`` (links not followed, hard links once)."""
    seen, total = set(), 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                info = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            total += info.st_size
    return total


def mib(n):
    return f"{n / 2**20:8.1f} MiB"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, cwd, log):
    started = time.monotonic()
    with open(log, "ab") as out:
        done = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        sys.exit(f"{' '.join(map(str, command))} failed (exit {done.returncode}); see {log}")
    return time.monotonic() - started


def start_lab(clone, log, limit=300):
    """``make lab`` on a free port; seconds until it answers HTTP (the server is stopped)."""
    port = free_port()
    env = dict(os.environ, BROWSER="true")     # never open a browser window
    started = time.monotonic()
    with open(log, "ab") as out:
        lab = subprocess.Popen(["make", "lab", f"PORT={port}"], cwd=clone, stdout=out,
                               stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        while time.monotonic() - started < limit:
            if lab.poll() is not None:
                sys.exit(f"make lab ended (exit {lab.returncode}) before answering; see {log}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                return time.monotonic() - started
            except urllib.error.HTTPError:
                return time.monotonic() - started           # it answered, if not with 200
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        sys.exit(f"JupyterLab did not answer within {limit} s; see {log}")
    finally:
        try:
            os.killpg(lab.pid, signal.SIGTERM)
            lab.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(lab.pid, signal.SIGKILL)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    parser.add_argument("--skip-lab", action="store_true", help="sizes only")
    parser.add_argument("--skip-sizes", action="store_true",
                        help="clone to lab only (no runtime-only environment)")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="setup-size-"))
    log = scratch / "setup.log"
    clone = scratch / "clone"
    print(f"log: {log}")
    seconds = {}
    seconds["git clone"] = run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO),
                                str(clone)], scratch, log)
    seconds["make setup"] = run(["make", "setup"], clone, log)
    if not args.skip_lab:
        seconds["make lab, until it answers HTTP"] = start_lab(clone, log)
    print("\nfrom a fresh clone to a running JupyterLab:")
    for step, value in seconds.items():
        print(f"  {step:<36}{value:8.1f} s")
    print(f"  {'total':<36}{sum(seconds.values()):8.1f} s")

    sizes = {"clone's .venv (runtime + dev extra, make setup)": folder_bytes(clone / ".venv")}
    if not args.skip_sizes:
        runtime = scratch / "runtime"
        run([sys.executable, "-m", "venv", str(runtime)], scratch, log)
        pip = [str(runtime / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        run(pip + ["--upgrade", "pip"], scratch, log)
        started = time.monotonic()
        run(pip + ["-e", str(clone)], scratch, log)
        print(f"  {'runtime-only pip install -e .':<36}{time.monotonic() - started:8.1f} s")
        sizes["runtime only (pip install -e .)"] = folder_bytes(runtime)
        run(pip + ["scikit-learn"], scratch, log)
        sizes["before: runtime + scikit-learn (SciPy)"] = folder_bytes(runtime)
    print("\ninstalled size:")
    for name, value in sizes.items():
        print(f"  {name:<50}{mib(value)}")
    if not args.skip_sizes:
        before = sizes["before: runtime + scikit-learn (SciPy)"]
        after = sizes["runtime only (pip install -e .)"]
        full = sizes["clone's .venv (runtime + dev extra, make setup)"]
        print(f"  runtime after / before: {after / before:.2f} "
              f"({mib(before - after).strip()} less)")
        print(f"  runtime only / runtime + dev extra: {after / full:.2f}")
    if args.keep:
        print(f"\nkept: {scratch}")
    else:
        subprocess.run(["rm", "-rf", str(scratch)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
