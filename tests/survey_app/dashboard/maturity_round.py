"""Digital Maturity Assessment returns for the results page tests: a small factory and a
round of five organisations whose levels and commitments are worked out by hand."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from survey_app.extensions import db
from survey_app.maturity.operations import add_contributor, return_of
from survey_app.models import MaturityAnswer
from survey_app.models.types import utcnow
from tests.factories import make_campaign, make_org

OPENS = date.today() - timedelta(days=1)
#: the opening day of a campaign of the data year before OPENS's
LAST_YEAR = OPENS - timedelta(days=366)
#: function id -> statement prefix (the spec's; two statements a layer, five layers)
PREFIXES = {"vision_leadership": "VL", "culture_skills": "CS", "user_centred_design": "UD",
            "digital_services": "DS", "data_analytics": "DA", "technology": "TE", "agile_working": "AW",
            "security_governance": "SG", "suppliers_partnerships": "SP"}
#: Council A's levels by function: sorted 0 0 1 1 2 2 3 4 5, so its overall level is 2
A_LEVELS = {"vision_leadership": 3, "culture_skills": 1, "user_centred_design": 0, "digital_services": 2,
            "data_analytics": 4, "technology": 5, "agile_working": 2, "security_governance": 1,
            "suppliers_partnerships": 0}
#: and beyond them: VL4.1 Yes (layer 4 partly done), UD3.1 Yes out of order (UD stays at 0);
#: UD1.1 and UD1.2 unanswered. Yes: 2 x (3+1+0+2+4+5+2+1+0) = 36, + 2 = 38 of 90 = 42.2%
A_YES = ("VL4.1", "UD3.1")
A_UNANSWERED = ("UD1.1", "UD1.2")
A_NOTES = {"VL4.2": "Awaiting a decision by the leadership team.", "VL1.1": "Agreed by Cabinet.",
           "UD1.2": "Research starts next spring."}


def statement_ids(prefix: str, layer: int) -> list[str]:
    return [f"{prefix}{layer}.1", f"{prefix}{layer}.2"]


def answers_at(levels: dict[str, int] | int, yes=(), unanswered=()) -> dict[str, str]:
    """Yes to every statement up to each function's level, No above it; then `yes` made Yes
    and `unanswered` left out."""
    out = {}
    for function, prefix in PREFIXES.items():
        level = levels if isinstance(levels, int) else levels[function]
        for layer in range(1, 6):
            for statement_id in statement_ids(prefix, layer):
                out[statement_id] = "yes" if layer <= level else "no"
    out.update({statement_id: "yes" for statement_id in yes})
    for statement_id in unanswered:
        out.pop(statement_id)
    return out


def make_return(org, answers: dict[str, str], *, notes=None, submitted=True, opens=OPENS, released=None,
                lead="Head of Digital"):
    """A DMA campaign of `org` with its lead, and a return holding `answers` (and `notes`,
    some on statements left unanswered), submitted unless told otherwise."""
    campaign = make_campaign(org, questionnaire_id="dma", opens=opens, released=released)
    person = add_contributor(campaign, email=f"lead{campaign.id}@example.org", name=lead, language=None,
                             hash_key=current_app.config["EMAIL_HASH_KEY"], is_lead=True)
    returned = return_of(campaign)
    notes = notes or {}
    for statement_id in sorted(set(answers) | set(notes)):
        db.session.add(MaturityAnswer(return_id=returned.id, statement_id=statement_id,
                                      value=answers.get(statement_id), note=notes.get(statement_id),
                                      changed_by_id=person.participant_id))
    if submitted:
        returned.status, returned.submitted_at, returned.submitted_by_id = "submitted", utcnow(), person.participant_id
    db.session.commit()
    return campaign


def make_maturity_round(*, a_released=True, a_submitted=True):
    """Council A (W) and four other councils, every return but A's released: B's functions
    all at level 1 (commitment 20%), C's at 2 (40%), D's at 3 (60%), E's at 4 (80%).
    Returns (A's organisation, A's campaign)."""
    a = make_org(name="Council A", type_letter="W", number=7)
    campaign = make_return(a, answers_at(A_LEVELS, yes=A_YES, unanswered=A_UNANSWERED), notes=A_NOTES,
                           submitted=a_submitted, released=a_released)
    for name, letter, number, level in (("Council B", "E", 11, 1), ("Council C", "E", 12, 2),
                                        ("Council D", "S", 13, 3), ("Council E", "L", 14, 4)):
        make_return(make_org(name=name, type_letter=letter, number=number), answers_at(level), released=True)
    return a, campaign
