"""Is docs/jupyterhub.md's recipe true? Its bash block is run line for line: release through
nbgrader's exchange, a student's fetch and submit, collect, then `python -m autograder grade`,
on a copy of the built course (slow: five nbgrader/grader processes)."""
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from layout import REPO

RECIPE = REPO / "docs" / "jupyterhub.md"
LESSON = "01_single_neuron"


def recipe_lines():
    block = re.search(r"```bash\n(.*?)```", RECIPE.read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_does_the_recipe_hold_every_step_the_issue_names():
    """Release, fetch, submit, collect, grade: in that order?"""
    text = "\n".join(recipe_lines())
    steps = ["release_assignment", "fetch_assignment", "nbgrader submit", "nbgrader collect",
             "autograder grade"]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)


@pytest.mark.slow
def test_does_the_recipe_release_collect_and_grade_a_submission(tmp_path):
    """Run as written (exchange, course copy and student home in tmp), does the submitted
    notebook reach course/submitted/<user>/<lesson>/ and grade to the sample answer's scores?"""
    shutil.copytree(REPO / "course", tmp_path / "course",
                    ignore=shutil.ignore_patterns("gradebook.db", "*.ipynb", "submitted",
                                                  "autograded", "feedback"))
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    (tmp_path / "home").mkdir()
    work = REPO / "sample_class" / "submitted" / "ada_complete" / LESSON / f"{LESSON}.ipynb"
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "STUDENT_HOME": str(tmp_path / "home"), "STUDENT_WORK": str(work),
           "GRADING_OUT": str(tmp_path / "out")}
    lines = [line.replace("/srv/nbgrader/exchange", str(tmp_path / "exchange"))
                 .replace("$PWD/course", str(tmp_path / "course"))
             for line in recipe_lines()]
    script = "set -euo pipefail\n" + "\n".join(lines) + "\n"
    done = subprocess.run(["bash", "-c", script], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    user = next((tmp_path / "course" / "submitted").iterdir()).name
    assert (tmp_path / "course" / "submitted" / user / LESSON / "timestamp.txt").is_file()
    with open(tmp_path / "out" / "scores.csv", newline="") as handle:
        got = {r["grade_id"]: r["score"] for r in csv.DictReader(handle)
               if r["student_id"] == user}
    with open(REPO / "sample_class" / "expected_scores.csv", newline="") as handle:
        expected = {r["grade_id"]: r["score"] for r in csv.DictReader(handle)
                    if r["student_id"] == "ada_complete" and r["assignment"] == LESSON}
    assert got == expected
