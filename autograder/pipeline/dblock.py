"""One grader at a time sets up a shared gradebook (several machines, one PostgreSQL database).

Graders on several machines may share one PostgreSQL gradebook, each with its own students
(README, "A class of thousands"). Grading itself never collides there: each submission's rows
belong to its student. Setting a lesson up does: nbgrader's ``generate_assignment`` deletes and
re-creates the lesson's notebook rows when no submission refers to them yet, so two graders
setting up one lesson at the same moment delete each other's rows (a foreign-key violation
that stops the second grader), and two graders creating the tables of a new database both
create them. :func:`gradebook_lock` makes those steps take turns, with a PostgreSQL advisory
lock held for the step; a SQLite gradebook belongs to one grader's folder and needs no lock.

Taking turns is not enough: the second grader's ``generate_assignment`` of a lesson the first has
set up a moment ago still re-creates its rows, while the first is grading its first submission
of it (measured: 1 run in 3 failed with nbgrader's "No such taskcomment"). So the grader that
sets a lesson up also records the fingerprint of its source in the gradebook's database
(:func:`recorded_source`, :func:`record_source`, table ``autograder_lesson_source``); a grader
that finds the same fingerprint there leaves the lesson's rows alone.
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


_SOURCE_TABLE = ("CREATE TABLE IF NOT EXISTS autograder_lesson_source ("
                 "course_id VARCHAR(128) NOT NULL, lesson VARCHAR(128) NOT NULL, "
                 "fingerprint VARCHAR(128) NOT NULL, PRIMARY KEY (course_id, lesson))")


def recorded_source(db_url, course_id, lesson):
    """The fingerprint of the source ``lesson`` was set up from in a shared (PostgreSQL)
    gradebook, or ``None`` (not recorded, or not a shared gradebook). Call it under
    :func:`gradebook_lock`."""
    if not db_url or not str(db_url).startswith("postgresql"):
        return None
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(_SOURCE_TABLE))
            row = connection.execute(
                text("SELECT fingerprint FROM autograder_lesson_source "
                     "WHERE course_id = :course AND lesson = :lesson"),
                {"course": course_id, "lesson": lesson}).first()
        return None if row is None else row[0]
    finally:
        engine.dispose()


def record_source(db_url, course_id, lesson, fingerprint):
    """Record that ``lesson`` was set up from the source with ``fingerprint`` (shared gradebooks
    only; under :func:`gradebook_lock`)."""
    if not db_url or not str(db_url).startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(_SOURCE_TABLE))
            connection.execute(
                text("DELETE FROM autograder_lesson_source "
                     "WHERE course_id = :course AND lesson = :lesson"),
                {"course": course_id, "lesson": lesson})
            connection.execute(
                text("INSERT INTO autograder_lesson_source (course_id, lesson, fingerprint) "
                     "VALUES (:course, :lesson, :fingerprint)"),
                {"course": course_id, "lesson": lesson, "fingerprint": fingerprint})
    finally:
        engine.dispose()
