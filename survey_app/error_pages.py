"""The pages nginx shows when it answers a request itself, instead of its bare English ones:
gunicorn down, restarting or too slow (502, 504, or nginx's own 500 and 503), or a body
over nginx's client_max_body_size (413). deploy/nginx.conf serves them with `error_page`.

Nobody's language is known to nginx, so each page is in Welsh and English at once, Welsh
first, each part marked with its lang (base.html's `page_languages`), rendered from the
app's own templates with the app's translations. They are written once into
static/errors/ (`make assets`, or `flask error-pages` after a change), never by hand:
every string comes from the catalogue, and the stylesheet's address carries its version.
The app's own error pages (its 503 when the database is down, its 413s) are not these:
nginx passes the app's answers through as they are.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app, render_template
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from .i18n import LOCALES

#: the pages' folder under static/ (kept out of git: built from the templates)
FOLDER = "errors"
#: Welsh first, as Welsh councils write to someone whose language they do not know
LANGUAGES = ("cy", "en")


@dataclass(frozen=True)
class Page:
    title: object  # lazy strings: read in each language as the page is written
    paragraphs: tuple


#: file name -> page; which location of deploy/nginx.conf shows which is said there
PAGES = {
    # gunicorn is not answering, or not in time: anywhere but the respondent's pages
    "unavailable.html": Page(_l("Sorry, there is a problem with the service"), (_l("Try again later."),)),
    # the same on a respondent's page: what they saved is kept (as the app's own 503 page says)
    "respond-unavailable.html": Page(_l("Sorry, there is a problem with the service"), (
        _l("Try again later."), _l("Your answers are kept up to the last page you saved."))),
    # a body over 64 MB: only a console upload can be that large
    "too-large.html": Page(_l("What was sent is too big"), (_l("Go back and send a smaller file."),)),
    # a respondent's page over 64 kB (as the app's own 413 page, respond/too_large.html)
    "respond-too-large.html": Page(_l("Your answers on this page were not saved"), (
        _l("They were too long to send. Go back to the page, shorten your answers and try again."),
        _l("Your earlier answers are safe."))),
    # the stop-reminders link over 64 kB (as the app's own, reminders/stop.html)
    "stop-reminders-too-large.html": Page(_l("Reminders were not stopped"), (
        _l("What was sent was too large. Go back to the page and try again."),)),
}


def render_pages(app: Flask) -> dict[str, str]:
    """Each page's file name -> its HTML, in both languages."""
    pages = {}
    # a request for "/" gives url_for and the templates what they need; its language is
    # Welsh, the page's first, and each part is then written in each language
    with app.test_request_context("/"), force_locale(LOCALES[LANGUAGES[0]]):
        for name, page in PAGES.items():
            pages[name] = render_template("error.html", title=page.title, paragraphs=page.paragraphs,
                                          page_languages=LANGUAGES)
    return pages


def write_pages(app: Flask, folder: Path | None = None) -> Path:
    """Write every page into `folder` (static/errors/ by default); returns the folder.
    Pages no longer in PAGES are removed, so nginx never shows a stale one."""
    folder = Path(folder or Path(app.static_folder) / FOLDER)
    pages = render_pages(app)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.html"):
        if old.name not in pages:
            old.unlink()
    for name, html in pages.items():
        (folder / name).write_text(html, encoding="utf-8")
    return folder


@click.command("error-pages")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write them (default: survey_app/static/errors).")
@with_appcontext
def error_pages_command(folder: Path | None) -> None:
    """Write the pages nginx shows for its own errors (502, 504, 413), in Welsh and English."""
    written = write_pages(current_app, folder)
    click.echo(f"{len(PAGES)} error pages written to {written}")


def build_app() -> Flask:
    """The app as far as writing the pages needs: no database, no secrets, whatever the
    environment says (`make` runs this before any deployment settings exist)."""
    from . import create_app

    return create_app({"ENV": "build", "SECRET_KEY": "error-pages-build-only-" + "x" * 16,
                       "EMAIL_HASH_KEY": "error-pages-build-only-" + "y" * 16, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


if __name__ == "__main__":  # python -m survey_app.error_pages [FOLDER]: what `make assets` runs
    app = build_app()
    print(f"{len(PAGES)} error pages written to {write_pages(app, Path(sys.argv[1]) if len(sys.argv) > 1 else None)}")
