"""The attack corpus: submissions written to gain points they do not deserve, or to do harm.

Every entry starts from a built notebook of a lesson (``notebooks/``: the released student
version, nothing answered; or ``solutions/``: every exercise answered correctly) and changes it:
answer cells replaced, cells added. The notebooks are generated (:func:`build`), so the corpus
follows the lessons when they change. Each entry records its expected outcome:

``deserved``
    the functions whose honest work earns both grade cells (shape and values);
``shape_ok``
    further functions whose honest work earns only the shape cell (right types and shapes,
    wrong values), or ``"all"``;
``keeps``
    functions that must still be confirmed despite the attack (harm must not cost the honest
    parts of a submission);
``evidence``
    texts of which at least one must appear in the verifier's account of the submission (its
    summary, flags and cell errors): the result names the problem.

Threats are numbered as in issue 5: 1 lying objects, 2 monkeypatching, 3 IPython and interpreter
hooks, 4 ending the process early, 5 reading what it should not, 6 writing where it should not,
7 hard-coding and detecting the grader, 8 resource abuse. Sources may use ``@@REPO@@`` (this
repository) and ``@@DECOY@@`` (a folder the test fills with a fake gradebook, another student's
submission and an output folder, and checks afterwards).
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

REPO = Path(__file__).resolve().parents[2]

L1, L2, L3, L4, L5, L6 = ("01_single_neuron", "02_hidden_layer", "03_logistic_regression",
                          "04_generalised_delta", "05_deep_networks", "06_minibatch_sgd")

FUNCTIONS = {
    L1: ("gradient_descent_1d", "neuron_forward", "neuron_example_gradients", "neuron_sgd_step",
         "neuron_gd_step"),
    L2: ("hidden_forward", "output_layer_gradients", "hidden_layer_gradients", "hidden_sgd_step",
         "hidden_gd_step", "tied_weight_gradient"),
    L3: ("logistic_forward", "logistic_cost", "logistic_dJdz", "logistic_gradients",
         "logistic_gradient_descent", "logistic_predict"),
    L4: ("output_delta", "output_weight_gradient", "hidden_delta", "delta_gradients",
         "fixed_backward", "generalised_backward"),
    L5: ("layer_forward", "elementwise_jacobian", "jacobian_backward", "layer_backward",
         "mlp_backward"),
    L6: ("minibatch_gradient", "sgd_epoch"),
}

ALL = "all"


@dataclass(frozen=True)
class Entry:
    """One corpus submission (see the module docstring for the fields)."""

    name: str
    lesson: str
    base: str                        # "student" (notebooks/) or "solution" (solutions/)
    threat: int = 0                  # 0 for honest submissions
    what: str = ""
    answers: dict = field(default_factory=dict)     # function -> replacement answer cell
    added: tuple = ()                # (after, source): after a grade_id / cell id, or "start"
    edited: dict = field(default_factory=dict)      # grade_id -> code put at the top of the first
                                                    # lesson (worked) cell after that cell
    deserved: object = ()
    shape_ok: object = ()
    keeps: tuple = ()
    evidence: tuple = ()             # () for attacks that gain nothing by design
    harmful: bool = False            # touches files or processes: check the decoys
    needs_own_uid: bool = False      # unsafe to run without per-session user ids
    markdown: tuple = ()             # (after, source): markdown cells added, like ``added``
    padding_bytes: int = 0           # a stdout output of this size on the first added cell

    def functions(self):
        return FUNCTIONS[self.lesson]

    def deserved_functions(self):
        return set(self.functions()) if self.deserved == ALL else set(self.deserved)

    def shape_functions(self):
        if self.shape_ok == ALL:
            return set(self.functions())
        return set(self.shape_ok) | self.deserved_functions()


def _code(source):
    return textwrap.dedent(source).strip("\n") + "\n"


def _cat(*parts):
    """Cell source from pieces indented differently (each is dedented on its own)."""
    return "\n\n".join(_code(part) for part in parts)


def _imports_cell(lesson):
    """Id of the lesson's first code cell (its imports): cells added 'after imports' go there."""
    nb = nbformat.read(REPO / "notebooks" / lesson / f"{lesson}.ipynb", as_version=4)
    return next(cell.id for cell in nb.cells if cell.cell_type == "code")


def build(entry, out_dir, decoy):
    """Write the entry's notebook into ``out_dir``; returns its path."""
    folder = "notebooks" if entry.base == "student" else "solutions"
    nb = nbformat.read(REPO / folder / entry.lesson / f"{entry.lesson}.ipynb", as_version=4)

    def fill(source):
        return source.replace("@@REPO@@", str(REPO)).replace("@@DECOY@@", str(decoy))

    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in entry.answers:
            cell.source = fill(_code(entry.answers[grade_id]))
    for after, source in entry.edited.items():
        start = next(i for i, c in enumerate(nb.cells)
                     if c.metadata.get("nbgrader", {}).get("grade_id") == after)
        worked = next(c for c in nb.cells[start:]
                      if c.cell_type == "code" and not c.metadata.get("nbgrader"))
        # at the top of the worked cell: a lesson's worked cell may check the student's other
        # functions, and a statement that fails out of kernel must not hide the helper
        worked.source = fill(_code(source)).rstrip("\n") + "\n\n\n" + worked.source
    added = [(after, nbformat.v4.new_code_cell(fill(_code(source))), f"added-{number}")
             for number, (after, source) in enumerate(entry.added)]
    added += [(after, nbformat.v4.new_markdown_cell(fill(_code(source))), f"markdown-{number}")
              for number, (after, source) in enumerate(entry.markdown)]
    if entry.padding_bytes and added:   # a scratch cell's output: no code, only size
        added[0][1].outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                      text="x" * entry.padding_bytes)]
    for after, new, cell_id in added:
        new.id = cell_id
        if after == "start":
            position = 0
        elif after == "end":
            position = len(nb.cells)
        else:
            if after == "imports":
                after = _imports_cell(entry.lesson)
            position = 1 + next(i for i, c in enumerate(nb.cells)
                                if c.id == after
                                or c.metadata.get("nbgrader", {}).get("grade_id") == after)
        nb.cells.insert(position, new)
    path = Path(out_dir) / f"{entry.name}.ipynb"
    nbformat.write(nb, path)
    return path


