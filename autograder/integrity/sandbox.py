"""Run a submission's code in a separate, sandboxed process that answers calls over a data channel.

A :class:`Session` starts ``python -I -S _runner.py`` (see :mod:`autograder.integrity._runner`)
in a fresh scratch folder that holds only a private copy of the package's PUBLIC modules
(:data:`PUBLIC_MODULES`, plus a stand-in for :mod:`autograder.checks` whose checks do nothing),
the runner and the channel codec. The reference, the exercise registry, the pipeline, the course
sources, solutions, the gradebook and other submissions are not in that copy.

How the process is confined (:func:`detect`):

``bubblewrap`` (Debian's ``bubblewrap`` works; used when it is installed and starts)
    New PID, network, IPC and UTS namespaces (no network at all); a root of its own holding only
    ``/usr`` and the Python installation (read-only), ``/proc``, a minimal ``/dev``, the private
    package (read-only) and a size-capped ``/tmp`` that is also the working folder. The
    repository, ``/etc``, ``/home``, ``/root`` and the grading output are not mounted at all.
    Ended with the grader (``--die-with-parent``); when the sandbox ends, everything it started
    dies with its PID namespace, double forks included.
``rlimits`` (fallback: no bubblewrap, or bubblewrap cannot start here)
    The same process, private package and environment, working folder in a temporary folder,
    but the host's files are visible; it is killed by process group at the end. The report says
    so.

Both: resource limits set by ``prlimit`` on the whole process tree (address space, CPU seconds,
file size, open files, processes, no core files) and, when the grader runs as root, a user id
of its own for every session (so the process limit counts only the sandbox's processes and no
file of the host is writable). The environment is a fixed list: the variables a grading kernel
is given (``NBGRADER_EXECUTION=autograde``, ``MPLBACKEND``, ``HOME``...), nothing of the
grader's own environment.

Every read from the process is bounded (bytes per message, bytes per session) and has a
deadline; a process that dies, floods or stops answering gives a status, never an exception
in the grader.
"""
from __future__ import annotations

import ast
import functools
import itertools
import os
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import channel
from .speedups import SPEEDUPS

PACKAGE = Path(__file__).resolve().parent.parent
REPO = PACKAGE.parent

#: Modules of :mod:`autograder` that student code may import in the sandbox.
PUBLIC_MODULES = ("activations", "losses", "conventions", "gradcheck", "datasets")

MiB = 2 ** 20

#: Resource caps of one sandbox. Address space: numpy, scikit-learn and matplotlib load in
#: about 1 GiB of virtual memory; 2 GiB turns a memory bomb into a MemoryError. CPU seconds: a
#: backstop behind the grader's own deadlines. Processes: the runner and a few helpers (threads
#: count too; BLAS runs single-threaded here). /tmp is a RAM disk, so it is capped as well.
DEFAULT_LIMITS = {
    "address_space_bytes": 2048 * MiB,
    "cpu_seconds": 240,
    "file_size_bytes": 16 * MiB,
    "open_files": 128,
    "processes": 32,
    "tmp_bytes": 64 * MiB,
}

#: Seconds the grader waits past a cell's or call's own time limit (enforced in the sandbox by
#: an alarm) before it kills the sandbox: code that ignores the alarm gains nothing but time.
GRACE = 3.0

#: Bytes the grader reads from one sandbox: per message, and in all.
MAX_MESSAGE_BYTES = 32 * MiB
MAX_SESSION_BYTES = 256 * MiB

#: Where things are inside the bubblewrap sandbox.
INSIDE_PACKAGE = "/opt/verifier"

_UID_BASE = 3_100_000  # far above any real account; one uid per session (see _session_uid)
_session_counter = itertools.count()


