"""Is the in-process harness faithful to the real grading? (slow: runs nbgrader through `check`)

A few corpus answers are pasted into the lesson's solved notebook (``solutions/``) in place of
the cell that defines their function, and ``python -m autograder check --json`` grades the copy
in a kernel with nbgrader. Every autograded grade cell must score what :func:`harness.score_answer`
gives it in process. The answers are chosen so that the visible tests, which are what `check`
runs, decide each cell (correct ones, and wrong ones that fail the worked example); the hidden
tests agree with them in the harness.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import outcomes as corpus  # noqa: E402 - outcomes.py: the corpus graded
import harness  # noqa: E402

REPO = corpus.HERE.parent.parent

ANSWERS = (
    "tuning/01_single_neuron/gradient_descent_1d/loop_append.py",  # correct
    "tuning/01_single_neuron/neuron_example_gradients/db_before_dw.py",  # swapped outputs
    "tuning/03_logistic_regression/logistic_dJdz/y_minus_a.py",  # the seeds' sign slip
    "tuning/02_hidden_layer/hidden_sgd_step/minus_equals_on_params.py",  # changes params
)


def _answer(answer_id):
    found = [a for a in corpus.answers() if a.id == answer_id]
    assert found, f"{answer_id} is not in the corpus"
    return found[0]


def pasted(answer, directory):
    """The lesson's solved notebook with the answer's code in the cell that defines its
    function, written to ``directory``; its path."""
    lesson = answer.lesson
    notebook = nbformat.read(REPO / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    defining = re.compile(rf"^def {answer.function}\(", re.M)
    cells = [cell for cell in notebook.cells
             if cell.cell_type == "code" and defining.search(cell.source)]
    assert len(cells) == 1, f"{len(cells)} cells define {answer.function} in {lesson}"
    cells[0].source = answer.path.read_text()
    path = Path(directory) / f"{lesson}.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("answer_id", ANSWERS, ids=[a.split("/", 2)[2] for a in ANSWERS])
def test_does_check_score_every_cell_as_the_harness_does(answer_id, tmp_path):
    """Does `check --json` on the solved notebook with this answer pasted in give every
    autograded cell the points the in-process harness gives it?"""
    answer = _answer(answer_id)
    path = pasted(answer, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "check", "--json", str(path)], cwd=REPO,
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    document = json.loads(result.stdout)
    assert document["outcome"] == "graded", document
    in_kernel = {cell["grade_id"]: cell["score"] for cell in document["cells"]
                 if cell["kind"] == "auto"}
    in_process = {score.grade_id: score.points
                  for score in harness.score_answer(answer.lesson, answer.path.read_text())}
    assert in_kernel == in_process, (in_kernel, in_process)
    full = sum(in_process.values()) == document["max_points"]
    assert result.returncode == (0 if full else 1), result.stderr
    assert full == answer.correct
