"""Choosing the interface language and formatting for it."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, g, has_request_context, request, session
from flask_babel import force_locale, format_date, format_datetime, format_number, format_time, get_locale
from markupsafe import Markup

LANGUAGES = ("en", "cy")
#: the Babel locale of each language: British English writes "22 December 2026"
LOCALES = {"en": "en_GB", "cy": "cy"}


def select_locale() -> str:
    """The Babel locale for this request (see `select_language`)."""
    return LOCALES[select_language()]


def select_language() -> str:
    """The page language, in this order:

    1. a choice made with the language switch (`?lang=cy` on any page, remembered
       for the rest of the visit in the session);
    2. a language a view has fixed for this request (`g.language`), else the one
       remembered in the session;
    3. the participant's recorded preference (a view sets `g.preferred_language`);
    4. the browser's Accept-Language;
    5. English.
    """
    if not has_request_context():
        return "en"
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["language"] = asked
        return asked
    chosen = getattr(g, "language", None)
    if chosen in LANGUAGES:
        return chosen
    if not has_request_context():  # the CLI and the scheduler: English unless forced
        return "en"
    remembered = session.get("language")
    if remembered in LANGUAGES:
        return remembered
    preferred = getattr(g, "preferred_language", None)
    if preferred in LANGUAGES:
        return preferred
    best = request.accept_languages.best_match(LANGUAGES)
    return best or "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale and locale.language in LANGUAGES else "en"


def language_switch_url(language: str) -> str:
    """This page's address with the language switched (other query arguments kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", language))
    return f"{request.path}?{urlencode(args)}"


def in_languages(languages, separator: str = "", *, caller) -> Markup:
    """A template block once in each of `languages`, each rendered in its language (its
    gettext calls, dates and numbers), for a page in Welsh and English at once:

        {% call(language) in_languages(["cy", "en"]) %}<p lang="{{ language }}">{{ _("Back") }}</p>{% endcall %}
    """
    parts = []
    for language in languages:
        with force_locale(LOCALES[language]):
            parts.append(caller(language))
    return Markup(separator).join(parts)


def init_app(app: Flask) -> None:
    """Template globals: the language in use, the switch, and Babel's formatting."""
    app.jinja_env.globals.update(current_language=current_language, language_switch_url=language_switch_url,
                                 in_languages=in_languages,
                                 format_date=format_date, format_time=format_time,
                                 format_datetime=format_datetime, format_number=format_number)
