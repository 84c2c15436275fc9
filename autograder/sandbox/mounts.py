"""Bubblewrap's mounts: an ALLOW-LIST on an empty root of its own, in two profiles.

Both profiles mount the system folders (:data:`SYSTEM_FOLDERS`, read-only), Python and its
packages (read-only), a size-capped private ``/tmp`` (``HOME`` is in it) and ``/dev/shm``, and,
for a sandbox with a user id of its own, the step that switches to it
(:mod:`~autograder.sandbox.become`). Then

* the **kernel** profile: the grader's package (the grade cells import it), its exercise and
  reference modules only as compiled code of the lesson graded
  (:mod:`~autograder.sandbox.lesson_scope`), the
  working folder (a size-capped RAM disk showing the submission's files read-only) and the
  kernel's connection folder;
* the **verifier** profile: only the private package the verifier built (public modules, the
  runner and the codec) at :data:`VERIFIER_PACKAGE`; a non-editable install's ``autograder`` in
  site-packages is covered (the reference is in it).

Nothing else of the host exists inside: not the course, not the output folder, not an earlier
run's output wherever it lies, not the repository, ``/etc`` (but for fontconfig's ``/etc/fonts``), ``/home`` or ``/root``; no list of
secret folders is needed (one would miss the next). The run's own folders
(:attr:`Policy.hidden <autograder.sandbox.policy.Policy.hidden>`) are covered should one lie
inside a mounted folder (a course placed inside the Python environment): a second guard.
"""
from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

from . import become, bytecode, lesson_scope

#: System folders every sandbox reads (read-only): the C library, the loader, the shared
#: libraries numpy and matplotlib link to, fonts and time zones. /bin, /lib, /lib64 and /sbin
#: are links into /usr on a merged-/usr system and are mounted as such.
SYSTEM_FOLDERS = ("/usr",)
#: Configuration of the host that a sandbox reads (read-only) and that holds nothing of a
#: course: fontconfig's, without which matplotlib's first import prints "Fontconfig error:
#: Cannot load default config file" into every feedback page.
SYSTEM_CONFIG = ("/etc/fonts",)
_SYSTEM_LINKS = ("/bin", "/lib", "/lib64", "/sbin")
#: Where the verifier's private package is inside its sandbox.
VERIFIER_PACKAGE = "/opt/verifier"
#: HOME inside a sandbox (in its private /tmp).
HOME = "/tmp/home"


def _inside(path, folders):
    return any(path == f or f in path.parents for f in folders)


class Mounts:
    """Bubblewrap's mount arguments, in order, on a root of its own (bubblewrap's fresh tmpfs:
    nothing of the host is there unless it is mounted here). Makes the folders on the way to a
    mount point itself, readable by all (bubblewrap would make them 0700, and a sandbox with a
    user id of its own could not pass them)."""

    def __init__(self):
        self.args = ["--dev", "/dev", "--proc", "/proc"]
        self.tmpfs_roots = [Path("/")]
        self.made = {Path("/"), Path("/dev"), Path("/proc")}
        self.mounted = []  # read-only binds of the host, for covering what lies in them

    def _make_parents(self, path):
        for parent in reversed(path.parents):
            if parent not in self.made and any(root == parent or root in parent.parents
                                               for root in self.tmpfs_roots):
                self.args += ["--perms", "0755", "--dir", str(parent)]
                self.made.add(parent)

    def tmpfs(self, path, mode=0o755, size=None):
        path = Path(path)
        self._make_parents(path)
        self.args += ["--size", str(int(size))] if size else []
        self.args += ["--perms", f"{mode:04o}", "--tmpfs", str(path)]
        self.tmpfs_roots.append(path)
        self.made.add(path)

    def bind(self, source, target=None, read_only=True):
        source, target = Path(source), Path(target or source)
        self._make_parents(target)
        self.args += ["--ro-bind" if read_only else "--bind", str(source), str(target)]
        self.made.add(target)
        if read_only and source == target:
            self.mounted.append(target)

    def empty_file(self, path):
        self._make_parents(Path(path))
        self.args += ["--ro-bind", "/dev/null", str(path)]

    def system(self):
        for folder in SYSTEM_FOLDERS + SYSTEM_CONFIG:
            if Path(folder).is_dir():
                self.bind(folder)
        for name in _SYSTEM_LINKS:
            link = Path(name)
            if link.is_symlink():
                self.args += ["--symlink", os.readlink(link), str(link)]
            elif link.is_dir():
                self.bind(link)

    def private_tmp(self, size):
        # First: a Python installed under /tmp (a clone in /tmp with its .venv, as on a CI
        # machine) is bound back into it afterwards, not covered by it.
        self.tmpfs("/tmp", 0o1777, size)
        self.tmpfs("/dev/shm", 0o1777, size)   # joblib and multiprocessing need it
        self.args += ["--perms", "0777", "--dir", HOME]

    def readable(self, paths):
        system = [Path(f) for f in SYSTEM_FOLDERS]
        for path in sorted({Path(p) for p in paths}, key=lambda p: len(p.parts)):
            if not _inside(path, system) and path.is_dir():
                self.bind(path)

    def cover(self, hidden, keep):
        """Cover each of ``hidden`` that lies in a mounted folder, unless it holds one of
        ``keep`` (what the sandbox needs: Python, the working folder)."""
        keep = [Path(k) for k in keep]
        mounted = self.mounted + [Path(f) for f in SYSTEM_FOLDERS]
        for path in sorted({Path(h).resolve() for h in hidden}, key=lambda p: len(p.parts)):
            if not _inside(path, mounted) or any(_inside(k, [path]) for k in keep):
                continue
            if path.is_dir():
                self.tmpfs(path)
            elif path.is_file():
                self.empty_file(path)

    def become_step(self):
        self.bind(Path(become.__file__).resolve(), become.INSIDE)


