"""Resource abuse in a grading kernel (issue 5, threat 8): a fork bomb, a disk fill, a giant output.

The slow tests grade three lesson-01 submissions, each the solved notebook with one answer
replaced by an abuse, in ONE run of ``python -m autograder grade`` with two workers, and check
what each costs: only the points of the tests that need the abusive answer, with a status that
says what happened; the run completes; nothing of a kernel's user id outlives the run; the host's
``/tmp`` does not fill. One more slow test runs a fork bomb in a kernel without bubblewrap.

The fast tests check the pieces: the user ids, the bubblewrap command line, and that killing a
kernel's user id reaches processes that left its session.

The abuses guard themselves: the fork bomb runs only under a process cap, and the disk fill
writes only into size-capped folders, so a broken sandbox fails these tests instead of hurting
the machine.
"""
import ast
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from autograder.sandbox import launch, mounts, reaper, users
from autograder.sandbox.detect import detect
from autograder.sandbox.policy import PROFILES, Policy, python_paths
from layout import REPO
from sandbox_helpers import PEEK

LESSON = "01_single_neuron"
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
#: Marks the disk fill's files, so that the host's /tmp can be searched for them.
TOKEN = uuid.uuid4().hex[:10]

FORK_BOMB = """
import os
import resource
if not 0 < resource.getrlimit(resource.RLIMIT_NPROC)[0] <= 1024:
    raise RuntimeError("no process cap here: the fork bomb was not run")
while True:              # every process forks again, for ever
    try:
        os.fork()
    except OSError:      # at the cap: carry on
        pass
"""

DISK_FILL = f"""
import os
import shutil
written = {{}}
for folder in [".", "/tmp", os.path.expanduser("~")]:
    if shutil.disk_usage(folder).total > 2 ** 30:
        written[folder] = "not size-capped: not filled"
        continue
    written[folder] = 0
    try:
        for i in range(10_000):              # 80 GB: until something stops it
            with open(os.path.join(folder, f"abuse-{TOKEN}-{{i}}.bin"), "wb") as out:
                for _ in range(8):
                    out.write(b"x" * 2 ** 20)
                    written[folder] += 1
    except OSError:
        pass
raise OSError(f"MiB written: {{written}}")
"""

#: No answer, and 50 MB printed in one line when the answer cell runs (once).
GIANT_OUTPUT = "return None", 'print("x" * 50_000_000)'

#: student -> (the function whose answer is replaced, its new body and the code that follows
#: the function in the answer cell, the status of the function's grade cells)
ABUSES = {
    "fork_bomb": ("neuron_sgd_step", (FORK_BOMB, ""), "kernel died"),
    "disk_fill": ("neuron_gd_step", (DISK_FILL, ""), "failed"),
    "giant_output": ("gradient_descent_1d", GIANT_OUTPUT, "failed"),
}


