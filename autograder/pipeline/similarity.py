"""Which answers look copied: pairs of students, and students and the published solutions.

Evidence for a person to weigh, never a verdict: two students who worked together, or who both
followed the same tutorial, can write the same code, and a short answer has few ways to be
written. So the report shows each match with the two cells side by side, and counts only what
is unusual:

1. **What is compared.** Every answer cell (a code cell the student was given to fill in), less
   the lines the released notebook already had there (the ``def`` line, the docstring, the
   ``# YOUR CODE HERE`` stub).
2. **Normalised** (:func:`normalise`): comments, docstrings and layout go; the names a student
   chose for local variables become ``v0, v1, ...`` in order of first use; statements that do
   not depend on each other are put in one canonical order. Renaming, re-commenting and
   reordering a copy therefore changes nothing.
3. **Near-identical** (:func:`token_similarity`): the Jaccard similarity of the cells' 4-token
   shingles, at least :data:`NEAR` (0.9), on cells of at least :data:`MIN_TOKENS` tokens.
4. **Unusual**: a form that more than :func:`common_limit` students share is how the class
   answers that exercise, not a copy, and is not counted.
5. **Flagged pairs**: at least two unusual matching cells, or one of at least
   :data:`LONG_TOKENS` tokens.
6. **The published solutions**: a student whose unusual cells (by the rule of 4, counted against
   the class) are identical to the solution's in at least two cells, or whose cells repeat the
   solution's text verbatim, comments included, in at least two long cells.
7. **A group that copied the solution** makes its form "usual" by rule 4. So a student whose
   cells match the solution's in at least two cells and half of the lesson's cells that count,
   usual or not, is flagged too, unless more than half of the class matches that much (then it
   is how the lesson is answered). Of the 288 correct answers the blind corpora's four authors
   wrote without seeing the solutions, 10 match the solution's cell (3.5%): two matching cells
   by chance are rare.

An inverted index over shingles keeps it fast: a class of 300 notebooks takes about a second
(``benchmarks/similarity.py``).
"""
from __future__ import annotations

import ast
import functools
import hashlib
import io
import re
import textwrap
import tokenize
from collections import defaultdict
from dataclasses import dataclass, field

from ..notebook import nbgrader_meta

#: Cells shorter than this many tokens (after normalising) are never evidence.
MIN_TOKENS = 15
#: One matching cell this long is enough to flag a pair.
LONG_TOKENS = 60
#: Jaccard similarity of shingles from which two cells count as near-identical.
NEAR = 0.9
SHINGLE = 4


def common_limit(n_students):
    """How many students may share a form before it counts as the class's usual answer."""
    return max(3, round(0.05 * n_students))


# ---- normalising one cell --------------------------------------------------------------------

_DUMPED_NAME = re.compile(r"Name\(id='(\w+)'")


def _masked_dump(statement, local):
    """``ast.dump`` of a statement with its local names written ``_`` (sorts whatever the
    names)."""
    return _DUMPED_NAME.sub(lambda m: "Name(id='_'" if m[1] in local else m[0],
                            ast.dump(statement))


class _Renamer(ast.NodeTransformer):
    """In each function: drop the docstring, put independent statements in a canonical order,
    then rename the names it assigns (not its arguments, not globals) to v0, v1, ... in order of
    first appearance."""

    def __init__(self):
        self.names = {}

    def visit_FunctionDef(self, node):
        arguments = {a.arg for a in (*node.args.posonlyargs, *node.args.args,
                                     *node.args.kwonlyargs)}
        local = {child.id for child in ast.walk(node) if isinstance(child, ast.Name) and
                 isinstance(child.ctx, ast.Store) and child.id not in arguments}
        body = _canonical_order(_no_docstring(node.body), local)
        seen = []
        for statement in body:
            for child in ast.walk(statement):
                if isinstance(child, ast.Name) and child.id in local and child.id not in seen:
                    seen.append(child.id)
        outer = self.names
        self.names = {**outer, **{name: f"v{len(outer) + i}" for i, name in enumerate(seen)}}
        node.body = [self.visit(statement) for statement in body]
        self.names = outer
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Name(self, node):
        if node.id in self.names:
            return ast.copy_location(ast.Name(id=self.names[node.id], ctx=node.ctx), node)
        return node


