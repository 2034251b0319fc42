"""Characters that no stored text may hold, checked wherever text comes in: answers,
participant and response files, questionnaire files, staff forms and command options.

PostgreSQL's text cannot hold NUL; XML 1.0 (the XLSX export) and HTML forms cannot carry
the other C0 control characters, except tab, line feed and carriage return, which free
text legitimately has; UTF-8 cannot encode a lone surrogate, which Python makes from
command-line bytes that are not UTF-8 and from escapes such as "\\ud800" in YAML. SQLite
would store all of them, so the check is ours, not the database's: the same text is
refused on both.
"""
from __future__ import annotations

import re

#: C0 controls but tab, LF and CR; surrogates (in a Python str, any surrogate is a lone one)
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def unstorable_character(text: str) -> str | None:
    """The first character of `text` that stored text must not hold, or None."""
    found = UNSTORABLE.search(text)
    return found.group() if found else None


def code_point(char: str) -> str:
    """'U+0000': how a message names an invisible character."""
    return f"U+{ord(char):04X}"


def describe(char: str) -> str:
    """The character as English messages name it, e.g. 'control character U+0000'."""
    if "\ud800" <= char <= "\udfff":
        return f"lone surrogate {code_point(char)} (from bytes that are not UTF-8)"
    return f"control character {code_point(char)}"


def mark_unstorable(text: str) -> str:
    """`text` with each character it must not hold shown as U+FFFD (�), the replacement
    character, so that a person sent back to a form can see what to remove."""
    return UNSTORABLE.sub("\ufffd", text)


def strip_unstorable(text: str) -> str:
    """`text` without the characters stored text must not hold."""
    return UNSTORABLE.sub("", text)
