"""`flask demo --seed` (and so `make run`): a realistic round, issue 15 part 9.

Dozens of organisations over three data years, a few thousand responses stored as the
real code stores them, one campaign open and live, deterministic, and quick (the time is
printed, never asserted: bench/RESULTS.md). With two years of their Digital Maturity
Assessment returns (issue 16 part 5), at levels that differ from one organisation to another."""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa

from mailer import lifecycle
from mailer.planner import plan_campaign
from mailer.settings import MailerSettings
from questionnaires.answers import clean
from survey_app.cli.demo_data import ORGANISATIONS
from survey_app.cli.demo_round import demo_dates, seed_round
from survey_app.cli.dev import DEMO_ORG
from survey_app.cli.links import DEMO_PARTICIPANTS
from survey_app.extensions import db
from survey_app.results.maturity import load as load_returns
from survey_app.links import response_locator
from survey_app.models import (Answer, Campaign, MaturityAnswer, MaturityContributor, MaturityReturn, Organisation,
                               OutboxMessage, Participant, QueuedSubmission, Response, SubmittedAnswer,
                               SubmittedResponse)
from survey_app.models.response import DEVICE_CLASSES
from survey_app.submissions import uk_day, unseal
from survey_app.models.types import utcnow
from survey_app.privacy import email_hash
from survey_app.respond import journey
from survey_app.results.data import response_counts
from survey_app.results.report import benchmark_report, with_organisation
from tests.helpers import empty_tables

QUESTIONNAIRE = "user-satisfaction"
DMA = "dma"
STAFF_SURVEY = Campaign.questionnaire == QUESTIONNAIRE


def seed(runner, backend: str) -> str:
    started = time.monotonic()
    result = runner.invoke(args=["demo", "--seed"])
    seconds = time.monotonic() - started
    assert result.exit_code == 0, result.output
    print(f"flask demo --seed on {backend}: {seconds:.1f} s")  # measured, not asserted
    return result.output


def count(*where, model=Response) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def queued(app, *where) -> list[dict]:
    """The submissions still waiting in the queue, opened with the app's secret."""
    rows = db.session.execute(sa.select(QueuedSubmission).where(*where)).scalars().all()
    return [{"queued_on": row.queued_on, **unseal(row.sealed, row.campaign_id, app.config["SECRET_KEY"])}
            for row in rows]


