"""Bad input and honest edits never crash a student's grading (issue 12, holes 5, 8 and 9).

The fast part checks each rule on its own: the notebook nbgrader grades carries exactly the
released grade cells, each once, with the released metadata, whatever a student's edits did to
it; size caps read with bounded memory and never trust a zip header; the output folder is
checked and locked; a worker dies with its grader. The slow part sends a class of edited,
byte-order-marked and oversized submissions through ``python -m autograder grade`` on the tiny
lesson of ``test_pipeline.py`` and checks what each scores.
"""
import copy
import json
import os
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.pipeline.discover import (Submission, SubmissionError, TooLarge, discover,
                                          read_limited)
from autograder.pipeline.outdir import LOCK_FILE, check_folders, output_lock
from autograder.pipeline.normalise import align_with_release, compare_with_release, \
    nbgrader_meta
from autograder.pipeline.pool import die_with_parent
from autograder.pipeline.worker import real_cause
from layout import REPO



# ---- the graded notebook has exactly the released grade cells ---------------------------------

def _release():
    """A small release: imports, an answer, its test, a written answer (with checksums)."""
    from nbgrader.utils import compute_checksum

    cells = [
        new_code_cell("import numpy as np"),
        new_code_cell("def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
                      metadata={"nbgrader": {"grade": False, "grade_id": "double",
                                             "locked": False, "solution": True,
                                             "schema_version": 3, "task": False}}),
        new_code_cell("assert double(3) == 6",
                      metadata={"nbgrader": {"grade": True, "grade_id": "double_test",
                                             "locked": True, "points": 2, "solution": False,
                                             "schema_version": 3, "task": False},
                                "editable": False, "deletable": False}),
        new_markdown_cell("YOUR ANSWER HERE",
                          metadata={"nbgrader": {"grade": True, "grade_id": "why", "points": 1,
                                                 "locked": False, "solution": True,
                                                 "schema_version": 3, "task": False}}),
    ]
    for cell in cells:
        cell.id = nbgrader_meta(cell).get("grade_id") or "imports"
        if "nbgrader" in cell.metadata:
            cell.metadata.nbgrader["checksum"] = compute_checksum(cell)
    return new_notebook(cells=cells)


def _answered():
    nb = _release()
    nb.cells[1].source = "def double(x):\n    return 2 * x"
    nb.cells[3].source = "Because."
    return nb


def _pasted_test(nb):
    copy_cell = copy.deepcopy(nb.cells[2])
    copy_cell.id = "pasted"
    nb.cells.insert(3, copy_cell)


def _pasted_answer(nb):
    copy_cell = copy.deepcopy(nb.cells[1])
    copy_cell.id = "pasted"
    copy_cell.source = "def double(x):\n    return x + x"
    nb.cells.insert(2, copy_cell)


def _flags_flipped(nb):
    meta = nb.cells[2].metadata.nbgrader
    meta["grade"], meta["solution"], meta["locked"] = False, True, False
    nb.cells[1].metadata.nbgrader["grade"] = True
    nb.cells[1].metadata.nbgrader["points"] = 50


def _renamed(nb):
    nb.cells[2].metadata.nbgrader["grade_id"] = "my_test"


def _id_removed(nb):
    del nb.cells[2].metadata.nbgrader["grade_id"]
    del nb.cells[1].metadata.nbgrader["grade_id"]


def _emptied(nb):
    nb.cells[2].metadata["nbgrader"] = {}
    nb.cells[1].metadata = {}


def _extra_grade_cell(nb):
    nb.cells.append(new_code_cell("print('bonus')", metadata={"nbgrader": {
        "grade": True, "grade_id": "bonus", "locked": False, "points": 100, "solution": False,
        "schema_version": 3, "task": False}}))


def _grade_flag_on_answer(nb):
    nb.cells[1].metadata.nbgrader.update(grade=True, points=10)