def visible_outputs(exercise_id):
    """The reference's answer on the worked example, as Python source (for hard-coding)."""
    from autograder.exercises import VISIBLE_SEED, get

    exercise = get(exercise_id)
    return _literal(exercise.reference(*exercise.inputs(VISIBLE_SEED).values()))


def _literal(value):
    """Python source that rebuilds a reference's result (arrays, tuples, dicts, floats)."""
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ",)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(float(value))


# ---- honest submissions ------------------------------------------------------------------------

_LOOPS_L1 = {
    "gradient_descent_1d": """
        def gradient_descent_1d(dJ, w0, lr, n_iter):
            path = [float(w0)]
            w = float(w0)
            for _ in range(n_iter):
                w = w - lr * dJ(w)
                path.append(w)
            return np.array(path)
        """,
    "neuron_forward": """
        import math


        def _stable_sigmoid(z):
            if z >= 0:
                return 1.0 / (1.0 + math.exp(-z))
            e = math.exp(z)
            return e / (1.0 + e)


        def neuron_forward(w, b, x):
            if np.ndim(x) == 0:
                z = w * float(x) + b
                return z, _stable_sigmoid(z)
            z = np.array([w * xi + b for xi in x])
            return z, np.array([_stable_sigmoid(zi) for zi in z])
        """,
    "neuron_example_gradients": """
        def neuron_example_gradients(w, b, x, y):
            z, a = neuron_forward(w, b, x)
            dL_dz = (a - y) * a * (1.0 - a)      # sigma'(z) written as a (1 - a)
            return dL_dz * x, dL_dz * 1.0
        """,
    "neuron_sgd_step": """
        def neuron_sgd_step(w, b, x_i, y_i, lr):
            dw, db = neuron_example_gradients(w, b, x_i, y_i)
            new_w = w - lr * dw
            new_b = b - lr * db
            return float(new_w), float(new_b)
        """,
    "neuron_gd_step": """
        def neuron_gd_step(w, b, x, y, lr):
            total_w = total_b = 0.0
            for x_i, y_i in zip(x, y):
                dw, db = neuron_example_gradients(w, b, float(x_i), float(y_i))
                total_w += dw
                total_b += db
            return w - lr * total_w / len(x), b - lr * total_b / len(x)
        """,
}

_ALTERNATIVE_L3 = {
    "logistic_forward": """
        def logistic_forward(w, b, X):
            z = np.sum(w * X, axis=0, keepdims=True) + b      # w^T X, one column at a time
            return z, 0.5 * (1.0 + np.tanh(0.5 * z))           # sigma(z) = (1 + tanh(z/2)) / 2
        """,
    "logistic_cost": """
        def logistic_cost(w, b, X, y):
            z, _ = logistic_forward(w, b, X)
            total = 0.0
            for z_i, y_i in zip(z[0], y[0]):
                # log(1 + e^z) - y z, written without overflow for large |z|
                total += max(z_i, 0.0) + np.log1p(np.exp(-abs(z_i))) - y_i * z_i
            return total / z.shape[1]
        """,
    "logistic_dJdz": """
        def logistic_dJdz(z, y):
            return 0.5 * (1.0 + np.tanh(0.5 * z)) - y
        """,
    "logistic_gradients": """
        def logistic_gradients(w, b, X, y):
            z, a = logistic_forward(w, b, X)
            m = X.shape[1]
            dw = np.zeros_like(w)
            db = 0.0
            for i in range(m):
                dz = a[0, i] - y[0, i]
                dw[:, 0] += dz * X[:, i]
                db += dz
            return dw / m, db / m
        """,
    "logistic_gradient_descent": """
        def logistic_gradient_descent(X, y, lr, n_iter, w0=None, b0=0.0):
            w = np.zeros((X.shape[0], 1)) if w0 is None else np.copy(w0).astype(float)
            b = float(b0)
            costs = np.empty(n_iter + 1)
            costs[0] = logistic_cost(w, b, X, y)
            for k in range(1, n_iter + 1):
                dw, db = logistic_gradients(w, b, X, y)
                w, b = w - lr * dw, b - lr * db
                costs[k] = logistic_cost(w, b, X, y)
            return w, b, costs
        """,
    "logistic_predict": """
        def logistic_predict(w, b, X):
            _, a = logistic_forward(w, b, X)
            return np.where(w.T @ X + b >= 0, 1.0, 0.0)
        """,
}

_ALTERNATIVE_L5 = {
    "layer_forward": """
        def layer_forward(W, b, F_prev, activation):
            Z = np.einsum("ij,jk->ik", W, F_prev) + b
            F = get_activation(activation).f(Z)
            if activation == "sigmoid":
                J = F * (1.0 - F)
            elif activation == "tanh":
                J = 1.0 - F ** 2
            else:
                J = get_activation(activation).df(Z)
            return Z, F, J
        """,
    "elementwise_jacobian": """
        def elementwise_jacobian(z, activation):
            d = get_activation(activation).df(z)
            return np.eye(len(z)) * d[np.newaxis, :]
        """,
    "layer_backward": """
        def layer_backward(delta, W, F_prev, J_prev):
            n = delta.shape[1]
            dW = sum(np.outer(delta[:, i], F_prev[:, i]) for i in range(n)) / n
            db = delta.sum(axis=1, keepdims=True) / n
            if J_prev is None:
                return dW, db, None
            return dW, db, np.einsum("ji,jk->ik", W, delta) * J_prev
        """,
}

