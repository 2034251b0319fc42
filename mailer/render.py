"""Emails from templates, in one language or two.

Each language's part is rendered with that language's Babel catalogue loaded from
locales/ directly (no Flask request involved), dates are written by Babel in that
language, and a bilingual message puts the two parts one after the other, equal in
content and layout, the second announced at the top in its own language.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("en", "cy")
BABEL_LOCALES = {"en": "en_GB", "cy": "cy"}
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}  # each named in itself, never translated


class RenderError(RuntimeError):
    pass


def split_languages(languages: str) -> list[str]:
    """"cy+en" -> ["cy", "en"]; refuses anything but en and cy."""
    parts = languages.split("+")
    if not parts or any(p not in LANGUAGES for p in parts) or len(set(parts)) != len(parts):
        raise RenderError(f"Unknown message language '{languages}'.")
    return parts


def closing_date(last_day: date, language: str) -> str:
    """'Sunday 29 March 2026' / 'dydd Sul 29 Mawrth 2026'.

    CLDR capitalises Welsh day names ('Dydd Sul'); inside a sentence the glossary's
    lower-case 'dydd' is right, so the first letter is lowered for Welsh.
    """
    text = format_date(last_day, "EEEE d MMMM y", locale=BABEL_LOCALES[language])
    if language == "cy" and text.startswith("Dydd "):
        text = "d" + text[1:]
    return text


@dataclass(frozen=True)
class EmailFacts:
    """Everything a message says, independent of language."""

    #: invitation, reminder or final_reminder
    kind: str
    #: the person has a partial response ("carry on where you left off")
    started: bool
    #: the organisation's name in each language, {"en": ..., "cy": ...}: the Welsh part
    #: names it in Welsh (its English name when it has no Welsh one)
    organisation: dict
    #: the questionnaire's title and description, {"en": ..., "cy": ...}
    title: dict
    description: dict
    minutes: int
    #: the last day on which answers are accepted
    last_day: date
    respond_url: str
    stop_url: str
    #: the questionnaire is one return per organisation (the Digital Maturity Assessment):
    #: the person is asked to work on the organisation's return, not for their own views
    organisation_return: bool = False
    #: (an organisation return) the person is its lead, who alone submits it
    lead: bool = False

    @classmethod
    def for_campaign(cls, campaign, kind: str, started: bool, respond_url: str, stop_url: str,
                     zone, lead: bool = False) -> "EmailFacts":
        """The facts of a campaign's message; `zone` is the time zone its dates are in;
        `lead`: to the lead of an organisation return."""
        questionnaire = campaign.questionnaire_version.parsed()  # cached: no JSON per message
        last_day = (campaign.closes_at.astimezone(zone) - timedelta(microseconds=1)).date()
        names = {language: campaign.organisation.name_in(language) for language in LANGUAGES}
        organisation_return = questionnaire.is_organisation_return
        return cls(kind=kind, started=started and not organisation_return, organisation=names,
                   title=questionnaire.title.as_dict(), description=questionnaire.description.as_dict(),
                   minutes=int(questionnaire.minutes), last_day=last_day,
                   respond_url=respond_url, stop_url=stop_url,
                   organisation_return=organisation_return, lead=lead and organisation_return)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class _Section:
    language: str
    body: str


class Renderer:
    """Renders messages; safe to share between threads (one environment per language)."""

    def __init__(self, translations_dir: str):
        self.translations_dir = translations_dir
        self._envs: dict[str, Environment] = {}
        self._lock = threading.Lock()
        self._layout = self._environment(None)

    def _environment(self, language: str | None) -> Environment:
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                          trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                          extensions=["jinja2.ext.i18n"])
        if language is not None:
            env.install_gettext_translations(self._translations(language), newstyle=True)
        return env

    def _translations(self, language: str):
        if language == "en":  # the source language: the msgids are the English text
            return Translations()
        found = Translations.load(self.translations_dir, [language], domain="messages")
        if not isinstance(found, Translations):
            raise RenderError(f"No compiled '{language}' catalogue under {self.translations_dir} (run `make`).")
        return found

    def env(self, language: str) -> Environment:
        with self._lock:
            if language not in self._envs:
                self._envs[language] = self._environment(language)
            return self._envs[language]

    def render(self, facts: EmailFacts, languages: str) -> RenderedEmail:
        """One message in `languages` ("en", "cy", "cy+en" or "en+cy")."""
        order = split_languages(languages)
        # an organisation return's messages are worded apart: a return to work on together
        prefix = "return_" if facts.organisation_return else ""
        subjects, texts, htmls = [], [], []
        for language in order:
            env = self.env(language)
            values = {
                "kind": facts.kind, "started": facts.started, "lead": facts.lead,
                "organisation": facts.organisation[language],
                "title": facts.title[language], "description": facts.description[language],
                # the web's sentence and number format (one msgid, so one Welsh translation)
                "minutes": facts.minutes, "minutes_text": format_decimal(facts.minutes, locale=BABEL_LOCALES[language]),
                "closing_date": closing_date(facts.last_day, language),
                "respond_url": facts.respond_url, "stop_url": facts.stop_url,
            }
            subjects.append(env.get_template(f"{prefix}subject.txt").render(values).strip())
            texts.append(_Section(language, env.get_template(f"{prefix}body.txt").render(values).strip()))
            htmls.append(_Section(language, Markup(env.get_template(f"{prefix}body.html").render(values).strip())))
        note = None
        if len(order) == 2:
            note = self.env(order[1]).get_template("note.txt").render(language=order[1]).strip()
        subject = " / ".join(subjects)
        text = self._layout.get_template("email.txt").render(sections=texts, note=note).strip() + "\n"
        html = self._layout.get_template("email.html").render(sections=htmls, note=note, subject=subject)
        return RenderedEmail(subject=subject, text=text, html=html.strip() + "\n", languages=tuple(order))
