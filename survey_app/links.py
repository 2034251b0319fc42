"""Personal links. Pure functions: the secret and base URL are passed in, so the mailer
can build links without Flask.

A token is the participant's id encrypted with AES-SIV (deterministic authenticated
encryption, RFC 5297) under a key derived from SECRET_KEY for the link's purpose, in
base64url without padding. So it says nothing about the participant, the campaign or
their sizes (every token is 32 characters of what looks like noise), it cannot be
guessed or altered (any change fails the cipher's check), it is read without looking
anything up, and the same participant always gets the same link (a re-sent email
carries the link of the first). The survey link and the stop-reminders link use keys of
their own, so neither works in place of the other. Whether a link still works
(campaign open, participant not withdrawn) is decided when it is used, not stored in it.

Links sent before these tokens were itsdangerous signatures over the id (readable: the
id in base64, a '.', a signature). They are still read, and the pages that take them
honour them only until the participant's campaign closes (`is_legacy_token`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous import BadSignature, URLSafeSerializer

#: the purposes a token is made for (the names are the old links' salts)
RESPOND_SALT = "respond"
STOP_REMINDERS_SALT = "stop-reminders"

_ID = struct.Struct(">Q")  # every id as 8 bytes, so every token has the same length
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # 16 bytes of check + 8 of id, base64url, unpadded


@lru_cache(maxsize=16)
def _cipher(secret: str, purpose: str) -> AESSIV:
    """AES-SIV with a 512-bit key of its own for each purpose (two AES-256 keys)."""
    key = HKDF(algorithm=hashes.SHA256(), length=64, salt=None,
               info=b"survey personal link v2: " + purpose.encode()).derive(secret if isinstance(secret, bytes) else secret.encode())
    return AESSIV(key)


def make_token(participant_id: int, secret: str, salt: str = RESPOND_SALT) -> str:
    """The token of a participant's link for one purpose (`salt`): always the same."""
    sealed = _cipher(secret, salt).encrypt(_ID.pack(participant_id), None)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")


def is_legacy_token(token: str) -> bool:
    """A token of the old, signed format: honoured only while its campaign is open."""
    return "." in token


def read_token(token: str, secret: str, salt: str = RESPOND_SALT) -> int | None:
    """The participant id in a token, or None when it is forged, altered, made for
    another purpose or with another secret. Old-format tokens are read too."""
    if is_legacy_token(token):
        return _read_legacy(token, secret, salt)
    if not _TOKEN.fullmatch(token):  # also refuses '+' and '/', which base64 would take for '-' and '_'
        return None
    try:
        plain = _cipher(secret, salt).decrypt(base64.urlsafe_b64decode(token), None)
    except InvalidTag:
        return None
    return _ID.unpack(plain)[0] if len(plain) == _ID.size else None


def _read_legacy(token: str, secret: str, salt: str) -> int | None:
    try:
        value = URLSafeSerializer(secret, salt=salt).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def respond_url(participant_id: int, secret: str, base_url: str) -> str:
    """The personal survey link: /s/<token>."""
    return f"{base_url.rstrip('/')}/s/{make_token(participant_id, secret)}"


def stop_reminders_url(participant_id: int, secret: str, base_url: str) -> str:
    """The link that stops reminders (it does not withdraw anyone from the survey)."""
    return f"{base_url.rstrip('/')}/stop-reminders/{make_token(participant_id, secret, STOP_REMINDERS_SALT)}"


@lru_cache(maxsize=4)
def _locator_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"survey response locator v1").derive(secret if isinstance(secret, bytes) else secret.encode())


def response_locator(participant_id: int, secret: str, token: str | None = None) -> str:
    """The key a partial response is found by: HMAC-SHA256 of what the personal link
    carries (the participant's sealed id), under a key derived from SECRET_KEY. Without
    that secret it cannot be worked out from the participant's row, so a database reader
    cannot follow a partial response to a person (docs/confidentiality.md). `token` is
    the participant's current-format survey token when the caller has it already."""
    token = token or make_token(participant_id, secret)
    return hmac.new(_locator_key(secret), token.encode("ascii"), hashlib.sha256).hexdigest()
