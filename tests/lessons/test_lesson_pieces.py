"""Has every lesson every piece that docs/authoring.md ("Adding a lesson") lists?

The lessons are found in the two authored places, ``course/source`` and the registry modules
``autograder/exercises/lessonNN.py``; a lesson known to one of them and missing a piece fails
with a message that names the piece, the file and the step of the guide. A throw-away lesson in
a temporary copy of the repository's files shows that each piece is required and that adding
it is what the message asks for. Files are read only: no build, no kernel.
"""
from __future__ import annotations

import csv
import shutil

import pytest

import lesson_pieces as pieces
from autograder.build import find_lessons
from layout import GRADED_LESSONS, REPO

THROWAWAY = "07_throwaway"

#: The files missing_pieces reads, copied into the temporary repository.
READ = ["README.md", "docs/seed_map.md", "sample_class/due_dates.csv",
        "sample_class/expected_scores.csv", "course/source/00_start_here/00_start_here.py",
        f"course/source/{GRADED_LESSONS[-1]}/{GRADED_LESSONS[-1]}.py"]

THROWAWAY_SOURCE = '''# %% [markdown]
# # Lesson 7: a throw-away lesson
#
# **Points:** 1 autograded = 1 in total. About 5 minutes.

# %% nbgrader={"grade": false, "grade_id": "double", "locked": false, "schema_version": 3, "solution": true, "task": false}
def double(x):
    """Twice ``x``."""
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "double_values", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
"""Is double(x) twice x?"""
check_exercise("07_throwaway.double", double, part="values")
'''


@pytest.mark.parametrize("lesson", pieces.all_lessons(REPO))
def test_does_every_lesson_have_every_piece(lesson):
    """Is every lesson of the sources or of the registry present in every place the guide
    lists (registry, build, sample class, README, seed map, landing page, Next links)?"""
    missing = pieces.missing_pieces(REPO, lesson)
    assert not missing, "\n".join(missing)


def test_do_the_sources_the_registry_and_the_tests_know_the_same_lessons():
    """Are the lessons with a graded source, the lessons of the registry modules and the
    lessons the tests run over one and the same list?"""
    assert pieces.source_lessons(REPO) == sorted(pieces.registry_lessons(REPO)) == \
        GRADED_LESSONS


# ---- a throw-away lesson, piece by piece ----------------------------------------------------

@pytest.fixture
def copy(tmp_path):
    """The files the check reads, copied, with the throw-away lesson's source added."""
    for relative in READ:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / relative, tmp_path / relative)
    shutil.copytree(REPO / "autograder" / "exercises", tmp_path / "autograder" / "exercises",
                    ignore=shutil.ignore_patterns("__pycache__"))
    source = tmp_path / "course" / "source" / THROWAWAY / f"{THROWAWAY}.py"
    source.parent.mkdir(parents=True)
    source.write_text(THROWAWAY_SOURCE, encoding="utf-8")
    return tmp_path


def _append_row(path, row):
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(row)


#: Adding each piece by hand, in the guide's order: (piece, how to add it in the copy).
ADDITIONS = [
    (pieces.REGISTRY, lambda repo: (repo / "autograder" / "exercises" / "lesson07.py")
     .write_text(f'LESSON = "{THROWAWAY}"\nHIDDEN_SEEDS = (701, 702, 703)\n')),
    (pieces.STUDENT, lambda repo: _touch(repo / "notebooks" / THROWAWAY / f"{THROWAWAY}.ipynb")),
    (pieces.SOLVED, lambda repo: _touch(repo / "solutions" / THROWAWAY / f"{THROWAWAY}.ipynb")),
    (pieces.DUE, lambda repo: _append_row(repo / "sample_class" / "due_dates.csv",
                                          [THROWAWAY, "2025-03-21 17:00:00 UTC"])),
    (pieces.SCORES, lambda repo: _append_row(repo / "sample_class" / "expected_scores.csv",
                                             ["ada_complete", THROWAWAY, "double_values", 1, 1,
                                              "passed"])),
    (pieces.SUBMITTED, lambda repo: [(repo / "sample_class" / "submitted" / student / THROWAWAY)
                                     .mkdir(parents=True)
                                     for student in ("ada_complete", "ben_loops")]),
    (pieces.README_ROW, lambda repo: _append(repo / "README.md",
                                             f"| `{THROWAWAY}` | doubling |\n")),
    (pieces.SEED_MAP, lambda repo: _append(repo / "docs" / "seed_map.md",
                                           f"| 999-1 | {THROWAWAY} | - | - | - |\n")),
    (pieces.LANDING_LINK, lambda repo: _append(
        repo / "course" / "source" / "00_start_here" / "00_start_here.py",
        f"# | [07 Throw-away](../{THROWAWAY}/{THROWAWAY}.ipynb) | double | 5 min |\n")),
    (pieces.NEXT_LINK, lambda repo: _append(
        repo / "course" / "source" / GRADED_LESSONS[-1] / f"{GRADED_LESSONS[-1]}.py",
        f"# **Next: lesson 7, [a throw-away lesson](../{THROWAWAY}/{THROWAWAY}.ipynb)**\n")),
]


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")


def _append(path, text):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_is_a_new_lesson_found_from_its_source_alone(copy):
    """Does writing course/source/NN_name/NN_name.py make the lesson a graded lesson that the
    build, and so every parametrised test, runs over (no list of lessons to edit)?"""
    assert THROWAWAY in find_lessons(copy / "course")
    assert THROWAWAY in pieces.all_lessons(copy)


def test_does_each_missing_piece_of_a_new_lesson_fail_by_name_until_it_is_added(copy):
    """With only its source written, is every other piece reported, naming its file and its
    step of the guide, and does adding a piece remove exactly its own message?"""
    missing = pieces.missing_pieces(copy, THROWAWAY)
    assert missing == [piece.message(THROWAWAY) for piece, _ in ADDITIONS]
    assert all("docs/authoring.md, 'Adding a lesson', step" in m for m in missing)
    for piece, add in ADDITIONS:
        add(copy)
        after = pieces.missing_pieces(copy, THROWAWAY)
        assert after == [m for m in missing if m != piece.message(THROWAWAY)], piece.name
        missing = after
    assert missing == []


def test_is_a_registry_module_without_a_source_reported(copy):
    """Does a lesson that only the registry knows (its source renamed or deleted) fail,
    naming the missing source first?"""
    (copy / "autograder" / "exercises" / "lesson08.py").write_text(
        'LESSON = "08_orphan"\nHIDDEN_SEEDS = (801,)\n')
    assert "08_orphan" in pieces.all_lessons(copy)
    missing = pieces.missing_pieces(copy, "08_orphan")
    assert missing[0] == pieces.SOURCE.message("08_orphan")
    assert pieces.REGISTRY.message("08_orphan") not in missing


def test_is_a_source_without_a_points_header_reported(copy):
    """Does a graded source without its '**Points:**' header fail as an incomplete source?"""
    source = copy / "course" / "source" / THROWAWAY / f"{THROWAWAY}.py"
    source.write_text(THROWAWAY_SOURCE.replace("**Points:**", "Points"), encoding="utf-8")
    assert pieces.SOURCE.message(THROWAWAY) in pieces.missing_pieces(copy, THROWAWAY)
