"""Signed personal links. Pure functions: the secret and base URL are passed in, so the
mailer can build links without Flask.

A token names the participant and is signed with SECRET_KEY (itsdangerous): it cannot be
guessed or altered. Whether it still works (campaign open, participant not withdrawn) is
decided when it is used, not stored in it.
"""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

RESPOND_SALT = "respond"
STOP_REMINDERS_SALT = "stop-reminders"


def _serializer(secret: str, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=salt)


def make_token(participant_id: int, secret: str, salt: str = RESPOND_SALT) -> str:
    return _serializer(secret, salt).dumps(participant_id)


def read_token(token: str, secret: str, salt: str = RESPOND_SALT) -> int | None:
    """The participant id in a token, or None when it is forged, altered or not ours."""
    try:
        value = _serializer(secret, salt).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def respond_url(participant_id: int, secret: str, base_url: str) -> str:
    """The personal survey link: /s/<token>."""
    return f"{base_url.rstrip('/')}/s/{make_token(participant_id, secret)}"


def stop_reminders_url(participant_id: int, secret: str, base_url: str) -> str:
    """The link that stops reminders (it does not withdraw anyone from the survey)."""
    return f"{base_url.rstrip('/')}/stop-reminders/{make_token(participant_id, secret, STOP_REMINDERS_SALT)}"
