"""Binder: what can be checked without building an image.

mybinder.org builds the repository with repo2docker, which reads environment.yml and postBuild at
the root; the README's badge should open JupyterLab on notebooks/. Checked here: the files parse
and say what the lessons need, the badge's address, and (when jupyter-repo2docker is installed)
the build script repo2docker writes for this repository, without Docker (``--no-build``).
tests/test_spine.py checks the rest of the spine: environment.yml names the same dependencies
as pyproject.toml, postBuild installs with --no-deps, there is no binder/ folder.
"""
from __future__ import annotations

import ast
import functools
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
from layout import REPO

yaml = pytest.importorskip("yaml", reason="PyYAML (it comes with jupyter_events) parses "
                                          "environment.yml")


def _environment():
    return yaml.safe_load((REPO / "environment.yml").read_text())


def _requirement_name(spec):
    """'numpy>=1.24,<3' -> 'numpy'; 'python=3.11' -> 'python' (conda and pip spellings)."""
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def _conda_packages():
    return {_requirement_name(d) for d in _environment()["dependencies"] if isinstance(d, str)}


def _imports(source):
    """Top-level names of the absolute imports in Python source."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _notebook_imports():
    """Modules imported by the code cells of every student and solved notebook (IPython
    syntax, such as magics, turned into Python first)."""
    from IPython.core.inputtransformer2 import TransformerManager

    to_python = TransformerManager().transform_cell
    names = set()
    for path in sorted(REPO.glob("notebooks/*/*.ipynb")) + sorted(REPO.glob("solutions/*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                names |= _imports(to_python(cell.source))
    return names


def _package_imports():
    """Modules imported anywhere in the autograder package, less its own modules (some of its
    helpers are imported by bare name from their own folder, e.g. ``channel``)."""
    package = REPO / "autograder"
    own = {p.stem for p in package.rglob("*.py")} | {p.name for p in package.rglob("*")
                                                      if p.is_dir()}
    names = set()
    for path in package.rglob("*.py"):
        names |= _imports(path.read_text())
    return names - own


def _third_party(names):
    return {n for n in names if n not in sys.stdlib_module_names and n != "autograder"}


@functools.cache
def _module_to_distributions():
    return importlib.metadata.packages_distributions()


def _distribution(module):
    """The installed distribution that provides a module, by its normalised name."""
    found = _module_to_distributions().get(module)
    assert found, f"{module} is imported but no installed distribution provides it"
    return found[0].lower().replace("_", "-")


def _hard_requirements(distribution, seen=None):
    """A distribution's required distributions, transitively (extras and markers that do not
    apply here left out), from the installed metadata."""
    from packaging.requirements import Requirement

    seen = set() if seen is None else seen
    for text in importlib.metadata.requires(distribution) or []:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        if name not in seen:
            seen.add(name)
            try:
                _hard_requirements(name, seen)
            except importlib.metadata.PackageNotFoundError:
                pass
    return seen


def _dev_dependencies():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return {_requirement_name(r) for r in project["optional-dependencies"]["dev"]}


def test_does_environment_yml_parse_as_a_conda_environment():
    """Is environment.yml valid YAML with a name, conda-forge and a list of dependencies?"""
    environment = _environment()
    assert isinstance(environment["name"], str) and environment["name"]
    assert "conda-forge" in environment["channels"]
    assert all(isinstance(d, str) for d in environment["dependencies"])
    assert "pip" in _conda_packages()


def test_is_the_python_of_binder_pinned_to_one_the_package_supports():
    """Is Python pinned to one minor version (python=3.X), at or above requires-python?"""
    pins = [d for d in _environment()["dependencies"] if _requirement_name(d) == "python"]
    assert len(pins) == 1 and re.fullmatch(r"python=3\.\d+", pins[0]), pins
    minimum = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    low = tuple(int(x) for x in re.search(r">=\s*(\d+)\.(\d+)", minimum).groups())
    assert tuple(int(x) for x in pins[0].split("=")[1].split(".")) >= low


def test_does_environment_yml_list_every_package_the_notebooks_import():
    """Is every third-party module a lesson imports provided by a package named in
    environment.yml itself (not only pulled in by another)?"""
    modules = _third_party(_notebook_imports())
    assert {"numpy", "matplotlib"} <= modules
    missing = {m: _distribution(m) for m in modules if _distribution(m) not in _conda_packages()}
    assert not missing, f"imported by the notebooks, not in environment.yml: {missing}"


def test_does_binder_provide_every_package_the_autograder_package_imports():
    """postBuild installs the package with --no-deps, so the environment must bring whatever it
    imports: is each such package named in environment.yml, required by one that is, or an
    instructor's tool from the dev extra (building lessons, not used on Binder)?"""
    listed = _conda_packages() - {"python", "pip"}
    provided = set(listed)
    for name in listed:
        provided |= _hard_requirements(name)
    missing = {}
    for module in _third_party(_package_imports()):
        distribution = _distribution(module)
        if distribution not in provided and distribution not in _dev_dependencies():
            missing[module] = distribution
    assert not missing, f"imported by autograder/, not brought by environment.yml: {missing}"


