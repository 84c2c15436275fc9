"""The grading pipeline with its gradebook on a real PostgreSQL server (issue 4).

nbgrader recommends a server database when several graders write at once; `python -m
autograder grade --db URL` lets the parallel workers share one. Here a small part of the sample
class (a correct, a partial, a late and a malformed submission) is graded with ``--workers 2``
into PostgreSQL and must give exactly the scores that sample_class/expected_scores.csv records,
with one submission per student and lesson in the gradebook, however often it is graded again.

Where the server comes from, in order:

1. ``AUTOGRADER_TEST_POSTGRES_URL``, a SQLAlchemy URL whose user may create databases
   (.ci/run starts a throw-away server and sets it);
2. a private server started here from Debian's binaries (``/usr/lib/postgresql/*/bin``, package
   ``postgresql``) in a temporary folder, on loopback and a free port, stopped afterwards;
   ``initdb`` refuses to run as root, so as root it runs as the ``postgres`` user;
3. neither: the tests skip, saying how to enable them; under CI (``CI`` set) they fail.

Every run grades into a database of its own, created fresh and dropped at the end, so a rerun
starts clean. The tests of a wrong ``--db`` need no server and are fast.
"""
import csv
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from autograder.__main__ import EXIT_FAILED, main
from layout import REPO

SAMPLE = REPO / "sample_class"
URL_VARIABLE = "AUTOGRADER_TEST_POSTGRES_URL"
HOW_TO_ENABLE = (f"install Debian's postgresql package (apt-get install postgresql), or set "
                 f"{URL_VARIABLE}=postgresql://USER:PASSWORD@HOST:PORT/DATABASE for a server "
                 "whose user may create databases")

#: The submissions graded here: (student, lesson) -> what kind of submission it is.
SUBMITTED = {
    ("ada_complete", "01_single_neuron"): "correct",
    ("cara_partial", "01_single_neuron"): "partial",
    ("eve_late", "04_generalised_delta"): "late (the gradebook computes how late)",
    ("fay_malformed", "05_deep_networks"): "not a notebook",
}
#: The malformed file is recorded in scores.csv, but never as a submission in the gradebook.
IN_GRADEBOOK = {key for key in SUBMITTED if key[0] != "fay_malformed"}


def _unavailable(reason):
    """Skip locally; under CI, where .ci/run provides the server, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI: .ci/run should have started a server and set "
                    f"{URL_VARIABLE})", pytrace=False)
    pytest.skip(reason)


# ---- a server and a fresh database ---------------------------------------------------------

def _debian_binaries():
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb, or None."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
               default=None)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateServer:
    """A throw-away PostgreSQL server in ``folder``: trust authentication, loopback only.

    Parameters
    ----------
    binaries : Path
        The folder with ``initdb`` and ``pg_ctl``.
    folder : Path
        Holds the cluster, the log and the Unix socket; removed by the caller.
    """

    def __init__(self, binaries, folder):
        self.binaries = Path(binaries)
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = _free_port()
        # initdb and the server refuse to run as root: run them as Debian's postgres user.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command):
        return subprocess.run([str(self.binaries / command[0]), *command[1:]], user=self.user,
                              group=self.user, extra_groups=[] if self.user else None,
                              cwd=self.folder, capture_output=True, text=True, timeout=120)

    def start(self):
        """Create the cluster and start the server; returns '' or what went wrong."""
        if self.user:
            try:
                account = pwd.getpwnam(self.user)
            except KeyError:
                return "running as root, and there is no postgres user to run initdb as"
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        steps = [("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-locale", "-E", "UTF8", "--no-sync"),
                 ("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                  "-t", "60", "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} "
                  f"-k {self.folder} -c fsync=off", "start")]
        for step in steps:
            done = self._run(*step)
            if done.returncode != 0:
                log = self.folder / "server.log"
                return (f"{step[0]} failed: {done.stdout}{done.stderr}"
                        f"{log.read_text() if log.is_file() else ''}")
        return ""

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")


def _admin_engine(url):
    """An AUTOCOMMIT engine on ``url`` (CREATE and DROP DATABASE refuse transactions)."""
    from sqlalchemy import create_engine

    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def postgres_url():
    """A SQLAlchemy URL of a PostgreSQL server (see the module docstring for where from)."""
    try:
        import psycopg  # noqa: F401  the driver of postgresql:// URLs since SQLAlchemy 2.1
    except ImportError:
        _unavailable("the PostgreSQL driver psycopg is not installed: pip install -e '.[dev]'")
    given = os.environ.get(URL_VARIABLE)
    if given:
        yield given
        return
    binaries = _debian_binaries()
    if binaries is None:
        _unavailable(f"no PostgreSQL server: {HOW_TO_ENABLE}")
    # Not under pytest's tmp_path: its folders are private to root, and the server is not root.
    folder = Path(tempfile.mkdtemp(prefix="pgtest-"))
    server = PrivateServer(binaries, folder)
    try:
        problem = server.start()
        if problem:
            _unavailable(f"a private PostgreSQL server did not start ({problem.strip()}); "
                         f"{HOW_TO_ENABLE}")
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def new_database(postgres_url):
    """``new_database()`` creates an empty database and returns its URL; all are dropped at the
    end of the session."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    engine = _admin_engine(postgres_url)
    created = []

    def create():
        name = f"autograder_test_{uuid.uuid4().hex[:12]}"
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return make_url(postgres_url).set(database=name).render_as_string(hide_password=False)

    yield create
    with engine.connect() as connection:
        for name in created:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# ---- reading the gradebook and the outputs --------------------------------------------------

