"""Which of the lesson's code a submission's functions can depend on: the rest need not run.

A lesson's worked cells mostly draw plots, print and assert things about the student's functions;
running them in the verifier costs seconds per submission (matplotlib and scikit-learn imports,
data loads, training loops) and cannot change what the verifier checks. :func:`plan_cells` keeps,
statement by statement, the lesson code that the student's code and the exercises need, and
leaves out the rest. What always runs:

* **every cell of the student's** (answers, added cells, edited copies of worked cells), whole and
  in place (one that does not compile runs nothing, here as in the sandbox);
* every top-level statement of a lesson cell that **binds a needed name**: a name the student's
  code mentions anywhere (module level, function bodies, comprehensions, cell-magic bodies), an
  exercise's function name, or a name a kept lesson statement mentions (so a helper defined in
  a worked cell runs, with the data it uses, with what that data is built from...);
* every lesson statement that **may change a needed object**: one that mentions a needed name
  bound by code that runs (an assignment, a loop, a class body: data, not a module or a plain
  function), one that assigns into a needed name's attributes or items, one that calls a lesson
  function which touches such data, one that sets global state (``seed``, ``seterr``,
  ``filterwarnings``...), one that star-imports;
* **everything**, when any code (the student's or the lesson's) reaches the namespace other than
  by names (``globals()``, ``eval``, ``exec``, ``__main__``, ``sys.modules``, frames, ``gc``,
  ``pickle``, IPython hooks, ``getattr`` with a computed name...): then no name analysis holds.

Why leaving code out is safe: the statements left out are the instructor's code (the released
version, never the student's bytes) that binds nothing the student's code or the verifier can
reach and changes no object they read. The function verified under each exercise's name is
bound by the same statements, and reads the same values, as in a run of every cell. A
submission can only shift *which* instructor statements run, and that can only remove
instructor code, never add or hide student code: a function is still confirmed only when it
computes the right answers on fresh inputs. One difference is allowed on purpose: when a
left-out statement would have raised (a widget that needs a display), the kept statements after
it in the same cell still run; they are the lesson's own definitions, which the student's
notebook had in the kernel.

The analysis errs towards running more: student code at top level that reuses a lesson's data
name (scratch code such as ``w = 0.5``) makes the lesson statements around that name run, which
costs time, never a result.

Names are resolved with :mod:`symtable` (Python's own scoping: a parameter ``w`` of the student's
function is not the lesson's global ``w``). Line numbers are kept: a left-out statement becomes
blank lines, so tracebacks point at the lesson's own lines (a lesson cell with line breaks other
than a newline runs whole).
"""
from __future__ import annotations

import ast
import functools
import symtable
from dataclasses import dataclass

#: Built-in functions that read or write a namespace, or run code, without naming it.
DYNAMIC_BUILTINS = frozenset({"globals", "locals", "vars", "dir", "eval", "exec", "compile",
                              "execfile", "__import__", "breakpoint", "get_ipython"})
#: Attributes that lead to a namespace or a frame (``f.__globals__``, ``sys.modules``).
DYNAMIC_ATTRIBUTES = frozenset({
    "__globals__", "__dict__", "__builtins__", "modules", "f_globals", "f_locals", "f_back",
    "f_builtins", "tb_frame", "gi_frame", "cr_frame", "ag_frame", "_getframe", "currentframe",
    "user_ns", "user_global_ns", "__main__", "__getattribute__",
})
#: Modules that read or write namespaces (frames, pickles naming ``__main__``, the object graph).
DYNAMIC_MODULES = frozenset({
    "__main__", "builtins", "__builtin__", "inspect", "gc", "ctypes", "importlib", "runpy",
    "pickle", "cPickle", "_pickle", "dill", "cloudpickle", "shelve", "marshal", "copyreg",
})
#: Texts that give the same away inside a string (``operator.attrgetter("f_globals")``).
DYNAMIC_TEXTS = ("globals", "__main__", "__dict__", "f_locals", "tb_frame", "gi_frame",
                 "_getframe", "__builtins__", "sys.modules")
