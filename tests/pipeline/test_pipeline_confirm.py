"""How does a grade cell's score combine the kernel's result with the out-of-kernel verification?

These are the rules of :mod:`autograder.pipeline.confirm`, on hand-made verification results: the
lower score is kept, a cell is never raised, what cannot be verified is listed (not trusted
silently), and the student's feedback never carries the verifier's reason (it may quote the
fresh inputs).
"""
import pytest

from autograder.integrity.verify import ExerciseOutcome, GradeCellOutcome, VerificationResult
from autograder.pipeline.status import Status
from autograder.pipeline.confirm import apply_verification
from autograder.pipeline.record import ScoreRow, SubmissionRecord, VerificationSummary
from layout import REPO

SECRET_INPUT_TEXT = "largest difference 0.731 at w=0.4411"


def _row(grade_id, score, max_score, kind="auto", status=Status.PASSED):
    return ScoreRow(grade_id, score, max_score, status, kind)


def _record(*rows):
    return SubmissionRecord("s", "lesson", outcome="graded", rows=list(rows))


def _result(verified_shape=True, verified_values=False, error=""):
    """A lesson with one exercise (a shape cell and a values cell) and one written answer."""
    outcome = ExerciseOutcome("ex", "f", "passed" if verified_values else "failed",
                              shape_ok=verified_shape, message=SECRET_INPUT_TEXT)
    result = VerificationResult("nb.ipynb", "lesson", "Verifier sandbox: test", error=error)
    result.exercises["ex"] = outcome
    result.grade_cells = {
        "f_shape": GradeCellOutcome("f_shape", 1.0, "autograded", [("ex", "shape")],
                                    verified_shape, "confirmed" if verified_shape else
                                    f"f: failed ({SECRET_INPUT_TEXT})"),
        "f_values": GradeCellOutcome("f_values", 2.0, "autograded", [("ex", "values")],
                                     verified_values, "confirmed" if verified_values else
                                     f"f: failed ({SECRET_INPUT_TEXT})"),
        "written": GradeCellOutcome("written", 4.0, "written", verified=None,
                                    reason="a written answer: graded by hand"),
    }
    if error:
        for cell in result.grade_cells.values():
            cell.verified = None
    return result


def test_does_a_confirmed_cell_keep_its_kernel_score():
    record = _record(_row("f_shape", 1.0, 1.0), _row("f_values", 2.0, 2.0))
    lowered = apply_verification(record, _result(verified_values=True))
    assert lowered == {}
    assert [row.score for row in record.rows] == [1.0, 2.0]
    assert [row.status for row in record.rows] == [Status.PASSED, Status.PASSED]
    assert "flagged" not in record.flags


def test_does_an_unconfirmed_cell_lose_its_kernel_points_and_say_so():
    """The input-transformer attack: full marks in the kernel, wrong values outside it."""
    record = _record(_row("f_shape", 1.0, 1.0), _row("f_values", 2.0, 2.0))
    lowered = apply_verification(record, _result(verified_values=False))
    assert lowered == {"f_values": 0.0}
    shape, values = record.rows
    assert (shape.score, shape.status) == (1.0, Status.PASSED)
    assert (values.score, values.status) == (0.0, Status.NOT_CONFIRMED)
    assert "flagged" in record.flags
    assert any("f_values" in reason and "not confirmed" in reason
               for reason in record.review)


def test_does_the_students_note_leave_out_the_verifiers_inputs():
    """The reason (for the instructor) may quote fresh inputs; the student's note may not."""
    record = _record(_row("f_values", 2.0, 2.0))
    apply_verification(record, _result(verified_values=False))
    assert record.notes, "the student is told why the cell lost its points"
    assert all(SECRET_INPUT_TEXT not in note for note in record.notes)
    assert any(SECRET_INPUT_TEXT in reason for reason in record.review)