def _kernel_like_env(home, tmp):
    """The environment a grading kernel sees (autograder.pipeline.sandbox and ipykernel), and no
    more: ``NBGRADER_EXECUTION`` is set exactly as ``nbgrader autograde`` sets it, so code that
    tests for it behaves as it does under grading."""
    python_bin = str(Path(sys.executable).parent)
    return {
        "PATH": os.pathsep.join([python_bin, "/usr/local/bin", "/usr/bin", "/bin"]),
        "LANG": "C.UTF-8",
        "HOME": f"{home}",
        "IPYTHONDIR": f"{tmp}/ipython",
        "MPLCONFIGDIR": f"{tmp}/matplotlib",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "NBGRADER_EXECUTION": "autograde",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }


# ---- the private package -----------------------------------------------------------------------

def _autograder_imports(path):
    """Modules of ``autograder`` that a module imports (relative or absolute)."""
    found = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = node.module or ""
                names = [base] if base else [alias.name for alias in node.names]
                found.update(n.split(".")[0] for n in names)
            elif (node.module or "").startswith("autograder"):
                parts = node.module.split(".")
                found.add(parts[1] if len(parts) > 1 else "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("autograder."):
                    found.add(alias.name.split(".")[1])
    return found


def _package_signature():
    """Size and time of every public module: a change on disk means checking them again."""
    sources = [PACKAGE / f"{name}.py" for name in PUBLIC_MODULES]
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in sources)


def _leaking_imports():
    """``{public module: modules it imports that are not public}``."""
    allowed = set(PUBLIC_MODULES) | {"checks"}
    leaks = {name: _autograder_imports(PACKAGE / f"{name}.py") - allowed
             for name in PUBLIC_MODULES}
    return {name: sorted(found) for name, found in leaks.items() if found}


@functools.lru_cache(maxsize=8)
def _leaking_imports_of(signature):
    """:func:`_leaking_imports` once per version of the files (parsing them is most of the
    cost of building a package)."""
    return _leaking_imports()


def build_private_package(target):
    """Write the sandbox's folder: the runner, the codec and ``autograder`` with only its public
    modules and a stand-in for the checks.

    Raises
    ------
    RuntimeError
        When a public module imports a module that is not public (it would fail in the sandbox,
        or worse, someone would be tempted to copy the reference in to make it work).
    """
    target = Path(target)
    package = target / "autograder"
    package.mkdir(parents=True)
    leaks = _leaking_imports_of(_package_signature()) if SPEEDUPS.package_check_once \
        else _leaking_imports()
    if leaks:
        name, leaking = next(iter(leaks.items()))
        raise RuntimeError(f"autograder.{name} imports {leaking}, which the verifier's "
                           "sandbox does not provide.")
    for name in PUBLIC_MODULES:
        shutil.copyfile(PACKAGE / f"{name}.py", package / f"{name}.py")
    (package / "__init__.py").write_text(
        '"""The public part of the course package (verifier sandbox copy)."""\n'
        '__version__ = "0.1.0"\n', encoding="utf-8")
    here = Path(__file__).resolve().parent
    shutil.copyfile(here / "_public_checks.py", package / "checks.py")
    shutil.copyfile(here / "channel.py", target / "channel.py")
    shutil.copyfile(here / "_runner.py", target / "_runner.py")
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


# ---- what this machine allows ------------------------------------------------------------------

@dataclass(frozen=True)
class Policy:
    """How sessions are confined on this machine (see the module docstring).

    Attributes
    ----------
    mode : {"bubblewrap", "rlimits"}
    bwrap, prlimit : str
        Executables ('' when not used).
    own_uid : bool
        Each session runs under a user id of its own (needs root).
    reason : str
        Why bubblewrap is not used, when it is not.
    limits : dict
        See :data:`DEFAULT_LIMITS`.
    """

    mode: str
    bwrap: str = ""
    prlimit: str = ""
    own_uid: bool = False
    reason: str = ""
    limits: dict = field(default_factory=lambda: dict(DEFAULT_LIMITS))

    def describe(self):
        """One paragraph for the report: what the verifier's sandbox covers here."""
        limits = ("limits on address space, CPU time, file size, open files and processes"
                  if self.prlimit else "no resource limits (prlimit is not installed)")
        uid = (", a user id of its own per submission" if self.own_uid
               else ", the grader's own user id")
        if self.mode == "bubblewrap":
            return ("Verifier sandbox: bubblewrap (no network, own PID namespace, read-only "
                    "system folders, the repository, course, gradebook and output not mounted, "
                    f"a size-capped private /tmp){uid}; {limits}.")
        return (f"Verifier sandbox: resource limits only ({limits}{uid}); no filesystem or "
                f"network isolation. Bubblewrap is not used: {self.reason}.")