def _no_docstring(body):
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
            isinstance(body[0].value.value, str):
        return body[1:] or [ast.Pass()]
    return body


def _reads_and_writes(node):
    """(names loaded, names stored) anywhere in ``node``, in one walk."""
    reads, writes = set(), set()
    for child in ast.walk(node):
        if type(child) is ast.Name:
            (writes if type(child.ctx) is ast.Store else reads).add(child.id)
    return reads, writes


#: Statements of one body reordered at most: the ordering is quadratic in their number, and a
#: lesson's answer has a few dozen. A longer body (padding?) keeps its order.
MAX_ORDERED_STATEMENTS = 300
#: Characters of an answer cell compared at most; a longer cell is left out and listed on the
#: page (a lesson's answer is under 3000 characters; the red team padded one to 0.8 MB, and the
#: class's report waited ten minutes for it).
MAX_ANSWER_CHARS = 50_000


def _canonical_order(statements, local=()):
    """The statements in one order that respects every dependence between them: repeatedly
    take, among the statements whose inputs are ready, the one whose text (local names masked)
    sorts first. Control flow (return, loops, branches) keeps its place relative to everything.
    More than :data:`MAX_ORDERED_STATEMENTS` keep the order they have.
    """
    if len(statements) > MAX_ORDERED_STATEMENTS:
        return list(statements)
    local = set(local)
    texts = [_masked_dump(s, local) for s in statements]
    reads, writes = zip(*map(_reads_and_writes, statements)) if statements else ((), ())
    barrier = [not isinstance(s, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr))
               for s in statements]
    before = [set() for _ in statements]
    for j in range(len(statements)):
        for i in range(j):
            if barrier[i] or barrier[j] or writes[i] & (reads[j] | writes[j]) or \
                    reads[i] & writes[j]:
                before[j].add(i)
    done, order = set(), []
    while len(order) < len(statements):
        ready = [j for j in range(len(statements)) if j not in done and before[j] <= done]
        j = min(ready, key=lambda k: texts[k])
        done.add(j)
        order.append(statements[j])
    return order


@functools.lru_cache(maxsize=4096)
def normalise(source):
    """The cell's code with comments, docstrings, layout, local names and the order of
    independent statements made canonical; the raw source, stripped, if it does not parse."""
    try:
        tree = ast.parse(source)
        tree = _Renamer().visit(tree)
        return ast.unparse(ast.fix_missing_locations(tree))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # RecursionError: a few hundred nested operators (`- - - ... 0`) are valid Python that
        # the renaming visitor cannot walk (red team, round 4): compared as plain text instead
        return " ".join(source.split())


_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+\.?\d*(?:e[-+]?\d+)?|\*\*|//|==|!=|<=|>=|\S")


def tokens(text):
    return _TOKEN.findall(text)


def verbatim(source):
    """The source with only whitespace collapsed: comments and names kept."""
    try:
        kept = [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                                  tokenize.DEDENT, tokenize.ENDMARKER)]
        return " ".join(kept)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return " ".join(source.split())


def shingles(token_list):
    return {tuple(token_list[i:i + SHINGLE]) for i in range(len(token_list) - SHINGLE + 1)}


def token_similarity(a, b):
    """Jaccard similarity of two shingle sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# ---- the class -------------------------------------------------------------------------------

@dataclass
class Answer:
    """One student's answer cell, ready to compare."""

    student: str
    lesson: str
    grade_id: str
    source: str                 # the student's lines (the release's stub removed)
    normal: str
    size: int                   # tokens of ``normal``
    shingles: set
    verbatim: str

    @property
    def digest(self):
        return hashlib.sha256(self.normal.encode()).hexdigest()


