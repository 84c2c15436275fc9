"""Shared by every test: the repository's paths, its graded lessons, and the sandbox probe.

* ``tests/`` and the repository root are put on ``sys.path`` once, here, so that a test module
  anywhere below ``tests/`` imports the helpers (``layout``, ``lesson_cells``, ``attacks``) and
  the repository's ``sample_class`` package without a ``sys.path`` line of its own.
* The paths and the lesson list live in ``tests/layout.py`` (importable at collection time, for
  ``parametrize``); the fixtures below hand out the same values.
* Probing the sandbox starts a bubblewrap session (a fraction of a second to several seconds
  under load). It runs once per session, when a test first asks for ``verifier_policy``, and
  never while tests are being collected.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
for _folder in (_TESTS, _TESTS.parent):  # helpers in tests/; sample_class/ is not installed
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

import layout  # noqa: E402  (needs the path above)


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository's root folder."""
    return layout.REPO


@pytest.fixture(scope="session")
def graded_lessons() -> list[str]:
    """The ids of the graded lessons, discovered from ``course/source``."""
    return list(layout.GRADED_LESSONS)


@pytest.fixture(scope="session")
def verifier_policy():
    """How the out-of-kernel verifier's sandbox confines a session on this machine (bubblewrap
    when it works here, else resource limits), probed once for the whole test session."""
    from autograder.sandbox.policy import from_options

    return from_options()


@pytest.fixture
def needs_bubblewrap(verifier_policy):
    """Skip a test whose property only bubblewrap gives (use as a fixture, not ``skipif``:
    a ``skipif`` condition would probe while the tests are being collected)."""
    if verifier_policy.mode != "bubblewrap":
        pytest.skip(f"bubblewrap is not used here: {verifier_policy.reason}")
    return verifier_policy


@pytest.hookimpl(tryfirst=True)  # before xdist's loadgroup scheduler reads the groups
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test`` runs ``-n 2 --dist loadgroup``), keep each test file on
    one worker, so that a module's fixture (a grading run, a built course) is computed once, not
    once per worker; and keep every browser test on one worker, so that one JupyterLab serves
    them all."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        relative = Path(str(item.path)).resolve().relative_to(_TESTS)
        group = "browser" if relative.parts[0] == "browser" else relative.as_posix()
        item.add_marker(pytest.mark.xdist_group(group))
