"""The private nbgrader course a grading run works in, under its output folder.

``DIR/nbgrader/`` is an ordinary nbgrader course: ``source/`` (the instructor's version of each
lesson, hidden tests included, built from ``course/source``), ``release/``, ``submitted/`` (copies
of the submissions: the originals are never touched), ``autograded/``, ``feedback/`` and
``gradebook.db``. Its ``nbgrader_config.py`` lets an instructor open it in formgrader to grade the
written answers by hand; running ``python -m autograder grade`` again afterwards keeps those
manual grades and exports them.

Configuration: the course's own ``course/nbgrader_config.py`` is loaded explicitly
(``NbGraderAPI`` does not read it by itself), then the grading settings below are laid over it.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "course"

#: Per-cell time limit of the grading run, in seconds (nbgrader's default is 30; the lessons'
#: slowest cell takes about 3 s on a loaded 2-core machine).
DEFAULT_TIMEOUT = 10

#: Where the pipeline's own bookkeeping lives inside the private course.
STATE = ".autograder"


@dataclass
class GradingOptions:
    """Everything that changes a grade; part of every submission's fingerprint."""

    timeout: int = DEFAULT_TIMEOUT
    sandbox: str = "auto"                # "auto", "bubblewrap" or "rlimits"
    memory_mib: int = 2048
    max_kernel_restarts: int = 5
    due_dates: dict = field(default_factory=dict)     # lesson -> "YYYY-MM-DD HH:MM:SS TZ"
    verify: bool = True                  # confirm autograded cells outside the kernel

    def fingerprint(self, lesson):
        relevant = {k: v for k, v in asdict(self).items() if k != "due_dates"}
        relevant["due"] = self.due_dates.get(lesson)
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]


def load_course_config(course_dir=COURSE):
    """The course's ``nbgrader_config.py``, loaded as traitlets does for ``nbgrader``."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    path = Path(course_dir) / "nbgrader_config.py"
    if not path.is_file():
        return Config()
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def grading_config(root, course_dir=COURSE, options=None, db_url=None, kernel_name=None):
    """The nbgrader configuration of a private course at ``root``.

    Parameters
    ----------
    root : path
        The private course folder.
    course_dir : path
        The course whose ``nbgrader_config.py`` is the base.
    options : GradingOptions
    db_url : str, optional
        The gradebook; SQLite in ``root`` by default.
    kernel_name : str, optional
        The kernelspec that runs the notebooks (the sandbox); the notebook's own otherwise.
    """
    from traitlets.config import Config

    options = options or GradingOptions()
    root = Path(root).resolve()
    config = load_course_config(course_dir)
    overrides = Config()
    overrides.CourseDirectory.root = str(root)
    overrides.CourseDirectory.release_directory = "release"
    overrides.CourseDirectory.solution_directory = "solution"
    overrides.CourseDirectory.db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
    overrides.Execute.timeout = int(options.timeout)
    overrides.Execute.shutdown_kernel = "immediate"
    overrides.SafeExecute.max_kernel_restarts = int(options.max_kernel_restarts)
    if kernel_name:
        overrides.Execute.kernel_name = kernel_name
    # A sandboxed kernel has no loopback network shared with the grader: Unix sockets instead.
    overrides.KernelManager.transport = "ipc"
    overrides.OverwriteCells.add_missing_cells = True
    overrides.Autograde.sanitize_preprocessors = [
        "nbgrader.preprocessors.ClearOutput",
        "nbgrader.preprocessors.DeduplicateIds",
        "nbgrader.preprocessors.OverwriteKernelspec",
        "autograder.pipeline.preprocessors.RestoringOverwriteCells",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    overrides.Autograde.autograde_preprocessors = [
        "autograder.pipeline.preprocessors.SafeExecute",
        "nbgrader.preprocessors.IgnorePattern",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    overrides.GenerateFeedback.exporter_class = \
        "autograder.pipeline.feedback.FeedbackHTMLExporter"
    overrides.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "autograder.pipeline.preprocessors.HideHiddenTests",
        "autograder.pipeline.preprocessors.GradingNotes",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
    config.merge(overrides)
    return config


def nbgrader_environment():
    """Set this process up to run nbgrader in-process: its scripts on PATH (nbgrader runs
    ``alembic`` when it creates a gradebook), no MPLBACKEND (kernels would inherit it and
    ``plt.show()`` would draw nothing)."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    os.environ.pop("MPLBACKEND", None)


