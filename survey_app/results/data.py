"""Loading results from the database into DataFrames, a few queries per call.

Two ways in, one shape out (`ResultsData`):

- `campaign_data(campaign_id)`: one campaign;
- `questionnaire_data(questionnaire, years=..., organisation_id=None)`: every released
  campaign of a questionnaire in those years, across organisations (benchmarks, exports),
  or an organisation's own campaigns, provisional ones too (`released_only=False`);
- `response_rate(campaign_id)` and `response_counts(where)`: the counts alone.

Only submitted responses are results, read from the submitted store
(survey_app/submissions.py), which holds no link to anyone: responses carry their random
`public_id` and the participant list's values copied when they were submitted, never an
email address or its hash. The counts for the response rate come from the participant
side (`Participant.submitted`) and are live; the store lags them by the release of the
last batch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa

import scoring
from questionnaires import QuestionnaireError, available
from scoring.aggregate import metrics as scoring_metrics
from scoring.aggregate import sort_metrics
from scoring.items import ITEM_COLUMNS
from scoring.response_rate import participants as rate_participants
from scoring.years import FINANCIAL

from ..extensions import db
from ..models import (Campaign, Organisation, Participant, QuestionnaireVersion, QueuedSubmission, SubmittedAnswer,
                      SubmittedResponse)

DEVICE_CLASS = "device_class"


@dataclass
class ResultsData:
    """Everything scoring needs for a set of campaigns."""

    #: campaign_id, organisation_id, organisation_code, organisation_name, questionnaire,
    #: questionnaire_version_id, version, year, year_kind, anonymity_threshold, status
    campaigns: pd.DataFrame
    #: the items of every questionnaire version involved (scoring.items_frame + questionnaire_version_id)
    items: pd.DataFrame
    #: one row per submitted response: response_id, public_id, campaign_id, organisation_id,
    #: organisation_code, year, questionnaire_version_id, language, device_class, source,
    #: submitted_on, and one column per dimension (`dimensions`)
    respondents: pd.DataFrame
    #: one row per stored answer of a submitted response: response_id, item_id, value,
    #: campaign_id, questionnaire_version_id
    answers: pd.DataFrame
    #: per campaign: campaign_id, submitted, participants (DESIGN.md definition 4)
    counts: pd.DataFrame
    #: the breakdown dimensions: the questionnaires' dimensions, then any participant attributes asked for
    dimensions: list[str] = field(default_factory=list)
    #: where each dimension's values come from: "question" or "participant list"
    dimension_sources: dict[str, str] = field(default_factory=dict)

    @cached_property
    def scored(self) -> pd.DataFrame:
        """The answers on the 1-7 scale, with the campaign, organisation and year."""
        scored = scoring.score_answers(self.answers, self.items)
        meta = self.campaigns.set_index("campaign_id")
        for column in ("organisation_id", "organisation_code", "year"):
            scored[column] = scored["campaign_id"].map(meta[column])
        return scored

    def metrics(self, by: list[str] = ()) -> pd.DataFrame:
        """The long metrics frame (scoring.metrics), in questionnaire order."""
        return sort_metrics(scoring_metrics(self.scored, list(by)), self.items, list(by))

    @property
    def empty(self) -> bool:
        return self.campaigns.empty


def campaign_data(campaign_id: int, extra_dimensions: list[str] = ()) -> ResultsData:
    """The results of one campaign."""
    return load(Campaign.id == campaign_id, extra_dimensions)


#: a campaign whose results the Improve team has released (console/release.py)
RELEASED = Campaign.released_at.is_not(None)


def questionnaire_data(questionnaire: str, years: list[int], organisation_id: int | None = None,
                       extra_dimensions: list[str] = (), released_only: bool = True) -> ResultsData:
    """The results of every released campaign of a questionnaire in the given years
    (every campaign, provisional ones too, with `released_only=False`: an organisation's
    own results)."""
    where = sa.and_(Campaign.questionnaire == questionnaire, Campaign.year.in_(list(years)))
    if organisation_id is not None:
        where = sa.and_(where, Campaign.organisation_id == organisation_id)
    if released_only:
        where = sa.and_(where, RELEASED)
    return load(where, extra_dimensions)


def years_with_data(questionnaire: str, up_to: int, released_only: bool = True,
                    organisation_id: int | None = None) -> list[int]:
    """The years up to `up_to` in which the questionnaire has released campaigns (any
    campaigns with `released_only=False`), of one organisation if given, oldest first."""
    where = sa.and_(Campaign.questionnaire == questionnaire, Campaign.year <= up_to)
    if released_only:
        where = sa.and_(where, RELEASED)
    if organisation_id is not None:
        where = sa.and_(where, Campaign.organisation_id == organisation_id)
    stmt = sa.select(Campaign.year).where(where).distinct().order_by(Campaign.year)
    return list(db.session.execute(stmt).scalars())


def year_kind(questionnaire: str) -> str:
    """How a questionnaire's data years are counted (financial or calendar), for writing
    them: as its newest campaign counted them, or as its file declares before it has any."""
    kind = db.session.scalar(sa.select(Campaign.year_kind).where(Campaign.questionnaire == questionnaire)
                             .order_by(Campaign.id.desc()).limit(1))
    if kind is None:
        try:
            found = available().get(questionnaire)
        except QuestionnaireError:  # a broken file elsewhere in the folder: the default
            found = None
        kind = found.data_year if found else FINANCIAL
    return kind


def response_rate(campaign_id: int) -> scoring.ResponseRate:
    """A campaign's response rate (DESIGN.md definition 4) from two counts, without
    loading any answers: cheap enough for a live dashboard."""
    counts = response_counts(Campaign.id == campaign_id)
    if counts.empty:
        return scoring.ResponseRate(0, 0)
    return scoring.ResponseRate(int(counts["submitted"].iloc[0]), int(counts["participants"].iloc[0]))


def response_counts(where) -> pd.DataFrame:
    """campaign_id, submitted, participants for the campaigns matching `where`.

    Participants who withdrew are left out of both counts; responses imported without a
    participant count as submitted, and the paper forms handed out as participants (never
    fewer participants than responses: the rate stays at most 100%).

    Counted from the indexes: people per campaign, those who have submitted (a partial
    index) and responses imported into the store, less the few submitted by someone who
    has since withdrawn (a partial index). The submitted are counted on the participant
    side, so the rate is live while their answers wait to be released into the store.
    """
    ids = list(db.session.execute(sa.select(Campaign.id).where(where)).scalars())
    counts = campaign_counts(ids)
    return pd.DataFrame({"campaign_id": ids, "submitted": [counts[i].submitted for i in ids],
                         "participants": [counts[i].participants for i in ids]}, dtype=int)


@dataclass(frozen=True)
class CampaignCounts:
    """What the database counts of a campaign for its response rate. Every change to the
    campaign's figures (an import, a withdrawal, a bounce, a submission, a response
    imported from paper) changes `statuses` or `all_submitted`, and neither ever goes
    back: the live figures are kept under these counts (dashboard/figures.py)."""

    #: people in each status, e.g. (("active", 380), ("withdrawn", 4))
    statuses: tuple[tuple[str, int], ...]
    #: people who have submitted (those who have since withdrawn included), plus responses imported
    all_submitted: int
    #: of those, the ones submitted by someone who has since withdrawn
    withdrawn_submitted: int
    #: paper forms handed out (Campaign.paper_forms)
    paper_forms: int = 0
    #: submissions waiting in the queue to be released into the store (a release
    #: changes the day they are counted on, and this count)
    queued: int = 0

    @property
    def listed(self) -> int:
        """People in the participant list, withdrawn left out."""
        return sum(n for status, n in self.statuses if status != "withdrawn")

    @property
    def participants(self) -> int:
        """The people the response rate is over: the list, the paper forms, and never
        fewer than the responses (scoring.response_rate.participants)."""
        return rate_participants(self.listed, self.paper_forms, self.submitted)

    @property
    def submitted(self) -> int:
        return self.all_submitted - self.withdrawn_submitted


def campaign_counts(ids: list[int]) -> dict[int, CampaignCounts]:
    """Each campaign's counts, as response_counts() uses them, in six queries on
    indexes and without pandas (a dashboard asks for one campaign)."""
    if not ids:
        return {}
    withdrawn = Participant.status == "withdrawn"
    people = (sa.select(Participant.campaign_id, Participant.status, sa.func.count())
              .where(Participant.campaign_id.in_(ids)).group_by(Participant.campaign_id, Participant.status))
    submitted = (sa.select(Participant.campaign_id, sa.func.count())
                 .where(Participant.campaign_id.in_(ids), Participant.submitted).group_by(Participant.campaign_id))
    imported = (sa.select(SubmittedResponse.campaign_id, sa.func.count())
                .where(SubmittedResponse.campaign_id.in_(ids), SubmittedResponse.source == "import")
                .group_by(SubmittedResponse.campaign_id))
    left = (sa.select(Participant.campaign_id, sa.func.count())
            .where(Participant.campaign_id.in_(ids), withdrawn, Participant.submitted)
            .group_by(Participant.campaign_id))
    statuses: dict[int, list[tuple[str, int]]] = {i: [] for i in ids}
    for campaign_id, status, n in db.session.execute(people):
        statuses[campaign_id].append((status, int(n)))
    paper = sa.select(Campaign.id, Campaign.paper_forms).where(Campaign.id.in_(ids), Campaign.paper_forms > 0)
    queue = (sa.select(QueuedSubmission.campaign_id, sa.func.count()).where(QueuedSubmission.campaign_id.in_(ids))
             .group_by(QueuedSubmission.campaign_id))
    on_list, from_import, withdrawn_submitted, paper_forms, queued = (
        dict(db.session.execute(stmt).all()) for stmt in (submitted, imported, left, paper, queue))
    return {i: CampaignCounts(tuple(sorted(statuses[i])), int(on_list.get(i, 0)) + int(from_import.get(i, 0)),
                              int(withdrawn_submitted.get(i, 0)), int(paper_forms.get(i, 0)),
                              int(queued.get(i, 0))) for i in ids}


def load(where, extra_dimensions: list[str] = ()) -> ResultsData:
    """The results of the campaigns matching `where` (a condition on Campaign)."""
    conn = db.session.connection()
    campaigns = _campaigns(conn, where)
    versions = {}
    for version_id in campaigns["questionnaire_version_id"].unique():
        versions[int(version_id)] = db.session.get(QuestionnaireVersion, int(version_id)).parsed()
    frames = [scoring.items_frame(q, questionnaire_version_id=vid) for vid, q in versions.items()]
    items = (pd.concat(frames, ignore_index=True) if frames
             else pd.DataFrame(columns=[*ITEM_COLUMNS, "questionnaire_version_id"]))

    dimensions: list[str] = []
    for q in versions.values():
        dimensions += [d for d in q.all_dimensions if d not in dimensions]
    asked = items.loc[items["dimension"].notna(), ["questionnaire_version_id", "item_id", "dimension"]]
    dimensions += [d for d in extra_dimensions if d not in dimensions and d != DEVICE_CLASS]
    # a dimension a question asks comes from the answers; any other from the participant list
    from_list = [d for d in dimensions if d not in set(asked["dimension"])]
    sources = {d: ("question" if d in set(asked["dimension"]) else "participant list") for d in dimensions}

    S = SubmittedResponse
    respondent_columns = [
        S.id.label("response_id"), S.public_id, S.campaign_id, S.language, S.device_class, S.source, S.submitted_on,
    ]
    # text on both databases (SQLite's JSON_EXTRACT would hand back numbers as numbers)
    respondent_columns += [sa.cast(S.attributes[name].as_string(), sa.String).label(f"attr_{i}")
                           for i, name in enumerate(from_list)]
    stmt = (sa.select(*respondent_columns).join(Campaign, Campaign.id == S.campaign_id)
            .where(where).order_by(S.campaign_id, S.submitted_on, S.id))
    respondents = pd.read_sql(stmt, conn)
    respondents = respondents.rename(columns={f"attr_{i}": name for i, name in enumerate(from_list)})

    stmt = (sa.select(SubmittedAnswer.response_id, SubmittedAnswer.item_id, SubmittedAnswer.value, S.campaign_id)
            .join(S, S.id == SubmittedAnswer.response_id).join(Campaign, Campaign.id == S.campaign_id)
            .where(where))
    answers = read_frame(stmt, conn, {"response_id": pa.int64(), "item_id": pa.string(), "value": pa.string(),
                                      "campaign_id": pa.int64()})
    meta = campaigns.set_index("campaign_id")
    answers["questionnaire_version_id"] = answers["campaign_id"].map(meta["questionnaire_version_id"])
    for column in ("organisation_id", "organisation_code", "year", "questionnaire_version_id"):
        respondents[column] = respondents["campaign_id"].map(meta[column])

    if not asked.empty:
        dims = answers.merge(asked, on=["questionnaire_version_id", "item_id"])
        wide = dims.pivot(index="response_id", columns="dimension", values="value")
        for name in wide.columns:
            respondents[name] = respondents["response_id"].map(wide[name])
    for name in dimensions:
        if name not in respondents:
            respondents[name] = pd.Series(None, index=respondents.index, dtype=object)
    counts = response_counts(where)
    return ResultsData(campaigns=campaigns, items=items, respondents=respondents, answers=answers,
                       counts=counts, dimensions=dimensions, dimension_sources=sources)


def read_frame(stmt, conn, types: dict[str, pa.DataType]) -> pd.DataFrame:
    """The rows of `stmt` (columns and their types given) as a DataFrame.

    On PostgreSQL Arrow's own driver (ADBC) reads them straight into columns, in C++:
    the answers of 100,000 responses (4.6 million rows) in about half the time of a
    COPY read row by row in Python (bench/RESULTS.md). NULL stays missing and an empty
    text stays "". Elsewhere (SQLite), pandas reads them through SQLAlchemy."""
    if conn.dialect.name != "postgresql":
        return pd.read_sql(stmt, conn)
    import adbc_driver_postgresql.dbapi as adbc

    sql = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    uri = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with adbc.connect(uri) as reader, reader.cursor() as cursor:
        cursor.execute(sql)
        table = cursor.fetch_arrow_table()
    table = table.select(list(types)).cast(pa.schema([pa.field(name, kind) for name, kind in types.items()]))
    return table.to_pandas()


def _campaigns(conn, where) -> pd.DataFrame:
    stmt = (sa.select(Campaign.id.label("campaign_id"), Campaign.organisation_id, Campaign.questionnaire,
                      Campaign.questionnaire_version_id, QuestionnaireVersion.version, Campaign.year,
                      Campaign.year_kind, Campaign.anonymity_threshold, Campaign.status,
                      Organisation.name.label("organisation_name"), Organisation.type_letter, Organisation.number, Organisation.partnership)
            .join(Organisation, Organisation.id == Campaign.organisation_id)
            .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.questionnaire_version_id)
            .where(where).order_by(Campaign.year, Organisation.type_letter, Organisation.number, Campaign.id))
    frame = pd.read_sql(stmt, conn)
    # the code rule lives on the model; a campaign list is short, so apply it row by row
    frame["organisation_code"] = [
        Organisation.code_for(SimpleNamespace(type_letter=t, number=int(n), partnership=bool(p)), int(y))
        for t, n, p, y in zip(frame["type_letter"], frame["number"], frame["partnership"], frame["year"])
    ]
    return frame.drop(columns=["type_letter", "number", "partnership"])

