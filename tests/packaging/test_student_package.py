"""The student package: the autograder a class installs for students holds no answer key.

The package is built once into a temporary directory and run in a Python that can import ONLY it
(a throwaway venv whose site-packages path reaches the repository venv's numpy etc., but not the
repository's editable install of ``autograder``), from a temporary working directory.
"""
from __future__ import annotations

import ast
import json
import pickle
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import numpy as np
import pytest

from autograder import answer_key, exercises, key_codec, leak_check, student_package

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

    run.python = python
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


# Every cell runs, the widgets included: the explorer and the 2-D view run the student's own
# functions (the lesson passes them in), the stepper reads its recorded worked example.


def _run_cells(run, path):
    """Run the code cells of the notebook at ``path`` in order, in one namespace, in the student
    package; returns ``[{"auto", "points", "error"}]`` for the cells run (``error`` is
    ``"Type: message"`` or ``None``)."""
    notebook = json.loads(path.read_text())
    cells = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code":
            continue
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        meta = cell["metadata"].get("nbgrader", {})
        cells.append({"auto": bool(meta.get("grade") and not meta.get("solution")),
                      "points": meta.get("points", 0), "source": "\n".join(lines)})
    out = run(f"""
        import json, matplotlib
        matplotlib.use("Agg")
        ns = {{"__name__": "__main__"}}
        results = []
        for cell in json.loads({json.dumps(json.dumps(cells))}):
            try:
                exec(compile(cell["source"], "<cell>", "exec"), ns)
                error = None
            except Exception as e:
                error = f"{{type(e).__name__}}: {{e}}"
            results.append({{"auto": cell["auto"], "points": cell["points"], "error": error,
                             "start": cell["source"][:120]}})
        print("RESULTS" + json.dumps(results))
    """)
    return json.loads(out.split("RESULTS", 1)[1])


@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_solution_code_gets_full_visible_marks(student, lesson):
    """Run top to bottom with the solutions' code, does every cell run (worked cells and
    pictures) and every visible grade cell give its points in the student package?"""
    _, run = student
    results = _run_cells(run, ROOT / "solutions" / lesson / f"{lesson}.ipynb")
    total = sum(r["points"] for r in results if r["auto"])
    assert total >= 4
    failed = [r for r in results if r["error"]]
    assert not failed, failed
    assert sum(r["points"] for r in results if r["auto"] and not r["error"]) == total


@pytest.mark.parametrize("lesson", GRADED_LESSONS)
def test_released_grade_cells_say_not_written_yet(student, lesson):
    """Run top to bottom as released, does every visible grade cell fail with the lesson's
    "not written yet" message (not an import error or a crash of the package)?"""
    _, run = student
    results = _run_cells(run, ROOT / "notebooks" / lesson / f"{lesson}.ipynb")
    graded = [r for r in results if r["auto"]]
    assert len(graded) >= 2
    wrong = [r for r in graded if not (r["error"] or "").startswith("CheckFailed")
             or "is not written yet" not in r["error"]]
    assert not wrong, wrong


def _check(package, python):
    done = subprocess.run([sys.executable, "-m", "autograder.student_package", "--check",
                           str(package), "--python", str(python)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    return done.returncode, done.stdout + done.stderr


def test_the_leak_check_passes_the_built_package(student):
    """Does ``--check`` find nothing in the package ``make student-package`` builds (files, key,
    and everything importable there, read with ``inspect.getsource``)?"""
    package, run = student
    status, out = _check(package, run.python)
    assert status == 0 and "no leak" in out, out


def test_the_leak_check_names_every_leak(student, tmp_path):
    """Given a package with the reference, a copied answer under another name, an answer's
    source in a data file, a pickle and the hidden seeds, does ``--check`` exit 1 and name each?"""
    package, run = student
    bad = tmp_path / "bad"
    shutil.copytree(package, bad)
    shutil.copytree(ROOT / "autograder" / "reference", bad / "autograder" / "reference")
    source = (ROOT / "autograder" / "reference" / "logistic.py").read_text()
    node = next(n for n in ast.parse(source).body
                if isinstance(n, ast.FunctionDef) and n.name == "logistic_gradients")
    copied = ast.get_source_segment(source, node).replace("def logistic_gradients",
                                                          "def helper")
    with open(bad / "autograder" / "gradcheck.py", "a") as module:
        module.write("\n\n_as_float = np.asarray\n_scalar = float\n\n\n" + copied + "\n")
    body = "\n".join(ast.get_source_segment(source, s) for s in node.body[1:])
    (bad / "autograder" / "data" / "notes.json").write_text(json.dumps({"hint": body}))
    (bad / "autograder" / "data" / "extra.pkl").write_bytes(pickle.dumps({"x": 1}))
    (bad / "autograder" / "conventions.py").open("a").write("\nSEEDS = (11, 12, 13)\n")
    status, out = _check(bad, run.python)
    assert status == 1, out
    for expected in ["autograder/reference/ is in the package",
                     "gradcheck.py:helper has the body of reference/logistic.py:logistic_gradients",
                     "data/notes.json holds the source of reference/logistic.py:logistic_gradients",
                     "extra.pkl is a pickle", "hidden seeds of lesson01",
                     "autograder.reference is importable",
                     "inspect.getsource(autograder.gradcheck.helper) gives the body of "
                     "reference/logistic.py:logistic_gradients"]:
        assert expected in out, (expected, out)


def test_the_leak_check_finds_hidden_inputs_in_the_key(student, tmp_path):
    """Is a key recorded on a hidden seed (even under a visible seed's number) a leak?"""
    package, _ = student
    bad = tmp_path / "bad"
    shutil.copytree(package, bad)
    hidden = next(iter(leak_check.hidden_seeds().values()))[0]
    key = answer_key.record(seeds=(0, hidden))
    key_codec.write(key, bad / "autograder" / "data" / "visible_key")
    leaks = leak_check.key_leaks(bad)
    assert f"the recorded key holds hidden seed {hidden}" in leaks
    assert any(f"holds the inputs of hidden seed {hidden}" in leak for leak in leaks)
    for item in key["exercises"]:  # relabelled: the inputs give it away, not the number
        item["inputs"] = {1 if seed == hidden else seed: v for seed, v in item["inputs"].items()}
    key["seeds"] = (0, 1)
    key_codec.write(key, bad / "autograder" / "data" / "visible_key")
    leaks = leak_check.key_leaks(bad)
    assert leaks and all(f"hidden seed {hidden}" in leak for leak in leaks), leaks


def test_the_leak_check_reads_a_wheel(student, tmp_path):
    """Does the check unpack a wheel and find the package in it?"""
    package, _ = student
    wheel = tmp_path / "x-0-py3-none-any.whl"
    shutil.make_archive(str(wheel.with_suffix("")), "zip", package)
    wheel.with_suffix(".zip").rename(wheel)
    assert not leak_check.file_leaks(leak_check._root_of(wheel, tmp_path / "unpacked"))
    assert (tmp_path / "unpacked" / "autograder" / "data" / "visible_key.json").is_file()
