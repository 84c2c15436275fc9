"""The one launcher of every sandboxed process: a grading kernel or a verifier session.

::

    python -I .../autograder/sandbox/launch.py POLICY.json -- python -m ipykernel_launcher ...
    python -I .../autograder/sandbox/launch.py POLICY.json --verifier PACKAGE -- python ...

The launcher reads the run's :class:`~autograder.sandbox.policy.Policy`, applies the resource
limits of its profile to itself (:mod:`~autograder.sandbox.limits`; inherited by everything it
executes), asks Linux to kill it with its grader, and replaces itself with the sandboxed
program:

* with **bubblewrap**: no network, a PID namespace of its own (nothing it starts outlives it),
  ``--die-with-parent``, a fixed environment, and a root that holds only the profile's
  allow-list of mounts (:mod:`~autograder.sandbox.mounts`). With a user id of its own (a root
  grader), the switch to it happens inside, just before the program
  (:mod:`~autograder.sandbox.become`), with no capabilities left and ``no_new_privs`` set.
* without bubblewrap (``--sandbox rlimits``, macOS, containers without user namespaces): the
  limits only, the grader's ``AUTOGRADER_*`` variables removed (the verifier's secret stays
  out), and the switch to the sandbox's user id in the launcher. A kernel keeps
  ``CAP_DAC_READ_SEARCH`` (it reads what a root kernel read, writes only as its own user); a
  verifier session does not (it reads only what any user may).

It runs as ``python -I`` on this file (nothing of the working folder or ``PYTHON*`` on the
path: a submission's folder cannot shadow a module of the launcher) and imports only the
standard library and this package, so a kernel starts as fast as an unsandboxed one.
Kernels talk to the grader over Unix sockets (a kernel in its own network namespace cannot
reach the host's loopback); interrupts are messages (signals to the launcher would not reach
the kernel).
"""
if __name__ == "__main__" and not __package__:  # run as a file (PEP 366)
    import sys as _sys
    from pathlib import Path as _Path

    _sys.path.insert(0, str(_Path(__file__).resolve().parents[2]))
    __package__ = "autograder.sandbox"

import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from . import become as becoming  # noqa: E402
from . import limits as limiting  # noqa: E402
from .detect import namespaces  # noqa: E402
from .mounts import HOME, VERIFIER_PACKAGE, kernel_mounts, verifier_mounts  # noqa: E402
from .policy import Policy  # noqa: E402
from .users import UID_ENV, is_sandbox_uid  # noqa: E402

#: Name of the kernelspec the grading pipeline writes and the executor asks for.
KERNEL_NAME = "autograder-sandbox"
#: The launcher itself, run as a file.
LAUNCHER = str(Path(__file__).resolve())
#: The package this grader runs; a kernel imports it (see :func:`bwrap_command`).
PACKAGE = Path(__file__).resolve().parents[1]
#: Environment variable holding the grader's pid (a kernel has JPY_PARENT_PID as well).
PARENT_ENV = "AUTOGRADER_SANDBOX_PARENT"

#: Environment of every sandbox: caches in its private /tmp, one BLAS thread (the workers
#: already use every core).
COMMON_ENV = {
    "HOME": HOME,
    "IPYTHONDIR": "/tmp/ipython",
    "MPLCONFIGDIR": "/tmp/matplotlib",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}
#: Variables of the grader's environment that a kernel keeps under bubblewrap: what Python and
#: nbgrader need. JPY_PARENT_PID is not among them: the kernel would compare it with a parent
#: pid from another PID namespace and exit at once.
KERNEL_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "VIRTUAL_ENV",
                     "NBGRADER_EXECUTION")


def verifier_env(home=HOME, tmp="/tmp"):
    """The whole environment of a verifier session: what a grading kernel sees, and no more
    (``NBGRADER_EXECUTION`` as ``nbgrader autograde`` sets it, so code that tests for it
    behaves as it does under grading)."""
    python_bin = str(Path(sys.executable).parent)
    return {**COMMON_ENV,
            "PATH": os.pathsep.join([python_bin, "/usr/local/bin", "/usr/bin", "/bin"]),
            "LANG": "C.UTF-8", "HOME": str(home), "IPYTHONDIR": f"{tmp}/ipython",
            "MPLCONFIGDIR": f"{tmp}/matplotlib",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "NBGRADER_EXECUTION": "autograde", "PYTHONHASHSEED": "0"}


# ---- the grader's side: commands ----------------------------------------------------------------

def command(policy_path, argv, verifier_package=None, python=sys.executable):
    """The launcher's command line for ``argv`` (a kernel, or with ``verifier_package`` a
    verifier session whose private package is that folder)."""
    extra = ["--verifier", str(verifier_package)] if verifier_package else []
    return [python, "-I", LAUNCHER, str(policy_path), *extra, "--", *argv]


def write_kernelspec(kernels_dir, policy_path, python=sys.executable):
    """Write the ``autograder-sandbox`` kernelspec; returns its folder.

    ``kernels_dir`` is ``<JUPYTER_PATH entry>/kernels``; the grading workers put its parent on
    ``JUPYTER_PATH``.
    """
    folder = Path(kernels_dir) / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": command(policy_path, [python, "-m", "ipykernel_launcher", "-f",
                                      "{connection_file}"], python=python),
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    return folder


