"""The sandbox side of the verifier: run a submission's code, then answer calls over the channel.

Started by :mod:`autograder.integrity.session`, through the sandbox's launcher
(:mod:`autograder.sandbox.launch`, which sets the limits and the user id), as
``python -I -S _runner.py SITE``, with
this file, :mod:`channel` and a private copy of the package's public modules in one folder. It
imports only the standard library and numpy, so nothing of the grader is loaded here.

Start-up, before any student code: keep private copies of the protocol pipes (stdin, stdout)
and point the standard streams at ``/dev/null`` (whatever the student prints cannot reach the
grader), set ``sys.path`` to the private package, the standard library and site-packages (no
``.pth`` files: an editable install of the real package stays invisible).

Requests and replies (JSON lines, see :mod:`channel`)::

    {"op": "exec", "id": n, "source": str, "name": str, "timeout": float}
        -> {"op": "done", "id": n, "status": "ok" | "error" | "timeout", "error": str}
    {"op": "call", "id": n, "function": str, "args": [...], "timeout": float}
        -> {"op": "result", "id": n, "status": "ok", "value": ...}
         | {"op": "result", "id": n, "status": "raised" | "missing" | "not_callable" |
            "timeout", "error": str}
       while running, the sandbox may ask  {"op": "callback", "id": n, "function": k,
                                            "args": [...]}
       and the grader answers              {"op": "callback_result", "value": ...} or
                                           {"op": "callback_result", "error": str}
    {"op": "quit"}

Every reply carries its request's ``id``: a reply the grader did not ask for (a forked child
answering too, a forged message) breaks the session instead of being taken for an answer.

Cells and calls run under a cooperative time limit (``SIGALRM``); the grader also holds a hard
deadline and kills the sandbox when that one passes, so code that ignores the alarm gains
nothing.
"""
import builtins
import os
import signal
import sys
import time
import traceback
import types

PROTOCOL_IN = PROTOCOL_OUT = None
_BUFFER = bytearray()
_MAX_LINE = 64 * 2 ** 20


class _TimeLimit(BaseException):
    """Raised by the alarm: a cell or call ran past its time."""


def _on_alarm(signum, frame):
    raise _TimeLimit()


def _send(message):
    from channel import dumps

    data = dumps(message)
    view = memoryview(data)
    while view:
        written = os.write(PROTOCOL_OUT, view)
        view = view[written:]


def _receive():
    from channel import loads

    while True:
        newline = _BUFFER.find(b"\n")
        if newline >= 0:
            line = bytes(_BUFFER[:newline + 1])
            del _BUFFER[:newline + 1]
            return loads(line)
        if len(_BUFFER) > _MAX_LINE:
            raise SystemExit("request too long")
        chunk = os.read(PROTOCOL_IN, 1 << 16)
        if not chunk:
            raise SystemExit(0)  # the grader closed the channel
        _BUFFER.extend(chunk)


def _error_text(error, limit=2000):
    lines = traceback.format_exception_only(type(error), error)
    return "".join(lines).strip()[:limit]


def _with_time_limit(seconds, run):
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(float(seconds), 0.001))
    try:
        return run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class _Shell:
    """What ``get_ipython()`` returns here: magics and shell escapes do nothing.

    Lesson cells are transformed from IPython syntax on the grader's side (``%matplotlib`` ->
    ``get_ipython().run_line_magic(...)``); cell magics that only time or capture a cell run
    their body.
    """

    def __init__(self, namespace):
        self._namespace = namespace

    def run_line_magic(self, name, line, *args, **kwargs):
        return None

    def run_cell_magic(self, name, line, body, *args, **kwargs):
        if name in ("time", "timeit", "capture"):
            exec(compile(body, "<cell magic>", "exec"), self._namespace)
        return None

    def system(self, *args, **kwargs):
        return None

    def getoutput(self, *args, **kwargs):
        return []

    magic = run_line_magic


def _exec_cell(request, namespace):
    started = time.monotonic()
    try:
        code = compile(request.get("source", ""), request.get("name", "<cell>"), "exec")
        _with_time_limit(request.get("timeout", 30), lambda: exec(code, namespace))
        reply = {"status": "ok", "error": ""}
    except _TimeLimit:
        reply = {"status": "timeout", "error": "the cell ran past its time limit"}
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: record, go on
        reply = {"status": "error", "error": _error_text(error)}
    reply.update(op="done", seconds=round(time.monotonic() - started, 4))
    return reply


def _callback_stub(index):
    from channel import Decoder, encode

    def grader_function(*args):
        _send({"op": "callback", "id": _CURRENT_CALL[0], "function": index,
               "args": [encode(a, strict=False) for a in args]})
        reply = _receive()
        if reply.get("op") != "callback_result":
            raise RuntimeError("the grader did not answer the call back")
        if "error" in reply:
            raise ValueError(str(reply["error"]))
        return Decoder().decode(reply.get("value"))

    grader_function.__name__ = f"grader_function_{index}"
    return grader_function


_CURRENT_CALL = [None]


def _call(request, namespace):
    from channel import Decoder, encode

    _CURRENT_CALL[0] = request.get("id")

    name = request.get("function", "")
    if name not in namespace:
        return {"status": "missing", "error": f"no name {name!r} is defined"}
    fn = namespace[name]
    if not callable(fn):
        return {"status": "not_callable", "error": f"{name!r} is not a function"}
    decoder = Decoder(callback=_callback_stub, allow_generator=True)
    args = [decoder.decode(a) for a in request.get("args", [])]
    try:
        result = _with_time_limit(request.get("timeout", 10), lambda: fn(*args))
        return {"status": "ok", "value": encode(result, strict=False)}
    except _TimeLimit:
        return {"status": "timeout", "error": "the call ran past its time limit"}
    except BaseException as error:
        return {"status": "raised", "error": _error_text(error), "type": type(error).__name__}


def _serve(namespace):
    runner = os.getpid()
    while True:
        request = _receive()
        op = request.get("op")
        if op == "exec":
            reply = _exec_cell(request, namespace)
        elif op == "call":
            reply = _call(request, namespace)
            reply["op"] = "result"
        elif op == "quit":
            return
        else:
            reply = {"op": "error", "error": f"unknown request {str(op)[:40]!r}"}
        if os.getpid() != runner:
            os._exit(0)  # a child the student's code forked: it must not answer too
        reply["id"] = request.get("id")  # the grader matches every reply to its request
        _send(reply)


def _set_path(here, site):
    stdlib = [p for p in sys.path if p and not p.endswith("site-packages")
              and os.path.abspath(p) != here]
    sys.path[:] = [here, *stdlib, site]


def main(argv):
    global PROTOCOL_IN, PROTOCOL_OUT
    here = os.path.dirname(os.path.abspath(__file__))
    site = argv[1]
    PROTOCOL_IN, PROTOCOL_OUT = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    _set_path(here, site)
    import numpy  # noqa: F401  (fail here, visibly, rather than in the first cell)

    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    namespace = module.__dict__
    namespace["get_ipython"] = lambda: _Shell(namespace)
    sys.argv = ["-c"]
    os.dup2(null, 2)  # from here on, the student's stderr goes nowhere too
    _send({"op": "ready", "pid": os.getpid(), "uid": os.getuid()})
    _serve(namespace)


if __name__ == "__main__":
    main(sys.argv)
