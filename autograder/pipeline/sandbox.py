"""Run each grading kernel in a sandbox: bubblewrap where the OS allows it, resource limits always.

The grading pipeline starts every kernel through a kernelspec whose command is this module::

    python -m autograder.pipeline.sandbox POLICY.json -- python -m ipykernel_launcher -f CONN

The launcher reads the policy (written once per run by :func:`write_policy`), applies the resource
limits to itself with ``setrlimit`` (the same caps ``prlimit`` sets; they are inherited by
everything it executes), and then replaces itself with the kernel:

* with **bubblewrap** (Debian's ``bubblewrap``): no network, and a root of its own that holds
  only an ALLOW-LIST of mounts (:func:`_sandbox_mounts`): the system folders and the Python
  installation with its packages and the grader's package, read-only; the submission's working
  copy; a private RAM-disk ``/tmp``; a minimal ``/dev``; ``/proc``. Nothing else of the disk
  exists inside: not the private course, not this run's or an earlier run's output folder
  (wherever it lies: ``grading-output/`` in the repository, another section's run in
  ``/srv``), not the repository's sources, ``/etc``, ``/home`` or ``/root``; no list of secret
  folders is needed (one would miss the next). The kernel writes only to RAM disks of its own, each capped at
  ``tmp_bytes`` or ``workdir_bytes`` (64 MiB): ``/tmp`` (``HOME`` is in it), ``/dev/shm``, and a
  working folder laid over the submission's folder that shows the submission's files read-only
  (a disk fill ends with "No space left on device"; nothing of it reaches the host's disk, and it
  is discarded with the kernel); and to its connection folder. It dies with its grader
  (``--die-with-parent``), in its own PID namespace, so nothing it starts outlives it.
* without bubblewrap (macOS, containers without user namespaces): the resource limits only, and
  the kernel still dies with its grader (``PR_SET_PDEATHSIG`` on Linux). The run's report says so.

**A user id per kernel.** ``RLIMIT_NPROC`` never applies to root, so a fork bomb in a kernel of a
root grader would fill the machine's process table. When the grader runs as root on Linux, every
kernel therefore runs under a user id of its own (:func:`new_kernel_uid`: from 200,000,000 up,
far above real accounts and the verifier's ids, distinct for every concurrent kernel) with at
most ``processes`` (64) processes and threads. The kernel manager
(:class:`~autograder.pipeline.preprocessors.SandboxKernelManager`) passes the id in
``AUTOGRADER_KERNEL_UID``, kills a kernel whose id reaches half the cap (a fork bomb: the cell
ends as "kernel died" within a second, instead of keeping every core busy until its time
limit), kills the processes a cell started when the cell is interrupted (:func:`kill_strays`),
and when the kernel has ended kills whatever is left of its id (:func:`end_kernel_user`:
``kill(-1)`` from a process of that id, so double forks and ``setsid`` do not escape) and
deletes the files it left.

* Under bubblewrap the switch happens inside the sandbox, in a step that runs just before the
  kernel (this file as a script: ``--become UID``), with no capabilities left and
  ``no_new_privs`` set; bubblewrap makes no user namespace then (it would map root alone).
  Every folder on the way to a mount is made by the launcher, open to all (``/root`` when
  Python lives there is an empty folder holding only the installation).
* Without bubblewrap the launcher switches itself and keeps ``CAP_DAC_READ_SEARCH``: the kernel
  reads what a root kernel read (Python in ``/root`` included), and writes only to its working
  folder and connection folder (handed to it, and given back afterwards), a ``HOME`` of its own
  in ``/tmp``, and world-writable folders; its files in those are deleted when it ends.

Not covered here: giant outputs (the executor caps them: :mod:`autograder.pipeline.outputs`);
without bubblewrap a disk fill is bounded only
by the file-size limit per file and the time limit per cell while the kernel runs; a grader that
is not root gets no user id per kernel, so no process cap; processes a cell leaves running
(under half the cap) share the CPU with the other workers' kernels until the cell is
interrupted or the kernel ends.

Kernels talk to the grader over Unix sockets (``KernelManager.transport = "ipc"``): a kernel in
its own network namespace cannot reach the host's loopback. Interrupts are sent as messages
(``"interrupt_mode": "message"``) because signals to the launcher would not reach the kernel.

This module is imported by the launcher before anything else: it imports only the standard
library, so a kernel starts as fast as an unsandboxed one.
"""
from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

