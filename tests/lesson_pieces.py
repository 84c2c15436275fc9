"""Every place a graded lesson must appear, read from the files (a helper, not a test module).

``docs/authoring.md`` ("Adding a lesson") lists the places; :func:`missing_pieces` checks each
one for a lesson id in a repository folder (the real one, or a temporary copy in a test) and
says, for each piece that is missing, what it is and which step of that list adds it. Only files
are read, nothing is imported: the same code checks a throw-away lesson in a copy.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

GUIDE = "docs/authoring.md, 'Adding a lesson'"
LANDING = "00_start_here"


@dataclass(frozen=True)
class Piece:
    """One place a lesson must appear.

    Attributes
    ----------
    name : str
        What the piece is ("the registry module").
    step : int
        The step of the guide's list that adds it.
    where : str
        The file or folder, with ``{lesson}`` and ``{nn}`` (its two-digit number) to fill in.
    """

    name: str
    step: int
    where: str

    def message(self, lesson: str) -> str:
        where = self.where.format(lesson=lesson, nn=lesson[:2])
        return f"{lesson} lacks {self.name}: {where} ({GUIDE}, step {self.step})"


SOURCE = Piece("the source with a graded cell and a points header", 1,
               "course/source/{lesson}/{lesson}.py")
REGISTRY = Piece("the registry module", 2, 'autograder/exercises/lesson{nn}.py with LESSON = '
                 '"{lesson}" and HIDDEN_SEEDS')
STUDENT = Piece("the built student version", 5, "notebooks/{lesson}/{lesson}.ipynb: make build")
SOLVED = Piece("the built solved version", 5, "solutions/{lesson}/{lesson}.ipynb: make build")
DUE = Piece("a due date", 6, "sample_class/due_dates.csv: python -m sample_class.generate")
SCORES = Piece("its expected scores", 6,
               "sample_class/expected_scores.csv: python -m sample_class.generate")
SUBMITTED = Piece("the sample class's complete and loop-written submissions", 6,
                  "sample_class/submitted/{{ada_complete,ben_loops}}/{lesson}/: LOOP_VERSIONS "
                  "in sample_class/generate.py, then python -m sample_class.generate")
README_ROW = Piece("its row in the lesson table", 7, "README.md: | `{lesson}` | ... |")
SEED_MAP = Piece("its seed items", 7,
              "docs/seed_map.md: the seed items and slips it teaches, with its id")
LANDING_LINK = Piece("a link from the landing page", 1,
                     "course/source/00_start_here/00_start_here.py: ../{lesson}/{lesson}.ipynb")
NEXT_LINK = Piece("the previous lesson's 'Next' line naming it", 1,
                  "the last cell of the lesson before it: **Next: lesson ...**")

PIECES = (SOURCE, REGISTRY, STUDENT, SOLVED, DUE, SCORES, SUBMITTED, README_ROW, SEED_MAP,
          LANDING_LINK, NEXT_LINK)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def source_lessons(repo: Path) -> list[str]:
    """Lesson ids with a source that has a graded cell (as ``autograder.build`` finds them)."""
    source = repo / "course" / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir()
                  and '"grade": true' in _text(p / f"{p.name}.py")) if source.is_dir() else []


def registry_lessons(repo: Path) -> dict[str, Path]:
    """``{lesson id: module file}`` of the registry modules (``LESSON = "..."`` in the text)."""
    found = {}
    for module in sorted((repo / "autograder" / "exercises").glob("lesson*.py")):
        declared = re.search(r'^LESSON\s*=\s*"([^"]+)"', _text(module), re.M)
        if declared:
            found[declared.group(1)] = module
    return found


def all_lessons(repo: Path) -> list[str]:
    """Every lesson that any of the two authored places knows: the sources and the registry."""
    return sorted(set(source_lessons(repo)) | set(registry_lessons(repo)))


def _csv_column(path: Path, column: str) -> set[str]:
    if not path.is_file():
        return set()
    with open(path, newline="", encoding="utf-8") as handle:
        return {row.get(column, "") for row in csv.DictReader(handle)}


def _present(repo: Path, lesson: str) -> dict[Piece, bool]:
    source = _text(repo / "course" / "source" / lesson / f"{lesson}.py")
    module = registry_lessons(repo).get(lesson)
    lessons = all_lessons(repo)
    earlier = [other for other in lessons if other < lesson]
    before = earlier[-1] if earlier else LANDING
    next_lines = [line for line in
                  _text(repo / "course" / "source" / before / f"{before}.py").splitlines()
                  if line.startswith("# **Next")]
    sample = repo / "sample_class"
    return {
        SOURCE: '"grade": true' in source and "**Points:**" in source,
        REGISTRY: module is not None and bool(re.search(r"^HIDDEN_SEEDS\s*=", _text(module),
                                                        re.M)),
        STUDENT: (repo / "notebooks" / lesson / f"{lesson}.ipynb").is_file(),
        SOLVED: (repo / "solutions" / lesson / f"{lesson}.ipynb").is_file(),
        DUE: lesson in _csv_column(sample / "due_dates.csv", "assignment"),
        SCORES: lesson in _csv_column(sample / "expected_scores.csv", "assignment"),
        SUBMITTED: all((sample / "submitted" / student / lesson).is_dir()
                       for student in ("ada_complete", "ben_loops")),
        README_ROW: f"| `{lesson}` |" in _text(repo / "README.md"),
        SEED_MAP: lesson in _text(repo / "docs" / "seed_map.md"),
        LANDING_LINK: f"../{lesson}/{lesson}.ipynb" in
        _text(repo / "course" / "source" / LANDING / f"{LANDING}.py"),
        NEXT_LINK: any(lesson in line for line in next_lines),
    }


def missing_pieces(repo: Path, lesson: str) -> list[str]:
    """A message for every piece ``lesson`` lacks in the repository at ``repo`` (empty when it
    has them all), in the order of the guide."""
    present = _present(Path(repo), lesson)
    return [piece.message(lesson) for piece in PIECES if not present[piece]]
