"""Regenerate the student and solution notebooks from the text sources: ``make build``.

For each lesson ``course/source/<lesson>/<lesson>.py`` (jupytext ``py:percent``):

1. write ``course/source/<lesson>/<lesson>.ipynb`` (git-ignored; nbgrader's source version), with
   no outputs and deterministic cell ids so that rebuilding is byte-stable;
2. ``nbgrader generate_assignment`` -> ``notebooks/<lesson>/`` (student version; also records the
   lesson in ``course/gradebook.db``, which autograding needs);
3. ``nbgrader generate_solution`` -> ``solutions/<lesson>/`` (solved, hidden tests removed, not
   executed; see ``course/nbgrader_config.py``), then made readable for a self-learner: the
   solution delimiters are dropped and each written answer shows "Model answer" and "Mark
   scheme" headings instead of nbgrader's markers (:func:`readable_solutions`).

A *page* (a source with no graded cell, such as ``00_start_here``) is not an nbgrader assignment:
its notebook is written as it is to ``notebooks/`` and ``solutions/``, and it is not in the
gradebook. :func:`find_lessons` lists the graded lessons only; :func:`find_sources` every source.

Usage: ``python -m autograder.build [--lesson LESSON ...] [--course DIR]``.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .notebook import nbgrader_meta

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "course"

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


class BuildError(RuntimeError):
    """The build could not finish; the message says which lesson and why."""


def find_sources(course_dir=COURSE):
    """Every source id, lessons and pages: folders ``source/<id>/`` that hold ``<id>.py``, sorted."""
    source = Path(course_dir) / "source"
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.py").is_file()) \
        if source.is_dir() else []


def is_page(source_id, course_dir=COURSE):
    """Is this source a page (no graded cell: nothing for nbgrader to release or grade)?"""
    text = (Path(course_dir) / "source" / source_id / f"{source_id}.py").read_text()
    return '"grade": true' not in text


def find_lessons(course_dir=COURSE):
    """Graded lesson ids (sources with at least one graded cell), sorted."""
    return [s for s in find_sources(course_dir) if not is_page(s, course_dir)]


def find_pages(course_dir=COURSE):
    """Page ids (sources with no graded cell, such as the landing notebook), sorted."""
    return [s for s in find_sources(course_dir) if is_page(s, course_dir)]


def text_to_notebook(py_path):
    """Read a ``py:percent`` lesson into a clean notebook (no outputs, stable ids and metadata)."""
    import jupytext
    import nbformat

    nb = jupytext.read(py_path, fmt="py:percent")
    nb.metadata = nbformat.from_dict({
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
    })
    lesson = Path(py_path).stem
    for index, cell in enumerate(nb.cells):
        # nbgrader ids where there is one, else a hash of position: stable across rebuilds
        grade_id = nbgrader_meta(cell).get("grade_id")
        cell.id = grade_id or hashlib.sha1(f"{lesson}:{index}".encode()).hexdigest()[:12]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("lines_to_next_cell", None)
    nbformat.validate(nb)
    return nb


def write_source_notebook(lesson, course_dir=COURSE):
    import nbformat

    folder = Path(course_dir) / "source" / lesson
    nb = text_to_notebook(folder / f"{lesson}.py")
    target = folder / f"{lesson}.ipynb"
    nbformat.write(nb, target)
    return target


def _nbgrader(args, course_dir):
    exe = Path(sys.executable).with_name("nbgrader")
    command = [str(exe) if exe.exists() else "nbgrader", *args, "--log-level=WARN"]
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # kernels would inherit it and plt.show() would draw nothing
    # nbgrader runs `alembic` from PATH: put this environment's scripts first
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run(command, cwd=course_dir, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BuildError(
            f"`nbgrader {' '.join(args)}` failed in {course_dir}:\n{result.stdout}\n{result.stderr}"
        )
    return result


_SOLUTION_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
_MODEL_LABEL = re.compile(r"^\s*(\*\*|\*)Model answer\.?(\*\*|\*)\.?\s*")
BEGIN_MARK_SCHEME = "=== BEGIN MARK SCHEME ==="
END_MARK_SCHEME = "=== END MARK SCHEME ==="


def readable_cell(cell):
    """One solved cell as a self-learner reads it: no nbgrader delimiters, headed answers."""
    meta = nbgrader_meta(cell)
    if not meta.get("solution"):
        return cell
    if cell.cell_type == "code":
        cell.source = _SOLUTION_LINE.sub("", cell.source)
    elif cell.cell_type == "markdown":
        text = _MODEL_LABEL.sub("", cell.source, count=1)
        text = text.replace(BEGIN_MARK_SCHEME, "#### Mark scheme").replace(END_MARK_SCHEME, "")
        cell.source = "#### Model answer\n\n" + text.rstrip()
    return cell


def readable_solutions(path):
    """Rewrite a generated solution notebook with :func:`readable_cell` (byte-stable)."""
    import nbformat

    from .notebook import read_notebook

    nb = read_notebook(path, None, validate=False)   # nbgrader's output, this build's own
    nb.cells = [readable_cell(cell) for cell in nb.cells]
    nbformat.write(nb, path)


_INCLUDE = re.compile(r"^<!-- include: ([\w./-]+) -->$")


def expand_includes(nb, repo=REPO):
    """Replace every markdown cell that is only ``<!-- include: PATH -->`` by the file at PATH
    (relative to the repository): the notation table has one source, docs/notation.md."""
    for cell in nb.cells:
        match = _INCLUDE.match(cell.source.strip()) if cell.cell_type == "markdown" else None
        if match:
            path = Path(repo) / match.group(1)
            if not path.is_file():
                raise BuildError(f"{match.group(0)}: no file {path}")
            cell.source = path.read_text(encoding="utf-8").strip()
    return nb


BINDER_SETTING = COURSE / "binder.toml"
LANDING = "00_start_here"
_BADGE = re.compile(r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\([^)]*\)")


def binder_url(setting=BINDER_SETTING):
    """The badge's address, from the one setting ``binder_repo = "owner/name"``."""
    text = Path(setting).read_text(encoding="utf-8")
    match = re.search(r'^binder_repo\s*=\s*"([\w.-]+/[\w.-]+)"\s*$', text, re.M)
    if not match:
        raise BuildError(f'{setting}: no line binder_repo = "owner/name"')
    return (f"https://mybinder.org/v2/gh/{match.group(1)}/HEAD"
            f"?urlpath=lab/tree/notebooks/{LANDING}/{LANDING}.ipynb")


