"""Operations that set up organisations and campaigns. They flush, never commit."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Mapping
from zoneinfo import ZoneInfo

from questionnaires import Questionnaire, available
from scoring.years import data_year, year_label

from ..extensions import db
from ..models import Campaign, Organisation, QuestionnaireVersion
from ..models.organisation import ORGANISATION_TYPES
from ..models.types import utcnow

LOCAL = ZoneInfo("Europe/London")
#: the data years a campaign may belong to: organisation codes (TYYxx) give a year two digits
FIRST_YEAR, LAST_YEAR = 2000, 2099
MAX_ANONYMITY_THRESHOLD = 1000


class SetupError(ValueError):
    """Bad input for a set-up operation; the message says what is wrong."""


def _checked_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise SetupError("The organisation needs a name.")
    if len(name) > 200:
        raise SetupError("The organisation's name must be 200 characters or fewer.")
    return name


def _checked_welsh_name(name_cy: str | None) -> str | None:
    """The Welsh name to store: None for none (blank, or only spaces)."""
    name_cy = (name_cy or "").strip()
    if len(name_cy) > 200:
        raise SetupError("The organisation's name in Welsh must be 200 characters or fewer.")
    return name_cy or None


def create_organisation(*, name: str, type_letter: str, number: int, partnership: bool = False,
                        language_policy: str | None = None, name_cy: str | None = None) -> Organisation:
    """A new organisation; `name_cy` is its name in Welsh, if it has one."""
    name, name_cy = _checked_name(name), _checked_welsh_name(name_cy)
    type_letter = (type_letter or "").strip().upper()
    if type_letter not in ORGANISATION_TYPES:
        raise SetupError(f"Unknown organisation type '{type_letter}': use one of {', '.join(ORGANISATION_TYPES)}.")
    if not 1 <= number <= 99:
        raise SetupError(f"The organisation id must be a two-digit number from 01 to 99, not {number}.")
    if language_policy not in (None, "bilingual", "english"):
        raise SetupError(f"Unknown language policy '{language_policy}': use bilingual or english.")
    taken = db.session.execute(
        db.select(Organisation).filter_by(type_letter=type_letter, number=number)
    ).scalar_one_or_none()
    if taken is not None:
        raise SetupError(f"Type {type_letter} id {number:02d} is already used by another organisation.")
    org = Organisation(name=name, name_cy=name_cy, type_letter=type_letter, number=number, partnership=partnership,
                       language_policy=language_policy or Organisation.default_language_policy(type_letter))
    db.session.add(org)
    db.session.flush()
    return org


def rename_organisation(org: Organisation, *, name: str | None = None, name_cy: str | None = None) -> None:
    """Change the English name, the Welsh name or both; None leaves a name as it is, and
    a blank Welsh name removes it (the English one is then shown in Welsh too)."""
    if name is None and name_cy is None:
        raise SetupError("Give a new name, a new name in Welsh, or both.")
    checked = {}  # both checked before either changes
    if name is not None:
        checked["name"] = _checked_name(name)
    if name_cy is not None:
        checked["name_cy"] = _checked_welsh_name(name_cy)
    for column, value in checked.items():
        setattr(org, column, value)
    db.session.flush()


def freeze_questionnaire(questionnaire: Questionnaire) -> QuestionnaireVersion:
    """The stored version of this content, storing it the first time it is used.

    A version whose content changed without its version string changing is refused:
    answers already given against the old content would change meaning.
    """
    stored = db.session.execute(
        db.select(QuestionnaireVersion).filter_by(questionnaire=questionnaire.id, version=questionnaire.version)
    ).scalar_one_or_none()
    if stored is not None:
        if stored.content_hash != questionnaire.content_hash:
            raise SetupError(
                f"Questionnaire '{questionnaire.id}' version {questionnaire.version} has changed since campaigns "
                "started using it: give the edited file a new version."
            )
        return stored
    stored = QuestionnaireVersion(questionnaire=questionnaire.id, version=questionnaire.version,
                                  content=questionnaire.content, content_hash=questionnaire.content_hash)
    db.session.add(stored)
    db.session.flush()
    return stored


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), LOCAL)


def create_campaign(*, organisation: Organisation, questionnaire_id: str, opens: date, weeks: int = 4,
                    closes: date | None = None, anonymity_threshold: int = 5,
                    reminder_days: list[int] | None = None, final_reminder_days_before_close: int | None = 2,
                    now: datetime | None = None, questionnaires: Mapping[str, Questionnaire] | None = None) -> Campaign:
    """A campaign from midnight (UK time) of `opens` to midnight of its closing day.

    `questionnaires` are the ones to choose from when the caller has loaded them already
    (the demo creates a hundred campaigns); by default every file in questionnaires/."""
    questionnaires = available() if questionnaires is None else questionnaires
    if questionnaire_id not in questionnaires:
        known = ", ".join(sorted(questionnaires)) or "none"
        raise SetupError(f"Unknown questionnaire '{questionnaire_id}' (available: {known}).")
    kind = questionnaires[questionnaire_id].data_year
    year = data_year(opens, kind)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise SetupError(f"A campaign opening on {opens.isoformat()} would belong to the data year "
                         f"{year_label(year, kind)}: data years run from {year_label(FIRST_YEAR, kind)} to "
                         f"{year_label(LAST_YEAR, kind)} (organisation codes give a year two digits).")
    if closes is None:
        if weeks < 1 or weeks > 52:
            raise SetupError(f"A campaign runs for 1 to 52 weeks, not {weeks}.")
        closes = opens + timedelta(weeks=weeks)
    if closes <= opens:
        raise SetupError(f"The campaign would close ({closes.isoformat()}) before it opens ({opens.isoformat()}).")
    if anonymity_threshold < 3:
        raise SetupError("The anonymity threshold cannot be below 3.")
    if anonymity_threshold > MAX_ANONYMITY_THRESHOLD:
        raise SetupError(f"The anonymity threshold cannot be above {MAX_ANONYMITY_THRESHOLD}.")
    opens_at, closes_at = local_midnight(opens), local_midnight(closes)
    if reminder_days is None:  # weekly, as far as a short campaign lasts
        reminder_days = [d for d in (7, 14, 21) if opens + timedelta(days=d) < closes]
    days = sorted(set(reminder_days))
    if any(d < 1 or opens + timedelta(days=d) >= closes for d in days):
        raise SetupError("Reminder days must fall after the campaign opens and before it closes.")
    version = freeze_questionnaire(questionnaires[questionnaire_id])
    now = now or utcnow()
    campaign = Campaign(
        organisation=organisation, questionnaire_version=version, questionnaire=questionnaire_id,
        year=year, year_kind=kind, opens_at=opens_at, closes_at=closes_at, reminder_days=days,
        final_reminder_days_before_close=final_reminder_days_before_close,
        anonymity_threshold=anonymity_threshold,
        status="open" if opens_at <= now < closes_at else ("closed" if closes_at <= now else "scheduled"),
        closed_at=now if closes_at <= now else None,
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign
