"""The catalogue of common backpropagation mistakes, worded once for every lesson.

Lessons build :class:`autograder.exercises.Mistake` objects with :func:`mistake`, giving the
wrong computation and the section that explains the right one; the wording lives here so a
student meets the same name for the same mistake in every lesson.
"""
from __future__ import annotations

import inspect

import numpy as np

from .exercises import Mistake

#: key -> what the student most likely did, in a sentence written for the student.
CATALOGUE = {
    "opposite_sign": (
        "the sign is flipped: every entry has the opposite sign of the expected one. Check "
        "which way round your difference of prediction and target is (your derivation says), "
        "and whether a + stands where gradient descent needs a -. With the flipped sign, "
        "gradient descent climbs the loss instead of descending it"
    ),
    "h_prime_wrong_layer": (
        "the derivative of the activation is taken at the wrong layer's pre-activation, "
        "h'(z^(2)) where h'(z^(1)) belongs (the slip in How to Fit a Neural Network)"
    ),
    "sigma_for_sigma_prime": (
        "the activation itself, sigma(z), stands where its derivative sigma'(z) belongs"
    ),
    "sigma_prime_at_a": (
        "the derivative is evaluated at the activation a = sigma(z) instead of at z: "
        "sigma'(a) is not sigma'(z) (sigma'(z) = a(1 - a) is fine; sigma'(a) is not)"
    ),
    "missing_transpose": (
        "a transpose is missing (or one too many): check which index runs over examples "
        "and which over units in each matrix product"
    ),
    "sum_not_mean": (
        "this is the sum over the batch; the course's convention is the mean, so divide by "
        "the number of examples"
    ),
    "mean_not_sum": (
        "every entry is divided by the number of examples where none is asked for here: "
        "this value is a sum, or one value per example (the 1/m of the mean cost enters "
        "once, in the parameters' gradients)"
    ),
    "forgotten_bias": (
        "the bias is left out of the linear part z = w x + b"
    ),
    "forgotten_batch_sum": (
        "the per-example terms are not combined over the batch: every example must contribute"
    ),
    "wrong_layer_activation": (
        "the delta is built from the wrong layer's activation (for example the output y "
        "where the hidden h belongs, the slip in A Peek into the Mathematics of "
        "Optimization)"
    ),
    "forgotten_chain_factor": (
        "a factor of the chain rule is missing"
    ),
    "single_path": (
        "only one path from the weight to the loss is counted; a weight used by several "
        "units collects one term per path, summed"
    ),
    "no_update": (
        "the parameters come back unchanged: the update step is not applied"
    ),
    "gradient_ascent": (
        "the step goes uphill: the update must subtract lr times the gradient"
    ),
    "reshape_for_transpose": (
        "a .reshape stands where a transpose belongs: reshape keeps the entries in memory order "
        "and only relabels the axes; .T (or np.transpose) swaps them"
    ),
    "update_before_use": (
        "a parameter was updated before every gradient had been computed from it: compute all "
        "the gradients at the current parameters first, then update them all"
    ),
    "swapped_gradients": (
        "the two gradients are swapped: each parameter's step must use its own gradient"
    ),
    "iteration_count": (
        "a count is off by one: one iteration, step, recorded value or layer too many or too "
        "few (n_iter updates give n_iter + 1 values counting the start; L layers give L "
        "gradients)"
    ),
    "batch_vs_example": (
        "one step per example was taken where one step on the whole batch (the mean gradient) "
        "belongs, or the other way round"
    ),
    "wrong_output": (
        "the returned value is a different quantity from the one asked for"
    ),
    # Families recognised by the checks themselves, in every exercise (no variant needed):
    "mutates_input": (
        "the function changed its caller's data in place"
    ),
    "wrong_return_type": (
        "the returned value has the wrong type: the docstring asks for a float64 numpy array "
        "(or the container it names)"
    ),
    "wrong_shape": (
        "the numbers are right but the shape is not: a flat vector where a row (1, n) or a "
        "column (n, 1) is asked for, or the other way round; keep the shape the docstring gives"
    ),
    "unstable_numerics": (
        "the formula overflows or takes log(0) for large inputs: compute it in a stable form "
        "(the functions in autograder.activations and autograder.losses are stable for any z)"
    ),
    "swapped_outputs": (
        "the right values come back in each other's places: return them in the order (and "
        "under the names) the docstring gives"
    ),
    "reduced_mean": (
        "this is the mean over the examples, where one value per example is asked for: keep "
        "the per-example values"
    ),
    "boundary_condition": (
        "the answer is wrong exactly at a boundary case the docstring names"
    ),
}


