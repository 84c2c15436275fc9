"""Does bubblewrap work on this machine? Probed once per process, on the first call, never at
import time (a test collection must not pay for it)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache

from .users import can_switch_user


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` found.

    Attributes
    ----------
    mode : {"bubblewrap", "rlimits"}
    bwrap : str
        The bubblewrap executable ('' when not used).
    reason : str
        Why bubblewrap is not used, when it is not.
    size_caps : bool
        Bubblewrap takes ``--size`` (a size cap on a tmpfs; bubblewrap 0.8 and later).
    """

    mode: str
    bwrap: str = ""
    reason: str = ""
    size_caps: bool = False


def namespaces(own_uid):
    """Bubblewrap's namespace arguments.

    With a user id of its own, no user namespace (``--unshare-all`` would make one holding only
    root): the step inside (:mod:`~autograder.sandbox.become`) needs the host's user ids and
    keeps only the capabilities to switch to one.
    """
    if not own_uid:
        return ["--unshare-all", "--cap-drop", "ALL"]
    return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--cap-drop", "ALL", "--cap-add", "CAP_SETUID",
            "--cap-add", "CAP_SETGID"]


@lru_cache(maxsize=None)
def takes_size(bwrap):
    """Does this bubblewrap take ``--size``?"""
    try:
        result = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--size" in result.stdout + result.stderr


def _probe(bwrap):
    """'' when bubblewrap starts a process with the namespaces we use, else the reason."""
    command = [bwrap, *namespaces(can_switch_user()), "--ro-bind", "/", "/", "--dev", "/dev",
               "--proc", "/proc", "--tmpfs", "/tmp", "--die-with-parent", "--", "/bin/sh", "-c",
               "echo ok > /tmp/probe && cat /tmp/probe"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{bwrap} could not be run ({error})"
    if result.returncode != 0 or result.stdout.strip() != "ok":
        detail = (result.stderr or result.stdout).strip().splitlines()
        return f"{bwrap} failed here ({detail[-1] if detail else f'exit {result.returncode}'})"
    return ""


@lru_cache(maxsize=None)
def detect(mode="auto"):
    """Decide how sandboxes are confined here.

    Parameters
    ----------
    mode : {"auto", "bubblewrap", "rlimits"}
        ``"auto"``: bubblewrap when it is installed and starts, else resource limits only;
        ``"rlimits"``: resource limits only, bubblewrap is not even looked for; ``"bubblewrap"``:
        as ``"auto"`` (the caller turns a reason into an error).

    Returns
    -------
    Detection
    """
    if mode == "rlimits":
        return Detection("rlimits", reason="turned off with --sandbox rlimits")
    if mode not in ("auto", "bubblewrap"):
        raise ValueError(f"sandbox mode {mode!r}: use auto, bubblewrap or rlimits")
    if not sys.platform.startswith("linux"):
        return Detection("rlimits", reason=f"bubblewrap needs Linux (this is {sys.platform})")
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return Detection("rlimits", reason="it is not installed (on Debian or Ubuntu: "
                                           "`sudo apt-get install bubblewrap`)")
    reason = _probe(bwrap)
    if reason:
        return Detection("rlimits", reason=reason)
    return Detection("bubblewrap", bwrap=bwrap, size_caps=takes_size(bwrap))
