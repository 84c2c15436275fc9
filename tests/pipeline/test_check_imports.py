"""`check`'s lean start (autograder.pipeline.lean_import, autograder.__main__.exit_now): the
same nbgrader machinery without its server extensions, and the same exit status.

Each test runs in a fresh interpreter: what a process has imported is the thing tested. No
time is asserted (benchmarks/check_speed.py measures it).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(code):
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_does_check_import_nbgrader_grading_without_jupyter_server_or_setuptools():
    """After the lean import, do nbgrader's API, autograde converter and the pipeline's
    preprocessors import from nbgrader's own files, with its version, and without Jupyter
    Server, nbgrader's server extensions or setuptools?"""
    found = _run(
        "import json, sys\n"
        "from autograder.pipeline.lean_import import nbgrader_without_server_extensions\n"
        "done = nbgrader_without_server_extensions()\n"
        "from nbgrader.apps import NbGraderAPI\n"
        "from nbgrader.converters.autograde import Autograde\n"
        "import autograder.pipeline.check, autograder.pipeline.worker\n"
        "import nbgrader, nbgrader._version, nbgrader.api\n"
        "from importlib.metadata import version\n"
        "print(json.dumps({'done': done, 'version': nbgrader.__version__,\n"
        "  'installed': version('nbgrader'), 'api': nbgrader.api.__file__,\n"
        "  'package': list(nbgrader.__path__),\n"
        "  'loaded': sorted(m for m in sys.modules if m.split('.')[0] in\n"
        "      ('jupyter_server', 'setuptools') or m.startswith('nbgrader.server_extensions'))}))")
    assert found["done"] is True
    assert found["version"] == found["installed"]
    assert Path(found["api"]).parent == Path(found["package"][0])
    assert found["loaded"] == []


def test_does_a_later_import_of_setuptools_get_the_real_module(tmp_path):
    """Is the stand-in for setuptools.archive_util gone once nbgrader.utils is imported, and
    do nbgrader.utils' archive functions still unpack (through the real setuptools)?"""
    import zipfile

    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("inside.txt", "hello")
    found = _run(
        "import json, sys\n"
        "from autograder.pipeline.lean_import import nbgrader_without_server_extensions\n"
        "nbgrader_without_server_extensions()\n"
        "import nbgrader.utils as utils\n"
        "before = 'setuptools.archive_util' in sys.modules\n"
        f"utils.unpack_archive({str(archive)!r}, {str(tmp_path / 'out')!r})\n"
        "import setuptools.archive_util as real\n"
        "print(json.dumps({'before': before, 'real': real.__file__,\n"
        "                  'text': open(" + repr(str(tmp_path / "out" / "inside.txt")) +
        ").read()}))")
    assert found["before"] is False
    assert found["real"].endswith("archive_util.py")
    assert found["text"] == "hello"


def test_does_the_lean_import_leave_an_imported_nbgrader_alone():
    """In a process that already imported nbgrader (a class run, formgrader), is nothing
    replaced?"""
    found = _run(
        "import json, nbgrader\n"
        "from autograder.pipeline.lean_import import nbgrader_without_server_extensions\n"
        "first = nbgrader\n"
        "done = nbgrader_without_server_extensions()\n"
        "import nbgrader\n"
        "print(json.dumps({'done': done, 'same': nbgrader is first,\n"
        "                  'server': hasattr(nbgrader, '_load_jupyter_server_extension')}))")
    assert found == {"done": False, "same": True, "server": True}


def test_does_grade_import_nbgrader_in_full():
    """`python -m autograder grade --help` (and every command but check): the ordinary import,
    server extensions included (the private course opens in formgrader)."""
    found = _run(
        "import json, sys\n"
        "from autograder.__main__ import main\n"
        "try:\n"
        "    main(['grade', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "import nbgrader\n"
        "print(json.dumps({'server': hasattr(nbgrader, '_load_jupyter_server_extension')}))")
    assert found == {"server": True}


def test_does_check_exit_with_its_status_and_all_its_output(tmp_path):
    """`python -m autograder check` ends through exit_now: is the exit status the documented
    one and is the whole --json document written (a usage error: no such file)?"""
    result = subprocess.run([sys.executable, "-m", "autograder", "check", "--json",
                             str(tmp_path / "missing_01_single_neuron.ipynb")], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    document = json.loads(result.stdout)
    assert document["outcome"] == "usage" and document["exit_code"] == 2