def _duplicate_ids(nb):
    nb.cells[0].metadata["nbgrader"] = copy.deepcopy(nb.cells[2].metadata.nbgrader)


def _type_changed(nb):
    cell = nb.cells[3]
    nb.cells[3] = new_code_cell(cell.source, metadata=cell.metadata)
    nb.cells[3].id = cell.id


#: edit -> the list of Changes it must show (non-empty), as attribute names.
EDITS = {
    "pasted_test": (_pasted_test, ["duplicates"]),
    "pasted_answer": (_pasted_answer, ["duplicates"]),
    "flags_flipped": (_flags_flipped, ["metadata_replaced"]),
    "grade_id_renamed": (_renamed, ["extras", "metadata_restored"]),
    "grade_id_removed": (_id_removed, ["metadata_restored"]),
    "metadata_emptied": (_emptied, ["metadata_restored"]),
    "extra_grade_cell": (_extra_grade_cell, ["extras"]),
    "grade_flag_on_answer": (_grade_flag_on_answer, ["metadata_replaced"]),
    "duplicate_grade_ids": (_duplicate_ids, ["duplicates"]),
    "answer_cell_type_changed": (_type_changed, ["extras"]),
}


def _grade_cells(nb):
    return [(nbgrader_meta(c)["grade_id"], c.cell_type, dict(nbgrader_meta(c)))
            for c in nb.cells if nbgrader_meta(c)]


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_leaves_exactly_the_released_grade_cells(name):
    """After any of these edits, does the graded notebook hold each released nbgrader cell
    once, with the released metadata, the student's answers kept, and is the edit listed?"""
    edit, shown = EDITS[name]
    nb = _answered()
    edit(nb)
    before = copy.deepcopy(nb)
    aligned, changes = align_with_release(nb, _release())
    assert nb == before                                         # the input is not changed
    released = _grade_cells(_release())
    got = _grade_cells(aligned)
    missing_ok = name == "answer_cell_type_changed"             # nbgrader puts it back
    assert [g for g in got] == [r for r in released if not (missing_ok and r[0] == "why")]
    for cell in aligned.cells:
        assert "nbgrader" not in cell.metadata or nbgrader_meta(cell).get("grade_id")
    for attribute in shown:
        assert getattr(changes, attribute), (name, attribute, changes)
    assert changes.review_reasons() and changes.notes()
    points = sum(float(nbgrader_meta(c).get("points", 0)) for c in aligned.cells
                 if nbgrader_meta(c).get("grade"))
    assert points == (2 if missing_ok else 3)                   # never a bonus point
    answer = next(c for c in aligned.cells if nbgrader_meta(c).get("grade_id") == "double")
    assert "2 * x" in answer.source or "x + x" in answer.source


def test_an_untouched_notebook_is_left_as_it_is():
    """Does a submission with no nbgrader edit come back unchanged and unflagged?"""
    aligned, changes = align_with_release(_answered(), _release())
    assert aligned == _answered()
    assert not changes.review_reasons() and not changes.notes()


def test_of_two_copies_the_released_cell_id_is_graded():
    """When a student pastes a copy of a test cell above the original, is the original (the
    released cell id) the one graded, and the copy a plain cell?"""
    nb = _answered()
    pasted = copy.deepcopy(nb.cells[2])
    pasted.id, pasted.source = "pasted", "pass"
    nb.cells.insert(2, pasted)
    aligned, changes = align_with_release(nb, _release())
    assert "nbgrader" not in aligned.cells[2].metadata
    assert nbgrader_meta(aligned.cells[3])["grade_id"] == "double_test"
    assert changes.duplicates == ["double_test"]
    assert not compare_with_release(aligned, _release()).edited_tests


