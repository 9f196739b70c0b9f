"""A Content-Security-Policy on every page, computed when the build has finished.

The site loads nothing from other hosts; the policy makes the browser enforce it, so that a
script, style, font or image from elsewhere (a CDN a future extension adds, an injected tag) is
refused and reported as a console error, which the browser tests count. Each page gets a
``<meta http-equiv="Content-Security-Policy">`` as the first element of its ``<head>`` (a meta
policy applies only to what follows it), with

- scripts from the site itself, and the inline scripts the theme and Sphinx write, each allowed by
  the SHA-256 of its exact text (any other inline script is blocked);
- no inline event handler: the theme's two (print, full screen) are replaced by data attributes
  that code/course_build/ext/static/header-actions.js binds.

The content of a page may not hold code at all: a script, an event handler, a srcdoc frame or a
javascript: URL in raw HTML (a chapter's, a cell's HTML output, a quiz's text) fails the build,
with the page and line (`refuse_code_in_content`). So the inline scripts that the policy finds in
the finished pages, and hashes, are the templates' and the extensions' own.
- styles from the site and inline (the typeset maths and Observable Plot carry style elements and attributes;
  a style cannot run code);
- images and fonts from the site and data: URLs; no plugins (object-src 'none'); base-uri 'self'.

Data blocks (``<script type="application/json">``, the explorers' and questions' data) are not
executed and need no hash. A server that adds an inline script to every page it serves (`make
preview`'s reload script, code/course_build/preview.py) names its hash in the config value ``csp_script_hashes``
("sha256-..."), so that the preview keeps the site's policy rather than switching it off.
"""

import base64
import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from course_build.ext import static_files

LOGGER = logging.getLogger(__name__)

SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', re.I)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _scripts(html: str) -> set[str]:
    """Hashes of a page's inline scripts (not of data blocks, nor of scripts with a src)."""
    hashes = set()
    for match in SCRIPT.finditer(html):
        attrs = match.group("attrs")
        kind = TYPE.search(attrs)
        if re.search(r"\ssrc\s*=", attrs, re.I) or (kind and kind.group(1).lower() not in JS_TYPES):
            continue
        hashes.add(_hash(match.group("body")))
    return hashes


def policy(scripts: set[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(["'self'", *sorted(scripts)]),
            "worker-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def add_policy(html: str, served: set[str] = frozenset()) -> str:
    """The page with its policy; `served`: hashes of inline scripts that the server adds."""
    html = META.sub("", html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(_scripts(html) | served)}">\n'
    # after <meta charset> (which must come first), before every script and style
    anchor = re.search(r"<meta charset=[^>]*>\n?", html, re.I) or re.search(r"<head[^>]*>\n?", html, re.I)
    if anchor is None:
        return html
    return html[: anchor.end()] + meta + html[anchor.end() :]


def _write_policies(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    pages = {
        page: strip_theme_handlers(page.read_text(encoding="utf-8"))
        for page in Path(app.outdir).rglob("*.html")
    }
    served = {f"'{h}'" for h in app.config.csp_script_hashes if h}
    for page, text in pages.items():
        updated = add_policy(text, served)
        if updated != page.read_text(encoding="utf-8"):
            page.write_text(updated, encoding="utf-8")


# What a page's content (raw HTML in a chapter, a cell's HTML output, a quiz's text) may not hold:
# code that would run. Data blocks (<script type="application/json">) are data, not code.
CONTENT_CODE = {
    "a script": re.compile(r"<script\b(?![^>]*\btype\s*=\s*[\"']?application/json)", re.I),
    "an event handler attribute": re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.I | re.S),
    "a srcdoc frame": re.compile(r"<[a-z][^>]*?\ssrcdoc\s*=", re.I | re.S),
    "a javascript: URL": re.compile(r"(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:", re.I),
}
# The theme's own handler attributes (sphinx-book-theme's header buttons), each replaced by a
# data-action that static/header-actions.js binds: the policy then needs no 'unsafe-hashes'.
# (In the course the print button is gone by then: course_pdf.py makes it a link to the PDF.)
THEME_HANDLERS = {' onclick="window.print()"': "print", ' onclick="toggleFullScreen()"': "fullscreen"}


def refuse_code_in_content(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A build warning (so a failed build) for each piece of the page's content that would run:
    only the templates and the site's own scripts may, and the policy allows only theirs."""
    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split():
            continue
        if node.line is None and node.source is None:
            continue  # written by an extension (sphinx-thebe's kernel name), not read from the page
        for what, pattern in CONTENT_CODE.items():
            if pattern.search(node.astext()):
                LOGGER.warning(
                    f"{what} in the page's content, which the site's Content-Security-Policy would "
                    f"let run: {node.astext().strip()[:120]!r}",
                    type="csp",
                    location=node,
                )


def strip_theme_handlers(html: str) -> str:
    for attribute, action in THEME_HANDLERS.items():
        html = html.replace(attribute, f' data-lc-action="{action}"')
    return html


def setup(app: Sphinx) -> dict:
    from course_build.upstream import written_for

    written_for("sphinx-book-theme", "1.3.0", "csp.THEME_HANDLERS (the header buttons' onclick attributes)")
    # every page's policy is written again at the end of every build: no page needs rebuilding
    app.add_config_value("csp_script_hashes", [], "", [list])
    app.connect("doctree-resolved", refuse_code_in_content)
    app.connect("build-finished", _write_policies)
    static_files.serve(app, "header-actions.js")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
