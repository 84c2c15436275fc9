"""The one launcher (autograder.sandbox.launch): kernels and verifier sessions alike."""
import json
import os

import pytest

from autograder.sandbox import launch
from autograder.sandbox.policy import Policy, from_options

from sandbox_helpers import run_launched

ENV = "import json, os\nprint(json.dumps(dict(os.environ)))"


def test_does_the_kernelspec_start_kernels_through_the_launcher(tmp_path):
    """The kernelspec runs this file as ``python -I`` (a submission's folder cannot shadow
    its modules) with the policy, and the kernel after ``--``; interrupts are messages."""
    folder = launch.write_kernelspec(tmp_path / "kernels", tmp_path / "policy.json")
    spec = json.loads((folder / "kernel.json").read_text())
    argv = spec["argv"]
    assert argv[1:4] == ["-I", launch.LAUNCHER, str(tmp_path / "policy.json")]
    assert argv[argv.index("--") + 1:][1:] == ["-m", "ipykernel_launcher", "-f",
                                               "{connection_file}"]
    assert spec["interrupt_mode"] == "message" and folder.name == launch.KERNEL_NAME


@pytest.mark.parametrize("mode", ["rlimits", "bubblewrap"])
@pytest.mark.parametrize("verifier", [False, True], ids=["kernel", "verifier"])
def test_does_no_secret_of_the_grader_reach_a_sandbox(tmp_path, mode, verifier):
    """The verifier's secret and every other ``AUTOGRADER_`` variable stay out, in both modes
    and both profiles; under bubblewrap nothing of the grader's own environment either."""
    policy = from_options("auto") if mode == "bubblewrap" else Policy(mode="rlimits")
    if policy.mode != mode:
        pytest.skip(f"bubblewrap is not usable: {policy.reason}")
    env = {"AUTOGRADER_VERIFY_SECRET": "do-not-leak", "SOME_TOKEN": "do-not-leak-either"}
    seen = run_launched(policy.replace(own_uid=False), ENV, tmp_path, verifier=verifier,
                        env=env)
    assert "AUTOGRADER_VERIFY_SECRET" not in seen
    if mode == "bubblewrap":
        assert "SOME_TOKEN" not in seen
    if verifier and mode == "bubblewrap":
        assert seen["NBGRADER_EXECUTION"] == "autograde"


def test_do_memory_and_rlimits_from_the_command_line_reach_a_verifier_session(monkeypatch):
    """Issue 10: ``--sandbox rlimits --memory 4096`` gives the verifier's own process a 4 GiB
    cap and no bubblewrap (which is not even probed)."""
    from autograder.integrity.session import Session
    from autograder.sandbox import detect as detecting

    monkeypatch.setattr(detecting, "_probe", lambda bwrap: pytest.fail("probed bubblewrap"))
    policy = from_options("rlimits", 4096)
    with Session(policy) as live:
        live.start()
        assert live.alive, live.detail
        live.exec_cell("import os, resource\ndef seen():\n    return [resource.getrlimit("
                       "resource.RLIMIT_AS)[0], os.path.exists('/opt/verifier')]\n", "c", 10)
        assert live.call("seen", []).value == [4096 * 2 ** 20, False]


def test_does_a_kernel_with_its_own_user_id_need_its_own_connection_folder(tmp_path):
    """The launcher refuses to hand a shared folder to a kernel's user id."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        pytest.skip("a user id per sandbox needs a root grader")
    from autograder.sandbox import users

    result = run_launched(Policy(mode="rlimits", own_uid=True), "print(1)", tmp_path,
                          uid=users.new_uid())
    assert result.returncode != 0 and "connection file in a folder of its own" in result.stderr


def test_does_a_kernel_import_the_package_this_grader_runs(tmp_path, needs_bubblewrap):
    """Under bubblewrap a kernel imports the grader's own package from where the allow-list
    mounts it, without the help of an install's path file (``-S``: no site-packages): an
    editable install's repository may lie under /tmp, which the sandbox replaces, and
    Gradescope's run imports the package from its working folder."""
    import subprocess
    import sys

    work = tmp_path / "work"
    work.mkdir()
    code = "import json, autograder; print(json.dumps(autograder.__file__))"
    command = launch.bwrap_command(needs_bubblewrap.replace(own_uid=False),
                                   [sys.executable, "-S", "-c", code], work)
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == str(launch.PACKAGE / "__init__.py")
