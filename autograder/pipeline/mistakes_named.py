"""The registered mistakes that a failed check named in a graded cell's error output.

A check that recognises a known mistake says so in its message (``This looks like a known
mistake: ...``, :mod:`autograder.checks`); the report counts them per class.
"""
from __future__ import annotations

import re

from .status import error_outputs

_KNOWN_MISTAKE = "This looks like a known mistake: "


def mistake_catalogue():
    """``{message: key}`` of every registered mistake, longest message first."""
    from ..exercises import all_exercises

    found = {}
    for exercise in all_exercises():
        for wrong in exercise.mistakes:
            found.setdefault(wrong.message, wrong.key)
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def named_mistakes(cell, catalogue):
    """The registered mistakes that a failed check named in this cell: ``[(key, message)]``."""
    found = []
    for output in error_outputs(cell):
        text = str(output.get("evalue", ""))
        for start in [m.end() for m in re.finditer(re.escape(_KNOWN_MISTAKE), text)]:
            rest = text[start:]
            for message, key in catalogue.items():
                if rest.startswith(message):
                    found.append((key, message))
                    break
    return found