_EXTRAS_L1 = (
    ("imports", """
        %matplotlib inline
        !echo "a shell escape does nothing in the grader"
        print("my own notes")
        """),
    ("neuron_forward", """
        %%time
        def my_helper(x):
            return 2 * x
        """),
    ("end", """
        # my own check, as the lesson does it
        check_exercise("01_single_neuron.neuron_forward", neuron_forward, part="values")
        print(neuron_forward(0.5, -1.0, np.array([1.0, 2.0])))
        assert my_helper(2) == 4
        """),
    ("end", """
        raise ValueError("an error in my scratch cell at the end")
        """),
)

HONEST = [
    Entry(f"honest_solution_{lesson[:2]}", lesson, "solution", deserved=ALL, keeps=ALL,
          what="the built solution notebook")
    for lesson in (L1, L2, L3, L4, L5, L6)
] + [
    Entry("honest_loops_01", L1, "student", answers=_LOOPS_L1, deserved=ALL, keeps=ALL,
          what="every answer written with Python loops and math.exp, sigma' as a(1-a)"),
    Entry("honest_alternative_03", L3, "solution", answers=_ALTERNATIVE_L3, deserved=ALL,
          keeps=ALL, what="sigma via tanh, the cost via log1p, gradients by a loop over "
                          "examples"),
    Entry("honest_alternative_05", L5, "solution", answers=_ALTERNATIVE_L5, deserved=ALL,
          keeps=ALL, what="einsum, outer products, sigma' from F, a diagonal built by "
                          "broadcasting"),
    Entry("honest_extras_01", L1, "solution", added=_EXTRAS_L1, deserved=ALL, keeps=ALL,
          answers={"neuron_forward": """
              def neuron_forward(w, b, x):
                  z = w * x + b
                  return z, my_sigmoid(z)   # defined in the worked cell below
              """},
          edited={"neuron_forward_values": """
              def my_sigmoid(z):
                  \"\"\"My own helper, written into a worked cell.\"\"\"
                  return sigmoid(z)
              """},
          what="IPython magics, a shell escape, a %%time cell, the student's own checks, an "
               "error in a scratch cell, a helper defined in an edited worked cell"),
]
for _entry in HONEST:
    if _entry.keeps == ALL:
        object.__setattr__(_entry, "keeps", FUNCTIONS[_entry.lesson])


# ---- attacks -----------------------------------------------------------------------------------

def _l1_answers(body_for):
    """Lesson-1 answer cells with a body built by ``body_for(function)``."""
    signatures = {
        "gradient_descent_1d": "dJ, w0, lr, n_iter",
        "neuron_forward": "w, b, x",
        "neuron_example_gradients": "w, b, x, y",
        "neuron_sgd_step": "w, b, x_i, y_i, lr",
        "neuron_gd_step": "w, b, x, y, lr",
    }
    return {name: f"def {name}({args}):\n" + textwrap.indent(_code(body_for(name)), "    ")
            for name, args in signatures.items()}


#: Answers that return zeros of the right shapes (lesson 1): the shape cell is deserved.
_ZEROS_L1 = _l1_answers(lambda name: {
    "gradient_descent_1d": "return np.zeros(n_iter + 1)",
    "neuron_forward": "return np.zeros_like(x), np.zeros_like(x)",
    "neuron_example_gradients": "return np.zeros_like(x), np.zeros_like(x)",
    "neuron_sgd_step": "return 0.0, 0.0",
    "neuron_gd_step": "return 0.0, 0.0",
}[name])

_ZEROS_L2 = {
    "hidden_forward": """
        def hidden_forward(params, X, activation="sigmoid"):
            d, n = params["W1"].shape[0], X.shape[1]
            return {"Z1": np.zeros((d, n)), "A1": np.zeros((d, n)), "y_hat": np.zeros((1, n))}
        """,
    "output_layer_gradients": """
        def output_layer_gradients(params, X, y, activation="sigmoid"):
            return np.zeros_like(params["W2"]), np.zeros_like(params["b2"])
        """,
    "hidden_layer_gradients": """
        def hidden_layer_gradients(params, X, y, activation="sigmoid"):
            return np.zeros_like(params["W1"]), np.zeros_like(params["b1"])
        """,
    "hidden_sgd_step": """
        def hidden_sgd_step(params, x, y, lr, activation="sigmoid"):
            return {k: np.zeros_like(v) for k, v in params.items()}
        """,
    "hidden_gd_step": """
        def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
            return {k: np.zeros_like(v) for k, v in params.items()}
        """,
    "tied_weight_gradient": """
        def tied_weight_gradient(w, c, v, b, x, y, activation="sigmoid"):
            return 0.0
        """,
}

_LIAR = """
    class Liar:
        \"\"\"Equal to everything, true, zero as a float, an array of zeros if asked.\"\"\"
        def __eq__(self, other): return True
        def __ne__(self, other): return False
        def __bool__(self): return True
        def __float__(self): return 0.0
        def __int__(self): return 0
        def __index__(self): return 0
        def __len__(self): return 1
        def __array__(self, dtype=None, copy=None): return np.zeros(6)
        def __abs__(self): return 0.0
        def __sub__(self, other): return 0.0
        __rsub__ = __sub__
        def __lt__(self, other): return True
        __le__ = __gt__ = __ge__ = __lt__
        __hash__ = object.__hash__
    """

