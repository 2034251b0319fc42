"""What a client can tell from a page under a fault (shared by the suite's own clients and
bench/locustfile.py, which cannot be imported here: Locust patches the standard library)."""
from __future__ import annotations

import re

#: the page the product shows when it could not finish a request but kept what the person
#: sent ("try again, your answers are saved", issue 14 row 9): a 5xx page saying so is a
#: handled failure; any other 500 is a bare one (an exception nobody caught)
SAVED = re.compile(r"\bsaved\b", re.IGNORECASE)
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def is_bare_500(status: int, body: str) -> bool:
    return status == 500 and not SAVED.search(body)


def csrf_token(body: str) -> str | None:
    found = CSRF.search(body)
    return found.group(1) if found else None
