"""The student package: the autograder a class installs for students holds no answer key.

The package is built once into a temporary directory and run in a Python that can import ONLY it
(a throwaway venv whose site-packages path reaches the repository venv's numpy etc., but not the
repository's editable install of ``autograder``), from a temporary working directory.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import numpy as np
import pytest

from autograder import answer_key, exercises, key_codec, student_package

from layout import GRADED_LESSONS, REPO as ROOT
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """``(package dir, run)``: ``run(code)`` executes ``code`` in a Python that sees only the
    student package and returns its stdout (the test fails on a non-zero exit)."""
    base = tmp_path_factory.mktemp("student")
    package = student_package.build(base / "student-package")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # A plain path line: the repository venv's .pth files (its editable install) are NOT run.
    deps = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    Path(site, "repo_deps.pth").write_text(deps + "\n")
    cwd = base / "cwd"
    cwd.mkdir()

    def run(code):
        prelude = ("import autograder, sys\n"
                   f"assert autograder.__file__.startswith({str(package)!r}), autograder.__file__\n")
        done = subprocess.run([str(python), "-c", prelude + textwrap.dedent(code)], cwd=cwd,
                              capture_output=True, text=True, timeout=600,
                              env={"PYTHONPATH": str(package), "PATH": "/usr/bin:/bin",
                                   "MPLBACKEND": "Agg", "HOME": str(base)})
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    return package, run


def _bodies(path):
    """``{ast dump of a function body without its docstring: name}`` of every function in a file."""
    found = {}
    for node in ast.walk(ast.parse(Path(path).read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [ast.Return(node.body)]
            if body and isinstance(body[0], ast.Expr) and isinstance(
                    getattr(body[0], "value", None), ast.Constant):
                body = body[1:]
            if body:
                found[ast.dump(ast.Module(body=body, type_ignores=[]))] = \
                    f"{Path(path).name}:{getattr(node, 'name', '<lambda>')}"
    return found


def test_student_package_has_no_reference_module(student):
    """Is ``autograder.reference`` absent from the student package (and nothing else serves it)?"""
    package, run = student
    assert not (package / "autograder" / "reference").exists()
    out = run("""
        import importlib
        from autograder import answer_key
        try:
            importlib.import_module("autograder.reference")
        except ModuleNotFoundError:
            print("absent", answer_key.live())
    """)
    assert out.split() == ["absent", "False"]


def test_no_file_holds_a_reference_or_mistake_body(student):
    """Does no function in the student package have the body of a reference function or of a
    lesson module's function (mistake variants are mutated copies of the reference)?"""
    package, run = student
    answers = {}
    for path in [*(ROOT / "autograder" / "reference").glob("*.py"),
                 *(ROOT / "autograder" / "exercises").glob("lesson*.py")]:
        answers.update(_bodies(path))
    assert len(answers) > 100
    leaked = []
    for path in package.rglob("*.py"):
        leaked += [f"{path.relative_to(package)} has the body of {answers[b]}"
                   for b in _bodies(path) if b in answers]
    assert not leaked, leaked
    # What a student can reach: the registered reference and mistakes are recorded tables.
    out = run("""
        import inspect
        from autograder import exercises
        kinds = set()
        for e in exercises.all_exercises():
            for fn in (e.reference, *(m.fn for m in e.mistakes)):
                kinds.add(type(fn).__name__)
        print(sorted(kinds))
    """)
    assert out.strip() == "['RecordedFunction']"


def test_hidden_seeds_are_in_no_file_and_cannot_be_graded(student):
    """Are the hidden seeds absent from every file (names, tuples, recorded inputs), and does
    a hidden check in the student package refuse with a clear message?"""
    package, run = student
    texts = {p: p.read_bytes() for p in package.rglob("*") if p.is_file()}
    assert not [p for p, t in texts.items() if b"HIDDEN_SEEDS" in t]
    key = key_codec.read(package / "autograder" / "data" / "visible_key")
    hidden = set()
    for module in (ROOT / "autograder" / "exercises").glob("lesson*.py"):
        tree = ast.parse(module.read_text())
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "HIDDEN_SEEDS"
                                                    for t in node.targets):
                seeds = ast.literal_eval(node.value)
                hidden |= set(seeds)
                assert not [p for p, t in texts.items() if repr(seeds).encode() in t]
    assert hidden and not hidden & set(key["seeds"])
    assert all(set(item["inputs"]) == set(key["seeds"]) for item in key["exercises"])
    out = run("""
        from autograder import answer_key, exercises
        from autograder.checks import check_exercise
        e = exercises.get("01_single_neuron.neuron_forward")
        try:
            check_exercise(e.id, lambda w, b, x: (w * x + b, x), seeds=[11], hidden=True)
        except answer_key.KeyNotRecorded as error:
            print(error)
    """)
    assert "worked example only" in out and "instructor" in out