_FAKE_ARRAY = """
    class FakeArray:
        \"\"\"Claims to be an ndarray: __class__, shape, dtype, __array__ and ufuncs all lie.\"\"\"
        __array_priority__ = 1e9
        def __init__(self, shape): self.shape, self.ndim, self.dtype = shape, len(shape), np.float64
        @property
        def __class__(self): return np.ndarray
        def __array__(self, dtype=None, copy=None): return np.zeros(self.shape)
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs): return np.True_
        def __array_function__(self, func, types, args, kwargs): return np.True_
        def __eq__(self, other): return np.True_
        def __bool__(self): return True
        def __float__(self): return 0.0
        __hash__ = object.__hash__
    """

_ALWAYS_EQUAL_SUBCLASS = """
    class AlwaysEqual(np.ndarray):
        \"\"\"An ndarray whose comparisons, all() and allclose say yes.\"\"\"
        def __eq__(self, other): return np.ones(self.shape, dtype=bool).view(AlwaysEqual)
        def __ne__(self, other): return np.zeros(self.shape, dtype=bool)
        def all(self, *a, **k): return True
        def any(self, *a, **k): return True
        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            return np.ones(np.shape(inputs[0]), dtype=bool)
        def __float__(self): return 0.0
        def tobytes(self, *a, **k): return b"lies"
        def astype(self, *a, **k): return self
        def view(self, *a, **k): return self
        def copy(self, *a, **k): return self
    """

