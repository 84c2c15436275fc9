"""The kernel manager of a grading kernel: its connection folder, its user id, its watchdog.

nbgrader's executor (:class:`~autograder.pipeline.preprocessors.SafeExecute`) starts every
grading kernel through :class:`SandboxKernelManager`; the sandbox itself (bubblewrap, limits) is
in the kernel's launcher (:mod:`autograder.sandbox`).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import Float, Integer, default

from ..sandbox import reaper, users
from ..sandbox.policy import PROFILES


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager for the grading sandbox (:mod:`autograder.sandbox`).

    * Each kernel gets a connection folder of its own in the runtime folder
      (``JUPYTER_RUNTIME_DIR``, one per grading worker), for its connection file and IPC
      sockets. jupyter_client would put the file in ``/tmp`` and the sockets next to the working
      directory, which a sandboxed kernel does not see (private ``/tmp``, a working folder of its
      own); the connection folder is the one folder the sandbox shares with the grader, and the
      one the kernel's own user id may write to.
    * When the grader is root, each kernel gets a user id of its own
      (:func:`~autograder.sandbox.users.new_uid`), passed to the launcher in
      ``AUTOGRADER_SANDBOX_UID``; the launcher uses it when the policy says so.
    * While the kernel runs, its processes are counted every ``watch_interval`` seconds; a
      kernel with ``max_processes`` of them (half its cap: a lesson kernel has one) is a fork
      bomb and is killed at once. The cell then ends as "kernel died" within a second, instead
      of spinning up to the process cap on every core until its time limit, slowing the other
      workers' kernels. When a cell is interrupted (it ran past its time), the processes it
      started are killed first (:func:`~autograder.sandbox.reaper.kill_strays`).
    * When the kernel is gone, every process left with that user id is killed, the files it
      left are deleted and its working folder is given back
      (:func:`~autograder.sandbox.reaper.end_user`), then the connection folder is
      removed. nbclient calls ``cleanup_resources`` after every kernel, dead ones included.
    """

    kernel_uid = Integer(None, allow_none=True,
                         help="User id of the kernel (None: the grader's own).")
    max_processes = Integer(
        PROFILES["kernel"]["processes"] // 2,
        help="Processes of a kernel's user id at which the kernel is killed as a fork bomb."
    ).tag(config=True)
    max_memory_bytes = Integer(
        0, help="Resident bytes a kernel's processes may hold together (0: the policy's "
                "per-process address space, read from the kernel's command)."
    ).tag(config=True)
    watch_interval = Float(0.5, help="Seconds between two counts of a kernel's processes."
                           ).tag(config=True)
    exit_poll_interval = Float(0.01, help="Seconds between two looks whether a kernel that "
                               "was told to end has ended.").tag(config=True)
    #: Why the manager killed its kernel ('' when it did not): see ``_watch_processes``.
    killed_because = ""

    @default("kernel_uid")
    def _default_kernel_uid(self):
        return users.new_uid()

    @default("connection_file")
    def _default_connection_file(self):
        folder = os.path.join(jupyter_runtime_dir(), f"kernel-{uuid.uuid4().hex[:12]}")
        os.makedirs(folder, mode=0o700)
        self._own_connection_folder = folder
        return os.path.join(folder, "kernel.json")

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        env = dict(kw.get("env") or os.environ)
        env.pop(users.UID_ENV, None)
        if self.kernel_uid is not None:
            env[users.UID_ENV] = str(self.kernel_uid)
        kw["env"] = env
        self._kernel_cwd = str(kw.get("cwd") or os.getcwd())
        if not self.max_memory_bytes:
            self.max_memory_bytes = _policy_memory_bytes(kernel_cmd)
        await super()._async_launch_kernel(kernel_cmd, **kw)
        if self.kernel_uid is not None:
            self._watchdog = asyncio.ensure_future(self._watch_processes(self.kernel_uid))

    async def _watch_processes(self, uid):
        """Kill the kernel as soon as its user id has ``max_processes`` processes, or its
        processes together hold more resident memory than one of them may address."""
        while True:
            await asyncio.sleep(self.watch_interval)
            pids = reaper.processes_of(uid)
            if len(pids) >= self.max_processes:
                # for the executor's message about the cell that was running
                self.killed_because = (f"it started {len(pids)} processes at once (a fork "
                                       f"bomb?); a kernel may have {self.max_processes - 1}")
            elif self.max_memory_bytes and len(pids) > 1 and \
                    reaper.resident_bytes(pids) > self.max_memory_bytes:
                # the address-space limit is per process: ten children of 1 GB each passed it
                # (red team round 5)
                self.killed_because = (f"its {len(pids)} processes together used more than "
                                       f"{self.max_memory_bytes // 2 ** 20} MiB of memory, what "
                                       "one process of a kernel may use")
            else:
                continue
            self.log.warning("kernel user %d: %s; killed", uid, self.killed_because)
            reaper.kill_user(uid)
            return

    async def _async_cleanup_resources(self, restart=False):
        watchdog = getattr(self, "_watchdog", None)
        if watchdog is not None:
            watchdog.cancel()
            self._watchdog = None
        reaper.end_user(self.kernel_uid, getattr(self, "_kernel_cwd", None))
        await super()._async_cleanup_resources(restart=restart)
        folder = getattr(self, "_own_connection_folder", None)
        if folder and not restart:
            shutil.rmtree(folder, ignore_errors=True)

    async def _async_interrupt_kernel(self):
        # A cell that ran past its time may have started processes (some spinning on every
        # core). They go first: none outlives the cell, and the kernel has the CPU to handle
        # the interrupt.
        strays = reaper.kill_strays(self.kernel_uid)
        if strays:
            self.log.warning("killed %d process(es) the interrupted cell had started", strays)
        await super()._async_interrupt_kernel()

    async def _async_wait(self, pollinterval=0.1):
        # jupyter_client looks whether a killed kernel is gone every 100 ms; a kernel killed
        # with SIGKILL (shutdown_kernel="immediate") is gone within milliseconds, so looking
        # every 10 ms ends each kernel 0.1 s sooner (a check has one kernel; a class run one
        # per submission). The same kill, the same limit on the wait (the caller's).
        await super()._async_wait(pollinterval=min(pollinterval, self.exit_poll_interval))

    # AsyncKernelManager binds its public names to the base class's coroutines: rebind them.
    _launch_kernel = _async_launch_kernel
    cleanup_resources = _async_cleanup_resources
    interrupt_kernel = _async_interrupt_kernel


def _policy_memory_bytes(kernel_cmd):
    """The address space the sandbox launcher gives one process (``launch.command``: the policy
    file follows the launcher), or 0 for a kernel started without it."""
    from ..sandbox.launch import LAUNCHER
    from ..sandbox.policy import Policy

    command = [str(part) for part in kernel_cmd]
    if str(LAUNCHER) not in command:
        return 0
    try:
        return int(Policy.read(command[command.index(str(LAUNCHER)) + 1]).memory_mib) * 2 ** 20
    except (OSError, ValueError, IndexError, KeyError, TypeError):
        return 0