def _python_roots():
    """Folders the sandboxed Python needs: the installation and the environment (read-only)."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(os.path.realpath(sys.executable)).parent}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = Path(sysconfig.get_paths()[key]).resolve()
        if not any(root == path or root in path.parents for root in roots):
            roots.add(path)
    # /usr is mounted whole; anything inside it needs no mount of its own
    return sorted(r for r in roots if not (r == Path("/usr") or Path("/usr") in r.parents))


def _site_packages():
    return str(Path(sysconfig.get_paths()["purelib"]))


def _others_can_use(path):
    """Can a user other than the owner reach ``path`` (every ancestor searchable by others)?"""
    path = Path(path).resolve()
    return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])


def _can_own_uid():
    return hasattr(os, "getuid") and os.getuid() == 0


@functools.lru_cache(maxsize=None)
def detect(mode="auto"):
    """Decide how sessions are confined here (probed once per process).

    Parameters
    ----------
    mode : {"auto", "bubblewrap", "rlimits"}
        ``"auto"``: bubblewrap when it is installed and a probe session starts, else resource
        limits only; ``"bubblewrap"`` raises ``RuntimeError`` when it cannot be used.
    """
    prlimit = shutil.which("prlimit") or ""
    own_uid = _can_own_uid()
    if mode == "rlimits":
        reason = "turned off by the caller"
    elif not sys.platform.startswith("linux"):
        reason = f"it needs Linux (this is {sys.platform})"
    elif not (bwrap := shutil.which("bwrap")):
        reason = "it is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    else:
        policy = Policy("bubblewrap", bwrap=bwrap, prlimit=prlimit, own_uid=own_uid)
        reason = _probe(policy)
        if not reason:
            return policy
    if mode == "bubblewrap":
        raise RuntimeError(f"bubblewrap cannot be used: {reason}")
    # Without bubblewrap the sandbox runs the host's Python directly: a uid of its own only
    # works when that user can reach the installation.
    roots = _python_roots() + [Path(_site_packages())]
    own_uid = own_uid and all(_others_can_use(root) for root in roots)
    return Policy("rlimits", prlimit=prlimit, own_uid=own_uid, reason=reason)


def _probe(policy):
    """'' when a sandbox with this policy starts and answers, else the reason."""
    try:
        with Session(policy) as session:
            session.start(timeout=60)
            if session.status != "ready":
                return f"a probe sandbox did not start ({session.status}: {session.detail})"
    except OSError as error:
        return f"a probe sandbox could not be started ({error})"
    return ""


# ---- reading with bounds -----------------------------------------------------------------------

class ChannelClosed(Exception):
    """The sandbox ended or broke the protocol; ``status`` says how.

    ``blame`` is the id of an earlier request when the evidence points there (a second reply to
    it arrived: the code of that request forked, or forged messages).
    """

    def __init__(self, status, detail="", blame=None):
        super().__init__(f"{status}: {detail}")
        self.status, self.detail, self.blame = status, detail, blame


class _Reader:
    """Read newline-terminated messages from a pipe with a deadline and size limits."""

    def __init__(self, fd, max_message=MAX_MESSAGE_BYTES, max_total=MAX_SESSION_BYTES):
        self.fd, self.max_message, self.max_total = fd, max_message, max_total
        self.buffer = bytearray()
        self.total = 0
        os.set_blocking(fd, False)

    def read_line(self, deadline):
        while True:
            newline = self.buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self.buffer[:newline + 1])
                del self.buffer[:newline + 1]
                return line
            if len(self.buffer) > self.max_message:
                raise ChannelClosed("flooded", f"a message longer than {self.max_message} bytes")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChannelClosed("timeout", "no answer before the deadline")
            ready, _, _ = select.select([self.fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                raise ChannelClosed("died", "the sandbox process ended")
            self.total += len(chunk)
            if self.total > self.max_total:
                raise ChannelClosed("flooded", f"more than {self.max_total} bytes in all")
            self.buffer.extend(chunk)


def _write_all(fd, data, deadline):
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ChannelClosed("timeout", "the sandbox does not read its requests")
        _, ready, _ = select.select([], [fd], [], min(remaining, 1.0))
        if not ready:
            continue
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            continue
        except (BrokenPipeError, OSError):
            raise ChannelClosed("died", "the sandbox process ended") from None
        view = view[written:]


# ---- one sandboxed process ---------------------------------------------------------------------

@dataclass
class CellOutcome:
    """What happened to one cell: ``status`` is ``ok``, ``error``, ``timeout`` or one of the
    session statuses (``died``, ``timeout``, ``flooded``, ``protocol``) when the sandbox ended
    during the cell."""

    status: str
    error: str = ""
    seconds: float = 0.0
    ended_session: bool = False
    blame: int | None = None  # request id of the earlier cell to blame, if not this one
    request: int | None = None


@dataclass
class CallOutcome:
    """The answer to one call: ``status`` is ``ok`` (``value`` holds the decoded result),
    ``raised``, ``missing``, ``not_callable``, ``timeout``, or, when the sandbox ended,
    ``died``, ``flooded`` or ``protocol``."""

    status: str
    value: object = None
    error: str = ""
    ended_session: bool = False
    blame: int | None = None


def _session_uid():
    """A user id no other live session of this machine uses: the grader's pid and a counter."""
    # pids stay below 2**22 on Linux: the ids stay far below 2**32 - 1
    return _UID_BASE + os.getpid() * 16 + next(_session_counter) % 16


