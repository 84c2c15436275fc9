"""The pipeline's HTML pages (report.html, the page of a notebook that was not graded) are
rendered from Jinja2 templates with autoescape: nothing a student controls becomes markup."""
from pathlib import Path
from types import SimpleNamespace

from autograder.notebook import TEST, GradeCell
from autograder.pipeline.grading import RunSummary
from autograder.pipeline.record import NamedMistake, ScoreRow, SubmissionRecord
from autograder.pipeline.report import write_report
from autograder.pipeline.worker import SubmissionGrader

TESTS = {"L1": [GradeCell("L1", "a_test", 1.0, TEST)]}
SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


def _record(student, status, review=()):
    return SubmissionRecord(student, "L1", outcome="graded", sandbox="none",
                            rows=[ScoreRow("a_test", 0.0, 1.0, status, "auto")],
                            misconceptions=[NamedMistake("a_test", "k", f"told {SCRIPT}")],
                            review=list(review))


def test_does_the_report_escape_a_student_name_and_a_message(tmp_path):
    """Does report.html show a student id, a review reason, a misconception's wording, a
    skipped file's name and a grader log that hold ``<script>`` as text, never as a script?"""
    summary = RunSummary(tmp_path, submissions=1, graded_now=1, layout="nbgrader",
                         errors=[(SCRIPT, "L1", f"Traceback {SCRIPT}")],
                         skipped=[(f"{SCRIPT}.zip", "too large")],
                         unknown_to_roster=[SCRIPT])
    records = [_record(SCRIPT, "failed", review=[f"edited {SCRIPT}"])]
    write_report(tmp_path, summary, records, [SCRIPT], ["L1"], TESTS)
    page = (tmp_path / "report.html").read_text()
    assert "<script" not in page
    assert page.count(ESCAPED) >= 5
    for section in ("The run", "Lessons", "Most frequent named misconceptions",
                    "Scores confirmed outside the kernel", "need a human look",
                    "Grader errors", "Status words in scores.csv"):
        assert f"<h2>{section}" in page or section in page, section


def test_does_the_report_keep_its_own_markup(tmp_path):
    """Is the report's own markup (warnings, code, the plots) still markup, not escaped text?"""
    summary = RunSummary(tmp_path, submissions=1, graded_now=1, layout="nbgrader",
                         errors=[("s", "L1", "log")])
    write_report(tmp_path, summary, [_record("s", "passed")], ["s"], ["L1"], TESTS)
    page = (tmp_path / "report.html").read_text()
    assert "<span class='warn'>1 submission(s) could not be graded" in page
    assert "<b>not</b> confirmed" in page and "<code>--no-verify</code>" in page
    assert "<img src='plots/score_distribution.png'" in page
    assert (tmp_path / "plots" / "score_distribution.png").stat().st_size > 1000


def test_is_the_page_of_a_notebook_not_graded_escaped(tmp_path):
    """Does the feedback page of a notebook that could not be graded show a reason that holds
    ``<script>`` (a file name, a parser's message) as text?"""
    grader = SimpleNamespace(feedback_dir=tmp_path / "feedback")
    task = SimpleNamespace(student="s", lesson="L1")
    record = SubmissionRecord("s", "L1")
    SubmissionGrader._write_plain_page(grader, task, record, f"not JSON: {SCRIPT}",
                                       "Save it again.")
    page = (tmp_path / "feedback" / "s" / "L1.html").read_text()
    assert "<script" not in page and ESCAPED in page
    assert "<h1>L1: your notebook could not be graded</h1>" in page
    assert "Every test of this lesson scored 0. Save it again." in page
    assert record.feedback == str(Path("feedback") / "s" / "L1.html")
