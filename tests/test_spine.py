"""The repository's spine: set-up commands, Binder files, CI entry point, packaging."""
import re
import tomllib

import pytest
from layout import REPO



def _names(requirements):
    """Package names from requirement strings such as 'numpy>=1.24,<3'."""
    return {re.split(r"[<>=!~ \[]", r, maxsplit=1)[0].strip().lower() for r in requirements}


def _environment_dependencies():
    """The conda dependencies of environment.yml (a small parser: the file is a flat list)."""
    deps, inside = [], False
    for line in (REPO / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            inside = True
            continue
        if inside:
            if line.startswith("  - "):
                deps.append(line[4:].strip())
            elif line.strip() and not line.startswith(" "):
                inside = False
    return deps


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    """Does Binder install exactly the runtime dependencies that pip installs?"""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    conda = _names(d for d in _environment_dependencies() if not d.startswith(("python", "pip")))
    assert conda == _names(project["dependencies"])


def test_environment_yml_pins_python():
    """Is the Python version of Binder pinned?"""
    assert any(re.fullmatch(r"python=3\.\d+", d) for d in _environment_dependencies())


def test_are_the_runtime_dependencies_the_five_core_packages_and_nothing_else():
    """Does a student install only what the course needs (scikit-learn is a test oracle)?"""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert _names(project["dependencies"]) == {"jupyterlab", "numpy", "matplotlib", "nbgrader",
                                              "ipywidgets"}


def test_core_packages_are_dependencies():
    """Are the course's core packages runtime dependencies?"""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert {"jupyterlab", "numpy", "matplotlib", "nbgrader", "ipywidgets"} <= \
        _names(project["dependencies"])


def test_postbuild_stops_on_error_and_installs_the_package_without_dependencies():
    """Does postBuild start with set -e and install the package with --no-deps?"""
    lines = [l for l in (REPO / "postBuild").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    assert lines[0] == "set -e"
    assert any(re.search(r"pip install --no-deps -e \.", l) for l in lines)


def test_there_is_no_binder_folder():
    """A binder/ folder would hide environment.yml and postBuild at the root from repo2docker."""
    assert not (REPO / "binder").exists() and not (REPO / ".binder").exists()


def test_ci_runs_the_readme_test_command():
    """Does .ci/run call make test, the README's test command?"""
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^\s*make test\s*$", ci, re.M)
    readme = (REPO / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme


@pytest.mark.parametrize("target", ["lab", "test", "build", "grade"])
def test_makefile_has_the_documented_targets(target):
    """Does every make target the README names exist?"""
    assert re.search(rf"^{target}:", (REPO / "Makefile").read_text(), re.M)


def test_required_top_level_layout():
    """Is the top level the one the design asks for?"""
    for name in ["course", "notebooks", "solutions", "autograder", "environment.yml",
                 "README.md", "pyproject.toml", "Makefile", "LICENSE", "LICENSE-CONTENT.md"]:
        assert (REPO / name).exists(), name
