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

The autograded notebooks that the instructor opens in Formgrader to grade written answers by
hand get the same treatment (:func:`sanitise_for_formgrader`): Formgrader renders a submission
with nbconvert's exporter, which runs a student's HTML as it is, in the instructor's logged-in
Jupyter (where a script can set grades or open a terminal). There the markdown *source* is
cleaned, since Formgrader renders it itself: a markdown cell is kept word for word unless it
holds HTML outside the allow-list (:func:`needs_sanitising`), and is then escaped by
:func:`sanitise_html`. The Formgrader configuration written next to it also turns on nbconvert's
own sanitiser, as a second layer.

What stays: text, math (MathJax reads the text, which escaping does not change), plots (PNG and
SVG images) and the widgets' own picture (the explorer shows a PNG ``Image``, kept as an image).
The page's own scripts (MathJax) come from the template, not from the notebook.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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


#: URL schemes a link may use (and ``data:`` for pictures only, see :func:`_safe_target`).
LINK_PROTOCOLS = frozenset({"http", "https", "mailto"})

_CLEANER = bleach.sanitizer.Cleaner(
    tags=TAGS, attributes=_attribute_allowed, protocols=LINK_PROTOCOLS | {"data"},
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
        # Output metadata reaches the page too: nbconvert writes an image's width and height
        # into the <img> tag unquoted, so "1 onerror=..." would add an attribute. Only numbers
        # are kept, per picture; nothing else ("isolated" would give the HTML a frame).
        metadata = output.get("metadata", {})
        kept = {}
        if isinstance(metadata, dict):
            for mime, sizes in metadata.items():
                if str(mime).startswith("image/") and isinstance(sizes, dict):
                    numbers = {k: v for k, v in sizes.items() if k in ("width", "height")
                               and type(v) in (int, float) and v == v and 0 < v < 1e5}
                    if numbers:
                        kept[mime] = numbers
        output["metadata"] = kept
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


class _TagLister(HTMLParser):
    """Every start tag, its attributes, and whether a comment or declaration occurs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.other = [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.other = True

    def handle_decl(self, decl):
        self.other = True

    def handle_pi(self, data):
        self.other = True

    def unknown_decl(self, data):
        self.other = True


#: Looked for in the raw text as well as in what the parser finds, because a browser also reads
#: a tag the parser drops (one left open at the end of a cell, closed by the next cell's ``>``):
#: an event-handler attribute, a script URL, a tag that runs or embeds anything.
_SUSPECT = re.compile(r"\bon[a-z]+\s*=|javascript:|vbscript:|<\s*/?\s*(script|iframe|object|embed|"
                      r"svg|math|style|link|meta|base|form|frame|frameset|applet|template|"
                      r"noscript|xmp|plaintext|textarea|title|input|button|video|audio|source)\b",
                      re.IGNORECASE)


def needs_sanitising(markdown):
    """Does a markdown source hold HTML that the allow-list would change (a tag outside
    :data:`TAGS`, an attribute or URL it refuses, a comment or declaration)?"""
    if isinstance(markdown, list):
        markdown = "".join(markdown)
    text = str(markdown)
    if "<" not in text and "javascript:" not in text.lower():
        return False
    lister = _TagLister()
    try:
        lister.feed(text)
        lister.close()
    except Exception:   # an unparsable fragment: treat it as HTML to clean
        return True
    # a script URL as a browser reads it: entities decoded, blanks and controls dropped
    squeezed = "".join(ch for ch in html.unescape(text) if ch > " ").lower()
    if lister.other or _SUSPECT.search(text) or "script:" in squeezed:
        return True
    for tag, attrs in lister.tags:
        if tag not in TAGS:
            return True
        for name, value in attrs:
            if not _attribute_allowed(tag, name, value or ""):
                return True
            if name in ("href", "src") and not _safe_target(value or ""):
                return True
    return False


#: A markdown link's target, inline ``[text](target)`` or a reference ``[name]: target``.
_MARKDOWN_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)|(^[ \t]*\[[^\]\n]+\]:[ \t]*<?)(\S+?)(?=>|\s|$)",
                            re.MULTILINE)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _safe_target(target):
    """Is a link target one the allow-list keeps (:data:`LINK_PROTOCOLS`, in-page or relative,
    a data: picture as :data:`_PICTURE` allows, SVG excepted since a link would open it as a
    page)? Read as a browser reads it: entities decoded, blanks and controls dropped."""
    plain = "".join(ch for ch in html.unescape(target) if ch > " ")
    scheme = _SCHEME.match(plain)
    if scheme is None:
        return True
    if scheme.group(1).lower() == "data":
        return bool(_PICTURE.match(plain)) and not plain.lower().startswith("data:image/svg")
    return scheme.group(1).lower() in LINK_PROTOCOLS


def sanitise_markdown_links(markdown):
    """``markdown`` with every link target outside the allow-list replaced by ``#blocked``."""
    def replace(match):
        prefix, target = (match.group(1), match.group(2)) if match.group(1) is not None \
            else (match.group(3), match.group(4))
        return prefix + (target if _safe_target(target) else "#blocked")
    return _MARKDOWN_LINK.sub(replace, markdown)


def sanitise_for_formgrader(nb):
    """Sanitise an autograded notebook as Formgrader will show it (in place; returns it):
    outputs, raw cells and attachments as for a feedback page; in every markdown cell, link
    targets outside the allow-list become ``#blocked`` and HTML outside it is escaped (a note
    says so to the grader)."""
    sanitise_notebook(nb)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        cleaned = sanitise_markdown_links(source)
        if needs_sanitising(cleaned):
            cleaned = ("*(HTML outside the allow-list was escaped by the autograder.)*\n\n"
                       + sanitise_markdown_links(sanitise_html(cleaned)))
        if cleaned != source:
            cell["source"] = cleaned
    return nb
