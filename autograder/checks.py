"""What grade cells call: run a student's function and explain, for a student, what is wrong.

:func:`check_exercise` calls the student's function on copies of an exercise's inputs and checks,
in this order: it returns something; the type; the shape; finite values; the values. The first
failure raises :class:`CheckFailed` (an ``AssertionError``) whose message says what was expected,
what came back and where to look. When the values are wrong, the known wrong variants of the
exercise are computed on the same inputs; if the student's answer matches one, the message names
that mistake.

Everything a student returns is converted to a fresh float64 ``ndarray`` before any comparison,
so an object with a lying ``__eq__`` (or ``__bool__``, or an ndarray subclass) cannot pass. No
warning and nothing on stderr leaves a check: nbgrader scores a grade cell 0 for any stderr
output, and a correct answer that overflows harmlessly (``np.exp(1000)`` in a naive sigmoid)
must not lose its points.
"""
from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import warnings

import numpy as np

from . import exercises as _exercises
from . import isolation as _isolation
from . import mistakes as _mistakes

_NUMERIC_KINDS = "biuf"


class CheckFailed(AssertionError):
    """A check failed; the message is written for the student.

    ``mistake`` is the key of the known mistake the message names, or ``None`` (read by the
    out-of-kernel verifier, :mod:`autograder.integrity`).
    """

    mistake = None
    #: True when the message locates the difference (which array, entries, ratio, transpose)
    #: without naming a mistake; read by the blind corpus's tests.
    located = False

    def _render_traceback_(self):
        """The lines IPython shows in place of the traceback: the student's message alone.

        IPython calls this for an exception that has it and prints the lines it returns
        instead of a traceback through this package (25-30 lines quoting the install path);
        the cell still ends in an error, so nbgrader still scores it 0, and the lines become
        the ``traceback`` of the error output that the feedback page shows. When the check
        failed because the student's own function raised, the message comes first and the
        frames of the student's code follow it ("the traceback below points at the line").
        It never raises: IPython would print its own failure to stderr.
        """
        try:
            return _message_lines(self) + _student_frames(self.__cause__)
        except Exception:  # noqa: BLE001 - a broken rendering must not hide the message
            args = [a for a in self.args if isinstance(a, str)]
            return [f"{type(self).__name__}: {args[0] if args else ''}"]


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_RED, _RESET = "\x1b[31m", "\x1b[0m"


def _message_lines(error):
    """The message of a failed check, one line a list entry, its first line marked in red."""
    lines = str(error).splitlines() or [type(error).__name__]
    return [f"{_RED}\u2718 {lines[0]}{_RESET}", *lines[1:]]


def _student_frames(cause):
    """The traceback of an exception from the student's code, without this package's frames."""
    if cause is None or cause.__traceback__ is None:
        return []
    import traceback

    frames = [frame for frame in traceback.extract_tb(cause.__traceback__)
              if not frame.filename.startswith(_PACKAGE_DIR)]
    if not frames:
        return []
    lines = ["Traceback of your code (most recent call last):"]
    for frame in frames:
        lines.append(f"  {_where(frame.filename)}, line {frame.lineno}, in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    for text in traceback.format_exception_only(type(cause), cause):
        lines += text.rstrip("\n").split("\n")
    return lines + [""]


_BROADCAST = re.compile(r"operands could not be broadcast together with (?:remapped )?shapes"
                        r"\s*(.*?)(?:\s+and requested shape|$)")
_MATMUL = re.compile(r"matmul: Input operand (\d) has a mismatch in its core dimension (\d)"
                     r".*\(size (\d+) is different from (\d+)\)")


def _students_line(error):
    """``(line number, source line)`` of the innermost frame of the student's code, or None."""
    import traceback

    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not frame.filename.startswith(_PACKAGE_DIR)
              and os.sep + "numpy" + os.sep not in frame.filename]
    if not frames:
        return None
    return frames[-1].lineno, (frames[-1].line or "").strip()


