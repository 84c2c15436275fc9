"""Resource limits (autograder.sandbox.limits), set by the launcher in Python; each protection
shown to bite by a run without it."""
import os

import pytest

from autograder.sandbox.policy import Policy

from sandbox_helpers import run_launched

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

LIMITS = """
import json, resource
print(json.dumps({n: resource.getrlimit(getattr(resource, n)) for n in
                  ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CORE")}))
"""

MEMORY_BOMB = """
import json
try:
    block = bytearray(384 * 2 ** 20)
    print(json.dumps("allocated"))
except MemoryError:
    print(json.dumps("MemoryError"))
"""


@pytest.mark.parametrize("profile", ["kernel", "verifier"])
def test_are_the_profiles_limits_set_by_the_launcher(tmp_path, profile):
    """Does the launched process run under its profile's caps, ``--memory`` included, with
    soft = hard (it cannot raise them) and no prlimit anywhere?"""
    policy = Policy(mode="rlimits", memory_mib=1536, own_uid=False)
    seen = run_launched(policy, LIMITS, tmp_path, verifier=profile == "verifier")
    caps = policy.limits(profile)
    assert seen["RLIMIT_AS"] == [1536 * 2 ** 20] * 2
    assert seen["RLIMIT_CPU"] == [caps["cpu_seconds"]] * 2
    assert seen["RLIMIT_FSIZE"] == [caps["file_size_bytes"]] * 2
    assert seen["RLIMIT_NOFILE"] == [caps["open_files"]] * 2
    assert seen["RLIMIT_CORE"] == [0, 0]


def test_is_a_memory_bomb_stopped_by_the_cap_and_only_by_it(tmp_path):
    """384 MiB at once under a 256 MiB cap is a MemoryError; with the cap removed (0: none)
    the same allocation succeeds: the cap is what stopped it."""
    capped = Policy(mode="rlimits", memory_mib=256, own_uid=False)
    assert run_launched(capped, MEMORY_BOMB, tmp_path / "capped") == "MemoryError"
    uncapped = capped.replace(memory_mib=0)
    assert run_launched(uncapped, MEMORY_BOMB, tmp_path / "uncapped") == "allocated"


FORKS = """
import json, os, time
started = 0
for _ in range(48):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(0.5)
        os._exit(0)
    started += 1
print(json.dumps(started))
"""


def test_is_a_fork_bomb_stopped_by_the_process_cap_of_its_own_user_id(tmp_path):
    """Under a user id of its own, forking stops at the verifier's cap of 32 processes;
    without one (a root launcher) the same 48 forks all succeed: the per-user cap bites."""
    if not ROOT:
        pytest.skip("a user id per sandbox needs a root grader")
    from autograder.sandbox import reaper, users

    policy = Policy(mode="rlimits", own_uid=True)
    uid = users.new_uid()
    folder = tmp_path / "own"
    folder.mkdir()
    os.chown(folder, uid, uid)
    try:
        started = run_launched(policy, FORKS, folder, verifier=True, uid=uid)
    finally:
        reaper.kill_user(uid)
    assert started < policy.limits("verifier")["processes"]
    assert run_launched(policy.replace(own_uid=False), FORKS, tmp_path / "root",
                        verifier=True) == 48