#: Name of the kernelspec the grading pipeline writes and the executor asks for.
KERNEL_NAME = "autograder-sandbox"

MiB = 2 ** 20

#: Default caps of one grading kernel. Address space: numpy, matplotlib and a lesson's arrays fit
#: in well under 1 GiB; 2 GiB turns a memory bomb into a MemoryError long before the machine
#: swaps. CPU seconds: a backstop behind the per-cell timeout for the whole kernel. File size and
#: open files: a runaway writer or a descriptor leak stops early. Processes (threads count too):
#: a lesson kernel has one process of 13 threads; a fork bomb stops at 64 (this limit applies
#: only to a kernel with a user id of its own). /tmp (with HOME), /dev/shm and the working
#: folder are RAM disks under bubblewrap, so they are capped as well: a lesson writes nothing but
#: caches there.
DEFAULT_LIMITS = {
    "address_space_bytes": 2048 * MiB,
    "cpu_seconds": 600,
    "file_size_bytes": 64 * MiB,
    "open_files": 512,
    "processes": 64,
    "tmp_bytes": 64 * MiB,
    "workdir_bytes": 64 * MiB,
}

#: First user id of grading kernels: far above real accounts (and nobody, 65534), and above the
#: out-of-kernel verifier's ids (autograder.integrity.sandbox: 3_100_000 up to about 70 million).
KERNEL_UID_BASE = 200_000_000
#: Environment variable through which the kernel manager gives the launcher a kernel's user id.
UID_ENV = "AUTOGRADER_KERNEL_UID"

_uid_counter = itertools.count()

#: Environment set for a kernel: caches in the private /tmp, one BLAS thread (the workers
#: already use every core).
_KERNEL_ENV = {
    "HOME": "/tmp/home",
    "IPYTHONDIR": "/tmp/ipython",
    "MPLCONFIGDIR": "/tmp/matplotlib",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}


#: Variables of the grader's environment that a sandboxed kernel keeps (bubblewrap mode): what
#: Python and nbgrader need. JPY_PARENT_PID is not among them: the kernel would compare it with
#: a parent pid from another PID namespace and exit at once.
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "VIRTUAL_ENV",
               "NBGRADER_EXECUTION")


def can_switch_user():
    """Can kernels get a user id of their own here (Linux, and the grader is root)?"""
    return sys.platform.startswith("linux") and os.geteuid() == 0


