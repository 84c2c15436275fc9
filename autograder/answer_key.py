"""Where expected values come from: the real reference when installed, else the recorded key.

The instructor's package (the repository, ``make lab``, class grading, CI) holds
:mod:`autograder.reference` and computes every expected value live. The student package that a
class installs (``make student-package``, :mod:`autograder.student_package`) holds no reference,
no hidden seeds and no mistake variants: each graded exercise's right answer and known mistakes
are DATA recorded here from the real reference, on the inputs of the visible checks only
(the worked example and the draws :mod:`autograder.isolation` judges earlier functions on).

The student package's ``exercises/lessonNN.py`` call :func:`register_lesson`, which registers
:class:`RecordedExercise` records whose ``reference`` and mistakes are :class:`RecordedFunction`
tables. A call on inputs the table does not hold raises :class:`KeyNotRecorded` with a clear
message; the upstream stand-ins of :mod:`autograder.isolation` then fall back to the student's own
function (in the student's own environment grading is feedback; the class run uses the full
package).
"""
from __future__ import annotations

import copy
import dataclasses
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import key_codec
from .key_codec import Raised

#: The recorded key inside the student package: ``visible_key.json`` and ``visible_key.npz``
#: (data only, see :mod:`autograder.key_codec`).
KEY_PATH = Path(__file__).parent / "data" / "visible_key"

#: Format of the recorded key; a key of another version is refused.
KEY_VERSION = 2


def live() -> bool:
    """Is the real reference installed (the instructor's package)?"""
    return importlib.util.find_spec(f"{__package__}.reference") is not None


class KeyNotRecorded(LookupError):
    """The student package holds no answer for these inputs."""


# ---- comparing arguments with the recorded ones ------------------------------------------------

def same(a, b) -> bool:
    """Are two argument values the same input (arrays bit for bit, numbers by value)?"""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind
                                                               in "fc")))
    if isinstance(a, (bool, np.bool_)) or isinstance(b, (bool, np.bool_)):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
        return a == b or (a != a and b != b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, np.random.Generator) and isinstance(b, np.random.Generator):
        # A fresh copy of the same draw: the state, not the object, is the input.
        return same(a.bit_generator.state, b.bit_generator.state)
    if callable(a) and callable(b):
        return a is b or (getattr(a, "__name__", None) == getattr(b, "__name__", None)
                          and getattr(a, "__doc__", None) == getattr(b, "__doc__", None))
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return same(vars(a), vars(b))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - values that cannot be compared are not the same
        return False


class RecordedFunction:
    """A right answer (or known mistake) as a table ``[(arguments, result)]``.

    Parameters
    ----------
    name : str
        What it computes, for the message (``"the reference of 01_single_neuron.neuron_forward"``).
    entries : list of (list, object)
        Positional arguments and the result the real function returned on them.
    """

    def __init__(self, name, entries=()):
        self.name = name
        self.entries = list(entries)

    def __call__(self, *args, **kwargs):
        args = list(args) + list(kwargs.values())
        for recorded, result in self.entries:
            if same(args, list(recorded)):
                if isinstance(result, Raised):
                    raise ValueError(result.text)
                return copy.deepcopy(result)
        raise KeyNotRecorded(
            f"The student package holds {self.name} only on the visible worked example, not on "
            "these inputs. The class's grading (the instructor's package) computes the rest; "
            "to check other inputs yourself, install the full package (see docs/jupyterhub.md).")

    def __repr__(self):
        return f"<recorded {self.name}: {len(self.entries)} case(s)>"


# ---- recording (instructor's side) -------------------------------------------------------------

def _call(fn, inputs):
    try:
        return fn(*copy.deepcopy(list(inputs.values())))
    except Exception as error:  # noqa: BLE001 - recorded as "cannot be computed here"
        return Raised(f"{type(error).__name__}: {error}")