def _unavailable(reason):
    """Skip locally; under CI, where the machine is set up for these tests, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI runs the tests as root, with bubblewrap)", pytrace=False)
    pytest.skip(reason)


def _abusive_notebook(function, body, after):
    """The solved lesson whose answer cell for ``function`` is its ``def`` line, ``body`` and
    then ``after`` (top-level code)."""
    nb = nbformat.read(REPO / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function)
    definition = cell.source.splitlines()[0]
    cell.source = definition + "\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
    cell.source += f"\n\n\n{after}\n" if after else "\n"
    return nbformat.writes(nb)


def _grade_cells():
    """``{grade_id: points}`` of the lesson's autograded (code) test cells."""
    nb = nbformat.read(REPO / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
            for c in nb.cells if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade")}


def _tests_of(function):
    return {grade_id for grade_id in _grade_cells() if grade_id.startswith(function + "_")}


class _LowestFreeSpace:
    """The least free space on the host's /tmp while a block runs (sampled every 0.2 s)."""

    def __enter__(self):
        self.start = self.lowest = shutil.disk_usage("/tmp").free
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.2):
            self.lowest = min(self.lowest, shutil.disk_usage("/tmp").free)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The three abusive submissions graded in one run with two workers."""
    root = tmp_path_factory.mktemp("abuse")
    for student, (function, (body, after), _) in ABUSES.items():
        folder = root / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        (folder / f"{LESSON}.ipynb").write_text(_abusive_notebook(function, body, after))
    out = root / "out"
    started = time.monotonic()
    with _LowestFreeSpace() as space:
        result = subprocess.run(
            [sys.executable, "-m", "autograder", "grade", str(root / "submitted"), "--out",
             str(out), "--workers", "2", "--no-verify"],
            cwd=REPO, capture_output=True, text=True)
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\nabuse run: {time.monotonic() - started:.0f} s; host /tmp free space dropped by at "
          f"most {(space.start - space.lowest) / 2 ** 20:.0f} MiB; peak memory of a process of "
          f"the run {peak:.0f} MiB")
    return out, result, space


def _scores(out):
    import csv

    with open(out / "scores.csv", newline="") as handle:
        return {(r["student_id"], r["grade_id"]): (float(r["score"]), float(r["max_score"]),
                                                    r["status"]) for r in csv.DictReader(handle)}


def _autograded(out, student):
    return nbformat.read(out / "nbgrader" / "autograded" / student / LESSON / f"{LESSON}.ipynb",
                         as_version=4)


def _kernel_uids(out):
    """User ids the run's kernels ran under, from the launcher's line in the kernel log."""
    log = (out / "nbgrader" / ".autograder" / "kernels.log").read_text()
    return [int(uid) for uid in re.findall(r"autograder sandbox: \w+, user id (\d+),", log)]


@pytest.mark.slow
def test_the_run_completes_and_each_abuse_costs_only_its_own_tests(graded):
    """Does the run exit 0, does each abusive answer lose exactly the points of its own tests
    (fork bomb: "kernel died"; disk fill and giant output: "failed"), and does every other test
    of the same notebook keep its points?"""
    out, result, _ = graded
    assert result.returncode == 0, result.stdout + result.stderr
    scores = _scores(out)
    for student, (function, _, status) in ABUSES.items():
        for grade_id, points in _grade_cells().items():
            score, max_score, got = scores[student, grade_id]
            if grade_id in _tests_of(function):
                assert (score, got) == (0, status), (student, grade_id, got)
            else:
                assert (score, max_score, got) == (points, points, "passed"), \
                    (student, grade_id, got)


@pytest.mark.slow
def test_the_disk_fill_stops_at_the_size_caps(graded):
    """Did the disk fill's writes into its working folder, /tmp and HOME stop at the caps (64
    MiB each, /tmp and HOME sharing one), leave nothing in the working folder on the host, and
    leave the host's /tmp free space (sampled during the run) as it was?"""
    if detect("auto").mode != "bubblewrap":
        _unavailable("bubblewrap is not used here: the disk fill is not size-capped")
    out, _, space = graded
    cell = next(c for c in _autograded(out, "disk_fill").cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "neuron_gd_step_shape")
    message = " ".join(o.get("evalue", "") for o in cell.outputs if o.output_type == "error")
    written = re.search(r"MiB written: (\{.*?\})", message)
    assert written, message
    counts = ast.literal_eval(written.group(1))
    cap = PROFILES["kernel"]["tmp_bytes"] // 2 ** 20
    assert all(isinstance(n, int) and n <= cap for n in counts.values()), counts
    assert counts["."] > 0 and counts["/tmp"] > 0, counts   # it did write, up to the cap
    on_host = [p for p in (out / "nbgrader").rglob(f"abuse-{TOKEN}-*")] + \
        list(Path("/tmp").glob(f"abuse-{TOKEN}-*"))
    assert on_host == []
    assert space.start - space.lowest < 2 * 2 ** 30


@pytest.mark.slow
def test_the_giant_output_is_capped_and_does_not_stop_the_run(graded):
    """Does a cell that prints 50 MB leave the rest of the run intact, with its output cut at
    the per-cell cap (and a note saying so) in the autograded notebook and the feedback page?"""
    from autograder.pipeline.outputs import PER_CELL_BYTES

    out, result, _ = graded
    assert result.returncode == 0
    notebook = out / "nbgrader" / "autograded" / "giant_output" / LESSON / f"{LESSON}.ipynb"
    feedback = out / "feedback" / "giant_output" / f"{LESSON}.html"
    print(f"\ngiant output: autograded notebook {notebook.stat().st_size / 1e6:.1f} MB, "
          f"feedback page {feedback.stat().st_size / 1e6:.1f} MB")
    assert feedback.is_file()
    assert notebook.stat().st_size < 3 * PER_CELL_BYTES
    assert feedback.stat().st_size < 4 * PER_CELL_BYTES
    assert "[output truncated: this cell printed more than" in feedback.read_text()