def python_paths():
    """Folders a kernel reads to run this Python: the installation, the environment, the
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
    return sorted(str(p) for p in paths if not any(other in p.parents for other in paths))


@lru_cache(maxsize=None)
def _bwrap_caps_sizes(bwrap):
    """Does this bubblewrap take ``--size`` (a size cap on a tmpfs; bubblewrap 0.8 and later)?"""
    try:
        result = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--size" in result.stdout + result.stderr


@dataclass
class Policy:
    """What the launcher does; written to JSON once per run and read by every kernel launch.

    Attributes
    ----------
    mode : {"bubblewrap", "rlimits"}
    limits : dict
        See :data:`DEFAULT_LIMITS`.
    hidden : list of str
        Folders (and files) covered by an empty one should they lie inside a mounted folder
        (the private course, the output folder, the original submissions): a second guard, the
        allow-list mounts none of them.
    bwrap : str
        Path of the bubblewrap executable (mode ``"bubblewrap"``).
    kernel_log : str
        File that receives what kernels print outside any cell (ipykernel's start-up notes),
        so that it does not reach the grader's terminal; '' keeps the grader's streams.
    own_uid : bool
        Each kernel runs under the user id its manager gives it (needs a root grader on Linux).
    readable : list of str
        What the kernel must be able to read to run Python (:func:`python_paths`).
    size_caps : bool or None
        Bubblewrap caps the size of the private ``/tmp`` and working folder (None: find out).
    """

    mode: str
    limits: dict = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    hidden: list = field(default_factory=list)
    bwrap: str = ""
    kernel_log: str = ""
    own_uid: bool = field(default_factory=can_switch_user)
    readable: list = field(default_factory=python_paths)
    size_caps: bool | None = None

    def __post_init__(self):
        if self.size_caps is None:
            self.size_caps = self.mode == "bubblewrap" and _bwrap_caps_sizes(self.bwrap or "bwrap")


@dataclass
class SandboxStatus:
    """What the sandbox covers on this machine, in words for the report."""

    mode: str              # "bubblewrap" or "rlimits"
    summary: str           # one sentence
    reason: str = ""       # why bubblewrap is not used, when it is not

    def lines(self):
        return [self.summary] + ([f"Bubblewrap is not used: {self.reason}"] if self.reason else [])


def _bwrap_probe(bwrap):
    """Does bubblewrap start a process with the namespaces we use? Returns '' or the reason."""
    command = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
               "--unshare-all", "--die-with-parent", "--cap-drop", "ALL", "--", "/bin/sh", "-c",
               "echo ok > /tmp/probe && cat /tmp/probe"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{bwrap} could not be run ({error})"
    if result.returncode != 0 or result.stdout.strip() != "ok":
        detail = (result.stderr or result.stdout).strip().splitlines()
        return f"{bwrap} failed here ({detail[-1] if detail else f'exit {result.returncode}'})"
    return ""


def _user_clause():
    processes = DEFAULT_LIMITS["processes"]
    if can_switch_user():
        return f"each kernel under a user id of its own, at most {processes} processes"
    return "the grader's own user id (not root), so the number of processes is not capped"


def detect(mode="auto"):
    """Decide how kernels are sandboxed on this machine.

    Parameters
    ----------
    mode : {"auto", "bubblewrap", "rlimits"}
        ``"auto"`` uses bubblewrap when it is installed and works, else resource limits only;
        ``"bubblewrap"`` insists (the caller turns a reason into an error).

    Returns
    -------
    (SandboxStatus, str)
        The status, and the bwrap path ('' when not used).
    """
    limits = "resource limits (address space, CPU time, file size, open files)"
    only = (f"Kernels ran with {limits} only: no filesystem or network isolation; "
            f"{_user_clause()}.")
    if mode == "rlimits":
        return SandboxStatus("rlimits", only, "turned off with --sandbox rlimits"), ""
    if not sys.platform.startswith("linux"):
        reason = f"bubblewrap needs Linux (this is {sys.platform})"
    elif not (bwrap := shutil.which("bwrap")):
        reason = ("it is not installed (on Debian or Ubuntu: `sudo apt-get install "
                  "bubblewrap`)")
    else:
        reason = _bwrap_probe(bwrap)
        if not reason:
            capped = "a size-capped" if _bwrap_caps_sizes(bwrap) else "a"
            return SandboxStatus(
                "bubblewrap",
                "Kernels ran in bubblewrap: no network, only an allow-list of the disk "
                "mounted (system folders, Python and the grader's package read-only, the "
                "submission's own files; no course, gradebook, output folder or other "
                f"students' work, of this run or any other), {capped} private /tmp and "
                "working folder (what a kernel writes is discarded with it); "
                f"{_user_clause()}; plus {limits}.",
            ), bwrap
    return SandboxStatus("rlimits", only, reason), ""


def write_policy(path, policy):
    Path(path).write_text(json.dumps(asdict(policy), indent=1, sort_keys=True))


def write_kernelspec(kernels_dir, policy_path, python=sys.executable):
    """Write the ``autograder-sandbox`` kernelspec; returns its folder.

    ``kernels_dir`` is ``<JUPYTER_PATH entry>/kernels``; the grading workers put its parent on
    ``JUPYTER_PATH``.
    """
    folder = Path(kernels_dir) / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", "autograder.pipeline.sandbox", str(policy_path), "--",
                 python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))
    return folder


# ---- a user id per kernel (the grader's side) ---------------------------------------------------

def new_kernel_uid():
    """A user id for the next kernel of this process, or None when kernels cannot have one.

    The grader's pid (below 2**22 on Linux) times 16 plus a counter: two live grading processes
    never share an id, and one process runs one kernel at a time (16 in a row are distinct).
    """
    if not can_switch_user():
        return None
    return _kernel_uid_of(os.getpid(), next(_uid_counter) % 16)


def _kernel_uid_of(grader_pid, slot):
    return KERNEL_UID_BASE + (grader_pid % 2 ** 22) * 16 + slot


def processes_of(uid):
    """Pids of the live (not zombie) processes whose real user id is ``uid``."""
    found = []
    for entry in Path("/proc").iterdir():
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
    """Send ``signum`` to every process of ``uid`` at once: a child of the grader takes that id
    and calls ``kill(-1, signum)``, which reaches exactly that user's processes wherever they
    are (another PID namespace, another session) and lets none of them fork meanwhile."""
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
    """When a process started (clock ticks since boot), for telling the kernel from its children."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return 0


def kill_user(uid, attempts=20):
    """SIGKILL every process of a kernel's user id (repeated until none is left)."""
    if uid is None or uid < KERNEL_UID_BASE:
        return
    for _ in range(attempts):
        if not processes_of(uid):
            return
        _signal_user(uid, signal.SIGKILL)
        time.sleep(0.02)


def kill_strays(uid, attempts=20):
    """SIGKILL every process of a kernel's user id but the kernel itself; returns how many.

    The kernel is the oldest process of that id (the first to take it; everything else of that
    id descends from it). Every process of the id is stopped first, so that none can fork while
    the others are killed; then the kernel is let go on.
    """
    if uid is None or uid < KERNEL_UID_BASE or len(found := processes_of(uid)) <= 1:
        return 0
    kernel = min(found, key=lambda pid: (_started(pid), pid))
    killed = set()
    _signal_user(uid, signal.SIGSTOP)
    try:
        for _ in range(attempts):
            strays = [pid for pid in processes_of(uid) if pid != kernel]
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
            os.kill(kernel, signal.SIGCONT)
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


def end_kernel_user(uid, cwd):
    """After a kernel with user id ``uid`` ended: kill what it left running, delete the files
    it left where it could write (its working folder and the host's world-writable folders,
    which matter without bubblewrap) and give its working folder back to the grader."""
    if uid is None or uid < KERNEL_UID_BASE:
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


def end_kernels_of(grader_pid):
    """:func:`end_kernel_user` for every user id a grading process (killed before it could end
    its kernels) may have given out: what those kernels left would otherwise run on."""
    if can_switch_user():
        for slot in range(16):
            end_kernel_user(_kernel_uid_of(grader_pid, slot), None)


# ---- the launcher ------------------------------------------------------------------------------

def _apply_limits(limits, own_uid):
    import resource

    caps = {
        resource.RLIMIT_AS: limits.get("address_space_bytes"),
        resource.RLIMIT_CPU: limits.get("cpu_seconds"),
        resource.RLIMIT_FSIZE: limits.get("file_size_bytes"),
        resource.RLIMIT_NOFILE: limits.get("open_files"),
    }
    if own_uid:  # the count is per user: only a user id of the kernel's own makes it the kernel's
        caps[resource.RLIMIT_NPROC] = limits.get("processes")
    for which, value in caps.items():
        if not value:
            continue
        try:
            _, hard = resource.getrlimit(which)
            value = int(value) if hard == resource.RLIM_INFINITY else min(int(value), hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):  # not every OS lets every limit be set (macOS: RLIMIT_AS)
            pass


def _die_with_parent():
    """Ask Linux to kill this process (and so the kernel or bubblewrap it becomes) when the
    grader dies, and exit at once if the grader is already gone.

    The setting survives ``exec``. Bubblewrap's own ``--die-with-parent`` is set only once
    bubblewrap runs: a grader killed while this launcher starts would otherwise leave an
    orphaned sandbox behind.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    grader = os.environ.get("JPY_PARENT_PID", "")
    if grader.isdigit() and os.getppid() != int(grader):
        os._exit(1)                    # the grader died before the prctl: nobody to serve


_PR_SET_KEEPCAPS, _PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE = 8, 38, 47, 2
_CAP_DAC_READ_SEARCH = 2
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


def _checked(result, what):
    """Raise OSError when a libc call (through ctypes) returned non-zero."""
    if result != 0:
        import ctypes

        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def become(uid, keep_read_search=False):
    """Switch this process to user and group ``uid`` for good, with no supplementary groups
    and ``no_new_privs`` (a setuid program cannot give root back).

    ``keep_read_search`` keeps ``CAP_DAC_READ_SEARCH`` through the next ``exec`` (as an
    ambient capability): the process reads every file, as root did, but writes only as ``uid``.

    Raises
    ------
    OSError
        When any step fails: the caller must not start the kernel then.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if keep_read_search:  # keep the permitted capabilities through setuid, to pick one
        _checked(libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)")
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if keep_read_search:
        bit = 1 << _CAP_DAC_READ_SEARCH
        header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
        data = (ctypes.c_uint32 * 6)(bit, bit, bit, 0, 0, 0)  # effective, permitted, inheritable
        _checked(libc.capset(header, data), "capset")
        _checked(libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0),
                 "prctl(PR_CAP_AMBIENT_RAISE)")
    _checked(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    if (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) != (uid,) * 4:
        raise OSError(f"still running as user {os.geteuid()} after switching to {uid}")


def _connection_dir(kernel_argv):
    for flag, value in zip(kernel_argv, kernel_argv[1:]):
        if flag == "-f":
            return str(Path(value).resolve().parent)
    return None


class _Mounts:
    """Bubblewrap's mount arguments, in order, on a root of its own (bubblewrap's fresh tmpfs:
    nothing of the host is there unless it is mounted here). Makes the folders on the way to a
    mount point itself, readable by all (bubblewrap would make them 0700, and a kernel with a
    user id of its own could not pass them)."""

    def __init__(self):
        self.args = []
        self.tmpfs_roots = [Path("/")]
        self.made = {Path("/"), Path("/dev"), Path("/proc")}  # /dev and /proc come first

    def _make_parents(self, path):
        for parent in reversed(path.parents):
            if parent not in self.made and any(root == parent or root in parent.parents
                                               for root in self.tmpfs_roots):
                self.args += ["--perms", "0755", "--dir", str(parent)]
                self.made.add(parent)

    def tmpfs(self, path, mode=0o755, size=None):
        self._make_parents(path)
        self.args += ["--size", str(int(size))] if size else []
        self.args += ["--perms", f"{mode:04o}", "--tmpfs", str(path)]
        self.tmpfs_roots.append(path)
        self.made.add(path)

    def bind(self, path, read_only=False):
        self._make_parents(path)
        self.args += ["--ro-bind" if read_only else "--bind", str(path), str(path)]
        self.made.add(path)

    def empty_file(self, path):
        self._make_parents(path)
        self.args += ["--ro-bind", "/dev/null", str(path)]


def _namespaces(uid):
    if uid is None:
        return ["--unshare-all", "--cap-drop", "ALL"]
    # No user namespace (--unshare-all would make one, holding only root): the step inside
    # needs the host's user ids, and keeps only the capabilities to switch to one.
    return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--cap-drop", "ALL", "--cap-add", "CAP_SETUID",
            "--cap-add", "CAP_SETGID"]