def shape_error_message(error, fn_name):
    """Plain words for numpy's shape errors raised in the student's code, or "" for another error.

    numpy says "operands could not be broadcast together with shapes (2,6) (5,6)" or "matmul:
    Input operand 1 has a mismatch in its core dimension 0 ... (size 1 is different from 2)":
    true, but it names neither the line nor what to check. This names both.
    """
    if not isinstance(error, ValueError):
        return ""
    text = str(error)
    broadcast, matmul = _BROADCAST.search(text), _MATMUL.search(text)
    if not (broadcast or matmul):
        return ""
    where = _students_line(error)
    at = (f"line {where[0]} of your code, `{where[1]}`," if where and where[1]
          else f"your `{fn_name}`")
    if broadcast:
        shapes = " and ".join(broadcast.group(1).split())
        return (f"The shapes do not fit: {at} combines entry by entry arrays of shapes "
                f"{shapes}, which numpy cannot line up (each axis must be equal, or 1 in one "
                "of them). Check each array's shape against the lesson's table: a missing .T, "
                "a sum without keepdims=True, or an array of another layer are the usual causes.")
    operand, _, size, expected = matmul.groups()
    return (f"The shapes do not fit: {at} multiplies matrices (@) whose inner sizes differ "
            f"({size} against {expected}): the columns of the left factor must match the rows "
            "of the right one. Write down each factor's shape: a missing or extra .T, the "
            "factors the wrong way round, or an array of another layer are the usual causes.")


def _where(filename):
    """``Cell In[3]`` for a notebook cell (as IPython names it), else ``File "path"``."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            kind, name = shell.compile.format_code_name(filename)
            return f"{kind} {name}"
    except Exception:  # noqa: BLE001 - not in IPython, or another IPython: the plain name
        pass
    return f'File "{filename}"'


@contextlib.contextmanager
def _quiet():
    """Silence warnings and stderr (nbgrader zeroes a grade cell that writes to stderr)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"), contextlib.redirect_stderr(io.StringIO()):
            yield


def _describe(value) -> str:
    if issubclass(type(value), np.ndarray):  # type(): see coerce_to_float_array
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def coerce_to_float_array(value, label):
    """Convert a returned value to a fresh float64 ``ndarray`` or raise :class:`CheckFailed`.

    Accepted: Python ``int``/``float``/``bool`` (exact types), numpy scalars and ndarrays of a
    boolean, integer or floating dtype. An ndarray subclass is read through the base class, so
    none of its overridden methods run. Anything else (lists, ``None``, objects) is refused with a
    message, because a comparison would otherwise run the object's own code.
    """
    if type(value) in (int, float, bool):
        # Integrity hardening: an int beyond the float64 range raised OverflowError here (a
        # grade cell error instead of a message); it is a wrong answer like any other.
        try:
            return np.array(float(value), dtype=np.float64)
        except OverflowError:
            raise CheckFailed(f"{label} is an integer too large for a float64.") from None
    # Types are tested with type(), never isinstance(): an object can claim any class through a
    # ``__class__`` property, and isinstance believes it. A numpy scalar (or a subclass of one
    # that overrides item/__float__/dtype) is read by np.array, which copies its data and runs
    # none of its methods.
    if issubclass(type(value), np.generic):
        scalar = np.array(value)
        if scalar.dtype.kind in _NUMERIC_KINDS:
            return np.array(scalar, dtype=np.float64)
    if issubclass(type(value), np.ndarray):
        base = np.ndarray.view(value, np.ndarray)
        if base.dtype.kind in _NUMERIC_KINDS:
            return np.array(base, dtype=np.float64, copy=True)
        raise CheckFailed(
            f"{label} is an array of dtype {base.dtype}; it should hold real numbers (float64). "
            "Build it from numpy operations on the inputs rather than from Python objects."
        )
    if issubclass(type(value), (list, tuple)):
        hint = "wrap it with np.array(...)" if value and not isinstance(value[0], np.ndarray) \
            else "return the array itself, not a list of arrays"
        raise CheckFailed(f"{label} is {_describe(value)}, not a numpy array: {hint}.")
    if value is None:
        raise CheckFailed(f"{label} is None. Did you forget a `return` statement?")
    raise CheckFailed(
        f"{label} is {_describe(value)}; expected a number or a numpy array of numbers."
    )


