"""What the contributors' pages read of a return: who is visiting, the return's state,
its answers with who last changed each, and the campaign's contributors. Reading only:
nothing here writes (a return that does not exist yet reads as an empty draft)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from questionnaires.model import Item, Questionnaire

from ..extensions import db
from ..models import MaturityAnswer, MaturityContributor, MaturityReturn, Participant


def is_organisation_return(q: Questionnaire) -> bool:
    """Whether a questionnaire is answered as one return per organisation (the DMA)
    rather than by each member of staff."""
    return q.is_organisation_return


@dataclass(frozen=True)
class StoredAnswer:
    statement_id: str
    value: str | None
    note: str | None
    revision: int
    #: the name of the contributor who last changed it (None: imported)
    changed_by: str | None
    changed_at: datetime
    #: their participant id
    changed_by_id: int | None = None


@dataclass(frozen=True)
class ReturnState:
    """A return as read at the start of a request."""

    id: int | None
    status: str = "draft"
    submitted_at: datetime | None = None
    #: the name of the lead who submitted it
    submitted_by: str | None = None

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


@dataclass(frozen=True)
class ContributorRow:
    name: str
    is_lead: bool
    language: str | None
    active: bool


def contributor(participant_id: int) -> MaturityContributor | None:
    return db.session.get(MaturityContributor, participant_id)


def return_state(campaign_id: int) -> ReturnState:
    submitter = aliased(MaturityContributor)
    row = db.session.execute(
        select(MaturityReturn.id, MaturityReturn.status, MaturityReturn.submitted_at, submitter.name)
        .outerjoin(submitter, submitter.participant_id == MaturityReturn.submitted_by_id)
        .where(MaturityReturn.campaign_id == campaign_id)).first()
    return ReturnState(None) if row is None else ReturnState(*row)


def stored_answers(return_id: int | None) -> dict[str, StoredAnswer]:
    """Every stored answer of a return, by statement id."""
    if return_id is None:
        return {}
    rows = db.session.execute(
        select(MaturityAnswer.statement_id, MaturityAnswer.value, MaturityAnswer.note, MaturityAnswer.revision,
               MaturityContributor.name, MaturityAnswer.changed_at, MaturityAnswer.changed_by_id)
        .outerjoin(MaturityContributor, MaturityContributor.participant_id == MaturityAnswer.changed_by_id)
        .where(MaturityAnswer.return_id == return_id)).all()
    return {row[0]: StoredAnswer(*row) for row in rows}


def contributors(campaign_id: int) -> list[ContributorRow]:
    """The campaign's contributors, the lead first, then in the order they were added."""
    rows = db.session.execute(
        select(MaturityContributor.name, MaturityContributor.is_lead, Participant.language, Participant.status)
        .join(Participant, Participant.id == MaturityContributor.participant_id)
        .where(MaturityContributor.campaign_id == campaign_id)
        .order_by(MaturityContributor.is_lead.desc(), MaturityContributor.added_at, Participant.id)).all()
    return [ContributorRow(name, is_lead, language, status == "active") for name, is_lead, language, status in rows]


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def state(self) -> str:
        """not_started, in_progress or completed."""
        if self.answered == 0:
            return "not_started"
        return "completed" if self.answered >= self.total else "in_progress"


def progress(statements: list[Item], answers: dict[str, StoredAnswer]) -> Progress:
    """How many of `statements` have a Yes or No (a note alone does not answer one)."""
    answered = sum(1 for s in statements if (a := answers.get(s.id)) is not None and a.value is not None)
    return Progress(answered, len(statements))