def test_demo_seeds_a_round_worth_looking_at(app, runner, backend):
    output = seed(runner, backend)
    assert "Demo round: 37 organisations" in output and "/s/" in output and "Admin sign-in:" in output

    orgs = db.session.execute(sa.select(Organisation)).scalars().all()
    assert len(orgs) == len(ORGANISATIONS) >= 30
    assert len({o.type_letter for o in orgs}) >= 6
    welsh = [o for o in orgs if o.type_letter == "W"]
    assert len(welsh) >= 5 and all(o.name_cy and o.language_policy == "bilingual" for o in welsh)
    assert all(o.language_policy == "english" for o in orgs if o.type_letter != "W")
    assert sum(o.partnership for o in orgs) >= 2

    campaigns = db.session.execute(sa.select(Campaign).where(STAFF_SURVEY).order_by(Campaign.id)).scalars().all()
    years = sorted({c.year for c in campaigns})
    assert len(years) == 3 and years == list(range(years[0], years[0] + 3))
    assert {c.year_kind for c in campaigns} == {"financial"}
    assert len({c.questionnaire_version_id for c in campaigns}) == 1
    for c in campaigns:  # the data year is the financial year the campaign opened in
        opened = c.opens_at.astimezone(ZoneInfo("Europe/London")).date()
        assert c.year == (opened.year if opened.month >= 4 else opened.year - 1)
        assert c.code[1:3] == f"{c.year % 100:02d}"
    live = [c for c in campaigns if c.accepting_responses()]
    assert len(live) == 1 and [c.status for c in campaigns].count("open") == 1
    demo = live[0]
    assert (demo.organisation.type_letter, demo.organisation.number) == (DEMO_ORG["type_letter"], DEMO_ORG["number"])
    assert demo.year == years[-1] and f"Demo campaign {demo.id}:" in output
    closed = [c for c in campaigns if c is not demo]
    assert all(c.status == "closed" and c.closed_at == c.closes_at <= utcnow() for c in closed)
    assert {c.year for c in closed} == set(years)  # other organisations finished this year already
    assert len([c for c in closed if c.year == demo.year]) >= 20
    assert sorted(c.year for c in campaigns if c.organisation_id == demo.organisation_id) == years  # a trend

    stored, waiting = count(model=SubmittedResponse), count(model=QueuedSubmission)
    assert 3000 <= stored + waiting <= 9000
    assert count(Participant.submitted, model=Participant) == stored + waiting  # one submission each
    assert count(model=Response) > 0  # partial responses
    today = uk_day(utcnow())
    # only the open campaign has submissions waiting in the queue: today's, at least
    assert count(QueuedSubmission.campaign_id != demo.id, model=QueuedSubmission) == 0
    assert count(SubmittedResponse.campaign_id == demo.id, model=SubmittedResponse) >= 10
    assert count(QueuedSubmission.queued_on == today, model=QueuedSubmission) > 0  # live today
    assert count(SubmittedResponse.submitted_on >= today, model=SubmittedResponse) == 0  # today's wait
    assert count(QueuedSubmission.queued_on > today, model=QueuedSubmission) == 0
    assert count(Response.started_at > utcnow()) == 0
    # released as the scheduler releases them: batches of k or more, each on one day
    batches = db.session.execute(
        sa.select(SubmittedResponse.campaign_id, SubmittedResponse.submitted_on, sa.func.count(),
                  Campaign.anonymity_threshold).join(Campaign, Campaign.id == SubmittedResponse.campaign_id)
        .group_by(SubmittedResponse.campaign_id, SubmittedResponse.submitted_on, Campaign.anonymity_threshold)).all()
    assert batches and all(n >= k for _c, _day, n, k in batches)
    assert len(batches) > len({c for c, _day, _n, _k in batches})  # more than one batch a campaign

    counts = response_counts(STAFF_SURVEY).set_index("campaign_id")
    rates = 100 * counts["submitted"] / counts["participants"]
    assert (counts["participants"] > 0).all() and (rates <= 100).all()
    closed_rates = rates.drop(index=demo.id)
    assert closed_rates.between(15, 75).all() and closed_rates.max() - closed_rates.min() >= 30

    # benchmarks: a median for the demo organisation's questionnaire and year, and a band
    report = benchmark_report(QUESTIONNAIRE, demo.year)
    this_year = report.benchmarks[report.benchmarks["year"] == demo.year].set_index("metric")
    for metric in ("response_rate", "OVERALL.satisfaction", "IMPROVED.improvement", "S8.weight_gap"):
        assert this_year.loc[metric, "organisations"] >= 20 and pd.notna(this_year.loc[metric, "median"])
    assert this_year.loc["OVERALL.satisfaction", "q1"] < this_year.loc["OVERALL.satisfaction", "q3"]
    # the demo organisation's campaign is open: its own provisional values, as its results page shows them
    mine = with_organisation(report, demo.organisation_id).organisations
    ours = mine[mine["organisation_id"] == demo.organisation_id].set_index("metric")
    assert ours.loc["OVERALL.satisfaction", "band"] in (1, 2, 3, 4)
    assert pd.notna(ours.loc["OVERALL.satisfaction", "previous_score"])  # a trend from last year
    # a named peer group of ten, the demo organisation among them
    from survey_app.peers.operations import all_groups, member_codes
    groups = all_groups()
    assert [g.name for g in groups] == ["Councils of our size"]
    assert len(member_codes(groups[0], demo.year)) == 10 and demo.code in member_codes(groups[0], demo.year)
    gaps = ours.loc[ours.index.str.endswith(".weight_gap"), "score"]
    assert (gaps < 0).sum() >= 10 and (gaps > -2).all()  # importance above satisfaction for most

    # the answers people give: mostly 4-6 on the 1-7 scale, breakdowns with several groups
    values = pd.Series(db.session.execute(
        sa.select(SubmittedAnswer.value).where(SubmittedAnswer.item_id.like("sat_S%"))
    ).scalars().all())
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    assert numbers.between(4, 6).mean() > 0.6 and numbers.min() == 1 and numbers.max() == 7
    assert set(values) >= {"dont_know", "not_applicable"}
    for item_id, at_least in (("device", 5), ("location", 4), ("role", 6), ("working_mode", 4)):
        given = db.session.execute(sa.select(SubmittedAnswer.value).where(SubmittedAnswer.item_id == item_id)
                                   .distinct()).scalars()
        assert len(set(given)) >= at_least
    assert set(db.session.execute(sa.select(SubmittedResponse.device_class).distinct()).scalars()) == \
        set(DEVICE_CLASSES)
    assert set(db.session.execute(sa.select(SubmittedResponse.language).distinct()).scalars()) == {"en", "cy"}


