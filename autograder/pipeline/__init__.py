"""Grading: run notebooks headless, score grade cells as nbgrader does, grade a class."""