@pytest.mark.slow
def test_no_process_of_a_kernels_user_id_survives(graded):
    """Did every kernel of the run (the fork bomb's replaced ones too) run under a user id of
    its own, distinct from every other kernel's, and is no process of any of those ids alive
    after the run?"""
    if not ROOT:
        _unavailable("not root: kernels keep the grader's user id")
    out, _, _ = graded
    uids = _kernel_uids(out)
    # a probe kernel, one per submission, and one more per cell that took a kernel down
    assert len(uids) >= 1 + len(ABUSES) + len(_tests_of("neuron_sgd_step")), uids
    assert len(set(uids)) == len(uids)
    assert all(users.is_sandbox_uid(uid) for uid in uids)
    assert {uid: reaper.processes_of(uid) for uid in uids if reaper.processes_of(uid)} == {}


@pytest.mark.slow
def _rlimits_client(tmp_path, monkeypatch, cells, timeout, **manager_config):
    """``(client, work, runtime)``: an nbclient client for ``cells`` whose kernel runs under
    resource limits only (no bubblewrap), through the grading kernel manager, with its own user
    id; ``manager_config`` sets traits of SandboxKernelManager."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    from autograder.pipeline.kernel_manager import SandboxKernelManager

    work = tmp_path / "work"
    work.mkdir()
    Policy(mode="rlimits", kernel_log=str(tmp_path / "kernels.log")).write(
        tmp_path / "policy.json")
    launch.write_kernelspec(tmp_path / "jupyter" / "kernels", tmp_path / "policy.json")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    # a short folder: a kernel's ipc socket path must fit in 107 bytes, which pytest-xdist's
    # tmp_path (".../popen-gw0/test_without_...") can exceed
    runtime = Path(tempfile.mkdtemp(prefix="rt-", dir="/tmp"))
    runtime.chmod(tmp_path.stat().st_mode & 0o777)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    config = Config()
    config.KernelManager.transport = "ipc"
    for name, value in manager_config.items():
        setattr(config.SandboxKernelManager, name, value)
    client = NotebookClient(nb, timeout=timeout, kernel_name=launch.KERNEL_NAME,
                            allow_errors=True, shutdown_kernel="immediate",
                            kernel_manager_class=SandboxKernelManager, config=config,
                            resources={"metadata": {"path": str(work)}})
    client.km = client.create_kernel_manager()
    return client, work, runtime


def test_without_bubblewrap_a_fork_bomb_is_stopped_and_cleaned_up(tmp_path, monkeypatch):
    """With resource limits only (no PID namespace), is a fork bomb killed within seconds, is no
    process of its kernel's user id left, and are the files it wrote into the host's /tmp and
    its working folder deleted, the working folder given back to the grader?"""
    if not ROOT:
        _unavailable("not root: kernels keep the grader's user id, without a process cap")
    marker = f"/tmp/abuse-{TOKEN}-rlimits"
    cells = [f"open({marker!r}, 'w').write('x')\nopen('mine.txt', 'w').write('x')\n"
             "import os\nprint(os.getuid())",
             textwrap.dedent(FORK_BOMB)]
    client, work, runtime = _rlimits_client(tmp_path, monkeypatch, cells, timeout=60)
    nb = client.nb
    uid = client.km.kernel_uid
    started = time.monotonic()
    from nbclient.exceptions import DeadKernelError

    with pytest.raises(DeadKernelError):
        client.execute()
    assert time.monotonic() - started < 30
    assert nb.cells[0].outputs[0].text.strip() == str(uid)
    assert reaper.processes_of(uid) == []
    assert not Path(marker).exists() and not (work / "mine.txt").exists()
    assert work.stat().st_uid == os.getuid()
    shutil.rmtree(runtime, ignore_errors=True)


MEMORY_CHILDREN = """
import os, time
for _ in range(4):
    if os.fork() == 0:
        block = bytearray(120 * 2 ** 20)          # 120 MiB each, touched: resident
        time.sleep(30)
        os._exit(0)