def _format_array(a, limit=6):
    a = np.asarray(a)
    if a.ndim == 0:
        return f"{float(a):.6g}"
    with np.printoptions(precision=6, suppress=False, threshold=limit, edgeitems=2):
        text = np.array2string(a, separator=", ")
    return text.replace("\n", "\n      ")


def _close(a, b, rtol, atol):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _split_top(result, names, fn_name, reference_result):
    """Split a (possibly tuple or dict) result into named components, like the reference's."""
    if isinstance(reference_result, dict):
        if not isinstance(result, dict):
            raise _failed(
                f"`{fn_name}` should return a dict with keys {list(reference_result)}; "
                f"it returned {_describe(result)}.",
                None if result is None else "wrong_return_type")
        missing = [k for k in reference_result if k not in result]
        if missing:
            message = (f"The dict returned by `{fn_name}` has no key(s) {missing}; expected "
                       f"keys {list(reference_result)}, found {list(result)}.")
            if _mistakes.missing_layer(missing, [k for k in reference_result if k in result]):
                raise _failed(message + "\nOne layer is missing: the loop over the layers "
                              "stops one layer early or starts one late. This looks like a "
                              f"known mistake: {_mistakes.CATALOGUE['iteration_count']}.",
                              "iteration_count")
            raise CheckFailed(message)
        return [(k, result[k], reference_result[k]) for k in reference_result]
    if isinstance(reference_result, tuple):
        if result is None:
            raise CheckFailed(f"`{fn_name}` returned None. Did you forget a `return` statement?")
        if not isinstance(result, (tuple, list)) or len(result) != len(reference_result):
            sequence = isinstance(result, (tuple, list))
            got = f"{len(result)} values" if sequence else _describe(result)
            raise _failed(
                f"`{fn_name}` should return {len(reference_result)} values "
                f"({', '.join(names)}), as in `return {', '.join(names)}`; it returned {got}.",
                None if sequence else "wrong_return_type"
            )
        return list(zip(names, result, reference_result))
    return [(names[0], result, reference_result)]


def layer_count_failure(message):
    """The failure for a list of per-layer arrays with one layer too many or too few:
    ``message`` and the iteration-count family (a loop over the layers off by one)."""
    return _failed(message + "\nOne layer too many or too few. This looks like a known "
                   f"mistake: {_mistakes.CATALOGUE['iteration_count']}.", "iteration_count")


def _expand_lists(parts, fn_name):
    """Expand components whose reference is a list of arrays (one per layer) into ``name[i]``."""
    flat = []
    for name, value, reference_value in parts:
        if not isinstance(reference_value, list):
            flat.append((name, value, reference_value))
            continue
        if not isinstance(value, (list, tuple)) or len(value) != len(reference_value):
            got = f"{len(value)} entries" if isinstance(value, (list, tuple)) \
                else _describe(value)
            message = (f"`{name}` returned by `{fn_name}` should be a list of "
                       f"{len(reference_value)} arrays (one per layer); it is {got}.")
            if isinstance(value, (list, tuple)) and abs(len(value) - len(reference_value)) == 1:
                raise layer_count_failure(message)
            raise _failed(message, "wrong_return_type")
        flat.extend(_expand_lists([(f"{name}[{i}]", v, r) for i, (v, r)
                                   in enumerate(zip(value, reference_value))], fn_name))
    return flat


def _split(result, names, fn_name, reference_result):
    """Named components ``[(name, value)]`` of a result shaped like the reference's: a single
    value, a tuple, a dict, with lists of arrays (one per layer) expanded to ``name[i]``."""
    parts = _expand_lists(_split_top(result, names, fn_name, reference_result), fn_name)
    return [(name, value) for name, value, _ in parts]


def _components(result, names, fn_name, reference_result):
    return _split(result, names, fn_name, reference_result)


