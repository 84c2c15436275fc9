"""Do the lessons make the student derive before coding, in one notation, with a landing page?

Checked on the built notebooks (``notebooks/`` and ``solutions/``), so run ``make build`` first:

* no answer is transcribed: no run of solution code appears in the student version (the method
  of the project's transcription gate: 8 consecutive tokens holding two arithmetic operators);
* every gradient exercise of lessons 1-4 comes after the written derivation that leads to it;
* lessons 1-4 open with learning objectives, end with a "Next: lesson N" link, name their
  source documents (never "the notes"), and use the notation table of ``docs/notation.md``;
* the landing notebook shows that table, the seven lessons and the references;
* the solutions show model answers and mark schemes under headings, with no nbgrader markers.
"""
import json
import re

import pytest

from autograder.build import BuildError, binder_url, find_lessons, find_pages, readable_cell
from layout import REPO

TEXT_LESSONS = ["01_single_neuron", "02_hidden_layer", "03_logistic_regression",
                "04_generalised_delta"]

# -- the transcription method -------------------------------------------------------------------

TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+\.?\d*|\*\*|//|[-+*/@().,\[\]=<>]")
OPS = set("+-*/@") | {"**"}
RUN = 8
#: Find-the-bug exercises copy the given (buggy) code by design: their correct lines are shown.
COPIES_GIVEN_CODE = {"fixed_backward"}


def _cells(kind, lesson):
    path = REPO / kind / lesson / f"{lesson}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def shown_runs(solution_cells, student_cells, run=RUN, shown_in=None):
    """``{grade_id: run}`` for every answer cell whose solution body shows in the student text
    (of the same lesson, or of the cells ``shown_in``: a later lesson).

    The body is the solution cell's lines that the student cell with the same grade_id lacks
    (comments dropped); a run is ``run`` consecutive tokens with two or more operators."""
    student = {_grade_id(c): _source(c) for c in student_cells if _grade_id(c)}
    text = shown_in if shown_in is not None else student_cells
    tokens = TOKEN.findall("\n".join(_source(c) for c in text))
    seen = {tuple(tokens[i:i + run]) for i in range(len(tokens) - run + 1)}
    shown = {}
    for cell in solution_cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = _grade_id(cell)
        if cell["cell_type"] != "code" or not meta.get("solution") or grade_id not in student:
            continue
        have = {line.strip() for line in student[grade_id].splitlines()}
        body = [re.sub(r"#.*", "", line) for line in _source(cell).splitlines()
                if line.strip() and line.strip() not in have and "SOLUTION" not in line]
        body_tokens = TOKEN.findall("\n".join(body))
        for i in range(len(body_tokens) - run + 1):
            window = tuple(body_tokens[i:i + run])
            if sum(t in OPS for t in window) >= 2 and window in seen:
                shown[grade_id] = " ".join(window)
                break
    return shown


def _code_cell(source, grade_id=None, solution=False):
    meta = {"nbgrader": {"grade_id": grade_id, "solution": solution}} if grade_id else {}
    return {"cell_type": "code", "source": source, "metadata": meta}


def test_the_transcription_check_catches_a_shown_answer():
    """Does the check flag an answer whose code line stands in the text, and pass one whose
    text only says what the function computes?"""
    solved = [_code_cell("def f(X, d, m):\n    ### BEGIN SOLUTION\n    return X @ d.T / m + 1\n"
                         "    ### END SOLUTION", "f", solution=True)]
    stub = _code_cell("def f(X, d, m):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
                      "f", solution=True)
    leaky = {"cell_type": "markdown", "source": "Hint: `return X @ d.T / m + 1`.", "metadata": {}}
    quiet = {"cell_type": "markdown", "source": "Return dJ/dw, shape (p, 1).", "metadata": {}}
    assert shown_runs(solved, [leaky, stub]) == {"f": "return X @ d . T / m"}
    assert shown_runs(solved, [quiet, stub]) == {}


@pytest.mark.parametrize("lesson", find_lessons(REPO / "course"))
def test_no_answer_code_is_shown_to_the_student(lesson):
    """Does no answer cell's solution code appear in the student version's text, docstrings or
    visible tests (find-the-bug exercises excepted)?"""
    shown = shown_runs(_cells("solutions", lesson), _cells("notebooks", lesson))
    shown = {k: v for k, v in shown.items() if k not in COPIES_GIVEN_CODE}
    assert not shown, f"{lesson}: the student version shows the code of {shown}"


LESSONS = find_lessons(REPO / "course")
#: Answers whose only code a later lesson repeats is lesson 1's step ``p - lr * grads[...]``
#: (every later lesson trains with it).
STEP_RULE_ONLY = {"hidden_sgd_step", "hidden_gd_step"}


@pytest.mark.parametrize("earlier,later", [(a, b) for i, a in enumerate(LESSONS)
                                           for b in LESSONS[i + 1:]])
