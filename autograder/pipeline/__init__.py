"""Grading with nbgrader: a whole class in parallel and sandboxed, or one student's notebook.

``grading``         a whole class: :func:`grade_class`
``check``           one student's notebook (`python -m autograder check`): :func:`run_check`
``discover``        which student submitted which lesson (nbgrader, LMS folder or zip layouts)
``course``          the private nbgrader course of a run, and its configuration
``normalise``       reading a submission, repairing stripped metadata, spotting edited tests
``worker``          one submission through autograde and feedback, in a worker process
``pool``            the worker processes (never two of one student at once)
``preprocessors``   what the pipeline adds to nbgrader: the executor that survives a broken
                    kernel, deleted-cell restoration, hidden tests kept out of feedback
``feedback``        the feedback pages' HTML exporter
``sandbox``         bubblewrap and resource limits around every kernel
``results``         status words, misconceptions named by the checks
``export``          grades.csv as an nbgrader export plugin
``report``          report.html and its plots
``execute``         a plain headless run, for the build gates
"""