def _assert_close(got, want):
    if isinstance(want, dict):
        assert list(got) == list(want)
        for k in want:
            _assert_close(got[k], want[k])
    elif isinstance(want, (list, tuple)):
        assert type(got) is type(want) and len(got) == len(want)
        for a, b in zip(got, want):
            _assert_close(a, b)
    else:
        np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float),
                                   rtol=1e-12, atol=1e-15)


def test_recorded_key_agrees_with_the_live_reference(student):
    """Does every recorded right answer and mistake equal the live reference's on its inputs?"""
    package, _ = student
    key = key_codec.read(package / "autograder" / "data" / "visible_key")
    for item in key["exercises"]:
        live = exercises.get(item["id"])
        for seed, inputs in item["inputs"].items():
            assert answer_key.same(list(inputs.values()), list(live.inputs(seed).values()))
            want = live.reference(*list(live.inputs(seed).values()))
            got = answer_key.RecordedFunction("r", key["groups"][item["group"]])(
                *list(inputs.values()))
            _assert_close(got, want)
        assert [m["key"] for m in item["mistakes"]] == [m.key for m in live.mistakes]


def test_a_known_mistake_is_named_and_a_right_answer_passes(student):
    """Does the student package pass a right neuron_forward and name a forgotten bias?"""
    _, run = student
    out = run("""
        import numpy as np
        from autograder.activations import sigmoid
        from autograder.checks import CheckFailed, check_exercise

        def right(w, b, x):
            z = w * x + b
            return z, sigmoid(z)

        def no_bias(w, b, x):
            return w * x, sigmoid(w * x)

        check_exercise("01_single_neuron.neuron_forward", right)
        try:
            check_exercise("01_single_neuron.neuron_forward", no_bias)
        except CheckFailed as error:
            print("FAILED:", error)
    """)
    message = next(m.message for m in exercises.get("01_single_neuron.neuron_forward").mistakes
                   if m.key == "forgotten_bias")
    assert "correct on the worked example" in out
    assert "FAILED:" in out and message.split(".")[0] in out


# Cells of a lesson that show a picture or widget: these need the reference maths, which the
# student package does not hold (see docs/jupyterhub.md); every other cell must run.
PICTURE_IMPORTS = ("autograder.pictures", "autograder.widgets", "autograder.explorer")


@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_solution_code_gets_full_visible_marks(student, lesson):
    """Run with the solutions' code, do all the grade cells of a lesson pass in the student
    package?"""
    _, run = student
    notebook = json.loads((ROOT / "solutions" / lesson / f"{lesson}.ipynb").read_text())
    cells = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or any(p in source for p in PICTURE_IMPORTS):
            continue
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        cells.append({"grade": bool(cell["metadata"].get("nbgrader", {}).get("grade")),
                      "source": "\n".join(lines)})
    graded = sum(c["grade"] for c in cells)
    assert graded >= 4
    out = run(f"""
        import json, matplotlib
        matplotlib.use("Agg")
        ns = {{"__name__": "__main__"}}
        passed = 0
        for cell in json.loads({json.dumps(json.dumps(cells))}):
            try:
                exec(compile(cell["source"], "<cell>", "exec"), ns)
            except Exception as error:
                print("CELL FAILED:", type(error).__name__, error, cell["source"][:300])
                continue
            passed += cell["grade"]
        print("PASSED", passed)
    """)
    assert "CELL FAILED" not in out, out
    assert f"PASSED {graded}" in out, out
