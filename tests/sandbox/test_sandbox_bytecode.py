"""The compiled copies a grading kernel runs in place of the answer-holding modules
(autograder.sandbox.bytecode)."""
import importlib.util
import os

import pytest

from autograder.sandbox import bytecode


def _load(compiled, name="copy"):
    spec = importlib.util.spec_from_file_location(name, compiled)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_is_a_copy_made_once_per_source_and_runs_without_it(tmp_path):
    """The same source gives the same copy; an edited one a new copy; a copy imports and runs
    with its source gone."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    source = tmp_path / "answer.py"
    source.write_text("def twice(x):\n    return 2 * x\n")
    first = bytecode.compiled(source, cache)
    assert bytecode.compiled(source, cache) == first and first.suffix == ".pyc"
    source.write_text("def twice(x):\n    return x + x\n")
    second = bytecode.compiled(source, cache)
    assert second != first
    source.unlink()
    assert _load(first).twice(4) == 8
    assert sorted(p.suffix for p in cache.iterdir()) == [".pyc", ".pyc"]   # no temporaries


def test_is_a_cache_folder_of_another_or_open_to_others_refused(tmp_path, monkeypatch):
    """A cache that another user could have planted (open to others, or a link) is refused
    with what to do; the grader's own private folder is used."""
    monkeypatch.setattr(bytecode.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = bytecode.cache_folder()
    assert folder.is_dir() and os.stat(folder).st_mode & 0o777 == 0o700
    folder.chmod(0o777)
    with pytest.raises(RuntimeError, match="not a private folder"):
        bytecode.cache_folder()
    folder.rmdir()
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    folder.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(RuntimeError, match="TMPDIR"):
        bytecode.cache_folder()