#: System folders every kernel reads (read-only): the C library, the loader, the shared
#: libraries numpy and matplotlib link to, fonts and time zones. /bin, /lib, /lib64 and /sbin
#: are links into /usr on a merged-/usr system and are mounted as such.
SYSTEM_FOLDERS = ("/usr",)
_SYSTEM_LINKS = ("/bin", "/lib", "/lib64", "/sbin")


def _inside(path, folders):
    return any(path == f or f in path.parents for f in folders)


def _system_mounts(mounts):
    for folder in SYSTEM_FOLDERS:
        if Path(folder).is_dir():
            mounts.bind(Path(folder), read_only=True)
    for name in _SYSTEM_LINKS:
        link = Path(name)
        if link.is_symlink():
            mounts.args += ["--symlink", os.readlink(link), str(link)]
        elif link.is_dir():
            mounts.bind(link, read_only=True)


def _sandbox_mounts(policy, cwd, connection_dir, uid):
    """Every mount of the sandbox after /dev and /proc, in order: an ALLOW-LIST.

    The root is empty; only these are mounted: the system folders (:data:`SYSTEM_FOLDERS`),
    Python and its packages and the grader's package (``policy.readable``, read-only), a
    size-capped private ``/tmp`` (``HOME`` is in it) and ``/dev/shm``, the working folder (a
    size-capped RAM disk showing this submission's files read-only) and the kernel's connection
    folder. Nothing else of the host exists inside: not the course, not the output folder, not
    an earlier run's output wherever it lies (in the repository, in ``/srv``), not ``/etc``,
    ``/home`` or ``/root``. ``policy.hidden`` covers what lies inside a mounted folder anyway
    (a course or output folder placed inside the Python environment).
    """
    del uid  # every folder made on the way is open to all: a kernel's own user id passes
    mounts = _Mounts()
    _system_mounts(mounts)
    size = policy.limits.get("tmp_bytes") if policy.size_caps else None
    mounts.tmpfs(Path("/tmp"), 0o1777, size)
    mounts.tmpfs(Path("/dev/shm"), 0o1777, size)   # joblib and multiprocessing need it
    mounts.args += ["--perms", "0777", "--dir", _KERNEL_ENV["HOME"]]
    readable = sorted({Path(p) for p in policy.readable}, key=lambda p: len(p.parts))
    system = [Path(f) for f in SYSTEM_FOLDERS]
    for path in readable:
        if not _inside(path, system) and path.is_dir():
            mounts.bind(path, read_only=True)
    for hidden in sorted({Path(h).resolve() for h in policy.hidden}, key=lambda p: len(p.parts)):
        if _inside(hidden, readable + system) and hidden != cwd and hidden not in cwd.parents:
            if hidden.is_dir():
                mounts.tmpfs(hidden)
            elif hidden.is_file():
                mounts.empty_file(hidden)
    # The working folder: a size-capped RAM disk showing the submission's files read-only.
    entries = sorted(cwd.iterdir()) if cwd.is_dir() else []
    mounts.tmpfs(cwd, 0o1777, policy.limits.get("workdir_bytes") if policy.size_caps else None)
    for entry in entries:
        mounts.bind(entry, read_only=True)
    if connection_dir:
        mounts.bind(Path(connection_dir))
    return mounts.args


