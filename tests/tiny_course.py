"""A one-lesson course built into a temporary folder, as `make build` builds the real one."""
from __future__ import annotations

from pathlib import Path

import nbformat

from layout import REPO


def build_one_lesson(root: Path, lesson: str, source: str):
    """Write ``source`` as ``root/course/source/<lesson>/<lesson>.py`` next to the course's own
    nbgrader config, build it, and return ``(course folder, released notebook)``."""
    from autograder.build import build

    course = root / "course"
    (course / "source" / lesson).mkdir(parents=True)
    (course / "source" / lesson / f"{lesson}.py").write_text(source)
    (course / "nbgrader_config.py").write_text((REPO / "course" / "nbgrader_config.py")
                                               .read_text())
    build(None, course)
    release = nbformat.read(root / "notebooks" / lesson / f"{lesson}.ipynb", as_version=4)
    return course, release