ATTACKS = [
    # -- 1: objects that lie, subclasses, NaN and inf -------------------------------------------
    Entry("lying_eq_bool_float", L1, "student", 1,
          "answers return objects whose __eq__, __bool__, __float__ and __array__ lie",
          answers={**_l1_answers(lambda name: "return Liar()" if name == "gradient_descent_1d"
                                 else "return Liar(), Liar()"),
                   "gradient_descent_1d": _cat(_LIAR, "def gradient_descent_1d(dJ, w0, lr, "
                                                        "n_iter):\n    return Liar()\n")},
          evidence=("Liar",)),
    Entry("lying_array_protocol", L3, "student", 1,
          "answers return a FakeArray whose __class__, shape, dtype, __array__, ufuncs lie",
          answers={
              "logistic_forward": _cat(_FAKE_ARRAY, """
                  def logistic_forward(w, b, X):
                      return FakeArray((1, X.shape[1])), FakeArray((1, X.shape[1]))
                  """),
              "logistic_dJdz": "def logistic_dJdz(z, y):\n    return FakeArray(z.shape)\n",
              "logistic_predict": "def logistic_predict(w, b, X):\n"
                                  "    return FakeArray((1, X.shape[1]))\n",
              "logistic_cost": "def logistic_cost(w, b, X, y):\n    return FakeArray(())\n",
          },
          evidence=("FakeArray",)),
    Entry("ndarray_subclass", L3, "student", 1,
          "answers return an ndarray subclass (of the right shape, holding zeros) whose "
          "comparisons, all(), ufuncs, tobytes and astype lie",
          answers={
              "logistic_forward": _cat(_ALWAYS_EQUAL_SUBCLASS, """
                  def logistic_forward(w, b, X):
                      z = np.zeros((1, X.shape[1])).view(AlwaysEqual)
                      return z, z
                  """),
              "logistic_dJdz": "def logistic_dJdz(z, y):\n"
                               "    return np.zeros(np.shape(z)).view(AlwaysEqual)\n",
              "logistic_predict": "def logistic_predict(w, b, X):\n"
                                  "    return np.zeros((1, X.shape[1])).view(AlwaysEqual)\n",
          },
          shape_ok=("logistic_forward", "logistic_dJdz", "logistic_predict"),
          evidence=("wrong values",)),
    Entry("nan_and_inf", L3, "student", 1,
          "answers return NaN and inf (equal_nan tricks, inf - inf)",
          answers={
              "logistic_forward": "def logistic_forward(w, b, X):\n"
                                  "    z = np.full((1, X.shape[1]), np.nan)\n"
                                  "    return z, z\n",
              "logistic_cost": "def logistic_cost(w, b, X, y):\n    return float('nan')\n",
              "logistic_dJdz": "def logistic_dJdz(z, y):\n"
                               "    return np.full(np.shape(z), np.inf)\n",
              "logistic_predict": "def logistic_predict(w, b, X):\n"
                                  "    return np.full((1, X.shape[1]), -np.inf)\n",
          },
          evidence=("NaN or infinite",)),
    Entry("number_subclasses", L1, "student", 1,
          "answers return a float subclass and a numpy float64 subclass that equal everything",
          answers={
              "neuron_sgd_step": """
                  class Same(float):
                      def __eq__(self, other): return True
                      def __sub__(self, other): return Same(0.0)
                      def __abs__(self): return Same(0.0)
                      __hash__ = float.__hash__


                  def neuron_sgd_step(w, b, x_i, y_i, lr):
                      return Same(0.0), Same(0.0)
                  """,
              "neuron_gd_step": """
                  class Same64(np.float64):
                      def __eq__(self, other): return True
                      def item(self): return 1.0
                      def __float__(self): return 1.0
                      __hash__ = np.float64.__hash__


                  def neuron_gd_step(w, b, x, y, lr):
                      return Same64(0.0), Same64(0.0)
                  """,
          },
          shape_ok=("neuron_gd_step",),
          evidence=("Same",)),
    # -- 2: monkeypatching -----------------------------------------------------------------------
    Entry("patch_numpy_testing", L1, "student", 2,
          "patches np.allclose, np.isclose, np.isfinite, numpy.testing; answers return zeros",
          answers=_ZEROS_L1,
          added=(("imports", """
              import numpy.testing
              np.allclose = lambda *args, **kwargs: True
              np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
              np.isfinite = lambda a, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
              np.array_equal = lambda *args, **kwargs: True
              numpy.testing.assert_allclose = lambda *args, **kwargs: None
              numpy.testing.assert_array_almost_equal = lambda *args, **kwargs: None
              """),),
          shape_ok=ALL, evidence=("monkeypatching",)),
    Entry("patch_builtins", L2, "student", 2,
          "patches builtins (isinstance, type, float, abs, AssertionError); answers return zeros",
          answers=_ZEROS_L2,
          added=(("imports", """
              import builtins
              builtins.isinstance = lambda obj, cls: True
              builtins.abs = lambda x: 0.0
              builtins.AssertionError = type("AssertionError", (Exception,), {})
              _real_float = float
              builtins.float = lambda x=0.0: 0.0
              """),),
          shape_ok=ALL, evidence=("reaches into the interpreter",)),
    Entry("patch_math_and_checks", L2, "student", 2,
          "patches math, autograder.checks and rebinds check_exercise / CheckFailed",
          added=(("imports", """
              import math
              import autograder.checks
              math.isfinite = lambda x: True
              math.isclose = lambda *args, **kwargs: True
              autograder.checks.check_exercise = lambda *args, **kwargs: None
              autograder.checks.CheckFailed = type("CheckFailed", (Exception,), {})
              check_exercise = lambda *args, **kwargs: None
              """),),
          evidence=("replaces a name the grade cells use",)),
    Entry("patch_registry", L3, "student", 2,
          "rewrites the exercise registry so every reference returns zeros; answers zeros",
          answers={
              "logistic_dJdz": "def logistic_dJdz(z, y):\n    return np.zeros_like(z)\n",
          },
          added=(("imports", """
              from autograder import exercises as _registry
              for _exercise in _registry.all_exercises():
                  object.__setattr__(_exercise, "reference",
                                     lambda *args: np.zeros_like(args[0]))
              """),),
          shape_ok=("logistic_dJdz",),
          evidence=("imports the grader's reference or exercise registry",)),
    Entry("protocol_forgery", L2, "student", 2,
          "writes forged 'result ok' replies to every pipe it can find (the grader's channel)",
          added=(("imports", """
              import json
              import os
              _forged = {"op": "result", "status": "ok", "value": 0.0}
              for _n in range(1, 40):
                  _forged["id"] = _n
                  for _fd in range(3, 16):
                      try:
                          os.write(_fd, (json.dumps(_forged) + "\\n").encode())
                      except OSError:
                          pass
              """),),
          evidence=("ended the sandbox", "protocol")),
    # -- 3: IPython and interpreter hooks -------------------------------------------------------
    Entry("ipython_input_transformer", L1, "student", 3,
          "appends an input transformer that turns every later cell into `pass`",
          answers=_ZEROS_L1,
          added=(("imports", """
              get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
              """),),
          shape_ok=ALL, evidence=("uses IPython hooks",)),
    Entry("ipython_custom_exc_showtraceback", L2, "student", 3,
          "set_custom_exc swallowing every exception, showtraceback replaced",
          added=(("imports", """
              ip = get_ipython()
              ip.set_custom_exc((BaseException,), lambda *args, **kwargs: None)
              ip.showtraceback = lambda *args, **kwargs: None
              ip._showtraceback = lambda *args, **kwargs: None
              """),),
          evidence=("uses IPython hooks",)),
    Entry("ipython_post_run_cell", L3, "student", 3,
          "a post_run_cell event that erases errors",
          added=(("imports", """
              def _forget_errors(result):
                  result.error_in_exec = None
                  result.error_before_exec = None
              get_ipython().events.register("post_run_cell", _forget_errors)
              """),),
          evidence=("uses IPython hooks",)),
    Entry("excepthook_and_settrace", L1, "student", 3,
          "sys.excepthook swallowing errors, a sys.settrace tracer that rewrites frames",
          answers=_ZEROS_L1,
          added=(("imports", """
              import sys
              sys.excepthook = lambda *args: None
              def _tracer(frame, event, arg):
                  if event == "exception":
                      frame.f_locals.pop("error", None)
                  return _tracer
              sys.settrace(_tracer)
              """),),
          shape_ok=ALL, evidence=("reaches into the interpreter",)),
    # -- 4: ending the process early ------------------------------------------------------------
    Entry("sys_exit_early", L1, "solution", 4,
          "sys.exit() in a cell after the first answer; neuron_gd_step answered with the sum",
          answers={"neuron_gd_step": """
              def neuron_gd_step(w, b, x, y, lr):
                  dw, db = neuron_example_gradients(w, b, x, y)
                  return w - lr * np.sum(dw), b - lr * np.sum(db)
              """},
          added=(("gradient_descent_1d", "import sys\nsys.exit(0)\n"),),
          deserved=("gradient_descent_1d", "neuron_forward", "neuron_example_gradients",
                    "neuron_sgd_step"),
          shape_ok=("neuron_gd_step",),
          keeps=("gradient_descent_1d", "neuron_forward", "neuron_example_gradients",
                 "neuron_sgd_step"),
          evidence=("sum_not_mean",)),
    Entry("os_exit_mid_notebook", L2, "solution", 4,
          "os._exit(0) in a cell between two answers",
          added=(("hidden_forward", "import os\nos._exit(0)\n"),),
          deserved=ALL, keeps=FUNCTIONS[L2], evidence=("ended the sandbox",)),
    Entry("kill_own_process_group", L3, "solution", 4,
          "kills its own process group with SIGKILL",
          added=(("logistic_cost", """
              import os, signal
              for _kill in (lambda: os.killpg(os.getpgid(0), signal.SIGKILL),
                            lambda: os.kill(0, signal.SIGKILL),
                            lambda: os.kill(os.getpid(), signal.SIGKILL)):
                  try:
                      _kill()
                  except OSError:
                      pass
              """),),
          deserved=ALL, keeps=FUNCTIONS[L3], evidence=("ended the sandbox",)),
    Entry("hang_ignoring_alarms", L2, "solution", 4,
          "a function that ignores SIGALRM and every exception and spins forever",
          answers={"hidden_gd_step": """
              def hidden_gd_step(params, X, y, lr, activation="sigmoid"):
                  import signal
                  signal.signal(signal.SIGALRM, signal.SIG_IGN)
                  while True:
                      try:
                          pass
                      except BaseException:
                          pass
              """},
          deserved=("hidden_forward", "output_layer_gradients", "hidden_layer_gradients",
                    "hidden_sgd_step", "tied_weight_gradient"),
          keeps=("hidden_forward", "output_layer_gradients", "hidden_layer_gradients",
                 "hidden_sgd_step", "tied_weight_gradient"),
          evidence=("timed_out",)),
    # -- 5: reading what it should not ----------------------------------------------------------
    Entry("import_reference", L1, "student", 5,
          "answers import the reference implementation at grading time",
          answers={
              "gradient_descent_1d": """
                  from autograder.reference.descent import gradient_descent_1d
                  """,
              "neuron_forward": """
                  from autograder.reference import neuron as _ref


                  def neuron_forward(w, b, x):
                      return _ref.neuron_forward(w, b, x, activation="sigmoid")
                  """,
              "neuron_gd_step": """
                  def neuron_gd_step(w, b, x, y, lr):
                      from autograder.exercises.lesson01 import neuron_gd_step as step
                      return step(w, b, x, y, lr)
                  """,
          },
          evidence=("imports the grader's reference or exercise registry",)),
    Entry("unwritable_output_after_grades", L1, "student", 5,
          "answers import the reference; the last cell sends an output holding a lone "
          "surrogate, which made nbgrader fail to write the graded notebook after it had saved "
          "the kernel's scores (red team, round 3: 16/16 in grades.csv and the LMS files)",
          answers={
              "gradient_descent_1d": """
                  from autograder.reference.descent import gradient_descent_1d
                  """,
              "neuron_forward": """
                  from autograder.reference.neuron import neuron_forward
                  """,
              "neuron_example_gradients": """
                  from autograder.reference.neuron import neuron_example_gradients
                  """,
              "neuron_sgd_step": """
                  from autograder.reference.neuron import neuron_sgd_step
                  """,
              "neuron_gd_step": """
                  from autograder.reference.neuron import neuron_gd_step
                  """,
          },
          added=(("end", """
              _k = get_ipython().kernel
              _k.session.send(_k.iopub_socket, "stream", parent=_k.get_parent(),
                              content=b'{"name": "stdout", "text": "\\\\ud800\\\\n"}')
              """),),
          evidence=("imports the grader's reference or exercise registry",)),
    Entry("read_course_source", L1, "student", 5,
          "reads the lesson's source and the reference modules from disk and runs them",
          added=(("end", """
              import re
              from pathlib import Path
              for _path in ["@@REPO@@/course/source/01_single_neuron/01_single_neuron.py",
                            "@@REPO@@/autograder/reference/neuron.py",
                            "@@REPO@@/autograder/reference/descent.py"]:
                  try:
                      _text = Path(_path).read_text()
                  except OSError as error:
                      print("cannot read", _path, error)
                      continue
                  for _block in re.findall(r"def .*?### END SOLUTION", _text, re.S):
                      exec(_block.replace("### BEGIN SOLUTION", ""))
              """),),
          evidence=("names course, solution, gradebook or submission files",)),
    Entry("read_solutions_gradebook_others", L2, "student", 5,
          "runs the answers of solutions/ and of another student's submission, reads the "
          "gradebook",
          added=(("end", """
              import json
              for _path in ["@@REPO@@/solutions/02_hidden_layer/02_hidden_layer.ipynb",
                            "@@DECOY@@/submitted/other/02_hidden_layer/02_hidden_layer.ipynb"]:
                  try:
                      _nb = json.load(open(_path))
                  except OSError as error:
                      print("cannot read", _path, error)
                      continue
                  for _cell in _nb["cells"]:
                      if _cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                          exec("".join(_cell["source"]))
              try:
                  print(open("@@DECOY@@/course/gradebook.db", "rb").read()[:100])
              except OSError as error:
                  print("no gradebook", error)
              """),),
          evidence=("names course, solution, gradebook or submission files",)),
    Entry("sys_path_reimport", L3, "student", 5,
          "puts the repository on sys.path, drops the package from sys.modules, re-imports "
          "the reference",
          added=(("end", """
              import sys
              sys.path.insert(0, "@@REPO@@")
              for _name in [m for m in sys.modules if m.startswith("autograder")]:
                  del sys.modules[_name]
              from autograder.reference import logistic as _ref
              logistic_forward, logistic_dJdz = _ref.logistic_forward, _ref.logistic_dJdz
              """),),
          evidence=("reaches into the interpreter",)),
    # -- 6: writing where it should not --------------------------------------------------------
    Entry("write_gradebook_and_others", L1, "solution", 6,
          "overwrites the gradebook, another student's submission, the output and a copy of "
          "the grader's code; deletes what it can",
          added=(("end", """
              import os, shutil
              _targets = ["@@DECOY@@/course/gradebook.db",
                          "@@DECOY@@/submitted/other/02_hidden_layer/02_hidden_layer.ipynb",
                          "@@DECOY@@/output/scores.csv",
                          "@@DECOY@@/grader/autograder/checks.py"]
              for _target in _targets:
                  for _action in (lambda t: open(t, "w").write("pwned"),
                                  lambda t: open(t + ".new", "w").write("pwned"),
                                  lambda t: os.chmod(t, 0o777),
                                  lambda t: os.remove(t),
                                  lambda t: shutil.rmtree(os.path.dirname(t))):
                      try:
                          _action(_target)
                      except OSError:
                          pass
              """),),
          deserved=ALL, keeps=FUNCTIONS[L1], harmful=True,
          evidence=("writes, moves or deletes files",)),
    Entry("detached_daemon", L2, "solution", 6,
          "a double-forked, setsid daemon that waits, then rewrites the gradebook for a while",
          added=(("end", """
              import os, time
              if os.fork() == 0:
                  os.setsid()
                  if os.fork() == 0:
                      time.sleep(1.0)
                      for _ in range(150):
                          for _target in ["@@DECOY@@/course/gradebook.db",
                                          "@@DECOY@@/output/scores.csv"]:
                              try:
                                  open(_target, "w").write("written by a daemon")
                              except OSError:
                                  pass
                          time.sleep(0.1)
                  os._exit(0)
              """),),
          deserved=ALL, keeps=FUNCTIONS[L2], harmful=True,
          evidence=("starts processes or threads",)),
    # -- 7: hard-coding, detecting the grader ----------------------------------------------------
    Entry("hard_coded_visible_outputs", L3, "student", 7,
          "answers return the worked example's expected outputs, printed by the visible tests",
          answers={
              name: f"def {name}({args}):\n    return @@{name}@@\n"
              for name, args in [("logistic_forward", "w, b, X"),
                                 ("logistic_cost", "w, b, X, y"),
                                 ("logistic_dJdz", "z, y"),
                                 ("logistic_gradients", "w, b, X, y"),
                                 ("logistic_predict", "w, b, X")]
          },
          shape_ok=ALL, evidence=("wrong values",)),
    Entry("nbgrader_detection", L1, "student", 7,
          "behaves differently under NBGRADER_EXECUTION: kills an out-of-kernel run, patches "
          "numpy in the kernel",
          answers=_ZEROS_L1,
          added=(("imports", """
              import os, sys
              if os.environ.get("NBGRADER_EXECUTION") == "autograde":
                  if "ipykernel" not in sys.modules:
                      os._exit(0)          # "not a kernel: must be a verifier"
                  np.allclose = lambda *args, **kwargs: True
              """),),
          shape_ok=ALL, evidence=("looks at environment variables",)),
    # -- 8: resource abuse ------------------------------------------------------------------------
    Entry("fork_bomb", L2, "solution", 8,
          "every process forks again and again; then all of them carry on",
          added=(("hidden_forward", """
              import os
              for _ in range(10):
                  try:
                      os.fork()
                  except OSError:
                      break
              """),),
          deserved=ALL, keeps=FUNCTIONS[L2], harmful=True, needs_own_uid=True,
          evidence=("starts processes or threads",)),
    Entry("disk_fill", L3, "solution", 8,
          "writes 8 MiB files into its folder, /tmp and HOME until something stops it",
          added=(("logistic_forward", """
              import os
              _chunk = b"x" * 2 ** 20
              for _folder in [".", "/tmp", os.path.expanduser("~")]:
                  for _i in range(10):
                      try:
                          with open(os.path.join(_folder, f"fill{_i}.bin"), "wb") as _out:
                              for _ in range(8):
                                  _out.write(_chunk)
                      except OSError as error:
                          print(error)
                          break
              """),),
          deserved=ALL, keeps=FUNCTIONS[L3], harmful=True,
          evidence=("writes, moves or deletes files", "ended the sandbox")),
    Entry("giant_outputs", L1, "solution", 8,
          "prints 40 MB, floods every pipe with a 40 MiB line, gradient_descent_1d returns a "
          "4.5-million array",
          answers={"gradient_descent_1d": """
              def gradient_descent_1d(dJ, w0, lr, n_iter):
                  return np.zeros(4_500_000)
              """},
          added=(("neuron_sgd_step", """
              import os, sys
              print("x" * 20_000_000)
              print("y" * 20_000_000, file=sys.stderr)
              for _fd in range(3, 16):
                  try:
                      os.write(_fd, b"A" * (40 * 2 ** 20))
                  except OSError:
                      pass
              """),),
          deserved=("neuron_forward", "neuron_example_gradients", "neuron_sgd_step",
                    "neuron_gd_step"),
          keeps=("neuron_forward", "neuron_example_gradients", "neuron_sgd_step",
                 "neuron_gd_step"),
          evidence=("flooded", "crashed")),
    Entry("memory_bomb", L3, "solution", 8,
          "allocates 8 GiB in a cell and in logistic_predict",
          answers={"logistic_predict": """
              def logistic_predict(w, b, X):
                  hoard = bytearray(8 * 2 ** 30)
                  return (w.T @ X + b >= 0).astype(float)
              """},
          added=(("logistic_cost", "_hoard = np.ones(2 ** 30)\n"),),
          deserved=("logistic_forward", "logistic_cost", "logistic_dJdz", "logistic_gradients",
                    "logistic_gradient_descent"),
          keeps=("logistic_forward", "logistic_cost", "logistic_dJdz", "logistic_gradients",
                 "logistic_gradient_descent"),
          evidence=("MemoryError",)),
]


