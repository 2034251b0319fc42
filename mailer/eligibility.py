"""Whether a planned message should still go, decided at the moment of sending.

A reminder planned on Monday is not sent on Tuesday to someone who answered on Monday
night, withdrew, bounced or stopped reminders in between.
"""
from __future__ import annotations

from datetime import datetime

REMINDER_KINDS_PREFIX = "reminder_"


def template_kind(kind: str) -> str:
    """The template for an outbox kind: invitation, reminder or final_reminder."""
    if kind in ("invitation", "final_reminder"):
        return kind
    if kind.startswith(REMINDER_KINDS_PREFIX):
        return "reminder"
    raise ValueError(f"unknown outbox kind '{kind}'")


RETURN_SUBMITTED = "The organisation's return has been submitted."


def reason_not_to_send(row, participant, campaign, now: datetime, *, return_submitted: bool = False) -> str | None:
    """None when the message should go now; otherwise why not (stored on the row).

    `return_submitted`: the campaign is an organisation return (the Digital Maturity
    Assessment) and its lead has submitted it, which ends every reminder to its
    contributors (they have no response of their own to submit)."""
    if campaign.status == "closed" or now >= campaign.closes_at:
        return "The campaign closed before this message was sent."
    if now < campaign.opens_at:
        return "The campaign has not opened."
    if participant.status == "withdrawn":
        return "The participant was withdrawn."
    if participant.status == "bounced":
        return "The address bounced."
    if participant.email is None:
        return "The address has been erased."
    response = participant.response
    if response is not None and response.status == "submitted":
        return "The participant has already answered."
    if row.kind != "invitation" and participant.opted_out_at is not None:
        return "The participant stopped reminders."
    if row.kind != "invitation" and return_submitted:
        return RETURN_SUBMITTED
    return None
