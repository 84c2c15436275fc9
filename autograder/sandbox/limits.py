"""Resource limits, set in Python with ``setrlimit`` on the launcher itself (no ``prlimit``):
they are inherited by everything it executes (bubblewrap, the kernel, the verifier's runner)."""
from __future__ import annotations

import os


def count_processes(uid):
    """Processes and threads of ``uid`` now (what ``RLIMIT_NPROC`` counts)."""
    count = 0
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                pass
    return count


def caps(limits, own_uid, cap_shared_uid=False):
    """``{resource: value}`` for a sandbox's :meth:`Policy.limits <autograder.sandbox.policy.
    Policy.limits>`.

    The process cap counts per user: with a user id of its own it is the sandbox's; without one
    it is set only with ``cap_shared_uid`` (the verifier's profile), raised by what that user
    runs already, so that a fork bomb still stops soon.
    """
    import resource

    found = {
        resource.RLIMIT_AS: limits.get("address_space_bytes"),
        resource.RLIMIT_CPU: limits.get("cpu_seconds"),
        resource.RLIMIT_FSIZE: limits.get("file_size_bytes"),
        resource.RLIMIT_NOFILE: limits.get("open_files"),
        resource.RLIMIT_CORE: 0,
    }
    if own_uid:
        found[resource.RLIMIT_NPROC] = limits.get("processes")
    elif cap_shared_uid and limits.get("processes") and os.geteuid() != 0:
        found[resource.RLIMIT_NPROC] = limits["processes"] + count_processes(os.getuid())
    return found


def apply(limits, own_uid, cap_shared_uid=False):
    """Set the limits on this process (soft = hard: the sandbox cannot raise them)."""
    import resource

    for which, value in caps(limits, own_uid, cap_shared_uid).items():
        if value is None or (value == 0 and which != resource.RLIMIT_CORE):
            continue
        try:
            _, hard = resource.getrlimit(which)
            value = int(value) if hard == resource.RLIM_INFINITY else min(int(value), hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):  # not every OS lets every limit be set (macOS: RLIMIT_AS)
            pass