def test_is_a_cell_that_failed_in_the_kernel_never_raised_by_the_verifier():
    record = _record(_row("f_values", 0.0, 2.0, status=Status.FAILED))
    lowered = apply_verification(record, _result(verified_values=True))
    assert lowered == {}
    assert (record.rows[0].score, record.rows[0].status) == (0.0, Status.FAILED)
    assert any("0 points in the kernel" in reason for reason in record.review)


def test_are_written_answers_listed_as_not_verifiable_and_left_alone():
    record = _record(_row("written", 3.0, 4.0, kind="manual", status=Status.BY_HAND))
    apply_verification(record, _result())
    assert record.rows[0].score == 3.0
    assert record.verification.unverified == {"written": "a written answer: graded by hand"}


def test_does_a_verifier_that_could_not_run_cost_the_registered_cells_their_points():
    """Hole 1 of issue 12: a confirmation that cannot run never leaves the kernel's score."""
    record = _record(_row("f_shape", 1.0, 1.0), _row("f_values", 2.0, 2.0),
                     _row("written", 3.0, 4.0, kind="manual", status=Status.BY_HAND))
    lowered = apply_verification(record, _result(error="bubblewrap failed to start"))
    assert lowered == {"f_shape": 0.0, "f_values": 0.0}
    assert [row.score for row in record.rows] == [0.0, 0.0, 3.0]
    assert [row.status for row in record.rows[:2]] == [Status.NOT_CONFIRMED] * 2
    assert all(row.message == "could not be confirmed: bubblewrap failed to start"
               for row in record.rows[:2])
    assert "flagged" in record.flags
    assert any("could not run" in reason for reason in record.review)
    assert any("f_values: 2 point(s) in the kernel, could not be confirmed: bubblewrap"
               in reason for reason in record.review)
    assert set(record.verification.unconfirmed) == {"f_shape", "f_values"}
    assert set(record.verification.unverified) == {"written"}
    assert all("bubblewrap" not in note for note in record.notes)  # the student's words


@pytest.mark.parametrize("how", ["raised", "no verdict", "not verifiable"])
def test_does_every_other_way_of_not_confirming_cost_the_points_too(how):
    """The verifier raised (no result at all), left a registered cell out of its result, or
    called it not verifiable: whatever the reason, 0 points and a reason, never the kernel's."""
    record = _record(_row("f_values", 2.0, 2.0), _row("other", 1.0, 1.0))
    result, failure = _result(verified_values=True), ""
    if how == "raised":
        result, failure = None, "the verifier failed (MemoryError: )"
    elif how == "no verdict":
        del result.grade_cells["f_values"]
    else:
        result.grade_cells["f_values"].verified = None
        result.grade_cells["f_values"].reason = "not verifiable out of kernel: too large"
    lowered = apply_verification(record, result, must_confirm={"f_values"}, failure=failure)
    assert lowered == {"f_values": 0.0}
    values, other = record.rows
    assert (values.score, values.status) == (0.0, Status.NOT_CONFIRMED)
    assert values.message.startswith("could not be confirmed: ")
    assert (other.score, other.status) == (1.0, Status.PASSED)  # no registered exercise
    assert "flagged" in record.flags or how != "raised"


def test_would_the_test_above_fail_if_the_kernel_score_stood():
    """The protection bites: with the old rule (an unconfirmable cell keeps its kernel score)
    the row would keep its 2 points, which the test above refuses."""
    result = _result(error="the notebook could not be read (too large)")
    assert result.capped_score("f_values", 2.0) == 2.0   # the verifier alone would keep it
    record = _record(_row("f_values", 2.0, 2.0))
    apply_verification(record, result)
    assert record.rows[0].score == 0.0


