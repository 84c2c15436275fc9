"""The registry of autograded exercises: one entry per function a student writes.

An :class:`Exercise` says everything the grader needs to know about one exercise: the name of
the student's function, the reference that computes the right answer, how to draw inputs (a
fixed worked example for the visible tests, fresh seeded draws for the hidden ones), and the
known wrong variants (:class:`Mistake`) whose outputs the checks compare against, so that a
message can name the mistake. The grade cells in the notebooks
(:func:`autograder.checks.check_exercise`) and the grading pipeline use this one registry, so
they cannot disagree about what an exercise is.

Each lesson registers its exercises in a module of this package named ``lessonNN``.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

#: Seed of the worked example shown by visible grade cells.
VISIBLE_SEED = 0


@dataclass(frozen=True)
class Mistake:
    """A known wrong variant of an exercise's answer.

    Attributes
    ----------
    key : str
        Identifier shared across lessons (see :mod:`autograder.mistakes`), e.g. ``"opposite_sign"``.
    fn : callable
        Computes the wrong answer from the same arguments as the reference.
    message : str
        What the mistake is, said to the student ("the sign is flipped: a - y, not y - a").
    where : str
        Where the lesson explains the right version (a section title).
    """

    key: str
    fn: Callable
    message: str
    where: str = ""


@dataclass(frozen=True)
class Exercise:
    """One autograded exercise.

    Attributes
    ----------
    id : str
        ``"<lesson id>.<function name>"``, e.g. ``"01_single_neuron.neuron_forward"``.
    function : str
        The name of the function the student defines.
    reference : callable
        The right answer: takes the arguments in the order ``make_inputs`` returns them.
    make_inputs : callable
        ``make_inputs(rng) -> dict`` of argument name -> value, in call order. Called with
        ``np.random.default_rng(VISIBLE_SEED)`` for the worked example; hidden tests pass other
        seeds. Inputs must make every listed mistake distinguishable from the reference
        (non-square matrices, more than one example, nonzero biases...).
    outputs : tuple of str
        Names of the returned values, in order (used in messages: ``"dW1"``, ``"db1"``...).
    mistakes : tuple of Mistake
    where : str
        Where the lesson explains the exercise.
    rtol, atol : float
        Tolerances of the value comparison (float64 computations of the same formula agree to
        ~1e-12; 1e-6 leaves room for a different but equivalent order of operations).
    worked_example : callable, optional
        ``worked_example() -> dict``: the inputs of the visible check when the lesson itself
        computes them (its worked example), so every number a visible message prints can be
        reproduced in the notebook. Without it the visible check draws from ``VISIBLE_SEED``.
    student_form : callable, optional
        The right answer in the form the student's function has (arguments and return value),
        when ``reference`` is adapted for the checks (``named_gradients``); defaults to
        ``reference``. It stands in for the student's own function while a later exercise that
        calls it is checked (see :func:`reusable`).
    case : callable, optional
        ``case(seed) -> dict`` of keyword arguments for ``make_inputs``: which branch of the
        function a seed exercises (an activation, a loss), so that the grade cells' seeds cover
        every branch and argument the docstring offers. ``{}`` keeps ``make_inputs``'s own draw.
    not_reused : tuple of str
        Earlier exercises' function names that must NOT stand in for the student's own while
        this one is checked: calling one of them would be the whole answer (a bug hunt whose
        reference is an earlier exercise's, a batch step written as the one-example step).
    """

    id: str
    function: str
    reference: Callable
    make_inputs: Callable
    outputs: tuple = ("result",)
    mistakes: tuple = field(default_factory=tuple)
    where: str = ""
    rtol: float = 1e-6
    atol: float = 1e-9
    worked_example: Callable | None = None
    student_form: Callable = None
    not_reused: tuple = ()
    case: Callable = None

    @property
    def lesson(self) -> str:
        return self.id.split(".", 1)[0]

    def inputs(self, seed=VISIBLE_SEED) -> dict:
        """The argument dict for one test case, drawn from ``np.random.default_rng(seed)``
        (the lesson's own worked example for ``VISIBLE_SEED`` when it has one)."""
        if seed == VISIBLE_SEED and self.worked_example is not None:
            return dict(self.worked_example())
        rng = np.random.default_rng(seed)
        if self.case is None:
            return dict(self.make_inputs(rng))
        return dict(self.make_inputs(rng, **self.case(seed)))


_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


def register(*exercises: Exercise) -> None:
    """Add exercises to the registry (called by the ``lessonNN`` modules at import)."""
    for exercise in exercises:
        if exercise.id in _REGISTRY and _REGISTRY[exercise.id] is not exercise:
            raise ValueError(f"Exercise id {exercise.id!r} is registered twice.")
        _REGISTRY[exercise.id] = exercise


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("lesson"):
            name = f"{__name__}.{module.name}"
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as error:
                # A grading kernel sees only its own lesson's modules (the others are covered,
                # autograder.sandbox.lesson_scope): the lesson is not in this registry.
                if error.name != name:
                    raise
    _LOADED = True


def get(exercise_id: str) -> Exercise:
    """The exercise with this id; a clear error names the known ids of the lesson otherwise."""
    _load_all()
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        lesson = exercise_id.split(".", 1)[0]
        known = sorted(k for k in _REGISTRY if k.startswith(lesson + ".")) or sorted(_REGISTRY)
        raise KeyError(
            f"No exercise {exercise_id!r}. Known exercises: {', '.join(known)}."
        ) from None


def worked_example(exercise_id: str) -> dict:
    """The inputs of an exercise's visible check, fresh copies, in call order.

    A failing visible check prints the values it expected on these inputs; a student
    reproduces them in the notebook with
    ``neuron_forward(**worked_example("01_single_neuron.neuron_forward"))``.
    """
    return get(exercise_id).inputs(VISIBLE_SEED)


def all_exercises() -> list[Exercise]:
    """Every registered exercise, sorted by id."""
    _load_all()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def lesson_exercises(lesson: str) -> list[Exercise]:
    """The exercises of one lesson in the order the lesson asks for them."""
    _load_all()
    return [e for e in _REGISTRY.values() if e.lesson == lesson]


def reusable(exercise: Exercise) -> dict[str, Exercise]:
    """Earlier exercises of the same lesson whose right answer stands in for the student's own
    function while ``exercise`` is checked: ``{function name: exercise}``.

    The lessons ask students to reuse their functions, so a check of ``mlp_backward`` would
    otherwise also grade the student's ``layer_backward``. Only EARLIER exercises stand in (a
    later one could be the answer itself), never one with the same reference (a bug hunt that
    re-implements an earlier exercise) nor one the exercise lists in ``not_reused``.
    """
    found = {}
    for other in lesson_exercises(exercise.lesson):
        if other.id == exercise.id:
            break
        if other.function == exercise.function or other.function in exercise.not_reused \
                or other.reference is exercise.reference:
            continue
        found[other.function] = other
    return found