time.sleep(30)
"""


@pytest.mark.parametrize("watched", [True, False])
def test_is_the_memory_of_a_kernels_processes_capped_together(tmp_path, monkeypatch, watched):
    """Red team round 5: the address-space limit is per process, so ten forked children of
    1 GB each took 10 GiB. The kernel's watchdog adds up its processes' resident memory and
    kills the kernel past the limit (here 256 MiB: four children of 120 MiB pass each
    process's limit but not the sum). Without the watch (the parametrised control) the same
    cell runs to its end: the test sees the difference."""
    if not ROOT:
        _unavailable("not root: kernels keep the grader's user id, without a watchdog")
    from nbclient.exceptions import DeadKernelError

    client, _, runtime = _rlimits_client(
        tmp_path, monkeypatch, [MEMORY_CHILDREN], timeout=8,
        max_memory_bytes=256 * 2 ** 20 if watched else 2 ** 40)
    km = client.km
    uid = km.kernel_uid
    started = time.monotonic()
    try:
        if watched:
            with pytest.raises(DeadKernelError):
                client.execute()
            assert time.monotonic() - started < 8
            assert "MiB of memory" in km.killed_because
        else:
            with pytest.raises(Exception):      # the cell runs into its 8 s time limit
                client.execute()
            assert not km.killed_because
    finally:
        reaper.kill_user(uid)
        shutil.rmtree(runtime, ignore_errors=True)


# ---- the pieces -----------------------------------------------------------------------------

def test_the_bubblewrap_command_switches_user_inside_and_caps_what_it_writes(tmp_path):
    """With a user id: no user namespace (it would hold only root), only the capabilities to
    switch user, the switch as the last step before the kernel, size-capped /tmp, /dev/shm and
    working folder (the submission's files read-only in it), and Python, in a folder other
    users may not enter, mounted back with every folder on the way open to all?"""
    locked = tmp_path / "locked"
    python = locked / "pyenv" / "3.11"
    python.mkdir(parents=True)
    locked.chmod(0o700)
    hidden, work = tmp_path / "course", tmp_path / "course" / "s"
    runtime = tmp_path / "rt" / "kernel-1"
    for folder in (work, runtime):
        folder.mkdir(parents=True)
    (work / "lesson.ipynb").write_text("{}")
    policy = Policy(mode="bubblewrap", bwrap="bwrap", hidden=(str(hidden),),
                    readable=(str(python),), size_caps=True)
    kernel = ["python", "-m", "ipykernel_launcher", "-f", str(runtime / "kernel.json")]
    uid = users.UID_BASE + 5
    command = launch.bwrap_command(policy, kernel, work, uid=uid)
    text = " ".join(command)
    assert "--unshare-all" not in command and "--unshare-pid" in command
    assert "--cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID" in text
    become = command.index("--become")
    assert command[become + 1:] == [str(uid), "--", *kernel]
    size = str(PROFILES["kernel"]["tmp_bytes"])
    assert f"--size {size} --perms 1777 --tmpfs /tmp" in text
    assert f"--size {size} --perms 1777 --tmpfs /dev/shm" in text
    assert f"--perms 1777 --tmpfs {work}" in text
    assert f"--ro-bind {work / 'lesson.ipynb'} {work / 'lesson.ipynb'}" in text
    assert f"--bind {work} {work}" not in text      # the host's folder is not writable
    assert f"--bind {runtime} {runtime}" in text
    for folder in (locked, locked / "pyenv"):
        assert text.index(f"--perms 0755 --dir {folder} ") < \
            text.index(f"--ro-bind {python} {python}")
    # without a user id nothing changes hands: every namespace, no capability at all
    plain = launch.bwrap_command(policy, kernel, work)
    assert "--unshare-all" in plain and "--become" not in plain and "CAP_SETUID" not in plain



def _bubblewrap_or_skip():
    found = detect("auto")
    if found.mode != "bubblewrap":
        if os.environ.get("CI"):
            pytest.fail(f"bubblewrap is not usable: {found.reason}")
        pytest.skip(f"bubblewrap is not usable: {found.reason}")
    return found.bwrap


def _peek_from_a_kernel_sandbox(policy, work, paths, uid=None):
    command = launch.bwrap_command(policy, [sys.executable, "-I", "-c", PEEK, *map(str, paths)],
                                   work, uid=uid)
    result = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture()
def earlier_runs(tmp_path):
    """Output folders of earlier runs where they really lie: ``grading-output/`` in the
    repository (``make grade``) and another section's run in /srv; plus the host's own files."""
    token = uuid.uuid4().hex[:8]
    folders = [REPO / f"grading-output-{token}", Path(f"/srv/other-section-{token}")]
    secrets = []
    for folder in folders:
        (folder / "nbgrader").mkdir(parents=True)
        for name in ("scores.csv", "nbgrader/gradebook.db"):
            (folder / name).write_text("alice,01,16\n")
            (folder / name).chmod(0o644)
            secrets.append(folder / name)
    work = tmp_path / "course" / "autograded" / "alice" / LESSON
    work.mkdir(parents=True)
    (work / f"{LESSON}.ipynb").write_text("{}")
    host = [REPO / "course" / "source" / LESSON / f"{LESSON}.py", REPO / ".git" / "HEAD",
            REPO / "solutions" / LESSON / f"{LESSON}.ipynb", Path("/etc/hostname"),
            tmp_path / "course" / "gradebook.db"]
    (tmp_path / "course" / "gradebook.db").write_text("x")
    yield work, secrets + [p for p in host if p.exists()]
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("own_uid", [False, True], ids=["root-kernel", "kernel-uid"])
def test_does_a_kernel_see_nothing_of_the_disk_but_its_allow_list(earlier_runs, own_uid):
    """Issue 12, hole 2: earlier runs' output folders (in the repository, in /srv), the course,
    the solutions, the repository's history and /etc do not exist in a kernel's sandbox, wherever
    they are, although nothing names them in the policy; the submission's own files and Python
    do."""
    if own_uid and not ROOT:
        pytest.skip("a user id per kernel needs a root grader")
    bwrap = _bubblewrap_or_skip()
    work, secrets = earlier_runs
    policy = Policy(mode="bubblewrap", bwrap=bwrap)   # hidden: nothing at all
    uid = users.UID_BASE + 9 if own_uid else None
    found = _peek_from_a_kernel_sandbox(policy, work, [*secrets, work / f"{LESSON}.ipynb"], uid)
    assert found.pop(str(work / f"{LESSON}.ipynb")) == "READABLE"
    assert found == {str(path): "FileNotFoundError" for path in secrets}


def test_would_the_allow_list_test_see_a_deny_list_sandbox_leak(earlier_runs, monkeypatch):
    """The protection bites: with the host's root mounted (the old deny-list design), the same
    probe reads the earlier runs' files."""
    bwrap = _bubblewrap_or_skip()
    work, secrets = earlier_runs

    def whole_host(self):   # what the kernel sandbox mounted before issue 12
        self.args += ["--ro-bind", "/", "/"]

    monkeypatch.setattr(mounts.Mounts, "system", whole_host)
    # Files under /tmp stay out even so (the sandbox's /tmp is its own), and the repository
    # may be a clone in /tmp: probe the earlier runs that lie elsewhere.
    outside_tmp = [path for path in secrets[:4] if Path("/tmp") not in path.parents]
    assert outside_tmp, secrets[:4]
    found = _peek_from_a_kernel_sandbox(Policy(mode="bubblewrap", bwrap=bwrap), work,
                                        outside_tmp)
    assert list(found.values()) == ["READABLE"] * len(outside_tmp)


def test_does_a_pythonpath_holding_the_repository_mount_only_the_package(monkeypatch):
    """A PYTHONPATH entry that contains the package (the repository's root) must not mount the
    whole repository (its course, solutions and output folders) into the kernel."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    paths = python_paths()
    assert str(REPO) not in paths
    assert str(REPO / "autograder") in paths


def _spawn_as(uid, *command):
    """Start ``command`` as ``uid`` in a new session; returns the Popen."""
    return subprocess.Popen(list(command), user=uid, group=uid, extra_groups=[],
                            start_new_session=True)


def _wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_killing_a_kernel_user_reaches_processes_that_left_its_session():
    """Does kill_strays end every process of a kernel's user id but the oldest (the kernel,
    which goes on running), an orphan in a session of its own included, and kill_user the
    kernel too?"""
    if not ROOT:
        _unavailable("not root: processes cannot be started under another user id")
    uid = users.new_uid()
    kernel = _spawn_as(uid, "sleep", "60")
    time.sleep(0.05)  # the kernel is the oldest process of its user id
    child = _spawn_as(uid, "sleep", "60")
    _spawn_as(uid, "setsid", "-f", "sleep", "60").wait()  # leaves an orphan, own session
    try:
        assert _wait_for(lambda: len(reaper.processes_of(uid)) == 3)  # all three are seen
        assert reaper.kill_strays(uid) == 2
        assert _wait_for(lambda: reaper.processes_of(uid) == [kernel.pid])
        state = Path(f"/proc/{kernel.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        assert state != "T"                                # let go on, not left stopped
        reaper.kill_user(uid)
        assert _wait_for(lambda: reaper.processes_of(uid) == [])
    finally:
        reaper.kill_user(uid)
        for process in (kernel, child):
            process.wait()


def test_a_kernel_without_bubblewrap_reads_as_root_but_writes_as_its_own_user(tmp_path):
    """After become(uid, keep_read_search=True), can the process read a file only root may
    read, but not write next to it, and not regain root through exec?"""
    if not ROOT:
        _unavailable("not root: there is no other user id to become")
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("only root")
    secret.parent.chmod(0o700)
    secret.chmod(0o600)
    uid = users.new_uid()
    inside = "\n".join([
        "import os",
        f"print(os.getuid(), open({str(secret)!r}).read())",
        "try:",
        f"    open({str(secret.parent / 'new.txt')!r}, 'w')",
        "    print('wrote')",
        "except PermissionError:",
        "    print('cannot write')",
    ])
    probe = "\n".join([
        "import os, sys",
        "from autograder.sandbox.become import become",
        f"become({uid}, keep_read_search=True)",
        f"os.execv(sys.executable, [sys.executable, '-I', '-S', '-c', {inside!r}])",
    ])
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.stdout.split("\n")[:2] == [f"{uid} only root", "cannot write"], \
        result.stdout + result.stderr


def test_does_the_output_cap_keep_a_cells_first_bytes_and_a_note_and_drop_the_rest():
    """Per cell and per notebook; error outputs are kept (a grade cell's status is read from
    them) but shortened; a cleared output counts afresh."""
    from autograder.pipeline.outputs import OutputCap

    def stream(text):
        return {"msg_type": "stream", "content": {"name": "stdout", "text": text}}

    cap, outs = OutputCap(per_cell=100, per_notebook=250), []
    assert cap.admit(0, stream("x" * 60), outs) and cap.admit(0, stream("x" * 40), outs)
    assert not cap.admit(0, stream("y"), outs) and not cap.admit(0, stream("y"), outs)
    assert len(outs) == 1 and "output truncated" in outs[0]["text"]          # one note
    error = {"msg_type": "error", "content": {"ename": "E", "evalue": "v" * 1000,
                                              "traceback": ["t" * 1000] * 5}}
    assert cap.admit(0, error, outs)
    assert len(error["content"]["evalue"]) <= 25 and len(error["content"]["traceback"]) <= 2
    assert cap.admit(1, stream("z" * 100, ), []) and not cap.admit(2, stream("z" * 60), [])
    cap.cleared(1)                                                           # notebook total
    assert cap.admit(2, stream("z" * 60), [])


def test_are_display_updates_counted_by_the_output_cap():
    """Red team round 5: nbclient applies ``update_display_data`` to the earlier outputs in
    place, never through ``output()``; 500 displays updated with 1 MB each kept 512 MB. Each
    update is charged the growth of the outputs it replaces, and refused past the cap."""
    from autograder.pipeline.outputs import OutputCap

    def display(size, metadata=None):
        return {"msg_type": "display_data",
                "content": {"data": {"text/plain": "d" * size}, "metadata": metadata or {}}}

    cap = OutputCap(per_cell=1000, per_notebook=1500)
    cells = {0: [], 1: []}
    for cell in (0, 1):
        assert cap.admit(cell, display(10), cells[cell])
        cells[cell].append({"output_type": "display_data", "data": {"text/plain": "d" * 10},
                            "metadata": {}})
    assert cap.admit_update({0: [0]}, display(900), cells.get)          # grows by 890: fits
    cells[0][0]["data"] = {"text/plain": "d" * 900}
    assert not cap.admit_update({0: [0]}, display(1100), cells.get)     # over the cell's cap
    assert "output truncated" in cells[0][-1]["text"]
    assert cap.admit_update({0: [0]}, display(100), cells.get)          # shrinking is fine
    cells[0][0]["data"] = {"text/plain": "d" * 100}
    assert not cap.admit_update({1: [0]}, display(50, {"x": "m" * 2000}), cells.get)  # metadata
    assert cap.total <= 1500


def test_does_a_run_of_display_updates_stay_under_the_cap(tmp_path):
    """The executor itself: 40 displays with ids, each updated with 100 kB, in a real kernel,
    keep the notebook's output near the per-cell cap instead of 4 MB."""
    import nbformat

    from autograder.pipeline.outputs import PER_CELL_BYTES
    from autograder.pipeline.preprocessors import SafeExecute
    from jupyter_client.manager import KernelManager

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from IPython.display import display, update_display\n"
                                  "for i in range(40):\n    display('x', display_id=f'd{i}')"),
        nbformat.v4.new_code_cell("for i in range(40):\n"
                                  "    update_display('y' * 100_000, display_id=f'd{i}')")])
    executor = SafeExecute(timeout=60, kernel_manager_class=KernelManager)
    executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    size = len(nbformat.writes(nb))
    assert size < 2 * PER_CELL_BYTES, size
    assert any("output truncated" in o.get("text", "") for c in nb.cells for o in c.outputs)


