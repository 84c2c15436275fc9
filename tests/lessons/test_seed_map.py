"""Is every item of the source documents taught and checked somewhere that exists?"""
import importlib
import re

import pytest
from layout import REPO


#: The item ids of SEED_ITEMS.md (shared course materials: 49 items) and the slips S1-S12.
SEED_ITEMS = (
    [f"000-{i}" for i in range(1, 16)] + [f"001-{i}" for i in range(1, 13)]
    + [f"003-{i}" for i in range(1, 13)] + [f"004-{i}" for i in range(1, 11)]
    + [f"S{i}" for i in range(1, 13)]
)


def _rows():
    rows = {}
    for line in (REPO / "docs" / "seed_map.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"\d{3}-\d+|S\d+", cells[0]):
            rows[cells[0]] = cells
    return rows


ROWS = _rows()


def test_every_seed_item_has_a_row():
    """Does the map cover every seed item and slip, and nothing else?"""
    assert sorted(ROWS) == sorted(SEED_ITEMS)


@pytest.mark.parametrize("item", SEED_ITEMS)
def test_named_grade_cells_and_reference_functions_exist(item):
    """Do the grade cells and reference functions named for this item exist?"""
    _, lessons, _, reference, grade_cells = ROWS[item]
    sources = "".join(
        (REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
        for lesson in re.findall(r"\d\d_[a-z_]+", lessons)
    )
    assert sources, f"no lesson named for {item}"
    for grade_id in re.findall(r"`([a-zA-Z0-9_]+)`", grade_cells):
        assert f'"grade_id": "{grade_id}"' in sources, f"{item}: no grade cell {grade_id}"
    for dotted in re.findall(r"`([a-z_]+)\.([a-zA-Z0-9_]+)`", reference):
        module = importlib.import_module(f"autograder.reference.{dotted[0]}")
        assert callable(getattr(module, dotted[1], None)), f"{item}: no {'.'.join(dotted)}"


def test_every_section_the_map_names_is_a_section_of_its_lessons():
    """Does every "Section N, 'Title'" of the map head a section of one of the lessons its row
    names (a title may be cut short: 'Rows or columns')? Moving sections between lessons must
    move the map's rows with them."""
    missing = []
    for item, (_, lessons, where, _, _) in ROWS.items():
        sources = [(REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
                   for lesson in re.findall(r"\d\d_[a-z_]+", lessons)]
        for number, title in re.findall(r"Section (\d+), '([^']*)'", where):
            heading = re.compile(rf"^# ## Section {number}, '{re.escape(title)}", re.M)
            if not any(heading.search(source) for source in sources):
                missing.append(f"{item}: Section {number}, '{title}' in {lessons}")
    assert missing == []


def test_every_where_to_look_of_the_feedback_is_a_heading_of_its_lesson():
    """Every exercise and every registered mistake says "Where to look: Section N, 'Title'":
    is that the heading of a section of the exercise's own lesson, word for word?"""
    from autograder.exercises import all_exercises

    missing = []
    for exercise in all_exercises():
        lesson = exercise.id.split(".")[0]
        source = (REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
        places = {exercise.where} | {m.where for m in exercise.mistakes}
        for where in sorted(p for p in places if p):
            for number, title in re.findall(r"Section (\d+), '([^']*)'", where):
                if f"# ## Section {number}, '{title}'" not in source:
                    missing.append(f"{exercise.id}: {where}")
    assert missing == []