def mistake(key, fn, where="", message=None) -> Mistake:
    """Build a :class:`Mistake` with the catalogue's wording for ``key``.

    Parameters
    ----------
    key : str
        A key of :data:`CATALOGUE`, or a new key together with ``message``.
    fn : callable
        The wrong computation, with the reference's signature.
    where : str
        The lesson section that explains the right version.
    message : str, optional
        Overrides or supplies the wording.
    """
    if message is None:
        try:
            message = CATALOGUE[key]
        except KeyError:
            raise KeyError(f"Unknown mistake {key!r}: give a message or use one of "
                           f"{', '.join(sorted(CATALOGUE))}.") from None
    return Mistake(key=key, fn=fn, message=message, where=where)


def learning_rate_mistakes(reference, where="", sign_where=None, rate="lr", examples=None,
                           sum_where=None):
    """The families every exercise with a learning rate can show, written once: the step
    taken uphill (``gradient_ascent``: the reference with ``-lr``), no step at all
    (``no_update``: the reference with ``lr = 0``) and, for full-batch steps, the summed
    gradient where the mean belongs (``sum_not_mean``: every step n times too long, which is
    the reference with ``n * lr``). The arguments are found by their names in the reference's
    signature, so an exercise lists ``*learning_rate_mistakes(reference, where)`` in place of
    its own copies.

    Parameters
    ----------
    reference : callable
        The exercise's reference (a function or a ``functools.partial``) with an argument
        named ``rate``.
    where : str
        The section that explains the update (named by ``no_update``).
    sign_where : str, optional
        The section that explains which way is downhill (named by ``gradient_ascent``).
    examples : (str, int), optional
        The argument holding the batch and its examples' axis (``("X", -1)``): adds
        ``sum_not_mean``, which ``sum_where`` (default ``where``) explains.
    """
    signature = inspect.signature(reference)
    if rate not in signature.parameters:
        raise ValueError(f"{reference!r} takes no argument {rate!r}")
    base = getattr(reference, "__name__", None) or getattr(reference, "func").__name__

    def with_rate(factor, label):
        def wrong(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            scale = factor(bound.arguments) if callable(factor) else factor
            bound.arguments[rate] = scale * bound.arguments[rate]
            return reference(*bound.args, **bound.kwargs)
        wrong.__name__ = f"{base}_{label}"
        return wrong

    found = [mistake("gradient_ascent", with_rate(-1.0, "uphill"), sign_where or where),
             mistake("no_update", with_rate(0.0, "no_step"), where)]
    if examples is not None:
        name, axis = examples
        if name not in signature.parameters:
            raise ValueError(f"{reference!r} takes no argument {name!r}")
        found.append(mistake("sum_not_mean", with_rate(
            lambda arguments: float(np.shape(arguments[name])[axis]), "summed"),
            sum_where or where))
    return tuple(found)


# ---- families found from the answer alone, in every exercise -----------------------------------
#
# The registered variants of an exercise (``Exercise.mistakes``) compute a wrong answer from the
# inputs. Some families need no variant: a flipped sign, a transpose, a sum where a mean belongs
# have the same signature in every exercise (the answer is -1, the transpose, n times the right
# one). :func:`family_of` names them wherever they occur; :func:`locate` says, for a wrong answer
# that matches no family, WHERE it differs, without guessing a cause.

#: Arguments that hold the examples; lesson 4 (rows) keeps them on the first axis, the others
#: (columns, or 1-D batches) on the last.
EXAMPLE_ARGUMENTS = ("X", "x", "F_prev", "delta", "Y", "y", "z", "h", "delta_out", "t")
ROWS_LESSONS = ("04_generalised_delta",)


def _example_counts(exercise, inputs):
    counts = set()
    for name in EXAMPLE_ARGUMENTS:
        value = inputs.get(name) if isinstance(inputs, dict) else None
        if type(value) is np.ndarray and value.ndim >= 1:
            axis = 0 if exercise.lesson in ROWS_LESSONS or value.ndim == 1 else -1
            if value.shape[axis] > 1:
                counts.add(int(value.shape[axis]))
    return counts


def _constant_ratio(student, expected, atol):
    """The ratio ``student / expected`` when it is the same for every entry, else ``None``."""
    big = np.abs(expected) > max(100 * atol, 1e-12)
    if not big.any() or not np.allclose(student[~big], 0.0, atol=100 * atol):
        return None
    ratios = student[big] / expected[big]
    first = float(ratios.flat[0])
    if np.allclose(ratios, first, rtol=1e-6, atol=0.0):
        return first
    return None


def family_of(exercise, student, expected, inputs=None):
    """A :class:`Mistake` of a family recognised from the answer's relation to the right one
    (opposite sign, transpose, a sum for a mean), or ``None``. The first wrong returned array
    is compared; the family is named only when the relation holds exactly (to the checks'
    tolerances) and the right answer is not itself 0, symmetric or the like."""
    rtol, atol = exercise.rtol, exercise.atol
    if student.shape != expected.shape or not np.any(np.abs(expected) > 100 * atol):
        return None
    if np.allclose(student, -expected, rtol=rtol, atol=atol):
        return mistake("opposite_sign", None, exercise.where)
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] \
            and not np.allclose(expected, expected.T, rtol=rtol, atol=atol) \
            and np.allclose(student, expected.T, rtol=rtol, atol=atol):
        return mistake("missing_transpose", None, exercise.where)
    if expected.ndim == 2 and min(expected.shape) > 1 and expected.shape[0] != expected.shape[1]:
        reshaped = expected.T.reshape(expected.shape)
        if not np.allclose(reshaped, expected, rtol=rtol, atol=atol) \
                and np.allclose(student, reshaped, rtol=rtol, atol=atol):
            return mistake("reshape_for_transpose", None, exercise.where)
    ratio = _constant_ratio(student, expected, atol)
    if ratio is not None and inputs is not None:
        for n in _example_counts(exercise, inputs):
            if abs(ratio - n) < 1e-6 * n:
                return mistake("sum_not_mean", None, exercise.where)
            if abs(ratio * n - 1.0) < 1e-6:
                return mistake("mean_not_sum", None, exercise.where)
    return None


