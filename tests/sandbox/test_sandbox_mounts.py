"""The allow-list of mounts (autograder.sandbox.mounts), kernel and verifier profiles; each
protection shown to bite by a sandbox built without it."""
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from autograder.sandbox import launch, mounts
from autograder.sandbox.detect import detect
from autograder.sandbox.policy import Policy

from layout import REPO
from sandbox_helpers import PEEK


def test_bubblewrap_command_isolates_the_kernel(tmp_path):
    """Does the kernel run with no network, on a root of its own holding only what it needs
    (an allow-list: system folders and Python read-only, not the course around its folder),
    and only its own folder and connection folder writable?"""
    hidden, work, runtime = tmp_path / "course", tmp_path / "course" / "s", tmp_path / "rt"
    for folder in (hidden, work, runtime):
        folder.mkdir(parents=True, exist_ok=True)
    policy = Policy(mode="bubblewrap", bwrap="bwrap", hidden=(str(hidden),))
    command = launch.bwrap_command(policy, ["python", "-f", str(runtime / "k.json")], work)
    text = " ".join(command)
    assert "--unshare-all" in command and "--die-with-parent" in command
    assert "--ro-bind / /" not in text and "--ro-bind /usr /usr" in text
    assert "--tmpfs /tmp" in text
    assert "--clearenv" in command and "JPY_PARENT_PID" not in text
    # the kernel's own folder is a RAM disk of its own; the course around it is not mounted
    assert f"--tmpfs {work}" in text
    assert f"--bind {hidden} " not in text and f"--ro-bind {hidden} " not in text
    assert f"--bind {work} {work}" not in text
    assert f"--bind {runtime} {runtime}" in text
    assert command[-3:] == ["python", "-f", str(runtime / "k.json")]


def test_a_zip_of_submissions_is_hidden_from_the_kernel(tmp_path):
    """Is a zip file of submissions absent from the sandbox (not mounted), or replaced by an
    empty file when it lies inside a folder that is mounted (Python's)?"""
    archive = tmp_path / "class.zip"
    archive.write_bytes(b"PK")
    work = tmp_path / "work"
    work.mkdir()
    policy = Policy(mode="bubblewrap", bwrap="bwrap", hidden=(str(archive),))
    assert str(archive) not in " ".join(launch.bwrap_command(policy, ["python"], work))
    policy = policy.replace(readable=(*policy.readable, str(tmp_path)))
    text = " ".join(launch.bwrap_command(policy, ["python"], work))
    assert f"--ro-bind /dev/null {archive}" in text


def test_does_the_verifier_profile_mount_its_private_package_and_not_the_graders(tmp_path):
    """The verifier's sandbox: its private package read-only at /opt/verifier, Python without
    the grader's package, /tmp as its working folder, the verifier's fixed environment."""
    package = tmp_path / "package"
    package.mkdir()
    policy = Policy(mode="bubblewrap", bwrap="bwrap")
    command = launch.bwrap_command(policy, ["python", "/opt/verifier/_runner.py"], tmp_path,
                                   verifier_package=package)
    text = " ".join(command)
    assert f"--ro-bind {package} {mounts.VERIFIER_PACKAGE}" in text
    assert str(REPO / "autograder") not in text.replace(
        str(REPO / "autograder" / "sandbox" / "become.py"), "")
    assert "--chdir /tmp" in text and "NBGRADER_EXECUTION autograde" in text
    assert "--ro-bind / /" not in text


def _bubblewrap_or_skip():
    found = detect("auto")
    if found.mode != "bubblewrap":
        pytest.skip(f"bubblewrap is not usable: {found.reason}")
    return found.bwrap


def _peek(command_of, work, paths):
    command = command_of([sys.executable, "-I", "-c", PEEK, *map(str, paths)])
    result = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture()
def secret(tmp_path):
    """A secret file outside anything a sandbox needs (a course, an answer key)."""
    folder = tmp_path / f"secret-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    (folder / "key.txt").write_text("answers")
    return folder / "key.txt"


@pytest.mark.parametrize("profile", ["kernel", "verifier"])
def test_does_a_secret_folder_stay_out_unless_the_mount_builder_adds_it(tmp_path, secret,
                                                                        monkeypatch, profile):
    """The allow-list bites: a secret folder that nothing names does not exist inside either
    profile's sandbox; a mount builder that also mounts it (a monkeypatched one) shows it."""
    bwrap = _bubblewrap_or_skip()
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "package").mkdir()
    policy = Policy(mode="bubblewrap", bwrap=bwrap)
    package = tmp_path / "package" if profile == "verifier" else None

    def command_of(argv):
        return launch.bwrap_command(policy, argv, work, verifier_package=package)

    assert _peek(command_of, work, [secret]) == {str(secret): "FileNotFoundError"}
    builder = mounts.Mounts.readable

    def leaky(self, paths):   # after the private /tmp, which would cover a folder in /tmp
        builder(self, paths)
        self.bind(secret.parent)

    monkeypatch.setattr(mounts.Mounts, "readable", leaky)
    assert _peek(command_of, work, [secret]) == {str(secret): "READABLE"}