class Session:
    """One sandboxed process; use as a context manager so it is always killed and cleaned up.

    Parameters
    ----------
    policy : Policy, optional
        From :func:`detect` (the default).
    hidden : sequence of path-like
        Folders that must not be visible inside even when a mounted folder contains them (the
        repository is always added).
    """

    def __init__(self, policy=None, hidden=()):
        self.policy = policy or detect()
        self.hidden = [Path(p).resolve() for p in (*hidden, REPO)]
        self.process = None
        self.reader = None
        self.status = "not started"  # ready | died | timeout | flooded | protocol | closed
        self.detail = ""
        self.uid = None
        self.scratch = None
        self.callbacks_answered = 0
        self.requests = 0
        self.token = ""

    # -- life cycle ------------------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _command(self, package):
        limits = self.policy.limits
        runner_args = [_site_packages(), str(self.uid) if self.uid is not None else "-"]
        python = [sys.executable, "-I", "-S"]
        if self.policy.mode == "bubblewrap":
            command = self._bwrap_command(package) + [*python, f"{INSIDE_PACKAGE}/_runner.py",
                                                      *runner_args]
        else:
            command = [*python, str(package / "_runner.py"), *runner_args]
        if self.policy.prlimit:
            nproc = limits["processes"]
            if self.uid is None and hasattr(os, "getuid") and os.getuid() != 0:
                # Without a uid of its own the limit counts all of this user's processes.
                nproc += _count_processes(os.getuid())
            command = [self.policy.prlimit,
                       f"--as={limits['address_space_bytes']}",
                       f"--cpu={limits['cpu_seconds']}",
                       f"--fsize={limits['file_size_bytes']}",
                       f"--nofile={limits['open_files']}",
                       f"--nproc={nproc}", "--core=0", "--", *command]
        return command

    def _bwrap_command(self, package):
        command = [self.policy.bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc",
                   "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent",
                   "--new-session", "--hostname", "sandbox",
                   "--ro-bind", "/usr", "/usr"]
        for name in ("bin", "lib", "lib64", "sbin"):
            link = Path("/") / name
            if link.is_symlink():
                command += ["--symlink", os.readlink(link), str(link)]
            elif link.is_dir():
                command += ["--ro-bind", str(link), str(link)]
        # The private /tmp first: a Python installed under /tmp (a clone in /tmp with its
        # .venv, as on a CI machine) is bound back into it below, not covered by it.
        command += ["--size", str(self.policy.limits["tmp_bytes"]), "--perms", "01777",
                    "--tmpfs", "/tmp"]
        created = {Path("/"), Path("/tmp")}
        mounts = [*_python_roots(), Path(INSIDE_PACKAGE)]
        for target in mounts:
            for parent in reversed(target.parents):
                if parent not in created and parent != Path("/usr") \
                        and Path("/usr") not in parent.parents:
                    command += ["--perms", "0755", "--dir", str(parent)]
                    created.add(parent)
            source = package if target == Path(INSIDE_PACKAGE) else target
            command += ["--ro-bind", str(source), str(target)]
            created.add(target)
        needed = [Path(sysconfig.get_paths()[key]).resolve()
                  for key in ("stdlib", "platstdlib", "purelib", "platlib")]
        needed.append(Path(os.path.realpath(sys.executable)).parent)
        for hidden in self.hidden:  # a mounted folder that contains the repository: cover it
            inside = any(root in hidden.parents or root == hidden for root in _python_roots())
            # ... unless Python itself lives there (a package installed into site-packages
            # has no repository around it to hide)
            covers_python = any(hidden == path or hidden in path.parents for path in needed)
            if inside and not covers_python:
                command += ["--tmpfs", str(hidden)]
        for site in {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}:
            if (site / "autograder").is_dir():  # a non-editable install: the reference is in it
                command += ["--tmpfs", str(site / "autograder")]
        command += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp", "--clearenv"]
        for key, value in _kernel_like_env("/tmp/home", "/tmp").items():
            command += ["--setenv", key, value]
        command += ["--"]
        return command

    def start(self, timeout=60):
        """Start the sandbox and wait for it to say it is ready (``self.status``)."""
        self.launch()
        self.wait_ready(timeout)

    def launch(self):
        """Start the sandbox's process without waiting for it (see :meth:`wait_ready`).

        Raises
        ------
        OSError
            When bubblewrap, prlimit or Python cannot be executed at all.
        """
        self.scratch = Path(tempfile.mkdtemp(prefix="autograder-verify-"))
        self.scratch.chmod(0o755)
        package = build_private_package(self.scratch / "package")
        if self.policy.own_uid:
            self.uid = _session_uid()
        if self.policy.mode == "bubblewrap":
            env, cwd = None, self.scratch  # inside: /tmp, a private RAM disk, is the cwd
        else:
            work = self.scratch / "work"
            (work / "home").mkdir(parents=True)
            if self.uid is not None:
                os.chown(work, self.uid, self.uid)
                os.chown(work / "home", self.uid, self.uid)
            env, cwd = _kernel_like_env(work / "home", work), work
            # Without a PID namespace, processes that left the process group are found by
            # this mark in their environment (best effort: a process can exec without it).
            self.token = os.urandom(12).hex()
            env["AUTOGRADER_SANDBOX"] = self.token
        self.log = open(self.scratch / "stderr.log", "wb")
        self.process = subprocess.Popen(
            self._command(package), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, cwd=cwd, env=env if env is not None else {"PATH": "/usr/bin:/bin"},
            start_new_session=True, close_fds=True)
        self.reader = _Reader(self.process.stdout.fileno())
        os.set_blocking(self.process.stdin.fileno(), False)

    def wait_ready(self, timeout=60):
        """Wait for a launched sandbox to say it is ready (``self.status``)."""
        if self.process is None or self.status != "not started":
            return
        try:
            reply = self._read(time.monotonic() + timeout)
        except ChannelClosed as closed:
            tail = self._stderr_tail()
            self._end(closed.status, closed.detail + (f" ({tail})" if tail else ""))
            return
        if reply.get("op") != "ready":
            self._end("protocol", "the sandbox did not start with 'ready'")
            return
        self.status = "ready"

    @property
    def alive(self):
        return self.status == "ready"

    def close(self):
        """End the sandbox and delete its scratch folder.

        It is killed at once (``SPEEDUPS.quick_close``): the grader needs nothing more from it,
        and a polite quit made the grader wait for the interpreter's own shutdown. The baseline
        asks it to quit first, then kills whatever is left.
        """
        if self.process is not None and self.alive and not SPEEDUPS.quick_close:
            try:
                _write_all(self.process.stdin.fileno(), channel.dumps({"op": "quit"}),
                           time.monotonic() + 1)
                self.process.wait(timeout=2)
            except (ChannelClosed, subprocess.TimeoutExpired, OSError):
                pass
        if self.status == "ready":
            self.status = "closed"
        self._kill()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def _kill(self):
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if self.uid is not None:
            _kill_uid(self.uid)  # double forks that left the process group (rlimits mode)
        if self.token:
            _kill_marked(self.token)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if getattr(self, "log", None) is not None:
            self.log.close()

    def _end(self, status, detail):
        self.status, self.detail = status, detail
        self._kill()

    def _stderr_tail(self, limit=600):
        try:
            self.log.flush()
            data = (self.scratch / "stderr.log").read_bytes()[-limit:]
        except (OSError, AttributeError, TypeError, ValueError):
            return ""
        return data.decode("utf-8", "replace").strip()

    # -- messages --------------------------------------------------------------------------------
    def _read(self, deadline):
        line = self.reader.read_line(deadline)
        try:
            return channel.loads(line)
        except channel.ProtocolError as error:
            raise ChannelClosed("protocol", str(error)) from None

    def _send(self, message, deadline):
        _write_all(self.process.stdin.fileno(), channel.dumps(message), deadline)

    def _request(self, message, deadline):
        """Send a request with a fresh id; return that id."""
        self.requests += 1
        message["id"] = self.requests
        self._send(message, deadline)
        return self.requests

    def _reply(self, request_id, deadline, op):
        """Read the reply to ``request_id`` (or a call-back of it, for ``op="result"``)."""
        reply = self._read(deadline)
        answered = reply.get("id")
        if type(answered) is int and 0 < answered < request_id:
            raise ChannelClosed("protocol", f"a second reply to request {answered}",
                                blame=answered)
        if answered != request_id or reply.get("op") not in (op, "callback"):
            raise ChannelClosed("protocol", f"an answer that is not the reply to request "
                                            f"{request_id}")
        if reply.get("op") == "callback" and op != "result":
            raise ChannelClosed("protocol", "a call-back outside a call")
        return reply

    def exec_cell(self, source, name, timeout):
        """Run one cell; the sandbox keeps going after an error or a cooperative timeout."""
        if not self.alive:
            return CellOutcome(self.status, self.detail, ended_session=True)
        started = time.monotonic()
        deadline = started + timeout + GRACE  # the runner's own alarm fires first
        request = None
        try:
            request = self._request({"op": "exec", "source": source, "name": name,
                                     "timeout": timeout}, deadline)
            reply = self._reply(request, deadline, "done")
        except ChannelClosed as closed:
            self._end(closed.status, closed.detail)
            return CellOutcome(closed.status, closed.detail, time.monotonic() - started, True,
                               closed.blame, request)
        status = reply.get("status")
        if status not in ("ok", "error", "timeout"):
            self._end("protocol", "an unexpected reply to a cell")
            return CellOutcome("protocol", self.detail, time.monotonic() - started, True,
                               request=request)
        return CellOutcome(status, str(reply.get("error", ""))[:2000],
                           time.monotonic() - started, request=request)

    def call(self, function, args, timeout=10.0, max_callbacks=10_000):
        """Call the student's ``function`` with ``args`` (encoded here; functions among them are
        answered as call-backs, at most ``max_callbacks``)."""
        if not self.alive:
            return CallOutcome(self.status, error=self.detail, ended_session=True)
        callables = []
        try:
            encoded = [channel.encode(a, callables=callables) for a in args]
        except channel.EncodeError as error:
            return CallOutcome("not_verifiable", error=f"an input cannot be sent: {error}")
        deadline = time.monotonic() + timeout + GRACE
        answered = 0
        try:
            request = self._request({"op": "call", "function": function, "args": encoded,
                                     "timeout": timeout}, deadline)
            while True:
                reply = self._reply(request, deadline, "result")
                if reply.get("op") == "callback":
                    answered += 1
                    if answered > max_callbacks:
                        raise ChannelClosed("protocol", "too many call-backs")
                    self._send(self._answer_callback(reply, callables), deadline)
                    continue
                break
        except ChannelClosed as closed:
            self._end(closed.status, closed.detail)
            return CallOutcome(closed.status, error=closed.detail, ended_session=True,
                               blame=closed.blame)
        finally:
            self.callbacks_answered += answered
        status = reply.get("status")
        if status not in ("ok", "raised", "missing", "not_callable", "timeout"):
            self._end("protocol", "an unexpected reply to a call")
            return CallOutcome("protocol", error=self.detail, ended_session=True)
        if status != "ok":
            return CallOutcome(status, error=str(reply.get("error", ""))[:2000])
        try:
            value = channel.Decoder().decode(reply.get("value"))
        except channel.ProtocolError as error:
            self._end("protocol", str(error))
            return CallOutcome("protocol", error=str(error), ended_session=True)
        return CallOutcome("ok", value=value)

    @staticmethod
    def _answer_callback(request, callables):
        """Run one of the grader's own input functions (``dJ``) on numbers from the sandbox."""
        index = request.get("function")
        if type(index) is not int or not 0 <= index < len(callables):
            raise ChannelClosed("protocol", "a call-back to an unknown function")
        try:
            args = channel.Decoder().decode(request.get("args"))
        except channel.ProtocolError as error:
            raise ChannelClosed("protocol", str(error)) from None
        if type(args) is not list or any(isinstance(a, channel.Unsupported) for a in args):
            return {"op": "callback_result", "error": "the call-back takes numbers or arrays"}
        try:
            import warnings

            import numpy as np

            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                value = callables[index](*args)
            return {"op": "callback_result", "value": channel.encode(value)}
        except Exception as error:  # the student passed something the function cannot take
            return {"op": "callback_result", "error": f"{type(error).__name__}: {error}"[:300]}


def _count_processes(uid):
    count = 0
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def _kill_matching(matches):
    """SIGKILL every other process whose /proc entry satisfies ``matches(entry)``.

    Three passes, because a forking process may add children while we look."""
    if not Path("/proc").is_dir():
        return
    for _ in range(3):
        found = False
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if matches(entry):
                    os.kill(int(entry.name), signal.SIGKILL)
                    found = True
            except (OSError, ValueError):
                pass
        if not found:
            return
        time.sleep(0.05)


def _kill_marked(token):
    """Kill every process whose environment carries a session's mark (rlimits mode)."""
    mark = f"AUTOGRADER_SANDBOX={token}".encode()
    _kill_matching(lambda entry: mark in (entry / "environ").read_bytes().split(b"\0"))


def _kill_uid(uid):
    """Kill every process of a session's own user id (only used for ids made per session)."""
    if uid is None or uid < _UID_BASE:
        return
    _kill_matching(lambda entry: entry.stat().st_uid == uid)
