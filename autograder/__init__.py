"""Reference mathematics, gradient checking, student-facing checks and grading for the
backpropagation course. Conventions (shapes, batch mean): :mod:`autograder.conventions`."""

__version__ = "0.1.0"
