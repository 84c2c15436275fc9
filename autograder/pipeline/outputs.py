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

import json

from nbformat.v4 import new_output

from ..notebook import encodable

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
    return output_data_bytes(content.get("data", {}), content.get("metadata"))


def output_data_bytes(data, metadata=None):
    """Bytes of an output's data and metadata (the metadata counts: a display's metadata can be
    as large as its data, red team round 5)."""
    size = sum(len(value) if isinstance(value, (str, bytes)) else len(str(value))
               for value in (data or {}).values())
    return size + (len(json.dumps(metadata, default=str)) if metadata else 0)


#: JSON objects and arrays one frame of a kernel's message may hold before it is parsed. An
#: output is text, a picture or a widget's state: a few hundred. `display(..., metadata=
#: {"notes": [{}] * 4_000_000})` is a 16 MB message that took a grading worker to 5 GB once
#: parsed (red team, round 4); the size cap below counts bytes only after parsing.
MAX_FRAME_CONTAINERS = 10_000
#: Frames shorter than this are parsed without counting (they cannot hold many containers).
_COUNT_FROM_BYTES = 64 * KiB
#: A frame longer than this is dropped unread: more than the whole notebook may keep.
MAX_FRAME_BYTES = 32 * 1024 * KiB


def dropped_frame(size, nested=True):
    """What an over-full frame of a kernel message becomes: the content of a short stream or
    display output saying it was dropped (the fields of both, so either kind stays valid)."""
    note = (f"[output dropped: one message of this cell held {size // KiB} KiB of nested JSON "
            "objects, more than any output needs]\n" if nested else
            f"\n[output truncated: this cell printed more than {MAX_FRAME_BYTES // KiB} KiB in "
            "one message; it was not kept]\n")
    return {"name": "stdout", "text": note, "data": {"text/plain": note}, "metadata": {},
            "execution_count": None, "transient": {}}


def bounded_unpack(unpack):
    """``unpack`` (a jupyter_client Session's), refusing to build a frame that holds more than
    :data:`MAX_FRAME_CONTAINERS` objects and arrays: it gets :func:`dropped_frame` instead."""
    from ..notebook import count_containers

    if getattr(unpack, "bounded", False):
        return unpack

    def bounded(data):
        if len(data) > _COUNT_FROM_BYTES:
            raw = bytes(data)
            if len(raw) > MAX_FRAME_BYTES:
                return dropped_frame(len(raw), nested=False)
            if count_containers(raw, MAX_FRAME_CONTAINERS) > MAX_FRAME_CONTAINERS:
                return dropped_frame(len(raw))
        return unpack(data)

    bounded.bounded = True
    return bounded


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

    def admit_update(self, targets, msg, cell_outputs):
        """May an ``update_display_data`` (or a display that reuses an id) replace the data of
        the earlier outputs ``targets`` (``{cell index: [output indices]}``)? nbclient applies
        such a message to those outputs directly, never through ``output()``: without this, N
        displays updated with 1 MB each kept N MB (red team, round 5). Each target is charged
        the growth of its output; when a cell or the notebook would go over its cap, the update
        is refused and the target cell gets the note (once)."""
        if "content" in msg:
            msg["content"] = encodable(msg["content"])
        content = msg.get("content", {})
        new = output_data_bytes(content.get("data", {}), content.get("metadata"))
        growth = {}
        for cell_index, indices in targets.items():
            outputs = cell_outputs(cell_index)
            for index in indices:
                if index < len(outputs):
                    old = output_data_bytes(outputs[index].get("data", {}),
                                            outputs[index].get("metadata"))
                    growth[cell_index] = growth.get(cell_index, 0) + new - old
        total = sum(growth.values())
        over = [c for c, g in growth.items() if self.used.get(c, 0) + g > self.per_cell]
        if over or self.total + total > self.per_notebook:
            for cell_index in over or list(growth):
                if cell_index not in self.noted:
                    self.noted.add(cell_index)
                    cell_outputs(cell_index).append(
                        truncation_note(min(self.per_cell, self.per_notebook)))
            return False
        for cell_index, g in growth.items():
            self.used[cell_index] = max(0, self.used.get(cell_index, 0) + g)
        self.total = max(0, self.total + total)
        return True

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
