"""Where things are in the repository, and which lessons it has (a helper, not a test module).

Test modules import these names (``from layout import REPO, GRADED_LESSONS``) to parametrise at
collection time; ``tests/conftest.py`` offers the same as fixtures. Nothing here is a list
typed by hand: the lessons are the folders of ``course/source`` with a graded cell (the landing
page ``00_start_here`` has none), as ``autograder.build`` finds them.
"""
from __future__ import annotations

from pathlib import Path

#: The repository's root (``tests/`` is one level below it, wherever a test module sits).
REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
COURSE = REPO / "course"
SOURCE = COURSE / "source"
NOTEBOOKS = REPO / "notebooks"
SOLUTIONS = REPO / "solutions"
SAMPLE_CLASS = REPO / "sample_class"
EXERCISES_PACKAGE = REPO / "autograder" / "exercises"


def graded_lessons(course_dir: Path = COURSE) -> list[str]:
    """The ids of the graded lessons under ``course_dir/source``, sorted (pages left out)."""
    from autograder.build import find_lessons

    return find_lessons(course_dir)


def lesson_source(lesson: str, course_dir: Path = COURSE) -> Path:
    """``course/source/<lesson>/<lesson>.py``: the one file a lesson is written in."""
    return Path(course_dir) / "source" / lesson / f"{lesson}.py"


#: Every graded lesson of this checkout, e.g. ``["01_single_neuron", ...]``.
GRADED_LESSONS = graded_lessons()
