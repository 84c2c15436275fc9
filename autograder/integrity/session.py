"""Run a submission's code in a separate, sandboxed process that answers calls over a data channel.

A :class:`Session` starts ``python -I -S _runner.py`` (see :mod:`autograder.integrity._runner`)
in a fresh scratch folder that holds only a private copy of the package's PUBLIC modules
(:data:`PUBLIC_MODULES`, plus a stand-in for :mod:`autograder.checks` whose checks do nothing),
the runner and the channel codec. The reference, the exercise registry, the pipeline, the course
sources, solutions, the gradebook and other submissions are not in that copy.

How the process is confined: by the one sandbox of the package (:mod:`autograder.sandbox`),
under the run's policy (``--sandbox``, ``--memory``, ``--timeout``) and its verifier profile:
the launcher (:mod:`autograder.sandbox.launch`) sets the resource limits in Python, switches to
a user id of its own per session (a root grader) and, with bubblewrap, gives the process no
network, a PID namespace and a root of its own holding only ``/usr``, the Python installation
(read-only), the private package at ``/opt/verifier`` and a size-capped ``/tmp`` that is also
the working folder. Without bubblewrap, the host's files are visible (the report says so).
When a session ends, everything of its user id is killed (:mod:`autograder.sandbox.reaper`).

Every read from the process is bounded (bytes per message, bytes per session) and has a
deadline; a process that dies, floods or stops answering gives a status, never an exception
in the grader.
"""
from __future__ import annotations

import ast
import functools
import os
import select
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..sandbox import launch, reaper, users
from ..sandbox.mounts import VERIFIER_PACKAGE
from ..sandbox.policy import from_options
from . import channel
from .speedups import SPEEDUPS

PACKAGE = Path(__file__).resolve().parent.parent
REPO = PACKAGE.parent

#: Modules of :mod:`autograder` that student code may import in the sandbox.
PUBLIC_MODULES = ("activations", "losses", "conventions", "gradcheck", "datasets", "autodiff")

MiB = 2 ** 20

#: Seconds the grader waits past a cell's or call's own time limit (enforced in the sandbox by
#: an alarm) before it kills the sandbox: code that ignores the alarm gains nothing but time.
GRACE = 3.0

#: Bytes the grader reads from one sandbox: per message, and in all.
MAX_MESSAGE_BYTES = 32 * MiB
MAX_SESSION_BYTES = 256 * MiB


def _site_packages():
    return str(Path(sysconfig.get_paths()["purelib"]))


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


class Session:
    """One sandboxed process; use as a context manager so it is always killed and cleaned up.

    Parameters
    ----------
    policy : Policy, optional
        The run's policy (:func:`autograder.sandbox.policy.from_options`; by default from
        ``--sandbox auto``).
    hidden : sequence of path-like
        Folders that must not be visible inside even when a mounted folder contains them (the
        repository is always added).
    """

    def __init__(self, policy=None, hidden=()):
        self.policy = policy or from_options()
        self.hidden = [Path(p).resolve() for p in (*hidden, REPO)]
        self.process = None
        self.reader = None
        self.status = "not started"  # ready | died | timeout | flooded | protocol | closed
        self.detail = ""
        self.uid = None
        self.scratch = None
        self.callbacks_answered = 0
        self.requests = 0

    # -- life cycle ------------------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _command(self, package):
        """The launcher's command line for this session's runner."""
        inside = VERIFIER_PACKAGE if self.policy.mode == "bubblewrap" else str(package)
        runner = [sys.executable, "-I", "-S", f"{inside}/_runner.py", _site_packages()]
        policy = self.policy.replace(hidden=(*self.policy.hidden, *map(str, self.hidden)))
        policy_path = policy.write(self.scratch / "policy.json")
        return launch.command(policy_path, runner, verifier_package=package)

    def start(self, timeout=60):
        """Start the sandbox and wait for it to say it is ready (``self.status``)."""
        self.launch()
        self.wait_ready(timeout)

    def launch(self):
        """Start the sandbox's process without waiting for it (see :meth:`wait_ready`).

        Raises
        ------
        OSError
            When Python (the launcher) cannot be executed at all.
        """
        self.scratch = Path(tempfile.mkdtemp(prefix="autograder-verify-"))
        self.scratch.chmod(0o755)
        package = build_private_package(self.scratch / "package")
        if self.policy.session_uid():
            self.uid = users.new_uid()
        if self.policy.mode == "bubblewrap":
            env, cwd = {"PATH": "/usr/bin:/bin"}, self.scratch  # inside: /tmp is the cwd
        else:
            work = self.scratch / "work"
            (work / "home").mkdir(parents=True)
            if self.uid is not None:
                os.chown(work, self.uid, self.uid)
                os.chown(work / "home", self.uid, self.uid)
            env, cwd = launch.verifier_env(work / "home", work), work
        env[launch.PARENT_ENV] = str(os.getpid())
        if self.uid is not None:
            env[users.UID_ENV] = str(self.uid)
        self.log = open(self.scratch / "stderr.log", "wb")
        self.process = subprocess.Popen(
            self._command(package), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self.log, cwd=cwd, env=env, start_new_session=True, close_fds=True)
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
        reaper.end_group(self.process, self.uid)  # double forks and setsid included
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
