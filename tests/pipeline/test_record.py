"""A submission's record: one typed structure, written once to the journal and read back whole.

The journal is what an interrupted or repeated run trusts instead of grading again, so a record
read back must equal the one written, and anything that is not a record of this version (an
older layout, a truncated file, a hand edit) must read as "no record" (graded again), never as
a record with missing scores.
"""
import json

from autograder.pipeline.record import (RECORD_VERSION, NamedMistake, ScoreRow, SubmissionRecord,
                                        VerificationSummary, journal_path, read_journal,
                                        write_journal)


def _record():
    return SubmissionRecord(
        "ann", "01_single_neuron", origin="ann/01_single_neuron.ipynb", fingerprint="abc",
        outcome="graded",
        rows=[ScoreRow("forward_values", 1.5, 2.0, "failed", "auto", ["tampered"], "first"),
              ScoreRow("why", 0.0, 3.0, "manual", "manual")],
        flags=["late"], notes=["a note"], review=["a reason"],
        misconceptions=[NamedMistake("forward_values", "opposite_sign", "the sign")],
        late_seconds=60.0, lms_late=True, sandbox="bubblewrap",
        feedback="feedback/ann/01_single_neuron.html",
        verification=VerificationSummary("Verifier sandbox: x", 0.7, "", {"ex": "passed"},
                                         {"why": "a written answer"}, {}),
        seconds=3.2, autograde_seconds=2.1, verify_seconds=0.7, feedback_seconds=0.3)


def test_does_a_journaled_record_read_back_equal_to_the_one_written(tmp_path):
    record = _record()
    write_journal(tmp_path, record)
    again = read_journal(tmp_path, "ann", "01_single_neuron")
    assert again == record
    assert isinstance(again.rows[0], ScoreRow) and isinstance(again.verification,
                                                              VerificationSummary)
    assert isinstance(again.misconceptions[0], NamedMistake)


def test_does_a_record_without_verification_read_back_as_none(tmp_path):
    """``--no-verify``: no summary at all, which the report tells apart from an empty one."""
    record = SubmissionRecord("bo", "02_hidden_layer", outcome="graded")
    write_journal(tmp_path, record)
    assert read_journal(tmp_path, "bo", "02_hidden_layer").verification is None


def test_is_anything_but_a_whole_record_of_this_version_read_as_no_record(tmp_path):
    write_journal(tmp_path, _record())
    path = journal_path(tmp_path, "ann", "01_single_neuron")
    text = path.read_text()
    older = json.loads(text)
    older["version"] = RECORD_VERSION - 1
    broken = json.loads(text)
    broken["rows"][0]["points"] = broken["rows"][0].pop("score")   # a renamed field
    for written in (json.dumps(older), text[: len(text) // 2], "[]", json.dumps(broken)):
        path.write_text(written)
        assert read_journal(tmp_path, "ann", "01_single_neuron") is None, written[:40]
    assert read_journal(tmp_path, "nobody", "01_single_neuron") is None


def test_does_a_flag_appear_once_and_do_auto_rows_leave_written_answers_out():
    record = _record()
    record.flag("flagged")
    record.flag("flagged")
    record.flag("late")
    assert record.flags == ["late", "flagged"]
    assert [row.grade_id for row in record.auto_rows()] == ["forward_values"]
