"""A campaign's results and a questionnaire's benchmark, ready for the CLI, the exports
and the dashboard. Everything is computed by `scoring/` from `data.py`'s frames."""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import sqlalchemy as sa

import scoring
from scoring.aggregate import sort_metrics
from scoring.peers import PeerGroup, selects, withhold_small
from scoring.years import FINANCIAL, file_label, year_label
from questionnaires.characters import unstorable_character
from questionnaires.model import Questionnaire

from ..extensions import db
from ..models import Campaign, Participant, QuestionnaireVersion
from .data import DEVICE_CLASS, ResultsData, campaign_data, questionnaire_data, year_kind, years_with_data

RESPONSE_RATE = "response_rate"
METRIC_META = ["kind", "factor", "measure", "area", "item_id"]


class ReportError(ValueError):
    """A report that cannot be made as asked; the message says why."""


@dataclass
class CampaignReport:
    campaign: Campaign
    questionnaire: Questionnaire
    data: ResultsData
    response_rate: scoring.ResponseRate
    #: the long metrics frame over all submitted responses (scoring.metrics)
    metrics: pd.DataFrame
    #: {"overall_satisfaction": (score, n) or None, "service_improved": ...}
    headline: dict
    #: the breakdown asked for, suppressed (DESIGN.md definition 6), or None
    breakdown: scoring.Breakdown | None


def dimensions_of(data: ResultsData) -> list[str]:
    """Every dimension a campaign can be broken down by: its questionnaire's, then the
    device class recorded with each response."""
    return [*data.dimensions, DEVICE_CLASS]


def campaign_report(campaign: Campaign, by: str | None = None) -> CampaignReport:
    """The results of one campaign, broken down by `by` when given (a questionnaire
    dimension, `device_class`, or a column of the imported participant list)."""
    extra = []
    if by is not None:
        questionnaire = campaign.questionnaire_version.parsed()
        if by not in (*questionnaire.all_dimensions, DEVICE_CLASS):
            # a column name never holds a control character, and PostgreSQL fails on a NUL
            if unstorable_character(by) or not _participants_have(campaign.id, by):
                known = ", ".join([*questionnaire.all_dimensions, DEVICE_CLASS])
                raise ReportError(f"Unknown dimension {by!r}: use one of {known}, "
                                  f"or a column of the campaign's participant list.")
            extra = [by]
    data = campaign_data(campaign.id, extra_dimensions=extra)
    counts = data.counts.iloc[0]
    rate = scoring.ResponseRate(int(counts["submitted"]), int(counts["participants"]))
    overall = data.metrics()
    result = None
    if by is not None:
        result = scoring.breakdown(data.scored, data.respondents, by, campaign.anonymity_threshold)
    return CampaignReport(campaign=campaign, questionnaire=campaign.questionnaire_version.parsed(), data=data,
                          response_rate=rate, metrics=overall, headline=scoring.headline(overall),
                          breakdown=result)


def _participants_have(campaign_id: int, attribute: str) -> bool:
    value = Participant.attributes[attribute].as_string()
    stmt = sa.select(sa.func.count()).where(Participant.campaign_id == campaign_id, value.is_not(None))
    return bool(db.session.scalar(stmt))


