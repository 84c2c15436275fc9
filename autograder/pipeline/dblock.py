"""One grader at a time sets up a shared gradebook (several machines, one PostgreSQL database).

Graders on several machines may share one PostgreSQL gradebook, each with its own students
(README, "A class of thousands"). Grading itself never collides there: each submission's rows
belong to its student. Setting a lesson up does: nbgrader's ``generate_assignment`` deletes and
re-creates the lesson's notebook rows when no submission refers to them yet, so two graders
setting up one lesson at the same moment delete each other's rows (a foreign-key violation
that stops the second grader), and two graders creating the tables of a new database both
create them. :func:`gradebook_lock` makes those steps take turns, with a PostgreSQL advisory
lock held for the step; a SQLite gradebook belongs to one grader's folder and needs no lock.
"""
from __future__ import annotations

import contextlib
import zlib

#: The advisory-lock key: any fixed 64-bit number, the same in every grader.
LOCK_KEY = zlib.crc32(b"autograder: gradebook set-up")


@contextlib.contextmanager
def gradebook_lock(db_url):
    """Hold the set-up lock of the gradebook ``db_url`` (waits for another grader's turn).

    Parameters
    ----------
    db_url : str or None
        A SQLAlchemy URL; only ``postgresql`` URLs are locked (anything else: no lock).
    """
    if not db_url or not str(db_url).startswith("postgresql"):
        yield
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
    finally:
        engine.dispose()
