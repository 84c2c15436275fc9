"""The one notebook reader, and the one way to read a cell's nbgrader metadata.

Every part of the package that reads a notebook file reads it here: the grading pipeline, the
student's ``check``, the verifier, the Gradescope runner and the build.
"""
from __future__ import annotations


def nbgrader_meta(cell):
    """The ``nbgrader`` metadata of a cell (``{}`` for a cell nbgrader does not know)."""
    return cell.get("metadata", {}).get("nbgrader", {})
