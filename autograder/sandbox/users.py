"""One user id per sandboxed process, when the grader is root on Linux.

``RLIMIT_NPROC`` counts the processes of a user and never applies to root: only a user id of
its own makes the process cap a sandbox's own, and its processes findable and killable as a
whole (:mod:`~autograder.sandbox.reaper`). Ids are the grader's pid (below 2**22 on Linux)
times :data:`SLOTS` plus a counter: two live grading processes never share an id, and the
:data:`SLOTS` ids of one process are given out in turn (a kernel and the verifier sessions of a
submission never run more than that many at once).
"""
from __future__ import annotations

import itertools
import os
import sys

#: First sandbox user id: far above real accounts (and nobody, 65534).
UID_BASE = 200_000_000
#: Ids per grading process.
SLOTS = 64
#: Highest id ever given out (below 2**32 - 1, which means "no id" to the kernel).
UID_MAX = UID_BASE + 2 ** 22 * SLOTS - 1
#: Environment variable through which a launcher is given its process's user id.
UID_ENV = "AUTOGRADER_SANDBOX_UID"

_counter = itertools.count()


def can_switch_user():
    """Can sandboxed processes get a user id of their own here (Linux, and a root grader)?"""
    return sys.platform.startswith("linux") and os.geteuid() == 0


def uid_of(grader_pid, slot):
    """The id of ``slot`` of the grading process ``grader_pid``."""
    return UID_BASE + (grader_pid % 2 ** 22) * SLOTS + slot % SLOTS


def new_uid():
    """A user id for the next sandbox of this process, or None when sandboxes cannot have one."""
    if not can_switch_user():
        return None
    return uid_of(os.getpid(), next(_counter))


def is_sandbox_uid(uid):
    """Is ``uid`` one this module gives out (so that killing all its processes is safe)?"""
    return uid is not None and UID_BASE <= uid <= UID_MAX


def others_can_use(path):
    """Can a user other than the owner reach ``path`` (every ancestor searchable by others)?"""
    from pathlib import Path

    path = Path(path).resolve()
    try:
        return all(os.stat(p).st_mode & 0o001 for p in [path, *path.parents])
    except OSError:
        return False
