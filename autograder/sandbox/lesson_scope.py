"""What of the grader's package a grading kernel for ONE lesson does not see.

A grading kernel must import the grader's package (the grade cells call ``check_exercise``), and
with it the reference of the lesson it grades. Whatever the kernel can read, a student's cell
can print into the feedback page, however encoded. So a kernel that grades lesson 3 sees the
package without the other lessons' exercise modules and reference modules (covered by empty
files: an empty ``lessonNN.py`` registers nothing) and without their compiled copies (the
``__pycache__`` folders of ``exercises/`` and ``reference/`` are covered; Python compiles the
modules it needs in memory). Kept: the lesson's own exercise module, the lesson modules it
imports (lesson 6 builds on lesson 5's inputs) and the reference modules those import,
followed to the end.

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


def hidden_outside(lesson, package=PACKAGE):
    """The files and folders of ``package`` that a kernel grading ``lesson`` must not see
    (``[]`` for a name that is no lesson of the package: nothing is taken away)."""
    exercises, reference = package / "exercises", package / "reference"
    modules = {p: _lesson_id(p) for p in sorted(exercises.glob("lesson*.py"))}
    own = [p for p, lesson_id in modules.items() if lesson_id == lesson]
    if not own:
        return []
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
    hidden = [p for p in modules if p not in kept]
    hidden += [p for p in sorted(reference.glob("*.py"))
               if p.name != "__init__.py" and p not in kept]
    hidden += [folder / "__pycache__" for folder in (exercises, reference)
               if (folder / "__pycache__").is_dir()]
    return hidden
