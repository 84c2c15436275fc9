"""The HTML exporter of the feedback pages: nbgrader's feedback template, made cheaper per page.

``nbgrader generate_feedback`` builds a new ``HTMLExporter`` for every notebook, so the Jinja
templates are compiled again each time, and nbconvert then parses the finished page (about
300 kB, inline CSS included) with BeautifulSoup only to add ``alt`` text to images and
``tabindex`` to cells. Measured on a lesson here: about 0.7 s and 2 s of a 5 s page. This
exporter (set as ``GenerateFeedback.exporter_class``) renders the same template with the same
filters, keeps one compiled Jinja environment per worker process, and adds the ``alt`` text with
a regular expression instead. Should nbconvert's internals change, it falls back to the stock
exporter.

No script a student wrote runs in a page: the notebook is sanitised first and every rendered
markdown cell after rendering (:mod:`autograder.pipeline.sanitise`, an allow-list).
"""
from __future__ import annotations

import re

from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter, TemplateExporter

from .sanitise import sanitise_html, sanitise_notebook

_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
_ENVIRONMENTS = {}


class FeedbackHTMLExporter(HTMLExporter):
    """``HTMLExporter`` with a shared template environment and no BeautifulSoup pass."""

    def _create_environment(self):
        key = (tuple(self.template_paths), self.template_extension, self.enable_async,
               self.raw_template, tuple(type(loader).__name__ for loader in self.extra_loaders))
        environment = _ENVIRONMENTS.get(key)
        if environment is None:
            environment = _ENVIRONMENTS[key] = super()._create_environment()
        else:
            # filters may be bound to the exporter that registered them: rebind to this one
            for name, value in self.default_filters():
                self._register_filter(environment, name, value)
            for name, value in (self.filters or {}).items():
                self._register_filter(environment, name, value)
        return environment

    @pass_context
    def markdown2html(self, context, source):
        """Markdown rendered as nbconvert does, then only allow-listed HTML kept."""
        return sanitise_html(super().markdown2html(context, source))

    def from_notebook_node(self, nb, resources=None, **kw):
        sanitise_notebook(nb)
        self.skip_svg_encoding = False   # SVG as <img src="data:...">: its scripts never run
        try:
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            highlight = self.filters.get("highlight_code",
                                         Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_types = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                               resources=resources)
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_types)
        except (ImportError, AttributeError, TypeError):  # another nbconvert: the stock path
            self.sanitize_html = True   # and its own sanitiser on top
            return super().from_notebook_node(nb, resources, **kw)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return _IMG_WITHOUT_ALT.sub('<img alt="A figure from the notebook"', html), resources
