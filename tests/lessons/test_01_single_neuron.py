"""What is particular to the exercises of lesson 01_single_neuron.

What every lesson's exercises must do (the reference passes the grade cells, each mistake is
named on the visible and hidden seeds, a hard-coded answer fails, the student version keeps
its def lines) is checked for all lessons at once by tests/lessons/test_lesson_contract.py.
"""
from autograder.exercises import all_exercises

LESSON = "01_single_neuron"
FUNCTIONS = ("gradient_descent_1d", "neuron_forward", "neuron_example_gradients",
             "neuron_sgd_step", "neuron_gd_step")


def test_are_all_five_exercises_registered_under_the_lesson_id():
    """Does the registry hold exactly the five lesson-1 functions, with ids lesson.function?"""
    ours = [e for e in all_exercises() if e.lesson == LESSON]
    assert sorted(e.id for e in ours) == sorted(f"{LESSON}.{name}" for name in FUNCTIONS)
    assert all(e.function == e.id.split(".", 1)[1] for e in ours)