# -- issue 12: holes that the pipeline (not the verifier alone) must close ------------------------

_LEAK_CELL = """
    # everything a kernel knows of the hidden tests, encoded so that no plain line matches
    import base64, glob, zlib
    history = "\\n".join(In)
    print("B64", base64.b64encode(history.encode()).decode())
    print("ZLIB", base64.b64encode(zlib.compress("\\n".join(_ih).encode())).decode())
    print("SPLIT", " ".join(history))
    print("REVERSED", history[::-1])
    for name in glob.glob("*.ipynb"):
        with open(name, "rb") as handle:
            print("FILE", base64.b64encode(zlib.compress(handle.read())).decode())
    """

_FEEDBACK_SCRIPTS_CODE = """
    from IPython.display import HTML, SVG, Javascript, display
    display(HTML("<b>mine</b><script>alert('html-script')</script>"
                 "<img src=x onerror=alert('html-onerror')>"))
    display(Javascript("alert('javascript-output')"))
    display(SVG('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                '<script>alert("svg-script")</script></svg>'))
    display(HTML('<iframe src="javascript:alert(\\'html-iframe\\')"></iframe>'))
    """

_FEEDBACK_SCRIPTS_MARKDOWN = (
    ("end", "<script>alert('markdown-script')</script> and $a<b$"),
    ("end", "<iframe src=\"javascript:alert('markdown-iframe')\"></iframe>"),
    ("end", "<img src=x onerror=\"alert('markdown-onerror')\"> [link](javascript:alert(1))"),
    ("end", '<svg><script>alert("markdown-svg")</script></svg>'),
)