def bwrap_command(policy, kernel_argv, cwd, uid=None):
    """The bubblewrap command line that runs ``kernel_argv`` in the sandbox.

    With ``uid``, the kernel is started through :func:`become` inside the sandbox, and folders
    that user could not pass on the way to Python are replaced by empty ones.
    """
    cwd = Path(cwd).resolve()
    connection_dir = _connection_dir(kernel_argv)
    command = [policy.bwrap or "bwrap", *_namespaces(uid), "--die-with-parent", "--new-session",
               "--dev", "/dev", "--proc", "/proc",
               *_sandbox_mounts(policy, cwd, connection_dir, uid)]
    # a fixed environment: nothing of the grader's own (tokens, credentials) reaches the kernel
    command += ["--clearenv"]
    for key in _PASSED_ENV:
        if key in os.environ:
            command += ["--setenv", key, os.environ[key]]
    for key, value in _KERNEL_ENV.items():
        command += ["--setenv", key, value]
    command += ["--chdir", str(cwd), "--"]
    if uid is not None:  # this file as a script: the standard library only, no site
        command += [sys.executable, "-I", "-S", str(Path(__file__).resolve()), "--become",
                    str(uid), "--"]
    return command + list(kernel_argv)


def _kernel_uid(policy):
    """The user id the kernel manager gave this kernel, if the policy uses one."""
    value = os.environ.pop(UID_ENV, "")
    if not policy.own_uid or not value.isdigit() or int(value) < KERNEL_UID_BASE:
        return None
    if os.geteuid() != 0:
        raise SystemExit(f"autograder sandbox: the policy gives kernels a user id of their own, "
                         f"but this launcher runs as user {os.geteuid()}, not root")
    return int(value)


