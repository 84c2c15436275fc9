"""One sandbox for every process that runs a student's code: the grading kernels and the
out-of-kernel verifier.

One idea per module (standard library only, so a kernel starts as fast as an unsandboxed one):

* :mod:`~autograder.sandbox.policy`: the one frozen :class:`Policy`, built from the command line
  (``--sandbox``, ``--memory``, ``--timeout``) and written to a file that every launch reads;
* :mod:`~autograder.sandbox.detect`: does bubblewrap work here (probed once per process, lazily);
* :mod:`~autograder.sandbox.mounts`: the allow-list of mounts, a kernel and a verifier profile;
* :mod:`~autograder.sandbox.users`: one user id per sandboxed process (a root grader);
* :mod:`~autograder.sandbox.limits`: resource limits set in Python (``setrlimit``);
* :mod:`~autograder.sandbox.become`: the switch to that user id, with no way back;
* :mod:`~autograder.sandbox.reaper`: ending all of a sandbox's processes (by its user id);
* :mod:`~autograder.sandbox.launch`: the one launcher of a kernel and of a verifier session.

Nothing is probed at import time: :func:`available` probes on the first call.
"""


def available():
    """Does bubblewrap work on this machine? (Probed once per process, on the first call.)"""
    from .detect import detect

    return detect("auto").mode == "bubblewrap"
