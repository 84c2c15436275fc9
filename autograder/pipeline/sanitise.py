"""Keep every script a student wrote out of the feedback pages (issue 12, hole 6).

Feedback pages are opened by the instructor, and may be published together: a student's
``<script>`` in a markdown cell, an ``<iframe src=javascript:...>``, ``display(HTML(...))``,
``Javascript(...)``, an ``onerror=`` attribute or an SVG with a script would run there. The rule
is an ALLOW-LIST, applied to everything in a page that the student controls:

* **HTML** (markdown cells once rendered, raw cells, ``text/html`` and ``text/markdown``
  outputs) goes through :func:`sanitise_html`: only the tags and attributes of text, tables,
  code, links and images are kept; every other tag is shown as text; links may only be
  ``http``, ``https``, ``mailto`` or in-page, and images only ``http(s)`` or ``data:`` pictures
  (PNG, JPEG, GIF, WebP, SVG: an ``<img>`` never runs an SVG's scripts); no ``on*`` attribute,
  no ``style`` beyond a few layout properties.
* **Outputs** keep only the mime types of :data:`SAFE_OUTPUT_TYPES` (text, LaTeX, pictures,
  which nbconvert escapes or embeds as ``<img>``) and :data:`SANITISED_OUTPUT_TYPES`;
  JavaScript, widget views and any unknown type are removed (:func:`sanitise_notebook`), and so
  is the notebook's widget state (a widget names the script module that draws it).

What stays: text, math (MathJax reads the text, which escaping does not change), plots (PNG and
SVG images) and the widgets' own picture (the explorer shows a PNG ``Image``, kept as an image).
The page's own scripts (MathJax) come from the template, not from the notebook.
"""
from __future__ import annotations

import re

import bleach
from bleach.css_sanitizer import CSSSanitizer

#: Tags of text, lists, tables, code, links and pictures: what markdown and a plain HTML table
#: (pandas) produce. Everything else is escaped: a student sees it as text.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
    "ul", "var",
})
_COMMON = ["class", "id", "title", "style"]
ATTRIBUTES = {"*": _COMMON, "a": _COMMON + ["href", "name"],
              "img": _COMMON + ["src", "alt", "width", "height"],
              "td": _COMMON + ["colspan", "rowspan", "align"],
              "th": _COMMON + ["colspan", "rowspan", "align", "scope"],
              "ol": _COMMON + ["start"], "col": _COMMON + ["span"]}
#: ``style`` may set layout and colour, nothing that loads anything (no ``url()``).
STYLES = frozenset({"text-align", "vertical-align", "color", "background-color", "font-weight",
                    "font-style", "width", "height", "max-width", "min-width", "padding",
                    "margin", "border", "border-collapse", "white-space"})
_PICTURE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)

#: Output mime types kept as they are: nbconvert escapes text and LaTeX, and embeds pictures as
#: ``<img src="data:...">`` (SVG included: scripts in an ``<img>`` do not run).
SAFE_OUTPUT_TYPES = frozenset({"text/plain", "text/latex", "image/png", "image/jpeg",
                               "image/gif", "image/svg+xml", "application/json"})
#: Output mime types kept and sanitised: HTML by :func:`sanitise_html` here, markdown once the
#: template has rendered it (by the feedback exporter's markdown filter).
SANITISED_OUTPUT_TYPES = frozenset({"text/html", "text/markdown"})


def _attribute_allowed(tag, name, value):
    allowed = ATTRIBUTES.get(tag, ATTRIBUTES["*"])
    if name not in allowed:
        return False
    if name == "src":   # bleach has checked the scheme; a data: URL must be a picture
        return not value.strip().lower().startswith("data:") or bool(_PICTURE.match(value.strip()))
    if name == "href":
        return not value.strip().lower().startswith("data:")
    return True


_CLEANER = bleach.sanitizer.Cleaner(
    tags=TAGS, attributes=_attribute_allowed, protocols={"http", "https", "mailto", "data"},
    strip=False, strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=STYLES))


def sanitise_html(fragment):
    """``fragment`` with only allow-listed tags, attributes and URLs (see the module docstring).

    Parameters
    ----------
    fragment : str or bytes

    Returns
    -------
    str
    """
    if isinstance(fragment, bytes):
        fragment = fragment.decode("utf-8", "replace")
    if isinstance(fragment, list):   # nbformat allows a list of lines
        fragment = "".join(fragment)
    return _CLEANER.clean(str(fragment))


def sanitise_outputs(outputs):
    """Keep only safe mime types of display outputs, sanitising HTML; changes ``outputs``."""
    for output in outputs:
        if output.get("output_type") not in ("display_data", "execute_result"):
            continue     # streams and errors are plain text, escaped by the template
        data = output.get("data", {})
        for mime in list(data):
            if mime == "text/html":
                data[mime] = sanitise_html(data[mime])
            elif mime not in SAFE_OUTPUT_TYPES:
                del data[mime]
        if not data:     # nothing left to show: say so rather than leave an empty box
            data["text/plain"] = "(an output that feedback pages do not show)"
        metadata = output.get("metadata", {})
        if isinstance(metadata, dict):
            metadata.pop("text/html", None)   # "isolated": an iframe of its own
    return outputs


def sanitise_notebook(nb):
    """Sanitise what a feedback page shows of ``nb`` (in place; returns it).

    Raw cells and outputs are cleaned here; markdown cells are cleaned after rendering (by the
    feedback exporter's markdown filter), so that math and markdown syntax survive.
    """
    metadata = nb.get("metadata", {})
    metadata.pop("widgets", None)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "raw":
            cell["source"] = sanitise_html(cell.get("source", ""))
        elif cell.get("cell_type") == "code":
            sanitise_outputs(cell.get("outputs", []))
        attachments = cell.get("attachments")
        if isinstance(attachments, dict):   # shown as <img src="data:...">: pictures only
            for name, bundle in list(attachments.items()):
                if not isinstance(bundle, dict):
                    del attachments[name]
                    continue
                for mime in [m for m in bundle if not str(m).startswith("image/")]:
                    del bundle[mime]
    return nb