def test_demo_has_two_years_of_maturity_returns_with_a_spread(app, runner, backend):
    """Last year's returns all submitted and released; this year's mostly, two waiting to
    be released, one never submitted, and the demo organisation's own a draft being worked
    on (its lead's link printed). Levels differ between organisations and functions, go
    up through the layers with the odd Yes out of order above, and carry a few notes."""
    output = seed(runner, backend)
    assert "Digital Maturity Assessment: " in output
    dma = pd.DataFrame(db.session.execute(
        sa.select(Campaign.id, Campaign.organisation_id, Campaign.year, Campaign.released_at.is_not(None),
                  MaturityReturn.status).outerjoin(MaturityReturn, MaturityReturn.campaign_id == Campaign.id)
        .where(Campaign.questionnaire == DMA)).all(),
        columns=["campaign_id", "organisation_id", "year", "released", "status"])
    staff_years = sorted(set(db.session.execute(sa.select(Campaign.year).where(STAFF_SURVEY)).scalars()))
    last, this = staff_years[-2:]
    assert sorted(set(dma["year"])) == [last, this]
    before, now = dma.loc[dma["year"] == last], dma.loc[dma["year"] == this]
    assert len(before) >= 25 and len(now) >= 25 and len(set(dma["organisation_id"])) >= 30
    assert (before["status"] == "submitted").all() and before["released"].all()
    assert (now["status"] == "submitted").sum() == len(now) - 2 and now["released"].sum() == len(now) - 4
    demo_org = db.session.execute(sa.select(Organisation).filter_by(type_letter="W", number=1)).scalar_one()
    mine = dma.loc[dma["organisation_id"] == demo_org.id].sort_values("year")
    assert list(mine["year"]) == [last, this] and list(mine["status"]) == ["submitted", "draft"]
    draft = db.session.get(Campaign, int(mine["campaign_id"].iloc[-1]))
    assert draft.accepting_responses() and f"campaign {draft.id}), the lead's link" in output
    link = next(line for line in output.splitlines() if "the lead's link" in line)
    assert "/s/" in link and "@" not in link
    opened = app.test_client().get(urlparse(link.split(": ")[-1]).path, follow_redirects=True)
    assert opened.status_code == 200 and opened.request.path.endswith("/return/")  # the return's own pages
    answered = db.session.scalar(sa.select(sa.func.count()).select_from(MaturityAnswer).join(MaturityReturn)
                                 .where(MaturityReturn.campaign_id == draft.id, MaturityAnswer.value.is_not(None)))
    assert 40 <= answered <= 70  # some way through its 90 statements

    # every return has one lead and one or two others, named by role
    people = db.session.execute(sa.select(MaturityContributor.campaign_id, MaturityContributor.is_lead,
                                          MaturityContributor.name)).all()
    per_campaign = Counter(c for c, _lead, _name in people)
    assert set(per_campaign) == set(dma["campaign_id"]) and set(per_campaign.values()) <= {2, 3}
    assert Counter(c for c, lead, _name in people if lead) == Counter(set(per_campaign))

    scores = load_returns(Campaign.questionnaire == DMA)  # the submitted returns, scored
    assert len(scores.campaigns) == (dma["status"] == "submitted").sum()
    overall = scores.overall.merge(scores.campaigns[["campaign_id", "year"]], on="campaign_id")
    for year in (last, this):
        levels = overall.loc[overall["year"] == year, "level"]
        assert levels.nunique() >= 4 and levels.min() <= 1 and levels.max() >= 3, (year, sorted(levels))
    assert set(scores.functions["level"]) == {0, 1, 2, 3, 4, 5}
    # a little further on this year than last, on the whole
    by_year = overall.groupby("year")["commitment"].mean()
    assert by_year[this] > by_year[last]
    # mostly cumulative: most Yes answers sit at or below their function's level + 1, a few above
    grid = scores.grid.merge(scores.functions[["campaign_id", "function", "level"]], on=["campaign_id", "function"])
    above = grid.loc[grid["layer"] > grid["level"] + 1, "yes"].sum()
    assert 0 < above < 0.2 * grid["yes"].sum()
    notes = [n for n in db.session.execute(sa.select(MaturityAnswer.note)).scalars() if n]
    assert len(notes) >= 50 and not any("@" in n for n in notes)