def quiet_nbgrader_warnings():
    """nbgrader 0.9 triggers SQLAlchemy 2 warnings on every submission; they are not ours."""
    import warnings

    warnings.filterwarnings("ignore", module="nbgrader")
    try:  # nbgrader adds restored cells without an id; nbformat warns on validation
        from nbformat.warnings import MissingIDFieldWarning
        warnings.filterwarnings("ignore", category=MissingIDFieldWarning)
    except ImportError:  # pragma: no cover
        pass
    try:
        from sqlalchemy.exc import SAWarning
        warnings.filterwarnings("ignore", category=SAWarning)
    except ImportError:  # pragma: no cover
        pass


def make_api(config):
    """An ``NbGraderAPI`` over the private course described by ``config``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def instructor_notebook(lesson, course_dir=COURSE):
    """The instructor's version of a lesson, hidden tests included (as ``make build`` makes it)."""
    from ..build import text_to_notebook

    return text_to_notebook(Path(course_dir) / "source" / lesson / f"{lesson}.py")


def known_lessons(course_dir=COURSE):
    from ..build import find_lessons

    return find_lessons(course_dir)


def notebook_fingerprint(nb):
    import nbformat

    return hashlib.sha256(nbformat.writes(nb).encode()).hexdigest()[:16]


def write_config_file(root, db_url):
    """A ``nbgrader_config.py`` that opens the private course in formgrader (manual grading)."""
    text = (
        '"""Written by `python -m autograder grade`: this folder is an nbgrader course. Run\n'
        '`jupyter lab` here and open Formgrader to grade the written answers by hand; then run\n'
        'the grade command again to export the manual grades too."""\n'
        "c = get_config()  # noqa: F821\n"
        "c.CourseDirectory.root = __import__('os').path.dirname(__file__)\n"
        'c.CourseDirectory.release_directory = "release"\n'
        f"c.CourseDirectory.db_url = {db_url!r}\n"
        "# Formgrader renders submissions with nbconvert: its sanitiser on, on top of the\n"
        "# autograder's own cleaning of the autograded notebooks (students write the HTML)\n"
        "c.HTMLExporter.sanitize_html = True\n"
    )
    (Path(root) / "nbgrader_config.py").write_text(text)


class GradingError(RuntimeError):
    """The run itself cannot go on (not a student's fault); the message says what to do."""


#: The pip package behind each database driver SQLAlchemy may import for a gradebook URL. A
#: plain ``postgresql://`` URL means psycopg (3) since SQLAlchemy 2.1, psycopg2 before it.
DRIVER_PACKAGES = {"psycopg": "psycopg[binary]", "psycopg2": "psycopg2-binary",
                   "pg8000": "pg8000", "MySQLdb": "mysqlclient", "pymysql": "PyMySQL"}

#: Seconds to wait for a gradebook server before saying it cannot be reached (libpq waits
#: for ever by default, so a wrong host would hang the run instead of failing it).
CONNECT_TIMEOUT = 10