def test_alignment_bites_nbgrader_would_see_the_edits_without_it():
    """Without the alignment, do these edits reach nbgrader (so the rule is what fixes them)?"""
    for name in ("pasted_test", "extra_grade_cell", "metadata_emptied", "duplicate_grade_ids"):
        nb = _answered()
        EDITS[name][0](nb)
        ids = [nbgrader_meta(c).get("grade_id") for c in nb.cells if "nbgrader" in c.metadata]
        assert len(ids) != len(set(ids)) or None in ids or "bonus" in ids, name


def test_real_cause_finds_the_exception_line():
    """Does the report get the real cause out of a long nbgrader log?"""
    log = "[AutogradeApp | INFO] ...\nTraceback (most recent call last):\n  File x\n" \
          "KeyError: 'grade_id'\n[AutogradeApp | ERROR] There was an error processing\n"
    assert real_cause(log) == "KeyError: 'grade_id'"
    assert real_cause("nbgrader.api.MissingEntry: no such cell") == \
        "nbgrader.api.MissingEntry: no such cell"
    assert real_cause("") == "no log"


# ---- size caps -------------------------------------------------------------------------------

def _zeros_zip(path, member, size):
    """A zip whose ``member`` is ``size`` bytes of zeros (written in chunks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(member, "w") as handle:
            chunk = bytes(2 ** 22)
            for _ in range(size // len(chunk)):
                handle.write(chunk)
    return path


def test_read_limited_stops_at_the_cap():
    """Does a stream longer than the cap raise TooLarge, and a short one come back whole?"""
    import io

    assert read_limited(io.BytesIO(b"x" * 10), 10, "it") == b"x" * 10
    with pytest.raises(TooLarge, match="larger than"):
        read_limited(io.BytesIO(b"x" * 11), 10, "it")


@pytest.fixture(scope="module")
def bomb_zip(tmp_path_factory):
    """A zip whose one notebook is 128 MiB of zeros (about 130 KiB compressed)."""
    return _zeros_zip(tmp_path_factory.mktemp("bomb") / "class.zip",
                      "bob_01_single_neuron.ipynb", 128 * 2 ** 20)


def test_a_zip_bomb_member_is_refused_from_its_header(bomb_zip):
    """Is a 128 MiB member of zeros refused, without decompressing it, by the 64 MiB cap?"""
    assert bomb_zip.stat().st_size < 2 ** 20
    sub = discover(bomb_zip, ["01_single_neuron"]).submissions[0]
    clock = time.monotonic()
    with pytest.raises(TooLarge, match="128 MiB, over the 64 MiB cap"):
        sub.read_bytes()
    assert time.monotonic() - clock < 1.0                       # not decompressed
    assert sub.fingerprint()                                    # a fingerprint, no exception


def _lie_about_size(path, member, size):
    """Rewrite the declared uncompressed size of ``member`` (local and central headers)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    real = info.file_size
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start >= 0:
            (declared,) = struct.unpack_from("<I", data, start + offset)
            if declared == real:
                struct.pack_into("<I", data, start + offset, size)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))


def test_a_lying_zip_header_cannot_get_past_the_cap(tmp_path):
    """A member that declares 1 KiB but holds 8 MiB, with a 1 MiB cap: is the read stopped
    (TooLarge, or the archive's own error), never returning more than the cap?"""
    path = tmp_path / "lie.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bob_01_single_neuron.ipynb", bytes(8 * 2 ** 20))
    _lie_about_size(path, "bob_01_single_neuron.ipynb", 1024)
    sub = Submission("bob", "01_single_neuron", str(path), "bob_01_single_neuron.ipynb",
                     max_bytes=2 ** 20)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(sub.member).file_size == 1024    # the header lies
    try:
        data = sub.read_bytes()
    except (TooLarge, zipfile.BadZipFile):
        return
    assert len(data) <= 2 ** 20


