"""Does a built student package leak the answer key? The instructor's one check.

``python -m autograder.student_package --check OUT`` runs :func:`check` on ``OUT`` (the folder
``make student-package`` writes, or its wheel). It compares the package with the instructor's
own (this one, which holds :mod:`autograder.reference`), and reports, one line each:

* files: the reference package; a function whose body is the body of a reference function or of a
  lesson module's function (right answers, mistake variants, input builders); the source text of
  such a body anywhere in any file, string arrays of an ``.npz`` included; a pickle (it runs code
  when loaded); the name ``HIDDEN_SEEDS`` or a lesson's hidden seeds;
* the recorded key: a hidden seed among its seeds, or the inputs of a hidden test among its
  recorded inputs;
* what a student can import: in a Python that sees only the package, ``autograder.reference``
  importable, the registry's answers anything but recorded tables, or ``inspect.getsource`` of
  any module, function, class or method giving one of those bodies.

:func:`check` returns a :class:`LeakReport`: its ``leaks`` (empty when nothing leaked) and its
``notes`` (modules that cannot be imported there: they leak nothing, but do not work either).
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import key_codec

PACKAGE = Path(__file__).resolve().parent

#: Bodies shorter than this (without whitespace) are not searched for as text: ``return x`` is
#: in any program, a right answer is longer.
MIN_TEXT = 40

#: The first bytes of a pickle of protocol 2 to 5 (``\x80`` then the protocol number).
PICKLE_HEADERS = tuple(bytes([0x80, protocol]) for protocol in range(2, 6))


# ---- what must not be there (from the instructor's package) ------------------------------------

def _body_of(node):
    """A function's body without its docstring, as a list of statements."""
    body = node.body if isinstance(node.body, list) else [ast.Return(node.body)]
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body