def bwrap_command(policy, argv, cwd, uid=None, verifier_package=None):
    """The bubblewrap command line that runs ``argv`` in the sandbox (the kernel profile, or
    the verifier's with ``verifier_package``)."""
    own_uid = uid is not None
    if verifier_package:
        mounts = verifier_mounts(policy, verifier_package, own_uid=own_uid)
        env, chdir = verifier_env(), "/tmp"
    else:
        # nbgrader runs a kernel in the notebook's folder, named after its lesson
        mounts = kernel_mounts(policy, cwd, _connection_dir(argv), own_uid=own_uid,
                               lesson=Path(cwd).resolve().name)
        env = {**{k: os.environ[k] for k in KERNEL_PASSED_ENV if k in os.environ}, **COMMON_ENV}
        # The kernel imports the package this grader runs (mounted alone, by the allow-list),
        # not whatever an install's path file points at: an editable install's repository may
        # lie under /tmp, which the sandbox replaces (Gradescope's run, a clone in /tmp).
        env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE.parent)] + (
            [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        chdir = str(Path(cwd).resolve())
    line = [policy.bwrap or "bwrap", *namespaces(own_uid), "--die-with-parent", "--new-session",
            *mounts, "--clearenv"]
    # a fixed environment: nothing of the grader's own (tokens, credentials) reaches inside
    for key, value in env.items():
        line += ["--setenv", key, value]
    line += ["--chdir", chdir, "--"]
    if own_uid:
        line += [sys.executable, "-I", "-S", becoming.INSIDE, "--become", str(uid), "--"]
    return line + list(argv)


# ---- the launcher's side -----------------------------------------------------------------------

def _connection_dir(argv):
    for flag, value in zip(argv, argv[1:]):
        if flag == "-f":
            return str(Path(value).resolve().parent)
    return None


def _die_with_parent():
    """Ask Linux to kill this process (and so what it becomes) when the grader dies, and exit
    at once if the grader is already gone (bubblewrap's own ``--die-with-parent`` is set only
    once bubblewrap runs)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    grader = os.environ.get(PARENT_ENV) or os.environ.get("JPY_PARENT_PID", "")
    if grader.isdigit() and os.getppid() != int(grader):
        os._exit(1)                    # the grader died before the prctl: nobody to serve


def _uid(policy):
    """The user id the grader gave this sandbox, if the policy uses one."""
    value = os.environ.pop(UID_ENV, "")
    if not policy.own_uid or not value.isdigit() or not is_sandbox_uid(int(value)):
        return None
    if os.geteuid() != 0:
        raise SystemExit(f"autograder sandbox: the policy gives sandboxes a user id of their "
                         f"own, but this launcher runs as user {os.geteuid()}, not root")
    return int(value)


def _hand_over(uid, cwd, connection_dir):
    """Give the kernel's user what it must write (its working folder and connection folder)."""
    if not connection_dir or not os.path.basename(connection_dir).startswith("kernel-"):
        raise SystemExit("autograder sandbox: a kernel with a user id of its own needs its "
                         "connection file in a folder of its own (SandboxKernelManager makes "
                         f"one); got {connection_dir!r}")
    for path in [connection_dir, *Path(connection_dir).iterdir()]:
        os.chown(path, uid, uid)
    if cwd is not None:
        os.chown(cwd, uid, uid)


def _private_home(uid):
    """``HOME`` and the caches of a kernel with a user id of its own but no private /tmp: a
    new folder in ``/tmp`` that belongs to the kernel's user (deleted with its other files).
    IPython and matplotlib test their folders with ``access()``, which ignores capabilities."""
    import tempfile

    home = tempfile.mkdtemp(prefix=f"kernel-home-{uid}-", dir="/tmp")
    os.chown(home, uid, uid)
    return {"HOME": home, "IPYTHONDIR": os.path.join(home, ".ipython"),
            "MPLCONFIGDIR": os.path.join(home, ".matplotlib")}


def launch(policy_path, argv, verifier_package=None):
    """Become the sandboxed program (never returns on success)."""
    policy = Policy.read(policy_path)
    profile = "verifier" if verifier_package else "kernel"
    cwd = os.getcwd()
    if profile == "kernel" and policy.kernel_log:
        log = os.open(policy.kernel_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        print(f"autograder sandbox: {policy.mode}, user id "
              f"{os.environ.get(UID_ENV) or os.geteuid()}, {cwd}", flush=True)
    uid = _uid(policy)
    limiting.apply(policy.limits(profile), own_uid=uid is not None,
                   cap_shared_uid=profile == "verifier")
    _die_with_parent()
    for key in [k for k in os.environ if k.startswith("AUTOGRADER_")]:
        del os.environ[key]   # the verifier's secret (AUTOGRADER_VERIFY_SECRET) stays out
    if policy.mode == "bubblewrap":
        if uid is not None and profile == "kernel":
            _hand_over(uid, None, _connection_dir(argv))  # the working folder is a RAM disk
        line = bwrap_command(policy, argv, cwd, uid, verifier_package)
    else:
        if profile == "kernel":
            for key, value in COMMON_ENV.items():
                if key not in ("HOME", "IPYTHONDIR", "MPLCONFIGDIR"):
                    os.environ[key] = value
            if uid is not None:
                _hand_over(uid, cwd, _connection_dir(argv))
                os.environ.update(_private_home(uid))
                becoming.become(uid, keep_read_search=True)
        elif uid is not None:
            becoming.become(uid)  # the session gave it its working folder
        line = list(argv)
    sys.stdout.flush()
    os.execvp(line[0], line)


_USAGE = ("usage: python -I -S launch.py POLICY.json [--verifier PACKAGE] -- COMMAND...\n"
          f"  (the verifier's package is at {VERIFIER_PACKAGE} inside bubblewrap)")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    package = None
    if len(argv) >= 3 and argv[1] == "--verifier":
        package, argv = argv[2], [argv[0], *argv[3:]]
    if len(argv) >= 3 and argv[1] == "--" and not argv[0].startswith("-"):
        launch(argv[0], argv[2:], package)
        return 1  # not reached: launch() becomes the program
    print(_USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