def _call(fn, inputs, fn_name, exercise=None):
    """Call the student's function on deep copies of the inputs, positionally.

    While it runs, the student's earlier exercises are replaced by their right answers
    (:mod:`autograder.isolation`). Returns ``(result, names of the arguments changed in place,
    the stand-ins called, the student's own versions of them)``.
    """
    args = copy.deepcopy(list(inputs.values()))
    stand_ins = _isolation.stand_ins(exercise, fn) if exercise is not None \
        else contextlib.nullcontext((_isolation.Calls(), {}))
    try:
        with _quiet(), stand_ins as (calls, originals):
            result = fn(*args)
    except NotImplementedError:
        raise CheckFailed(
            f"`{fn_name}` is not written yet: replace `raise NotImplementedError()` with your code."
        ) from None
    except CheckFailed:
        raise
    except Exception as error:  # the student's bug: show it with the student's traceback
        explained = shape_error_message(error, fn_name)
        failure = CheckFailed(
            (explained + "\n" if explained else "")
            + f"`{fn_name}` raised {type(error).__name__}: {error}\n"
            f"It was called as {fn_name}({', '.join(inputs)}) with the shapes "
            f"{_shapes(inputs)}. The traceback below points at the line in your code."
        )
        failure.located = bool(explained)
        raise failure from error
    mutated = changed_arguments(inputs, args)
    return result, mutated, calls, originals


def _same(before, after, depth=0):
    """Is ``after`` still equal to ``before`` (arrays, dicts, lists, tuples, numbers)?

    Values the checks do not own are not compared: a random Generator is meant to be consumed,
    and a function argument (``dJ``) has no state of the caller's.
    """
    if depth > 32:
        return True
    if type(before) is np.ndarray:
        if type(after) is not np.ndarray or before.shape != after.shape \
                or before.dtype != after.dtype:
            return False
        return bool(np.array_equal(before, after, equal_nan=before.dtype.kind in "fc"))
    if type(before) is dict:
        return type(after) is dict and list(before) == list(after) and all(
            _same(before[k], after[k], depth + 1) for k in before)
    if type(before) in (list, tuple):
        return type(after) is type(before) and len(before) == len(after) and all(
            _same(b, a, depth + 1) for b, a in zip(before, after))
    if type(before) in (int, float, bool, str) or isinstance(before, np.generic):
        return type(after) is type(before) and (before == after or before != before)
    return True


def changed_arguments(inputs, after):
    """Names of the arguments (in ``inputs``, as given) whose copies ``after`` a call differ."""
    return [name for (name, before), now in zip(inputs.items(), after)
            if not _same(before, now)]


def mutation_message(fn_name, mutated):
    """The message for a function that changed its caller's data (it loses the cell's points)."""
    names = ", ".join(f"`{n}`" for n in mutated)
    return (
        f"`{fn_name}` changed its argument(s) {names} in place. A function of this course must "
        "leave the caller's data as it was (the caller may still need it, as the lesson's own "
        "code does): build new values instead, e.g. `w = w - lr * dw` rather than "
        "`w -= lr * dw`, and `new = {k: v - lr * grads['d' + k] for k, v in params.items()}` "
        "rather than `params[k] -= ...`."
    )


def _shapes(inputs):
    return ", ".join(
        f"{k}: {np.shape(v)}" if isinstance(v, np.ndarray) else f"{k}: {type(v).__name__}"
        for k, v in inputs.items()
    )


def _reference(exercise, inputs):
    with _quiet():
        return exercise.reference(*copy.deepcopy(list(inputs.values())))


def _same_output(student, value, exercise):
    """Does one returned value of a variant equal the student's (``None`` only equals ``None``;
    a scalar equals any size-1 array, as the shape check allows)?"""
    if student is None or value is None:
        return student is None and value is None
    if student.size == 1 and value.size == 1:
        student, value = student.reshape(()), value.reshape(())
    return _close(student, value, exercise.rtol, exercise.atol)


def _variant_outputs(wrong, exercise, inputs, reference_result):
    """A registered variant's returned values on ``inputs``, one float64 array (or ``None``)
    per output as :func:`_split` names them; ``None`` when it cannot be computed here."""
    try:
        with _quiet():
            variant = wrong.fn(*copy.deepcopy(list(inputs.values())))
        parts = _split(variant, exercise.outputs, "mistake", reference_result)
        return [None if v is None else np.asarray(v, dtype=np.float64) for _, v in parts]
    except Exception:  # noqa: BLE001 - a variant that cannot be computed does not match
        return None