def test_is_a_run_folder_inside_a_mounted_one_covered_and_bites_without_it(tmp_path):
    """The second guard: the run's own folder, placed inside a folder that is mounted (here
    listed as readable), is covered by an empty one; without it in ``hidden`` it is readable."""
    bwrap = _bubblewrap_or_skip()
    mounted = tmp_path / "env"
    course = mounted / "course"
    course.mkdir(parents=True)
    (course / "key.txt").write_text("answers")
    work = tmp_path / "work"
    work.mkdir()
    base = Policy(mode="bubblewrap", bwrap=bwrap)
    base = base.replace(readable=(*base.readable, str(mounted)))
    for hidden, expected in (((str(course),), "FileNotFoundError"), ((), "READABLE")):
        policy = base.replace(hidden=hidden)
        found = _peek(lambda argv: launch.bwrap_command(policy, argv, work), work,
                      [course / "key.txt"])
        assert found == {str(course / "key.txt"): expected}


def _view(lesson):
    from autograder.sandbox.lesson_scope import PACKAGE, sourceless_view

    folders, files = sourceless_view(lesson, lambda path: Path("/compiled") / path.name)
    return ({str(f.relative_to(PACKAGE)) for f in folders},
            {str(inside.relative_to(PACKAGE)): str(source) for source, inside in files})


def test_does_a_lessons_kernel_get_its_own_modules_compiled_and_no_others():
    """Do ``exercises/`` and ``reference/`` become folders of their own holding a lesson-1
    kernel's modules as ``.pyc`` (compiled from their source) and the packages' ``__init__.py``,
    and nothing of the other lessons; does lesson 6 keep lesson 5's (it builds on them); does a
    folder that names no lesson get every module, compiled too?"""
    folders, first = _view("01_single_neuron")
    assert folders == {"exercises", "reference"}
    assert set(first) == {"exercises/__init__.py", "exercises/lesson01.pyc",
                          "reference/__init__.py", "reference/neuron.pyc",
                          "reference/descent.pyc", "reference/update.pyc"}
    assert first["reference/neuron.pyc"] == "/compiled/neuron.py"
    assert not [inside for inside in first if inside.endswith(".py")
                and not inside.endswith("__init__.py")]
    _, sixth = _view("06_minibatch_sgd")
    assert {"exercises/lesson05.pyc", "reference/mlp.pyc"} <= set(sixth)
    assert "reference/neuron.pyc" not in sixth
    _, scratch = _view("scratch")
    assert {"reference/mlp.pyc", "exercises/lesson01.pyc", "exercises/lesson06.pyc"} <= set(scratch)


_READ_THE_REFERENCE = """
import inspect, json, os
import autograder.reference.neuron as neuron
from autograder.exercises import all_exercises, get
found = {"listed": sorted(os.listdir(os.path.dirname(neuron.__file__)))}
try:
    found["source"] = inspect.getsource(neuron.neuron_forward)[:40]
except OSError as error:
    found["source"] = type(error).__name__
exercise = get("01_single_neuron.neuron_forward")
found["runs"] = float(exercise.reference(**exercise.inputs(0))[0][0])
found["lessons"] = sorted({e.lesson for e in all_exercises()})
print(json.dumps(found))
"""


def test_can_a_kernel_run_its_lessons_reference_but_not_read_its_source(tmp_path, monkeypatch):
    """Red team round 5: a cell printed the reference module into its feedback page and a
    resubmission pasted it back (20/20, confirmed). In a lesson-1 kernel's sandbox the
    reference runs, the other lessons' registries are absent, and there is no source to read;
    a view that binds the sources (a monkeypatched one) shows it: the protection bites."""
    from autograder.sandbox import lesson_scope

    bwrap = _bubblewrap_or_skip()
    work = tmp_path / "01_single_neuron"
    work.mkdir()
    policy = Policy(mode="bubblewrap", bwrap=bwrap)

    def run():
        command = launch.bwrap_command(policy, [sys.executable, "-c", _READ_THE_REFERENCE], work)
        result = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    found = run()
    assert found["source"] == "OSError"
    assert found["listed"] == ["__init__.py", "descent.pyc", "neuron.pyc", "update.pyc"]
    assert found["lessons"] == ["01_single_neuron"]
    assert found["runs"] != 0.0
    view = lesson_scope.sourceless_view

    def with_sources(lesson, compile_module, **options):
        folders, files = view(lesson, compile_module, **options)
        return folders, [(inside.with_suffix(".py"), inside.with_suffix(".py"))
                         for _, inside in files]

    monkeypatch.setattr(lesson_scope, "sourceless_view", with_sources)
    assert run()["source"].startswith("def neuron_forward")


def test_does_the_sandbox_read_fontconfigs_configuration_and_no_other_of_etc(tmp_path):
    """/etc/fonts is mounted read-only (without it matplotlib's first import printed
    "Fontconfig error: Cannot load default config file" into every feedback page); the rest of
    /etc (passwd, the machine's own files) stays out."""
    if not Path("/etc/fonts/fonts.conf").is_file():
        pytest.skip("this machine has no fontconfig configuration")
    bwrap = _bubblewrap_or_skip()
    work = tmp_path / "work"
    work.mkdir()
    policy = Policy(mode="bubblewrap", bwrap=bwrap)
    found = _peek(lambda argv: launch.bwrap_command(policy, argv, work), work,
                  [Path("/etc/fonts/fonts.conf"), Path("/etc/passwd"), Path("/etc/hostname")])
    assert found == {"/etc/fonts/fonts.conf": "READABLE", "/etc/passwd": "FileNotFoundError",
                     "/etc/hostname": "FileNotFoundError"}
