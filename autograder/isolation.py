"""Each exercise graded on its own: the student's earlier functions replaced by right answers.

The lessons ask students to reuse their own functions (``mlp_backward`` calls ``layer_backward``;
the lesson's ``mlp_gradients`` calls the student's ``mlp_backward``). Without care, one bug in an
early function would be charged again in every later exercise. While a check runs the student's
function, :func:`stand_ins` binds every earlier exercise's name in the student's namespace to an
adapter of its right answer (:func:`autograder.exercises.reusable` says which), so the score of an
exercise depends on its own code alone. The names are restored when the call returns, whatever
happens.

The namespace itself is patched (not a copy of the function's globals), so that calls through the
student's helpers and through the lesson's own functions are served too. The out-of-kernel
verifier does the same inside its sandbox, with the right answers served from the grader's side
over the channel (:mod:`autograder.integrity.verify`).

Which stand-ins were called is recorded, so that the message can add ONE line when the student's
own version of a called function fails its own test (:func:`upstream_note`).
"""
from __future__ import annotations

import contextlib
import copy
import inspect
from dataclasses import dataclass, field

from . import exercises as _exercises

#: Seeds on which an earlier function is judged for the "fails its own test" line: the worked
#: example and two more draws (enough to catch a function that only fits the worked example).
JUDGE_SEEDS = (_exercises.VISIBLE_SEED, 1, 2)


@dataclass
class Calls:
    """What a checked call used: the function names of the stand-ins it called, in order."""

    names: list = field(default_factory=list)

    def add(self, name):
        if name not in self.names:
            self.names.append(name)


def student_namespace(fn):
    """The global namespace the student's function looks names up in, or ``None``.

    Adapters of the grade cells (``named_gradients(f)``) are unwrapped through ``__wrapped__``.
    """
    try:
        target = inspect.unwrap(fn)
    except (ValueError, TypeError):  # a cycle of __wrapped__: treat as opaque
        return None
    namespace = getattr(target, "__globals__", None)
    return namespace if type(namespace) is dict else None


def call_through(signature, reference, args, kwargs):
    """Call ``reference`` positionally with the arguments a call of the student's function got
    (keywords mapped through the student's own signature, defaults filled in)."""
    if kwargs and signature is not None:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        args, kwargs = bound.args, bound.kwargs
    return reference(*args, **kwargs)


def make_stand_in(other, original, calls):
    """A function that behaves as the right answer to exercise ``other``.

    When the right answer cannot take the call (the student called their function in a way of
    their own), the student's ``original`` runs instead: then nothing is replaced.
    """
    reference = other.student_form or other.reference
    try:
        signature = inspect.signature(original)
    except (TypeError, ValueError):
        signature = None

    def stand_in(*args, **kwargs):
        calls.add(other.function)
        try:
            result = call_through(signature, reference, copy.deepcopy(args),
                                  copy.deepcopy(kwargs))
        except Exception:  # noqa: BLE001 - a call the reference cannot take
            return original(*args, **kwargs)
        return copy.deepcopy(result)

    stand_in.__name__ = other.function
    stand_in.__doc__ = getattr(original, "__doc__", None)
    return stand_in


@contextlib.contextmanager
def stand_ins(exercise, fn):
    """Bind the right answers of ``exercise``'s earlier exercises in ``fn``'s namespace.

    Yields a :class:`Calls` record and a dict ``{name: the student's own function}``; restores
    every name on exit.
    """
    calls = Calls()
    namespace = student_namespace(fn)
    originals = {}
    if namespace is not None:
        for name, other in _exercises.reusable(exercise).items():
            own = namespace.get(name)
            if callable(own) and own is not fn:
                originals[name] = own
                namespace[name] = make_stand_in(other, own, calls)
    try:
        yield calls, originals
    finally:
        for name, own in originals.items():
            namespace[name] = own


def fails_own_test(exercise, fn):
    """Does the student's ``fn`` fail the values check of its own ``exercise``?"""
    from .checks import CheckFailed, check_exercise

    try:
        check_exercise(exercise.id, fn, seeds=JUDGE_SEEDS, quiet=True, _note_upstream=False)
    except CheckFailed:
        return True
    except Exception:  # noqa: BLE001 - anything else is a failure of the student's function too
        return True
    return False


def upstream_note(exercise, calls, originals):
    """The one line naming the student's own earlier functions that this check called and that
    fail their own tests ('' when there is none)."""
    reusable = _exercises.reusable(exercise)
    failing = [name for name in calls.names
               if name in originals and name in reusable
               and fails_own_test(reusable[name], originals[name])]
    if not failing:
        return ""
    names = " and ".join(f"`{n}`" for n in failing)
    which = "which fails its own test" if len(failing) == 1 else "which fail their own tests"
    return f"This also calls your {names}, {which}: fix that first."
