"""HTML to PDF with WeasyPrint, loading nothing but the app's own static files.

Imported only when a report is written: WeasyPrint loads Pango when imported (about half
a second), which no other page or command needs."""
from __future__ import annotations

import mimetypes
import threading
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join


#: one report at a time per process: Pango and fontconfig under WeasyPrint have crashed
#: when several threads laid out documents at once (WeasyPrint's issue tracker), and a
#: gthread worker serves requests in threads; a report takes seconds of CPU either way
_lock = threading.Lock()


class StaticFilesOnly(URLFetcher):
    """Serves the app's static files (stylesheets, images) from disk and refuses every
    other address, so laying out a report never opens a connection."""

    def __init__(self, base_url: str, static_url_path: str, static_folder: str):
        super().__init__(allowed_protocols=())
        origin = urlsplit(base_url)
        self._origin = (origin.scheme, origin.netloc)
        self._prefix = static_url_path.rstrip("/") + "/"
        self._folder = static_folder

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = None
        if (parts.scheme, parts.netloc) == self._origin and parts.path.startswith(self._prefix):
            path = safe_join(self._folder, parts.path[len(self._prefix):])
        if path is None or not Path(path).is_file():
            raise ValueError(f"the PDF report loads only the app's own static files, not {url!r}")
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": media_type})


def write_pdf(html: str, *, base_url: str, static_url_path: str, static_folder: str) -> bytes:
    """The PDF of `html`, whose links are relative to `base_url`: tagged, so a screen
    reader finds its headings, tables and lists, and each chart as a figure whose text
    alternative is the chart's SVG <title>."""
    fetcher = StaticFilesOnly(base_url, static_url_path, static_folder)
    with _lock:
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(pdf_tags=True)
