"""Reading what the respondent's journey stored, the way the application does: a partial
response by the participant's locator, a submission in the sealed queue (opened with the
app's secret) or in the submitted store. Tests use these instead of joining a response
to its participant, which the schema no longer allows (docs/confidentiality.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone


@dataclass
class Stored:
    """A submission, wherever it is: "queue" (sealed, not yet released) or "store"."""

    where: str
    campaign_id: int
    language: str
    device_class: str | None
    day: date
    attributes: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    public_id: str | None = None
    source: str = "web"


def secret() -> str:
    from flask import current_app
    return current_app.config["SECRET_KEY"]


def partial_of(participant):
    """The participant's partial response (or None), found by their locator."""
    from survey_app.extensions import db
    from survey_app.links import response_locator
    from survey_app.models import Response

    db.session.expire_all()
    return db.session.execute(db.select(Response).where(
        Response.locator == response_locator(participant.id, secret()))).scalar_one_or_none()


def partial_answers(participant) -> dict[str, str]:
    response = partial_of(participant)
    return {} if response is None else response.answer_map()


def submissions(campaign_id: int | None = None) -> list[Stored]:
    """Every submission of the campaign (or all), queued or released."""
    from survey_app.extensions import db
    from survey_app.models import QueuedSubmission, SubmittedResponse
    from survey_app.submissions import unseal

    db.session.expire_all()
    out = []
    queued = db.select(QueuedSubmission)
    stored = db.select(SubmittedResponse)
    if campaign_id is not None:
        queued = queued.where(QueuedSubmission.campaign_id == campaign_id)
        stored = stored.where(SubmittedResponse.campaign_id == campaign_id)
    for row in db.session.execute(queued).scalars():
        payload = unseal(row.sealed, row.campaign_id, secret())
        out.append(Stored("queue", row.campaign_id, payload["language"], payload["device_class"], row.queued_on,
                          payload["attributes"], payload["answers"]))
    for row in db.session.execute(stored).scalars():
        out.append(Stored("store", row.campaign_id, row.language, row.device_class, row.submitted_on,
                          dict(row.attributes or {}), row.answer_map(), row.public_id, row.source))
    return out


def the_submission(campaign_id: int | None = None) -> Stored:
    """The one submission there is (fails when there are none or several)."""
    found = submissions(campaign_id)
    assert len(found) == 1, f"{len(found)} submissions stored, one expected"
    return found[0]


def release_all(now: datetime | None = None) -> dict[int, int]:
    """Release every queued submission now, as if every campaign had closed (a batch of
    one is allowed), and commit."""
    from survey_app.extensions import db
    from survey_app.submissions import release

    released = release(db.session, now or datetime.now(timezone.utc), secret(), everything=True)
    db.session.commit()
    return released
