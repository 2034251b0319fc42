"""What the respondent tests share: every answer of the User Satisfaction survey, browser
sizes, and filling in and submitting the form through a test client."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/140.0.0.0 Mobile Safari/537.36"}
DESKTOP = {"viewport": {"width": 1280, "height": 900},
           "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/140.0.0.0 Safari/537.36"}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

# Every answer of the User Satisfaction survey, as the form posts them.
ABOUT_YOU = {"device": "laptop", "location": "home", "role": "manager", "working_mode": "hybrid"}
OVERALL = {"overall": "6", "improved": "dont_know"}
SATISFACTION = {f"sat_S{n}": str(n % 7 + 1) for n in range(1, 21)} | {"sat_S20": "not_applicable"}
IMPORTANCE = {f"imp_S{n}": str((n + 3) % 7 + 1) for n in range(1, 21)}
COMMENTS = {"comments": "Faster laptops, please.\nAnd Wi-Fi in the depot."}
ALL_ANSWERS = {"about-you": ABOUT_YOU, "overall": OVERALL, "satisfaction": SATISFACTION,
               "importance": IMPORTANCE, "comments": COMMENTS}


@dataclass
class Respondent:
    campaign: object
    participant: object
    token: str

    @property
    def url(self) -> str:
        return f"/s/{self.token}"

    def page_url(self, page_id: str) -> str:
        return f"/s/{self.token}/p/{page_id}"


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SHOWN_RE = re.compile(r'name="shown" value="([^"]*)"')


def form_fields(html: str) -> dict:
    """The hidden fields a page's form would send (CSRF token, shown items)."""
    fields = {"csrf_token": CSRF_RE.search(html).group(1)}
    shown = SHOWN_RE.search(html)
    if shown:
        fields["shown"] = shown.group(1)
    return fields


def answer_page(client, url: str, answers: dict, action: str = "continue", **extra):
    """GET a question page, then POST the given answers (item id -> value or list)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {**form_fields(page.get_data(as_text=True)), "action": action, **extra}
    data.update({f"q-{item}": value for item, value in answers.items()})
    return client.post(url, data=data)


def answer_all(client, respondent: Respondent, pages=ALL_ANSWERS) -> None:
    for page_id, answers in pages.items():
        result = answer_page(client, respondent.page_url(page_id), answers)
        assert result.status_code == 302, (page_id, result.get_data(as_text=True)[:3000])


def submit(client, respondent: Respondent):
    page = client.get(respondent.url + "/check")
    return client.post(respondent.url + "/check", data=form_fields(page.get_data(as_text=True)))


def close(campaign, *, by_status: bool) -> None:
    """Close a campaign: by its status (the scheduler's close job ran), or only by its
    closing time having passed (before the scheduler has marked it closed)."""
    from survey_app.extensions import db
    from survey_app.models import Campaign
    from survey_app.models.types import utcnow

    c = db.session.get(Campaign, campaign.id)
    if by_status:
        c.status, c.closed_at = "closed", utcnow()
    else:
        c.opens_at, c.closes_at = utcnow() - timedelta(days=30), utcnow() - timedelta(minutes=1)
    db.session.commit()


def still_partial(participant) -> bool:
    """The participant's response is still partial: found by their locator, nothing
    queued or stored, and the participant not marked submitted."""
    from survey_app.extensions import db
    from survey_app.models import Participant
    from tests.stored import partial_of, submissions

    found = partial_of(participant) is not None  # (expires what the session holds)
    return found and submissions(participant.campaign_id) == [] and not db.session.get(Participant, participant.id).submitted


def submitted_once(participant):
    """The participant is submitted, exactly one submission is stored for their campaign
    and no partial response is left: that submission."""
    from survey_app.extensions import db
    from survey_app.models import Participant
    from tests.stored import partial_of, the_submission

    db.session.expire_all()
    assert db.session.get(Participant, participant.id).submitted
    assert partial_of(participant) is None
    return the_submission(participant.campaign_id)
