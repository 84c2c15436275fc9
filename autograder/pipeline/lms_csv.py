"""Write what LMSs import: a Canvas gradebook CSV and Moodle grading worksheets.

Both are made from a finished run's ``grades.csv`` (each lesson's score after nbgrader's late
penalty), ``scores.csv`` (each lesson's maximum) and ``students.csv`` (who each id is), so they
can be written again at any time (``python -m autograder export DIR``), for instance once the
written answers are graded in Formgrader and the run has been repeated.

Canvas ("Gradebook > Import")
    ``canvas_gradebook.csv``: the columns of Canvas's own gradebook export, ``Student, ID,
    SIS User ID, SIS Login ID, Section``, one column per lesson named ``<lesson> (<assignment
    id>)`` when the Canvas assignment id is known (Canvas then updates that assignment; without
    an id it creates a new one), a ``Points Possible`` row, and one row per student. The
    student's ID is the Canvas user id the download's file names carry.
Moodle ("Assignment > View all submissions > Grading action: Upload grading worksheet")
    ``moodle_<lesson>.csv``, one per lesson: the offline grading worksheet's columns,
    ``Identifier, Full name, Email address, Status, Grade, Maximum Grade, Grade can be changed,
    Last modified (submission), Last modified (grade), Feedback comments``, the identifier being
    ``Participant <id>`` with the participant id of the download's names.

Only the grades of students the run graded are written; a lesson a student did not submit is
left empty (an LMS reads an empty cell as "no change", where 0 would overwrite).
"""
from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from .csvsafe import csv_writer

CANVAS_FILE = "canvas_gradebook.csv"
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade",
                 "Maximum Grade", "Grade can be changed", "Last modified (submission)",
                 "Last modified (grade)", "Feedback comments"]


def _read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _points(value):
    return f"{round(float(value), 2):g}"


def read_run(out_dir):
    """(lessons, maxima, scores, people) of a finished run in ``out_dir``.

    ``scores[(student, lesson)]`` is the lesson's score from ``grades.csv`` for the lessons the
    student submitted; ``people[student]`` is the row of ``students.csv``.
    """
    out_dir = Path(out_dir)
    cells = _read(out_dir / "scores.csv")
    maxima, submitted = defaultdict(float), set()
    first_student = cells[0]["student_id"] if cells else None
    for row in cells:
        if row["student_id"] == first_student:
            maxima[row["assignment"]] += float(row["max_score"])
        if row["status"] != "not submitted":
            submitted.add((row["student_id"], row["assignment"]))
    lessons = sorted(maxima)
    scores = {}
    for row in _read(out_dir / "grades.csv"):
        for lesson in lessons:
            if (row["student_id"], lesson) in submitted and row.get(lesson, "") != "":
                scores[row["student_id"], lesson] = float(row[lesson])
    people = {row["student_id"]: row for row in _read(out_dir / "students.csv")} \
        if (out_dir / "students.csv").is_file() else {}
    return lessons, dict(maxima), scores, people


def _sortable(name):
    """Canvas lists students as "Last, First"."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return name
    return f"{words[-1]}, {' '.join(words[:-1])}"


def write_canvas(out_dir, destination=None, assignment_ids=None):
    """Write the Canvas gradebook import file; returns its path.

    Parameters
    ----------
    out_dir : path
        A finished run's output folder.
    destination : path, optional
        Default ``out_dir/lms/canvas_gradebook.csv``.
    assignment_ids : dict of str -> str, optional
        lesson -> Canvas assignment id.
    """
    lessons, maxima, scores, people = read_run(out_dir)
    assignment_ids = assignment_ids or {}
    destination = Path(destination or Path(out_dir) / "lms" / CANVAS_FILE)
    destination.parent.mkdir(parents=True, exist_ok=True)
    students = sorted({student for student, _ in scores})
    columns = [f"{lesson} ({assignment_ids[lesson]})" if lesson in assignment_ids else lesson
               for lesson in lessons]
    with open(destination, "w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(CANVAS_HEADER + columns)
        writer.writerow(["    Points Possible", "", "", "", ""]
                        + [_points(maxima[lesson]) for lesson in lessons])
        for student in students:
            person = people.get(student, {})
            writer.writerow([_sortable(person.get("name") or student), student, "", "",
                             person.get("section", "")]
                            + [_points(scores[student, lesson]) if (student, lesson) in scores
                               else "" for lesson in lessons])
    return destination


def write_moodle(out_dir, folder=None):
    """Write one Moodle grading worksheet per lesson; returns their paths."""
    lessons, maxima, scores, people = read_run(out_dir)
    folder = Path(folder or Path(out_dir) / "lms")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for lesson in lessons:
        path = folder / f"moodle_{lesson}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv_writer(handle)
            writer.writerow(MOODLE_HEADER)
            for student in sorted(s for s, l in scores if l == lesson):
                person = people.get(student, {})
                writer.writerow([f"Participant {student}", person.get("name") or student,
                                 person.get("email", ""), "Submitted for grading",
                                 _points(scores[student, lesson]), _points(maxima[lesson]),
                                 "Yes", "-", "-", ""])
        paths.append(path)
    return paths


def write_all(out_dir, assignment_ids=None):
    """Both formats into ``out_dir/lms/``; returns the paths written."""
    return [write_canvas(out_dir, assignment_ids=assignment_ids), *write_moodle(out_dir)]
