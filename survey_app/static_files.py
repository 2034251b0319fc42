"""Versioned addresses for the stylesheets and scripts, so caches may keep them for a year.

`url_for("static", filename=...)` adds `?v=` and the first characters of the file's
sha256, read once when the app is built (a few small files): a new build of a file gets a new address, so a browser or
a proxy holding the old one for a year never serves it to a page that wants the new one.
A request with the current version is cached for a year and never revalidated; any other
request for a static file (no version, or an old one) only for a few minutes.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Request, current_app

VERSION_LENGTH = 10  # hex characters: 40 bits, more than enough to tell builds apart
VERSIONED = "public, max-age=31536000, immutable"
UNVERSIONED = "public, max-age=300"


def versions(folder: str | Path | None) -> dict[str, str]:
    """Each file under `folder` (by its name relative to it) -> its version."""
    root = Path(folder or "")
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:VERSION_LENGTH]
            for path in sorted(root.rglob("*")) if path.is_file() and not path.name.startswith(".")}


def version(filename: str, app: Flask | None = None) -> str | None:
    """The version of a file under static/ as the process started (None for any other name)."""
    return (app or current_app).extensions["static_versions"].get(filename)


def cache_control(request: Request) -> str:
    """Cache-Control for a static file: a year when the request names its current version."""
    filename = (request.view_args or {}).get("filename", "")
    current = version(filename)
    return VERSIONED if current is not None and request.args.get("v") == current else UNVERSIONED


def init_app(app: Flask) -> None:
    app.extensions["static_versions"] = versions(app.static_folder)

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            current = version(values.get("filename", ""), app)
            if current is not None:
                values["v"] = current