def write_binder_badge(readme=REPO / "README.md", setting=BINDER_SETTING):
    """Rewrite the README's Binder badge from the setting (only when it changes)."""
    readme = Path(readme)
    text = readme.read_text(encoding="utf-8")
    badge = f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(setting)})"
    new = _BADGE.sub(lambda _: badge, text, count=1)
    if new != text:
        readme.write_text(new, encoding="utf-8")


def build_page(page, course_dir=COURSE):
    """A page goes to ``notebooks/`` and ``solutions/`` as it is (no nbgrader, no gradebook)."""
    import nbformat

    course_dir = Path(course_dir)
    nb = expand_includes(text_to_notebook(course_dir / "source" / page / f"{page}.py"))
    for kind in ("notebooks", "solutions"):
        folder = course_dir.parent / kind / page
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{page}.ipynb")


def build_lesson(lesson, course_dir=COURSE):
    """Build one lesson's source notebook, student version and solutions (or one page)."""
    course_dir = Path(course_dir)
    if is_page(lesson, course_dir):
        build_page(lesson, course_dir)
        return
    write_source_notebook(lesson, course_dir)
    _nbgrader(["generate_assignment", lesson, "--force"], course_dir)
    _nbgrader(["generate_solution", lesson, "--force"], course_dir)
    readable_solutions(course_dir.parent / "solutions" / lesson / f"{lesson}.ipynb")


def _remove_stale(folder, lessons):
    """Drop generated lesson folders whose source no longer exists."""
    if folder.is_dir():
        for child in folder.iterdir():
            if child.is_dir() and child.name not in lessons:
                shutil.rmtree(child)


def build(lessons=None, course_dir=COURSE):
    """Build the given lessons (all when ``None``); returns the list built."""
    course_dir = Path(course_dir)
    known = find_sources(course_dir)
    if lessons:
        unknown = [x for x in lessons if x not in known]
        if unknown:
            raise BuildError(f"No lesson source for {unknown}; lessons are: {', '.join(known)}.")
    else:
        lessons = known
        _remove_stale(course_dir.parent / "notebooks", known)
        _remove_stale(course_dir.parent / "solutions", known)
    for lesson in lessons:
        print(f"building {lesson}", flush=True)
        build_lesson(lesson, course_dir)
    if course_dir.resolve() == COURSE.resolve():
        write_binder_badge()
    for folder in ("notebooks", "solutions"):
        (course_dir.parent / folder).mkdir(exist_ok=True)
        os.utime(course_dir.parent / folder)  # newer than every source: nothing left to rebuild
    return lessons


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lesson", action="append", help="build only this lesson (repeatable)")
    parser.add_argument("--course", default=str(COURSE), help="the nbgrader course folder")
    args = parser.parse_args(argv)
    try:
        build(args.lesson, Path(args.course))
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