def test_no_later_lesson_shows_an_earlier_lessons_answer(earlier, later):
    """A later lesson's given code must not be an earlier lesson's answer (lesson 6 once gave
    lesson 5's backpropagation as a "summary": a student could copy it back)."""
    shown = shown_runs(_cells("solutions", earlier), _cells("notebooks", earlier),
                       shown_in=_cells("notebooks", later))
    shown = {k: v for k, v in shown.items() if k not in STEP_RULE_ONLY}
    assert not shown, f"{later} shows the code of {earlier}'s answers {shown}"


@pytest.mark.parametrize("lesson", LESSONS + find_pages(REPO / "course"))
def test_no_cell_holds_a_control_character(lesson):
    """A backslash lost to a Python string escape (lesson 6 once had a tab and a BEL where
    ``\\times`` and ``\\approx`` belonged) shows as broken maths: no cell of either version
    holds a control character other than a newline."""
    for kind in ("notebooks", "solutions"):
        for number, cell in enumerate(_cells(kind, lesson)):
            bad = sorted({repr(c) for c in _source(cell) if ord(c) < 32 and c != "\n"})
            assert not bad, f"{kind}/{lesson} cell {number}: {', '.join(bad)}"


# -- derive before code -------------------------------------------------------------------------

#: (written derivation, the code exercise it leads to), in lesson order.
DERIVE_THEN_CODE = {
    "01_single_neuron": [("derivation_bias_gradient", "neuron_example_gradients")],
    "02_hidden_layer": [("derivation_output_gradients", "output_layer_gradients"),
                        ("derivation_hidden_gradients", "hidden_layer_gradients"),
                        ("derivation_shared_weight", "tied_weight_gradient")],
    "03_logistic_regression": [("derivation_dJdz", "logistic_dJdz"),
                               ("derivation_batch_gradients", "logistic_gradients")],
    "04_generalised_delta": [("derivation_output_delta", "output_delta"),
                             ("derivation_dL_dw11", "hidden_delta")],
}


@pytest.mark.parametrize("lesson", TEXT_LESSONS)
def test_each_gradient_is_derived_before_it_is_coded(lesson):
    """Does every gradient exercise of lessons 1-4 come after a graded written derivation of it?"""
    cells = _cells("notebooks", lesson)
    order = {_grade_id(c): i for i, c in enumerate(cells) if _grade_id(c)}
    for written, code in DERIVE_THEN_CODE[lesson]:
        assert written in order and code in order, (written, code)
        cell = cells[order[written]]
        assert cell["cell_type"] == "markdown" and cell["metadata"]["nbgrader"]["grade"]
        assert order[written] < order[code], f"{lesson}: {code} comes before {written}"


# -- the frame: objectives, next links, sources --------------------------------------------------

@pytest.mark.parametrize("lesson", TEXT_LESSONS)
def test_lesson_opens_with_objectives_and_ends_with_the_next_lesson(lesson):
    """Do lessons 1-4 state their learning objectives in the first cell and end with a link to
    the next lesson's notebook?"""
    cells = _cells("notebooks", lesson)
    assert re.search(r"By the end|you will have|you can", _source(cells[0]))
    number = int(lesson[:2])
    last = _source(cells[-1])
    link = re.search(rf"Next: lesson {number + 1}\b.*?\]\(\.\./(\d\d_\w+)/\1\.ipynb\)", last, re.S)
    assert link, f"{lesson}: no 'Next: lesson {number + 1}' link in the last cell"
    assert link[1].startswith(f"{number + 1:02d}_")


