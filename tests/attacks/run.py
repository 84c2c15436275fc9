"""Verify the whole corpus and print one line per entry: ``python tests/attacks/run.py [NAME...]``.

Used by ``tests/attacks/test_integrity_attacks.py`` (through :func:`verify_corpus`) and by hand,
to see what the verifier says about each attack (the issue's closing note is made from this table).
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # `python tests/attacks/run.py` from anywhere
    sys.path.insert(0, str(HERE.parent))
if str(HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[1]))

from attacks.corpus import ENTRIES, REPO, L2  # noqa: E402

#: Time limits for the corpus: short, so that the attacks that hang cost seconds, not minutes;
#: long enough for every lesson cell on a busy two-core machine.
LIMITS = {"cell_timeout": 6.0, "call_timeout": 3.0, "total_timeout": 120.0}


def make_decoy(root):
    """A fake gradebook, another student's submission, an output folder and grader code."""
    root = Path(root)
    (root / "course").mkdir(parents=True)
    (root / "course" / "gradebook.db").write_bytes(os.urandom(4096))
    other = root / "submitted" / "other" / L2
    other.mkdir(parents=True)
    shutil.copyfile(REPO / "solutions" / L2 / f"{L2}.ipynb", other / f"{L2}.ipynb")
    (root / "output").mkdir()
    (root / "output" / "scores.csv").write_text("student,lesson,score\nother,02,20\n")
    (root / "grader" / "autograder").mkdir(parents=True)
    shutil.copyfile(REPO / "autograder" / "checks.py", root / "grader" / "autograder" / "checks.py")
    return root


def snapshot(root):
    """Every file and folder under ``root`` with its content hash, mode and mtime."""
    state = {}
    for path in sorted(Path(root).rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[str(path.relative_to(root))] = (digest, info.st_mode, info.st_mtime_ns)
    return state


def verify_entry(entry, work, policy=None):
    """Build, snapshot, verify, and return ``(result, decoy before, decoy folder)``."""
    from autograder.integrity import verify_submission

    folder = Path(work) / entry.name
    folder.mkdir(parents=True)
    decoy = make_decoy(folder / "decoy")
    from attacks.corpus import build

    notebook = build(entry, folder, decoy)
    before = snapshot(decoy)
    # as the pipeline does: the verifier reads the notebook without its outputs
    # (autograder.pipeline.confirm.code_only_copy), so padding cannot push it over a size limit
    import nbformat

    from autograder.pipeline.confirm import code_only_copy

    copy = code_only_copy(nbformat.read(notebook, as_version=4), folder / "code-only.ipynb")
    result = verify_submission(copy, entry.lesson, policy=policy, hidden=[decoy], **LIMITS)
    return result, before, decoy


def kept_points(entry, result):
    """``{grade_id: points kept}`` of the lesson's code grade cells with every in-kernel score
    at full marks, by the pipeline's rule (:func:`autograder.pipeline.confirm
    .apply_verification`: only a positive verdict keeps points)."""
    from autograder.integrity.verify import _grade_cells
    from autograder.pipeline.confirm import apply_verification, registered_grade_cells

    cells, _ = _grade_cells(entry.lesson, REPO / "course")
    from autograder.pipeline.record import ScoreRow, SubmissionRecord

    rows = [ScoreRow(grade_id, points, points, "passed", "auto")
            for grade_id, points, kind, _ in cells if kind == "code"]
    record = SubmissionRecord("", entry.lesson, outcome="graded", rows=rows)
    apply_verification(record, result, registered_grade_cells(entry.lesson, REPO / "course"))
    return {row.grade_id: row.score for row in record.rows}


def verify_corpus(entries, work, policy=None, workers=None):
    """Verify entries in parallel (each in its own sandbox); ``{name: (result, before, decoy)}``."""
    workers = workers or max(2, os.cpu_count() or 2)  # the sandboxes are CPU-bound
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = {e.name: pool.submit(verify_entry, e, work, policy) for e in entries}
        return {name: future.result() for name, future in futures.items()}


def describe(entry, result):
    statuses = {}
    for outcome in result.exercises.values():
        statuses.setdefault(outcome.status, []).append(outcome.function)
    confirmed = sum(c.points for c in result.grade_cells.values() if c.verified)
    total = sum(c.points for c in result.grade_cells.values() if c.kind == "autograded")
    parts = [f"{status}: {', '.join(names)}" for status, names in statuses.items()]
    return (f"{entry.name} [threat {entry.threat}] {confirmed:g}/{total:g} autograded points "
            f"confirmed; {'; '.join(parts)}; {len(result.flags)} flag(s); "
            f"{result.sessions} sandbox(es), {result.seconds:.1f} s")


def table_row(entry, result, intact):
    """One markdown row: the entry, the points kept at worst (full marks in the kernel), the
    points its honest work deserves, and what the verifier said."""
    from autograder.integrity.verify import _grade_cells

    cells, _ = _grade_cells(entry.lesson, REPO / "course")
    kept_by_cell = kept_points(entry, result)
    kept = deserved = total = 0.0
    for grade_id, points, kind, checks in cells:
        if kind != "code":
            continue
        total += points
        kept += kept_by_cell[grade_id]
        function, part = checks[0].function, checks[0].part
        allowed = entry.shape_functions() if part == "shape" else entry.deserved_functions()
        deserved += points if function in allowed else 0.0
    statuses = {}
    for outcome in result.exercises.values():
        label = outcome.status + (f" [{outcome.mistake}]" if outcome.mistake else "")
        statuses.setdefault(label, []).append(outcome.function)
    said = "; ".join(f"{s}: {', '.join(f)}" for s, f in statuses.items())
    if result.flags:
        said += f"; {len(result.flags)} flag(s), e.g. \"{result.flags[0][:90]}\""
    return (f"| `{entry.name}` | {entry.threat or 'honest'} | {entry.what} | "
            f"{kept:g} / {total:g} | {deserved:g} | {'yes' if intact else 'NO'} | {said} |")


def main(argv):
    import tempfile

    markdown = "--table" in argv
    argv = [a for a in argv if a != "--table"]
    wanted = [e for e in ENTRIES if not argv or e.name in argv]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        results = verify_corpus(wanted, work)
        time.sleep(2.0)
        if markdown:
            print("| submission | threat | what it does | points kept (kernel at full) | "
                  "deserved | files intact | what the verifier said |")
            print("|---|---|---|---|---|---|---|")
            for entry in wanted:
                result, before, decoy = results[entry.name]
                print(table_row(entry, result, snapshot(decoy) == before))
            print(f"\n{len(wanted)} entries in {time.monotonic() - started:.1f} s")
            return
        for entry in wanted:
            result, before, decoy = results[entry.name]
            print(describe(entry, result))
            if "-v" in os.environ.get("CORPUS_VERBOSE", "-v"):
                for line in result.summary().splitlines()[1:]:
                    print("   ", line[:220])
                for cell in result.cells:
                    if cell.status != "ok" and cell.origin != "lesson":
                        print("    cell", cell.origin, cell.label, cell.status, cell.error[:150])
            if snapshot(decoy) != before:
                print("    !! the decoy folder changed")
    print(f"{len(wanted)} entries in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
