"""The pipeline's own HTML pages, rendered from Jinja2 templates in ``templates/``.

One environment for every page (the report, similarity, a feedback page for a notebook that was
not graded), with autoescape on: every value a template shows is escaped unless the template
says otherwise, so a student's name or message can never become markup.
"""
from __future__ import annotations

import functools


@functools.cache
def environment():
    """The Jinja2 environment of the templates (built once per process)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("autograder.pipeline", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render(template, **context):
    """The page ``template`` (a file name in ``templates/``) rendered with ``context``."""
    return environment().get_template(template).render(**context)
