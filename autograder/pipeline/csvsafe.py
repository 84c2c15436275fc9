"""The one CSV writer of the grader: text a spreadsheet would run as a formula is neutralised.

Every CSV the grader writes (scores, the roster, the gradebook export, the Canvas and Moodle
files) holds text that came from students or their LMS: names, ids, file names, messages. A
spreadsheet opening the file runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and a leading tab or carriage return hides such a start), so ``=HYPERLINK(...)`` in a
display name would run on the instructor's machine. Such a text cell is written with a leading
apostrophe, which spreadsheets show as plain text (the OWASP advice for CSV injection). Numbers,
text that is just a number such as ``-1.5``, and a lone sign (Moodle's worksheet writes ``-`` for
"no date") are left alone: a negative score stays a number.
"""
from __future__ import annotations

import csv

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralise(cell):
    """``cell`` as it is safe to write: text starting like a formula gets a leading ``'``."""
    if (isinstance(cell, str) and len(cell) > 1 and cell.startswith(FORMULA_STARTS)
            and not _is_number(cell)):
        return "'" + cell
    return cell


class _SafeWriter:
    """A :func:`csv.writer` whose rows pass through :func:`neutralise`."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **options) -> _SafeWriter:
    """The writer every CSV of the grader is written with (same arguments as csv.writer)."""
    return _SafeWriter(handle, **options)
