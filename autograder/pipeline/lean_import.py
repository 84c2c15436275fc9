"""Import nbgrader's grading machinery without its Jupyter server extensions (``check`` only).

``import nbgrader`` runs the package's ``__init__``, which imports its four Jupyter server
extensions (formgrader, assignment list, course list, validate): Jupyter Server, Tornado's web
stack and their handlers, a third of a second and more before any grading starts. A student's
``python -m autograder check`` uses nbgrader's API, converters and preprocessors only, which
never touch those extensions. :func:`nbgrader_without_server_extensions` makes ``nbgrader`` a
package whose ``__init__`` has not run (its submodules import as usual, from the same files) and
gives it what the ``__init__`` defines that other code reads: ``__version__``. The autograde
itself (executor, preprocessors, limits) is the one a class run uses.

It only acts in a process where nbgrader is not imported yet, and never for ``grade``, whose
worker processes and formgrader course import nbgrader in full.
"""
from __future__ import annotations

import importlib.util
import sys


def nbgrader_without_server_extensions():
    """Put a bare ``nbgrader`` package in ``sys.modules`` (its ``__init__`` not run).

    Returns True when it did, False when nbgrader was already imported (or is not installed,
    or is not a package: then the ordinary import runs and says why).
    """
    if "nbgrader" in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec("nbgrader")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    package = importlib.util.module_from_spec(spec)   # the package's module, not executed
    sys.modules["nbgrader"] = package
    try:
        from nbgrader._version import __version__
    except Exception:
        del sys.modules["nbgrader"]
        return False
    package.__version__ = __version__
    _import_utils_without_setuptools()
    return True


#: What ``nbgrader.utils`` imports from setuptools (to unpack archives in its exchange).
_ARCHIVE_FUNCTIONS = ("unpack_archive", "unpack_tarfile", "unpack_zipfile")


def _import_utils_without_setuptools():
    """Import ``nbgrader.utils`` with setuptools' archive functions imported on first call.

    ``nbgrader.utils`` imports three functions of ``setuptools.archive_util`` at its top, and
    so all of setuptools (a tenth of a second); only nbgrader's exchange (``collect``,
    ``fetch``) calls them, which ``check`` never runs. While ``nbgrader.utils`` is imported, a
    stand-in module gives it wrappers that import the real functions when called; the stand-in
    leaves ``sys.modules`` at once, so any later import gets setuptools itself.
    """
    import types

    name = "setuptools.archive_util"
    if name in sys.modules or "nbgrader.utils" in sys.modules:
        return

    def deferred(function):
        def call(*args, **kwargs):
            real = importlib.import_module(name)
            return getattr(real, function)(*args, **kwargs)

        call.__name__ = call.__qualname__ = function
        return call

    stand_in = types.ModuleType(name)
    for function in _ARCHIVE_FUNCTIONS:
        setattr(stand_in, function, deferred(function))
    sys.modules[name] = stand_in
    try:
        import nbgrader.utils  # noqa: F401
    except ImportError:
        pass   # the ordinary import, later, says why
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
