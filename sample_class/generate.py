"""Generate the sample class from the built lessons: ``python -m sample_class.generate``.

Every submission is derived from what ``make build`` wrote, so the class follows the lessons when
they change: a student starts from the released notebook (``notebooks/``), fills in answers from
the worked solutions (``solutions/``, without the delimiters and mark schemes a student never
sees), and then one scripted change makes them the student they are (a misconception the exercise
registry knows, written out as the plain code such a student writes; a loop version, an infinite
loop, a deleted test cell...). The ids, what each student did and which lessons they submitted
are listed in :func:`students`.

The expected score and status of every student and grade cell are written to
``expected_scores.csv`` (the end-to-end test compares the grading pipeline's ``scores.csv`` with
it). They are derived here without nbgrader, kernels or the pipeline:

* a code grade cell is evaluated in this process, on the submission's own functions, exactly as
  its source (hidden tests included) reads; it scores its points when it raises nothing;
* a grade cell that needs a function that never returns or kills its process (the infinite
  loops, the memory bomb, ``os._exit``) is not run here: its status is what the sandbox must
  report (``timed out``, ``memory limit``, ``kernel died``) and it scores 0;
* a written answer scores 0 and waits for a grader (``manual``), or is ``unanswered``;
* flags follow from what the student did: ``late``, ``tampered``, ``missing``, ``flagged``.

The output is deterministic: running the generator again rewrites the same bytes
(``tests/pipeline/test_pipeline_sample_class.py`` checks that the committed class is up to date).

Usage: ``python -m sample_class.generate [--check]`` (``--check`` writes nothing and exits 1 when
the committed files differ).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import csv
import io
import math
import re
import sys
import textwrap
import warnings
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:          # `python sample_class/generate.py` from anywhere
    sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402

SUBMITTED = "submitted"
EXPECTED = "expected_scores.csv"
DUE_DATES = "due_dates.csv"
README = "README.md"

#: Every lesson is due at the same time; on-time submissions arrive the morning before.
DUE = "2025-03-14 17:00:00 UTC"
ON_TIME = "2025-03-14 09:00:00.000000 UTC"
LATE = "2025-03-16 11:30:00.000000 UTC"

#: Misconceptions that the registry knows in at least this many exercises (of about thirty) count
#: as common; one student per common misconception makes it in every exercise of the lesson where
#: it applies most.
COMMON_MISTAKE_MIN_EXERCISES = 8

_STUB = re.compile(r"^(?P<indent>[ \t]*)# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)",
                   re.M)
_MARK_SCHEME = re.compile(r"\n*=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===\n*", re.S)

# ---- what the scripted students write ----------------------------------------------------------

#: Correct answers written with loops instead of vectorised numpy (student "ben_loops"). Keyed
#: by exercise id; the body is indented into the student's function. An exercise that no longer
#: exists is skipped; one whose loop version stops passing makes the generator fail.
LOOP_VERSIONS = {
    "01_single_neuron.gradient_descent_1d": """
        path = [float(w0)]
        w = float(w0)
        for _ in range(n_iter):
            w = w - lr * dJ(w)
            path.append(w)
        return np.array(path)
    """,
    "02_hidden_layer.hidden_forward": """
        h = get_activation(activation)
        W1, b1 = params["W1"], params["b1"]
        Z1 = np.zeros((W1.shape[0], X.shape[1]))
        for j in range(W1.shape[0]):  # one hidden unit at a time
            Z1[j] = W1[j] @ X + b1[j, 0]
        A1 = h.f(Z1)
        y_hat = np.zeros((1, X.shape[1]))
        for j in range(W1.shape[0]):
            y_hat += params["W2"][0, j] * A1[j]
        return {"Z1": Z1, "A1": A1, "y_hat": y_hat + params["b2"]}
    """,
    "02_hidden_layer.output_layer_gradients": """
        cache = hidden_forward(params, X, activation)
        delta = cache["y_hat"] - y
        dW2 = np.zeros(params["W2"].shape)
        for j in range(dW2.shape[1]):  # one hidden unit at a time
            dW2[0, j] = np.mean(delta[0] * cache["A1"][j])
        db2 = np.array([[np.mean(delta)]])
        return dW2, db2
    """,
    "03_logistic_regression.logistic_forward": """
        z = np.full((1, X.shape[1]), float(b))
        for j in range(X.shape[0]):  # one feature at a time
            z = z + w[j, 0] * X[j:j + 1]
        return z, sigmoid(z)
    """,
    "03_logistic_regression.logistic_gradients": """
        z, _ = logistic_forward(w, b, X)
        dJdz = logistic_dJdz(z, y)
        dw = np.zeros(w.shape)
        for j in range(X.shape[0]):  # one feature at a time
            dw[j, 0] = np.mean(X[j] * dJdz[0])
        return dw, float(np.mean(dJdz))
    """,
    "04_generalised_delta.output_weight_gradient": """
        du = np.zeros((h.shape[1], delta_out.shape[1]))
        for j in range(h.shape[1]):  # every hidden unit j and output k
            for k in range(delta_out.shape[1]):
                du[j, k] = np.mean(h[:, j] * delta_out[:, k])
        return du
    """,
    "04_generalised_delta.hidden_delta": """
        delta_hid = np.zeros(h.shape)
        for j in range(h.shape[1]):  # one hidden unit at a time: sum over the outputs k
            dL_dh_j = sum(delta_out[:, k] * u[j, k] for k in range(u.shape[1]))
            delta_hid[:, j] = dL_dh_j * h[:, j] * (1 - h[:, j])
        return delta_hid
    """,
    "05_deep_networks.layer_forward": """
        act = get_activation(activation)
        Z = np.zeros((W.shape[0], F_prev.shape[1]))
        for i in range(W.shape[0]):  # one unit of the layer at a time
            Z[i] = W[i] @ F_prev + b[i, 0]
        return Z, act.f(Z), act.df(Z)
    """,
    "05_deep_networks.layer_backward": """
        n = delta.shape[1]
        dW = np.zeros(W.shape)
        db = np.zeros((W.shape[0], 1))
        for i in range(W.shape[0]):  # one unit of the layer at a time
            dW[i] = delta[i] @ F_prev.T / n
            db[i, 0] = np.mean(delta[i])
        delta_prev = None if J_prev is None else (W.T @ delta) * J_prev
        return dW, db, delta_prev
    """,
    "06_minibatch_sgd.minibatch_gradient": """
        idx = rng.choice(X.shape[1], size=batch_size, replace=False)
        total = None
        for i in idx:  # one example at a time, then the mean of the per-example gradients
            g = mlp_gradients(params, X[:, [i]], Y[:, [i]], activations, loss)
            total = g if total is None else {k: total[k] + g[k] for k in g}
        return {k: v / batch_size for k, v in total.items()}
    """,
}

#: Code that never returns normally, and the status the grader must report for the tests that
#: call it.
PATHOLOGIES = {
    "infinite_loop": ("""
        # the stopping condition never changes: an accidental infinite loop
        steps = 0
        while steps >= 0:
            steps += 1
    """, "timed out"),
    "ignores_interrupt": ("""
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C (and the grader) ignored
        while True:
            pass
    """, "timed out"),
    "memory_bomb": ("""
        blocks = []
        while True:
            blocks.append(b"x" * 2 ** 33)  # 8 GiB more, written, every time round
    """, "memory limit"),
    "os_exit": ("""
        import os
        os._exit(0)  # ends the Python process at once
    """, "kernel died"),
}

IMPORT_ERROR_LINE = "import my_helpers  # a file on the student's laptop, never submitted\n"


#: What a student with a misconception writes: ``(exercise id, mistake key) -> body`` of their
#: function, for every misconception the class uses (:func:`students`). Each body is plain code,
#: as a student would write it: numpy and the names the released notebook defines before the
#: answer cell (``sigmoid``, ``get_activation``, ``delta_forward``...), never the grader's
#: registry or reference (the out-of-kernel verifier cannot import them, and treats a submission
#: that does as cheating), and never another exercise's function (the student's own version of
#: it may be wrong too, and the body must compute the same thing whatever it is).
#: tests/pipeline/test_sample_class_mistakes.py proves that each body returns what the registry's
#: wrong variant returns (the first one with that key) and that the grade cells name the mistake; a
#: pair the class needs that is missing here stops the generator (:func:`mistake_body`).
MISTAKE_BODIES = {
    # -- 02_hidden_layer: sum_not_mean (the sum over the batch where the mean belongs) --
    ("02_hidden_layer.output_layer_gradients", "sum_not_mean"): """
        h = get_activation(activation)
        A1 = h.f(params["W1"] @ X + params["b1"])
        delta = params["W2"] @ A1 + params["b2"] - y    # (1, n)
        dW2 = delta @ A1.T                              # the product adds up the examples
        db2 = np.sum(delta, axis=1, keepdims=True)
        return dW2, db2
    """,
    ("02_hidden_layer.hidden_layer_gradients", "sum_not_mean"): """
        h = get_activation(activation)
        Z1 = params["W1"] @ X + params["b1"]
        delta = params["W2"] @ h.f(Z1) + params["b2"] - y
        dZ1 = (params["W2"].T @ delta) * h.df(Z1)       # (d, n)
        dW1 = dZ1 @ X.T
        db1 = np.sum(dZ1, axis=1, keepdims=True)
        return dW1, db1
    """,
    ("02_hidden_layer.hidden_gd_step", "sum_not_mean"): """
        h = get_activation(activation)
        Z1 = params["W1"] @ X + params["b1"]
        A1 = h.f(Z1)
        delta = params["W2"] @ A1 + params["b2"] - y
        dZ1 = (params["W2"].T @ delta) * h.df(Z1)
        grads = {"W1": dZ1 @ X.T, "b1": np.sum(dZ1, axis=1, keepdims=True),
                 "W2": delta @ A1.T, "b2": np.sum(delta, axis=1, keepdims=True)}
        return {name: params[name] - lr * grads[name] for name in params}
    """,
    ("02_hidden_layer.tied_weight_gradient", "sum_not_mean"): """
        h = get_activation(activation)
        Z = w * x[np.newaxis, :] + c[:, np.newaxis]          # (d, n)
        delta = v @ h.f(Z) + b - y                           # (n,)
        paths = v[:, np.newaxis] * h.df(Z) * (delta * x)     # (d, n)
        return float(np.sum(paths))                          # every path, every example
    """,
    # -- 03_logistic_regression (hal_edited_tests: the registry's first mistake) --
    ("03_logistic_regression.logistic_cost", "sum_not_mean"): """
        z = w.T @ X + b
        return float(np.sum(np.logaddexp(0.0, z) - y * z))
    """,
    # -- 04_generalised_delta: opposite_sign (t - y where y - t belongs) --
    ("04_generalised_delta.output_delta", "opposite_sign"): """
        return (t - y) * y * (1 - y)
    """,
    ("04_generalised_delta.output_weight_gradient", "opposite_sign"): """
        m = h.shape[0]
        return -h.T @ delta_out / m   # minus: we go downhill
    """,
    ("04_generalised_delta.delta_gradients", "opposite_sign"): """
        m = x.shape[0]
        forward = delta_forward(x, w, b1, u, b2)
        h, y = forward["h"], forward["y"]
        delta_out = (t - y) * y * (1 - y)
        delta_hid = (delta_out @ u.T) * h * (1 - h)
        return {"dw": x.T @ delta_hid / m, "db1": delta_hid.mean(axis=0),
                "du": h.T @ delta_out / m, "db2": delta_out.mean(axis=0)}
    """,
    ("04_generalised_delta.fixed_backward", "opposite_sign"): """
        m = x.shape[0]
        forward = delta_forward(x, w, b1, u, b2)
        h, y = forward["h"], forward["y"]
        delta_out = (t - y) * y * (1 - y)
        du = h.T @ delta_out / m  # was a reshape: transpose instead
        db2 = delta_out.mean(axis=0)
        delta_hid = (delta_out @ u.T) * h * (1 - h)  # was * h
        dw = x.T @ delta_hid / m
        db1 = delta_hid.mean(axis=0)
        return {"dw": dw, "db1": db1, "du": du, "db2": db2}
    """,
    ("04_generalised_delta.generalised_backward", "opposite_sign"): """
        activations = generalised_forward(x, weights, biases)
        m = x.shape[0]
        n_layers = len(weights)
        dweights, dbiases = [None] * n_layers, [None] * n_layers
        y = activations[-1]
        delta = (t - y) * y * (1 - y)
        for layer in reversed(range(n_layers)):
            below = activations[layer]
            dweights[layer] = below.T @ delta / m
            dbiases[layer] = delta.mean(axis=0)
            if layer > 0:
                delta = (delta @ weights[layer].T) * below * (1 - below)
        return dweights, dbiases
    """,
    # -- 04_generalised_delta: missing_transpose --
    ("04_generalised_delta.output_weight_gradient", "missing_transpose"): """
        m = h.shape[0]
        return delta_out.T @ h / m
    """,
    ("04_generalised_delta.delta_gradients", "missing_transpose"): """
        m = x.shape[0]
        forward = delta_forward(x, w, b1, u, b2)
        h, y = forward["h"], forward["y"]
        delta_out = (y - t) * y * (1 - y)
        delta_hid = (delta_out @ u.T) * h * (1 - h)
        return {"dw": delta_hid.T @ x / m, "db1": delta_hid.mean(axis=0),
                "du": delta_out.T @ h / m, "db2": delta_out.mean(axis=0)}
    """,
    ("04_generalised_delta.fixed_backward", "reshape_for_transpose"): """
        m = x.shape[0]
        forward = delta_forward(x, w, b1, u, b2)
        h, y = forward["h"], forward["y"]
        delta_out = (y - t) * y * (1 - y)  # was (t - y)
        du = (delta_out.T @ h).reshape(u.shape) / m
        db2 = delta_out.mean(axis=0)
        delta_hid = (delta_out @ u.T) * h * (1 - h)  # was * h
        dw = x.T @ delta_hid / m
        db1 = delta_hid.mean(axis=0)
        return {"dw": dw, "db1": db1, "du": du, "db2": db2}
    """,
    ("04_generalised_delta.generalised_backward", "missing_transpose"): """
        activations = generalised_forward(x, weights, biases)
        m = x.shape[0]
        n_layers = len(weights)
        dweights, dbiases = [None] * n_layers, [None] * n_layers
        y = activations[-1]
        delta = (y - t) * y * (1 - y)
        for layer in reversed(range(n_layers)):
            below = activations[layer]
            dweights[layer] = delta.T @ below / m
            dbiases[layer] = delta.mean(axis=0)
            if layer > 0:
                delta = (delta @ weights[layer].T) * below * (1 - below)
        return dweights, dbiases
    """,
    # -- 04_generalised_delta: sigma_for_sigma_prime (h where h (1 - h) belongs) --
    ("04_generalised_delta.output_delta", "sigma_for_sigma_prime"): """
        return (y - t) * y
    """,
    ("04_generalised_delta.hidden_delta", "sigma_for_sigma_prime"): """
        dL_dh = delta_out @ u.T
        return dL_dh * h
    """,
    ("04_generalised_delta.delta_gradients", "sigma_for_sigma_prime"): """
        m = x.shape[0]
        forward = delta_forward(x, w, b1, u, b2)
        h, y = forward["h"], forward["y"]
        delta_out = (y - t) * y * (1 - y)
        delta_hid = (delta_out @ u.T) * h
        return {"dw": x.T @ delta_hid / m, "db1": delta_hid.mean(axis=0),
                "du": h.T @ delta_out / m, "db2": delta_out.mean(axis=0)}
    """,
    ("04_generalised_delta.fixed_backward", "sigma_for_sigma_prime"): """
        m = x.shape[0]
        forward = delta_forward(x, w, b1, u, b2)
        h, y = forward["h"], forward["y"]
        delta_out = (y - t) * y * (1 - y)  # was (t - y)
        du = h.T @ delta_out / m  # was a reshape: transpose instead
        db2 = delta_out.mean(axis=0)
        delta_hid = (delta_out @ u.T) * h
        dw = x.T @ delta_hid / m
        db1 = delta_hid.mean(axis=0)
        return {"dw": dw, "db1": db1, "du": du, "db2": db2}
    """,
    ("04_generalised_delta.generalised_backward", "sigma_for_sigma_prime"): """
        activations = generalised_forward(x, weights, biases)
        m = x.shape[0]
        n_layers = len(weights)
        dweights, dbiases = [None] * n_layers, [None] * n_layers
        y = activations[-1]
        delta = (y - t) * y * (1 - y)
        for layer in reversed(range(n_layers)):
            below = activations[layer]
            dweights[layer] = below.T @ delta / m
            dbiases[layer] = delta.mean(axis=0)
            if layer > 0:
                delta = (delta @ weights[layer].T) * below
        return dweights, dbiases
    """,
    # -- 05_deep_networks: sigma_prime_at_a (sigma'(F) where sigma'(Z) belongs) --
    ("05_deep_networks.layer_forward", "sigma_prime_at_a"): """
        act = get_activation(activation)
        Z = W @ F_prev + b
        F = act.f(Z)
        return Z, F, act.df(F)
    """,
    ("05_deep_networks.elementwise_jacobian", "sigma_prime_at_a"): """
        act = get_activation(activation)
        a = act.f(z)
        return np.diag(act.df(a))
    """,
    ("05_deep_networks.mlp_backward", "sigma_prime_at_a"): """
        L = len(activations)
        n = Y.shape[1]
        F_L = cache[f"F{L}"]
        error = F_L - Y
        delta = error if loss == "bce" else error * get_activation(activations[L - 1]).df(F_L)
        grads = {}
        for j in range(L, 0, -1):
            F_prev = cache[f"F{j - 1}"]
            grads[f"dW{j}"] = delta @ F_prev.T / n
            grads[f"db{j}"] = np.mean(delta, axis=1, keepdims=True)
            if j > 1:
                slope = get_activation(activations[j - 2]).df(F_prev)
                delta = (params[f"W{j}"].T @ delta) * slope
        return grads
    """,
}


class MissingMistakeBody(LookupError):
    """The class needs a misconception that :data:`MISTAKE_BODIES` does not write out."""


def mistake_body(exercise_id, key):
    """The body of ``exercise_id``'s function as a student with misconception ``key`` writes it.

    Raises
    ------
    MissingMistakeBody
        When :data:`MISTAKE_BODIES` has no entry: the class would otherwise not be what its
        README says (the exercise registry changed, or a student now has a new misconception).
    """
    try:
        return MISTAKE_BODIES[(exercise_id, key)]
    except KeyError:
        raise MissingMistakeBody(
            f"The sample class needs the code of a student with the misconception `{key}` in "
            f"`{exercise_id}`, and MISTAKE_BODIES in sample_class/generate.py has none. Add an "
            f"entry ({exercise_id!r}, {key!r}): plain numpy code that returns what the "
            f"registry's `{key}` variant of that exercise returns, then run "
            "tests/pipeline/test_sample_class_mistakes.py to prove it."
        ) from None


# ---- the lessons as built ----------------------------------------------------------------------

@dataclass
class Answer:
    """An answer cell of a lesson: the function a student writes in it."""

    grade_id: str
    function: str
    params: list
    exercise: object            # the registry's Exercise, or None
    solution_body: str          # the lines between the solution delimiters


@dataclass
class LessonMaterial:
    lesson: str
    release: object
    instructor: object
    answers: dict               # function -> Answer, in notebook order
    written: dict               # grade_id -> model answer (markdown), in notebook order
    tests: list                 # [(grade_id, points, is_code_test, source)] in notebook order


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _solution_region(source):
    lines = source.split("\n")
    begin = next(i for i, line in enumerate(lines) if "BEGIN SOLUTION" in line)
    end = next(i for i, line in enumerate(lines) if "END SOLUTION" in line)
    return "\n".join(lines[begin + 1:end])


def load_lesson(lesson, repo=REPO):
    from autograder import exercises
    from autograder.build import text_to_notebook

    release = nbformat.read(repo / "notebooks" / lesson / f"{lesson}.ipynb", as_version=4)
    instructor = text_to_notebook(repo / "course" / "source" / lesson / f"{lesson}.py")
    # the answers as authored (solutions/ shows them without nbgrader's delimiters)
    solutions = {_meta(c).get("grade_id"): c for c in instructor.cells
                 if _meta(c).get("solution")}
    known = {e.id: e for e in exercises.all_exercises()}
    answers, written = {}, {}
    for cell in release.cells:
        meta = _meta(cell)
        if not meta.get("solution"):
            continue
        grade_id = meta["grade_id"]
        if cell.cell_type == "markdown":
            written[grade_id] = _MARK_SCHEME.sub("\n", solutions[grade_id].source).strip()
            continue
        tree = ast.parse(cell.source)
        function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
        answers[function.name] = Answer(grade_id, function.name, params,
                                        known.get(f"{lesson}.{function.name}"),
                                        _solution_region(solutions[grade_id].source))
    tests = [(_meta(c)["grade_id"], float(_meta(c)["points"]),
              c.cell_type == "code" and not _meta(c).get("solution"), c.source)
             for c in instructor.cells if _meta(c).get("grade")]
    return LessonMaterial(lesson, release, instructor, answers, written, tests)


# ---- the students ------------------------------------------------------------------------------

@dataclass
class Recipe:
    """What one student did in one lesson's notebook."""

    code: dict = field(default_factory=dict)          # function -> body text, or "stub"
    default: str = "solution"                         # for functions not in ``code``
    written: str = "model"                            # "model" or "blank"; or a set of ids
    written_blank: tuple = ()                         # written answers left blank
    delete: tuple = ()                                # grade_ids of cells deleted
    edit: dict = field(default_factory=dict)          # grade_id -> new source
    import_error: bool = False
    strip_metadata: bool = False
    malformed: bool = False
    late: bool = False
    pathology: tuple = ()                             # (function, kind)
    flags: tuple = ()                                 # flags on every row
    what: str = ""                                    # one line for the README


