"""Grading with nbgrader: a whole class in parallel and sandboxed, or one student's notebook.

``grading``         a whole class: :func:`grade_class`
``check``           one student's notebook (`python -m autograder check`): :func:`run_check`
``lean_import``     check's import of nbgrader without its Jupyter server extensions
``discover``        which student submitted which lesson (nbgrader, LMS folder or zip layouts)
``course``          the private nbgrader course of a run, and its configuration
``normalise``       reading a submission, repairing stripped metadata, spotting edited tests
``worker``          one submission through autograde and feedback, in a worker process
``record``          what grading one submission found (typed), and the journal that keeps it
``pool``            the worker processes (never two of one student at once)
``preprocessors``   what the pipeline adds to nbgrader: the executor that survives a broken
                    kernel, deleted-cell restoration, hidden tests kept out of feedback
``kernel_manager``  a grading kernel's connection folder, user id and fork-bomb watchdog
``feedback``        the feedback pages' HTML exporter
``status``          the status words of scores.csv, a cell's status from its outputs
``mistakes_named``  the registered mistakes a failed check named
``export``          grades.csv as an nbgrader export plugin
``report``          report.html and its plots (templates in ``templates/``)

The sandbox around every kernel is :mod:`autograder.sandbox`; notebooks are read by
:mod:`autograder.notebook`.
"""
