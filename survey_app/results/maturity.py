"""The Digital Maturity Assessment's results: submitted returns, scored and benchmarked.

A DMA campaign has no responses: its one return lives in the maturity tables
(models/maturity.py). Only a submitted return is a result; a draft is nobody's figure
yet. Everything is scored by scoring/maturity.py (DESIGN.md definition 9) from these
frames, per questionnaire version (a campaign keeps the statements it was frozen with).
Who contributed, and who changed what, never leaves the maturity tables.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd
import sqlalchemy as sa

import scoring
from questionnaires import QuestionnaireError, available
from questionnaires.model import Questionnaire
from scoring import maturity as score
from scoring.peers import PeerGroup, selects

from ..extensions import db
from ..models import Campaign, MaturityAnswer, MaturityReturn, QuestionnaireVersion
from .data import RELEASED, _campaigns, year_kind
from .report import BenchmarkReport

ANSWER_COLUMNS = ["campaign_id", "statement_id", "value", "note"]
METRIC_META = ["function", "measure"]


def is_organisation_return(questionnaire: Questionnaire) -> bool:
    """Whether a questionnaire is answered by one return per organisation (the DMA)
    rather than by its staff."""
    return questionnaire.is_organisation_return


def questionnaire_is_return(questionnaire_id: str) -> bool:
    """The same for a questionnaire id: as its newest campaign froze it, or as its file
    says before it has a campaign (False for an id nobody knows)."""
    version_id = db.session.scalar(sa.select(Campaign.questionnaire_version_id)
                                   .where(Campaign.questionnaire == questionnaire_id)
                                   .order_by(Campaign.id.desc()).limit(1))
    if version_id is not None:
        return is_organisation_return(db.session.get(QuestionnaireVersion, version_id).parsed())
    try:
        found = available().get(questionnaire_id)
    except QuestionnaireError:  # a broken file elsewhere in the folder
        return False
    return found is not None and is_organisation_return(found)


def statements_of(questionnaire: Questionnaire) -> pd.DataFrame:
    """[statement_id, function, layer] of a DMA questionnaire, in its order."""
    return score.statement_frame((item.id, item.function, item.layer) for item in questionnaire.statements)


#: a campaign whose return the lead has submitted
SUBMITTED = Campaign.id.in_(sa.select(MaturityReturn.campaign_id).where(MaturityReturn.status == "submitted"))


@dataclass
class MaturityData:
    """The submitted returns of a set of campaigns."""

    #: campaign_id, organisation_id, organisation_code, organisation_name, questionnaire,
    #: questionnaire_version_id, version, year, year_kind, status, released, submitted_at, source
    campaigns: pd.DataFrame
    #: the frozen questionnaire of every version involved
    questionnaires: dict[int, Questionnaire]
    #: one row per stored answer: campaign_id, statement_id, value (yes, no or missing), note
    answers: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.campaigns.empty

    def _scored(self, how) -> pd.DataFrame:
        """`how(answers, statements, campaigns=...)` per questionnaire version, joined."""
        parts = []
        for version_id, campaigns in self.campaigns.groupby("questionnaire_version_id", sort=False):
            ids = campaigns["campaign_id"].tolist()
            answers = self.answers.loc[self.answers["campaign_id"].isin(ids)]
            parts.append(how(answers, statements_of(self.questionnaires[int(version_id)]), campaigns=ids))
        if not parts:
            return how(self.answers.iloc[0:0], score.statement_frame([]), campaigns=[])
        return pd.concat(parts, ignore_index=True)

    @cached_property
    def functions(self) -> pd.DataFrame:
        """scoring.maturity.function_scores of every return."""
        return self._scored(score.function_scores)

    @cached_property
    def overall(self) -> pd.DataFrame:
        return self._scored(score.overall_scores)

    @cached_property
    def grid(self) -> pd.DataFrame:
        return self._scored(score.layer_grid)

    @cached_property
    def gaps(self) -> pd.DataFrame:
        return self._scored(score.gaps)

    @cached_property
    def values(self) -> pd.DataFrame:
        """One value per organisation, year and metric (scoring.maturity.organisation_values)."""
        return score.organisation_values(self._scored(score.maturity_values), self.campaigns)

    def questionnaire_of(self, campaign_id: int) -> Questionnaire:
        row = self.campaigns.loc[self.campaigns["campaign_id"] == campaign_id].iloc[0]
        return self.questionnaires[int(row["questionnaire_version_id"])]

    @property
    def newest(self) -> Questionnaire | None:
        """The newest questionnaire version involved, for labels and the dictionary."""
        return self.questionnaires[max(self.questionnaires)] if self.questionnaires else None


def load(where) -> MaturityData:
    """The submitted returns of the campaigns matching `where` (a condition on Campaign)."""
    where = sa.and_(where, SUBMITTED)
    conn = db.session.connection()
    campaigns = _campaigns(conn, where)
    returns = pd.read_sql(sa.select(Campaign.id.label("campaign_id"), Campaign.released_at.is_not(None)
                                    .label("released"), MaturityReturn.submitted_at, MaturityReturn.source)
                          .join(MaturityReturn, MaturityReturn.campaign_id == Campaign.id).where(where), conn)
    campaigns = campaigns.merge(returns, on="campaign_id", how="left")
    campaigns["released"] = campaigns["released"].astype(bool)
    versions = {int(v): db.session.get(QuestionnaireVersion, int(v)).parsed()
                for v in campaigns["questionnaire_version_id"].unique()}
    stmt = (sa.select(MaturityReturn.campaign_id, MaturityAnswer.statement_id, MaturityAnswer.value,
                      MaturityAnswer.note)
            .join(MaturityReturn, MaturityReturn.id == MaturityAnswer.return_id)
            .join(Campaign, Campaign.id == MaturityReturn.campaign_id)
            .where(where).order_by(MaturityReturn.campaign_id, MaturityAnswer.id))
    answers = pd.read_sql(stmt, conn)
    for column in ("value", "note"):  # text, missing as None (an empty frame reads them as numbers)
        answers[column] = answers[column].astype(object).where(answers[column].notna(), None)
    return MaturityData(campaigns=campaigns, questionnaires=versions, answers=answers[ANSWER_COLUMNS])


def campaign_maturity(campaign_id: int) -> MaturityData:
    """One campaign's return, when submitted (empty otherwise), released or not."""
    return load(Campaign.id == campaign_id)


