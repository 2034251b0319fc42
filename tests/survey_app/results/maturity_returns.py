"""Digital Maturity Assessment returns for results tests, built straight into the maturity
tables (no contributors needed: a return imported by the Improve team has none).

Answers are written as one pattern per function, in the questionnaire's order of
functions: five groups of two letters, one group per layer 1..5, one letter per
statement of that layer in the questionnaire's order: y Yes, n No, - no answer row,
. a row with a note and no value.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from survey_app.extensions import db
from survey_app.models import MaturityAnswer, MaturityReturn
from tests.factories import make_campaign, make_org

ALL_YES = "yy yy yy yy yy"
NOTHING = "-- -- -- -- --"


def at_level(level: int) -> str:
    """Every statement of layers 1..level Yes, every one above No: level `level`, 2 x level Yes."""
    return " ".join("yy" if layer <= level else "nn" for layer in range(1, 6))


def statement_ids(questionnaire) -> dict[str, list[list[str]]]:
    """function id -> its statements' ids per layer (1..5), checking the shape the
    patterns assume: two statements per function and layer."""
    out = {}
    for function in questionnaire.functions:
        layers = [[i.id for i in questionnaire.statements_of(function.id) if i.layer == layer] for layer in range(1, 6)]
        assert all(len(ids) == 2 for ids in layers), f"{function.id}: not two statements in every layer"
        out[function.id] = layers
    return out


def make_return(campaign, patterns, *, status="submitted", notes=None, submitted_at=None):
    """The campaign's return with the answers the patterns give: a list of nine patterns
    (the functions in the questionnaire's order), or one pattern for every function.
    `notes` maps statement ids to notes (the statement keeps its pattern's value)."""
    questionnaire = campaign.questionnaire_version.parsed()
    ids = statement_ids(questionnaire)
    if isinstance(patterns, str):
        patterns = [patterns] * len(ids)
    assert len(patterns) == len(ids)
    notes = dict(notes or {})
    answers = []
    for (function, layers), pattern in zip(ids.items(), patterns):
        letters = pattern.replace(" ", "")
        for statement, letter in zip([s for layer in layers for s in layer], letters, strict=True):
            if letter == "-" and statement not in notes:
                continue
            value = {"y": "yes", "n": "no", ".": None, "-": None}[letter]
            answers.append(MaturityAnswer(statement_id=statement, value=value, note=notes.pop(statement, None)))
    assert not notes, f"notes for unknown statements: {sorted(notes)}"
    submitted = status == "submitted"
    moment = submitted_at or datetime(campaign.year, 5, 20, 10, tzinfo=timezone.utc)
    maturity_return = MaturityReturn(campaign_id=campaign.id, status=status, source="import",
                                     submitted_at=moment if submitted else None, answers=answers)
    db.session.add(maturity_return)
    db.session.commit()
    return maturity_return


def make_dma_campaign(organisation=None, year=2026, released=None, **overrides):
    """A DMA campaign that opened in May of `year` (closed by now, so released unless
    `released=False`)."""
    return make_campaign(organisation or make_org(), questionnaire_id="dma", opens=date(year, 5, 4),
                         released=released, **overrides)