def bodies(source: str, where: str = "") -> dict[str, str]:
    """``{ast dump of a body: "where:name"}`` for every function and lambda in ``source``."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = _body_of(node)
            if body:
                found[ast.dump(ast.Module(body=body, type_ignores=[]))] = \
                    f"{where}:{getattr(node, 'name', '<lambda>')}"
    return found


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _answer_files(package=PACKAGE):
    return [*sorted((package / "reference").glob("*.py")),
            *sorted((package / "exercises").glob("lesson*.py"))]


def answers(package=PACKAGE) -> tuple[dict[str, str], dict[str, str]]:
    """``(bodies, texts)`` of the answer key: the ast dump and the whitespace-free source text
    of every function body of the reference and of the lesson modules, each naming its
    function."""
    dumps, texts = {}, {}
    for path in _answer_files(package):
        source = path.read_text(encoding="utf-8")
        where = f"{path.parent.name}/{path.name}"
        dumps.update(bodies(source, where))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _body_of(node):
                body = _body_of(node)
                text = _squeezed("\n".join(ast.get_source_segment(source, s) or ""
                                           for s in body))
                if len(text) >= MIN_TEXT:
                    texts[text] = f"{where}:{node.name}"
    if not dumps:
        raise RuntimeError(f"No reference in {package}: run the check from the instructor's "
                           "package (the repository's .venv), which holds autograder.reference.")
    return dumps, texts


def hidden_seeds(package=PACKAGE) -> dict[str, tuple]:
    """``{lesson module: HIDDEN_SEEDS}`` read from the instructor's lesson modules."""
    seeds = {}
    for path in sorted((package / "exercises").glob("lesson*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "HIDDEN_SEEDS"
                                                    for t in node.targets):
                seeds[path.stem] = tuple(ast.literal_eval(node.value))
    return seeds


# ---- the files -----------------------------------------------------------------------------------

def _texts_of_npz(path):
    """The string arrays of an ``.npz`` as one text, or raises ``ValueError`` if it needs pickle."""
    with np.load(path, allow_pickle=False) as archive:
        return " ".join(" ".join(map(str, archive[n].ravel())) for n in archive.files
                        if archive[n].dtype.kind in "US")


def _strings(node):
    """Every string in a JSON value (a source hidden in a JSON string has its newlines escaped)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def file_leaks(root: Path, package=PACKAGE) -> list[str]:
    """What the files under ``root`` (a folder holding ``autograder/``) leak."""
    dumps, texts = answers(package)
    seeds = hidden_seeds(package)
    leaks = []
    if (root / "autograder" / "reference").exists():
        leaks.append("autograder/reference/ is in the package (the reference of every exercise)")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = str(path.relative_to(root))
        data = path.read_bytes()
        if data[:2] in PICKLE_HEADERS or path.suffix in (".pkl", ".pickle"):
            leaks.append(f"{name} is a pickle (it runs code when it is loaded)")
            continue
        if path.suffix == ".py":
            try:
                found = bodies(data.decode("utf-8"), name)
            except (SyntaxError, UnicodeDecodeError):
                found = {}
            leaks += [f"{where} has the body of {dumps[b]}" for b, where in found.items()
                      if b in dumps]
        if path.suffix == ".npz":
            try:
                text = _texts_of_npz(path)
            except ValueError:
                leaks.append(f"{name} holds arrays that need pickle to load")
                continue
        else:
            text = data.decode("utf-8", errors="ignore")
        if path.suffix == ".json":
            try:
                text += " " + " ".join(_strings(json.loads(text)))
            except ValueError:
                pass
        squeezed = _squeezed(text)
        leaks += [f"{name} holds the source of {where}" for body, where in texts.items()
                  if body in squeezed]
        if "HIDDEN_SEEDS" in text:
            leaks.append(f"{name} names HIDDEN_SEEDS")
        leaks += [f"{name} holds the hidden seeds of {lesson}, {seed_tuple!r}"
                  for lesson, seed_tuple in seeds.items() if repr(seed_tuple) in text]
    return leaks


def key_leaks(root: Path, package=PACKAGE) -> list[str]:
    """What the recorded key under ``root`` leaks of the hidden tests."""
    from . import answer_key, exercises

    stem = root / "autograder" / "data" / answer_key.KEY_PATH.name
    if not key_codec.paths(stem)[0].exists():
        return []
    try:
        key = key_codec.read(stem)
    except key_codec.KeyFormatError as error:
        return [f"the recorded key cannot be read as data: {error}"]
    hidden = {seed for seeds in hidden_seeds(package).values() for seed in seeds}
    leaks = [f"the recorded key holds hidden seed {seed}" for seed in sorted(hidden)
             if seed in set(key["seeds"])]
    for item in key["exercises"]:
        leaks += [f"the recorded key of {item['id']} holds inputs of seed {seed}, which the "
                  "visible checks do not use" for seed in item["inputs"]
                  if seed not in set(key["seeds"])]
        live = exercises.get(item["id"])
        recorded = [list(inputs.values()) for inputs in item["inputs"].values()]
        for seed in sorted(hidden):
            drawn = list(live.inputs(seed).values())
            if any(answer_key.same(drawn, r) for r in recorded):
                leaks.append(f"the recorded key of {item['id']} holds the inputs of hidden "
                             f"seed {seed}")
    return leaks


# ---- what a student can import -----------------------------------------------------------------

PROBE = r'''
import importlib, inspect, json, pkgutil, sys, types
root = sys.argv[1]
# Only the package under test: not the instructor's editable install (a meta path finder).
def ours(finder):
    return (getattr(finder, "__module__", None) or type(finder).__module__).startswith(
        "__editable__")
sys.meta_path[:] = [f for f in sys.meta_path if not ours(f)]
sys.path_hooks[:] = [h for h in sys.path_hooks if not ours(h)]
sys.path_importer_cache.clear()
sys.path.insert(0, root)
import autograder
report = {"file": autograder.__file__, "errors": {}, "sources": [], "not_recorded": []}
try:
    importlib.import_module("autograder.reference")
    report["reference"] = True
except ImportError:
    report["reference"] = False
seen = set()

def add(label, obj):
    if id(obj) in seen:
        return
    seen.add(id(obj))
    try:
        report["sources"].append([label, inspect.getsource(obj)])
    except (OSError, TypeError):
        pass

modules = [autograder]
for info in pkgutil.walk_packages(autograder.__path__, "autograder."):
    if info.name.rsplit(".", 1)[-1] == "__main__":
        continue
    try:
        modules.append(importlib.import_module(info.name))
    except Exception as error:
        report["errors"][info.name] = f"{type(error).__name__}: {error}"
for module in modules:
    add(module.__name__, module)
    for name, obj in list(vars(module).items()):
        if isinstance(obj, (types.FunctionType, type)):
            add(f"{module.__name__}.{name}", obj)
        if isinstance(obj, type):
            for attr, member in list(vars(obj).items()):
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, types.FunctionType):
                    add(f"{module.__name__}.{name}.{attr}", member)
        if name == "HIDDEN_SEEDS":
            report["errors"][f"{module.__name__}.HIDDEN_SEEDS"] = "defined"
from autograder import answer_key, exercises
report["live"] = answer_key.live()
for e in exercises.all_exercises():
    for label, fn in [("reference", e.reference), ("student_form", e.student_form),
                      *((f"mistake {m.key}", m.fn) for m in e.mistakes)]:
        if fn is not None and type(fn).__name__ != "RecordedFunction":
            report["not_recorded"].append(f"{e.id} {label} is a {type(fn).__name__}")
            add(f"{e.id} {label}", fn)
print("PROBE" + json.dumps(report))
'''


@dataclass
class LeakReport:
    """What :func:`check` found: ``leaks`` (each a sentence), ``notes`` (not leaks)."""

    leaks: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Does nothing leak?"""
        return not self.leaks


def import_leaks(root: Path, python=None, package=PACKAGE, notes=None) -> list[str]:
    """What a Python that sees only the package under ``root`` can import or read; modules that
    fail to import are appended to ``notes`` (a list) when given."""
    dumps, _ = answers(package)
    # cwd is a scratch folder: a relative root (make student-package passes one) would miss.
    done = subprocess.run([str(python or sys.executable), "-c", PROBE,
                           str(Path(root).resolve())],
                          capture_output=True, text=True, timeout=300, cwd=tempfile.gettempdir(),
                          env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    line = next((x for x in done.stdout.splitlines() if x.startswith("PROBE")), None)
    if line is None:
        return [f"the package could not be imported to check it: {done.stderr.strip()[-600:]}"]
    report = json.loads(line[len("PROBE"):])
    leaks = []
    if not Path(report["file"]).resolve().is_relative_to(root.resolve()):
        leaks.append(f"`import autograder` found {report['file']}, not the package under check")
    if report["reference"]:
        leaks.append("autograder.reference is importable")
    if report["live"]:
        leaks.append("autograder.answer_key.live() is True (it sees a reference)")
    leaks += report["not_recorded"]
    leaks += [f"{name} is {error}" for name, error in report["errors"].items()
              if error == "defined"]
    if notes is not None:
        notes += [f"{name} cannot be imported there ({error})"
                  for name, error in report["errors"].items() if error != "defined"]
    for label, source in report["sources"]:
        try:
            found = bodies(textwrap.dedent(source))
        except SyntaxError:
            continue
        leaks += [f"inspect.getsource({label}) gives the body of {dumps[b]}"
                  for b in found if b in dumps]
    return sorted(set(leaks), key=leaks.index)


# ---- the check -----------------------------------------------------------------------------------

def _root_of(out: Path, scratch: Path) -> Path:
    """The folder holding ``autograder/``: ``out`` itself, or a wheel unpacked in ``scratch``."""
    if out.is_file() and out.suffix == ".whl":
        with zipfile.ZipFile(out) as wheel:
            wheel.extractall(scratch)
        return scratch
    if (out / "autograder" / "__init__.py").is_file():
        return out
    raise FileNotFoundError(f"{out} is neither a student package folder (with autograder/ in "
                            "it, as `make student-package` writes) nor a wheel (.whl).")


def check(out, python=None) -> LeakReport:
    """Every leak of the built student package ``out`` (a folder or a wheel).

    ``python`` is the interpreter for the import check (default: this one, with the
    instructor's own ``autograder`` kept out of sight).
    """
    with tempfile.TemporaryDirectory() as scratch:
        root = _root_of(Path(out), Path(scratch))
        report = LeakReport()
        report.leaks = file_leaks(root) + key_leaks(root) + import_leaks(root, python,
                                                                          notes=report.notes)
        return report