def organisation_values(data: ResultsData) -> pd.DataFrame:
    """One value per organisation, year and metric (an organisation's campaigns of the same
    questionnaire and year count as one), with the response rate as a metric:
    [year, organisation_id, organisation_code, metric, kind, factor, measure, area, item_id,
    score, n, participants]. For the response rate, score is the exact percentage and n
    the submitted responses."""
    values = data.metrics(by=["year", "organisation_id"])
    counts = data.counts.merge(data.campaigns[["campaign_id", "year", "organisation_id"]], on="campaign_id")
    counts = counts.groupby(["year", "organisation_id"], as_index=False)[["submitted", "participants"]].sum()
    # never fewer people than responses, so that no rate exceeds 100% (scoring.response_rate.participants)
    counts["participants"] = counts[["participants", "submitted"]].max(axis=1)
    with_people = counts["participants"] > 0
    rates = counts.assign(
        metric=RESPONSE_RATE, kind=RESPONSE_RATE,
        score=(100 * counts["submitted"] / counts["participants"]).where(with_people),
        n=counts["submitted"],
    ).drop(columns=["submitted"])
    values = pd.concat([values, rates], ignore_index=True)
    values["n"] = values["n"].astype("Int64")
    values["participants"] = values["participants"].astype("Int64")
    codes = data.campaigns.drop_duplicates(["year", "organisation_id"])[["year", "organisation_id", "organisation_code"]]
    values = values.merge(codes, on=["year", "organisation_id"], how="left")
    first = ["year", "organisation_id", "organisation_code"]
    return values[first + [c for c in values.columns if c not in first]]


@dataclass
class BenchmarkReport:
    questionnaire_id: str
    year: int
    #: years up to `year` with campaigns of the questionnaire, oldest first
    years: list[int]
    #: the newest version of the questionnaire used in `year`, for labels
    questionnaire: Questionnaire | None
    #: [year, metric, organisations, q1, median, q3, kind, factor, measure, area, item_id]
    #: for every year in `years`
    benchmarks: pd.DataFrame
    #: this year's organisation values with q1, median, q3, band, previous_year,
    #: previous_score and change
    organisations: pd.DataFrame
    #: how the questionnaire counts its years: financial (2026/27) or calendar (2026)
    year_kind: str = FINANCIAL
    #: every organisation's value per metric in every year of `years` (organisation_values),
    #: for trends; None when there is no data for `year`
    values: pd.DataFrame | None = None
    #: the peer group benchmarked over (None: every organisation); `organisations` holds
    #: its members only, `others` this year's organisations outside it, banded against it
    peers: PeerGroup | None = None
    others: pd.DataFrame | None = None
    #: the smallest group given a median and quartiles, when they are withheld below it
    minimum: int | None = None

    @property
    def empty(self) -> bool:
        return self.organisations.empty

    def label(self, year: int | None = None) -> str:
        """A data year of this questionnaire as people write it (this report's by default)."""
        return year_label(self.year if year is None else int(year), self.year_kind)

    def file_label(self, year: int | None = None) -> str:
        return file_label(self.year if year is None else int(year), self.year_kind)


def benchmark_report(questionnaire_id: str, year: int, this_year: ResultsData | None = None,
                     peers: PeerGroup | None = None, minimum: int | None = None) -> BenchmarkReport:
    """The benchmark of every metric over organisations, this year and earlier years.

    `this_year`, when the caller has loaded it already, is every organisation's data for
    `year` (questionnaire_data(questionnaire_id, [year])): used instead of loading it again
    when there are no earlier years. `peers` limits the benchmark to a peer group
    (DESIGN.md definition 7); with `minimum`, a group of fewer organisations for a metric
    and year gets no median or quartiles (so no bands)."""
    years = years_with_data(questionnaire_id, up_to=year)
    if year not in years:
        empty = pd.DataFrame(columns=["year", "metric", "organisation_id", "organisation_code", "score"])
        return BenchmarkReport(questionnaire_id=questionnaire_id, year=year, years=years, questionnaire=None,
                               benchmarks=empty, organisations=empty, year_kind=year_kind(questionnaire_id),
                               peers=peers, others=empty, minimum=minimum)
    data = this_year if this_year is not None and years == [year] else questionnaire_data(questionnaire_id, years)
    # how this year's campaigns were counted (a questionnaire keeps one way: questionnaires/README.md)
    kind = data.campaigns.loc[data.campaigns["year"] == year, "year_kind"].iloc[-1]
    values = organisation_values(data)
    in_group = selects(peers, values["organisation_code"], values["organisation_id"])
    benchmarks = scoring.benchmark(values.loc[in_group], by=["year"], organisation="organisation_id")
    if minimum is not None:
        benchmarks = withhold_small(benchmarks, minimum)
    meta = values[["metric", *METRIC_META]].drop_duplicates("metric")
    benchmarks = sort_metrics(benchmarks.merge(meta, on="metric", how="left"), data.items, by=["year"])
    trend = scoring.organisation_trend(values, organisation="organisation_id")
    this_year = scoring.bands(trend.loc[trend["year"] == year], benchmarks, by=["year"])
    this_year = sort_metrics(this_year.sort_values("organisation_code", kind="stable"), data.items)
    members = selects(peers, this_year["organisation_code"], this_year["organisation_id"])
    version_id = db.session.scalar(
        sa.select(Campaign.questionnaire_version_id).where(Campaign.questionnaire == questionnaire_id,
                                                           Campaign.year == year)
        .order_by(Campaign.questionnaire_version_id.desc()).limit(1))
    questionnaire = db.session.get(QuestionnaireVersion, version_id).parsed() if version_id else None
    return BenchmarkReport(questionnaire_id=questionnaire_id, year=year, years=years, questionnaire=questionnaire,
                           benchmarks=benchmarks, organisations=this_year.loc[members], year_kind=kind, peers=peers,
                           others=this_year.loc[~members], minimum=minimum, values=values)