#: ``getattr(x, "name")`` and friends are plain attribute accesses when the name is a constant.
_NAMED_ACCESS = frozenset({"getattr", "setattr", "delattr", "hasattr"})
_DYNAMIC_CALLS = DYNAMIC_BUILTINS | _NAMED_ACCESS
_DYNAMIC_ATTRIBUTES_OR_MODULES = DYNAMIC_ATTRIBUTES | DYNAMIC_MODULES
#: Line breaks other than "\n" (the parser and str.splitlines count lines differently there):
#: a lesson cell holding one runs whole.
_OTHER_LINE_BREAKS = frozenset("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: Calls that change state every later statement sees (random seeds, error and warning modes,
#: the working folder...), whatever names they mention.
STATE_SETTERS = frozenset({
    "seed", "set_state", "setstate", "seterr", "seterrcall", "set_printoptions",
    "filterwarnings", "simplefilter", "resetwarnings", "setrecursionlimit",
    "setswitchinterval", "setlocale", "chdir", "putenv", "unsetenv", "umask", "settrace",
    "setprofile", "set_default_dtype",
})
#: ``get_ipython().<method>(...)`` calls that the verifier's stand-in shell answers with nothing.
_INERT_SHELL_CALLS = frozenset({"run_line_magic", "magic", "system", "getoutput"})
_SHELL_RUNS_BODY = "run_cell_magic"
#: The cell magics whose body the stand-in shell runs (``_runner._Shell.run_cell_magic``).
_MAGICS_THAT_RUN_THEIR_BODY = frozenset({"time", "timeit", "capture"})
#: Defaults and annotations made only of these are evaluated without running code.
_PLAIN = (ast.Constant, ast.Name, ast.Attribute, ast.Tuple, ast.List, ast.UnaryOp, ast.unaryop,
          ast.Load, ast.expr_context)
ALL_NAMES = "*"  # what a star import binds


class Unanalysable(Exception):
    """Code whose reach cannot be read from its names; the message says why."""


class DoesNotCompile(Unanalysable):
    """Code that does not compile: in the sandbox, none of it runs either."""


@dataclass(frozen=True)
class Statement:
    """What one top-level statement (or several sharing a line) of a cell can reach.

    Attributes
    ----------
    first_line, last_line : int
        1-based lines of the cell's source it spans.
    kind : {"import", "definition", "execution"}
        ``definition``: a plain ``def`` (no decorators, no code in its defaults), which runs
        nothing until called; ``execution``: anything that runs code now.
    touches : frozenset of str
        Global names it reads or writes, in its own body and in every nested scope.
    binds : frozenset of str
        Global names it (re)binds, now or when a function it defines runs (``global``);
        :data:`ALL_NAMES` for a star import. An import also binds its top-level package
        (``import a.b`` makes ``a.b`` reachable from a student's ``a``).
    mutates : frozenset of str
        Global names whose object it changes through an attribute or an item.
    sets_state : bool
        It calls one of :data:`STATE_SETTERS`.
    """

    first_line: int
    last_line: int
    kind: str
    touches: frozenset
    binds: frozenset
    mutates: frozenset
    sets_state: bool

    @property
    def effectful_definition(self):
        """A ``def`` whose body rebinds globals or writes into them when it runs."""
        return self.kind == "definition" and bool(self.mutates or len(self.binds) > 1)


# ---- reading one cell -----------------------------------------------------------------------

def _root_name(node):
    """``a`` for ``a.b[c].d`` or ``a.f().x`` (the object a store goes into), else None."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call, ast.Starred)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _called_name(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _shell_call(call):
    """``run_line_magic`` for ``get_ipython().run_line_magic(...)``, else None."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) \
            and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython" \
            and not func.value.args and not func.value.keywords:
        return func.attr
    return None


def _attribute_name_is_plain(call):
    """``getattr(x, "w")``: a constant, harmless attribute name."""
    return len(call.args) >= 2 and isinstance(call.args[1], ast.Constant) \
        and isinstance(call.args[1].value, str) \
        and call.args[1].value not in DYNAMIC_ATTRIBUTES


def _check_dynamic(tree):
    """Raise :class:`Unanalysable` when ``tree`` reaches the namespace other than by names;
    returns the bodies of cell magics (code the stand-in shell runs)."""
    bodies, allowed = [], set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        method = _shell_call(node)
        if method in _INERT_SHELL_CALLS:
            allowed.add(id(node.func.value.func))
        elif method == _SHELL_RUNS_BODY and len(node.args) == 3 \
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                        for a in node.args):
            allowed.add(id(node.func.value.func))
            if node.args[0].value in _MAGICS_THAT_RUN_THEIR_BODY:
                bodies.append(node.args[2].value)
        elif isinstance(node.func, ast.Name) and node.func.id in _NAMED_ACCESS \
                and _attribute_name_is_plain(node):
            allowed.add(id(node.func))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _DYNAMIC_CALLS and id(node) not in allowed:
            raise Unanalysable(f"it uses {node.id}")
        if isinstance(node, ast.Attribute) and node.attr in _DYNAMIC_ATTRIBUTES_OR_MODULES:
            raise Unanalysable(f"it uses .{node.attr}")  # also a module reached as np.x.pickle
        if isinstance(node, ast.alias) and node.name.split(".")[0] in DYNAMIC_MODULES:
            raise Unanalysable(f"it imports {node.name}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] \
                in DYNAMIC_MODULES:
            raise Unanalysable(f"it imports from {node.module}")
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            text = node.value if isinstance(node.value, str) else \
                node.value.decode("latin-1")  # a pickle naming __main__
            found = next((t for t in DYNAMIC_TEXTS if t in text), None)
            if found:
                raise Unanalysable(f"a string names {found!r}")
    return bodies


def _scope_names(table, top=True):
    """``(touched, bound)`` global names of a symbol table and every scope nested in it."""
    touched, bound = set(), set()
    for symbol in table.get_symbols():
        name = symbol.get_name()
        if top:
            touched.add(name)
            if symbol.is_assigned() or symbol.is_imported():
                bound.add(name)
        elif symbol.is_global() or symbol.is_declared_global():
            touched.add(name)
            if symbol.is_declared_global() and symbol.is_assigned():
                bound.add(name)
    for child in table.get_children():
        inner_touched, inner_bound = _scope_names(child, top=False)
        touched |= inner_touched
        bound |= inner_bound
    return touched, bound


def _kind(node):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "import"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.decorator_list:
        arguments = node.args
        evaluated = [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None),
                     *(a.annotation for a in [*arguments.posonlyargs, *arguments.args,
                                              *arguments.kwonlyargs, arguments.vararg,
                                              arguments.kwarg] if a is not None and a.annotation),
                     *([node.returns] if node.returns else [])]
        if all(isinstance(n, _PLAIN) for e in evaluated for n in ast.walk(e)):
            return "definition"
    return "execution"


