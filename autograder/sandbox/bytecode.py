"""Compiled copies of the answer-holding modules, for a grading kernel that must run them
without being able to read them (:func:`~autograder.sandbox.lesson_scope.sourceless_view`).

A copy is named after the SHA-256 of its source and of this Python's version, in a cache
folder of the grader's own (mode 0700, refused when another user owns it or it is a link), so
parallel launches share it and an edited module gets a new copy. Each is written to a
temporary name and renamed into place: a launch never binds a half-written file.

Standard library only: the launcher imports it before anything of the grader's is importable.
"""
from __future__ import annotations

import hashlib
import os
import py_compile
import stat
import sys
import tempfile
from pathlib import Path


def cache_folder():
    """The grader's bytecode cache: ``$TMPDIR/autograder-bytecode-<uid>``, created 0700."""
    folder = Path(tempfile.gettempdir()) / f"autograder-bytecode-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{folder} is not a private folder of this user: remove it, or set "
                           "TMPDIR to a folder of your own, and grade again.")
    return folder


def compiled(source, folder=None):
    """The path of a compiled copy of ``source`` (a ``.py`` file), made if missing."""
    source = Path(source)
    data = source.read_bytes()
    digest = hashlib.sha256(sys.version.encode() + b"\0" + data).hexdigest()
    folder = Path(folder) if folder else cache_folder()
    target = folder / f"{source.stem}-{digest[:32]}.pyc"
    if not target.is_file():
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(handle)
        try:
            # dfile: tracebacks still name the module's real path (a grade cell's message
            # strips the package's frames by that path, autograder.checks)
            py_compile.compile(str(source), cfile=temporary, dfile=str(source), doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return target
