"""Does no script a student wrote run in a feedback page (issue 12, hole 6)?

A notebook carrying every vector we know of (markdown ``<script>``, ``<iframe src=javascript:>``,
``on*`` attributes, SVG scripts, ``javascript:`` links, ``display(HTML(...))``,
``Javascript(...)``, widget views and widget state, raw cells) is rendered by the feedback
exporter with nbgrader's feedback template, and the page is read with an HTML parser: the only
scripts left are the template's own (those of a page made from an empty notebook), no element
has an event attribute or a ``javascript:`` URL, and no frame, object or embed is left. Math,
text, PNG and SVG plots survive. The same check on nbconvert's plain exporter finds the vectors:
the check can fail.
"""
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from traitlets.config import Config

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
       "rkJggg==")
SVG_WITH_SCRIPT = ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg-onload\')">'
                   '<script>alert("svg-script")</script><circle r="4"/></svg>')
MARKDOWN_VECTORS = [
    '<script>alert("md-script")</script>',
    "<iframe src=\"javascript:alert('md-iframe')\"></iframe>",
    '<img src=x onerror="alert(\'md-onerror\')">',
    SVG_WITH_SCRIPT,
    "[a link](javascript:alert('md-link'))",
    '<a href="jav&#x09;ascript:alert(\'md-entity\')">obfuscated</a>',
    '<details open ontoggle="alert(\'md-toggle\')">x</details>',
    '<object data="javascript:alert(\'md-object\')"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'md-meta\')">',
    '<base href="javascript:alert(\'md-base\')//">',
    "<form action=\"javascript:alert('md-form')\"><button>go</button></form>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(\'md-mxss\')">',
    '<div style="background:url(javascript:alert(\'md-style\'))">styled</div>',
]
MATH = r"The slope is $a<b$ and $$\sum_i x_i^2$$"


def _vector_notebook():
    outputs = [
        new_output("display_data", data={"text/html": "<b>bold</b><script>alert('html')</script>"
                                         "<img src=x onerror=alert('html-onerror')>"}),
        new_output("display_data", data={"application/javascript": "alert('javascript')",
                                         "text/plain": "<IPython.core.display.Javascript>"}),
        new_output("display_data", data={"image/svg+xml": SVG_WITH_SCRIPT}),
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        new_output("display_data", data={"text/markdown": "<script>alert('md-output')</script>"}),
        new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2,
                                                         "version_minor": 0}}),
        new_output("execute_result", data={"text/html": "<iframe srcdoc=\"<script>alert("
                                           "'srcdoc')</script>\"></iframe>"},
                   execution_count=1),
        new_output("stream", name="stdout", text="<script>alert('stream')</script>\n"),
    ]
    nb = new_notebook(cells=[
        new_markdown_cell(MATH),
        *[new_markdown_cell(vector) for vector in MARKDOWN_VECTORS],
        new_code_cell("x = 1", outputs=outputs),
        new_raw_cell("<script>alert('raw')</script>",
                     metadata={"raw_mimetype": "text/html"}),
    ])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"x": {"model_module": "evil-widget-from-a-cdn", "model_name": "M",
                        "model_module_version": "1", "state": {}}},
        "version_major": 2, "version_minor": 0}}
    return nb


