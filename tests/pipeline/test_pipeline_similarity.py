"""The similarity report: copies found whatever their names, comments and statement order;
honest variety, and the answer every student writes, never flagged."""
import ast
import itertools

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.pipeline.similarity import (
    answer,
    common_limit,
    compare_class,
    normalise,
    write_page,
)
from layout import REPO

STUBS = {
    "forward": 'def forward(w, b, x):\n    """z and a of one neuron."""\n',
    "loss": 'def loss(y_hat, y):\n    """The mean squared error."""\n',
    "step": 'def step(w, grad, lr):\n    """One gradient step."""\n',
}

#: Four honest, genuinely different ways to write each function.
VARIANTS = {
    "forward": [
        "    z = w * x + b\n    a = 1.0 / (1.0 + np.exp(-z))\n    return z, a\n",
        "    z = np.multiply(w, x) + b\n    a = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), "
        "np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))\n    return z, a\n",
        "    pre = b + x * w\n    out = 0.5 * (1 + np.tanh(pre / 2))\n    return pre, out\n",
        "    z = np.asarray(x, dtype=float) * w + b\n    a = np.exp(-np.logaddexp(0.0, -z))\n"
        "    return z, a\n",
    ],
    "loss": [
        "    diff = y_hat - y\n    return float(np.mean(diff ** 2))\n",
        "    total = 0.0\n    for p, t in zip(y_hat.ravel(), y.ravel()):\n        total += (p - t) ** 2\n"
        "    return total / y.size\n",
        "    return float(np.sum(np.square(y - y_hat)) / len(y.ravel()))\n",
        "    e = (y_hat - y).ravel()\n    return float(e @ e / e.size)\n",
    ],
    "step": [
        "    new_w = w - lr * grad\n    return new_w\n",
        "    out = np.array(w, dtype=float, copy=True)\n    for i in range(out.size):\n"
        "        out.flat[i] -= lr * grad.flat[i]\n    return out\n",
        "    update = np.multiply(lr, grad)\n    result = np.subtract(w, update)\n    return result\n",
        "    return w + (-lr) * np.asarray(grad, dtype=float)\n",
    ],
}

SOLUTION = {
    "forward": "    ### BEGIN SOLUTION\n    # the pre-activation, then a stable sigmoid\n"
               "    z = w * x + b\n    a = np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), "
               "np.exp(z) / (1.0 + np.exp(z)))\n    return z, a\n    ### END SOLUTION\n",
    "loss": "    ### BEGIN SOLUTION\n    # the mean over every entry\n    residual = y_hat - y\n"
            "    squared = residual * residual\n    return float(squared.mean())\n"
            "    ### END SOLUTION\n",
    "step": "    ### BEGIN SOLUTION\n    # move against the gradient\n    stepped = w - lr * grad\n"
            "    stepped = np.asarray(stepped, dtype=float)\n    return stepped\n"
            "    ### END SOLUTION\n",
}


def _notebook(bodies):
    cells = [new_code_cell("import numpy as np")]
    for name, body in bodies.items():
        cells.append(new_code_cell(STUBS[name] + body, metadata={"nbgrader": {
            "grade": False, "solution": True, "locked": False, "grade_id": name,
            "schema_version": 3}}))
    return new_notebook(cells=cells)


def _class():
    """Eight honest students (no two share more than one way of writing), a pair that copied
    (renamed, re-commented, reordered), and one who copied the published solution."""
    honest = {}
    # every pair of honest students shares at most one way of writing (and none the long one)
    choices = [(0, 0, 0), (1, 1, 1), (2, 2, 2), (3, 3, 3), (0, 1, 2), (2, 3, 0), (3, 0, 1),
               (0, 2, 3)]
    for number, combo in enumerate(choices):
        honest[f"honest{number}"] = {name: VARIANTS[name][k] for name, k in zip(STUBS, combo)}
    # the copy of honest5: names changed, comments added, independent lines swapped
    copied = {
        "forward": "    # my pre-activation\n    s = b + x * w\n    o = 0.5 * (1 + np.tanh(s / 2))\n"
                   "    return s, o\n",
        "loss": "    err = (y_hat - y).ravel()  # residuals\n    return float(err @ err / err.size)\n",
        "step": "    # one step\n    stepped = w - lr * grad\n    return stepped\n",
    }
    submissions = [(student, "L", _notebook(bodies)) for student, bodies in honest.items()]
    submissions.append(("copycat", "L", _notebook(copied)))
    submissions.append(("solution_copier", "L", _notebook(
        {k: v.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", "")
         for k, v in SOLUTION.items()})))
    release = _notebook({name: "    # YOUR CODE HERE\n    raise NotImplementedError()\n"
                         for name in STUBS})
    solution = _notebook(SOLUTION)
    return submissions, {"L": release}, {"L": solution}