_EARLIER_RUNS_CELL = """
    # earlier runs' output folders: in the repository (make grade) and another section's run
    import glob, os
    searched = 0
    for pattern in ["@@REPO@@/grading-output*/**", "/srv/**"]:
        for path in glob.glob(pattern, recursive=True):
            searched += 1
            if os.path.isfile(path) and path.endswith((".csv", ".db", ".html", ".ipynb")):
                try:
                    with open(path, "rb") as handle:  # scores.csv, gradebook.db, feedback
                        print("READ", path, handle.read(40))
                except OSError as error:
                    print("REFUSED", path, type(error).__name__)
    print("SEARCHED", searched)
    """


def _hidden_seed_answers():
    """Answers that return the reference's outputs on the visible and the HIDDEN seeds' inputs
    (all a student can learn by printing the hidden tests) and zeros elsewhere."""
    from autograder.exercises import VISIBLE_SEED, get

    zeros = {"gradient_descent_1d": "np.zeros(n_iter + 1)",
             "neuron_forward": "(np.zeros_like(x), np.zeros_like(x))",
             "neuron_example_gradients": "(np.zeros_like(x), np.zeros_like(x))",
             "neuron_sgd_step": "(0.0, 0.0)", "neuron_gd_step": "(0.0, 0.0)"}

    def body(name):
        exercise = get(f"{L1}.{name}")
        table = {}
        for seed in (VISIBLE_SEED, 11, 12, 13):
            inputs = exercise.inputs(seed)
            table[_fingerprint(inputs.values())] = _literal(exercise.reference(*inputs.values()))
        entries = ",\n    ".join(f"{key!r}: {value}" for key, value in table.items())
        args = ", ".join(exercise.inputs(VISIBLE_SEED))
        return (f"_known = {{\n    {entries}\n}}\n"
                f"_key = repr([float(v) for a in ({args},) if not callable(a)"
                " for v in np.ravel(np.asarray(a, dtype=float))])\n"
                f"return _known.get(_key, {zeros[name]})")

    return _l1_answers(body)