def _indices(mask):
    found = [str(i) for i in np.flatnonzero(mask)]
    return ", ".join(found[:6]) + (", ..." if len(found) > 6 else "")


def locate(name, student, expected, rtol, atol):
    """Where a wrong answer differs from the right one, in a sentence ('' if nothing useful).

    Names no cause: the constant factor, the sign pattern, the transpose, or which entries, rows
    or columns are wrong (and which are right). Safe for hidden tests: no expected value is
    printed.
    """
    if student.shape != expected.shape or expected.size == 0:
        return ""
    close = np.isclose(student, expected, rtol=rtol, atol=atol)
    opposite = np.isclose(student, -expected, rtol=rtol, atol=atol) & (np.abs(expected) > atol)
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] > 1 \
            and np.allclose(student, expected.T, rtol=rtol, atol=atol):
        return f"`{name}` is the transpose of the expected array."
    ratio = _constant_ratio(student, expected, atol)
    if expected.size == 1:
        # One number: any wrong value is "a constant times" the right one, so a ratio says
        # something only when it is a simple factor (the sign, a 2, an n, a 1/n).
        if ratio is not None and abs(ratio + 1.0) < 1e-6:
            return f"`{name}` has the opposite sign of the expected value."
        if ratio and any(abs(r - round(r)) < 1e-6 and abs(round(r)) > 1
                         for r in (ratio, 1.0 / ratio)):
            return (f"`{name}` is exactly {ratio:.4g} times the expected value: look for a "
                    "constant factor too many or too few (a 2, a 1/n, a sum for a mean).")
        return f"`{name}` is wrong."
    if ratio is not None:
        if abs(ratio + 1.0) < 1e-6:
            return f"Every entry of `{name}` has the opposite sign of the expected one."
        return (f"Every entry of `{name}` is exactly {ratio:.4g} times the expected one: look "
                "for a constant factor too many or too few (a 2, a 1/n, a sum for a mean).")
    if expected.ndim == 0:
        return ""
    if expected.ndim == 2 and 1 in expected.shape:  # a row or a column: name its entries
        close, opposite = close.ravel(), opposite.ravel()
        expected = expected.ravel()
    if expected.ndim == 1:
        if close.any():
            wrong = int((~close).sum())
            text = (f"{'Entry' if wrong == 1 else 'Entries'} {_indices(~close)} of `{name}` "
                    f"{'is' if wrong == 1 else 'are'} wrong; the others are right.")
            if np.all(opposite[~close]):
                text += (" It has the opposite sign." if wrong == 1
                         else " The wrong ones have the opposite sign.")
            return text
        if opposite.all():
            return f"Every entry of `{name}` has the opposite sign of the expected one."
        return f"Every entry of `{name}` is wrong."
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] > 1:
        diagonal = _locate_diagonal(name, student, expected, close, opposite, atol)
        if diagonal:
            return diagonal
    if expected.ndim == 2:
        rows_ok, cols_ok = close.all(axis=1), close.all(axis=0)
        for axis, ok, word in ((1, rows_ok, "row"), (0, cols_ok, "column")):
            if ok.any() and not ok.all():
                flipped = opposite.all(axis=axis) & ~ok
                wrong = int((~ok).sum())
                text = (f"{word.capitalize()}{'' if wrong == 1 else 's'} {_indices(~ok)} of "
                        f"`{name}` {'is' if wrong == 1 else 'are'} wrong; the other {word}s "
                        "are right.")
                if flipped.any():
                    text += (f" {word.capitalize()} {_indices(flipped)} has the opposite sign."
                             if flipped.sum() == 1 else f" {word.capitalize()}s "
                             f"{_indices(flipped)} have the opposite sign.")
                return text
        if opposite.all():
            return f"Every entry of `{name}` has the opposite sign of the expected one."
        if close.any():
            return f"{int(close.sum())} of the {close.size} entries of `{name}` are right."
        return f"Every entry of `{name}` is wrong."
    return ""