def test_does_the_verifiers_copy_hold_the_code_but_none_of_a_giant_output(tmp_path):
    """70 MiB of padding in an output: the verifier's copy keeps every source and is small, so
    the size limit (which applies to code) cannot be used to skip the confirmation."""
    import nbformat

    from autograder.integrity.student_code import MAX_NOTEBOOK_BYTES, read_submission_cells
    from autograder.pipeline.confirm import code_only_copy

    padding = "x" * (70 * 2 ** 20)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f(x):\n    return x", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text=padding)]),
        nbformat.v4.new_markdown_cell("see", attachments={"a.png": {"image/png": padding}})])
    nbformat.write(nb, tmp_path / "big.ipynb")
    assert (tmp_path / "big.ipynb").stat().st_size > MAX_NOTEBOOK_BYTES
    copy = code_only_copy(nb, tmp_path / "copy.ipynb")
    assert copy.stat().st_size < 4096
    sources = [cell["source"] for cell in read_submission_cells(copy)]
    assert "def f(x):\n    return x" in sources


@pytest.mark.parametrize("verified", [True, False])
def test_is_the_kept_score_never_above_either_score(verified):
    """min(in-kernel, verified), cell by cell, for partial in-kernel scores too."""
    for in_kernel in (0.0, 0.5, 1.0, 2.0):
        record = _record(_row("f_values", in_kernel, 2.0))
        apply_verification(record, _result(verified_values=verified))
        kept = record.rows[0].score
        assert kept <= in_kernel
        assert kept == (in_kernel if verified else 0.0)



def test_does_suspicious_code_alone_go_to_the_report_but_not_change_scores_csv():
    """A flag of the verifier (say, a cell that starts processes) asks for a human look; only a
    changed grade or a verifier that could not run flags the rows of scores.csv."""
    result = _result(verified_values=True)
    result.flags = ["cell <added added-0> starts processes or threads"]
    record = _record(_row("f_shape", 1.0, 1.0), _row("f_values", 2.0, 2.0))
    apply_verification(record, result)
    assert "flagged" not in record.flags
    assert any("starts processes" in reason for reason in record.review)


def _graded(verification=None, status=Status.PASSED):
    record = _record(_row("f_values", 2.0 if status == Status.PASSED else 0.0, 2.0,
                          status=status))
    record.verification = verification
    return record


def test_does_the_report_warn_when_scores_were_not_confirmed():
    from autograder.pipeline.report import verification_section

    text = verification_section([_graded()], ["lesson"])
    assert "<b>not</b> confirmed" in text and "--no-verify" in text


def test_does_the_report_count_lowered_cells_and_list_unverifiable_ones_escaped():
    from autograder.pipeline.report import verification_section

    lowered = _graded(VerificationSummary(sandbox="Verifier sandbox: <b>x</b>", seconds=1.0,
                                          unverified={"written": "a written answer <i>"}),
                      status=Status.NOT_CONFIRMED)
    text = verification_section([lowered, _graded(VerificationSummary())], ["lesson"])
    assert "2 notebooks" in text
    assert "1 grade cell(s) in 1 submission(s)" in text
    assert "Verifier sandbox: &lt;b&gt;x&lt;/b&gt;" in text
    assert "a written answer &lt;i&gt;" in text and "<i>" not in text


# ---- issue 12, hole 4: the hidden part holds no secret -------------------------------------------

def _lessons():
    
    from autograder.build import find_lessons

    course = REPO / "course"
    return course, find_lessons(course)     # graded lessons (the landing page has no tests)


def _hidden_blocks(lesson, course):
    """``[(grade_id, hidden source)]`` of a lesson's instructor version."""
    from autograder.build import text_to_notebook

    nb = text_to_notebook(course / "source" / lesson / f"{lesson}.py")
    blocks = []
    for cell in nb.cells:
        lines, inside = [], False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside:
                lines.append(line)
        if lines:
            blocks.append((cell.metadata.get("nbgrader", {}).get("grade_id"), "\n".join(lines)))
    return blocks


