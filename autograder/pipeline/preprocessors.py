"""The pipeline's additions to nbgrader, as nbgrader preprocessors (configured, not patched in).

* :class:`SafeExecute` replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``.
  nbgrader already interrupts a cell that runs past ``Execute.timeout`` and goes on. When the
  kernel cannot go on (the cell ignored the interrupt, or the kernel died: ``os._exit``, a
  segfault, a resource limit), nbgrader gives up on the whole submission. ``SafeExecute`` instead
  records what happened in that cell, starts a fresh kernel, runs the cells before it again
  (their recorded outputs are kept) and carries on, so the student loses only the points of the
  cells that needed the broken code. Its kernels are started by
  :class:`~autograder.pipeline.kernel_manager.SandboxKernelManager`. It also caps what the
  cells print (:mod:`autograder.pipeline.outputs`, display updates included), gives the
  notebook's cells one shared time budget (:func:`notebook_budget`), and shows a grade cell's
  value as a display, never as nbgrader's partial credit (:func:`no_partial_credit`).
* :class:`RestoringOverwriteCells` replaces ``OverwriteCells``: with ``add_missing_cells`` on,
  nbgrader puts a deleted grade cell back after the cell that preceded it in the source, and
  crashes (``KeyError``) when that cell is not a grade or solution cell of the submission. This
  version puts it after the nearest preceding source cell that the submission still has.
* :class:`HideHiddenTests` and :class:`GradingNotes` run in ``GenerateFeedback``: the first
  removes the hidden tests from the grade cells and every trace of them from the outputs
  (tracebacks quote the line that failed); the second puts the pipeline's notes (restored
  cells, time-outs, a late submission) at the top of the feedback.
"""
from __future__ import annotations

import copy
import re
import time

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.preprocessors.execute import Execute
from nbgrader.preprocessors.overwritecells import OverwriteCells
from jupyter_core.utils import ensure_async
from traitlets import Integer, Unicode

from ..notebook import nbgrader_meta
from .kernel_manager import SandboxKernelManager
from .outputs import PER_CELL_BYTES, OutputCap, bounded_unpack

#: ``ename`` of the error output recorded in a cell that ran past the time limit.
TIMEOUT_ENAME = "CellTimeoutError"
#: ``ename`` of the error output recorded in a cell during which the kernel died.
DEAD_KERNEL_ENAME = "DeadKernelError"
#: ``ename`` of the error output recorded in a cell that could not be run at all.
NOT_RUN_ENAME = "CellNotRun"

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"
HIDDEN_END = "END HIDDEN TESTS"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def error_output(ename, evalue):
    """An nbformat error output whose traceback is just the message (no code is quoted)."""
    return from_dict({"output_type": "error", "ename": ename, "evalue": evalue,
                      "traceback": [f"{ename}: {evalue}"]})


