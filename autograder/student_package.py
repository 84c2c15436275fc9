"""Build the student package: the ``autograder`` a class installs, without the answer key.

``python -m autograder.student_package [OUT]`` (``make student-package``) writes ``OUT``
(default ``build/student-package/``): a copy of this package without :mod:`autograder.reference`,
whose ``exercises/lessonNN.py`` (reference adapters, mistake variants, hidden seeds: the answer
key) are replaced by two-line modules that register the exercises from
``autograder/data/visible_key.json`` and ``.npz`` (data only, :mod:`autograder.key_codec`),
recorded here from the real reference (:mod:`autograder.answer_key`), plus a ``pyproject.toml``
so ``pip install OUT`` installs it.

``python -m autograder.student_package --check OUT`` checks a built package (a folder or a
wheel) for a leaked answer key (:mod:`autograder.leak_check`): exit 0 when nothing leaks, 1 with
what leaked.
"""
from __future__ import annotations

import argparse
import ast
import shutil
import sys
from pathlib import Path

from . import answer_key

PACKAGE = Path(__file__).resolve().parent
DEFAULT_OUT = PACKAGE.parent / "build" / "student-package"

#: Left out of the student package: the reference implementation of every graded exercise, and
#: the leak check (instructor's tooling: it names what it looks for).
WITHHELD = ("reference", "leak_check.py")

LESSON_STUB = '''"""Exercises of lesson {lesson} (student package: recorded answers, see autograder.answer_key)."""
from ..answer_key import register_lesson
{imports}
LESSON = "{lesson}"
register_lesson(LESSON)
'''


def _adapter_imports(module: Path) -> str:
    """The ``from ..adapters import ...`` lines of a lesson module: the grade cells import
    those names from the lesson module, and adapters hold no answer."""
    tree = ast.parse(module.read_text())
    return "".join(f"from ..adapters import {', '.join(a.name for a in node.names)}"
                   "  # noqa: F401 - the grade cells import it from here\n"
                   for node in tree.body
                   if isinstance(node, ast.ImportFrom) and node.module == "adapters"
                   and node.level == 2)

PYPROJECT = '''[build-system]
requires = ["setuptools>=77", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "backprop-autograder-student"
version = "{version}"
description = "Student checks of the backpropagation course (no answer key: see docs/jupyterhub.md)."
requires-python = ">=3.10"
dependencies = ["numpy>=1.24,<3", "matplotlib>=3.7,<4", "ipywidgets>=8.1,<9"]

[tool.setuptools.packages.find]
include = ["autograder*"]

[tool.setuptools.package-data]
autograder = ["data/*", "py.typed", "pipeline/templates/*"]
'''


def _ignore(directory, names):
    skip = {n for n in names if n == "__pycache__" or n.endswith(".pyc")}
    if Path(directory).resolve() == PACKAGE:
        skip |= set(WITHHELD)
    return skip


def build(out=DEFAULT_OUT) -> Path:
    """Write the student package tree to ``out`` (replaced if it exists); returns ``out``."""
    from . import __version__, exercises

    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    target = out / "autograder"
    shutil.copytree(PACKAGE, target, ignore=_ignore)
    for module in sorted((target / "exercises").glob("lesson*.py")):
        lesson = {e.lesson for e in exercises.all_exercises()
                  if e.lesson[:2] == module.stem.removeprefix("lesson")}
        if len(lesson) != 1:
            raise RuntimeError(f"Cannot tell the lesson id of {module.name}: found {lesson}.")
        module.write_text(LESSON_STUB.format(lesson=lesson.pop(),
                                             imports=_adapter_imports(module)))
    answer_key.write(target / "data" / answer_key.KEY_PATH.name)
    from .pictures import stepper

    stepper.record_walkthroughs(target / "data" / stepper.RECORDED.name)
    (out / "pyproject.toml").write_text(PYPROJECT.format(version=__version__))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Exit status: 0 built (or, with --check, nothing leaks); 1 the package leaks "
               "(each leak is printed); 2 cannot build or check (a message says why).")
    parser.add_argument("out", nargs="?", default=str(DEFAULT_OUT),
                        help="the folder to build into, or with --check the folder or wheel "
                             f"to check (default {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true",
                        help="check a built package for a leaked answer key instead of building")
    parser.add_argument("--python", default=None,
                        help="with --check: the Python (a student venv's) to import it with")
    args = parser.parse_args(argv)
    if not answer_key.live():
        print("The student package is built and checked from the full package (with "
              "autograder.reference): run this from the repository's .venv.", file=sys.stderr)
        return 2
    if args.check:
        return _check(Path(args.out), args.python)
    out = build(args.out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"Student package in {out} ({size / 1e6:.1f} MB); install it with pip install {out}")
    return 0


def _check(out: Path, python) -> int:
    from . import leak_check

    try:
        report = leak_check.check(out, python)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    leaks = report.leaks
    for note in report.notes:
        print(f"note: {note}")
    if leaks:
        print(f"{out} LEAKS the answer key ({len(leaks)} finding(s)):")
        for leak in leaks:
            print(f"  - {leak}")
        print("Rebuild it with `make student-package` from an unmodified repository, and do not "
              "install it for students until this check passes.")
        return 1
    print(f"{out}: no leak. No reference module, no body of a reference or lesson function in "
          "any file or importable source, no hidden seed, no pickle.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