def _matching_mistake(exercise, inputs, students, expecteds, index, reference_result,
                      by_shape=False):
    """The first registered mistake that explains the student's answer, or ``None``.

    A variant is named only when EVERY returned value of the exercise equals the variant's
    (for a function returning ``(w, b)``, both w and b): a variant that reproduces one output
    by coincidence (w moved by db has the w of "w's step misses x_i" when x_i is 1) must not
    name the mistake of another. The output ``index`` being explained must also differ from
    the right one (or, ``by_shape``, have the variant's wrong shape).

    Parameters
    ----------
    students : list of (ndarray or None)
        The student's returned values as float64 arrays, one per output (``None`` where the
        value is ``None`` or cannot be read).
    expecteds : list of (ndarray or None)
        The reference's, in the same order.
    index : int
        The output whose failure the message explains.
    """
    student, expected = students[index], expecteds[index]
    for wrong in exercise.mistakes:
        values = _variant_outputs(wrong, exercise, inputs, reference_result)
        if values is None or len(values) != len(students) or values[index] is None:
            continue
        value = values[index]
        if by_shape:
            # The values must match too: a shape alone is shared by many different wrong
            # answers (returning b, of shape (n, 1), is not "only the first example used").
            if value.shape != student.shape or value.shape == expected.shape:
                continue
        elif _same_output(value, expected, exercise):
            continue
        if all(_same_output(s, v, exercise) for s, v in zip(students, values)):
            return wrong
    return None


def _mistake_text(wrong, exercise):
    where = wrong.where or exercise.where
    text = f"This looks like a known mistake: {wrong.message}."
    if where:
        text += f"\nWhere to look: {where}."
    return text


def _check_case(exercise, fn, seed, part, hidden, note_upstream=True):
    fn_name = exercise.function
    inputs = exercise.inputs(seed)
    result, mutated, calls, originals = _call(fn, inputs, fn_name, exercise)
    upstream = _isolation.upstream_note(exercise, calls, originals) if note_upstream else ""
    try:
        if mutated:
            raise _failed(mutation_message(fn_name, mutated), "mutates_input")
        compare_result(exercise, inputs, result, part, hidden, seed=seed)
    except CheckFailed as error:
        if upstream:
            error.args = (f"{error.args[0]}\n{upstream}",) + tuple(error.args[1:])
        raise
    return [upstream] if upstream else []


def compare_result(exercise, inputs, result, part="values", hidden=False, seed=None):
    """Compare a result already computed with the reference's on the same inputs.

    The comparison of :func:`check_exercise`, without calling anything of the student's: the
    out-of-kernel verifier (:mod:`autograder.integrity`) computes ``result`` in a sandbox and
    compares it here, so both grade the same way. In order: the structure (tuple, dict, lists
    of layers), then for each component the type (coerced to a fresh float64 array), the shape,
    finiteness and, for ``part="values"``, the values, naming a known mistake when one matches.

    Parameters
    ----------
    exercise : autograder.exercises.Exercise
    inputs : dict
        The inputs the result was computed from (``exercise.inputs(seed)``); not modified.
    result : object
        What the student's function returned.
    part : {"shape", "values"}
    hidden : bool
        Messages for hidden inputs show neither the inputs nor the expected values.
    seed : int, optional
        The visible test case's seed, named in the message when it is not the worked example.

    Raises
    ------
    CheckFailed
        With the message a grade cell would show; ``.mistake`` is the named mistake's key.
    """
    reference_result = _reference(exercise, inputs)
    case = "on hidden test inputs" if hidden else "on the worked example" \
        if seed in (None, _exercises.VISIBLE_SEED) else f"on visible test case {seed}"
    with _quiet():
        _compare_parts(exercise, inputs, result, reference_result, part, case, hidden)


def _reproduce(exercise):
    """How a student gets the worked example's inputs, to reproduce the printed numbers."""
    return (f"  (the inputs: `from autograder.exercises import worked_example`, then "
            f"`{exercise.function}(**worked_example(\"{exercise.id}\"))`)")


def _failed(message, wrong=None, located=False):
    """A :class:`CheckFailed` naming ``wrong`` (a :class:`Mistake` or a catalogue key)."""
    error = CheckFailed(message)
    error.mistake = wrong if wrong is None or isinstance(wrong, str) else wrong.key
    error.located = bool(located)
    return error


