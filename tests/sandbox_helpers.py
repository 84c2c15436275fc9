"""Helpers of the sandbox tests: run a few lines of Python through the real launcher."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from autograder.sandbox import launch
from autograder.sandbox.users import UID_ENV

#: A probe run inside a sandbox: for each path argument, "READABLE" or the error opening it
#: raised, printed as one JSON line.
PEEK = """
import json, os, sys
found = {}
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as handle:
            handle.read(1)
        found[path] = "READABLE"
    except OSError as error:
        found[path] = type(error).__name__
print(json.dumps(found))
"""


def python_for_any_user():
    """A Python that a sandbox's own user id may run without bubblewrap (the environment's, or
    the system's when the environment lies in a folder only root may enter)."""
    from autograder.sandbox.users import others_can_use

    for python in (sys.executable, shutil.which("python3", path="/usr/bin:/bin")):
        if python and others_can_use(os.path.realpath(python)):
            return python
    pytest.skip("no Python here that another user may run")


def run_launched(policy, code, folder, verifier=False, uid=None, env=None, timeout=60):
    """Run ``code`` (``python -I -S -c``) through the launcher under ``policy``; the last line
    it prints, read as JSON (or the CompletedProcess when it printed none)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = policy.write(folder / "policy.json")
    package = None
    if verifier:
        package = folder / "package"
        package.mkdir(exist_ok=True)
    python = python_for_any_user() if uid is not None else sys.executable
    command = launch.command(path, [python, "-I", "-S", "-c", code],
                             verifier_package=package)
    extra = {UID_ENV: str(uid)} if uid is not None else {}
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                            timeout=timeout, env={"PATH": "/usr/bin:/bin", **(env or {}),
                                                  **extra})
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        return result
    return json.loads(lines[-1])