def answer(student, lesson, grade_id, source, stub=""):
    """An :class:`Answer` of ``source`` less the lines of the released ``stub``."""
    given = {line.strip() for line in stub.splitlines() if line.strip()}
    own = textwrap.dedent("\n".join(line for line in source.splitlines()
                                    if line.strip() and line.strip() not in given))
    # the whole cell is normalised (the def line makes it valid Python); the def lines, the
    # same for everyone, are then left out of what is measured
    normal = normalise(source)
    body = "\n".join(line for line in normal.splitlines()
                     if not line.lstrip().startswith(("def ", "async def ")))
    token_list = tokens(body) if own.strip() else []
    return Answer(student, lesson, grade_id, own, body, len(token_list),
                  shingles(token_list), verbatim(own))


@dataclass
class CellMatch:
    grade_id: str
    similarity: float
    left: str
    right: str
    size: int


@dataclass
class PairFinding:
    """Two submissions of one lesson that share unusual answers."""

    lesson: str
    first: str
    second: str
    cells: list = field(default_factory=list)   # CellMatch

    @property
    def evidence(self):
        return len(self.cells)


def _unusual_groups(answers, limit):
    """Groups of answers (of one cell) that are near-identical, each at most ``limit`` strong,
    as lists of (i, j, similarity) pairs."""
    index = defaultdict(list)
    for i, a in enumerate(answers):
        for sh in a.shingles:
            index[sh].append(i)
    pairs = {}
    for i, a in enumerate(answers):
        if a.size < MIN_TOKENS:
            continue
        shared = defaultdict(int)
        for sh in a.shingles:
            for j in index[sh]:
                if j > i:
                    shared[j] += 1
        for j, count in shared.items():
            b = answers[j]
            if b.size < MIN_TOKENS:
                continue
            union = len(a.shingles) + len(b.shingles) - count
            similarity = 1.0 if a.normal == b.normal else (count / union if union else 1.0)
            if similarity >= NEAR:
                pairs[i, j] = similarity
    # how many answers each one is close to: a form close to many is the usual answer
    degree = defaultdict(int)
    for i, j in pairs:
        degree[i] += 1
        degree[j] += 1
    return {(i, j): s for (i, j), s in pairs.items()
            if degree[i] < limit and degree[j] < limit}


def find_pairs(answers_by_cell, n_students):
    """Flagged pairs of students per lesson.

    Parameters
    ----------
    answers_by_cell : dict of (lesson, grade_id) -> list of Answer
    n_students : int
        Students who submitted the lesson (sets :func:`common_limit`).
    """
    limit = common_limit(n_students)
    found = {}
    for (lesson, grade_id), answers in answers_by_cell.items():
        for (i, j), similarity in _unusual_groups(answers, limit).items():
            a, b = sorted((answers[i], answers[j]), key=lambda x: x.student)
            key = (lesson, a.student, b.student)
            found.setdefault(key, PairFinding(lesson, a.student, b.student)).cells.append(
                CellMatch(grade_id, similarity, a.source, b.source, min(a.size, b.size)))
    flagged = [f for f in found.values()
               if f.evidence >= 2 or any(c.size >= LONG_TOKENS for c in f.cells)]
    return sorted(flagged, key=lambda f: (-f.evidence, f.lesson, f.first, f.second))


@dataclass
class SolutionFinding:
    """A submission whose answers repeat the published solution's."""

    lesson: str
    student: str
    cells: list = field(default_factory=list)   # CellMatch (left: student, right: solution)
    verbatim: int = 0                            # cells identical with comments and names
    usual: list = field(default_factory=list)    # matches in the form the class usually writes


#: Rule 7: the share of a lesson's counted cells a student must match, and the share of the
#: class above which matching that much is how the lesson is answered.
GROUP_CELLS = 0.5
GROUP_CLASS = 0.5