def _callers(material):
    """``{function: set of cells (grade_id or index) whose code reaches it}``, in the lesson
    with every exercise solved (a solution may call other exercises)."""
    _, complete = build_notebook(material, Recipe())
    defined = {}                                   # function name -> names its body uses
    cells = []
    for index, cell in enumerate(complete.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(_python_only(cell.source))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                defined[node.name] = _names(node)
        cells.append((_meta(cell).get("grade_id") or index, tree,
                      {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}))
    callers = {name: set() for name in defined}
    for label, tree, own in cells:
        reached = _closure(_names(tree) - own | _uses_of(tree, own), defined)
        for name in reached & set(defined):
            if name not in own:
                callers[name].add(label)
    return callers


def _uses_of(tree, own):
    """Names used inside the functions a cell defines (they call other cells' functions)."""
    used = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in own:
            used |= _names(node)
    return used


def _names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _closure(names, defined):
    seen, stack = set(), list(names)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(defined.get(name, ()))
    return seen


def _python_only(source):
    """A cell's source without IPython magics (they are not Python)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def _least_used(material):
    """The exercise that the fewest cells run (its tests included): breaking it costs the
    fewest cells, and each broken cell costs the grader a time-out or a fresh kernel."""
    callers = _callers(material)
    candidates = [f for f, a in material.answers.items() if a.exercise is not None]
    return min(candidates, key=lambda f: (len(callers.get(f, ())), candidates.index(f)))


#: Registry keys that are one misconception written another way: a student who confuses a
#: transpose leaves the bug hunt's ``.reshape`` in place of one, which the catalogue names
#: ``reshape_for_transpose`` (autograder/mistakes.py); that student makes both.
SAME_MISCONCEPTION = {"reshape_for_transpose": "missing_transpose"}


def misconception_keys(exercise, key):
    """The registry keys of ``exercise`` by which a student with misconception ``key`` errs."""
    return [k for k in dict.fromkeys(m.key for m in exercise.mistakes)
            if SAME_MISCONCEPTION.get(k, k) == key]


def common_mistakes(materials):
    """``[(key, {lesson: count})]`` of mistakes registered in enough exercises, by frequency."""
    counts = {}
    for material in materials.values():
        for answer in material.answers.values():
            if answer.exercise is None:
                continue
            for key in dict.fromkeys(SAME_MISCONCEPTION.get(m.key, m.key)
                                     for m in answer.exercise.mistakes):
                counts.setdefault(key, {}).setdefault(material.lesson, 0)
                counts[key][material.lesson] += 1
    common = [(key, per) for key, per in counts.items()
              if sum(per.values()) >= COMMON_MISTAKE_MIN_EXERCISES]
    return sorted(common, key=lambda item: (-sum(item[1].values()), item[0]))


MISCONCEPTION_NAMES = ["nia", "oli", "pam", "quin", "rex", "sam", "tia", "uma", "vic", "wes",
                       "xia", "yan", "zoe"]


def students(materials):
    """``{student: {lesson: Recipe}}``: the sample class, derived from the built lessons."""
    lessons = list(materials)

    def lesson(i):
        return lessons[i % len(lessons)]

    def exercises_of(name):
        return [f for f, a in materials[name].answers.items() if a.exercise is not None]

    def loop_versions(name):
        return {a.function: LOOP_VERSIONS[a.exercise.id]
                for a in materials[name].answers.values()
                if a.exercise is not None and a.exercise.id in LOOP_VERSIONS}

    def pathology(name, kind, what):
        function = _least_used(materials[name])
        return Recipe(code={function: PATHOLOGIES[kind][0]}, pathology=(function, kind),
                      what=what.format(function=function))

    class_ = {
        "ada_complete": {l: Recipe(what="complete and correct") for l in lessons},
        "ben_loops": {l: Recipe(code=loop_versions(l), what="correct, written with loops where "
                                "the solution is vectorised: "
                                + ", ".join(loop_versions(l)) or "(no loop version)")
                      for l in lessons if loop_versions(l)},
    }
    partial = {}
    for name in (lesson(0), lesson(2)):
        solved = exercises_of(name)[: math.ceil(len(exercises_of(name)) / 2)]
        stubs = {f: "stub" for f in materials[name].answers if f not in solved}
        partial[name] = Recipe(code=stubs, written_blank=tuple(list(materials[name].written)[1:]),
                               what="first half of the exercises done, the rest left as stubs; "
                                    "one written answer")
    class_["cara_partial"] = partial
    used = {l: 0 for l in lessons}
    for name, (key, per_lesson) in zip(MISCONCEPTION_NAMES, common_mistakes(materials)):
        best = max(per_lesson.values())
        where = min((l for l, n in per_lesson.items() if n == best), key=lambda l: (used[l], l))
        used[where] += 1
        code = {}
        for function, answer in materials[where].answers.items():
            keys = misconception_keys(answer.exercise, key) if answer.exercise else []
            if keys:
                code[function] = mistake_body(answer.exercise.id, keys[0])
        class_[f"{name}_{key}"] = {where: Recipe(
            code=code, what=f"the misconception `{key}` in " + ", ".join(code))}
    class_["dan_blank"] = {lesson(1): Recipe(default="stub", written="blank",
                                             what="the released notebook, untouched")}
    class_["eve_late"] = {lesson(3): Recipe(late=True, flags=("late",),
                                            what="complete, submitted after the due date")}
    class_["fay_malformed"] = {lesson(4): Recipe(malformed=True, what="the file is cut short: "
                                                 "not valid JSON")}
    class_["gus_stripped"] = {lesson(0): Recipe(strip_metadata=True, flags=("flagged",),
                                                what="complete, but the editor stripped every "
                                                     "cell's nbgrader metadata")}
    class_["hal_edited_tests"] = {lesson(2): _edited_tests(materials[lesson(2)])}
    class_["ivy_infinite_loop"] = {lesson(0): pathology(
        lesson(0), "infinite_loop", "an infinite loop in `{function}`; the rest correct")}
    class_["jon_ignores_interrupt"] = {lesson(1): pathology(
        lesson(1), "ignores_interrupt", "a loop that ignores Ctrl-C (SIGINT) in `{function}`; "
                                        "the rest correct")}
    class_["kim_memory_bomb"] = {lesson(4): pathology(
        lesson(4), "memory_bomb", "a memory bomb in `{function}`; the rest correct")}
    class_["leo_os_exit"] = {lesson(3): pathology(
        lesson(3), "os_exit", "`os._exit(0)` in `{function}`; the rest correct")}
    class_["max_import_error"] = {lesson(2): Recipe(
        import_error=True, what="complete, but the first cell imports a module that is not "
                                "installed")}
    return class_


def _edited_tests(material):
    """Delete one test, edit another (whose answer is wrong) to `pass`, delete an exercise."""
    functions = [f for f, a in material.answers.items() if a.exercise is not None]
    tests_of = {f: [g for g, _, is_test, src in material.tests
                    if is_test and re.search(rf"\b{re.escape(f)}\b", src)] for f in functions}
    kept, cheated, dropped = functions[0], functions[1], functions[-1]
    wrong = material.answers[cheated]
    mistake = wrong.exercise.mistakes[0].key
    code = {cheated: mistake_body(wrong.exercise.id, mistake), dropped: "delete"}
    delete = (tests_of[kept][-1], *tests_of[dropped], material.answers[dropped].grade_id)
    edit = {test: '"""Checked by me."""\npass\n' for test in tests_of[cheated]}
    return Recipe(code=code, delete=delete, edit=edit,
                  what=f"deleted the test {tests_of[kept][-1]}; answered `{cheated}` with a "
                       f"known mistake and replaced its tests by `pass`; deleted the exercise "
                       f"`{dropped}` and its tests")


# ---- building a submission ---------------------------------------------------------------------

def _fill(stub_source, body):
    match = _STUB.search(stub_source)
    if match is None:
        raise RuntimeError(f"no `# YOUR CODE HERE` stub in:\n{stub_source}")
    indent = match.group("indent")
    text = textwrap.dedent(body).strip("\n")
    text = textwrap.indent(text, indent) if indent else text
    return stub_source[:match.start()] + text + stub_source[match.end():]


def build_notebook(material, recipe):
    """The submission of one student for one lesson: ``(bytes, notebook or None)``."""
    nb = copy.deepcopy(material.release)
    by_grade_id = {a.grade_id: a for a in material.answers.values()}
    for cell in nb.cells:
        meta = _meta(cell)
        if not meta.get("solution"):
            continue
        grade_id = meta["grade_id"]
        if cell.cell_type == "markdown":
            if recipe.written != "blank" and grade_id not in recipe.written_blank:
                cell.source = material.written[grade_id]
            continue
        answer = by_grade_id[grade_id]
        choice = recipe.code.get(answer.function, recipe.default)
        if choice == "stub" or choice == "delete":
            continue
        if choice == "solution":
            cell.source = _fill(cell.source, answer.solution_body)
        else:
            cell.source = _fill(cell.source, choice)
    for grade_id, source in recipe.edit.items():
        cell = next(c for c in nb.cells if _meta(c).get("grade_id") == grade_id)
        cell.source = source
    nb.cells = [c for c in nb.cells if _meta(c).get("grade_id") not in recipe.delete]
    if recipe.import_error:
        # the lesson's imports cell (a picture cell may come first)
        cell = next(c for c in nb.cells if c.cell_type == "code" and not _meta(c)
                    and "import numpy" in c.source)
        cell.source = IMPORT_ERROR_LINE + cell.source
    if recipe.strip_metadata:
        for cell in nb.cells:
            for key in ("nbgrader", "deletable", "editable"):
                cell.metadata.pop(key, None)
    text = nbformat.writes(nb) + "\n"
    if recipe.malformed:
        return text[: len(text) * 3 // 5].encode(), None
    return text.encode(), nb


def answer_function(material, function, body):
    """``function`` defined from ``body`` as a kernel would, with nothing else the student wrote.

    The released notebook's code cells before the answer cell run first, as :func:`_define`
    runs them (imports, definitions, call-free assignments), so the body sees the names the
    lesson gives (``np``, ``sigmoid``, its helper functions) and every earlier answer as the
    stub that raises ``NotImplementedError``: the contract of :data:`MISTAKE_BODIES`
    (tests/pipeline/test_sample_class_mistakes.py calls this).

    Returns
    -------
    callable
    """
    cells = material.release.cells
    grade_id = material.answers[function].grade_id
    index = next(i for i, c in enumerate(cells) if _meta(c).get("grade_id") == grade_id)
    namespace = _define(cells[:index], ())
    source = _fill(cells[index].source, body)
    exec(compile(source, f"<answer {function}>", "exec"), namespace)
    return namespace[function]


# ---- the expected scores -----------------------------------------------------------------------

_SAFE_STATEMENTS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


def _is_safe(statement):
    """Statements run to set up the functions: imports, definitions, call-free assignments."""
    if isinstance(statement, _SAFE_STATEMENTS):
        return True
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):
        return not any(isinstance(n, ast.Call) for n in ast.walk(statement))
    return False


def _define(cells, broken):
    """The namespace a kernel would have for the grade cells, from a submission's code cells.

    Only imports, function definitions and call-free assignments run (no training, no plots);
    a cell stops at its first error, as in a kernel. Functions in ``broken`` (which never return
    or kill the process) are replaced by functions that raise.
    """
    namespace = {"__name__": "__sample_class__"}
    for cell in cells:
        if cell.cell_type != "code" or _meta(cell).get("grade"):
            continue
        try:
            tree = ast.parse(_python_only(cell.source))
        except SyntaxError:
            continue
        for statement in tree.body:
            if not _is_safe(statement):
                continue
            try:
                exec(compile(ast.Module([statement], []), "<cell>", "exec"), namespace)
            except Exception:
                break
    for function in broken:
        def refuse(*args, _name=function, **kwargs):
            raise RuntimeError(f"{_name} never returns; it is not run here")
        namespace[function] = refuse
    return namespace


def _runs_cleanly(source, namespace):
    scratch = dict(namespace)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(source, "<grade cell>", "exec"), scratch)
        except Exception:
            return False
    return True


def expected_rows(material, recipe, nb):
    """``[(grade_id, score, max_score, status)]`` for one submission (see the module doc)."""
    rows = []
    if recipe.malformed:
        return [(g, 0.0, p, "malformed") for g, p, _, _ in material.tests]
    deleted = set(recipe.delete)
    edited = set(recipe.edit)
    broken = {recipe.pathology[0]: PATHOLOGIES[recipe.pathology[1]][1]} \
        if recipe.pathology else {}
    namespace = _define(nb.cells, broken)
    defined = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            for node in ast.parse(_python_only(cell.source)).body:
                if isinstance(node, ast.FunctionDef):
                    defined[node.name] = _names(node)
    for grade_id, points, is_test, source in material.tests:
        flags = [*(["tampered"] if grade_id in edited else []),
                 *(["missing"] if grade_id in deleted else []), *recipe.flags]
        if not is_test:
            answered = recipe.written != "blank" and grade_id not in recipe.written_blank \
                and grade_id not in deleted
            rows.append((grade_id, 0.0, points, ";".join(["manual" if answered
                                                          else "unanswered", *flags])))
            continue
        reached = _closure(_names(ast.parse(source)), defined)
        hit = [status for function, status in broken.items() if function in reached]
        if hit:
            rows.append((grade_id, 0.0, points, ";".join([hit[0], *flags])))
        elif _runs_cleanly(source, namespace):
            rows.append((grade_id, points, points, ";".join(["passed", *flags])))
        else:
            rows.append((grade_id, 0.0, points, ";".join(["failed", *flags])))
    return rows


# ---- the class on disk --------------------------------------------------------------------------

def _number(value):
    return f"{round(float(value), 6):g}"


def build_class(repo=REPO):
    """Every file of the sample class: ``{path relative to sample_class/: bytes}``."""
    from autograder.build import find_lessons

    materials = {lesson: load_lesson(lesson, repo) for lesson in find_lessons(repo / "course")}
    class_ = students(materials)
    files, expected = {}, []
    for student in sorted(class_):
        for lesson, recipe in sorted(class_[student].items()):
            material = materials[lesson]
            data, nb = build_notebook(material, recipe)
            folder = f"{SUBMITTED}/{student}/{lesson}"
            files[f"{folder}/{lesson}.ipynb"] = data
            files[f"{folder}/timestamp.txt"] = ((LATE if recipe.late else ON_TIME) + "\n").encode()
            rows = expected_rows(material, recipe, nb)
            if student in ("ada_complete", "ben_loops") and \
                    any(s.startswith("failed") for _, _, _, s in rows):
                raise RuntimeError(f"{student} should pass every test of {lesson}: {rows}")
            expected += [(student, lesson, *row) for row in rows]
        for lesson in materials:                      # lessons this student did not submit
            if lesson not in class_[student]:
                expected += [(student, lesson, g, 0.0, p, "not submitted")
                             for g, p, _, _ in materials[lesson].tests]
    order = {lesson: i for i, lesson in enumerate(materials)}
    expected.sort(key=lambda row: (row[0], order[row[1]]))
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["student_id", "assignment", "grade_id", "score", "max_score", "status"])
    writer.writerows([s, l, g, _number(score), _number(top), status]
                     for s, l, g, score, top, status in expected)
    files[EXPECTED] = table.getvalue().encode()
    files[DUE_DATES] = ("assignment,duedate\n" + "".join(f"{lesson},{DUE}\n"
                                                         for lesson in materials)).encode()
    files[README] = _readme(class_).encode()
    return files


def _readme(class_):
    lines = [
        "# The sample class",
        "",
        "Synthetic submissions for every lesson, in nbgrader's",
        "`submitted/<student>/<lesson>/<lesson>.ipynb` layout, each with the `timestamp.txt` that",
        "`nbgrader collect` writes. Every lesson is due " + DUE + " (`due_dates.csv`).",
        "",
        "**Generated, do not edit:** `python -m sample_class.generate` derives every file from the",
        "built lessons (`notebooks/`, `solutions/`, the exercise registry) and writes",
        "`expected_scores.csv`, the score and status the grader must give each student and grade",
        "cell. Grade the class with `make grade`, or",
        "",
        "```bash",
        ".venv/bin/python -m autograder grade sample_class/submitted --out grading-output \\",
        "    --due-dates sample_class/due_dates.csv",
        "```",
        "",
        "| student | lesson | what they did |",
        "|---|---|---|",
    ]
    for student in sorted(class_):
        for lesson, recipe in sorted(class_[student].items()):
            lines.append(f"| `{student}` | {lesson} | {recipe.what} |")
    return "\n".join(lines) + "\n"


def write_class(files, folder=HERE):
    """Write the files and remove submissions that are no longer generated."""
    folder = Path(folder)
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    submitted = folder / SUBMITTED
    for path in sorted(submitted.rglob("*"), reverse=True) if submitted.exists() else []:
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def differences(files, folder=HERE):
    """Paths whose committed bytes differ from ``files`` (or that should not be there)."""
    folder = Path(folder)
    wrong = [relative for relative, data in files.items()
             if not (folder / relative).is_file() or (folder / relative).read_bytes() != data]
    submitted = folder / SUBMITTED
    extra = [p.relative_to(folder).as_posix() for p in submitted.rglob("*")
             if p.is_file() and p.relative_to(folder).as_posix() not in files] \
        if submitted.exists() else []
    return sorted(wrong + extra)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sample_class.generate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when the committed class is out of date")
    args = parser.parse_args(argv)
    files = build_class()
    if args.check:
        stale = differences(files)
        for path in stale:
            print(f"out of date: sample_class/{path}")
        return 1 if stale else 0
    write_class(files)
    n = sum(1 for p in files if p.endswith(".ipynb"))
    print(f"wrote {n} submissions and {EXPECTED} into {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
