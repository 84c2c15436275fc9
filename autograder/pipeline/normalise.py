"""Before nbgrader sees a submission: read it, repair what can be repaired, note what was changed.

Pure functions on notebooks (no kernel, no gradebook), so that each rule is easy to test:

* :func:`parse_notebook` (:mod:`autograder.notebook`, the one reader) reads the bytes;
* :func:`restore_metadata` puts back the nbgrader metadata that some editors strip, matching
  cells to the released version by cell id, then by the ``def`` line of an answer cell, then by
  the exact source of a locked cell;
* :func:`align_with_release` makes the notebook carry exactly the released grade cells, each
  once, with the released nbgrader metadata (whatever a student's edits did to it: a pasted copy
  of a cell, flags flipped, a grade_id renamed or removed, metadata emptied, an extra grade cell
  with points); duplicates and extras become plain cells that earn nothing, and are listed;
* :func:`compare_with_release` lists the test and locked cells that were edited or deleted.
  nbgrader itself restores them when it grades (from the gradebook, by checksum, and with
  ``add_missing_cells``); this list is what ``scores.csv`` flags and the report shows.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from ..notebook import nbgrader_meta

_DEF_LINE = re.compile(r"^\s*def\s+([A-Za-z_]\w*)\s*\(", re.M)


@dataclass
class Changes:
    """What a submission changed in the cells it was given, by grade_id."""

    edited_tests: list = field(default_factory=list)      # grade cells (tests) edited
    deleted_tests: list = field(default_factory=list)     # grade cells (tests) deleted
    edited_locked: list = field(default_factory=list)     # other locked cells edited
    deleted_locked: list = field(default_factory=list)    # other locked cells deleted
    deleted_answers: list = field(default_factory=list)   # answer cells deleted
    metadata_restored: int = 0                            # cells whose metadata was put back
    duplicates: list = field(default_factory=list)        # grade_ids found more than once
    extras: list = field(default_factory=list)            # nbgrader cells the release lacks
    metadata_replaced: list = field(default_factory=list)  # grade_ids with edited metadata

    def notes(self):
        """Sentences for the student's feedback."""
        notes = []
        if self.metadata_restored:
            notes.append(f"The nbgrader information of {self.metadata_restored} cell(s) was "
                         "missing or damaged (some editors remove it); it was put back from the "
                         "lesson so that your answers could be graded. Please work in Jupyter "
                         "next time.")
        if self.duplicates:
            notes.append("These cells of the lesson appeared more than once (a pasted copy?); "
                         "the first one was graded and the copies ran as ordinary cells, "
                         f"worth no points: {', '.join(self.duplicates)}.")
        if self.extras:
            notes.append("Cells marked for nbgrader that are not part of the lesson were run as "
                         f"ordinary cells, worth no points: {', '.join(self.extras)}.")
        if self.metadata_replaced:
            notes.append("The nbgrader settings of these cells had been changed (points, grade "
                         "or answer flags); the lesson's own settings were used: "
                         f"{', '.join(self.metadata_replaced)}.")
        if self.edited_tests:
            notes.append("These test cells had been changed and were put back as released "
                         f"before grading: {', '.join(self.edited_tests)}.")
        if self.deleted_tests:
            notes.append("These test cells had been deleted and were put back before grading: "
                         f"{', '.join(self.deleted_tests)}.")
        if self.edited_locked or self.deleted_locked:
            notes.append("Some read-only cells of the lesson had been changed or deleted; the "
                         "released versions were used: "
                         f"{', '.join(self.edited_locked + self.deleted_locked)}.")
        if self.deleted_answers:
            notes.append("These answer cells were missing: "
                         f"{', '.join(self.deleted_answers)}.")
        return notes

    def review_reasons(self):
        """Why an instructor may want to look at this submission (empty: nothing unusual)."""
        reasons = []
        if self.metadata_restored:
            reasons.append(f"nbgrader metadata missing or damaged, restored on "
                           f"{self.metadata_restored} cell(s)")
        if self.duplicates:
            reasons.append(f"cells present more than once (copies ignored): "
                           f"{', '.join(self.duplicates)}")
        if self.extras:
            reasons.append(f"nbgrader cells not in the release (ignored, no points): "
                           f"{', '.join(self.extras)}")
        if self.metadata_replaced:
            reasons.append(f"nbgrader metadata edited (the released metadata was used): "
                           f"{', '.join(self.metadata_replaced)}")
        if self.edited_tests:
            reasons.append(f"test cells edited: {', '.join(self.edited_tests)}")
        if self.deleted_tests:
            reasons.append(f"test cells deleted: {', '.join(self.deleted_tests)}")
        if self.edited_locked or self.deleted_locked:
            reasons.append("read-only cells edited or deleted: "
                           f"{', '.join(self.edited_locked + self.deleted_locked)}")
        if self.deleted_answers:
            reasons.append(f"answer cells deleted: {', '.join(self.deleted_answers)}")
        return reasons


