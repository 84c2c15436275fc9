"""Regenerate the student and solution notebooks from the text sources: ``make build``.

For each lesson ``course/source/<lesson>/<lesson>.py`` (jupytext ``py:percent``):

1. write ``course/source/<lesson>/<lesson>.ipynb`` (git-ignored; nbgrader's source version), with
   no outputs and deterministic cell ids so that rebuilding is byte-stable;
2. ``nbgrader generate_assignment`` -> ``notebooks/<lesson>/`` (student version; also records the
   lesson in ``course/gradebook.db``, which autograding needs);
3. ``nbgrader generate_solution`` -> ``solutions/<lesson>/`` (solved, hidden tests removed, not
   executed; see ``course/nbgrader_config.py``).

Usage: ``python -m autograder.build [--lesson LESSON ...] [--course DIR]``.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COURSE = REPO / "course"

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


class BuildError(RuntimeError):
    """The build could not finish; the message says which lesson and why."""


def find_lessons(course_dir=COURSE):
    """Lesson ids: folders ``source/<id>/`` that hold ``<id>.py``, sorted."""
    source = Path(course_dir) / "source"
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.py").is_file()) \
        if source.is_dir() else []


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
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
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


def build_lesson(lesson, course_dir=COURSE):
    """Build one lesson's source notebook, student version and solutions."""
    course_dir = Path(course_dir)
    write_source_notebook(lesson, course_dir)
    _nbgrader(["generate_assignment", lesson, "--force"], course_dir)
    _nbgrader(["generate_solution", lesson, "--force"], course_dir)


def _remove_stale(folder, lessons):
    """Drop generated lesson folders whose source no longer exists."""
    if folder.is_dir():
        for child in folder.iterdir():
            if child.is_dir() and child.name not in lessons:
                shutil.rmtree(child)


def build(lessons=None, course_dir=COURSE):
    """Build the given lessons (all when ``None``); returns the list built."""
    course_dir = Path(course_dir)
    known = find_lessons(course_dir)
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