class SafeExecute(Execute):
    """nbgrader's ``Execute``, going on with a fresh kernel when a cell breaks the kernel."""

    max_kernel_restarts = Integer(
        5, help="Fresh kernels started for one notebook before the remaining cells are given up."
    ).tag(config=True)

    interrupt_grace = Integer(
        2, help="Seconds a timed-out cell has to stop after the interrupt before its kernel "
                  "is replaced (a kernel that obeys stops in milliseconds)."
    ).tag(config=True)

    notebook_seconds = Integer(
        0, help="Wall-clock seconds one notebook's cells may take in all, restarts included "
                "(0: :func:`notebook_budget`). Cells that "
                "sleep just under the limit otherwise hold a worker for hours (red team "
                "round 5: 650 of them)."
    ).tag(config=True)

    max_output_bytes = Integer(
        PER_CELL_BYTES, help="Bytes of output a cell keeps (the rest is dropped, with a note)."
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)
        self._output_cap = OutputCap(self.max_output_bytes)

    def output(self, outs, msg, display_id, cell_index):
        # giant outputs (issue 12): dropped as they arrive, never stored (autograder.pipeline.outputs)
        if not self._output_cap.admit(cell_index, msg, outs):
            return None
        return super().output(outs, msg, display_id, cell_index)

    def _update_display_id(self, display_id, msg):
        # an update replaces earlier outputs in place, outside output(): counted here
        targets = self._display_id_map.get(display_id)
        if targets and not self._output_cap.admit_update(
                targets, msg, lambda index: self.nb.cells[index].setdefault("outputs", [])):
            return None
        return super()._update_display_id(display_id, msg)

    def clear_output(self, outs, msg, cell_index):
        self._output_cap.cleared(cell_index)
        return super().clear_output(outs, msg, cell_index)

    def preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self._output_cap = OutputCap(self.max_output_bytes)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        limit = self.timeout
        # What nbgrader records in a cell that timed out and was interrupted (its default says
        # only "No reply from kernel before timeout").
        self.error_on_timeout = {
            "ename": TIMEOUT_ENAME,
            "evalue": f"this cell ran for more than {limit} s and was stopped",
            "traceback": [f"{TIMEOUT_ENAME}: this cell ran for more than {limit} s and was "
                          "stopped"],
        }
        self._configured_iopub_timeout = self.iopub_timeout
        self._budget = self.notebook_seconds or notebook_budget(nb, self.timeout)
        self._out_of_time = time.monotonic() + self._budget
        run_sync(self._async_execute_with_restarts)()
        self.set_widgets_metadata()
        no_partial_credit(self.nb)
        return self.nb, self.resources

    async def _async_handle_timeout(self, timeout, cell=None):
        # nbclient interrupts, then waits iopub_timeout (4 s) for the cell to finish; a loop
        # that ignores the interrupt spins a core all that time. Wait only interrupt_grace; the
        # configured value comes back before the next cell (see async_execute_cell).
        reply = await super()._async_handle_timeout(timeout, cell)
        self.iopub_timeout = min(self.iopub_timeout, self.interrupt_grace)
        return reply

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        self.iopub_timeout = self._configured_iopub_timeout
        return await super().async_execute_cell(cell, cell_index, execution_count,
                                                store_history)

    async def _async_execute_with_restarts(self):
        broken = []                 # indices of the cells that took a kernel down
        start = 0
        while start is not None and start < len(self.nb.cells):
            if len(broken) > self.max_kernel_restarts:
                self._give_up(start, f"the kernel had to be replaced {len(broken)} times in this "
                                     "notebook, so grading stopped here")
                return
            start = await self._async_run_in_fresh_kernel(start, broken)

    async def _async_run_in_fresh_kernel(self, start, broken):
        """Run cells from ``start`` in a new kernel; returns where to go on, or None when done."""
        async with self.async_setup_kernel():
            # a frame packed with millions of empty objects is not parsed (autograder.pipeline
            # .outputs): the output cap below counts only what has been parsed
            self.kc.session.unpack = bounded_unpack(self.kc.session.unpack)
            info = await self.async_wait_for_reply(await ensure_async(self.kc.kernel_info()))
            if info is not None and "language_info" in info["content"]:
                self.nb.metadata["language_info"] = info["content"]["language_info"]
            if start:
                failed = await self._async_replay(start, broken)
                if failed is not None:
                    self._give_up(start, "the cells before it could not be run again in a fresh "
                                         f"kernel (cell {failed + 1} broke it a second time)")
                    return None
            for index in range(start, len(self.nb.cells)):
                if time.monotonic() > self._out_of_time and \
                        self.nb.cells[index].cell_type == "code":
                    self._give_up(index, f"the notebook used up its {self._budget:.0f} s of "
                                         "grading time (every cell's time counts, however "
                                         "short each is)")
                    return None
                try:
                    await self.async_execute_cell(self.nb.cells[index], index,
                                                  execution_count=self.code_cells_executed + 1)
                except CellTimeoutError:
                    self._record(index, TIMEOUT_ENAME,
                                 f"this cell ran for more than {self.timeout} s and ignored the "
                                 "interrupt; its kernel was replaced, the cells before it were "
                                 "run again, and grading went on from the next cell")
                except DeadKernelError:
                    self._record(index, DEAD_KERNEL_ENAME,
                                 "the Python kernel died while running this cell (os._exit, a "
                                 "crash, or a resource limit such as memory or CPU time); a "
                                 "fresh kernel ran the cells before it again and grading went "
                                 "on from the next cell")
                else:
                    continue
                broken.append(index)
                return index + 1
        return None

    async def _async_replay(self, stop, broken):
        """Run the cells before ``stop`` again, silently, keeping the outputs recorded first.

        Grade cells are not run again: they are tests, and define nothing that later cells use.
        Returns the index of a cell that broke the kernel again, or None.
        """
        executed = self.code_cells_executed
        try:
            for index in range(stop):
                original = self.nb.cells[index]
                if index in broken or original.cell_type != "code" or \
                        nbgrader_meta(original).get("grade"):
                    continue
                try:
                    await self.async_execute_cell(copy.deepcopy(original), index,
                                                  execution_count=None)
                except (CellTimeoutError, DeadKernelError):
                    return index
                finally:
                    self.nb.cells[index] = original
        finally:
            self.code_cells_executed = executed
        return None

    def _record(self, index, ename, evalue):
        cell = self.nb.cells[index]
        cell.setdefault("outputs", []).append(error_output(ename, evalue))
        # the count nbclient gave the cell when it started it (the kernel's own count, which a
        # fresh kernel restarts from 1, may have been copied into the cell meanwhile)
        cell.execution_count = self.code_cells_executed
        self.log.warning("cell %d: %s: %s", index, ename, evalue)

    def _give_up(self, start, reason):
        for cell in self.nb.cells[start:]:
            if cell.cell_type == "code":
                cell.outputs = [error_output(NOT_RUN_ENAME, f"not run: {reason}")]