def test_demo_rows_are_what_the_real_code_stores(app, runner, backend):
    """Every answer in its stored form, every submission complete (in the store, or sealed
    in the queue) with its participant's list values, partial ones up to their furthest
    page and found by their participant's locator, addresses only on example domains and
    hashed as the import hashes them, and the outbox as the scheduler leaves it: planning
    now finds only the demo respondents' invitations to send."""
    seed(runner, backend)
    demo = db.session.execute(sa.select(Campaign).where(Campaign.status == "open", STAFF_SURVEY)).scalar_one()
    q = demo.questionnaire_version.parsed()
    pages = [p.id for p in q.pages]
    secret = app.config["SECRET_KEY"]
    not_submitted = db.session.execute(sa.select(Participant.id, Participant.campaign_id).where(
        Participant.submitted.is_(False))).all()
    locators = {response_locator(pid, secret): campaign_id for pid, campaign_id in not_submitted}
    partials = db.session.execute(sa.select(Response)).scalars().all()
    assert partials
    for response in partials:
        stored = response.answer_map()
        for item_id, value in stored.items():
            assert clean(q.item(item_id), value) == value, (item_id, value)
        reached = pages[:pages.index(response.last_page) + 1]
        assert response.last_page != pages[-1] and {q.item(i).page_id for i in stored} == set(reached)
        assert response.started_at < response.updated_at and response.device_class in DEVICE_CLASSES
        assert locators.get(response.locator) == response.campaign_id  # someone who has not submitted
    store = db.session.execute(sa.select(SubmittedResponse)).scalars().all()
    waiting = queued(app)
    assert store and waiting
    for response in store:
        assert response.source == "web" and len(response.public_id) == 16 and 0 < response.id < 2 ** 63
    submissions = [(r.answer_map(), r.device_class, r.language, r.attributes) for r in store] + \
        [(w["answers"], w["device_class"], w["language"], w["attributes"]) for w in waiting]
    for stored, device_class, language, attributes in submissions:
        for item_id, value in stored.items():
            assert clean(q.item(item_id), value) == value, (item_id, value)
        assert journey.unanswered_required(q, stored) == []
        assert set(pages) - {q.item(i).page_id for i in stored} <= {"comments"}  # the last page: optional
        assert device_class in DEVICE_CLASSES and language in ("en", "cy")
        assert set(attributes) == {"department"}  # copied from the participant list
    assert len({r.public_id for r in store}) == len({r.id for r in store}) == len(store)
    comments = [v for v in db.session.execute(
        sa.select(SubmittedAnswer.value).where(SubmittedAnswer.item_id == "comments")).scalars()]
    assert len(comments) > 500 and not any("@" in c or any(ch.isdigit() for ch in c) for c in comments)

    key = app.config["EMAIL_HASH_KEY"]
    demo_addresses = {email for email, _language, _note in DEMO_PARTICIPANTS}
    people = db.session.execute(sa.select(Participant)).scalars().all()
    assert len({p.email_hash for p in people}) < len(people)  # the same staff, invited year after year
    for p in people:
        if p.email is not None:
            assert p.email_hash == email_hash(p.email, key)
            assert p.email.endswith(".example.org") or p.email in demo_addresses
        assert (p.status == "withdrawn") == (p.withdrawn_at is not None)
        assert (p.status == "bounced") == (p.bounced_at is not None)
    erased = [c for c in db.session.execute(sa.select(Campaign)).scalars() if c.emails_erased_at is not None]
    assert erased and count(Participant.campaign_id.in_([c.id for c in erased]), Participant.email.is_not(None),
                            model=Participant) == 0
    staff = set(db.session.execute(sa.select(Campaign.id).where(STAFF_SURVEY)).scalars())
    assert {p.attributes.get("department") is not None for p in people
            if p.email not in demo_addresses and p.campaign_id in staff} == {True}

    # reminders stop once someone submits (when, the store no longer says): those who
    # submitted got fewer than those who did not; a bounced address got no reminder
    reminders = pd.DataFrame(db.session.execute(
        sa.select(Participant.submitted, sa.func.count(OutboxMessage.id))
        .outerjoin(OutboxMessage, sa.and_(OutboxMessage.participant_id == Participant.id,
                                          OutboxMessage.kind != "invitation"))
        .where(Participant.status == "active", Participant.opted_out_at.is_(None),
               Participant.campaign_id.in_(sa.select(Campaign.id).where(STAFF_SURVEY, Campaign.status == "closed")))
        .group_by(Participant.id, Participant.submitted)).all(), columns=["submitted", "reminders"])
    per_person = reminders.groupby("submitted")["reminders"].mean()
    assert per_person[True] < per_person[False] - 0.5
    assert count(OutboxMessage.status == "failed", model=OutboxMessage) == count(
        Participant.status == "bounced", model=Participant)
    settings = MailerSettings.from_config(app.config)
    now = utcnow()  # the scheduler's first pass finds nothing to open, close or erase
    assert lifecycle.open_campaigns(db.session, now) == lifecycle.close_campaigns(db.session, now) == 0
    assert lifecycle.erase_emails(db.session, now, settings.erase_grace) == 0
    planned = plan_campaign(db.session, demo, now, settings)
    assert (planned.invitations, planned.reminders, planned.superseded) == (len(DEMO_PARTICIPANTS), 0, 0)
    db.session.rollback()