def _defined_function(source):
    match = _DEF_LINE.search(source)
    return match.group(1) if match else None


def _drop_invalid_metadata(nb):
    """Remove nbgrader metadata that nbgrader would refuse (a hand-edited ``points``, a missing
    ``grade_id``...): the cell is then matched to the release like a stripped one."""
    from nbgrader.nbgraderformat import MetadataValidator

    validator = MetadataValidator()
    for cell in nb.cells:
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        try:
            validator.validate_cell(validator.upgrade_cell_metadata(copy.deepcopy(cell)))
            if nbgrader_meta(cell).get("grade"):
                float(nbgrader_meta(cell)["points"])
        except Exception:  # nbgrader raises several types for broken metadata
            del cell.metadata["nbgrader"]


def restore_metadata(nb, release):
    """Put back the nbgrader metadata of cells that lost it (or whose metadata is broken).

    A cell of the submission without nbgrader metadata gets the metadata of the released cell
    it matches: the same cell id; else, for an answer cell, the same function name on its first
    ``def`` line; else, for a locked cell, the same source. Cells that already carry valid
    nbgrader metadata are left alone. Returns ``(notebook copy, number of cells restored)``.
    """
    nb = copy.deepcopy(nb)
    _drop_invalid_metadata(nb)
    return _restore_stripped(nb, release)


def _restore_stripped(nb, release):
    """:func:`restore_metadata` on ``nb`` itself (already a copy, invalid metadata dropped)."""
    present = {nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None}
    wanted = [c for c in release.cells if nbgrader_meta(c).get("grade_id")
              and nbgrader_meta(c)["grade_id"] not in present]
    if not wanted:
        return nb, 0
    by_id = {c.get("id"): c for c in wanted if c.get("id")}
    by_function = {_defined_function(c.source): c for c in wanted
                   if nbgrader_meta(c).get("solution") and c.cell_type == "code"
                   and _defined_function(c.source)}
    by_source = {c.source: c for c in wanted if nbgrader_meta(c).get("locked")}
    used, restored = set(), 0
    for cell in nb.cells:
        if nbgrader_meta(cell):
            continue
        match = by_id.get(cell.get("id"))
        if match is None and cell.cell_type == "code":
            match = by_function.get(_defined_function(cell.source))
        if match is None:
            match = by_source.get(cell.source)
        if match is None or match.cell_type != cell.cell_type:
            continue
        grade_id = nbgrader_meta(match)["grade_id"]
        if grade_id in used:
            continue
        used.add(grade_id)
        cell.metadata["nbgrader"] = copy.deepcopy(nbgrader_meta(match))
        for key in ("editable", "deletable"):
            if key in match.metadata:
                cell.metadata[key] = match.metadata[key]
        restored += 1
    return nb, restored


def _label(number, cell):
    first = next((line.strip() for line in cell.get("source", "").splitlines() if line.strip()),
                 "")
    return f"cell {number} (`{first[:37] + '...' if len(first) > 40 else first}`)"