def test_is_a_renamed_recommented_reordered_copy_the_same_after_normalising():
    """Do local names, comments, blank lines and independent statements' order vanish?"""
    original = "def f(x, w):\n    z = w * x\n    q = x + 1\n    return z + q\n"
    disguised = ("def f(x, w):\n    # my own work\n    other = x + 1\n\n    res = w*x  # mine\n"
                 "    return res + other\n")
    assert normalise(original) == normalise(disguised)


def test_does_normalising_keep_dependent_statements_in_order_and_arguments_named():
    """Are a statement and the one that reads it never swapped, and arguments kept?"""
    a = "def f(x):\n    y = x + 1\n    y = y * 2\n    return y\n"
    b = "def f(x):\n    y = x * 2\n    y = y + 1\n    return y\n"
    assert normalise(a) != normalise(b)
    assert "x" in normalise(a) and "v0" in normalise(a)


def test_are_short_answers_never_evidence():
    """Is an answer of a few tokens (everyone writes it alike) too short to count?"""
    short = answer("s", "L", "g", STUBS["step"] + "    return w - lr * grad\n", STUBS["step"])
    assert short.size < 15


def test_does_the_report_find_the_planted_pair_and_the_solution_copy_and_nothing_else():
    """In a class of eight honest students, a disguised copy pair and a copied solution, is the
    pair found (in both cells long enough to count), the solution copier found (word for word),
    and nobody else?"""
    submissions, releases, solutions = _class()
    report = compare_class(submissions, releases, solutions)
    assert [(p.first, p.second) for p in report.pairs] == [("copycat", "honest5")]
    # `step` is copied too, but a three-token-long answer is never evidence
    assert sorted(c.grade_id for c in report.pairs[0].cells) == ["forward", "loss"]
    assert [c.student for c in report.solution_copies] == ["solution_copier"]
    assert report.solution_copies[0].verbatim == 3


def test_is_the_answer_most_of_the_class_writes_not_a_copy():
    """When many students write the same long answer, is no pair flagged for it?"""
    body = VARIANTS["forward"][3]
    same = [(f"s{i}", "L", _notebook({"forward": body, "loss": VARIANTS["loss"][i % 4],
                                     "step": VARIANTS["step"][(i + 1) % 4]}))
            for i in range(12)]
    releases = _class()[1]
    report = compare_class(same, releases, {})
    assert all("forward" not in [c.grade_id for c in p.cells] for p in report.pairs)
    assert common_limit(12) == 3 and common_limit(300) == 15


def test_does_the_page_escape_student_code_and_say_it_is_evidence(tmp_path):
    """Is a student's `<script>` shown as text, and the page's caveat there?"""
    submissions, releases, solutions = _class()
    evil = ("evil", "L", _notebook({"forward": VARIANTS["forward"][1] + "    # </pre><script>alert(1)</script>\n",
                                    "loss": VARIANTS["loss"][2], "step": VARIANTS["step"][2]}))
    report = compare_class(submissions + [evil], releases, solutions)
    page = tmp_path / "similarity.html"
    write_page(page, report)
    text = page.read_text()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "not a verdict" in text