def _type_problem(label, value, expected_value):
    """What is wrong with the returned type for what the docstring asks ('' when nothing).

    The docstrings ask for floats: a boolean or integer array where float64 is expected (a
    prediction ``z > 0`` returned as booleans) is refused with a message, not silently cast.
    """
    if type(expected_value) is bool or (isinstance(expected_value, np.ndarray)
                                        and expected_value.dtype.kind == "b"):
        return ""
    expected_kind = np.asarray(expected_value).dtype.kind
    if expected_kind != "f":
        return ""
    if type(value) is bool:
        return (f"{label} is a bool ({value}); the docstring asks for a float: "
                "return float(...) of it.")
    kind = ""
    if issubclass(type(value), (np.ndarray, np.generic)):
        kind = np.ndarray.view(value, np.ndarray).dtype.kind if issubclass(
            type(value), np.ndarray) else np.array(value).dtype.kind
    if kind == "b":
        return (f"{label} holds booleans (True/False); the docstring asks for floats "
                "(1.0/0.0): convert with .astype(float).")
    if kind in "iu" and kind:
        return (f"{label} holds integers (dtype {np.asarray(value).dtype}); the docstring asks "
                "for floats (float64): build it with float arithmetic or .astype(float).")
    # an array the docstring gives as float64 (a plain number may be any float: see above)
    if kind == "f" and np.ndim(expected_value) > 0 and isinstance(value, np.ndarray) and \
            value.dtype.itemsize < 8:
        return (f"{label} holds {np.asarray(value).dtype} numbers; the docstring asks for "
                "float64 (single precision rounds every step to about 7 digits): leave out "
                "dtype=np.float32, or convert with .astype(np.float64).")
    return ""


_NONE_CASE = ("for this case (an argument is None, as for the first layer) the docstring "
              "asks for None here: there is no layer below to pass a delta to.")


def _readable(value):
    """``value`` as a float64 array, or ``None`` when the checks would refuse it."""
    try:
        return coerce_to_float_array(value, "value")
    except CheckFailed:
        return None


def _registered(exercise, inputs, students, reference_result):
    """Does a registered mistake of the exercise give every returned array the student's?"""
    for wrong in exercise.mistakes:
        values = _variant_outputs(wrong, exercise, inputs, reference_result)
        if values is not None and len(values) == len(students) and all(
                s is not None and _same_output(s, v, exercise)
                for s, v in zip(students, values)):
            return True
    return False


def _swapped(exercise, inputs, student_parts, expected_parts, reference_result):
    """A failure for returned arrays that are right but in each other's places, or None (also
    when a registered mistake of the exercise explains them better)."""
    names = [n for n, _ in expected_parts]
    expecteds = [None if e is None else np.asarray(e, dtype=np.float64)
                 for _, e in expected_parts]
    if any(e is None for e in expecteds):
        return None
    students = [_readable(v) for _, v in student_parts]
    swapped = _mistakes.swapped_outputs(names, students, expecteds, exercise.rtol,
                                        exercise.atol)
    if not swapped or _registered(exercise, inputs, students, reference_result):
        return None
    wrong = _mistakes.mistake("swapped_outputs", None, exercise.where)
    listed = ", ".join(f"`{n}`" for n in swapped)
    return _failed(f"The values returned by `{exercise.function}` as {listed} are right, but "
                   "in each other's places.\n" + _mistake_text(wrong, exercise), wrong)