def _fingerprint(values):
    return repr([float(v) for a in values if not callable(a)
                 for v in np.ravel(np.asarray(a, dtype=float))])


ISSUE_12 = [
    Entry("padded_input_transformer", L1, "student", 3,
          "the blank notebook, an input transformer that turns every later cell into `pass`, "
          "and 70 MiB of padding in a scratch cell's output (over the verifier's size limit)",
          added=(("imports", """
              get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
              """),),
          padding_bytes=70 * 2 ** 20, evidence=("uses IPython hooks",)),
    Entry("hard_coded_hidden_outputs", L1, "student", 7,
          "answers return the reference's outputs on the visible and hidden seeds' inputs "
          "(what printing the hidden tests teaches), zeros elsewhere",
          answers={}, shape_ok=ALL, evidence=("wrong values",)),
    Entry("leak_hidden_tests_encoded", L1, "solution", 5,
          "a last cell prints In, _ih and the notebook file as base64, zlib, split and "
          "reversed text (into the feedback page)",
          added=(("end", _LEAK_CELL),), deserved=ALL, keeps=ALL, evidence=()),
    Entry("feedback_scripts", L1, "solution", 6,
          "markdown <script>, <iframe src=javascript:>, onerror, SVG scripts; display(HTML), "
          "Javascript(...), SVG outputs (scripts for the instructor's browser)",
          added=(("end", _FEEDBACK_SCRIPTS_CODE),), markdown=_FEEDBACK_SCRIPTS_MARKDOWN,
          deserved=ALL, keeps=ALL, evidence=()),
    Entry("read_earlier_runs", L1, "solution", 5,
          "searches earlier runs' output folders (grading-output/ in the repository, /srv) for "
          "scores.csv, gradebook.db, feedback pages and notebooks, and prints them",
          added=(("end", _EARLIER_RUNS_CELL),), deserved=ALL, keeps=ALL,
          evidence=("names course, solution, gradebook or submission files",)),
]
ATTACKS += ISSUE_12


def _hard_code(entry):
    """Fill the hard-coded outputs of the worked example into an entry's answers."""
    answers = {}
    for name, source in entry.answers.items():
        answers[name] = source.replace(f"@@{name}@@", visible_outputs(f"{entry.lesson}.{name}"))
    object.__setattr__(entry, "answers", answers)


for _entry in ATTACKS:
    if _entry.name == "hard_coded_visible_outputs":
        _hard_code(_entry)
    elif _entry.name == "hard_coded_hidden_outputs":
        object.__setattr__(_entry, "answers", _hidden_seed_answers())

ENTRIES = HONEST + ATTACKS