def align_with_release(nb, release):
    """The submission with exactly the released grade cells, each once, as released.

    Every cell that claims a released ``grade_id`` keeps its source and gets the released
    nbgrader metadata (and ``editable``/``deletable``); of several cells claiming one
    ``grade_id`` (a pasted copy), the one with the released cell id is kept, else the first;
    the others, cells claiming an unknown ``grade_id`` or none, and cells whose type differs
    from the released one lose their nbgrader metadata: they run as ordinary cells and earn
    nothing. Cells that lost their metadata (stripped by an editor, renamed, emptied) are then
    matched to the missing released cells as :func:`restore_metadata` does. nbgrader puts back
    the released cells that are still missing (``add_missing_cells``).

    Returns
    -------
    (notebook, Changes)
        A copy; ``Changes`` has ``duplicates``, ``extras``, ``metadata_replaced`` and
        ``metadata_restored`` filled in (the edited and deleted cells come from
        :func:`compare_with_release`).
    """
    nb = copy.deepcopy(nb)
    changes = Changes()
    _drop_invalid_metadata(nb)
    released = {}
    for cell in release.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id:
            released.setdefault(grade_id, cell)
    claims = {}
    for number, cell in enumerate(nb.cells, start=1):
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        grade_id = nbgrader_meta(cell).get("grade_id")
        match = released.get(grade_id)
        if match is None or match.cell_type != cell.cell_type:
            if nbgrader_meta(cell).get("grade") or nbgrader_meta(cell).get("solution") or \
                    nbgrader_meta(cell).get("locked"):
                changes.extras.append(grade_id or _label(number, cell))
            del cell.metadata["nbgrader"]
            continue
        claims.setdefault(grade_id, []).append(cell)
    for grade_id, cells in claims.items():
        keep = next((c for c in cells if c.get("id") and c.get("id") == released[grade_id]
                     .get("id")), cells[0])
        for cell in cells:
            if cell is not keep:
                del cell.metadata["nbgrader"]
        if len(cells) > 1:
            changes.duplicates.append(grade_id)
    nb, changes.metadata_restored = _restore_stripped(nb, release)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id not in released:
            continue
        match = released[grade_id]
        wanted = copy.deepcopy(nbgrader_meta(match))
        # nbgrader itself writes checksum and cell_type at release; a copy without them (a
        # solution-based notebook, an older build) has not changed what is graded
        ignored = ("checksum", "cell_type")
        mine = {k: v for k, v in nbgrader_meta(cell).items() if k not in ignored}
        if mine != {k: v for k, v in wanted.items() if k not in ignored} and \
                grade_id not in changes.metadata_replaced:
            changes.metadata_replaced.append(grade_id)
        cell.metadata["nbgrader"] = wanted
        for key in ("editable", "deletable"):
            if key in match.metadata:
                cell.metadata[key] = match.metadata[key]
            else:
                cell.metadata.pop(key, None)
    return nb, changes


def compare_with_release(nb, release):
    """Which released test, locked and answer cells the submission edited or deleted."""
    from nbgrader.utils import compute_checksum

    changes = Changes()
    submitted = {}
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id and grade_id not in submitted:
            submitted[grade_id] = cell
    for cell in release.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        is_test = meta.get("grade") and not meta.get("solution")
        mine = submitted.get(grade_id)
        if mine is None:
            if is_test:
                changes.deleted_tests.append(grade_id)
            elif meta.get("locked"):
                changes.deleted_locked.append(grade_id)
            elif meta.get("solution"):
                changes.deleted_answers.append(grade_id)
            continue
        if not meta.get("locked"):
            continue
        checksum = meta.get("checksum")
        try:
            changed = mine.source != cell.source or \
                (checksum is not None and compute_checksum(mine) != checksum)
        except (KeyError, ValueError):          # broken metadata counts as an edit
            changed = True
        if changed:
            (changes.edited_tests if is_test else changes.edited_locked).append(grade_id)
    return changes