def _hand_over(uid, cwd, connection_dir):
    """Give the kernel's user what it must write (its working folder and connection folder)."""
    if not connection_dir or not os.path.basename(connection_dir).startswith("kernel-"):
        raise SystemExit("autograder sandbox: a kernel with a user id of its own needs its "
                         "connection file in a folder of its own (SandboxKernelManager makes "
                         f"one); got {connection_dir!r}")
    for path in [connection_dir, *Path(connection_dir).iterdir()]:
        os.chown(path, uid, uid)
    if cwd is not None:
        os.chown(cwd, uid, uid)


def _private_home(uid):
    """``HOME`` and the caches of a kernel with a user id of its own but no private /tmp.

    A new folder in ``/tmp``, which every user may enter: IPython and matplotlib test their
    folders with ``access()``, which ignores capabilities, so a folder below one that only root
    may enter would count as not writable (and matplotlib says so on stderr, in a cell: 0
    points). It belongs to the kernel's user, so it is deleted with the kernel's other files.
    """
    import tempfile

    home = tempfile.mkdtemp(prefix=f"kernel-home-{uid}-", dir="/tmp")
    os.chown(home, uid, uid)
    return {"HOME": home, "IPYTHONDIR": os.path.join(home, ".ipython"),
            "MPLCONFIGDIR": os.path.join(home, ".matplotlib")}