def test_does_a_notebook_of_many_slow_cells_stop_at_its_time_budget(tmp_path):
    """Red team round 5: cells that each sleep just under the time limit held a worker for as
    long as the pool's deadline allows (650 cells: 1 h 43 min). The executor gives a notebook a
    budget for all its cells; the cells after it are not run, and say why."""
    import nbformat

    from autograder.pipeline.preprocessors import (BUDGET_CELLS, BUDGET_FLOOR, NOT_RUN_ENAME,
                                                   SafeExecute, notebook_budget)
    from jupyter_client.manager import KernelManager

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time")] + [
        nbformat.v4.new_code_cell("time.sleep(0.5)") for _ in range(12)])
    executor = SafeExecute(timeout=5, notebook_seconds=2, kernel_manager_class=KernelManager)
    started = time.monotonic()
    executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert time.monotonic() - started < 15
    stopped = [c for c in nb.cells if c.outputs and c.outputs[0].get("ename") == NOT_RUN_ENAME]
    assert 5 <= len(stopped) <= 10 and "grading time" in stopped[0].outputs[0]["evalue"]
    # the default budget: added cells cannot buy time, a short limit still leaves the floor
    many = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("") for _ in range(650)])
    assert notebook_budget(many, 10) == 10 * (3 + BUDGET_CELLS / 4)
    assert notebook_budget(many, 2) == BUDGET_FLOOR


def test_can_a_grade_cells_value_no_longer_fail_the_run():
    """Red team round 5: ``check_exercise`` rebound to return 99 gave every grade cell an
    execute_result of 99, more than its points, and nbgrader raised on every run (exit 1). A
    grade cell's value is shown as a display, never read as partial credit."""
    import nbformat
    from nbgrader.utils import determine_grade

    from autograder.pipeline.preprocessors import no_partial_credit

    cell = nbformat.v4.new_code_cell("check_exercise(...)", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "99"}, execution_count=3)])
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 2,
                                 "grade_id": "t", "locked": True, "schema_version": 3}
    nb = nbformat.v4.new_notebook(cells=[cell])
    with pytest.raises(ValueError, match="partial credit"):
        determine_grade(nb.cells[0])            # what nbgrader did
    no_partial_credit(nb)
    assert determine_grade(nb.cells[0]) == (2.0, 2.0)
    assert nb.cells[0].outputs[0]["output_type"] == "display_data"
    nbformat.validate(nb)
