"""Choosing the interface language and formatting for it."""
from __future__ import annotations

from flask import g, has_request_context, request, session

LANGUAGES = ("en", "cy")


def select_locale() -> str:
    """The page language: an explicit choice for this page or session, else the
    participant's recorded preference, else Accept-Language, else English."""
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
    if request:
        best = request.accept_languages.best_match(LANGUAGES)
        if best:
            return best
    return "en"