def _compare_parts(exercise, inputs, result, reference_result, part, case, hidden):
    fn_name = exercise.function
    expected_parts = _split(reference_result, exercise.outputs, "reference", reference_result)
    student_parts = _components(result, exercise.outputs, fn_name, reference_result)
    if len(student_parts) > 1:
        swapped = _swapped(exercise, inputs, student_parts, expected_parts, reference_result)
        if swapped is not None:
            raise swapped
    # Every returned value, read once: a registered mistake is named only when it gives all
    # of them (see _matching_mistake).
    students = [None if v is None else _readable(v) for _, v in student_parts]
    expecteds = [None if e is None else np.asarray(e, dtype=np.float64)
                 for _, e in expected_parts]
    checked = []
    for index, ((name, value), (_, expected_value)) in enumerate(zip(student_parts,
                                                                     expected_parts)):
        label = f"`{name}` returned by `{fn_name}`" if len(student_parts) > 1 \
            else f"The value returned by `{fn_name}`"
        if expected_value is None:  # the docstring's None (the first layer has no delta below)
            if value is not None:
                raise _failed(f"{label} should be None {case}: {_NONE_CASE}",
                              "boundary_condition")
            continue
        try:
            student = coerce_to_float_array(value, label)
        except CheckFailed as error:
            error.mistake = None if value is None else "wrong_return_type"
            raise
        problem = _type_problem(label, value, expected_value)
        if problem:
            raise _failed(problem, "wrong_return_type")
        expected = np.asarray(expected_value, dtype=np.float64)
        # shape: one number is asked (a float, a numpy scalar or a 0-d array); a size-1 array
        # (np.sum with keepdims, say) is not what the docstring promises its caller
        if expected.ndim == 0 and student.ndim > 0 and student.size == 1:
            raise _failed(
                f"{label} is an array of shape {student.shape} {case}; the docstring asks for "
                "one number here. Return a plain number, float(...) of it (np.sum with "
                "keepdims=True, np.atleast_1d or a reshape keep an array).",
                "wrong_return_type")
        if student.shape != expected.shape:
            message = (f"{label} has shape {student.shape}; expected shape {expected.shape} "
                       f"{case} (inputs: {_shapes(inputs)}).")
            wrong = _matching_mistake(exercise, inputs, students, expecteds, index,
                                      reference_result, by_shape=True)
            located = ""
            if wrong is None:
                wrong, located = _mistakes.shape_family(exercise, name, student, expected,
                                                        inputs)
            transposed = student.shape == expected.shape[::-1] and student.ndim == 2
            if transposed:
                message += ("\nIt looks transposed: check which axis holds the examples "
                            "(see the shape table at the top of the lesson).")
            elif student.size == expected.size:
                message += (f"\nThe number of entries is right; keep the shape "
                            f"{expected.shape}, for example with .reshape{expected.shape}.")
            if wrong is not None:
                message += "\n" + _mistake_text(wrong, exercise)
            elif located:
                message += "\n" + located
            raise _failed(message, wrong, located=wrong is None and (transposed or bool(located)))
        if not np.all(np.isfinite(student)):
            bad = int(np.size(student) - np.count_nonzero(np.isfinite(student)))
            raise _failed(
                f"{label} contains {bad} NaN or infinite value(s) {case}. This usually comes "
                "from exp() of a large number or log(0): use the stable functions in "
                "autograder.activations and autograder.losses, or check for a division by zero.",
                "unstable_numerics")
        checked.append((index, name, label, student, expected))
    if part == "shape":
        return
    wrong_parts = [c for c in checked
                   if not _close(c[3], c[4], exercise.rtol, exercise.atol)]
    if not wrong_parts:
        return
    index, name, label, student, expected = wrong_parts[0]
    error = float(np.max(np.abs(student - expected)))
    if hidden:
        message = (f"{label} has the right shape but wrong values {case} "
                   f"(largest difference {error:.3g}). Your function may only work "
                   "for the worked example: test it on other inputs.")
    else:
        message = (f"{label} has the right shape but wrong values {case}.\n"
                   f"  expected {name} = {_format_array(expected)}\n"
                   f"  yours    {name} = {_format_array(student)}\n"
                   f"{_reproduce(exercise)}")
    wrong, located = _matching_mistake(exercise, inputs, students, expecteds, index,
                                       reference_result), ""
    if wrong is None:
        wrong = _mistakes.family_of(exercise, student, expected, inputs)
    if wrong is not None:
        message += "\n" + _mistake_text(wrong, exercise)
    else:
        located = _mistakes.locate(name, student, expected, exercise.rtol, exercise.atol)
        if located:
            message += "\n" + located
    if len(checked) > 1:
        message += "\n" + _mistakes.right_and_wrong([c[1] for c in checked],
                                                     [c[1] for c in wrong_parts])
    if wrong is None and exercise.where:
        message += f"\nWhere to look: {exercise.where}."
    raise _failed(message, wrong, located=wrong is None and bool(located))