def _only_seeded_checks(source):
    """Is ``source`` nothing but ``check_exercise("<id>", <name or adapter(name)>, part=...,
    seeds=[ints], hidden=True)`` calls (no data, no expected values, no code of its own)?"""
    import ast

    for statement in ast.parse(source).body:
        call = getattr(statement, "value", None)
        if not (isinstance(statement, ast.Expr) and isinstance(call, ast.Call)
                and getattr(call.func, "id", None) == "check_exercise"):
            return False
        target = call.args[1]
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) \
                and len(target.args) == 1 and not target.keywords:
            target = target.args[0]   # an adapter of the package: named_gradients(f)
        if not (isinstance(call.args[0], ast.Constant) and isinstance(target, ast.Name)):
            return False
        keywords = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        if set(keywords) - {"part", "seeds", "hidden"} or keywords.get("hidden") is not True:
            return False
        if not all(isinstance(seed, int) for seed in keywords.get("seeds", [])):
            return False
    return True


def test_does_the_hidden_part_of_every_lesson_hold_no_secret():
    """Hole 4 of issue 12, closed by design: whatever a student prints of ``In``, ``_ih`` or
    the notebook file (encoded, split, compressed), the hidden tests are seeded calls of the
    registered checks, and every cell holding one keeps its points only when the out-of-kernel
    verifier confirms it on inputs drawn from a secret that no kernel sees. Knowing the hidden
    seeds raises no score."""
    from autograder.pipeline.confirm import registered_grade_cells

    course, lessons = _lessons()
    assert lessons
    for lesson in lessons:
        blocks = _hidden_blocks(lesson, course)
        assert blocks, lesson
        must_confirm = registered_grade_cells(lesson, course)
        for grade_id, source in blocks:
            assert _only_seeded_checks(source), (lesson, grade_id, source)
            assert grade_id in must_confirm, (lesson, grade_id)


def test_would_the_contract_refuse_a_hidden_test_with_data_in_it():
    """The check can fail: expected values or inputs written into a hidden test are refused."""
    assert _only_seeded_checks('check_exercise("a.b", f, part="values", seeds=[1], hidden=True)')
    assert not _only_seeded_checks("assert f(0.25) == 0.4375")
    assert not _only_seeded_checks('EXPECTED = [0.1, 0.2]\ncheck_exercise("a.b", f, hidden=True)')
    assert not _only_seeded_checks('check_exercise("a.b", f, seeds=[1])')   # not hidden


def test_are_the_verifiers_inputs_drawn_from_its_secret_not_from_the_notebook():
    """The verifier's seeds change with its secret and avoid the lesson's own seeds."""
    from autograder.integrity.verify import derive_seeds

    used = {11, 12, 13}
    first = derive_seeds("secret-one", "01_single_neuron.neuron_forward", 3, used)
    assert first == derive_seeds("secret-one", "01_single_neuron.neuron_forward", 3, used)
    assert first != derive_seeds("secret-two", "01_single_neuron.neuron_forward", 3, used)
    assert not set(first) & used


def test_do_the_runs_sandbox_memory_and_timeout_reach_the_verifier():
    """Issue 10: ``--sandbox rlimits`` and ``--memory 4096`` change the verifier's sandbox too
    (it no longer probes bubblewrap, nor stays at 2 GiB); a long ``--timeout`` lengthens its
    per-cell limit."""
    from autograder.pipeline.worker import SubmissionGrader
    from autograder.sandbox import detect as detecting
    from autograder.sandbox.policy import from_options

    grader = object.__new__(SubmissionGrader)
    grader.policy_path = None
    grader.verification = {"sandbox": "rlimits", "memory_mib": 4096, "timeout": 60}
    probed = []
    real_probe = detecting._probe
    detecting._probe = lambda bwrap: probed.append(bwrap) or real_probe(bwrap)
    try:
        policy = grader._verifier_policy_of()
    finally:
        detecting._probe = real_probe
    assert policy.mode == "rlimits" and probed == []      # bubblewrap is not even probed
    assert policy.limits("verifier")["address_space_bytes"] == 4096 * 2 ** 20
    assert from_options("rlimits").limits("verifier")["address_space_bytes"] == 2048 * 2 ** 20
    assert grader._verifier_timeouts() == {"cell_timeout": 60.0}