def launch(policy_path, kernel_argv):
    """Become the sandboxed kernel (never returns on success)."""
    policy = Policy(**json.loads(Path(policy_path).read_text()))
    cwd = os.getcwd()
    if policy.kernel_log:
        log = os.open(policy.kernel_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    uid = _kernel_uid(policy)
    connection_dir = _connection_dir(kernel_argv)
    print(f"autograder sandbox: {policy.mode}, user id {uid if uid is not None else os.geteuid()}"
          f", {cwd}", flush=True)
    _apply_limits(policy.limits, own_uid=uid is not None)
    _die_with_parent()
    if policy.mode == "bubblewrap":
        if uid is not None:
            _hand_over(uid, None, connection_dir)  # the working folder is a RAM disk inside
        command = bwrap_command(policy, kernel_argv, cwd, uid)
    else:
        for key, value in _KERNEL_ENV.items():
            if key not in ("HOME", "IPYTHONDIR", "MPLCONFIGDIR"):
                os.environ[key] = value
        for key in [k for k in os.environ if k.startswith("AUTOGRADER_")]:
            del os.environ[key]   # the verifier's secret (AUTOGRADER_VERIFY_SECRET) stays out
        if uid is not None:
            _hand_over(uid, cwd, connection_dir)
            os.environ.update(_private_home(uid))
            become(uid, keep_read_search=True)
        command = list(kernel_argv)
    sys.stdout.flush()
    os.execvp(command[0], command)


def _become_and_exec(uid, kernel_argv):
    """Inside bubblewrap: switch to the kernel's user id, then become the kernel."""
    try:
        become(uid)
    except OSError as error:
        print(f"autograder sandbox: could not switch to user {uid}: {error}", file=sys.stderr)
        return 1
    os.execvp(kernel_argv[0], kernel_argv)


_USAGE = """usage: python -m autograder.pipeline.sandbox POLICY.json -- KERNEL-COMMAND...
       python -I -S sandbox.py --become UID -- KERNEL-COMMAND...   (inside bubblewrap)"""


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) >= 4 and argv[0] == "--become" and argv[1].isdigit() and argv[2] == "--":
        return _become_and_exec(int(argv[1]), argv[3:])
    if len(argv) >= 3 and argv[1] == "--" and not argv[0].startswith("-"):
        launch(argv[0], argv[2:])
        return 1  # not reached: launch() becomes the kernel
    print(_USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