def find_solution_copies(answers_by_cell, solutions, n_students):
    """Submissions that repeat the solutions' unusual or verbatim answers in >= 2 cells, or
    (rule 7) their answers, usual or not, in >= 2 cells and half of the cells that count.

    Parameters
    ----------
    solutions : dict of (lesson, grade_id) -> Answer
        The published solution's answers (student ``"solution"``).
    """
    limit = common_limit(n_students)
    by_student = {}
    counted = 0
    for key, answers in answers_by_cell.items():
        reference = solutions.get(key)
        if reference is None or reference.size < MIN_TOKENS:
            continue
        counted += 1
        close = [a for a in answers if a.size >= MIN_TOKENS and
                 (a.normal == reference.normal or
                  token_similarity(a.shingles, reference.shingles) >= NEAR)]
        for a in close:
            same_text = a.verbatim == reference.verbatim
            finding = by_student.setdefault((a.lesson, a.student),
                                            SolutionFinding(a.lesson, a.student))
            match = CellMatch(key[1], token_similarity(a.shingles, reference.shingles),
                              a.source, reference.source, a.size)
            if len(close) > limit and not same_text:
                finding.usual.append(match)   # the usual answer of the class: it may just be
                continue                      # the solution's (rule 4), unless rule 7
            finding.cells.append(match)
            finding.verbatim += same_text
    wide = [f for f in by_student.values()
            if len(f.cells) + len(f.usual) >= max(2, GROUP_CELLS * counted)]
    if len(wide) <= GROUP_CLASS * n_students:
        for finding in wide:
            finding.cells = sorted(finding.cells + finding.usual, key=lambda c: c.grade_id)
    flagged = [f for f in by_student.values() if len(f.cells) >= 2]
    return sorted(flagged, key=lambda f: (-len(f.cells), f.lesson, f.student))


# ---- from notebooks ----------------------------------------------------------------------------

def answer_cells(nb):
    """grade_id -> source of a notebook's code answer cells (nbgrader ``solution`` cells)."""
    cells = {}
    for cell in nb.get("cells", []):
        meta = nbgrader_meta(cell)
        if cell.get("cell_type") == "code" and meta.get("solution") and meta.get("grade_id"):
            source = cell.get("source", "")
            cells[meta["grade_id"]] = source if isinstance(source, str) else "".join(source)
    return cells


@dataclass
class SimilarityReport:
    pairs: list
    solution_copies: list
    students: dict          # lesson -> number of submissions compared
    too_long: list = field(default_factory=list)   # (student, lesson, grade_id, characters)


def compare_class(submissions, releases, solutions):
    """The similarity findings of a class.

    Parameters
    ----------
    submissions : iterable of (student, lesson, notebook dict)
    releases : dict of lesson -> released notebook dict (the stubs)
    solutions : dict of lesson -> published solution notebook dict
    """
    answers_by_cell = defaultdict(list)
    counts = defaultdict(int)
    too_long = []
    stubs = {lesson: answer_cells(nb) for lesson, nb in releases.items()}
    for student, lesson, nb in submissions:
        counts[lesson] += 1
        for grade_id, source in answer_cells(nb).items():
            if len(source) > MAX_ANSWER_CHARS:
                too_long.append((student, lesson, grade_id, len(source)))
                continue
            if grade_id in stubs.get(lesson, {}):
                answers_by_cell[lesson, grade_id].append(
                    answer(student, lesson, grade_id, source, stubs[lesson][grade_id]))
    reference = {}
    for lesson, nb in solutions.items():
        for grade_id, source in answer_cells(nb).items():
            source = "\n".join(line for line in source.splitlines()
                               if "### BEGIN SOLUTION" not in line and
                               "### END SOLUTION" not in line)
            reference[lesson, grade_id] = answer("solution", lesson, grade_id, source,
                                                 stubs.get(lesson, {}).get(grade_id, ""))
    pairs = []
    copies = []
    for lesson in sorted(counts):
        mine = {k: v for k, v in answers_by_cell.items() if k[0] == lesson}
        pairs += find_pairs(mine, counts[lesson])
        copies += find_solution_copies(mine, reference, counts[lesson])
    return SimilarityReport(pairs, copies, dict(counts), too_long)


def write_page(path, report):
    """``similarity.html``: every finding with its cells side by side (Jinja2, autoescaped)."""
    from .pages import render

    largest = max(report.students.values(), default=0)
    page = render(
        "similarity.html.j2", pairs=report.pairs, copies=report.solution_copies,
        students=report.students, min_tokens=MIN_TOKENS, too_long=report.too_long,
        max_chars=MAX_ANSWER_CHARS,
        limit_text=f"{common_limit(largest)} students of {largest}" if largest else "a few")
    path.write_text(page, encoding="utf-8")
