"""Do the grade cells of the lessons, as written, reject every known wrong answer by name?

The exercise tests (tests/test_exercises_*.py) call the checks directly. These tests run the
grade cells' own source, hidden tests included, with the student's function replaced by each
registered wrong variant: a grade cell that named the wrong exercise or function, or checked
too little, would be caught here.
"""
import pytest

from autograder import exercises
from autograder.build import find_lessons
from lesson_cells import REPO, grade_cells, run_grade_cell as _run

CELLS = grade_cells()
BY_EXERCISE = {}
for _lesson, _grade_id, _source, _exercise_id, _name in CELLS:
    BY_EXERCISE.setdefault(_exercise_id, []).append((_grade_id, _source, _name))


def test_every_registered_exercise_has_grade_cells():
    """Is every exercise in the registry graded by at least one cell of its lesson?"""
    registered = {e.id for e in exercises.all_exercises() if e.lesson in find_lessons(REPO / "course")}
    assert registered <= set(BY_EXERCISE)


@pytest.mark.parametrize("exercise_id", sorted(BY_EXERCISE))
def test_reference_passes_every_grade_cell(exercise_id, capsys):
    """Does the right answer pass every grade cell that checks this exercise?"""
    exercise = exercises.get(exercise_id)
    for grade_id, source, name in BY_EXERCISE[exercise_id]:
        assert name == exercise.function, f"{grade_id} checks `{name}`"
        assert _run(source, name, exercise.reference) is None, grade_id


@pytest.mark.parametrize("exercise_id", sorted(BY_EXERCISE))
def test_each_known_mistake_fails_a_grade_cell_that_names_it(exercise_id, capsys):
    """Does every registered wrong variant fail the lesson's grade cells with its own message?"""
    exercise = exercises.get(exercise_id)
    for mistake in exercise.mistakes:
        failures = [message for _, source, name in BY_EXERCISE[exercise_id]
                    if (message := _run(source, name, mistake.fn)) is not None]
        assert failures, f"{mistake.key} passes every grade cell of {exercise_id}"
        assert any(mistake.message in message for message in failures), \
            f"{mistake.key}: the grade cells fail without naming it:\n{failures[0]}"


@pytest.mark.parametrize("exercise_id", sorted(BY_EXERCISE))
def test_a_hard_coded_worked_example_fails_the_hidden_tests(exercise_id, capsys):
    """Does an answer that returns the worked example's output whatever the input fail?"""
    exercise = exercises.get(exercise_id)
    answer = exercise.reference(*exercise.inputs().values())
    failures = [_run(source, name, lambda *args, _a=answer: _a)
                for _, source, name in BY_EXERCISE[exercise_id]]
    assert any(f is not None for f in failures)