def questionnaire_maturity(questionnaire_id: str, years: list[int], organisation_id: int | None = None,
                           released_only: bool = True) -> MaturityData:
    """Every submitted return of a questionnaire in those years: of released campaigns
    (benchmarks, exports across organisations), or one organisation's own, provisional
    ones too (`released_only=False`)."""
    where = sa.and_(Campaign.questionnaire == questionnaire_id, Campaign.year.in_(list(years)))
    if organisation_id is not None:
        where = sa.and_(where, Campaign.organisation_id == organisation_id)
    if released_only:
        where = sa.and_(where, RELEASED)
    return load(where)


def years_with_returns(questionnaire_id: str, up_to: int, released_only: bool = True,
                       organisation_id: int | None = None) -> list[int]:
    """The years up to `up_to` with a submitted return (of a released campaign, unless
    `released_only=False`), oldest first."""
    where = sa.and_(Campaign.questionnaire == questionnaire_id, Campaign.year <= up_to, SUBMITTED)
    if released_only:
        where = sa.and_(where, RELEASED)
    if organisation_id is not None:
        where = sa.and_(where, Campaign.organisation_id == organisation_id)
    return list(db.session.execute(sa.select(Campaign.year).where(where).distinct().order_by(Campaign.year))
                .scalars())


def _newest_questionnaire(questionnaire_id: str, year: int) -> Questionnaire | None:
    version_id = db.session.scalar(
        sa.select(Campaign.questionnaire_version_id).where(Campaign.questionnaire == questionnaire_id,
                                                           Campaign.year == year)
        .order_by(Campaign.questionnaire_version_id.desc()).limit(1))
    return db.session.get(QuestionnaireVersion, version_id).parsed() if version_id else None