@pytest.mark.parametrize("lesson", TEXT_LESSONS)
def test_sources_are_named_never_the_notes(lesson):
    """Do lessons 1-4 cite their source documents by title, and never as "the notes"?"""
    text = (REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
    assert not re.search(r"\b(the|these|source) notes\b", text, re.I)
    titles = ("How to Fit a Neural Network", "Numeric Minimization of Loss",
              "A Peek into the Mathematics of Optimization", "CSCI 5525")
    assert any(title in text for title in titles)


# -- one notation -------------------------------------------------------------------------------

def _notation_rows():
    rows = []
    for line in (REPO / "docs" / "notation.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("symbol", "---"):
            rows.append(cells)
    return rows


def _table_after(text, heading_pattern):
    """The rows (lists of cells) of the first markdown table after a heading."""
    start = re.search(heading_pattern, text)
    assert start, heading_pattern
    rows = []
    for line in text[start.end():].splitlines():
        line = line.lstrip("# ").strip() if line.startswith("#") else line.strip()
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # header and rule


def test_the_notation_table_has_the_course_symbols():
    """Does docs/notation.md give every symbol the lessons share, with a Jacobian letter that is
    not the cost's?"""
    rows = _notation_rows()
    symbols = " ".join(r[0] for r in rows)
    for symbol in ("$X$", r"$\hat y$", "$z$", "$a$", "W^{[l]}", "x^{(i)}", "$m$", "$B$",
                   r"$\eta$", "$J$", "$L$", r"\delta", r"\mathbf{J}_f"):
        assert symbol in symbols, symbol
    assert any("`(p, m)`" in r[2] and "`X`" in r[1] for r in rows)


SHAPES_HEADINGS = {"01_single_neuron": r"Shapes in this lesson",
                   "02_hidden_layer": r"Conventions used in every lesson",
                   "03_logistic_regression": r"## Section 1, 'Shapes and notation'"}


@pytest.mark.parametrize("lesson", sorted(SHAPES_HEADINGS))
def test_shapes_tables_use_the_notation_table(lesson):
    """Is every name in the shapes table of lessons 1-3 a code name of the notation table, with
    the examples counted by m?"""
    known = set(re.findall(r"`([^`]+)`", " ".join(r[1] for r in _notation_rows())))
    text = (REPO / "course" / "source" / lesson / f"{lesson}.py").read_text()
    rows = _table_after(text, SHAPES_HEADINGS[lesson])
    assert rows, f"{lesson}: no shapes table"
    for row in rows:
        for name in re.findall(r"`([A-Za-z_][A-Za-z_0-9]*)`", row[0]):
            assert name in known, f"{lesson}: `{name}` is not in docs/notation.md"
        assert not re.search(r"n_samples|\bn\)|\(n,", row[1]), f"{lesson}: {row[1]} (use m)"


def test_lesson_4_gives_a_crosswalk_to_the_notation():
    """Does lesson 4, which keeps its source's letters, say at its top which is which?"""
    cells = _cells("notebooks", "04_generalised_delta")
    rows = _table_after(_source(cells[0]), r"Crosswalk")
    crosswalk = {r[0]: r[1] for r in rows}
    assert crosswalk["$y$"].startswith(r"$\hat y$") and crosswalk["$t$"] == "$y$"
    assert "z^{[1]}" in crosswalk["$a^{[1]}$, $a^{[2]}$"]
    assert any("W^{[2]}" in v for k, v in crosswalk.items() if r"\mathbf{u}" in k)


# -- the landing notebook -----------------------------------------------------------------------

def test_the_landing_notebook_is_a_page_with_the_course_frame():
    """Is 00_start_here built, ungraded, with the notation table, seven lessons and the
    references of the four source documents?"""
    assert find_pages(REPO / "course") == ["00_start_here"]
    assert "00_start_here" not in find_lessons(REPO / "course")
    for kind in ("notebooks", "solutions"):
        cells = _cells(kind, "00_start_here")
        assert not any(c.get("metadata", {}).get("nbgrader") for c in cells)
        text = "\n".join(_source(c) for c in cells)
        assert (REPO / "docs" / "notation.md").read_text().strip() in text
        assert "include:" not in text
        lessons = re.findall(r"^\| \[(\d\d) ", text, re.M)
        assert lessons == [f"{i:02d}" for i in range(7)]
        for needle in ("Prerequisites", "How to check your work", "Where the solutions are",
                       "How to Fit a Neural Network: Backpropagation", "Steven Wu",
                       "Numeric Minimization of Loss",
                       "Backpropagation. A Peek into the Mathematics of Optimization",
                       "Goodfellow", "Nielsen", "CS231n", "d2l.ai", "micrograd"):
            assert needle in text, needle


def test_the_badge_address_comes_from_the_one_setting(tmp_path):
    """Does the Binder address come from course/binder.toml, with a clear error without it?"""
    setting = tmp_path / "binder.toml"
    setting.write_text('binder_repo = "someone/fork"\n')
    assert binder_url(setting).startswith("https://mybinder.org/v2/gh/someone/fork/HEAD?")
    assert binder_url(setting).endswith("urlpath=lab/tree/notebooks/00_start_here/00_start_here.ipynb")
    setting.write_text("nothing here\n")
    with pytest.raises(BuildError, match="binder_repo"):
        binder_url(setting)


# -- readable solutions -------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", find_lessons(REPO / "course"))
def test_solutions_read_as_model_answers_without_nbgrader_markers(lesson):
    """Do the solutions show no nbgrader delimiters, and every written answer under a "Model
    answer" heading with a "Mark scheme" subheading?"""
    cells = _cells("solutions", lesson)
    text = "\n".join(_source(c) for c in cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "MARK SCHEME", "HIDDEN TESTS"):
        assert marker not in text, marker
    written = [c for c in cells if c["cell_type"] == "markdown"
               and c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    assert written
    for cell in written:
        assert _source(cell).startswith("#### Model answer\n")
        assert "\n#### Mark scheme\n" in _source(cell)


def test_readable_cell_turns_markers_into_headings():
    """Does the build's rewrite drop the solution delimiters and head a written answer?"""
    import nbformat

    code = nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n"
                                     "    ### END SOLUTION\n")
    code.metadata["nbgrader"] = {"solution": True}
    assert readable_cell(code).source == "def f():\n    return 1\n"
    text = nbformat.v4.new_markdown_cell("**Model answer.** It is 1.\n\n"
                                         "=== BEGIN MARK SCHEME ===\n1 point.\n"
                                         "=== END MARK SCHEME ===")
    text.metadata["nbgrader"] = {"solution": True, "grade": True}
    assert readable_cell(text).source == ("#### Model answer\n\nIt is 1.\n\n"
                                          "#### Mark scheme\n1 point.")