def check_gradebook(db_url):
    """Open the gradebook once, before any grading, and tell whether it is a new one.

    Parameters
    ----------
    db_url : str
        A SQLAlchemy URL: ``sqlite:////path/gradebook.db``,
        ``postgresql://USER:PASSWORD@HOST:PORT/DATABASE``, ...

    Returns
    -------
    bool
        True when it holds no nbgrader gradebook yet (for SQLite: the file does not exist).

    Raises
    ------
    GradingError
        The URL cannot be read, its driver is not installed, or the database cannot be
        reached; the message says what to do (with any password hidden).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        url = make_url(db_url)
        url.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise GradingError(
            f"--db {db_url!r} is not a database URL that SQLAlchemy reads ({error}). Write "
            "e.g. sqlite:////absolute/path/gradebook.db or "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE.") from None
    if url.get_backend_name() == "sqlite":
        # Opening a missing SQLite file would create it; nbgrader does that itself later.
        return not url.database or not Path(url.database).exists()
    return not _has_gradebook_tables(url)


def _has_gradebook_tables(url):
    """Connect to a database server; does it hold nbgrader's tables?"""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    shown = url.render_as_string(hide_password=True)
    timeout = {"connect_timeout": CONNECT_TIMEOUT} if url.get_driver_name() in (
        "psycopg", "psycopg2") else {}
    try:
        engine = create_engine(url, connect_args=timeout)   # imports the driver
    except ImportError as error:
        package = DRIVER_PACKAGES.get(error.name, error.name)
        raise GradingError(
            f"The gradebook {shown} needs the Python module {error.name!r}, which is not "
            f"installed. Install it with `{sys.executable} -m pip install '{package}'` and "
            "run the same command again.") from None
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table("submitted_assignment")
    except SQLAlchemyError as error:
        reason = " ".join(str(getattr(error, "orig", None) or error).split())[:400]
        raise GradingError(
            f"Cannot open the gradebook {shown}:\n  {reason}\nCheck that the database "
            "server is running and reachable from here, that the database exists (PostgreSQL: "
            "`createdb NAME`), and the user name and password in --db.") from None
    finally:
        engine.dispose()


def prepare_lessons(api, root, lessons, notebooks, options, db_url):
    """Put each lesson's source in the private course and into the gradebook.

    ``nbgrader generate_assignment`` runs only for a lesson whose source changed since the last
    run (or that is new), so a resumed run starts at once. Returns ``{lesson: fingerprint}``.
    """
    from . import dblock

    with dblock.gradebook_lock(db_url):  # graders sharing a PostgreSQL gradebook take turns
        return _prepare_lessons(api, root, lessons, notebooks, options, db_url)


def _prepare_lessons(api, root, lessons, notebooks, options, db_url):
    from nbgrader.api import Gradebook
    import nbformat

    from . import dblock

    root = Path(root)
    state = root / STATE
    state.mkdir(parents=True, exist_ok=True)
    record_path = state / "lessons.json"
    record = json.loads(record_path.read_text()) if record_path.is_file() else {}
    prints = {}
    for lesson in lessons:
        nb = notebooks[lesson]
        fingerprint = notebook_fingerprint(nb)
        prints[lesson] = fingerprint
        folder = root / "source" / lesson
        if record.get(lesson) == fingerprint and (folder / f"{lesson}.ipynb").is_file():
            continue
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{lesson}.ipynb")
        course_id = api.coursedir.course_id
        if dblock.recorded_source(db_url, course_id, lesson) != fingerprint:
            # Not yet in the shared gradebook from this source (or not a shared gradebook):
            # set it up. Otherwise another grader did, and its rows may already be in use.
            result = api.generate_assignment(lesson, force=True, create=True)
            if not result["success"]:
                raise GradingError(
                    f"nbgrader could not set up lesson {lesson} in {root}. If the lesson "
                    "changed since this folder was graded, grade into a new --out folder (or "
                    f"delete {root}).\n{result.get('log', '')}{result.get('error', '')}")
            dblock.record_source(db_url, course_id, lesson, fingerprint)
        record[lesson] = fingerprint
        record_path.write_text(json.dumps(record, indent=1, sort_keys=True))
    course_id = api.coursedir.course_id
    with Gradebook(db_url, course_id) as gradebook:
        for lesson in lessons:
            gradebook.update_or_create_assignment(lesson, duedate=options.due_dates.get(lesson))
    return prints
