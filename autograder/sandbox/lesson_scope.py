"""What of the grader's package a grading kernel for ONE lesson sees: compiled code only.

A grading kernel must import the grader's package (the grade cells call ``check_exercise``), and
with it the reference of the lesson it grades. Whatever the kernel can read, a student's cell
can print into the feedback page, however encoded, and paste back into a resubmission. So a
kernel that grades lesson 3 sees ``exercises/`` and ``reference/`` as folders of their own
holding only the modules lesson 3 imports (its exercise module, the lesson modules it imports:
lesson 6 builds on lesson 5's inputs, and the reference modules those import, followed to the
end), each as a compiled ``.pyc`` with no source (:mod:`~autograder.sandbox.bytecode`). The
other lessons' modules are not there at all.

Standard library only (read from the files, never imported): the launcher runs before
anything of the grader's is importable in a clean process.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def _lesson_id(path):
    """The ``LESSON = "..."`` constant of an exercise module, or None."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "LESSON"
                                                for t in node.targets) \
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node.value.value
    return None


def _relative_imports(path):
    """``(package, module)`` of every ``from .x import y`` / ``from ..reference import m``
    in ``path`` (module level or not), as names inside the grader's package."""
    found = set()
    here = path.parent.relative_to(PACKAGE).parts
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = here[:len(here) - (node.level - 1)] if node.level > 1 else here
        target = tuple(base) + tuple(node.module.split(".") if node.module else ())
        found.add(target)
        for alias in node.names:     # ``from ..reference import mlp``: a module too
            found.add(target + (alias.name,))
    return found


def kept_modules(lesson, package=PACKAGE):
    """The exercise and reference modules a kernel grading ``lesson`` imports: the lesson's
    own exercise module and the modules it imports, followed to the end (``None`` for a name
    that is no lesson of the package: then every module is needed)."""
    exercises, reference = package / "exercises", package / "reference"
    modules = {p: _lesson_id(p) for p in sorted(exercises.glob("lesson*.py"))}
    own = [p for p, lesson_id in modules.items() if lesson_id == lesson]
    if not own:
        return None
    kept, todo = set(), list(own)
    while todo:
        path = todo.pop()
        if path in kept:
            continue
        kept.add(path)
        for parts in _relative_imports(path):
            candidate = package.joinpath(*parts).with_suffix(".py")
            if candidate.is_file() and candidate.parent in (exercises, reference):
                todo.append(candidate)
    return kept


def sourceless_view(lesson, compile_module, package=PACKAGE):
    """What a kernel grading ``lesson`` sees of ``exercises/`` and ``reference/``: ``(folders,
    files)``, the two folders to replace by empty ones and the ``(compiled file, path
    inside)`` pairs to put in them.

    Each kept module is there as ``<module>.pyc`` only, compiled by ``compile_module(path)``
    (Python imports a ``.pyc`` that has no source beside it): the grade cells run the
    reference, but a cell can no longer print its source (``inspect.getsource`` fails, the
    file is not there), and the other lessons' modules are not there at all. The packages'
    ``__init__.py`` stay as source (the registry's machinery and a docstring: no answers)."""
    exercises, reference = package / "exercises", package / "reference"
    kept = kept_modules(lesson, package)
    if kept is None:   # a folder that names no lesson: every module, compiled
        kept = set(exercises.glob("lesson*.py")) | set(reference.glob("*.py"))
    files = []
    for folder in (exercises, reference):
        files.append((folder / "__init__.py", folder / "__init__.py"))
        files += [(compile_module(path), path.with_suffix(".pyc"))
                  for path in sorted(kept) if path.parent == folder and path.name != "__init__.py"]
    return [exercises, reference], files