def _fingerprint(app) -> tuple[dict, str]:
    """Every benchmark figure by year and metric, and a digest of every stored answer keyed
    by organisation code, year and the person's hash (ids differ between databases)."""
    figures = {}
    for year in sorted(set(db.session.execute(sa.select(Campaign.year)).scalars())):
        report = benchmark_report(QUESTIONNAIRE, year)
        for row in report.benchmarks.itertuples():
            figures[(int(row.year), row.metric)] = (int(row.organisations), round(float(row.median), 9))
    campaign = {c.id: [c.organisation.type_letter, c.organisation.number, c.year]
                for c in db.session.execute(sa.select(Campaign)).scalars()}
    rows = [campaign[r.campaign_id] + ["store", str(r.submitted_on), r.device_class, r.language, r.attributes,
                                       sorted(r.answer_map().items())]
            for r in db.session.execute(sa.select(SubmittedResponse)).scalars()]
    rows += [campaign[row.campaign_id] + ["queue", str(row.queued_on), sorted(
        unseal(row.sealed, row.campaign_id, app.config["SECRET_KEY"]).items())]
        for row in db.session.execute(sa.select(QueuedSubmission)).scalars()]
    rows += [campaign[r.campaign_id] + ["partial", r.device_class, r.language, r.last_page,
                                        sorted(r.answer_map().items())]
             for r in db.session.execute(sa.select(Response)).scalars()]
    rows += [campaign[campaign_id] + ["participant", hashed, submitted] for campaign_id, hashed, submitted in
             db.session.execute(sa.select(Participant.campaign_id, Participant.email_hash, Participant.submitted))]
    returns = db.session.execute(
        sa.select(Organisation.type_letter, Organisation.number, Campaign.year, MaturityReturn.status,
                  MaturityAnswer.statement_id, MaturityAnswer.value, MaturityAnswer.note, MaturityAnswer.revision)
        .join(Campaign, Campaign.organisation_id == Organisation.id)
        .join(MaturityReturn, MaturityReturn.campaign_id == Campaign.id)
        .join(MaturityAnswer, MaturityAnswer.return_id == MaturityReturn.id)).all()
    digest = hashlib.sha256(json.dumps([sorted(json.dumps(row) for row in rows),
                                        sorted(map(list, returns))]).encode()).hexdigest()
    return figures, digest