def test_a_plain_file_over_the_cap_is_not_read(tmp_path):
    """Is a notebook file over the cap refused from its size, and one under it read?"""
    path = tmp_path / "bob_01_single_neuron.ipynb"
    path.write_bytes(b" " * (2 ** 20 + 1))
    sub = Submission("bob", "01_single_neuron", str(path), max_bytes=2 ** 20)
    with pytest.raises(TooLarge, match="over the 1 MiB cap"):
        sub.read_bytes()
    sub.max_bytes = 2 * 2 ** 20
    assert len(sub.read_bytes()) == 2 ** 20 + 1


def test_the_archive_total_cap_refuses_only_what_is_beyond_it(tmp_path):
    """With a 3 MiB total cap and four 1 MiB notebooks, are the first three readable and the
    fourth refused with the reason?"""
    path = tmp_path / "class.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in "abcd":
            archive.writestr(f"{student}_01_single_neuron.ipynb", b" " * 2 ** 20)
    subs = discover(path, ["01_single_neuron"], max_archive_bytes=3 * 2 ** 20 + 10).submissions
    assert [bool(s.refused) for s in subs] == [False, False, False, True]
    with pytest.raises(TooLarge, match="more than 3 MiB uncompressed in all"):
        subs[3].read_bytes()
    assert len(subs[0].read_bytes()) == 2 ** 20


def test_a_huge_timestamp_in_a_zip_is_refused_with_a_message(tmp_path):
    """Is a 16 MiB timestamp.txt next to a notebook a clear SubmissionError, not a read?"""
    path = tmp_path / "class.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bob/01_single_neuron/01_single_neuron.ipynb", b"{}")
        archive.writestr("bob/01_single_neuron/timestamp.txt", bytes(16 * 2 ** 20))
    with pytest.raises(SubmissionError, match="timestamp.txt is 16 MiB"):
        discover(path, ["01_single_neuron"])


_PEAK = textwrap.dedent("""
    import sys
    from autograder.pipeline.discover import discover, TooLarge
    sub = discover(sys.argv[1], ["01_single_neuron"],
                   max_notebook_bytes=int(sys.argv[2])).submissions[0]
    import zipfile
    try:
        sub.read_bytes()
    except (TooLarge, zipfile.BadZipFile) as error:
        print(type(error).__name__)
    # VmHWM: this process's own peak. ru_maxrss would not do: Linux keeps it across the exec,
    # so it starts at the pytest process's size at the fork (about 100 MiB)
    peak_kib = next(int(line.split()[1]) for line in open("/proc/self/status")
                    if line.startswith("VmHWM:"))
    print(peak_kib // 1024)
""")


def test_reading_a_zip_bomb_keeps_memory_bounded(bomb_zip, tmp_path):
    """The 128 MiB member of zeros with its headers rewritten to say 1 KiB (so the header check
    passes): does reading it with a 16 MiB cap stay far below the member's size in memory?"""
    path = tmp_path / "lying.zip"
    path.write_bytes(bomb_zip.read_bytes())
    _lie_about_size(path, "bob_01_single_neuron.ipynb", 1024)
    result = subprocess.run([sys.executable, "-c", _PEAK, str(path), str(16 * 2 ** 20)],
                            capture_output=True, text=True, cwd=REPO, check=True)
    peak_mib = int(result.stdout.split()[-1])
    assert peak_mib < 100, result.stdout                         # the interpreter: ~30 MiB


# ---- the output folder ---------------------------------------------------------------------

def test_out_inside_the_submissions_is_refused_with_the_right_message(tmp_path):
    """Is --out inside the submissions folder refused, saying that (not the reverse)?"""
    submissions = tmp_path / "submitted"
    submissions.mkdir()
    with pytest.raises(SubmissionError, match="output folder .* is inside the submissions"):
        check_folders(submissions, submissions / "out")
    with pytest.raises(SubmissionError, match="inside the submissions"):
        check_folders(submissions, submissions)


