"""Ending all of a sandbox's processes (autograder.sandbox.reaper)."""
import os
import subprocess
import time

import pytest

from autograder.sandbox import launch, reaper, users
from autograder.sandbox.policy import Policy

from sandbox_helpers import python_for_any_user

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

DAEMON = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        open("daemon-ready", "w").close()   # the grandchild exists: the daemon has left
        time.sleep(60)
    os._exit(0)
time.sleep(60)
"""


def _wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _start_daemonising_sandbox(tmp_path, uid):
    # a pid is reused once its process has ended, and with it the ids derived from it: a stray
    # of an earlier run under this id would be counted below, so it goes first
    reaper.kill_user(uid)
    assert _wait_for(lambda: reaper.processes_of(uid) == [])
    (tmp_path / "package").mkdir(parents=True)
    policy = Policy(mode="rlimits", own_uid=True).write(tmp_path / "policy.json")
    os.chown(tmp_path, uid, uid)
    command = launch.command(policy, [python_for_any_user(), "-I", "-S", "-c", DAEMON],
                             verifier_package=tmp_path / "package")
    process = subprocess.Popen(command, cwd=tmp_path, start_new_session=True,
                               env={"PATH": "/usr/bin:/bin", users.UID_ENV: str(uid)})
    # the sandbox and its daemon (the session leader between them exits at once); a loaded
    # machine (the whole suite on two cores) may take several seconds to start them. Two
    # processes alone may still be the sandbox and the leader before it forked the daemon
    # (a clean clone's run once killed them both there): the daemon says when it is up.
    assert _wait_for(lambda: (tmp_path / "daemon-ready").exists() and
                     len(reaper.processes_of(uid)) == 2, seconds=30.0), \
        reaper.processes_of(uid)
    return process


def test_does_ending_a_sandbox_reach_a_double_forked_daemon(tmp_path):
    """A daemon that left the sandbox's session is ended with it (by its user id); with the
    process group alone (the method this replaced without a PID namespace) it survives."""
    if not ROOT:
        pytest.skip("a user id per sandbox needs a root grader")
    uid = users.new_uid()
    process = _start_daemonising_sandbox(tmp_path / "by-uid", uid)
    reaper.end_group(process, uid)
    assert _wait_for(lambda: reaper.processes_of(uid) == [])

    uid = users.new_uid()
    process = _start_daemonising_sandbox(tmp_path / "by-group", uid)
    try:
        reaper.end_group(process, None)          # the process group only
        time.sleep(0.2)
        assert len(reaper.processes_of(uid)) == 1, "the daemon should have survived"
    finally:
        reaper.kill_user(uid)
    assert _wait_for(lambda: reaper.processes_of(uid) == [])


def test_is_no_real_account_ever_killed():
    """kill_user and end_user refuse an id that is not a sandbox's (root, an account)."""
    for uid in (None, 0, os.getuid(), 1000):
        reaper.kill_user(uid)
        reaper.end_user(uid, None)
        assert reaper.kill_strays(uid) == 0
    assert os.getpid() in reaper.processes_of(os.getuid())
