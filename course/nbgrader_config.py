"""nbgrader configuration of the course. `course/` is the nbgrader root; lessons are authored in
course/source/<lesson>/<lesson>.py (jupytext) and built by `make build`."""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "backprop"
# The generated versions live at the top level of the repository, where Binder and readers find them.
c.CourseDirectory.release_directory = "../notebooks"
c.CourseDirectory.solution_directory = "../solutions"
# The text sources (*.py) stay out of the student and solution folders.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A written answer is a markdown cell that is graded and a solution; its model answer and mark
# scheme are replaced by "YOUR ANSWER HERE" in the student version. Those cells are not nbgrader
# "task" cells, so nbgrader's task-only check on mark schemes is off.
c.ClearMarkScheme.enforce_metadata = False

# Solutions for self-learners: solved code and model answers, no hidden tests, not executed
# (executing would make regeneration depend on timing and machine).
c.GenerateSolution.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# Grading: a cell that runs longer than this is interrupted and scores 0 (nbgrader's default is 30).
c.Execute.timeout = 20
c.Execute.shutdown_kernel = "immediate"
