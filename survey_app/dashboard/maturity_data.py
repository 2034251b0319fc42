"""Organisations' Digital Maturity Assessment returns as DataFrames, and their scores
(DESIGN.md definition 9, worked out by scoring/maturity.py) for the results page.

A few queries per call: the campaigns with their return's status, then every answer of
the returns asked for. Only a submitted return has scores; each campaign is scored
against the statements of its own frozen questionnaire version, so a year whose
questionnaire changed is still scored by what was asked that year.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from scoring import maturity as scoring_maturity

from ..extensions import db
from ..models import Campaign, MaturityAnswer, MaturityReturn, Organisation, QuestionnaireVersion
from ..models.questionnaire import parsed_version

CAMPAIGN_COLUMNS = ["campaign_id", "organisation_id", "organisation_code", "year", "year_kind", "version_id",
                    "content_hash", "released", "status", "submitted_at"]


@dataclass
class Scores:
    """The scores of some campaigns' submitted returns (scoring/maturity.py's frames)."""

    #: CAMPAIGN_COLUMNS, one row per campaign (submitted returns only)
    campaigns: pd.DataFrame
    #: campaign_id, function, level, commitment, yes, statements
    functions: pd.DataFrame
    #: campaign_id, level, commitment, yes, statements
    overall: pd.DataFrame
    #: campaign_id, function, layer, yes, statements, state
    grid: pd.DataFrame
    #: campaign_id, function, layer, statement_id, value, note
    gaps: pd.DataFrame
    #: campaign_id, statement_id, value, note: every stored answer
    answers: pd.DataFrame
    #: campaign_id, metric ("overall.level", "<function>.commitment", ...), function, measure, score
    values: pd.DataFrame


def campaigns(where) -> pd.DataFrame:
    """CAMPAIGN_COLUMNS of the campaigns matching `where` (a condition on Campaign), with
    their return's status (None before anyone has saved an answer)."""
    stmt = (sa.select(Campaign.id, Campaign.organisation_id, Organisation.type_letter, Organisation.number,
                      Organisation.partnership, Campaign.year, Campaign.year_kind, Campaign.questionnaire_version_id,
                      QuestionnaireVersion.content_hash, Campaign.released_at, MaturityReturn.status,
                      MaturityReturn.submitted_at)
            .join(Organisation, Organisation.id == Campaign.organisation_id)
            .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.questionnaire_version_id)
            .outerjoin(MaturityReturn, MaturityReturn.campaign_id == Campaign.id)
            .where(where).order_by(Campaign.id))
    rows = []
    for (campaign_id, organisation_id, letter, number, partnership, year, kind, version_id, content_hash, released_at,
         status, submitted_at) in db.session.execute(stmt):
        code = f"{letter}{year % 100:02d}{number:02d}{'(P)' if partnership else ''}"
        rows.append((campaign_id, organisation_id, code, year, kind, version_id, content_hash,
                     released_at is not None, status, submitted_at))
    return pd.DataFrame(rows, columns=CAMPAIGN_COLUMNS)


def answers_of(campaign_ids: list[int]) -> pd.DataFrame:
    """campaign_id, statement_id, value, note of every answer stored in their returns."""
    found = []
    if campaign_ids:
        found = db.session.execute(
            sa.select(MaturityReturn.campaign_id, MaturityAnswer.statement_id, MaturityAnswer.value,
                      MaturityAnswer.note)
            .join(MaturityReturn, MaturityReturn.id == MaturityAnswer.return_id)
            .where(MaturityReturn.campaign_id.in_([int(i) for i in campaign_ids]))).all()
    frame = pd.DataFrame(found, columns=["campaign_id", "statement_id", "value", "note"], dtype=object)
    return frame.astype({"campaign_id": "int64"})


def latest_per_year(found: pd.DataFrame) -> pd.DataFrame:
    """An organisation's latest campaign of each year (the highest id, as
    scoring.maturity.organisation_values counts a year with several returns)."""
    return found.sort_values("campaign_id").drop_duplicates(["organisation_id", "year"], keep="last")


def statements_of(questionnaire) -> pd.DataFrame:
    return scoring_maturity.statement_frame((item.id, item.function, item.layer)
                                            for item in questionnaire.statements)


def score(found: pd.DataFrame) -> Scores:
    """The scores of the submitted returns among `found` (rows of campaigns())."""
    submitted = found.loc[found["status"] == "submitted"].reset_index(drop=True)
    answers = answers_of(list(submitted["campaign_id"]))
    parts: dict[str, list[pd.DataFrame]] = {"functions": [], "overall": [], "grid": [], "gaps": [], "values": []}
    for (version_id, content_hash), group in submitted.groupby(["version_id", "content_hash"], sort=True):
        statements = statements_of(parsed_version(int(version_id), content_hash))
        ids = [int(i) for i in group["campaign_id"]]
        mine = answers.loc[answers["campaign_id"].isin(ids)]
        scored = mine[["campaign_id", "statement_id", "value"]]
        parts["functions"].append(scoring_maturity.function_scores(scored, statements, campaigns=ids))
        parts["overall"].append(scoring_maturity.overall_scores(scored, statements, campaigns=ids))
        parts["grid"].append(scoring_maturity.layer_grid(scored, statements, campaigns=ids))
        parts["gaps"].append(scoring_maturity.gaps(mine, statements, campaigns=ids))  # with the notes
        parts["values"].append(scoring_maturity.maturity_values(scored, statements, campaigns=ids))
    columns = {"functions": scoring_maturity.FUNCTION_COLUMNS, "overall": scoring_maturity.OVERALL_COLUMNS,
               "grid": scoring_maturity.GRID_COLUMNS, "gaps": [*scoring_maturity.GAP_COLUMNS, "note"],
               "values": ["campaign_id", "metric", "function", "measure", "score"]}
    frames = {name: (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns[name]))
              for name, frames in parts.items()}
    return Scores(campaigns=submitted, answers=answers, **frames)


def organisation_values(scores: Scores, campaign_ids) -> pd.DataFrame:
    """One value per organisation, year and metric of the campaigns given (their latest
    each year): year, organisation_id, organisation_code, campaign_id, metric, function,
    measure, score."""
    chosen = scores.campaigns.loc[scores.campaigns["campaign_id"].isin(list(campaign_ids))]
    values = scores.values.loc[scores.values["campaign_id"].isin(chosen["campaign_id"])]
    return scoring_maturity.organisation_values(values, chosen)
