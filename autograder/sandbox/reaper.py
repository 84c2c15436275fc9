"""End all of a sandbox's processes, wherever they went.

The one robust way: every sandboxed process runs under a user id of its own
(:mod:`~autograder.sandbox.users`), and a child of the grader that takes that id and calls
``kill(-1, SIGKILL)`` reaches exactly that user's processes, in any PID namespace or session,
double forks and ``setsid`` included, and none can fork meanwhile. Under bubblewrap the sandbox
is also in a PID namespace of its own, so everything in it dies with its first process. Without
a user id of its own (a grader that is not root) only the process group is killed.
"""
from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

from .users import is_sandbox_uid


def resident_bytes(pids):
    """Resident memory of the processes ``pids`` together (those that ended count 0)."""
    page, total = os.sysconf("SC_PAGE_SIZE"), 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def processes_of(uid):
    """Pids of the live (not zombie) processes whose real user id is ``uid``."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue  # it ended meanwhile
        if state != "Z":
            found.append(int(entry.name))
    return found


def _signal_user(uid, signum):
    """Send ``signum`` to every process of ``uid`` at once (``kill(-1)`` from that user)."""
    pid = os.fork()
    if pid == 0:  # the child only switches user and signals; nothing else runs here
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signum)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _started(pid):
    """When a process started (clock ticks since boot), for telling the first from its children."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return 0


def kill_user(uid, attempts=20):
    """SIGKILL every process of a sandbox's user id (repeated until none is left)."""
    if not is_sandbox_uid(uid):
        return
    for _ in range(attempts):
        if not processes_of(uid):
            return
        _signal_user(uid, signal.SIGKILL)
        time.sleep(0.02)


def kill_strays(uid, attempts=20):
    """SIGKILL every process of a sandbox's user id but its first one; returns how many.

    The first (the kernel) is the oldest process of that id; everything else descends from it.
    Every process of the id is stopped first, so that none can fork while the others are
    killed; then the first is let go on.
    """
    if not is_sandbox_uid(uid) or len(found := processes_of(uid)) <= 1:
        return 0
    first = min(found, key=lambda pid: (_started(pid), pid))
    killed = set()
    _signal_user(uid, signal.SIGSTOP)
    try:
        for _ in range(attempts):
            strays = [pid for pid in processes_of(uid) if pid != first]
            if not strays:
                break
            for pid in strays:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                except OSError:
                    pass
            time.sleep(0.01)
    finally:
        try:
            os.kill(first, signal.SIGCONT)
        except OSError:
            pass
    return len(killed)


def _discard_files(uid, folder):
    """Delete what ``uid`` owns directly in ``folder`` (its own sub-folders whole)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


def end_user(uid, cwd=None):
    """After a sandbox with user id ``uid`` ended: kill what it left running, delete the files
    it left where it could write (its working folder and the host's world-writable folders,
    which matter without bubblewrap) and give its working folder back to the grader."""
    if not is_sandbox_uid(uid):
        return
    kill_user(uid)  # first: nothing may write or swap files while they are deleted
    for folder in [cwd, "/tmp", "/var/tmp", "/dev/shm"]:
        if folder:
            _discard_files(uid, folder)
    try:
        if cwd and os.stat(cwd).st_uid == uid:
            os.chown(cwd, os.getuid(), os.getgid())
    except OSError:
        pass


def end_group(process, uid=None):
    """End a sandbox started as ``process`` (a :class:`subprocess.Popen` in a session of its
    own): its process group, then everything of its user id."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except Exception:  # subprocess.TimeoutExpired: a process in D state; the uid kill follows
        pass
    kill_user(uid)