def test_does_postbuild_stop_on_error_and_install_this_repository():
    """Is postBuild a bash script whose first command is `set -e` and that pip-installs the
    repository root (the package the notebooks import)?"""
    lines = (REPO / "postBuild").read_text().splitlines()
    assert lines[0].startswith("#!") and "bash" in lines[0]
    commands = [line.strip() for line in lines[1:] if line.strip() and not line.startswith("#")]
    assert commands[0] == "set -e"
    assert any(re.fullmatch(r"(python -m )?pip install .*(-e )?\.", c) for c in commands), commands


def test_does_the_readme_badge_open_jupyterlab_on_the_lessons():
    """Does the README's Binder badge point at mybinder.org's v2 GitHub builder with
    ``urlpath`` the landing notebook (which exists), at the address of the one setting in
    course/binder.toml?"""
    from autograder.build import binder_url

    readme = (REPO / "README.md").read_text()
    badge = re.search(r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)]+)\)",
                      readme)
    assert badge, "no Binder badge in the README"
    url = urlparse(badge[1])
    assert (url.scheme, url.netloc) == ("https", "mybinder.org")
    assert re.fullmatch(r"/v2/gh/[^/]+/[^/]+/[^/]+", url.path), url.path
    [urlpath] = parse_qs(url.query)["urlpath"]
    assert urlpath == "lab/tree/notebooks/00_start_here/00_start_here.ipynb"
    assert (REPO / urlpath.removeprefix("lab/tree/")).is_file()
    assert badge[1] == binder_url(), "run make build: the badge is written from course/binder.toml"


def _repo2docker_available():
    return importlib.util.find_spec("repo2docker") is not None


@pytest.mark.skipif(not _repo2docker_available(),
                    reason="jupyter-repo2docker is not installed (pip install jupyter-repo2docker)")
def test_does_repo2docker_build_from_the_root_environment_yml_and_postbuild():
    """Does `jupyter-repo2docker --no-build` (no Docker needed) write a build script for this
    repository that creates the conda environment from the root environment.yml with the
    pinned Python, and runs postBuild?"""
    done = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", "--json-logs",
         "--user-id", "1000", "--user-name", "jovyan", str(REPO)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    dockerfile = done.stdout
    messages = [json.loads(line).get("message", "") for line in done.stderr.splitlines()
                if line.startswith("{")]
    python = re.fullmatch(r"python=(3\.\d+)", next(
        d for d in _environment()["dependencies"] if _requirement_name(d) == "python"))[1]
    assert any(f"Building conda environment for python={python}" in m for m in messages), \
        messages
    assert re.search(r"^COPY .*src/environment\.yml \$\{REPO_DIR\}/environment\.yml$",
                     dockerfile, re.M)
    assert re.search(r'env update .*--file "environment\.yml"', dockerfile)
    assert re.search(r"^RUN \./postBuild$", dockerfile, re.M)
    assert "binder/" not in dockerfile  # the root files were used, not a binder/ folder