#: Code cells that count towards a notebook's time budget (a lesson has at most 35): cells a
#: student adds cannot buy more time than this.
BUDGET_CELLS = 60
#: The least budget, whatever the time limit: a whole lesson under load at a short limit.
BUDGET_FLOOR = 120


def no_partial_credit(nb):
    """Show a grade cell's value as a display, never as nbgrader's partial credit: the course's
    checks return None, and a value above the cell's points made nbgrader raise, failing the
    whole run at the student's will (``check_exercise`` rebound to return 99: red team round
    5). A cell's score then comes from its errors alone, which the out-of-kernel check
    confirms."""
    for cell in nb.cells:
        if cell.cell_type != "code" or not nbgrader_meta(cell).get("grade"):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                output["output_type"] = "display_data"
                output.pop("execution_count", None)


def notebook_budget(nb, timeout):
    """Seconds a notebook's cells may take in all: three whole time limits (a cell or two that
    run into theirs, a kernel replaced) plus a quarter of a limit per code cell, up to
    :data:`BUDGET_CELLS` cells, and never less than :data:`BUDGET_FLOOR`. At the default 10 s
    limit a lesson gets 100-120 s; its honest run takes 3-15 s."""
    code_cells = sum(1 for cell in nb.cells if cell.cell_type == "code")
    limit = float(timeout or 30)
    return max(BUDGET_FLOOR, limit * (3 + min(code_cells, BUDGET_CELLS) / 4))


class RestoringOverwriteCells(OverwriteCells):
    """nbgrader's ``OverwriteCells``, restoring a deleted grade cell wherever it was deleted."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_ids = [cell.name for cell in source_nb.source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = {nbgrader_meta(cell).get("grade_id"): i
                       for i, cell in enumerate(nb.cells)}
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook",
                             grade_cell.name)
            position = source_ids.index(grade_cell.name)
            source_cell = source_nb.source_cells[position]
            new_cell = self.missing_cell_transform(source_cell, grade_cell.max_score,
                                                   is_solution=grade_cell.name in solution_ids)
            taken = {cell.get("id") for cell in nb.cells}
            new_cell["id"] = next(candidate for candidate in
                                  (f"{grade_cell.name}-restored{'' if n == 0 else f'-{n}'}"
                                   for n in range(len(nb.cells) + 1))
                                  if candidate not in taken)[:64]
            before = [present[name] for name in reversed(source_ids[:position]) if name in present]
            nb.cells.insert(before[0] + 1 if before else 0, new_cell)
        return nb, resources


def _hidden_lines(source):
    """The non-blank lines between the hidden-test delimiters of a cell's source."""
    lines, inside = [], False
    for line in source.splitlines():
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def _without_hidden(source):
    kept, inside = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept).rstrip("\n")