def test_demo_is_the_same_every_time_and_seeds_once(app, runner, backend):
    first_output = seed(runner, backend)
    first = _fingerprint(app)
    models = (Organisation, Campaign, Participant, Response, Answer, SubmittedResponse, SubmittedAnswer,
              QueuedSubmission)
    tables = Counter({m.__name__: count(model=m) for m in models})
    again = runner.invoke(args=["demo", "--seed"])  # on the same database: nothing new
    assert again.exit_code == 0 and "Demo round" not in again.output
    assert [line for line in again.output.splitlines() if "/s/" in line or "Demo campaign" in line] == \
        [line for line in first_output.splitlines() if "/s/" in line or "Demo campaign" in line]
    assert Counter({m.__name__: count(model=m) for m in models}) == tables
    db.session.remove()
    empty_tables()  # a fresh database, seeded again
    seed(runner, backend)
    assert _fingerprint(app) == first


def test_demo_refuses_to_mix_with_other_organisations(app, runner):
    assert runner.invoke(args=["org", "create", "--type", "E", "--id", "2", "--name", "A Real Council"]).exit_code == 0
    result = runner.invoke(args=["demo", "--seed"])
    assert result.exit_code == 1
    assert "Error: the database already has organisations" in result.output and "empty database" in result.output
    assert count(model=Organisation) == 1 and count(model=Campaign) == 0


def test_the_demo_campaign_belongs_to_a_year_with_finished_campaigns_whatever_the_day():
    """Worked by hand: twelve days ago, for four weeks; before the end of May (61 days into
    the financial year) no other campaign of the year could have run and closed, so the
    demo's opened on 20 March, in the year before, and runs 16 days past today."""
    assert demo_dates(date(2026, 12, 7)) == (date(2026, 11, 25), date(2026, 12, 23))
    assert demo_dates(date(2027, 6, 1)) == (date(2027, 5, 20), date(2027, 6, 17))  # 2027/28: 61 days in
    assert demo_dates(date(2027, 5, 31)) == (date(2027, 3, 20), date(2027, 6, 16))  # 60 days: 2026/27
    assert demo_dates(date(2027, 4, 12)) == (date(2027, 3, 31), date(2027, 4, 28))  # opens 31 March: 2026/27
    assert demo_dates(date(2027, 4, 13)) == (date(2027, 3, 20), date(2027, 4, 29))  # would open 1 April
    assert demo_dates(date(2027, 1, 5)) == (date(2026, 12, 24), date(2027, 1, 21))


def test_demo_seeded_early_in_a_financial_year(app):
    """Seeded on 14 April 2027, the round is 2024/25 to 2026/27: the demo campaign opened
    on 20 March 2027 and is open, every other campaign closed before that day."""
    now = datetime(2027, 4, 14, 9, 30, tzinfo=timezone.utc)
    campaign, summary = seed_round(now=now)
    assert summary.years == [2024, 2025, 2026] and campaign.year == 2026 and campaign.code == "W2601"
    assert campaign.status == "open" and campaign.accepting_responses(now)
    others = db.session.execute(sa.select(Campaign).where(Campaign.id != campaign.id, STAFF_SURVEY)).scalars().all()
    assert all(c.status == "closed" and c.closes_at <= now for c in others)
    assert {c.year for c in others} == {2024, 2025, 2026}
    assert count(SubmittedResponse.campaign_id == campaign.id, model=SubmittedResponse) > 0
    assert count(QueuedSubmission.campaign_id == campaign.id, QueuedSubmission.queued_on == uk_day(now),
                 model=QueuedSubmission) > 0
    assert count(SubmittedResponse.submitted_on >= uk_day(now), model=SubmittedResponse) == 0
    assert count(QueuedSubmission.queued_on > uk_day(now), model=QueuedSubmission) == 0
    db.session.rollback()
