"""The response headers every page sends: respondent, staff, errors, JSON and downloads.

A strict Content-Security-Policy: scripts and stylesheets from this site only, no inline
style, and an inline script only when a template carries it verbatim (the GOV.UK
template's `js-enabled` line, the error summary's focus line): its sha256 is read from
the template's own source at start-up, so the hash can never drift from what is rendered.
Answers and personal links may be on any page, so nothing is stored by caches, sent as a
referrer, framed or indexed. HSTS only in production, where TLS is in front.
"""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from flask import Flask, request

from . import static_files

#: a year, and every subdomain: what browsers' preload lists ask for
HSTS = "max-age=31536000; includeSubDomains"
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
}
#: what every policy holds, whatever a page may add (the development mail viewer's own)
BASE_POLICY = {
    "default-src": "'none'",
    "img-src": "'self' data:",  # data: is the empty favicon that saves a request
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_JINJA = re.compile(r"\{[{%#]")


def sha256_source(text: str) -> str:
    """A CSP hash source for an inline script or style: 'sha256-<base64>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_scripts(app: Flask) -> list[str]:
    """The text of every inline <script> in every template the app can render, as rendered.

    An inline script with Jinja in it would render differently from its source, and one
    over several lines would be re-indented by the respondent pages' compact_html: both
    are refused at start-up (put them in a file under static/ instead)."""
    env = app.jinja_env
    found: set[str] = set()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        source = env.loader.get_source(env, name)[0]
        for attributes, text in _SCRIPT.findall(source):
            if "src=" in attributes or not text:
                continue
            if _JINJA.search(text) or "\n" in text:
                raise RuntimeError(f"{name}: an inline script must be one line of plain JavaScript to be "
                                   f"allowed by its hash; move it to a file under static/")
            found.add(text)
    return sorted(found)


def policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def content_security_policy(app: Flask) -> str:
    scripts = " ".join(sha256_source(text) for text in inline_scripts(app))
    return policy({**BASE_POLICY, "script-src": f"'self' {scripts}".strip(), "style-src": "'self'",
                   "connect-src": "'self'"})


class _InlineStyles(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.found.update(value for name, value in attrs if name == "style" and value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style and data:
            self.found.add(data)


def sandboxed_document_policy(html: str) -> str:
    """The policy for showing an HTML document we did not write for the web (a caught email,
    styled inline as emails must be): sandboxed (no script, a unique origin), and only the
    styles it holds, allowed one by one by their hashes."""
    parser = _InlineStyles()
    parser.feed(html)
    parser.close()
    styles = " ".join(sha256_source(text) for text in sorted(parser.found))
    style_src = f"'unsafe-hashes' {styles}" if styles else "'none'"
    return "sandbox; " + policy({**BASE_POLICY, "style-src": style_src})


def init_app(app: Flask) -> None:
    """Send the headers on every response. Call after every blueprint is registered (their
    templates are read for inline scripts)."""
    headers = {**HEADERS, "Content-Security-Policy": content_security_policy(app)}
    if app.config.get("ENV") == "production":
        headers["Strict-Transport-Security"] = HSTS

    @app.after_request
    def _secure(response):
        own_policy = response.headers.get("Content-Security-Policy")  # a page's own (the mail viewer's)
        response.headers.update(headers)
        if own_policy:
            response.headers["Content-Security-Policy"] = own_policy
        if request.endpoint == "static" and response.status_code in (200, 206, 304):
            response.headers["Cache-Control"] = static_files.cache_control(request)
            response.headers.pop("Expires", None)
        return response
