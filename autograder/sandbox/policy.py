"""The one sandbox policy of a grading run, built from the command line.

``--sandbox`` picks the mode, ``--memory`` the address-space cap, ``--timeout`` the per-cell
time limit; the same :class:`Policy` confines the grading kernels and the verifier's sessions
(each under its own :data:`PROFILES` entry). It is written to a JSON file once per run and read
by every launch (:mod:`~autograder.sandbox.launch`).
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .users import can_switch_user

MiB = 2 ** 20

#: Caps of one sandboxed process, per profile. Address space (``--memory``, 2 GiB by default):
#: numpy, matplotlib and a lesson's arrays fit well under 1 GiB; 2 GiB turns a memory bomb into
#: a MemoryError long before the machine swaps. CPU seconds: a backstop behind the per-cell
#: timeout. File size and open files: a runaway writer or a descriptor leak stops early.
#: Processes (threads count too): a lesson kernel has one process of 13 threads, the verifier's
#: runner one with BLAS single-threaded; a fork bomb stops at the cap. /tmp (with HOME),
#: /dev/shm and the kernel's working folder are RAM disks under bubblewrap, so they are capped.
PROFILES = {
    "kernel": {"cpu_seconds": 600, "file_size_bytes": 64 * MiB, "open_files": 512,
               "processes": 64, "tmp_bytes": 64 * MiB, "workdir_bytes": 64 * MiB},
    "verifier": {"cpu_seconds": 240, "file_size_bytes": 16 * MiB, "open_files": 128,
                 "processes": 32, "tmp_bytes": 64 * MiB, "workdir_bytes": 64 * MiB},
}
DEFAULT_MEMORY_MIB = 2048
MODES = ("auto", "bubblewrap", "rlimits")


def python_paths():
    """Folders a sandbox reads to run this Python: the installation, the environment, the
    package (an editable install points outside site-packages), ``PYTHONPATH``; none inside
    another."""
    import sysconfig

    package = Path(__file__).resolve().parents[1]
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent,
             package}
    paths.update(Path(sysconfig.get_paths()[key]) for key in
                 ("stdlib", "platstdlib", "purelib", "platlib"))
    # A PYTHONPATH entry that holds the package (the repository's root) stands for the package
    # alone: mounting it whole would show the course, the solutions and output folders in it.
    paths.update(Path(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
                 if p and Path(p).resolve() not in package.parents)
    paths = {p.resolve() for p in paths if p.is_dir()}
    return tuple(sorted(str(p) for p in paths if not any(other in p.parents for other in paths)))


@dataclass(frozen=True)
class Status:
    """What the grading kernels' sandbox covers on this machine, in words for the report."""

    mode: str
    summary: str
    reason: str = ""

    def lines(self):
        return [self.summary] + ([f"Bubblewrap is not used: {self.reason}"] if self.reason else [])


