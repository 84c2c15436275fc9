"""``grades.csv``: one row per student, a column per lesson and the total, from the gradebook.

:class:`WideCsvExportPlugin` is an nbgrader export plugin, so the same file comes out of
nbgrader's own command for a course graded by this pipeline::

    nbgrader export --exporter=autograder.pipeline.export.WideCsvExportPlugin --to grades.csv

Scores are nbgrader's: each lesson's score is the submission's score minus nbgrader's late
penalty (never below 0), and a lesson a student did not submit counts 0, as in nbgrader's CSV
export. Students are the gradebook's students (every student of the run).
"""
from __future__ import annotations

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin

from .csvsafe import csv_writer


def _number(value):
    """Scores as nbgrader stores them (floats), written without a trailing ``.0`` noise."""
    value = round(float(value), 6)
    return f"{value:g}"


class WideCsvExportPlugin(ExportPlugin):
    """Export ``student_id, last_name, first_name, email, <lesson>..., score, max_score``."""

    def export(self, gradebook):
        destination = self.to or "grades.csv"
        assignments = sorted(a.name for a in gradebook.assignments
                             if not self.assignment or a.name in self.assignment)
        maximum = {a.name: float(a.max_score) for a in gradebook.assignments}
        students = sorted(gradebook.students, key=lambda s: s.id)
        with open(destination, "w", newline="") as handle:
            writer = csv_writer(handle)
            writer.writerow(["student_id", "last_name", "first_name", "email", *assignments,
                             "score", "max_score"])
            for student in students:
                if self.student and student.id not in self.student:
                    continue
                scores = []
                for name in assignments:
                    try:
                        submission = gradebook.find_submission(name, student.id)
                    except MissingEntry:
                        scores.append(0.0)
                        continue
                    penalty = submission.late_submission_penalty or 0.0
                    scores.append(max(0.0, float(submission.score) - float(penalty)))
                writer.writerow([student.id, student.last_name or "", student.first_name or "",
                                 student.email or "", *map(_number, scores),
                                 _number(sum(scores)),
                                 _number(sum(maximum[name] for name in assignments))])