def test_submissions_inside_out_are_refused_only_where_a_run_rewrites(tmp_path):
    """Are submissions inside DIR/feedback refused, and ones at the top of DIR accepted?"""
    out = tmp_path / "out"
    (out / "feedback" / "class").mkdir(parents=True)
    with pytest.raises(SubmissionError, match="inside .*feedback, which a grading run"):
        check_folders(out / "feedback" / "class", out)
    (out / "class.zip").write_bytes(b"")
    check_folders(out / "class.zip", out)                        # no error


def test_a_bad_out_gets_a_clear_message(tmp_path):
    """Is --out naming a file, or a folder that cannot be created, a SubmissionError?"""
    (tmp_path / "file").write_text("x")
    (tmp_path / "subs").mkdir()
    with pytest.raises(SubmissionError, match="is a file, not a folder"):
        check_folders(tmp_path / "subs", tmp_path / "file")
    with pytest.raises(SubmissionError, match="Cannot create the output folder"):
        check_folders(tmp_path / "subs", tmp_path / "file" / "under")


@pytest.mark.slow
def test_a_bad_out_on_the_command_line_exits_2_without_a_traceback(tmp_path):
    """Does `grade --out FILE` print one error line and exit 2?"""
    (tmp_path / "file").write_text("x")
    (tmp_path / "subs").mkdir()
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", str(tmp_path / "subs"),
                             "--out", str(tmp_path / "file")], capture_output=True, text=True,
                            cwd=REPO)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "is a file, not a folder" in result.stderr


def test_two_runs_into_one_out_are_locked_out(tmp_path):
    """While one run holds DIR, does a second one (another process) stop with the holder's
    pid, and may a third go once the first has ended?"""
    script = textwrap.dedent(f"""
        import sys
        from autograder.pipeline.outdir import output_lock
        from autograder.pipeline.discover import SubmissionError
        try:
            with output_lock({str(tmp_path)!r}):
                print("got it")
        except SubmissionError as error:
            print(error)
    """)
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_FILE).read_text().strip() == str(os.getpid())
        second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                cwd=REPO)
        assert f"another grading run is using {tmp_path} (pid {os.getpid()})" in second.stdout
    third = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           cwd=REPO)
    assert "got it" in third.stdout


# ---- a worker dies with its grader ---------------------------------------------------------

_ORPHAN = textwrap.dedent("""
    import os, sys, time
    from autograder.pipeline.pool import die_with_parent
    use_it = sys.argv[1] == "1"
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        if use_it:
            die_with_parent(parent)
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    time.sleep(60)
""")


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
@pytest.mark.parametrize("use_it", [True, False])
def test_a_worker_dies_when_its_grader_is_killed(use_it):
    """After `kill -9` of the grader, is its worker gone within a second (and, with the
    mechanism off, still alive: the test bites)?"""
    grader = subprocess.Popen([sys.executable, "-c", _ORPHAN, "1" if use_it else "0"],
                              stdout=subprocess.PIPE, text=True, cwd=REPO)
    worker = int(grader.stdout.readline())
    time.sleep(0.5)                                 # the child has set its signal by now
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    deadline = time.monotonic() + 3
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert _alive(worker) is not use_it
    finally:
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)


def test_die_with_parent_exits_when_the_parent_is_already_gone():
    """Does a worker whose parent died before the signal was set exit at once?"""
    script = ("import os\nfrom autograder.pipeline.pool import die_with_parent\n"
              "die_with_parent(os.getppid() + 999999)\nprint('still here')")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=REPO)
    assert "still here" not in result.stdout and result.returncode == 1


# ---- through the whole command (slow: runs nbgrader on the tiny lesson) ---------------------

