"""A Content-Security-Policy on every page, computed when the build has finished.

The site loads nothing from other hosts; the policy makes the browser enforce it, so that a
script, style, font or image from elsewhere (a CDN a future extension adds, an injected tag) is
refused and reported as a console error, which the browser tests count. Each page gets a
``<meta http-equiv="Content-Security-Policy">`` as the first element of its ``<head>`` (a meta
policy applies only to what follows it), with

- scripts from the site itself, and the inline scripts the theme and Sphinx write, each allowed by
  the SHA-256 of its exact text (any other inline script is blocked);
- the theme's inline event handlers (full screen, print) by their hashes ('unsafe-hashes'), the
  same on every page (the search page parses the pages it finds);
- styles from the site and inline (MathJax and Observable Plot write style elements and attributes;
  a style cannot run code);
- images and fonts from the site and data: URLs; no plugins (object-src 'none'); base-uri 'self'.

Data blocks (``<script type="application/json">``, the explorers' and questions' data) are not
executed and need no hash. A server that adds an inline script to every page it serves (`make
preview`'s reload script, tools/preview.py) names its hash in the config value ``csp_script_hashes``
("sha256-..."), so that the preview keeps the site's policy rather than switching it off.
"""

import base64
import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx

SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"""\son[a-z]+=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.I)
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


def _handlers(html: str) -> set[str]:
    """Hashes of a page's inline event handlers (onclick="...")."""
    return {
        _hash(m.group("dq") if m.group("dq") is not None else m.group("sq"))
        for m in HANDLER.finditer(SCRIPT.sub("", html))
    }


def policy(scripts: set[str], handlers: set[str]) -> str:
    script_src = ["'self'", *sorted(scripts)]
    if handlers:
        script_src += ["'unsafe-hashes'", *sorted(handlers)]
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(script_src),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def add_policy(html: str, handlers: set[str], served: set[str] = frozenset()) -> str:
    """The page with its policy; `served`: hashes of inline scripts that the server adds."""
    html = META.sub("", html)
    meta = (
        f'<meta http-equiv="Content-Security-Policy" content="{policy(_scripts(html) | served, handlers)}">\n'
    )
    # after <meta charset> (which must come first), before every script and style
    anchor = re.search(r"<meta charset=[^>]*>\n?", html, re.I) or re.search(r"<head[^>]*>\n?", html, re.I)
    if anchor is None:
        return html
    return html[: anchor.end()] + meta + html[anchor.end() :]


def _write_policies(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    pages = {page: page.read_text(encoding="utf-8") for page in Path(app.outdir).rglob("*.html")}
    # The handlers of every page, on every page: the search page parses the pages it finds
    # (DOMParser), and the browser checks their handlers against the search page's policy.
    handlers = set().union(*map(_handlers, pages.values()))
    served = {f"'{h}'" for h in app.config.csp_script_hashes if h}
    for page, text in pages.items():
        updated = add_policy(text, handlers, served)
        if updated != text:
            page.write_text(updated, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    # every page's policy is written again at the end of every build: no page needs rebuilding
    app.add_config_value("csp_script_hashes", [], "", [list])
    app.connect("build-finished", _write_policies)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
