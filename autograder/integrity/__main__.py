"""Verify one submission out of kernel: ``python -m autograder.integrity NOTEBOOK LESSON``.

Prints what the verifier found (per exercise, per grade cell, the flags) and, with ``--json``,
the whole :class:`~autograder.integrity.verify.VerificationResult` as JSON. The notebook is only
read. Exit status 0 when the verifier ran (whatever the submission's results), 1 when it could
not (an unreadable notebook, a sandbox that did not start).
"""
from __future__ import annotations

import argparse
import json
import sys

from .verify import verify_submission


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.integrity",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook")
    parser.add_argument("lesson", help="lesson id, e.g. 01_single_neuron")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--sandbox", choices=("auto", "bubblewrap", "rlimits"), default="auto")
    parser.add_argument("--memory", type=int, default=2048, metavar="MiB",
                        help="address-space cap of the sandbox (default 2048)")
    args = parser.parse_args(argv)
    from ..sandbox.policy import from_options

    result = verify_submission(args.notebook, args.lesson,
                               policy=from_options(args.sandbox, args.memory))
    if args.json:
        print(json.dumps(result.to_dict(), indent=1))
    else:
        print(result.summary())
        for grade_id, cell in result.grade_cells.items():
            verdict = {True: "confirmed", False: "NOT confirmed", None: "not verifiable"}
            print(f"  grade cell {grade_id} ({cell.points:g} pt): {verdict[cell.verified]}"
                  + ("" if cell.verified else f" - {cell.reason}"))
        print(f"  {result.sessions} sandbox(es), {result.seconds:.1f} s")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
