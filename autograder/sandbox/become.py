"""Switch a process to a sandbox's user id for good, then (as a script) become the sandboxed
program.

Inside bubblewrap this file runs on its own, as ``python -I -S become.py --become UID -- ARGV``
(mounted read-only at :data:`INSIDE`): the standard library only, no ``site``, nothing of the
grader loaded before the student's code.
"""
import os
import sys

#: Where the launcher mounts this file inside bubblewrap.
INSIDE = "/opt/sandbox/become.py"

_PR_SET_KEEPCAPS, _PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE = 8, 38, 47, 2
_CAP_DAC_READ_SEARCH = 2
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


def _checked(result, what):
    """Raise OSError when a libc call (through ctypes) returned non-zero."""
    if result != 0:
        import ctypes

        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def become(uid, keep_read_search=False):
    """Switch this process to user and group ``uid`` for good, with no supplementary groups
    and ``no_new_privs`` (a setuid program cannot give root back).

    ``keep_read_search`` keeps ``CAP_DAC_READ_SEARCH`` through the next ``exec`` (as an
    ambient capability): the process reads every file, as root did, but writes only as ``uid``.

    Raises
    ------
    OSError
        When any step fails: the caller must not start the sandboxed program then.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if keep_read_search:  # keep the permitted capabilities through setuid, to pick one
        _checked(libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)")
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if keep_read_search:
        bit = 1 << _CAP_DAC_READ_SEARCH
        header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
        data = (ctypes.c_uint32 * 6)(bit, bit, bit, 0, 0, 0)  # effective, permitted, inheritable
        _checked(libc.capset(header, data), "capset")
        _checked(libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0),
                 "prctl(PR_CAP_AMBIENT_RAISE)")
    _checked(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    if (os.getuid(), os.geteuid(), os.getgid(), os.getegid()) != (uid,) * 4:
        raise OSError(f"still running as user {os.geteuid()} after switching to {uid}")


def main(argv=None):
    """``--become UID -- ARGV...``: switch to ``UID``, then execute ``ARGV``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not (len(argv) >= 4 and argv[0] == "--become" and argv[1].isdigit() and argv[2] == "--"):
        print("usage: python -I -S become.py --become UID -- COMMAND...", file=sys.stderr)
        return 2
    uid = int(argv[1])
    try:
        become(uid)
    except OSError as error:
        print(f"autograder sandbox: could not switch to user {uid}: {error}", file=sys.stderr)
        return 1
    os.execvp(argv[3], argv[3:])


if __name__ == "__main__":
    sys.exit(main())
