"""The run's sandbox policy (autograder.sandbox.policy): built from the command line, written
once, read by every launch."""
import pytest

from autograder.sandbox import detect as detecting
from autograder.sandbox.policy import MiB, PROFILES, Policy, from_options


def test_does_memory_reach_both_profiles_and_the_file():
    """Does ``--memory 4096`` set the address-space cap of a kernel and of a verifier session,
    and survive the trip through the policy file every launcher reads?"""
    policy = Policy(mode="rlimits", memory_mib=4096, hidden=("/srv/course",))
    for profile in PROFILES:
        assert policy.limits(profile)["address_space_bytes"] == 4096 * MiB
    assert Policy(mode="rlimits").limits("kernel")["address_space_bytes"] == 2048 * MiB
    assert Policy.from_json(policy.to_json()) == policy


def test_is_the_policy_frozen():
    """Can no caller change a policy in place (a fallback makes a new one)?"""
    policy = Policy(mode="bubblewrap", bwrap="bwrap")
    with pytest.raises(AttributeError):
        policy.mode = "rlimits"
    assert policy.replace(mode="rlimits").mode == "rlimits" and policy.mode == "bubblewrap"


def test_does_rlimits_from_the_command_line_not_look_for_bubblewrap(monkeypatch):
    """``--sandbox rlimits``: no probe of bubblewrap at all, and the reason says why."""
    monkeypatch.setattr(detecting, "_probe", lambda bwrap: pytest.fail("probed bubblewrap"))
    monkeypatch.setattr(detecting.shutil, "which", lambda name: pytest.fail("looked for it"))
    policy = from_options("rlimits", 4096, 60)
    assert (policy.mode, policy.bwrap, policy.memory_mib, policy.cell_timeout) == \
        ("rlimits", "", 4096, 60.0)
    assert "--sandbox rlimits" in policy.reason


def test_is_a_bubblewrap_that_cannot_start_an_error_when_asked_for(monkeypatch):
    """``--sandbox bubblewrap`` where it fails: an error that says why, not a quiet fallback."""
    detecting.detect.cache_clear()
    monkeypatch.setattr(detecting.shutil, "which", lambda name: None)
    monkeypatch.setattr(detecting.sys, "platform", "linux")
    try:
        with pytest.raises(RuntimeError, match="bubblewrap was asked for, but it is not inst"):
            from_options("bubblewrap")
        assert from_options("auto").mode == "rlimits"
    finally:
        detecting.detect.cache_clear()


def test_resource_limits_only_is_reported_as_such():
    """When bubblewrap is turned off, does the status say what is and is not covered?"""
    status = from_options("rlimits").status()
    assert status.mode == "rlimits"
    assert "resource limits" in status.summary and "no filesystem or network" in status.summary
    assert status.reason and "2048 MiB" in status.summary
    assert "resource limits only" in from_options("rlimits").describe()
