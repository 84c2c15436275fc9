"""Who the student ids are: the class roster, and ``students.csv`` in every output folder.

A roster is a CSV file as an LMS or a registrar exports it. Its header names the columns; these
are recognised, case and spacing ignored (the first match wins):

========  ==================================================================================
id        ``id``, ``student id``, ``user id``, ``sis user id``, ``username``, ``sid``,
          ``login id``, ``sis login id``, ``identifier``, ``participant id``, ``id number``
name      ``name``, ``student``, ``full name``, ``student name``; or ``first name`` with
          ``last name`` / ``surname``
email     ``email``, ``email address``, ``e-mail``
section   ``section``, ``sections``, ``group``, ``groups``
========  ==================================================================================

Canvas's gradebook export has a second header row ("Points Possible"): rows whose id cell is
empty or not an id are skipped. The ids must be the ones in the submissions' file names (the
LMS's user ids); ids of the roster that submitted nothing are listed too, so the instructor
sees who is missing.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .csvsafe import csv_writer

_ID = ("id", "student id", "user id", "sis user id", "username", "sid", "login id",
       "sis login id", "identifier", "participant id", "id number", "student_id", "user_id")
_NAME = ("name", "student", "full name", "student name")
_FIRST = ("first name", "firstname", "given name")
_LAST = ("last name", "lastname", "surname", "family name")
_EMAIL = ("email", "email address", "e-mail", "e-mail address")
_SECTION = ("section", "sections", "group", "groups")


class RosterError(ValueError):
    """The roster cannot be read; the message says what to change."""


@dataclass(frozen=True)
class Person:
    """One row of the roster (or what a file name said, when there is no roster)."""

    student_id: str
    name: str = ""
    email: str = ""
    section: str = ""

    @property
    def first_last(self):
        """(first name, last name) for nbgrader's gradebook: the last word is the last name."""
        words = self.name.split()
        if not words:
            return "", ""
        return " ".join(words[:-1]), words[-1]


def _column(header, names):
    normal = [h.strip().lower().replace("_", " ") for h in header]
    for name in names:
        name = name.replace("_", " ")
        if name in normal:
            return normal.index(name)
    return None


def read_roster(path):
    """The people of a roster file, by student id.

    Raises
    ------
    RosterError
        The file is missing, not CSV, or has no id column.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"The roster {path} does not exist.") from None
    except UnicodeDecodeError:
        raise RosterError(f"The roster {path} is not UTF-8 text; export it as CSV (UTF-8)."
                          ) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise RosterError(f"The roster {path} is empty.")
    header = rows[0]
    id_col = _column(header, _ID)
    if id_col is None:
        raise RosterError(f"The roster {path} has no id column; its header is "
                          f"{', '.join(header)}. Name the column of the LMS's user ids 'id'.")
    name_col, first_col, last_col = (_column(header, _NAME), _column(header, _FIRST),
                                     _column(header, _LAST))
    email_col, section_col = _column(header, _EMAIL), _column(header, _SECTION)

    def cell(row, col):
        return row[col].strip() if col is not None and col < len(row) else ""

    people = {}
    for row in rows[1:]:
        student_id = cell(row, id_col)
        if not student_id or student_id.lower().startswith("points possible") or \
                cell(row, name_col).strip().lower() == "points possible":
            continue
        name = cell(row, name_col) or " ".join(
            part for part in (cell(row, first_col), cell(row, last_col)) if part)
        people[student_id] = Person(student_id, name, cell(row, email_col),
                                    cell(row, section_col))
    return people


STUDENTS_HEADER = ["student_id", "name", "email", "section", "original_name", "lms", "files"]


def write_students(path, submissions, roster=None):
    """``students.csv``: every student id of the run, the person behind it, and their files.

    Parameters
    ----------
    path : path
    submissions : list of Submission
    roster : dict of str -> Person, optional
        Takes precedence over the names in the file names; its people with no submission are
        listed with no files.
    """
    roster = roster or {}
    by_student = {}
    for sub in submissions:
        by_student.setdefault(sub.student, []).append(sub)
    ids = sorted(set(by_student) | set(roster))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv_writer(handle)
        writer.writerow(STUDENTS_HEADER)
        for student in ids:
            subs = by_student.get(student, [])
            person = roster.get(student) or roster.get(subs[0].original if subs else "")
            name = person.name if person else (subs[0].display_name if subs else "")
            writer.writerow([student, name, person.email if person else "",
                             person.section if person else "",
                             subs[0].original if subs else "", subs[0].lms if subs else "",
                             " ".join(sub.origin for sub in subs)])
