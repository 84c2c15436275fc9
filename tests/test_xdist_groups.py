"""`make test`'s promise to its module fixtures: under pytest-xdist a test file runs on one worker.

A module fixture here may be a whole class graded (minutes); if the file is spread over two
workers, each worker computes it again. This file's fixture records the worker that computed it
in a folder all workers share; a test that sees a second worker there fails. Measured before
the fix: with pytest 9 and pytest-xdist 3.8, ``--dist loadgroup`` ignored the groups and this
file ran on both workers.
"""
from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="module")
def workers_that_set_up(tmp_path_factory):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        pytest.skip("not under pytest-xdist: one process runs every file")
    # Each worker's base temporary folder is popen-gwN/ under one folder of this run.
    shared = tmp_path_factory.getbasetemp().parent / "xdist-group-check"
    shared.mkdir(exist_ok=True)
    (shared / worker).touch()
    return shared


@pytest.mark.parametrize("test", range(8))
def test_is_this_file_set_up_by_one_worker_only(workers_that_set_up, test):
    """Did exactly one worker compute this module's fixture?"""
    workers = sorted(path.name for path in workers_that_set_up.iterdir())
    assert len(workers) == 1, (
        f"this file's module fixture was set up on {workers}: pytest-xdist spread one file over "
        "several workers (tests/conftest.py groups files; check the pytest / pytest-xdist pins "
        "in pyproject.toml)")