def _locate_diagonal(name, student, expected, close, opposite, atol):
    """For an expected diagonal matrix (an elementwise function's Jacobian): the diagonal and
    the zeros off it judged apart, so that right zeros do not count as "entries right"."""
    off = ~np.eye(expected.shape[0], dtype=bool)
    if np.any(np.abs(expected[off]) > atol):
        return ""
    if not close[off].all():
        wrong = int((~close[off]).sum())
        return (f"`{name}` should be diagonal (each output depends on its own input only), but "
                f"{wrong} of its {int(off.sum())} off-diagonal entries are not 0.")
    diag_close, diag_opposite = np.diag(close), np.diag(opposite)
    text = f"The off-diagonal zeros of `{name}` are right; "
    if diag_close.any():
        wrong = int((~diag_close).sum())
        text += (f"diagonal {'entry' if wrong == 1 else 'entries'} {_indices(~diag_close)} "
                 f"{'is' if wrong == 1 else 'are'} wrong, the others are right.")
    elif diag_opposite.all():
        text += "every diagonal entry has the opposite sign of the expected one."
    else:
        ratio = _constant_ratio(np.diag(student), np.diag(expected), atol)
        text += ("every diagonal entry is wrong." if ratio is None else
                 f"every diagonal entry is exactly {ratio:.4g} times the expected one.")
    return text


def right_and_wrong(names, wrong):
    """'dW2 and db2 are right; dW1 is not.' for a function that returns several arrays."""
    def join(items):
        items = [f"`{i}`" for i in items]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    right = [n for n in names if n not in wrong]
    if not right:
        return f"None of {join(names)} is right yet."
    return (f"{join(right)} {'is' if len(right) == 1 else 'are'} right; "
            f"{join(wrong)} {'is' if len(wrong) == 1 else 'are'} not.")


# ---- families recognised from a wrong shape or a wrong structure, in every exercise ----------

def _sizes_of(inputs):
    """``{size: ["axis 1 of `X`", ...]}`` for the axes of every array argument (and of the
    arrays in a dict or list argument: ``params['W1']``, ``weights[0]``)."""
    sizes = {}

    def add(label, value):
        if type(value) is np.ndarray:
            for axis, size in enumerate(value.shape):
                sizes.setdefault(int(size), []).append(f"axis {axis} of `{label}`")

    for name, value in (inputs or {}).items():
        add(name, value)
        if type(value) is dict:
            for key, item in value.items():
                add(f"{name}[{key!r}]", item)
        elif type(value) in (list, tuple):
            for i, item in enumerate(value):
                add(f"{name}[{i}]", item)
    return sizes