def with_organisation(bench: BenchmarkReport, organisation_id: int) -> BenchmarkReport:
    """`bench` with one organisation's own values in `organisations`, counted from all its
    campaigns up to the report's year, provisional ones too: its score, its band against
    the benchmark of the released campaigns, and its change since its latest earlier year.
    The benchmark itself is unchanged: results count in it only once released. Its results
    page and its own downloads use this; when all its campaigns are released, `bench` is
    returned as it is."""
    provisional = db.session.scalar(sa.select(sa.func.count()).where(
        Campaign.questionnaire == bench.questionnaire_id, Campaign.year <= bench.year,
        Campaign.organisation_id == organisation_id, Campaign.released_at.is_(None)))
    years = years_with_data(bench.questionnaire_id, bench.year, released_only=False, organisation_id=organisation_id)
    if not provisional or bench.year not in years:
        return bench
    data = questionnaire_data(bench.questionnaire_id, years, organisation_id=organisation_id, released_only=False)
    values = organisation_values(data)
    benchmarks = bench.benchmarks
    if "median" not in benchmarks:  # nothing released this year: an empty benchmark
        benchmarks = scoring.benchmark(values.iloc[0:0], by=["year"], organisation="organisation_id")
        benchmarks = benchmarks.assign(**{c: None for c in METRIC_META}).astype({"year": "int64"})
    trend = scoring.organisation_trend(values, organisation="organisation_id")
    own = sort_metrics(scoring.bands(trend.loc[trend["year"] == bench.year], benchmarks, by=["year"]), data.items)
    # with a peer group, the organisation stays on the side of it it belongs to
    member = bool(selects(bench.peers, own["organisation_code"], own["organisation_id"]).all())
    def joined(*frames: pd.DataFrame | None) -> pd.DataFrame:
        kept = [f.loc[f["organisation_id"] != organisation_id] if f is not own else f
                for f in frames if f is not None and not f.empty]
        return pd.concat(kept, ignore_index=True).sort_values("organisation_code", kind="stable") if kept \
            else own.iloc[0:0]
    organisations = joined(bench.organisations, *([own] if member else []))
    others = joined(bench.others, *([] if member else [own]))
    questionnaire = bench.questionnaire
    if questionnaire is None:
        newest = data.campaigns.loc[data.campaigns["year"] == bench.year, "questionnaire_version_id"].max()
        questionnaire = db.session.get(QuestionnaireVersion, int(newest)).parsed()
    return replace(bench, benchmarks=benchmarks, organisations=organisations.reset_index(drop=True),
                   others=others.reset_index(drop=True), questionnaire=questionnaire)