@dataclass(frozen=True)
class Policy:
    """How every sandboxed process of a run is confined.

    Attributes
    ----------
    mode : {"bubblewrap", "rlimits"}
    bwrap : str
        The bubblewrap executable (mode ``"bubblewrap"``).
    reason : str
        Why bubblewrap is not used, when it is not.
    size_caps : bool
        Bubblewrap caps the size of the private ``/tmp`` and working folder.
    memory_mib : int
        Address-space cap of every sandboxed process (``--memory``).
    cell_timeout : float or None
        Seconds per cell (``--timeout``; None: each side's default).
    own_uid : bool
        Each sandbox runs under a user id of its own (a root grader on Linux).
    hidden : tuple of str
        The run's own folders (course, output, submissions): covered should one lie inside a
        mounted folder. A second guard only: the mounts are an allow-list that names none.
    readable : tuple of str
        What a kernel reads to run Python (:func:`python_paths`).
    kernel_log : str
        File that receives what kernels print outside any cell ('' keeps the grader's streams).
    """

    mode: str
    bwrap: str = ""
    reason: str = ""
    size_caps: bool = False
    memory_mib: int = DEFAULT_MEMORY_MIB
    cell_timeout: float | None = None
    own_uid: bool = field(default_factory=can_switch_user)
    hidden: tuple = ()
    readable: tuple = field(default_factory=python_paths)
    kernel_log: str = ""

    def session_uid(self):
        """Does a verifier session get a user id of its own: a root grader, and (without
        bubblewrap, where the host's Python is run directly) an installation that another
        user can reach?"""
        if not self.own_uid or self.mode == "bubblewrap":
            return self.own_uid
        import sysconfig

        from .mounts import verifier_python
        from .users import others_can_use

        site = sysconfig.get_paths()["purelib"]
        return all(others_can_use(root) for root in [*verifier_python(), site])

    def limits(self, profile="kernel"):
        """The resource caps of one sandbox of ``profile`` (see :data:`PROFILES`)."""
        return {"address_space_bytes": int(self.memory_mib) * MiB, **PROFILES[profile]}

    def replace(self, **changes):
        return replace(self, **changes)

    def to_json(self):
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        data["hidden"], data["readable"] = tuple(data["hidden"]), tuple(data["readable"])
        return cls(**data)

    def write(self, path):
        Path(path).write_text(self.to_json())
        return Path(path)

    @classmethod
    def read(cls, path):
        return cls.from_json(Path(path).read_text())

    # -- in words -----------------------------------------------------------------------------
    def _user_clause(self):
        if self.own_uid:
            return (f"each under a user id of its own, at most "
                    f"{PROFILES['kernel']['processes']} processes")
        return "the grader's own user id (not root), so the number of processes is not capped"

    def status(self):
        """The kernels' sandbox for the run's report."""
        limits = (f"resource limits ({self.memory_mib} MiB of address space, CPU time, file "
                  "size, open files)")
        if self.mode != "bubblewrap":
            return Status("rlimits", f"Kernels ran with {limits} only: no filesystem or network "
                                     f"isolation; {self._user_clause()}.", self.reason)
        capped = "a size-capped" if self.size_caps else "a"
        return Status("bubblewrap",
                      "Kernels ran in bubblewrap: no network, only an allow-list of the disk "
                      "mounted (system folders, Python and the grader's package read-only, "
                      "with only the graded lesson's part of the answer key, the "
                      "submission's own files; no course, gradebook, output folder or other "
                      f"students' work, of this run or any other), {capped} private /tmp and "
                      "working folder (what a kernel writes is discarded with it); "
                      f"{self._user_clause()}; plus {limits}.")

    def describe(self):
        """One paragraph for the verification record: what the verifier's sandbox covers."""
        limits = (f"limits on address space ({self.memory_mib} MiB), CPU time, file size, open "
                  "files and processes")
        uid = (", a user id of its own per submission" if self.session_uid()
               else ", the grader's own user id")
        if self.mode == "bubblewrap":
            return ("Verifier sandbox: bubblewrap (no network, own PID namespace, read-only "
                    "system folders, the repository, course, gradebook and output not mounted, "
                    f"a size-capped private /tmp){uid}; {limits}.")
        return (f"Verifier sandbox: resource limits only ({limits}{uid}); no filesystem or "
                f"network isolation. Bubblewrap is not used: {self.reason}.")


def from_options(sandbox="auto", memory_mib=None, timeout=None, **fields):
    """The run's policy from its command line (``--sandbox``, ``--memory``, ``--timeout``).

    Raises
    ------
    RuntimeError
        ``sandbox="bubblewrap"`` where bubblewrap cannot be used (the reason is in the message).
    """
    from .detect import detect

    found = detect(sandbox)
    if sandbox == "bubblewrap" and found.mode != "bubblewrap":
        raise RuntimeError(f"--sandbox bubblewrap was asked for, but {found.reason}.")
    return Policy(mode=found.mode, bwrap=found.bwrap, reason=found.reason,
                  size_caps=found.size_caps, memory_mib=int(memory_mib or DEFAULT_MEMORY_MIB),
                  cell_timeout=float(timeout) if timeout else None, **fields)