def check_exercise(exercise_id, fn, part="values", seeds=None, hidden=False, quiet=False,
                   _note_upstream=True):
    """Check a student's function against the reference of a registered exercise.

    Parameters
    ----------
    exercise_id : str
        ``"<lesson>.<function>"``, see :mod:`autograder.exercises`.
    fn : callable
        The student's function.
    part : {"shape", "values"}
        ``"shape"`` checks that it returns, the types, the shapes and finiteness;
        ``"values"`` checks all that and then the values.
    seeds : sequence of int, optional
        Test cases to draw; defaults to the worked example (``VISIBLE_SEED``).
    hidden : bool
        Hidden tests do not print inputs or expected values in their messages.
    quiet : bool
        Do not print the success line.
    _note_upstream : bool
        Internal: judge the student's earlier functions that the checked one calls (off while
        judging one of them, see :mod:`autograder.isolation`).

    Returns
    -------
    None
        Deliberately not ``True``: nbgrader reads a numeric last expression of a grade cell as
        partial credit (``True`` would count as 1 point).

    Raises
    ------
    CheckFailed
        With a message for the student.
    """
    exercise = _exercises.get(exercise_id)
    if part not in ("shape", "values"):
        raise ValueError("part must be 'shape' or 'values'.")
    if not callable(fn):
        raise CheckFailed(
            f"`{exercise.function}` should be a function; found {_describe(fn)}. "
            "Did you overwrite its name with a value?"
        )
    seeds = [_exercises.VISIBLE_SEED] if seeds is None else list(seeds)
    notes = []
    # Quiet around the comparisons too, not only the student's call: a returned value near the
    # float64 limits overflows in ``student - expected`` or in a cast from longdouble, and that
    # RuntimeWarning must not reach stderr (the check still fails, through its message).
    with _quiet():
        for seed in seeds:
            notes.extend(_check_case(exercise, fn, seed, part, hidden, _note_upstream))
    if not quiet:
        what = "types and shapes" if part == "shape" else "values"
        fresh = sum(seed != _exercises.VISIBLE_SEED for seed in seeds)
        if hidden:
            where = f"{len(seeds)} hidden test case(s)"
        elif fresh == len(seeds):
            where = f"{fresh} fresh test case(s)"
        else:
            where = "the worked example" + (f" and {fresh} fresh test case(s)" if fresh else "")
        print(f"\u2714 {exercise.function}: {what} correct on {where}.")
        for note in dict.fromkeys(notes):
            print(note)
    return None  # see Returns: a value here would become nbgrader partial credit


def check_value(name, value, expected, where="", wrong_answers=(), rtol=1e-6, atol=1e-9,
                quiet=False):
    """Check a plain answer (a number or an array) against the expected value.

    Parameters
    ----------
    name : str
        The variable's name, used in messages.
    value : number or ndarray
        The student's answer.
    expected : number or ndarray
    where : str
        Where the lesson explains it.
    wrong_answers : sequence of (value, message)
        Known wrong answers and what each one means.
    """
    label = f"`{name}`"
    with _quiet():  # as in check_exercise: an overflow while comparing must not warn
        student = coerce_to_float_array(value, label)
        expected = np.asarray(expected, dtype=np.float64)
        if expected.ndim == 0 and student.size == 1:
            student = student.reshape(())
        if student.shape != expected.shape:
            raise CheckFailed(f"{label} has shape {student.shape}; expected {expected.shape}.")
        if not np.all(np.isfinite(student)):
            raise CheckFailed(f"{label} contains NaN or infinite values.")
        if not _close(student, expected, rtol, atol):
            message = f"{label} is not right yet (yours: {_format_array(student)})."
            for wrong_value, meaning in wrong_answers:
                wrong_value = np.asarray(wrong_value, dtype=np.float64)
                if _close(student, wrong_value, rtol, atol):
                    message += f"\nThis looks like a known mistake: {meaning}."
                    break
            if where:
                message += f"\nWhere to look: {where}."
            raise CheckFailed(message)
    if not quiet:
        print(f"\u2714 {name} is correct.")
    return None  # nbgrader would read a returned value as partial credit