class _Page(HTMLParser):
    """What of a page could run: scripts (with their text), event attributes, script URLs."""

    def __init__(self):
        super().__init__()
        self.scripts, self.events, self.urls, self.frames, self.images = [], [], [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.events.append((tag, name, value))
            if name in ("href", "src", "action", "data", "formaction", "content", "srcdoc") \
                    and value and "javascript:" in "".join(value.split()).lower():
                self.urls.append((tag, name, value))
            if tag == "img" and name == "src":
                self.images.append(value[:30])
        if tag in ("iframe", "object", "embed", "frame", "base", "meta", "form"):
            self.frames.append(tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append(dict(attrs).get("src", "") + "|")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _render(nb, exporter_class):
    import nbgrader

    formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    config = Config()   # what nbgrader's GenerateFeedback sets
    config.HTMLExporter.template_name = "feedback"
    config.HTMLExporter.extra_template_basedirs = [str(formgrader / "templates")]
    config.HTMLExporter.extra_template_paths = [
        str(formgrader / "static" / "node_modules" / "bootstrap" / "dist" / "css")]
    exporter = exporter_class(config=config)
    resources = {"nbgrader": {"notebook": "lesson", "score": 1, "max_score": 2,
                              "late_penalty": 0}}
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    parsed = _Page()
    parsed.feed(page)
    return page, parsed


@pytest.fixture(scope="module")
def pages():
    from nbconvert.exporters import HTMLExporter

    from autograder.pipeline.feedback import FeedbackHTMLExporter

    _, baseline = _render(new_notebook(), FeedbackHTMLExporter)
    sanitised = _render(_vector_notebook(), FeedbackHTMLExporter)
    plain = _render(_vector_notebook(), HTMLExporter)
    return baseline, sanitised, plain


def _problems(parsed, baseline):
    from collections import Counter

    own = set(baseline.scripts)
    return {"scripts": [s[:80] for s in parsed.scripts if s not in own],
            "events": parsed.events, "urls": parsed.urls,
            "frames": sorted((Counter(parsed.frames) - Counter(baseline.frames)).elements())}


def test_does_no_student_script_survive_in_the_feedback_page(pages):
    baseline, (page, parsed), _ = pages
    assert _problems(parsed, baseline) == {"scripts": [], "events": [], "urls": [],
                                           "frames": []}
    assert "evil-widget-from-a-cdn" not in page


def test_would_the_check_find_the_vectors_in_an_unsanitised_page(pages):
    """The protection bites: nbconvert's plain exporter leaves the scripts live."""
    baseline, _, (_, parsed) = pages
    problems = _problems(parsed, baseline)
    assert len(problems["scripts"]) >= 2 and problems["events"] and problems["urls"]
    assert problems["frames"]


def test_are_text_math_and_pictures_kept(pages):
    _, (page, parsed), _ = pages
    assert "<b>bold</b>" in page
    assert r"\sum_i x_i^2" in page and ("a&lt;b" in page or "a<b" in page)
    assert any(src.startswith("data:image/png") for src in parsed.images)
    assert any(src.startswith("data:image/svg+xml") for src in parsed.images)  # as a picture
    assert "alert(&quot;md-script&quot;)" in page or "alert(\"md-script\")" in page  # as text


def test_is_a_cell_output_of_javascript_alone_replaced_by_a_note():
    from autograder.pipeline.sanitise import sanitise_outputs

    outputs = [new_output("display_data", data={"application/javascript": "alert(1)"})]
    sanitise_outputs(outputs)
    assert outputs[0]["data"] == {"text/plain": "(an output that feedback pages do not show)"}


def test_is_the_notebook_written_by_nbgrader_still_valid_after_sanitising():
    from autograder.pipeline.sanitise import sanitise_notebook

    nb = sanitise_notebook(_vector_notebook())
    nbformat.validate(nb)


def test_does_no_student_script_survive_in_formgrader_after_sanitise_for_formgrader():
    """The autograded notebook as Formgrader renders it (nbconvert's stock exporter, its
    sanitiser off): after sanitise_for_formgrader, no vector is left, entity-hidden and
    reference-style javascript: links included; a plain answer with math is kept word for
    word."""
    import copy

    from nbconvert.exporters import HTMLExporter

    from autograder.pipeline.sanitise import sanitise_for_formgrader

    nb = _vector_notebook()
    nb.cells.append(new_markdown_cell("[a](jav&#x61;script:alert('entity'))\n\n"
                                      "[b]: javascript:alert('reference')\n\nsee [b]"))
    plain_answer = r"The slope is $\frac{\partial L}{\partial w} = (a - y)\,x$, so $w$ grows."
    nb.cells.append(new_markdown_cell(plain_answer))
    _, before = _render(copy.deepcopy(nb), HTMLExporter)
    _, baseline = _render(new_notebook(), HTMLExporter)
    assert _problems(before, baseline) != {"scripts": [], "events": [], "urls": [],
                                           "frames": []}
    cleaned = sanitise_for_formgrader(nb)
    _, after = _render(cleaned, HTMLExporter)
    assert _problems(after, baseline) == {"scripts": [], "events": [], "urls": [], "frames": []}
    assert cleaned.cells[-1].source == plain_answer


def test_is_an_image_outputs_metadata_kept_to_numbers():
    """nbconvert writes an image's width into the <img> tag unquoted: output metadata
    "width": "1 onerror=..." must not reach a page (a second red-team round); numbers stay."""
    from nbconvert.exporters import HTMLExporter

    from autograder.pipeline.sanitise import sanitise_for_formgrader

    output = new_output("display_data", data={"image/png": PNG},
                        metadata={"image/png": {"width": "1 onerror=alert('width')",
                                                "height": 5}, "isolated": True})
    nb = new_notebook(cells=[new_code_cell("show()", outputs=[output])])
    _, baseline = _render(new_notebook(), HTMLExporter)
    _, before = _render(nb, HTMLExporter)
    assert before.events, "the vector no longer works: the check proves nothing"
    cleaned = sanitise_for_formgrader(nb)
    _, after = _render(cleaned, HTMLExporter)
    assert _problems(after, baseline)["events"] == []
    assert cleaned.cells[0].outputs[0].metadata == {"image/png": {"height": 5}}