def _metric_meta(values: pd.DataFrame) -> pd.DataFrame:
    return values[["metric", *METRIC_META]].drop_duplicates("metric")


def _banded(values: pd.DataFrame, benchmarks: pd.DataFrame, year: int) -> pd.DataFrame:
    """This year's values with their benchmark, band and change since the latest earlier
    year, organisations by code and metrics in the questionnaire's order."""
    trend = scoring.organisation_trend(values, organisation="organisation_id")
    order = {m: i for i, m in enumerate(dict.fromkeys(values["metric"]))}
    out = scoring.bands(trend.loc[trend["year"] == year], benchmarks, by=["year"])
    out = out.assign(_order=out["metric"].map(order))
    return out.sort_values(["organisation_code", "_order"], kind="stable").drop(columns="_order")


def maturity_benchmark(questionnaire_id: str, year: int, peers: PeerGroup | None = None,
                       minimum: int | None = None) -> BenchmarkReport:
    """The benchmark of every function's level and commitment and the overall ones over
    the organisations of a peer group, this year and earlier years, released campaigns
    only; the same report as the staff questionnaires' (report.benchmark_report)."""
    years = years_with_returns(questionnaire_id, up_to=year)
    if year not in years:
        empty = pd.DataFrame(columns=["year", "metric", "organisation_id", "organisation_code", "score"])
        return BenchmarkReport(questionnaire_id=questionnaire_id, year=year, years=years, questionnaire=None,
                               benchmarks=empty, organisations=empty, year_kind=year_kind(questionnaire_id),
                               peers=peers, others=empty, minimum=minimum)
    data = questionnaire_maturity(questionnaire_id, years)
    kind = data.campaigns.loc[data.campaigns["year"] == year, "year_kind"].iloc[-1]
    values = data.values
    benchmarks = score.benchmark_maturity(values, peers=peers, minimum=minimum, by=["year"])
    benchmarks = benchmarks.merge(_metric_meta(values), on="metric", how="left")
    this_year = _banded(values, benchmarks, year)
    members = selects(peers, this_year["organisation_code"], this_year["organisation_id"])
    return BenchmarkReport(questionnaire_id=questionnaire_id, year=year, years=years,
                           questionnaire=_newest_questionnaire(questionnaire_id, year), benchmarks=benchmarks,
                           organisations=this_year.loc[members], year_kind=kind, peers=peers,
                           others=this_year.loc[~members], minimum=minimum, values=values)


def with_own_return(bench: BenchmarkReport, organisation_id: int) -> BenchmarkReport:
    """`bench` with one organisation's own values counted from all its submitted returns,
    provisional ones too, banded against the released benchmark (which is unchanged), as
    report.with_organisation does for the staff questionnaires."""
    years = years_with_returns(bench.questionnaire_id, bench.year, released_only=False,
                               organisation_id=organisation_id)
    if bench.year not in years:
        return bench
    data = questionnaire_maturity(bench.questionnaire_id, years, organisation_id=organisation_id,
                                  released_only=False)
    benchmarks = bench.benchmarks
    if "median" not in benchmarks:  # nothing released this year: an empty benchmark
        benchmarks = score.benchmark_maturity(data.values.iloc[0:0], by=["year"])
        benchmarks = benchmarks.assign(**{c: None for c in METRIC_META}).astype({"year": "int64"})
    own = _banded(data.values, benchmarks, bench.year)
    member = bool(selects(bench.peers, own["organisation_code"], own["organisation_id"]).all())

    def joined(frame: pd.DataFrame | None, add: bool) -> pd.DataFrame:
        kept = [] if frame is None or frame.empty else [frame.loc[frame["organisation_id"] != organisation_id]]
        kept += [own] if add else []
        kept = [k for k in kept if not k.empty]
        return (pd.concat(kept, ignore_index=True).sort_values("organisation_code", kind="stable")
                if kept else own.iloc[0:0])

    return replace(bench, benchmarks=benchmarks, questionnaire=bench.questionnaire or data.newest,
                   organisations=joined(bench.organisations, member).reset_index(drop=True),
                   others=joined(bench.others, not member).reset_index(drop=True))
