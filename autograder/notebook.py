"""The one notebook reader, and the one way to read a cell's nbgrader metadata.

Every part of the package that reads a notebook file reads it here: the grading pipeline (a
student's submission, the released and solved lessons, the autograded copies), the student's
``check``, the out-of-kernel verifier, the Gradescope runner and the build. What it accepts:

* a UTF-8 byte-order mark (some Windows editors save one; nbformat's own reader refuses it);
* a cell ``source`` (and an output's ``text``) as one string or as a list of lines;
* nbformat 3 and every 4.x, always returned as format 4;
* at most :data:`MAX_NOTEBOOK_BYTES` bytes of a file (read with bounded memory).

A file that is not a notebook raises :class:`MalformedNotebook`, whose message says what is
wrong in words a student can act on.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat.notebooknode import NotebookNode

#: A notebook larger than this is not read (a lesson notebook is well under 1 MB).
MAX_NOTEBOOK_BYTES = 64 * 2 ** 20
#: JSON objects and arrays a submitted notebook may hold. A lesson's notebook holds about a
#: thousand (a few thousand with outputs and widget state); 1.5 million empty ones in a cell's
#: metadata fit in 4.4 MiB and took a grading worker to 5 GB (objects) or 1 GB (arrays) (red
#: team, round 4). Counted in the text, before anything is parsed.
MAX_JSON_CONTAINERS = 100_000
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BYTES = re.compile(rb'"(?:[^"\\]|\\.)*"')


class MalformedNotebook(ValueError):
    """The bytes are not a notebook; the message says why, for the report and the student."""


def nbgrader_meta(cell):
    """The ``nbgrader`` metadata of a cell: ``{}`` for a cell nbgrader does not know, and for
    metadata that is not an object (a submission's cells are read before anyone trusts them)."""
    meta = cell.get("metadata") or {}
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbgrader if isinstance(nbgrader, dict) else {}


#: Kinds of grade cell. A ``test`` is autograded; the other two are graded by a person.
TEST, WRITTEN, GRADED_CODE = "test", "written", "graded code"


@dataclass(frozen=True)
class GradeCell:
    """One grade cell of a lesson, as nbgrader scores it (read once, by :func:`grade_cells`).

    Attributes
    ----------
    lesson : str
        The lesson's id, e.g. ``"01_single_neuron"`` ('' when not known).
    grade_id : str
    points : float
        The cell's maximum score.
    kind : {"test", "written", "graded code"}
        ``test``: a code cell of tests, autograded. ``written``: a markdown answer, graded by
        hand. ``graded code``: a code cell that is both answer and grade, graded by hand.
    source : str
        The cell as the notebook holds it (hidden tests included in the instructor's version).
    """

    lesson: str
    grade_id: str
    points: float
    kind: str
    source: str = ""

    @property
    def is_test(self):
        """Is it autograded (a code cell of tests)?"""
        return self.kind == TEST


def grade_cells(nb, lesson=""):
    """The grade cells of a notebook, in notebook order.

    Parameters
    ----------
    nb : NotebookNode or dict
        Format 4 (from :func:`read_notebook`, or :func:`autograder.build.text_to_notebook`).
    lesson : str

    Returns
    -------
    list of GradeCell
    """
    cells = []
    for cell in nb.get("cells", []):
        meta = nbgrader_meta(cell)
        if not meta.get("grade"):
            continue
        if cell.get("cell_type") != "code":
            kind = WRITTEN
        else:
            kind = GRADED_CODE if meta.get("solution") else TEST
        source = cell.get("source", "")
        cells.append(GradeCell(lesson, str(meta.get("grade_id") or ""),
                               float(meta.get("points", 0) or 0), kind,
                               source if isinstance(source, str) else "".join(source)))
    return cells


def encodable(value):
    """``value`` with every string made UTF-8-encodable (a lone surrogate becomes ``?``).

    A kernel can send text that Python decodes but cannot encode again (``"\\ud800"`` in the
    message's JSON): stored as it is, it made writing the graded notebook fail after nbgrader
    had saved the kernel's scores (red team, round 3).
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {encodable(k): encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encodable(v) for v in value]
    return value


def count_containers(text, limit=None):
    """How many JSON objects and arrays ``text`` holds: its brackets outside strings (counted
    in strings too first, which is cheap and enough whenever that stays within ``limit``)."""
    limit = MAX_JSON_CONTAINERS if limit is None else limit
    raw = isinstance(text, (bytes, bytearray))   # a kernel message's frame, not yet decoded
    opening, strings, empty = ((b"{", b"["), _JSON_BYTES, b'""') if raw else \
        (("{", "["), _JSON_STRING, '""')
    count = sum(map(text.count, opening))
    if count <= limit:
        return count
    bare = strings.sub(empty, text)
    return sum(map(bare.count, opening))


def parse_notebook(data, *, validate=True):
    """A notebook (format 4) from a file's bytes.

    Parameters
    ----------
    data : bytes
        The whole file.
    validate : bool
        True (a submission, before nbgrader sees it): the notebook must pass nbformat's schema,
        as nbgrader needs. False (a file the grader wrote itself, or the verifier's copy):
        what nbformat's own reader accepts, a schema error only logged.

    Returns
    -------
    NotebookNode
        Format 4, with every list of lines (a ``source``, an output's ``text``) joined.

    Raises
    ------
    MalformedNotebook
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedNotebook(f"the file is not UTF-8 text ({error})") from None
    if count_containers(text) > MAX_JSON_CONTAINERS:
        raise MalformedNotebook(
            f"the file holds more than {MAX_JSON_CONTAINERS:,} JSON objects and arrays, where a "
            "lesson's notebook holds a few thousand; submit the notebook saved from Jupyter (if "
            "it is very large, clear its outputs first)")
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise MalformedNotebook(f"the file is not valid JSON ({error}); it may have been cut "
                                "short or edited outside Jupyter") from None
    except RecursionError:
        # json recurses once per level: a few thousand nested brackets exhaust the stack, a
        # refusal in well under a second (no real notebook nests more than a dozen levels).
        raise MalformedNotebook("the file is not valid JSON (nested too deeply to be a "
                                "notebook); submit the notebook saved from Jupyter, not an "
                                "edited or generated file") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")),
                                                   list):
        raise MalformedNotebook("the file is JSON but not a Jupyter notebook (no list of cells)")
    if "\\ud" in text or "\\uD" in text:
        # a lone surrogate (a JSON escape that is no character) cannot be written back as
        # UTF-8: nbgrader, the pages and the CSVs would fail on it (red team, round 4)
        repaired = encodable(raw)
        if repaired != raw:
            text = json.dumps(repaired)
    import nbformat   # on first use: the verifier imports this module before any read

    try:
        nb = nbformat.reads(text, as_version=4)   # format 3 converted, lists of lines joined
        if validate:
            nbformat.validate(nb)
    except Exception as error:  # nbformat raises several types for a broken structure
        message = str(error).strip().splitlines()
        raise MalformedNotebook("the file is not a valid Jupyter notebook "
                                f"({type(error).__name__}: {message[0] if message else ''})"
                                ) from None
    return nb


def read_bytes(path, max_bytes=MAX_NOTEBOOK_BYTES):
    """The bytes of a notebook file, never more than ``max_bytes`` of them in memory.

    ``max_bytes=None`` reads the whole file: only for a file the grader wrote itself (an
    autograded notebook, whose outputs the executor has capped), never for a submission.

    Raises
    ------
    FileNotFoundError, with the path
    MalformedNotebook
        The file is larger than ``max_bytes``.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise FileNotFoundError(f"No notebook at {path}.") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise MalformedNotebook(f"the file is larger than {max_bytes} bytes")
    return data


def read_notebook(path, max_bytes=MAX_NOTEBOOK_BYTES, *, validate=True) -> NotebookNode:
    """Read the notebook file at ``path`` (format 4): :func:`read_bytes`, then
    :func:`parse_notebook`.

    Raises
    ------
    FileNotFoundError
    MalformedNotebook
    """
    return parse_notebook(read_bytes(path, max_bytes), validate=validate)