def needed_python():
    """What this Python cannot run without (never covered)."""
    found = [Path(sysconfig.get_paths()[key]).resolve()
             for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    return found + [Path(os.path.realpath(sys.executable)).parent]


def verifier_python():
    """Python without the grader's package: the installation and the environment."""
    package = Path(__file__).resolve().parents[1]
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
             Path(os.path.realpath(sys.executable)).parent, *needed_python()}
    roots = {r for r in roots if r.is_dir() and r != package and package not in r.parents}
    return sorted(r for r in roots if not any(o in r.parents for o in roots))


def kernel_mounts(policy, cwd, connection_dir, own_uid=False, lesson=None):
    """Every mount of a grading kernel's sandbox, in order (see the module docstring).

    ``lesson`` (the lesson the kernel grades: nbgrader runs it in the notebook's folder, named
    after the lesson) decides which exercise and reference modules the kernel gets, compiled
    and without source (:mod:`~autograder.sandbox.lesson_scope`): what a kernel can read, a
    cell can print."""
    cwd = Path(cwd).resolve()
    limits = policy.limits("kernel")
    mounts = Mounts()
    mounts.system()
    mounts.private_tmp(limits["tmp_bytes"] if policy.size_caps else None)
    mounts.readable(policy.readable)
    mounts.cover(policy.hidden, keep=[cwd, *needed_python(), Path(__file__).resolve()])
    folders, files = lesson_scope.sourceless_view(lesson, bytecode.compiled)
    for folder in folders:
        mounts.tmpfs(folder)
    for compiled, inside in files:
        mounts.bind(compiled, inside)
    entries = sorted(cwd.iterdir()) if cwd.is_dir() else []
    mounts.tmpfs(cwd, 0o1777, limits["workdir_bytes"] if policy.size_caps else None)
    for entry in entries:
        mounts.bind(entry)
    if connection_dir:
        mounts.bind(connection_dir, read_only=False)
    if own_uid:
        mounts.become_step()
    return mounts.args


def verifier_mounts(policy, package, hidden=(), own_uid=False):
    """Every mount of a verifier session's sandbox, in order (see the module docstring)."""
    limits = policy.limits("verifier")
    mounts = Mounts()
    mounts.system()
    mounts.private_tmp(limits["tmp_bytes"] if policy.size_caps else None)
    mounts.readable(verifier_python())
    mounts.bind(package, VERIFIER_PACKAGE)
    mounts.cover([*policy.hidden, *hidden], keep=needed_python())
    for site in {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}:
        if (site / "autograder").is_dir():  # a non-editable install: the reference is in it
            mounts.tmpfs(site / "autograder")
    if own_uid:
        mounts.become_step()
    return mounts.args
