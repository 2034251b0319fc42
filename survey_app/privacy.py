"""Email normalisation and hashing (DESIGN.md "participant")."""
from __future__ import annotations

import hashlib
import hmac
import unicodedata


def normalise_email(email: str) -> str:
    """Trimmed, Unicode NFC, lower-cased."""
    return unicodedata.normalize("NFC", email.strip()).lower()


def email_hash(email: str, key: str) -> str:
    """HMAC-SHA256(key, normalised email) as 64 hex characters."""
    return hmac.new(key.encode("utf-8"), normalise_email(email).encode("utf-8"), hashlib.sha256).hexdigest()