def _quotes(text, hidden):
    plain = _ANSI.sub("", text)
    return any(line in plain for line in hidden)


class HideHiddenTests(NbGraderPreprocessor):
    """Remove the hidden tests, and everything that quotes them, from a graded notebook.

    nbgrader's feedback shows the grade cells as they ran, hidden tests included, and a failing
    hidden test's traceback quotes the line that failed. Here:

    * the hidden-test region of every cell is removed (as ``ClearHiddenTests`` does);
    * in every error output, the traceback frames that quote a hidden line, or that belong to
      the grade cell itself (``Cell In[n]`` of that cell), are dropped; the student keeps the
      frames in their own code and the message;
    * any other output line that quotes a hidden line (``print(In)`` in a later cell) is
      replaced by a note.

    Hidden lines shorter than ``min_quote_length`` characters (a lone ``)``) are not searched
    for in outputs; they say nothing about the test.
    """

    min_quote_length = Integer(8).tag(config=True)
    redacted = Unicode("[a line of a hidden test was removed here]").tag(config=True)

    def preprocess(self, nb, resources):
        every_line = {line for cell in nb.cells for line in _hidden_lines(cell.source)}
        hidden = sorted((line for line in every_line if len(line) >= self.min_quote_length),
                        key=len, reverse=True)
        for cell in nb.cells:
            if HIDDEN_BEGIN in cell.source:
                own_frame = f"Cell In[{cell.get('execution_count')}]" \
                    if cell.get("execution_count") else None
                cell.source = _without_hidden(cell.source)
            else:
                own_frame = None
            for output in cell.get("outputs", []):
                self._scrub(output, hidden, every_line, own_frame)
        return nb, resources

    def _scrub(self, output, hidden, every_line, own_frame):
        if output.get("output_type") == "error":
            evalue = str(output.get("evalue", "")).strip()
            # an assert's message written in a hidden test is part of that test
            secret = bool(evalue) and (_quotes(evalue, hidden) or (
                len(evalue) >= 4 and any(evalue in line for line in every_line)))
            frames = []
            for frame in output.get("traceback", []):
                plain = _ANSI.sub("", frame)
                if _quotes(plain, hidden) or (secret and evalue in plain) or \
                        (own_frame and plain.lstrip().startswith(own_frame)):
                    continue
                frames.append(frame)
            if secret:
                output["evalue"] = "a hidden test failed (hidden tests are not shown)"
            original = output.get("traceback", [])
            if not frames or (original and frames[-1] is not original[-1]):
                # the closing "ename: evalue" line went with a hidden line: say it again
                frames.append(f"{output.get('ename')}: {output.get('evalue')}")
            output["traceback"] = frames
        elif output.get("output_type") == "stream":
            output["text"] = self._redact_text(output.get("text", ""), hidden)
        for mime, value in list(output.get("data", {}).items()):
            if isinstance(value, str):
                output["data"][mime] = self._redact_text(value, hidden)
            elif isinstance(value, list):
                output["data"][mime] = [self._redact_text(v, hidden) if isinstance(v, str) else v
                                        for v in value]

    def _redact_text(self, text, hidden):
        if not hidden or not _quotes(text, hidden):
            return text
        return "".join(self.redacted + "\n" if _quotes(line, hidden) else line
                       for line in text.splitlines(keepends=True))


class GradingNotes(NbGraderPreprocessor):
    """Put the pipeline's notes for this submission at the top of the feedback.

    The notes are stored by the pipeline in the autograded notebook's metadata
    (``metadata.autograder.notes``, a list of sentences written for the student).
    """

    def preprocess(self, nb, resources):
        notes = nb.metadata.get("autograder", {}).get("notes", [])
        if notes:
            text = "**Notes from grading**\n\n" + "\n".join(f"- {note}" for note in notes)
            nb.cells.insert(0, NotebookNode(from_dict({
                "cell_type": "markdown", "metadata": {}, "source": text,
                "id": "autograder-notes"})))
        return nb, resources
