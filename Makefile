# Two commands do all the set-up on a fresh machine with Python >= 3.10:
#   make lab    JupyterLab on notebooks/
#   make test   every test
# Both create .venv/ and install the package into it the first time.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888

.PHONY: setup lab test test-fast build grade check-build clean help student-package

help:
	@echo "make lab    - set up .venv and open JupyterLab on notebooks/"
	@echo "make test   - set up .venv and run every test (CI runs this)"
	@echo "make test-fast - the edit-test loop: every test but the slow and browser ones"
	@echo "make build  - regenerate notebooks/ and solutions/ from course/source"
	@echo "make grade  - grade the bundled sample class into grading-output/"
	@echo "make student-package - the autograder a class installs for students (no answer key)"

# The stamp depends on pyproject.toml, so a changed dependency list reinstalls.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# JupyterLab refuses to run as root unless told; containers and Binder-like machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(ROOT_FLAG)

# Tests run on $(WORKERS) pytest-xdist workers; each test file stays on one worker and the browser
# tests share one (tests/conftest.py), so module fixtures run once. WORKERS=0: one process.
WORKERS ?= 2
XDIST   := $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist loadgroup)

# Every test; the 20 slowest are listed at the end.
test: setup
	$(PY) -m pytest $(XDIST) --durations=20

# The edit-test loop: no notebook execution, no nbgrader runs, no browser.
test-fast: setup
	$(PY) -m pytest $(XDIST) -m "not slow and not browser" -q

build: setup
	$(PY) -m autograder.build

# The package a class installs for students: no reference, no hidden seeds, no mistake variants;
# the visible checks read a key recorded from the reference (docs/jupyterhub.md).
student-package: setup
	$(PY) -m autograder.student_package build/student-package
	$(PY) -m pip wheel --quiet --no-deps -w build/student-package/dist build/student-package
	$(PY) -m autograder.student_package --check build/student-package

grade: setup
	$(PY) -m autograder grade sample_class/submitted --out grading-output --due-dates sample_class/due_dates.csv

clean:
	rm -rf $(VENV) build grading-output .pytest_cache .hypothesis