def _statement(node, extra_bodies):
    """A :class:`Statement` for one top-level AST node (plus cell-magic bodies it runs)."""
    try:
        table = symtable.symtable(ast.unparse(node), "<statement>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise Unanalysable(f"a statement cannot be read on its own ({error})") from None
    touched, bound = _scope_names(table)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if any(alias.name == "*" for alias in node.names):
            bound = {ALL_NAMES}
        # importing a.b also makes a.b an attribute of a: a student's `a.b` needs it
        roots = {a.name.split(".")[0] for a in node.names} if isinstance(node, ast.Import) \
            else {(node.module or "").split(".")[0]} - {""}
        bound |= roots  # what it binds, not what it needs: other imports of `a` can go
    mutates = set()
    for inner in ast.walk(node):
        if isinstance(inner, (ast.Attribute, ast.Subscript)) \
                and isinstance(inner.ctx, (ast.Store, ast.Del)):
            root = _root_name(inner)
            if root in touched:
                mutates.add(root)
        elif isinstance(inner, ast.Call) and _called_name(inner) in ("setattr", "delattr") \
                and inner.args and _root_name(inner.args[0]) in touched:
            mutates.add(_root_name(inner.args[0]))
    sets_state = any(isinstance(n, ast.Call) and _called_name(n) in STATE_SETTERS
                     for n in ast.walk(node))
    kind = _kind(node)
    for body in extra_bodies:  # a %%time cell: its body runs in the namespace
        try:
            body_statements = analyse_cell(body)
        except DoesNotCompile:
            continue  # the stand-in shell cannot run it either
        for statement in body_statements:
            touched |= statement.touches
            bound |= statement.binds
            mutates |= statement.mutates
            sets_state = sets_state or statement.sets_state
        kind = "execution"
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return Statement(start, node.end_lineno, kind, frozenset(touched), frozenset(bound),
                     frozenset(mutates), sets_state)


def _merge(first, second):
    """One statement for two that share a line (``a = 1; b = 2``): they run together."""
    kind = first.kind if first.kind == second.kind else "execution"
    return Statement(min(first.first_line, second.first_line),
                     max(first.last_line, second.last_line), kind,
                     first.touches | second.touches, first.binds | second.binds,
                     first.mutates | second.mutates, first.sets_state or second.sets_state)


@functools.lru_cache(maxsize=512)
def analyse_cell(source):
    """The top-level statements of a cell's (plain Python) source, with what each can reach.

    Returns
    -------
    tuple of Statement

    Raises
    ------
    Unanalysable
        The source does not compile, or it reaches the namespace other than by names.
    """
    try:
        tree = ast.parse(source)
        symtable.symtable(source, "<cell>", "exec")  # the scoping errors compile() reports
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise DoesNotCompile(f"it does not compile ({type(error).__name__})") from None
    statements = []
    for node in tree.body:
        statement = _statement(node, _check_dynamic(node))
        if statements and statement.first_line <= statements[-1].last_line:
            statement = _merge(statements.pop(), statement)
        statements.append(statement)
    return tuple(statements)


# ---- the plan for a submission --------------------------------------------------------------

@dataclass
class CellPlan:
    """What to run of one extracted cell: ``source`` (None: nothing) and why."""

    source: str | None
    reason: str = ""


def _keep_lines(source, statements):
    """The cell's source with only ``statements``' lines; the others become blank lines."""
    lines = source.split("\n")
    keep = [False] * len(lines)
    for statement in statements:
        for number in range(statement.first_line - 1, statement.last_line):
            keep[number] = True
    return "\n".join(line if kept else "" for line, kept in zip(lines, keep))


def _analyse(cell):
    """The statements of a cell; a student's cell that does not compile has none (it cannot
    run); a lesson cell with unusual line breaks is one statement (it runs whole).

    Raises
    ------
    Unanalysable
    """
    try:
        statements = analyse_cell(cell.source)
    except DoesNotCompile:
        if cell.origin == "lesson":
            raise
        return ()
    if cell.origin == "lesson" and statements and _OTHER_LINE_BREAKS & set(cell.source):
        return (functools.reduce(_merge, statements),)
    return statements


def _reaching(statements, data, needed):
    """Names through which running code can change a needed object: needed data, and every
    name bound by code that touches such a name (an alias, a function that writes into it)."""
    reach = data & needed
    changed = True
    while changed:
        changed = False
        for statement in statements:
            new = statement.binds - reach - {ALL_NAMES}
            if new and statement.touches & reach:
                reach |= new
                changed = True
    return reach


def _must_run(statement, needed, reach):
    if ALL_NAMES in statement.binds or statement.sets_state:
        return True
    if statement.binds & needed or statement.mutates & needed:
        return True
    return statement.kind == "execution" and bool(statement.touches & reach)


def _kept_statements(lesson, everything, needed):
    """Which of the ``lesson`` statements must run, given the names the student's code and the
    exercises need (see the module docstring); grows ``needed`` as statements are kept."""
    data = set().union(*(s.binds for s in everything if s.kind == "execution"),
                       *(s.mutates for s in everything),
                       *(s.binds for s in everything if s.effectful_definition))
    kept, changed = set(), True
    while changed:
        changed = False
        reach = _reaching(everything, data, needed)
        for index, statement in enumerate(lesson):
            if index not in kept and _must_run(statement, needed, reach):
                kept.add(index)
                needed |= statement.touches - {ALL_NAMES}
                changed = True
    return kept


def _cell_plan(cell, statements, kept):
    """The plan of one cell whose ``kept`` statements (of ``statements``) must run."""
    if cell.origin != "lesson" or len(kept) == len(statements):
        return CellPlan(cell.source)
    if not kept:
        return CellPlan(None, "left out: it defines nothing the submission's code or the "
                              "exercises use")
    return CellPlan(_keep_lines(cell.source, kept),
                    f"{len(kept)} of {len(statements)} statements run")


def plan_cells(cells, functions):
    """Which lesson statements to run for a submission; the student's cells always run whole.

    Parameters
    ----------
    cells : sequence of autograder.integrity.student_code.CodeCell
        The extracted cells, in order.
    functions : iterable of str
        The exercises' function names (called by the verifier).

    Returns
    -------
    list of CellPlan, one per cell
    """
    try:
        analysed = [_analyse(cell) for cell in cells]
    except Unanalysable as error:
        reason = f"every lesson cell runs: a cell cannot be analysed ({error})"
        return [CellPlan(cell.source, reason) for cell in cells]
    everything = [s for statements in analysed for s in statements]
    lesson = [(i, s) for i, (cell, statements) in enumerate(zip(cells, analysed))
              if cell.origin == "lesson" for s in statements]
    needed = set(functions).union(*(s.touches for cell, statements in zip(cells, analysed)
                                    if cell.origin != "lesson" for s in statements))
    kept = _kept_statements([s for _, s in lesson], everything, needed)
    kept_by_cell = {i: [] for i in range(len(cells))}
    for index in sorted(kept):
        cell_index, statement = lesson[index]
        kept_by_cell[cell_index].append(statement)
    return [_cell_plan(cell, statements, kept_by_cell[i])
            for i, (cell, statements) in enumerate(zip(cells, analysed))]