def _submission_counts(url):
    """``{(student, lesson): rows in submitted_assignment}``, straight from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT s.student_id, a.name, count(*) FROM submitted_assignment s "
                "JOIN assignment a ON a.id = s.assignment_id GROUP BY s.student_id, a.name"))
            return {(student, lesson): count for student, lesson, count in rows}
    finally:
        engine.dispose()


def _table_sizes(url):
    """``{table: row count}`` of every table in the database."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                    for table in inspect(connection).get_table_names()}
    finally:
        engine.dispose()


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def _expected_scores(submitted):
    """The rows of expected_scores.csv for the students and lessons of ``submitted``; a lesson
    a student did not submit here is 'not submitted', as the grader writes it."""
    rows = _rows(SAMPLE / "expected_scores.csv")
    students = {student for student, _ in submitted}
    lessons = {lesson for _, lesson in submitted}
    expected = [rows[0]]
    for student, lesson, grade_id, score, max_score, status in rows[1:]:
        if student in students and lesson in lessons:
            if (student, lesson) not in submitted:
                score, status = "0", "not submitted"
            expected.append([student, lesson, grade_id, score, max_score, status])
    return expected


def _copy_submissions(target):
    """The chosen submissions, in nbgrader's layout, with their timestamp.txt."""
    for student, lesson in SUBMITTED:
        shutil.copytree(SAMPLE / "submitted" / student / lesson, target / student / lesson)
    return target


def _grade(submissions, out, url, *extra):
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
         "--workers", "2", "--db", url, "--due-dates", str(SAMPLE / "due_dates.csv"), *extra],
        cwd=REPO, capture_output=True, text=True)


class Snapshot:
    """What one grading run left: its exit, its two CSV files and the gradebook's rows."""

    def __init__(self, result, out, url):
        self.result = result
        self.scores = (out / "scores.csv").read_bytes() if (out / "scores.csv").is_file() \
            else None
        self.grades = (out / "grades.csv").read_bytes() if (out / "grades.csv").is_file() \
            else None
        self.submissions = _submission_counts(url)
        self.tables = _table_sizes(url)

    def check_succeeded(self):
        assert self.result.returncode == 0, self.result.stdout + self.result.stderr


@pytest.fixture(scope="module")
def graded(new_database, tmp_path_factory):
    """The subset graded three times into one fresh database: first, again (resume: nothing to
    do), and with --regrade (every submission autograded again over its gradebook rows)."""
    url = new_database()
    folder = tmp_path_factory.mktemp("postgres-class")
    submissions = _copy_submissions(folder / "submitted")
    out = folder / "grading-output"
    runs = {}
    for name, extra in [("first", ()), ("resume", ()), ("regrade", ("--regrade",))]:
        runs[name] = Snapshot(_grade(submissions, out, url, *extra), out, url)
    return runs, out


# ---- grading into PostgreSQL ----------------------------------------------------------------

