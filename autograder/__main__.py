"""Command line: ``python -m autograder check NOTEBOOK`` and ``python -m autograder grade``.

check  A student grades one notebook of theirs as the instructor would, from the visible tests:
       the released tests are put back into a copy (edits to test cells do not count), the copy
       is autograded by nbgrader with the same executor and limits as a class run, and a table
       shows each grade cell, then the whole message of every failing test and the worked
       cells that raised an error. The notebook itself is not changed.
grade  An instructor grades a class with nbgrader, in parallel and sandboxed, and gets
       scores.csv, grades.csv, a feedback page per student and lesson, and report.html.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# jsonschema imports rfc3987-syntax, which compiles a grammar for one to three seconds, only to
# check "iri" string formats; notebooks have none (jupyter_server#1559). This process skips it.
if "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

CHECK_EXIT_STATUS = """\
Exit status of check:
  0  every autograded point of the visible tests was scored
  1  some autograded point is missing (a failing test, an unwritten function)
  2  bad input or usage: no such file, no lesson in its name, not a notebook
  3  the check itself failed (not your answers): nbgrader or the kernel could not run
Written answers are graded by hand and do not change the exit status.
"""

GRADE_DESCRIPTION = """\
Grade every submission in SUBMISSIONS with nbgrader (autograde, feedback, export), in parallel
worker processes, each notebook's kernel sandboxed, and write into DIR:

  scores.csv            student_id, assignment, grade_id, score, max_score, status
                        (one row per student, lesson and grade cell)
  grades.csv            one row per student: a column per lesson, score and max_score
                        (nbgrader's export, autograder.pipeline.export.WideCsvExportPlugin)
  feedback/<student>/<lesson>.html   what each student sees (no hidden test in it)
  students.csv          student_id, name, email, section, original_name, lms, files: who
                        each id is (from --roster, else from the LMS's file names)
  lms/                  canvas_gradebook.csv and moodle_<lesson>.csv, to import into the LMS
                        (`python -m autograder export DIR` writes them again)
  report.html, plots/   the class at a glance, and the submissions that need a human look
  nbgrader/             the nbgrader course the run works in (gradebook.db, autograded/...);
                        open it in Formgrader to grade the written answers by hand

SUBMISSIONS is a folder or a .zip file in one of these layouts:
  nbgrader   <student>/<lesson>/<lesson>.ipynb  (a timestamp.txt next to the notebook, as
             `nbgrader collect` writes it, marks late work when --due-dates is given)
  canvas     smithbob_340934_208490284_01_single_neuron.ipynb: Canvas's "Download
             Submissions" (name_[LATE_]userid_attachmentid_file[-N]); the id is the user id,
             the newest upload counts, LATE_ flags the submission as late
  moodle     Bob Smith_12345_assignsubmission_file_01_single_neuron.ipynb, flat or in
             folders ("Download all submissions"); the id is the participant id
  blackboard Lesson 1_bsmith_attempt_2025-03-01-17-05-00_01_single_neuron.ipynb; the id is
             the username, the latest attempt counts
  gradescope submission_9001/01_single_neuron.ipynb folders and submission_metadata.yml
             ("Export Submissions"); the id is the SID (else the e-mail)
  plain      <student>_<lesson>.ipynb, <lesson>_<student>.ipynb, <student>-<lesson>.ipynb,
             <lesson>/<student>.ipynb or <student>/<lesson>.ipynb; the lesson id (e.g.
             01_single_neuron) must appear in the name, and the student id is what is left
             of the file name without it (a browser's " (1)" is ignored).
The layout is recognised from the names. Student ids keep letters of every script; links,
hidden files and zip entries pointing outside the archive are skipped and listed.
Every autograded cell is then confirmed outside the notebook's kernel: the student's
functions run again in a separate sandbox on fresh secret inputs, and each grade cell keeps
the lower of the two scores (status "not confirmed" when the second one is lower; the report
lists why). --no-verify skips that step.

The originals are only read. Running the command again regrades only what changed, and an
interrupted run resumes where it stopped.

Exit status: 0 when every submission was graded (a notebook that crashed, hung or could not
be read counts as graded, with its status); 1 when the grader itself failed on some
submission or could not run; 2 when the command line or the submissions are wrong.
"""


def cmd_check(args):
    import json

    from .pipeline.check import (EXIT_CHECK_FAILED, expected_seconds, format_report,
                                 remember_seconds, run_check)
    from .pipeline.course import COURSE, GradingError, known_lessons
    from .pipeline.discover import _lesson_in

    def usage(message):
        if args.json:
            print(json.dumps({"version": 1, "notebook": str(path), "outcome": "usage",
                              "exit_code": EXIT_USAGE, "error": message}))
        print(f"error: {message}", file=sys.stderr)
        return EXIT_USAGE

    course = Path(args.course) if args.course else COURSE
    path = Path(args.notebook)
    if not path.is_file():
        return usage(f"no notebook at {path}. Give the path of your .ipynb file, e.g. "
                     "notebooks/01_single_neuron/01_single_neuron.ipynb")
    lessons = known_lessons(course)
    lesson = args.lesson or _lesson_in(path.stem, lessons) or \
        next((_lesson_in(p, lessons) for p in reversed(path.parts[:-1])
              if _lesson_in(p, lessons)), None)
    if lesson is None or lesson not in lessons:
        return usage(f"cannot tell which lesson {path.name} belongs to; name it after the "
                     f"lesson or pass --lesson (one of: {', '.join(lessons)}).")
    # what the last check of this lesson took here: the time a student will really wait
    last = expected_seconds(lesson)
    when = f"about {last:.0f} s, as last time" if last else "a few seconds to half a minute"
    if not args.json:
        print(f"Checking {path} against the visible tests of {lesson} ({when})...", flush=True)
    try:
        result = run_check(path, lesson, timeout=args.timeout, course_dir=course)
    except GradingError as error:
        if args.json:
            print(json.dumps({"version": 1, "notebook": str(path), "lesson": lesson,
                              "outcome": "error", "exit_code": EXIT_CHECK_FAILED,
                              "error": str(error)}))
        print(f"error: the check itself failed: {error}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    if result.outcome == "graded":
        remember_seconds(lesson, result.seconds)
    if args.json:
        print(json.dumps(result.to_dict(), indent=1))
        return result.exit_code
    if result.outcome == "malformed":
        print(f"error: {path} could not be read: {result.error}. Open it in JupyterLab and "
              "save it again, or download a fresh copy.", file=sys.stderr)
        return result.exit_code
    if result.outcome != "graded":
        print(f"error: the check itself failed (not your answers):\n{result.error}",
              file=sys.stderr)
        return result.exit_code
    print()
    print(format_report(result))
    for note in result.notes:
        print(f"\nNote: {note}")
    missing = result.max_points - result.points
    verdict = ("Every autograded point of the visible tests." if not missing else
               f"{missing:g} autograded point(s) missing (exit status 1).")
    print(f"\n{verdict} Checked in {result.seconds:.1f} s. Your file was not changed. Your "
          "instructor's grading also runs hidden tests on fresh inputs.")
    return result.exit_code


class _Progress:
    """A progress bar on a terminal; one line per notebook otherwise (CI logs)."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()

    def __call__(self, done, total, task, record):
        rows = record.auto_rows()
        score = sum(r.score for r in rows)
        top = sum(r.max_score for r in rows)
        what = record.outcome
        detail = f"{score:g}/{top:g}" if what == "graded" else what
        elapsed = time.monotonic() - self.started
        if self.tty:
            width = 28
            filled = int(width * done / max(total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                              f"{elapsed:4.0f}s  {task.student} {task.lesson}: {detail}"[:118]
                              .ljust(118))
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{done}/{total}] {elapsed:5.0f}s  {task.student} {task.lesson}: "
                              f"{detail}\n")
        self.stream.flush()


def cmd_export(args):
    from .pipeline.lms_csv import write_all

    out = Path(args.dir)
    missing = [name for name in ("scores.csv", "grades.csv") if not (out / name).is_file()]
    if missing:
        print(f"error: {out} is not the output folder of a grading run (no "
              f"{' or '.join(missing)}); give the --out folder of `grade`.", file=sys.stderr)
        return EXIT_USAGE
    ids = {}
    for item in args.canvas_assignment or []:
        lesson, sep, number = item.partition("=")
        if not sep or not number.strip().isdigit():
            print(f"error: --canvas-assignment {item!r} should be LESSON=ID, e.g. "
                  "01_single_neuron=123456 (the number in the assignment's Canvas address).",
                  file=sys.stderr)
            return EXIT_USAGE
        ids[lesson.strip()] = number.strip()
    for path in write_all(out, assignment_ids=ids):
        print(f"Wrote {path}")
    return EXIT_OK


def cmd_gradescope(args):
    from .gradescope import build_zip

    try:
        path = build_zip(args.lesson, args.out)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {path}: upload it as the autograder of a Gradescope programming assignment "
          "(Configure Autograder > Zip file upload; base image Ubuntu).")
    return EXIT_OK


def cmd_grade(args):
    from .pipeline.course import COURSE, GradingError, GradingOptions
    from .pipeline.discover import SubmissionError
    from .pipeline.grading import grade_class, read_due_dates

    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1.", file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.timeout <= 600:
        print("error: --timeout is in seconds per cell, between 1 and 600.", file=sys.stderr)
        return EXIT_USAGE
    if args.max_notebook_mib < 1 or args.max_archive_mib < 1:
        print("error: --max-notebook-mib and --max-archive-mib must be at least 1.",
              file=sys.stderr)
        return EXIT_USAGE
    from .pipeline.roster import RosterError, read_roster

    try:
        due = read_due_dates(args.due_dates) if args.due_dates else {}
        roster = read_roster(args.roster) if args.roster else None
    except (OSError, SubmissionError, RosterError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    options = GradingOptions(timeout=args.timeout, sandbox=args.sandbox,
                             memory_mib=args.memory, due_dates=due, verify=not args.no_verify)
    out = Path(args.out)
    print(f"Grading {args.submissions} into {out} ...", file=sys.stderr, flush=True)
    try:
        summary = grade_class(args.submissions, out, workers=args.workers, options=options,
                              course_dir=args.course or COURSE, db_url=args.db,
                              lessons=args.lesson, regrade=args.regrade, progress=_Progress(),
                              roster=roster, max_notebook_bytes=args.max_notebook_mib * 2 ** 20,
                              max_archive_bytes=args.max_archive_mib * 2 ** 20)
    except SubmissionError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nInterrupted. Run the same command again to resume: the submissions graded so "
              "far are kept.", file=sys.stderr)
        return EXIT_INTERRUPTED
    students = len({r.student for r in summary.records})
    print(f"Graded {summary.submissions} submission(s) of {students} student(s) in "
          f"{summary.seconds:.0f} s with {summary.workers} worker(s) "
          f"({summary.graded_now} now, {summary.reused} unchanged since the last run).")
    print(f"Wrote {out / 'scores.csv'}, {out / 'grades.csv'}, {out / 'feedback'}/ and "
          f"{out / 'report.html'}.")
    if summary.sandbox is not None:
        print(f"Sandbox: {' '.join(summary.sandbox.lines())}")
    if summary.unmatched:
        print(f"warning: {len(summary.unmatched)} notebook(s) named no lesson and were not "
              f"graded: {', '.join(summary.unmatched[:5])}", file=sys.stderr)
    if summary.errors:
        log = out / "nbgrader" / ".autograder" / "workers.log"
        print(f"error: the grader failed on {len(summary.errors)} submission(s): "
              + ", ".join(f"{s} {lesson}" for s, lesson, _ in summary.errors[:10])
              + f". See {out / 'report.html'} and {log}; fix the cause and run the same "
              "command again to grade just those.", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def build_parser():
    from .pipeline.check import JSON_FIELDS
    from .pipeline.course import DEFAULT_TIMEOUT

    from .pipeline.status import legend

    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="grade your own notebook from the visible tests",
                           description=__doc__.split("grade  ")[0], epilog=CHECK_EXIT_STATUS + "\n" + JSON_FIELDS,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("notebook")
    check.add_argument("--lesson", help="lesson id, when the file name does not say it")
    check.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT,
                       help=f"seconds per cell (default {DEFAULT_TIMEOUT})")
    check.add_argument("--json", action="store_true",
                       help="print one JSON object (fields below) instead of the table")
    check.add_argument("--course", metavar="DIR", default=None, help=argparse.SUPPRESS)
    check.set_defaults(run=cmd_check)
    grade = sub.add_parser(
        "grade", help="grade a class of submissions", description=GRADE_DESCRIPTION,
        epilog="status words in scores.csv:\n" + legend(),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    grade.add_argument("submissions", metavar="SUBMISSIONS",
                       help="a folder or .zip of notebooks (layouts above)")
    grade.add_argument("--out", metavar="DIR", required=True, help="the output folder")
    grade.add_argument("--workers", type=int, metavar="N",
                       help="grading processes (default: the number of CPUs)")
    grade.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                       help=f"time limit per cell (default {DEFAULT_TIMEOUT}; nbgrader's is 30)")
    grade.add_argument("--sandbox", choices=["auto", "bubblewrap", "rlimits"], default="auto",
                       help="auto (default): bubblewrap when it works here, else resource "
                            "limits only; bubblewrap: fail without it; rlimits: limits only")
    grade.add_argument("--memory", type=int, default=2048, metavar="MiB",
                       help="address-space limit of a grading kernel (default 2048)")
    grade.add_argument("--due-dates", metavar="CSV",
                       help="due dates, columns assignment,duedate (e.g. "
                            "01_single_neuron,2025-03-01 17:00:00 UTC): late work is flagged")
    grade.add_argument("--roster", metavar="CSV",
                       help="who the ids are: a CSV with an id column (the LMS's user ids) and "
                            "name, email, section columns where it has them (header names as "
                            "Canvas, Moodle or a registrar export them); names go into "
                            "students.csv, grades.csv and the gradebook")
    grade.add_argument("--max-notebook-mib", type=int, default=64, metavar="MiB",
                       help="the largest notebook file graded (default 64; a lesson notebook "
                            "with its plots is about 1 MiB); a larger one is not read and is "
                            "recorded as 'too large'")
    grade.add_argument("--max-archive-mib", type=int, default=4096, metavar="MiB",
                       help="the most the notebooks of a .zip may hold uncompressed in all "
                            "(default 4096); those beyond it are recorded as 'too large'")
    grade.add_argument("--lesson", action="append", metavar="LESSON",
                       help="grade only this lesson (repeatable)")
    grade.add_argument("--db", metavar="URL",
                       help="gradebook database URL (default: SQLite in DIR/nbgrader)")
    grade.add_argument("--no-verify", action="store_true",
                       help="trust the scores of the grading kernel: skip the out-of-kernel "
                            "confirmation of every autograded cell (faster; a student's code "
                            "can then fake its grades, see the README)")
    grade.add_argument("--regrade", action="store_true",
                       help="grade everything again, even what has not changed")
    grade.add_argument("--course", metavar="DIR", default=None,
                       help="the nbgrader course (default: course/ of this repository); its "
                            "lessons' releases are in DIR/../notebooks")
    grade.set_defaults(run=cmd_grade)

    export = sub.add_parser(
        "export", help="write a run's grades in the formats LMSs import",
        description="Write DIR/lms/canvas_gradebook.csv (Canvas: Gradebook > Import) and "
                    "DIR/lms/moodle_<lesson>.csv (Moodle: Upload grading worksheet) from the "
                    "grades of a finished run in DIR. `grade` writes them too; run this again "
                    "after grading the written answers, or to add Canvas assignment ids.")
    export.add_argument("dir", metavar="DIR", help="the --out folder of a grading run")
    export.add_argument("--canvas-assignment", action="append", metavar="LESSON=ID",
                        help="the Canvas assignment id of a lesson, so the import updates that "
                             "assignment (repeatable)")
    export.set_defaults(run=cmd_export)

    gradescope = sub.add_parser(
        "gradescope", help="write a lesson's Gradescope autograder zip",
        description="Write DIR/<lesson>_gradescope.zip: setup.sh, run_autograder and source/ "
                    "(this package, the lesson with its hidden tests, the released notebook; no "
                    "solutions). Inside Gradescope, run_autograder grades "
                    "/autograder/submission/*.ipynb with the same sandboxed pipeline as `grade` "
                    "and writes /autograder/results/results.json, one test per grade cell.")
    gradescope.add_argument("lesson", metavar="LESSON")
    gradescope.add_argument("--out", metavar="DIR", required=True)
    gradescope.set_defaults(run=cmd_gradescope)
    return parser


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"]:
        # a student's check: nbgrader's grading machinery without its Jupyter server
        # extensions (autograder.pipeline.lean_import); the same autograde as a class run
        from .pipeline.lean_import import nbgrader_without_server_extensions

        nbgrader_without_server_extensions()
    args = build_parser().parse_args(argv)
    return args.run(args)


def exit_now(code):
    """End a finished ``check`` at once: the exit handlers run and the output is flushed, but
    the interpreter's own tear-down (freeing nbgrader's, SQLAlchemy's and jupyter_client's
    thousands of objects module by module: a fifth of a second and more on 2 cores, measured
    in benchmarks/check_speed.py) is skipped. The kernel and the scratch course are gone by
    then (run_check shuts the one down and deletes the other)."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code if isinstance(code, int) else EXIT_FAILED)


if __name__ == "__main__":
    status = main()
    if sys.argv[1:2] == ["check"]:
        exit_now(status)
    sys.exit(status)