def test_is_a_padded_answer_left_out_and_listed_and_a_long_body_not_reordered(tmp_path):
    """The red team's padding (round 3): 40,000 dead statements before an honest body, which
    made the quadratic reordering stall the class's report for ten minutes. Is that cell left
    out of the comparison and listed on the page (the submission still compared),
    and is a body over MAX_ORDERED_STATEMENTS kept in its order rather than reordered?"""
    from autograder.pipeline import similarity

    submissions, releases, solutions = _class()
    padding = "".join(f"    t{k} = {k}\n" for k in range(40_000))
    padded = ("padder", "L", _notebook({"forward": padding + VARIANTS["forward"][0],
                                       "loss": SOLUTION["loss"].replace("### BEGIN SOLUTION", "")
                                       .replace("### END SOLUTION", ""),
                                       "step": VARIANTS["step"][1]}))
    report = compare_class(submissions + [padded], releases, solutions)
    assert [(s, g) for s, _, g, _ in report.too_long] == [("padder", "forward")]
    assert report.students["L"] == len(submissions) + 1   # the submission itself is compared
    page = tmp_path / "similarity.html"
    write_page(page, report)
    assert "Not compared, longer than 50000 characters" in page.read_text()
    long_body = [ast.parse(f"t{k} = {(k * 7919) % 1000}").body[0]
                 for k in range(similarity.MAX_ORDERED_STATEMENTS + 1)]
    assert similarity._canonical_order(long_body) == long_body
    short = long_body[:3][::-1]
    assert similarity._canonical_order(short) != short   # short bodies are still ordered


def test_does_the_sample_class_show_that_its_students_repeat_the_solutions():
    """The sample class is generated from the published solutions: is ada_complete (the
    solution, as submitted) reported in every lesson she submitted?"""
    
    repo = REPO
    subs = [(nb.parent.parent.name, nb.parent.name, nbformat.read(nb, as_version=4))
            for nb in sorted((repo / "sample_class" / "submitted").glob("ada_complete/*/*.ipynb"))]
    lessons = sorted({lesson for _, lesson, _ in subs})
    read = (lambda folder, l: nbformat.read(repo / folder / l / f"{l}.ipynb", as_version=4))
    report = compare_class(subs, {l: read("notebooks", l) for l in lessons},
                           {l: read("solutions", l) for l in lessons})
    assert sorted(c.lesson for c in report.solution_copies if c.student == "ada_complete") == \
        lessons


def test_is_an_answer_the_renaming_visitor_cannot_walk_compared_as_text():
    """`_pad = - - ... - 0` with 500 minus signs is valid Python that made the similarity check
    raise RecursionError and the class run lose report.html (red team, round 4): is it
    normalised as plain text, and the class compared?"""
    source = "def forward(w, b, x):\n    _pad = " + "-" * 500 + "0\n    return w * x + b\n"
    assert normalise(source) == " ".join(source.split())
    submissions, releases, solutions = _class()
    deep = ("deep", "L", _notebook({"forward": "    _pad = " + "-" * 500 + "0\n"
                                    + VARIANTS["forward"][0], "loss": VARIANTS["loss"][0],
                                    "step": VARIANTS["step"][0]}))
    report = compare_class(submissions + [deep], releases, solutions)
    assert report.students["L"] == len(submissions) + 1


@pytest.mark.parametrize("copiers, flagged", [(6, True), (20, False)])
def test_is_a_group_that_copied_the_solution_found_unless_most_of_the_class_writes_it(
        copiers, flagged):
    """Red team round 5: six students of 30 who all copy the published solution (renamed)
    make its form the class's usual answer (rule 4) and went unlisted; rule 7 lists them.
    When 20 of 30 write it, it is how the lesson is answered: nobody is listed for it."""
    renamed = {k: v.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", "")
                   .replace("residual", "r").replace("stepped", "out").replace("# ", "# mine: ")
               for k, v in SOLUTION.items()}
    submissions = [(f"copier{i}", "L", _notebook(renamed)) for i in range(copiers)]
    honest = list(itertools.product(range(4), repeat=3))
    for i in range(30 - copiers):
        combo = honest[(i * 7) % len(honest)]
        submissions.append((f"honest{i}", "L", _notebook(
            {name: VARIANTS[name][k] for name, k in zip(STUBS, combo)})))
    _, releases, solutions = _class()
    report = compare_class(submissions, releases, solutions)
    listed = sorted(c.student for c in report.solution_copies)
    assert not [s for s in listed if s.startswith("honest")]
    assert listed == (sorted(f"copier{i}" for i in range(copiers)) if flagged else [])