@pytest.mark.slow
def test_grading_into_postgres_gives_the_expected_score_of_every_cell(graded):
    """With --db postgresql://... and two workers, is scores.csv, row for row, what
    expected_scores.csv says for these students (correct, partial, late, malformed)?"""
    runs, _ = graded
    runs["first"].check_succeeded()
    got = list(csv.reader(runs["first"].scores.decode().splitlines()))
    expected = _expected_scores(SUBMITTED)
    assert got[0] == expected[0]
    mismatches = [(e, g) for e, g in zip(expected[1:], got[1:]) if e != g]
    assert not mismatches and len(got) == len(expected), mismatches[:10]
    assert any("late" in row[5] for row in got), "the late submission must be flagged late"


@pytest.mark.slow
def test_grades_csv_is_written_from_the_postgres_gradebook(graded):
    """Does grades.csv (nbgrader's export, read from the gradebook) list every student, with
    each lesson's score equal to the sum of their cells in scores.csv?"""
    runs, _ = graded
    first = runs["first"]
    first.check_succeeded()
    sums = {}
    for row in list(csv.reader(first.scores.decode().splitlines()))[1:]:
        sums[row[0], row[1]] = sums.get((row[0], row[1]), 0.0) + float(row[3])
    rows = list(csv.DictReader(first.grades.decode().splitlines()))
    assert sorted(row["student_id"] for row in rows) == sorted({s for s, _ in SUBMITTED})
    lessons = sorted({lesson for _, lesson in SUBMITTED})
    for row in rows:
        for lesson in lessons:
            assert float(row[lesson]) == pytest.approx(sums[row["student_id"], lesson])
    assert float(next(r for r in rows if r["student_id"] == "ada_complete")["score"]) > 0


@pytest.mark.slow
def test_the_gradebook_holds_one_submission_per_student_and_lesson(graded):
    """After the first run, does PostgreSQL hold exactly one submission for each graded
    (student, lesson), and none for the file that is not a notebook?"""
    runs, _ = graded
    runs["first"].check_succeeded()
    assert runs["first"].submissions == {key: 1 for key in IN_GRADEBOOK}


@pytest.mark.slow
def test_grading_again_resumes_and_duplicates_nothing(graded):
    """Does a second run grade nothing, leave both CSV files byte-identical and add no row to
    any table of the gradebook?"""
    runs, _ = graded
    first, again = runs["first"], runs["resume"]
    again.check_succeeded()
    assert "(0 now," in again.result.stdout
    assert (again.scores, again.grades) == (first.scores, first.grades)
    assert again.tables == first.tables


@pytest.mark.slow
def test_regrading_everything_duplicates_nothing(graded):
    """Does --regrade autograde every submission again over its rows in PostgreSQL and end with
    the same scores, the same grades, one submission per (student, lesson) and as many rows in
    every table as before?"""
    runs, _ = graded
    first, again = runs["first"], runs["regrade"]
    again.check_succeeded()
    assert f"({len(SUBMITTED)} now," in again.result.stdout
    assert (again.scores, again.grades) == (first.scores, first.grades)
    assert again.submissions == {key: 1 for key in IN_GRADEBOOK}
    assert again.tables == first.tables and again.tables["grade"] > 0


def test_a_new_postgres_database_is_a_new_gradebook(new_database):
    """Is an empty PostgreSQL database seen as a new gradebook (so records of an earlier run
    into the same output folder are not trusted), and one with nbgrader's tables as an old one?
    """
    from nbgrader.api import Base
    from sqlalchemy import create_engine

    from autograder.pipeline.course import check_gradebook

    url = new_database()
    assert check_gradebook(url) is True
    engine = create_engine(url)
    Base.metadata.create_all(engine)      # nbgrader's tables, as its Gradebook creates them
    engine.dispose()
    assert check_gradebook(url) is False


# ---- a wrong --db: no server needed ---------------------------------------------------------

@pytest.fixture
def grade_cli(tmp_path, monkeypatch, capsys):
    """``grade_cli(url)`` runs the grade command in this process on the sample class and
    returns (exit status, stderr, whether the output folder was created)."""
    # The command sets up nbgrader's environment in its process; keep this one's as it was.
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
    monkeypatch.delenv("MPLBACKEND", raising=False)

    def run(url):
        out = tmp_path / "out"
        code = main(["grade", str(SAMPLE / "submitted"), "--out", str(out), "--db", url])
        return code, capsys.readouterr().err, out.exists()

    return run