def shape_family(exercise, name, student, expected, inputs=None):
    """For a returned array of the wrong shape: ``(Mistake or None, locating text)``.

    Named when the student's array is exactly the right one transposed, the right entries in
    another shape, the right one with one step/entry too many or too few along one axis, or its
    mean over an axis (one value where one per example is asked). Otherwise the text says which
    axis has the wrong size and which argument's axis has that size (where a quantity of the
    wrong layer or the wrong argument came in); it names no cause.
    """
    rtol, atol = exercise.rtol, exercise.atol
    where = exercise.where

    def close(a, b):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))

    # A 2-D array with its two axes swapped is a transpose, a column (n, 1) for a row (1, n)
    # included: reshaping a vector to the other orientation gives the same numbers, but an
    # array with the axes reversed comes from a product written the other way round
    # (A1.T @ W2.T for W2 @ A1), which is what the student needs to look at.
    if student.ndim == 2 and expected.ndim == 2 and expected.shape[0] != expected.shape[1] \
            and student.shape == expected.shape[::-1] and close(student, expected.T):
        return mistake("missing_transpose", None, where), ""
    if student.size == expected.size and close(student.reshape(-1), expected.reshape(-1)):
        return mistake("wrong_shape", None, where), ""
    if student.ndim == expected.ndim and student.ndim >= 1:
        differ = [k for k in range(student.ndim) if student.shape[k] != expected.shape[k]]
        if len(differ) == 1 and abs(student.shape[differ[0]] - expected.shape[differ[0]]) == 1:
            axis = differ[0]
            short, long_ = (student, expected) if student.shape[axis] < expected.shape[axis] \
                else (expected, student)
            n = short.shape[axis]
            for piece in (np.take(long_, range(0, n), axis=axis),
                          np.take(long_, range(1, n + 1), axis=axis)):
                if close(short, piece):
                    return mistake("iteration_count", None, where), ""
    if student.size < expected.size and expected.ndim >= 1:
        if student.size == 1 and np.ptp(expected) == 0:
            # one number where an array of equal entries is asked (the identity's slopes, 1.0
            # for a matrix of ones): not a mean taken, an array never built
            return mistake("wrong_return_type", None, where), ""
        for axis in [None, *range(expected.ndim)]:
            mean = np.mean(expected, axis=axis)
            constant = np.ptp(expected, axis=axis) == 0 if axis is not None else False
            if np.all(constant):
                continue   # a mean along an axis where all entries agree says nothing
            if student.size == np.size(mean) and close(student.reshape(np.shape(mean)), mean):
                return mistake("reduced_mean", None, where), ""
    sizes = _sizes_of(inputs)
    notes = []
    if student.ndim == expected.ndim:
        for axis, (got, want) in enumerate(zip(student.shape, expected.shape)):
            if got != want:
                matches = sizes.get(int(got), [])
                text = f"axis {axis} of `{name}` has size {got} where {want} belongs"
                if matches:
                    text += f" ({got} is the size of {' and '.join(matches[:3])})"
                notes.append(text)
    if notes:
        return None, ("Where it differs: " + "; ".join(notes) + ": look at which array "
                      "(which layer, which argument) that axis comes from.")
    return None, ""


def swapped_outputs(names, students, expecteds, rtol, atol):
    """The names of returned arrays that are right but in each other's places, or ``[]``.

    ``students`` are the returned arrays (float64, ``None`` where one could not be read),
    ``expecteds`` the right ones in the same order. Every wrong one must equal another name's
    right value (which is not its own), and at least two are involved.
    """
    def close(a, b):
        return a is not None and a.shape == b.shape and bool(
            np.allclose(a, b, rtol=rtol, atol=atol))

    wrong = [i for i, (s, e) in enumerate(zip(students, expecteds)) if not close(s, e)]
    if len(wrong) < 2:
        return []
    for i in wrong:
        if not any(j != i and close(students[i], expecteds[j])
                   and not close(expecteds[i], expecteds[j]) for j in range(len(names))):
            return []
    return [names[i] for i in wrong]


def missing_layer(missing, found):
    """Is the difference between two sets of per-layer keys ("dW1", "db1") whole layers at
    one end of the range (the loop stopped one layer early or started one late)?"""
    import re

    def layer(key):
        match = re.fullmatch(r"[A-Za-z_]+?(\d+)", key)
        return int(match.group(1)) if match else None

    gone = {layer(k) for k in missing}
    kept = {layer(k) for k in found}
    if None in gone or None in kept or not gone or not kept:
        return False
    every = gone | kept
    return gone <= {min(every), max(every)} and len(gone) == 1
