"""The output folder of a grading run: checked before anything is written, locked while it runs.

* :func:`check_folders` refuses an output folder inside the submissions (a later run would
  grade the first one's copies) or submissions inside the folders a run rewrites, and creates
  the output folder or says in one sentence why it cannot;
* :func:`output_lock` holds an exclusive ``fcntl.flock`` on ``DIR/.grading.lock`` for the
  whole run: a second run into the same folder stops at once with the first one's pid.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .discover import SubmissionError

#: The lock file a run holds in its output folder (``fcntl.flock``, exclusive).
LOCK_FILE = ".grading.lock"


def check_folders(submissions_dir, out_dir):
    """Refuse an output folder that is inside the submissions (a second run would find the
    first one's copies there), or a submissions folder inside the folders a run rewrites;
    create the output folder, or say why it cannot be.

    Raises
    ------
    SubmissionError
    """
    source, out = Path(submissions_dir).resolve(), Path(out_dir).resolve()
    if source == out or source in out.parents:
        raise SubmissionError(f"The output folder {out} is inside the submissions folder "
                              f"{source}; choose an --out outside it (the run would grade its "
                              "own copies next time).")
    for part in ("nbgrader", "feedback", "logs", "plots", "lms"):
        if out / part == source or out / part in source.parents:
            raise SubmissionError(f"The submissions {source} are inside {out / part}, which a "
                                  "grading run rewrites; move them out of the --out folder.")
    if out.exists() and not out.is_dir():
        raise SubmissionError(f"--out {out_dir} is a file, not a folder; give a folder (it is "
                              "created if it does not exist).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SubmissionError(f"Cannot create the output folder {out_dir}: "
                              f"{error.strerror or error}. Give a folder you can write to."
                              ) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise SubmissionError(f"The output folder {out_dir} is not writable; give a folder you "
                              "can write to.")


@contextlib.contextmanager
def output_lock(out_dir):
    """Hold an exclusive lock on ``out_dir`` for a run; a second run into it stops at once.

    The lock (``fcntl.flock`` on ``DIR/.grading.lock``, which holds the owner's pid) goes with
    the process: a killed run leaves no stale lock.

    Raises
    ------
    SubmissionError
        Another run holds the lock.
    """
    try:
        import fcntl
    except ImportError:          # Windows: no lock (one run at a time is then up to the user)
        yield
        return
    path = Path(out_dir) / LOCK_FILE
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            owner = handle.read().strip() or "unknown"
            raise SubmissionError(f"another grading run is using {out_dir} (pid {owner}); wait "
                                  "for it to finish, or give another --out.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()
