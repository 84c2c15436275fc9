"""Run each grading kernel in a sandbox: bubblewrap where the OS allows it, resource limits always.

The grading pipeline starts every kernel through a kernelspec whose command is this module::

    python -m autograder.pipeline.sandbox POLICY.json -- python -m ipykernel_launcher -f CONN

The launcher reads the policy (written once per run by :func:`write_policy`), applies the resource
limits to itself with ``setrlimit`` (the same caps ``prlimit`` sets; they are inherited by
everything it executes), and then replaces itself with the kernel:

* with **bubblewrap** (Debian's ``bubblewrap``): no network (``--unshare-all``), a read-only view of
  the host, a private ``/tmp``, the private grading course (gradebook, other students' work) and
  the run's output folder hidden behind empty folders, and only the submission's own folder (the
  kernel's working directory) plus the kernel's connection folder writable. The kernel dies with
  its grader (``--die-with-parent``), in its own PID namespace, so nothing it starts outlives it.
* without bubblewrap (macOS, containers without user namespaces): the resource limits only, and
  the kernel still dies with its grader (``PR_SET_PDEATHSIG`` on Linux). The run's report says so.

Kernels talk to the grader over Unix sockets (``KernelManager.transport = "ipc"``): a kernel in
its own network namespace cannot reach the host's loopback. Interrupts are sent as messages
(``"interrupt_mode": "message"``) because signals to the launcher would not reach the kernel.

This module is imported by the launcher before anything else: it imports only the standard
library, so a kernel starts as fast as an unsandboxed one.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Name of the kernelspec the grading pipeline writes and the executor asks for.
KERNEL_NAME = "autograder-sandbox"

MiB = 2 ** 20

#: Default caps of one grading kernel. Address space: numpy, matplotlib and a lesson's arrays fit
#: in well under 1 GiB; 2 GiB turns a memory bomb into a MemoryError long before the machine
#: swaps. CPU seconds: a backstop behind the per-cell timeout for the whole kernel. File size and
#: open files: a runaway writer or a descriptor leak stops early.
DEFAULT_LIMITS = {
    "address_space_bytes": 2048 * MiB,
    "cpu_seconds": 600,
    "file_size_bytes": 64 * MiB,
    "open_files": 512,
}

#: Environment set for a kernel: caches in the private /tmp, one BLAS thread (the workers
#: already use every core).
_KERNEL_ENV = {
    "HOME": "/tmp/home",
    "IPYTHONDIR": "/tmp/ipython",
    "MPLCONFIGDIR": "/tmp/matplotlib",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


#: Variables of the grader's environment that a sandboxed kernel keeps (bubblewrap mode): what
#: Python and nbgrader need. JPY_PARENT_PID is not among them: the kernel would compare it with
#: a parent pid from another PID namespace and exit at once.
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "VIRTUAL_ENV",
               "NBGRADER_EXECUTION")


@dataclass
class Policy:
    """What the launcher does; written to JSON once per run and read by every kernel launch.

    Attributes
    ----------
    mode : {"bubblewrap", "rlimits"}
    limits : dict
        ``address_space_bytes``, ``cpu_seconds``, ``file_size_bytes``, ``open_files``.
    hidden : list of str
        Folders replaced by an empty one inside the sandbox (the private course, the output
        folder, the original submissions).
    bwrap : str
        Path of the bubblewrap executable (mode ``"bubblewrap"``).
    kernel_log : str
        File that receives what kernels print outside any cell (ipykernel's start-up notes),
        so that it does not reach the grader's terminal; '' keeps the grader's streams.
    """

    mode: str
    limits: dict = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    hidden: list = field(default_factory=list)
    bwrap: str = ""
    kernel_log: str = ""


@dataclass
class SandboxStatus:
    """What the sandbox covers on this machine, in words for the report."""

    mode: str              # "bubblewrap" or "rlimits"
    summary: str           # one sentence
    reason: str = ""       # why bubblewrap is not used, when it is not

    def lines(self):
        return [self.summary] + ([f"Bubblewrap is not used: {self.reason}"] if self.reason else [])


def _bwrap_probe(bwrap):
    """Does bubblewrap start a process with the namespaces we use? Returns '' or the reason."""
    command = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
               "--unshare-all", "--die-with-parent", "--cap-drop", "ALL", "--", "/bin/sh", "-c",
               "echo ok > /tmp/probe && cat /tmp/probe"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{bwrap} could not be run ({error})"
    if result.returncode != 0 or result.stdout.strip() != "ok":
        detail = (result.stderr or result.stdout).strip().splitlines()
        return f"{bwrap} failed here ({detail[-1] if detail else f'exit {result.returncode}'})"
    return ""


def detect(mode="auto"):
    """Decide how kernels are sandboxed on this machine.

    Parameters
    ----------
    mode : {"auto", "bubblewrap", "rlimits"}
        ``"auto"`` uses bubblewrap when it is installed and works, else resource limits only;
        ``"bubblewrap"`` insists (the caller turns a reason into an error).

    Returns
    -------
    (SandboxStatus, str)
        The status, and the bwrap path ('' when not used).
    """
    limits = "resource limits (address space, CPU time, file size, open files)"
    only = f"Kernels ran with {limits} only: no filesystem or network isolation."
    if mode == "rlimits":
        return SandboxStatus("rlimits", only, "turned off with --sandbox rlimits"), ""
    if not sys.platform.startswith("linux"):
        reason = f"bubblewrap needs Linux (this is {sys.platform})"
    elif not (bwrap := shutil.which("bwrap")):
        reason = ("it is not installed (on Debian or Ubuntu: `sudo apt-get install "
                  "bubblewrap`)")
    else:
        reason = _bwrap_probe(bwrap)
        if not reason:
            return SandboxStatus(
                "bubblewrap",
                "Kernels ran in bubblewrap: no network, read-only host, private /tmp, the "
                "gradebook, the output folder and other students' work hidden, only the "
                f"submission's folder writable; plus {limits}.",
            ), bwrap
    return SandboxStatus("rlimits", only, reason), ""


def write_policy(path, policy):
    Path(path).write_text(json.dumps(asdict(policy), indent=1, sort_keys=True))


def write_kernelspec(kernels_dir, policy_path, python=sys.executable):
    """Write the ``autograder-sandbox`` kernelspec; returns its folder.

    ``kernels_dir`` is ``<JUPYTER_PATH entry>/kernels``; the grading workers put its parent on
    ``JUPYTER_PATH``.
    """
    folder = Path(kernels_dir) / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", "autograder.pipeline.sandbox", str(policy_path), "--",
                 python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    return folder


# ---- the launcher ------------------------------------------------------------------------------

def _apply_limits(limits):
    import resource

    caps = {
        resource.RLIMIT_AS: limits.get("address_space_bytes"),
        resource.RLIMIT_CPU: limits.get("cpu_seconds"),
        resource.RLIMIT_FSIZE: limits.get("file_size_bytes"),
        resource.RLIMIT_NOFILE: limits.get("open_files"),
    }
    for which, value in caps.items():
        if not value:
            continue
        try:
            _, hard = resource.getrlimit(which)
            value = int(value) if hard == resource.RLIM_INFINITY else min(int(value), hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):  # not every OS lets every limit be set (macOS: RLIMIT_AS)
            pass


def _die_with_parent():
    """Ask Linux to kill this process (and so the kernel or bubblewrap it becomes) when the
    grader dies, and exit at once if the grader is already gone.

    The setting survives ``exec``. Bubblewrap's own ``--die-with-parent`` is set only once
    bubblewrap runs: a grader killed while this launcher starts would otherwise leave an
    orphaned sandbox behind.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    grader = os.environ.get("JPY_PARENT_PID", "")
    if grader.isdigit() and os.getppid() != int(grader):
        os._exit(1)                    # the grader died before the prctl: nobody to serve


def _connection_dir(kernel_argv):
    for flag, value in zip(kernel_argv, kernel_argv[1:]):
        if flag == "-f":
            return str(Path(value).resolve().parent)
    return None


def bwrap_command(policy, kernel_argv, cwd):
    """The bubblewrap command line that runs ``kernel_argv`` in the sandbox."""
    command = [policy.bwrap or "bwrap",
               "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
               "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    for hidden in policy.hidden:
        path = Path(hidden).resolve()
        if path.is_dir():
            command += ["--tmpfs", str(path)]
        elif path.is_file():                          # a zip of submissions: an empty file
            command += ["--ro-bind", "/dev/null", str(path)]
    writable = [str(Path(cwd).resolve())]
    connection_dir = _connection_dir(kernel_argv)
    if connection_dir:
        writable.append(connection_dir)
    for folder in writable:
        command += ["--bind", folder, folder]
    # a fixed environment: nothing of the grader's own (tokens, credentials) reaches the kernel
    command += ["--clearenv"]
    for key in _PASSED_ENV:
        if key in os.environ:
            command += ["--setenv", key, os.environ[key]]
    for key, value in _KERNEL_ENV.items():
        command += ["--setenv", key, value]
    command += ["--chdir", str(Path(cwd).resolve()), "--", *kernel_argv]
    return command


def launch(policy_path, kernel_argv):
    """Become the sandboxed kernel (never returns on success)."""
    policy = Policy(**json.loads(Path(policy_path).read_text()))
    cwd = os.getcwd()
    if policy.kernel_log:
        log = os.open(policy.kernel_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    _apply_limits(policy.limits)
    _die_with_parent()
    if policy.mode == "bubblewrap":
        command = bwrap_command(policy, kernel_argv, cwd)
    else:
        for key, value in _KERNEL_ENV.items():
            if key in ("HOME", "IPYTHONDIR", "MPLCONFIGDIR"):
                continue  # no private /tmp here: keep the user's caches
            os.environ[key] = value
        command = list(kernel_argv)
    sys.stdout.flush()
    os.execvp(command[0], command)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m autograder.pipeline.sandbox POLICY.json -- KERNEL-COMMAND...",
              file=sys.stderr)
        return 2
    launch(argv[0], argv[2:])
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
