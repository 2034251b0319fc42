"""The device class (mobile, tablet, desktop) of a browser, from its user agent.

Recorded with a response as metadata beside the respondent's own answer about the
device they use; ua-parser names the device, the usual conventions class it
(an Android browser without "Mobile" is a tablet; iPadOS 13+ reports itself as a Mac
and so counts as a desktop, as in every user-agent based report).
"""
from __future__ import annotations

from functools import lru_cache

from ua_parser import parse_device, parse_os

TABLET_HINTS = ("ipad", "tablet", "kindle", "silk/", "playbook", "nexus 7", "nexus 9", "nexus 10")
MOBILE_OS = ("ios", "android", "windows phone", "blackberry os", "kaios", "firefox os")


def device_class(user_agent: str | None) -> str | None:
    """"mobile", "tablet" or "desktop"; None when the browser sent no user agent.
    Remembered per user agent (a few hundred browsers send most of them, and ua-parser's
    regular expressions are a good part of an answer POST), unless it is unusually long."""
    if user_agent is not None and len(user_agent) > 1000:
        return _device_class.__wrapped__(user_agent)
    return _device_class(user_agent)


@lru_cache(maxsize=4096)
def _device_class(user_agent: str | None) -> str | None:
    ua = (user_agent or "").strip()
    if not ua:
        return None
    lowered = ua.lower()
    device = parse_device(ua)
    family = (device.family or "").lower() if device else ""
    brand = (device.brand or "").lower() if device and device.brand else ""
    if any(h in lowered for h in TABLET_HINTS) or "tablet" in family or "tablet" in brand:
        return "tablet"
    if "android" in lowered and "mobile" not in lowered:
        return "tablet"
    os = parse_os(ua)
    if "mobi" in lowered or (os and (os.family or "").lower() in MOBILE_OS):
        return "mobile"
    return "desktop"
