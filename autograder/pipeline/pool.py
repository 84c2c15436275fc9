"""Worker processes that grade submissions in parallel, never two of one student at once.

nbgrader keeps per-student state (the student row, ``autograded/<student>/``), so a student's
submissions are graded one after another; different students run side by side. The parent
hands out tasks in the order it is given (the most expensive first, so that no long task is left
for the end while other workers idle), watches each worker, and replaces a worker that dies or
overruns its deadline (the task is then recorded as an error, and the batch goes on). Between
hand-outs the parent may run short set-up steps of its own (putting the next lesson into the
gradebook), so that the workers start grading before all of the set-up is done. A worker dies
with the parent, even one killed by ``kill -9`` (:func:`die_with_parent`); its kernels die with
it (the sandbox's own parent-death signal).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from multiprocessing.connection import wait

from .record import WorkerCrash


#: prctl(2) option: the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid=None):
    """Make this worker die when the grader dies, even by ``kill -9``.

    On Linux the kernel sends SIGKILL to the worker when its parent ends (``prctl``
    ``PR_SET_PDEATHSIG``); if the parent had already gone before the call, the worker exits
    now. Elsewhere the worker notices when its pipe to the parent closes. Returns whether the
    signal was set.
    """
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)                      # the parent died before the signal was set
    return True


def _context():
    # fork: workers start at once with nbgrader already imported (the parent never starts a
    # kernel or a zmq context before forking). macOS and Windows only fork safely via spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


class _Worker:
    def __init__(self, index, setup):
        from .worker import worker_main

        context = _context()
        self.index = index
        self.connection, child = context.Pipe()
        self.process = context.Process(target=worker_main, args=(index, child, setup),
                                       name=f"autograder-worker-{index}", daemon=True)
        self.process.start()
        child.close()
        self.task = None
        self.deadline = None

    def send(self, kind, payload, deadline):
        self.task = (kind, payload)
        self.deadline = time.monotonic() + deadline
        self.connection.send((kind, payload))

    def kill(self):
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(5)
        self.connection.close()

    def stop(self):
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(10)
        if self.process.is_alive():
            self.kill()


class WorkerPool:
    """``workers`` grading processes sharing ``setup`` (see :func:`worker.worker_main`)."""

    def __init__(self, workers, setup):
        self.setup = setup
        self.workers = [_Worker(i, setup) for i in range(max(1, int(workers)))]

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is None:
            for worker in self.workers:
                worker.stop()
        else:                       # interrupted or failed: do not wait for running notebooks
            for worker in self.workers:
                worker.kill()

    def probe(self, workdir, deadline=180):
        """Run the sandbox probe in the first worker; returns '' or what went wrong."""
        self.start_probe(workdir, deadline)
        return self.finish_probe(deadline)

    def start_probe(self, workdir, deadline=180):
        """Start the sandbox probe in the first worker (the parent may work meanwhile)."""
        self.workers[0].send("probe", str(workdir), deadline)

    def finish_probe(self, deadline=180):
        """Wait for the probe started by :meth:`start_probe`; returns '' or what went wrong."""
        worker = self.workers[0]
        ready = wait([worker.connection, worker.process.sentinel], timeout=deadline)
        worker.task = None
        if worker.connection in ready:
            reply = worker.connection.recv()
            return reply.reason if isinstance(reply, WorkerCrash) else reply
        self._replace(worker)
        return "the probe kernel did not answer in time" if not ready else \
            "the worker process died while starting a kernel"

    def _replace(self, worker):
        worker.kill()
        self.workers[worker.index] = _Worker(worker.index, self.setup)

    def run(self, tasks, deadline_of, on_result, ready=None, meanwhile=()):
        """Grade ``tasks`` (objects with ``.student``), in order; call ``on_result(task, record)``.

        Parameters
        ----------
        tasks : list
            Handed out in this order (the most expensive first keeps the workers busy to the
            end), skipping a task whose student is being graded right now.
        deadline_of : callable
            ``deadline_of(task)``: the most seconds a task may take before its worker is killed.
        on_result : callable
            Called with the worker's :class:`~.record.SubmissionRecord`, or a
            :class:`~.record.WorkerCrash` when the worker failed.
        ready : callable, optional
            ``ready(task)``: may the task be handed out yet (default: always)?
        meanwhile : iterable of callables
            Set-up steps the parent runs one at a time while the workers grade (the tasks
            ``ready`` holds back wait for them). A worker that finishes during a step waits for
            its end, so each step should be short (about a second).
        """
        pending = deque(tasks)
        steps = iter(meanwhile)
        busy = set()
        while pending or self._running():
            self._hand_out(pending, busy, deadline_of, ready or (lambda task: True))
            step = next(steps, None)
            if step is not None:
                step()
            elif pending and not self._running():
                raise RuntimeError(f"{len(pending)} task(s) never became ready to grade")
            # after a step, collect what finished meanwhile without waiting
            self._collect(busy, deadline_of, on_result, timeout=0 if step else 1.0)

    def _running(self):
        return [w for w in self.workers if w.task is not None]

    def _hand_out(self, pending, busy, deadline_of, ready):
        """Give each idle worker the first pending task it may take; the tasks it skips keep
        their places (their order is the plan's)."""
        for worker in self.workers:
            if worker.task is not None:
                continue
            task = next((t for t in pending if t.student not in busy and ready(t)), None)
            if task is None:
                return
            pending.remove(task)
            busy.add(task.student)
            worker.send("grade", task, deadline_of(task))

    def _collect(self, busy, deadline_of, on_result, timeout):
        """Wait up to ``timeout`` s; pass on every finished, crashed or overdue task."""
        running = self._running()
        ready = wait([w.connection for w in running] + [w.process.sentinel for w in running],
                     timeout=timeout)
        now = time.monotonic()
        for worker in running:
            task = worker.task[1]
            if worker.connection in ready:
                try:
                    record = worker.connection.recv()
                except (EOFError, OSError):
                    record = WorkerCrash("the worker process died while grading")
                    self._replace(worker)
            elif worker.process.sentinel in ready or not worker.process.is_alive():
                record = WorkerCrash("the worker process died while grading (exit code "
                                     f"{worker.process.exitcode})")
                self._replace(worker)
            elif now > worker.deadline:
                record = WorkerCrash("grading this submission took longer than "
                                     f"{deadline_of(task):.0f} s; its worker was stopped")
                self._replace(worker)
            else:
                continue
            worker = self.workers[worker.index]
            worker.task = None
            busy.discard(task.student)
            on_result(task, record)
