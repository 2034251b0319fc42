"""The live figures counted by the database (per day, per attribute value) give the
numbers worked out by hand, on both databases, across the change to summer time."""
from __future__ import annotations

from datetime import date, datetime, timezone

from scoring.suppression import NOT_ANSWERED
from survey_app.dashboard.figures import rate_by_attribute, responses_by_day
from flask import current_app

from survey_app.extensions import db
from survey_app.links import response_locator
from survey_app.models import Response
from tests.factories import make_campaign, make_participant
from tests.stored import release_all
from tests.survey_app.dashboard.live import import_response, queue_submission


def submitted(campaign, participant, when):
    """Submitted online (waiting in the queue), or imported from paper (in the store)."""
    if participant is None:
        import_response(campaign, when)
    else:
        queue_submission(participant, when)


def partial(campaign, person):
    db.session.add(Response(campaign_id=campaign.id, locator=response_locator(person.id,
                                                                              current_app.config["SECRET_KEY"])))


def test_days_are_uk_days_either_side_of_the_clocks_going_forward(app):
    # clocks go forward at 01:00 UTC on Sunday 29 March 2026
    campaign = make_campaign(opens=date(2026, 3, 27), weeks=1, reminder_days=[3])
    people = [make_participant(campaign) for _ in range(5)]
    submitted(campaign, people[0], datetime(2026, 3, 27, 23, 30, tzinfo=timezone.utc))  # 27 Mar 23:30 GMT
    submitted(campaign, people[1], datetime(2026, 3, 28, 0, 30, tzinfo=timezone.utc))   # 28 Mar 00:30 GMT
    submitted(campaign, people[2], datetime(2026, 3, 29, 23, 30, tzinfo=timezone.utc))  # 30 Mar 00:30 BST
    submitted(campaign, people[3], datetime(2026, 3, 29, 22, 59, tzinfo=timezone.utc))  # 29 Mar 23:59 BST
    submitted(campaign, None, datetime(2026, 3, 30, 9, 0, tzinfo=timezone.utc))         # imported: counted
    submitted(campaign, people[4], datetime(2026, 3, 28, 9, 0, tzinfo=timezone.utc))
    people[4].status = "withdrawn"  # after submitting: nothing says which submission was theirs
    db.session.commit()
    days = responses_by_day(campaign, today=date(2026, 3, 31))
    assert days == [(date(2026, 3, 27), 1, 1), (date(2026, 3, 28), 2, 3), (date(2026, 3, 29), 1, 4),
                    (date(2026, 3, 30), 2, 6), (date(2026, 3, 31), 0, 6)]
    # released into the store (the campaign has closed): one batch, on its last day
    assert release_all(datetime(2026, 4, 4, tzinfo=timezone.utc)) == {campaign.id: 5}
    days = responses_by_day(campaign, today=date(2026, 3, 31))
    assert days == [(date(2026, 3, 27), 0, 0), (date(2026, 3, 28), 0, 0), (date(2026, 3, 29), 0, 0),
                    (date(2026, 3, 30), 6, 6), (date(2026, 3, 31), 0, 6)]


def test_rates_by_attribute_value(app):
    campaign = make_campaign()
    rows = [({"location": "Depot", "grade": "7"}, True), ({"location": "Depot", "grade": "7"}, False),
            ({"location": "Depot"}, False), ({"location": "Town Hall", "grade": "8"}, True),
            ({"location": "Town Hall", "grade": "8"}, True), ({"location": "Town Hall"}, None)]
    for attributes, answered in rows:
        person = make_participant(campaign, attributes=attributes)
        if answered:
            submitted(campaign, person, datetime.now(timezone.utc))
        elif answered is False:
            partial(campaign, person)
    gone = make_participant(campaign, attributes={"location": "Depot"})
    submitted(campaign, gone, datetime.now(timezone.utc))
    gone.status = "withdrawn"  # after submitting: left out
    db.session.commit()
    found = {key: [(value, rate.submitted, rate.participants) for value, rate in groups]
             for key, groups in rate_by_attribute(campaign).items()}
    # Depot 1 of 3, Town Hall 2 of 3; grade 7: 1 of 2, grade 8: 2 of 2, and the two with
    # no grade (one partial, one not started) a group of their own: 0 of 2; lowest rate first
    assert found == {"location": [("Depot", 1, 3), ("Town Hall", 2, 3)],
                     "grade": [(NOT_ANSWERED, 0, 2), ("7", 1, 2), ("8", 2, 2)]}
    assert list(found) == ["location", "grade"]


def test_kept_figures_follow_every_change_in_the_database(app):
    """The figures kept between requests are the ones the database gives now, after each
    kind of event that changes them."""
    from survey_app.dashboard.figures import kept_figures

    today = date.today()
    campaign = make_campaign(opens=today.replace(day=1) if today.day > 1 else today)
    people = [make_participant(campaign, attributes={"location": "Depot" if i % 2 else "Town Hall"})
              for i in range(4)]
    db.session.commit()

    def fresh():
        return responses_by_day(campaign, today), rate_by_attribute(campaign)

    def events():
        yield "a response is submitted", lambda: submitted(campaign, people[0], datetime.now(timezone.utc))
        yield "someone is imported", lambda: make_participant(campaign, attributes={"location": "Library"})
        yield "someone withdraws", lambda: setattr(people[1], "status", "withdrawn")
        yield "an address bounces", lambda: setattr(people[2], "status", "bounced")
        yield "a paper response is imported", lambda: submitted(campaign, None, datetime.now(timezone.utc))
        yield "someone who answered withdraws", lambda: setattr(people[0], "status", "withdrawn")
        yield "someone else submits", lambda: submitted(campaign, people[3], datetime.now(timezone.utc))
        yield "the queue is released", release_all

    assert kept_figures(campaign, today) == fresh()
    for what, event in events():
        before = kept_figures(campaign, today)
        event()
        db.session.commit()
        assert kept_figures(campaign, today) == fresh(), what
        # (a release the same day moves nothing from one day to another)
        assert kept_figures(campaign, today) != before or what in ("an address bounces", "the queue is released"), \
            what
        assert kept_figures(campaign, today) is kept_figures(campaign, today)  # kept while nothing happens