def test_an_unreachable_postgres_server_fails_at_once_and_says_what_to_check(grade_cli):
    """Does --db with a server that does not answer exit non-zero before anything is graded,
    naming the gradebook and what to check, without a traceback?"""
    code, err, created = grade_cli("postgresql://nobody@127.0.0.1:1/none")
    assert code == EXIT_FAILED
    assert "Cannot open the gradebook postgresql://nobody@127.0.0.1:1/none" in err
    assert "Check that the database server is running" in err
    assert "Traceback" not in err and not created


def test_a_missing_database_driver_says_what_to_pip_install(grade_cli, monkeypatch):
    """When the PostgreSQL driver is not installed, does the command say which package to pip
    install (and hide the password it was given)?"""
    monkeypatch.setitem(sys.modules, "psycopg", None)     # makes `import psycopg` fail
    code, err, created = grade_cli("postgresql://grader:s3cret@127.0.0.1:5432/course")
    assert code == EXIT_FAILED
    assert "needs the Python module 'psycopg'" in err
    assert "pip install 'psycopg[binary]'" in err
    assert "s3cret" not in err and "Traceback" not in err and not created


def test_a_url_that_is_not_a_database_url_is_refused_with_an_example(grade_cli):
    """Is a misspelt URL refused before grading, with an example of a good one?"""
    code, err, _ = grade_cli("postgress://grader@127.0.0.1/course")
    assert code == EXIT_FAILED
    assert "is not a database URL" in err and "postgresql://USER:PASSWORD@HOST:PORT" in err


# ---- two graders, one gradebook (issue 16: grading a large class on several machines) ----------

#: Two machines' shares of a class: disjoint students, one lesson in common (both graders put
#: it into the gradebook at the same moment), one lesson only the second grader has.
SHARES = {
    "first": {("ada_complete", "01_single_neuron"), ("gus_stripped", "01_single_neuron")},
    "second": {("cara_partial", "01_single_neuron"), ("dan_blank", "02_hidden_layer")},
}


@pytest.mark.slow
def test_two_graders_on_one_postgres_gradebook_with_disjoint_students_do_not_collide(
        new_database, tmp_path):
    """Do two grader processes started together on one PostgreSQL gradebook, each with its own
    students, both complete, each with the expected score of every cell, and leave exactly one
    submission per (student, lesson) of both shares in the gradebook?"""
    url = new_database()
    runs = {}
    for name, share in SHARES.items():
        submissions = tmp_path / name / "submitted"
        for student, lesson in share:
            shutil.copytree(SAMPLE / "submitted" / student / lesson,
                            submissions / student / lesson)
        out = tmp_path / name / "grading-output"
        runs[name] = (out, subprocess.Popen(
            [sys.executable, "-m", "autograder", "grade", str(submissions), "--out", str(out),
             "--workers", "1", "--db", url, "--due-dates", str(SAMPLE / "due_dates.csv")],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for name, (out, process) in runs.items():
        output, _ = process.communicate(timeout=900)
        assert process.returncode == 0, f"the {name} grader failed:\n{output}"
        got = _rows(out / "scores.csv")
        expected = _expected_scores(SHARES[name])
        assert got == expected, (name, [(e, g) for e, g in zip(expected, got) if e != g][:5])
    assert _submission_counts(url) == {key: 1 for share in SHARES.values() for key in share}


def test_the_gradebook_set_up_lock_keeps_a_second_grader_out_until_released(new_database):
    """While one grader holds the set-up lock of a PostgreSQL gradebook, can no other
    connection take it, and can one once it is released?"""
    from sqlalchemy import create_engine, text

    from autograder.pipeline.dblock import LOCK_KEY, gradebook_lock

    url = new_database()
    other = create_engine(url, isolation_level="AUTOCOMMIT")

    def other_may_take_it():
        with other.connect() as connection:
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                       {"k": LOCK_KEY}).scalar()
            if taken:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            return taken

    try:
        with gradebook_lock(url):
            assert other_may_take_it() is False
        assert other_may_take_it() is True
    finally:
        other.dispose()
    with gradebook_lock("sqlite:///unused.db"):     # a SQLite gradebook: no lock, no server
        pass
