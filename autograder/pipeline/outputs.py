"""A cap on what the cells of a graded notebook may print (issue 12: giant outputs).

Without it, 50 MB printed in a cell went into the autograded notebook, the feedback page and the
grader's memory (nbgrader's ``LimitOutput`` counts lines, and one line can be 50 MB). The
executor (:class:`~autograder.pipeline.preprocessors.SafeExecute`) asks an :class:`OutputCap`
about every output message as it arrives: a cell keeps at most ``per_cell`` bytes of output and
a notebook at most ``per_notebook``; past that, the cell gets one note saying that its output
was truncated, and the rest is dropped as it comes (never stored). Error outputs are always
kept, shortened to the cap: a grade cell's status is read from them.

A lesson's cells print a few kilobytes and draw plots of 20-100 kB (PNG, base64): the caps only
stop floods.
"""
from __future__ import annotations

from nbformat.v4 import new_output

KiB = 2 ** 10

#: Bytes of output one cell keeps, and a whole notebook.
PER_CELL_BYTES = 1024 * KiB
PER_NOTEBOOK_BYTES = 16 * 1024 * KiB

_SIZED = ("stream", "display_data", "execute_result", "update_display_data", "error")


def truncation_note(limit):
    """The stream output that replaces what a cell printed past the cap."""
    return new_output("stream", name="stdout",
                      text=f"\n[output truncated: this cell printed more than {limit // KiB} "
                           "KiB; the rest was not kept]\n")


def message_bytes(msg):
    """Roughly how many bytes an iopub output message would add to the notebook."""
    content = msg.get("content", {})
    kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
    if kind == "stream":
        return len(content.get("text", ""))
    if kind == "error":
        return len(str(content.get("evalue", ""))) + sum(map(len, content.get("traceback", [])))
    data = content.get("data", {})
    return sum(len(value) if isinstance(value, (str, bytes)) else len(str(value))
               for value in data.values())


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


class OutputCap:
    """Counts the output bytes of each cell of one notebook run (see the module docstring)."""

    def __init__(self, per_cell=PER_CELL_BYTES, per_notebook=PER_NOTEBOOK_BYTES):
        self.per_cell, self.per_notebook = int(per_cell), int(per_notebook)
        self.used, self.total, self.noted = {}, 0, set()

    def admit(self, cell_index, msg, outs):
        """May this output message be stored in the cell? When not, the cell's note is added to
        ``outs`` (once). An error message is always admitted, shortened to fit."""
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        if kind not in _SIZED:
            return True
        if "content" in msg:  # a lone surrogate would stop the graded notebook being written
            msg["content"] = encodable(msg["content"])
        size = message_bytes(msg)
        used = self.used.get(cell_index, 0)
        if kind == "error":
            self._shorten_error(msg)
            return True
        if used + size <= self.per_cell and self.total + size <= self.per_notebook:
            self.used[cell_index] = used + size
            self.total += size
            return True
        if cell_index not in self.noted:
            self.noted.add(cell_index)
            outs.append(truncation_note(min(self.per_cell, self.per_notebook)))
        return False

    def cleared(self, cell_index):
        """The cell cleared its output (a progress display): what it shows counts afresh."""
        self.total -= self.used.pop(cell_index, 0)
        self.noted.discard(cell_index)

    def _shorten_error(self, msg):
        content = msg.get("content", {})
        limit = self.per_cell // 4
        content["evalue"] = str(content.get("evalue", ""))[:limit]
        frames, kept = [], 0
        for frame in content.get("traceback", []):
            frame = str(frame)[:limit]
            if kept + len(frame) > limit:
                frames.append("[traceback truncated]")
                break
            frames.append(frame)
            kept += len(frame)
        content["traceback"] = frames
