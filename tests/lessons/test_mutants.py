"""Do the grade cells reject wrong answers nobody listed? A mutation test of the checks.

Each solution function of each lesson is mutated one small edit at a time (an operator swapped,
a sign dropped, a constant changed, a transpose removed, a mean turned into a sum, an axis
changed...). A mutant is *wrong* when, on any of many fresh random inputs of the exercise, its
answer differs from the reference's (the registry's comparison decides). Every wrong mutant must
fail at least one of the lesson's grade cells (visible and hidden tests as written in the lesson).
Mutants that agree with the reference everywhere are equivalent rewrites and must pass: a correct
answer written differently keeps its points.
"""
import ast
import copy
import re
import signal
from contextlib import contextmanager

import pytest

from autograder import exercises
from autograder.checks import CheckFailed, check_exercise
from lesson_cells import defining_cells, grade_cells, run_grade_cell, solution_source

#: Seeds used to decide whether a mutant is really wrong (none of them is used by a grade cell).
JUDGE_SEEDS = list(range(7001, 7025))
MAX_MUTANTS = 60

BY_EXERCISE = {}
for _lesson, _grade_id, _source, _exercise_id, _name in grade_cells():
    BY_EXERCISE.setdefault(_exercise_id, []).append((_source, _name))

_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
          ast.Pow: ast.Mult, ast.MatMult: ast.Mult}
_CALL_SWAPS = {"mean": "sum", "sum": "mean", "exp": "log", "log": "exp", "ones_like": "zeros_like",
               "zeros_like": "ones_like", "maximum": "minimum"}


class _Mutator(ast.NodeTransformer):
    """Apply the `target`-th possible mutation (counting in tree order) and no other."""

    def __init__(self, target):
        self.target, self.seen, self.applied = target, -1, None

    def _hit(self, what):
        self.seen += 1
        if self.seen == self.target:
            self.applied = what
            return True
        return False

    def visit_BinOp(self, node):
        self.generic_visit(node)
        if type(node.op) in _SWAPS and self._hit(f"{type(node.op).__name__} swapped"):
            node.op = _SWAPS[type(node.op)]()
        elif self._hit("operands swapped"):
            node.left, node.right = node.right, node.left
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.USub) and self._hit("unary minus dropped"):
            return node.operand
        return node

    def visit_Constant(self, node):
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            if self._hit(f"constant {node.value!r} changed"):
                return ast.Constant(value=0 if node.value == 1 else 1 if node.value == 0
                                    else node.value * 2)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr == "T" and self._hit("transpose dropped"):
            return node.value
        if node.attr in _CALL_SWAPS and self._hit(f"{node.attr} -> {_CALL_SWAPS[node.attr]}"):
            node.attr = _CALL_SWAPS[node.attr]
        return node

    def visit_keyword(self, node):
        self.generic_visit(node)
        if node.arg == "keepdims" and self._hit("keepdims flipped"):
            node.value = ast.Constant(value=not getattr(node.value, "value", True))
        elif node.arg == "axis" and isinstance(node.value, ast.Constant) \
                and self._hit("axis changed"):
            node.value = ast.Constant(value=1 - node.value.value if node.value.value in (0, 1)
                                      else 0)
        return node

    def visit_Return(self, node):
        self.generic_visit(node)
        if isinstance(node.value, ast.Tuple) and len(node.value.elts) > 1 and \
                self._hit("returned values swapped"):
            node.value.elts = node.value.elts[::-1]
        return node


def _function_def(source, name):
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]  # the docstring is not code
            return node, body
    raise LookupError(name)


def mutants(source, name):
    """(description, mutated source) for every single-edit mutant of function `name`."""
    node, _ = _function_def(source, name)
    out = []
    for target in range(10_000):
        mutated = copy.deepcopy(node)
        docstring = mutated.body[:1] if mutated.body and isinstance(mutated.body[0], ast.Expr) \
            else []
        mutator = _Mutator(target)
        mutated.body = docstring + [mutator.visit(stmt) for stmt in mutated.body[len(docstring):]]
        if mutator.applied is None:
            break
        out.append((mutator.applied, ast.unparse(ast.fix_missing_locations(mutated))))
    return out[:MAX_MUTANTS]


@contextmanager
def _time_limit(seconds):
    def timeout(signum, frame):
        raise TimeoutError
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _namespace(lesson, mutated_source):
    """The lesson's definitions with one function replaced (callers see the mutant too)."""
    namespace = {}
    for source in defining_cells(lesson):
        exec(compile(source, "<lesson cell>", "exec"), namespace)
    exec(compile(mutated_source, "<mutant>", "exec"), namespace)
    return namespace


def _adapter(exercise_id):
    """The adapter the grade cells wrap the student's function in (lesson 4), or identity."""
    for cell, _ in BY_EXERCISE[exercise_id]:
        match = re.search(r'check_exercise\(\s*"[^"]+",\s*([A-Za-z_]\w*)\(', cell)
        if match:
            namespace = {}
            imports = [line for line in cell.splitlines() if line.startswith(("from ", "import "))]
            exec("\n".join(imports), namespace)
            return namespace[match.group(1)]
    return lambda fn: fn


def _is_wrong(exercise, fn):
    fn = _adapter(exercise.id)(fn)
    try:
        check_exercise(exercise.id, fn, seeds=JUDGE_SEEDS, hidden=True, quiet=True)
    except CheckFailed:
        return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", sorted(BY_EXERCISE))
def test_every_wrong_mutant_fails_a_grade_cell(exercise_id, capsys):
    """Is every single-edit mutant of the solution that gives a wrong answer on fresh inputs
    rejected by the lesson's grade cells, and every mutant that stays right accepted?"""
    exercise = exercises.get(exercise_id)
    lesson = exercise.lesson
    source = solution_source(lesson, exercise.function)
    survivors, wrong, equivalent = [], 0, 0
    for description, mutated in mutants(source, exercise.function):
        try:
            with _time_limit(20):
                namespace = _namespace(lesson, mutated)
                fn = namespace[exercise.function]
                failures = [run_grade_cell(cell, name, fn, namespace)
                            for cell, name in BY_EXERCISE[exercise_id]]
                if not _is_wrong(exercise, fn):
                    equivalent += 1
                    rejected = [f for f in failures if f is not None]
                    assert not rejected, f"a correct rewrite ({description}) fails: {rejected[0]}"
                    continue
                wrong += 1
        except TimeoutError:
            wrong += 1
            continue  # a mutant that hangs is stopped by nbgrader's cell timeout
        if all(f is None for f in failures):
            survivors.append(description)
    print(f"{exercise_id}: {wrong} wrong mutants, all caught but {len(survivors)}; "
          f"{equivalent} equivalent")
    assert not survivors, f"wrong answers that pass every grade cell: {survivors}"