def _edit_cells(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def _class_edits():
    """student -> a function that edits the answered notebook (in place), or returns bytes."""
    def pasted_test(nb):
        cell = copy.deepcopy(_edit_cells(nb, "double_test"))
        cell.id = "pasted-copy"
        nb.cells.insert(nb.cells.index(_edit_cells(nb, "double_test")) + 1, cell)

    def pasted_answer(nb):
        cell = copy.deepcopy(_edit_cells(nb, "double"))
        cell.id = "pasted-copy"
        cell.source = cell.source.replace("return 2 * x", "return x + x")
        nb.cells.insert(nb.cells.index(_edit_cells(nb, "double")) + 1, cell)

    def flags_flipped(nb):
        _edit_cells(nb, "double_test").metadata.nbgrader.update(grade=False, solution=True,
                                                                 locked=False)
        _edit_cells(nb, "double").metadata.nbgrader.update(grade=True, points=50)

    def renamed(nb):
        _edit_cells(nb, "double_test").metadata.nbgrader["grade_id"] = "my_own_name"

    def id_removed(nb):
        del _edit_cells(nb, "risky_test").metadata.nbgrader["grade_id"]

    def emptied(nb):
        _edit_cells(nb, "square_test").metadata["nbgrader"] = {}
        _edit_cells(nb, "square").metadata = {}

    def extra(nb):
        nb.cells.append(new_code_cell("print('bonus')", metadata={"nbgrader": {
            "grade": True, "grade_id": "bonus", "locked": False, "points": 100,
            "solution": False, "schema_version": 3, "task": False}}))

    def grade_flag(nb):
        _edit_cells(nb, "risky").metadata.nbgrader.update(grade=True, points=10)

    def duplicate_ids(nb):
        nb.cells[1].metadata["nbgrader"] = copy.deepcopy(
            _edit_cells(nb, "square_test").metadata.nbgrader)

    def bom(nb):
        return b"\xef\xbb\xbf" + nbformat.writes(nb).encode()

    def big_outputs(nb):                       # 8 MiB of outputs: big but legitimate
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x" * 2 ** 23)]

    return {"good": None, "pastedtest": pasted_test, "pastedanswer": pasted_answer,
            "flagsflipped": flags_flipped, "renamed": renamed, "idremoved": id_removed,
            "emptied": emptied, "extra": extra, "gradeflag": grade_flag,
            "duplicateids": duplicate_ids, "bom": bom, "bigoutputs": big_outputs}


FULL = {"double_test": 2.0, "risky_test": 1.0, "square_test": 3.0}
UNFLAGGED = {"good", "bom", "bigoutputs"}
BOMB_BYTES = 2 ** 30


@pytest.fixture(scope="module")
def bad_class(tmp_path_factory):
    """The tiny lesson's class as one zip (every edit above, and a 1 GiB zip-bomb member),
    graded once while a second run tries the same --out; the peak memory of the run."""
    from test_pipeline import BODIES, LESSON, SOURCE, TIMEOUT, _submission

    from tiny_course import build_one_lesson

    root = tmp_path_factory.mktemp("bad")
    course, release = build_one_lesson(root, LESSON, SOURCE)
    archive = root / "class.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as handle:
        for student, edit in _class_edits().items():
            nb = nbformat.reads(_submission(release, {}, {}).decode(), as_version=4)
            data = edit(nb) if edit else None
            data = data or nbformat.writes(nb).encode()
            handle.writestr(f"{student}/{LESSON}/{LESSON}.ipynb", data)
        with handle.open(f"bomb/{LESSON}/{LESSON}.ipynb", "w") as member:
            chunk = bytes(2 ** 22)
            for _ in range(BOMB_BYTES // len(chunk)):
                member.write(chunk)
    out = root / "out"
    command = [sys.executable, "-m", "autograder", "grade", str(archive), "--out", str(out),
               "--course", str(course), "--timeout", str(TIMEOUT), "--workers", "2"]
    peak = ("import resource, subprocess, sys\nr = subprocess.run(sys.argv[1:])\n"
            "print('peak-kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "file=sys.stderr)\nsys.exit(r.returncode)")
    first = subprocess.Popen([sys.executable, "-c", peak, *command], cwd=REPO, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not (out / LOCK_FILE).is_file() or not (out / LOCK_FILE).read_text().strip():
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.2)
    second = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    stdout, stderr = first.communicate(timeout=1800)
    assert first.returncode == 0, stdout + stderr
    peak_mib = int(stderr.split("peak-kib")[-1].split()[0]) / 1024
    return {"out": out, "stdout": stdout, "stderr": stderr, "second": second,
            "peak_mib": peak_mib, "command": command, "archive": archive}


@pytest.mark.slow
def test_every_honest_edit_is_graded_from_the_released_cells(bad_class):
    """Does each edited notebook get the full marks its answers deserve, flagged, never a bonus
    point, and the byte-order-marked and big-output ones full marks unflagged?"""
    import csv

    with open(bad_class["out"] / "scores.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = {(r["student_id"], r["grade_id"]): (float(r["score"]), r["status"]) for r in rows}
    for student in _class_edits():
        for grade_id, points in FULL.items():
            status = "passed" if student in UNFLAGGED else "passed;flagged"
            assert got[student, grade_id] == (points, status), (student, grade_id)
    assert {r["grade_id"] for r in rows} == {*FULL, "why"}             # no extra cell counted
    with open(bad_class["out"] / "grades.csv", newline="") as handle:
        grades = {r["student_id"]: r for r in csv.DictReader(handle)}
    for student in _class_edits():
        assert float(grades[student]["max_score"]) == 8, student           # no bonus points


@pytest.mark.slow
def test_each_edited_notebook_has_a_feedback_page_and_a_reason(bad_class):
    """Has every student a feedback page, and does the report say why each edit was flagged?"""
    import html

    out = bad_class["out"]
    for student in [*_class_edits(), "bomb"]:
        assert (out / "feedback" / student / "00_tiny_lesson.html").is_file(), student
    report = html.unescape((out / "report.html").read_text())
    for reason in ("cells present more than once", "nbgrader cells not in the release",
                   "nbgrader metadata edited", "nbgrader metadata missing or damaged"):
        assert reason in report, reason
    page = (out / "feedback" / "extra" / "00_tiny_lesson.html").read_text()
    assert "worth no points" in page


@pytest.mark.slow
def test_the_zip_bomb_is_too_large_and_the_rest_is_graded(bad_class):
    """Is the 1 GiB member recorded as `too large` with a reason and a feedback line, with no
    copy of it on disk and the run's peak memory far below its size?"""
    import csv

    out = bad_class["out"]
    with open(out / "scores.csv", newline="") as handle:
        bomb = [r for r in csv.DictReader(handle) if r["student_id"] == "bomb"]
    assert bomb and all(r["status"] == "too large" and float(r["score"]) == 0 for r in bomb)
    page = (out / "feedback" / "bomb" / "00_tiny_lesson.html").read_text()
    assert "1024 MiB, over the 64 MiB cap" in page
    biggest = max(p.stat().st_size for p in (out / "nbgrader").rglob("*") if p.is_file())
    assert biggest < 64 * 2 ** 20
    print(f"peak memory of the run (largest process): {bad_class['peak_mib']:.0f} MiB")
    assert bad_class["peak_mib"] < 1024


@pytest.mark.slow
def test_a_second_run_into_the_same_out_is_locked_out(bad_class):
    """Did the run started meanwhile into the same --out stop with exit 2 and the pid?"""
    second = bad_class["second"]
    assert second.returncode == 2, second.stdout + second.stderr
    assert "another grading run is using" in second.stderr and "(pid " in second.stderr
    assert "Traceback" not in second.stderr


@pytest.mark.slow
def test_grading_again_grades_nothing_and_still_exits_0(bad_class):
    """Does a rerun reuse every record (the too-large one included) and exit 0?"""
    result = subprocess.run(bad_class["command"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(0 now, 13 unchanged" in result.stdout