def record(seeds=None) -> dict:
    """The visible key, computed from the real reference: for every exercise its inputs on
    ``seeds`` (the worked example and :data:`autograder.isolation.JUDGE_SEEDS`), the reference's
    result and each known mistake's result on them. Never a hidden seed."""
    from . import exercises
    from .isolation import JUDGE_SEEDS

    seeds = tuple(JUDGE_SEEDS if seeds is None else seeds)
    groups, records = {}, []
    for exercise in exercises.all_exercises():
        group = groups.setdefault(id(exercise.reference),
                                  {"name": f"the right answer of {exercise.id}", "entries": []})
        cases = {seed: exercise.inputs(seed) for seed in seeds}
        mistakes = []
        for wrong in exercise.mistakes:
            mistakes.append({"key": wrong.key, "message": wrong.message, "where": wrong.where,
                             "entries": [(list(inputs.values()), _call(wrong.fn, inputs))
                                         for inputs in cases.values()]})
        for inputs in cases.values():
            group["entries"].append((list(inputs.values()), _call(exercise.reference, inputs)))
        records.append({
            "id": exercise.id, "function": exercise.function, "group": group["name"],
            "outputs": tuple(exercise.outputs), "where": exercise.where, "rtol": exercise.rtol,
            "atol": exercise.atol, "not_reused": tuple(exercise.not_reused),
            "inputs": cases, "mistakes": mistakes})
    return {"version": KEY_VERSION, "seeds": seeds,
            "groups": {g["name"]: g["entries"] for g in groups.values()}, "exercises": records}


def write(path=KEY_PATH) -> tuple[Path, Path]:
    """Record the key and write it to ``path`` (a stem: ``.json`` and ``.npz`` files)."""
    return key_codec.write(record(), path)


# ---- the student package's registry ------------------------------------------------------------

_KEY = None


def load(path=KEY_PATH) -> dict:
    """The recorded key (read once)."""
    global _KEY
    if _KEY is None:
        try:
            data = key_codec.read(path)
        except FileNotFoundError:
            raise FileNotFoundError(
                f"No recorded answer key at {path}: this autograder has neither the reference "
                "nor the key. Reinstall the course package (see docs/jupyterhub.md).") from None
        if data.get("version") != KEY_VERSION:
            raise ValueError(f"The recorded answer key {path} has version {data.get('version')}; "
                             f"this autograder reads version {KEY_VERSION}. Reinstall it.")
        _KEY = data
    return _KEY


def _exercise_class():
    from .exercises import Exercise

    @dataclass(frozen=True)
    class RecordedExercise(Exercise):
        """An exercise whose inputs, right answer and mistakes are recorded data."""

        recorded_inputs: dict = None

        def inputs(self, seed=0) -> dict:
            try:
                return copy.deepcopy(dict(self.recorded_inputs[seed]))
            except KeyError:
                raise KeyNotRecorded(
                    f"The student package holds the inputs of {self.id} for the worked example "
                    "only; hidden tests are graded by the instructor's package.") from None

    return RecordedExercise


def register_lesson(lesson: str) -> None:
    """Register the recorded exercises of ``lesson`` (called by the student package's
    ``exercises/lessonNN.py``)."""
    from .exercises import Mistake, register

    key = load()
    cls = _exercise_class()
    groups = {}
    for item in key["exercises"]:
        if item["id"].split(".", 1)[0] != lesson:
            continue
        if item["group"] not in groups:
            groups[item["group"]] = RecordedFunction(item["group"], key["groups"][item["group"]])

        def no_draw(rng, _id=item["id"]):
            raise KeyNotRecorded(f"The student package cannot draw new inputs for {_id}.")

        register(cls(
            id=item["id"], function=item["function"], reference=groups[item["group"]],
            make_inputs=no_draw, outputs=item["outputs"], where=item["where"],
            rtol=item["rtol"], atol=item["atol"], not_reused=item["not_reused"],
            # No stand-in table: a stand-in the key cannot serve runs the student's own function.
            student_form=RecordedFunction(f"the right answer of {item['id']}"),
            mistakes=tuple(Mistake(m["key"], RecordedFunction(f"mistake {m['key']}", m["entries"]),
                                   m["message"], m["where"]) for m in item["mistakes"]),
            recorded_inputs=item["inputs"]))
