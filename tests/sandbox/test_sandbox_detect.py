"""Probing bubblewrap (autograder.sandbox.detect): once per process, never at import."""
import subprocess
import sys

from autograder.sandbox import detect as detecting


def test_does_importing_the_package_probe_nothing():
    """Importing the sandbox's modules and the verifier's session runs no probe (a test
    collection must not pay for one)."""
    code = ("import autograder.sandbox.detect as d, autograder.sandbox.launch, "
            "autograder.sandbox.policy, autograder.integrity.session\n"
            "print(d.detect.cache_info().misses, d.takes_size.cache_info().misses)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.split() == ["0", "0"], result.stderr


def test_is_bubblewrap_probed_once_per_process(monkeypatch):
    """Two policies, one probe: the answer is cached."""
    calls = []
    detecting.detect.cache_clear()
    monkeypatch.setattr(detecting.shutil, "which", lambda name: "/usr/bin/bwrap")
    monkeypatch.setattr(detecting.sys, "platform", "linux")
    monkeypatch.setattr(detecting, "_probe", lambda bwrap: calls.append(bwrap) or "")
    monkeypatch.setattr(detecting, "takes_size", lambda bwrap: True)
    try:
        assert detecting.detect("auto").mode == "bubblewrap"
        assert detecting.detect("auto").size_caps
        assert calls == ["/usr/bin/bwrap"]
    finally:
        detecting.detect.cache_clear()


def test_does_a_failing_probe_give_its_reason(monkeypatch):
    """A bubblewrap that does not start (no user namespaces in a container): resource limits
    only, and the reason is bubblewrap's own last line."""
    detecting.detect.cache_clear()
    monkeypatch.setattr(detecting.shutil, "which", lambda name: "/bin/false")
    monkeypatch.setattr(detecting.sys, "platform", "linux")
    try:
        found = detecting.detect("auto")
        assert found.mode == "rlimits" and "/bin/false failed here" in found.reason
    finally:
        detecting.detect.cache_clear()


def test_do_the_namespaces_follow_the_user_id():
    """Without a user id of its own: every namespace and no capability; with one: no user
    namespace (it would hold only root) and only the capabilities to switch user."""
    plain = detecting.namespaces(False)
    assert "--unshare-all" in plain and "CAP_SETUID" not in plain
    own = " ".join(detecting.namespaces(True))
    assert "--unshare-all" not in own and "--unshare-pid" in own and "--unshare-net" in own
    assert "--cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID" in own


def test_does_available_answer_from_the_cached_probe(monkeypatch):
    """``autograder.sandbox.available()`` (for a test fixture) is the cached probe's answer."""
    import autograder.sandbox

    detecting.detect.cache_clear()
    monkeypatch.setattr(detecting.shutil, "which", lambda name: None)
    try:
        assert autograder.sandbox.available() is False
    finally:
        detecting.detect.cache_clear()
