"""Planning: which emails are due, written into the outbox once each.

A message is identified by (participant, kind); the unique constraint on those columns
plus INSERT ... ON CONFLICT DO NOTHING means planning the same email twice, or from two
schedulers at once, creates it once. Planning is set-based SQL, one SELECT per campaign
and kind (nothing comes back once a message is planned), then batched INSERTs of what it
found, so a campaign of 100,000 people costs a few statements.

The schedule of a campaign (Campaign.reminder_schedule()):
- the invitation, to every active participant with an address, once the campaign is open
  (people imported later are invited when they are imported);
- reminders on the configured days and a last reminder before the close, only to people
  who have not submitted, have not stopped reminders, and were invited at least
  `reminder_min_gap` before the reminder goes out. Only the latest reminder that has come
  due is planned: a scheduler that was down for a week sends one reminder, not two, and
  an older reminder still waiting is cancelled in its favour. In an organisation return
  (the Digital Maturity Assessment) everyone working on it is reminded until the lead
  submits the return, and nobody after.

Whether a message is still wanted is checked again when it is sent (dispatcher.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, cast, exists, func, literal, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.schema import CreateTableAs, DropTable

from survey_app.models import Campaign, MaturityReturn, OutboxMessage, Participant
from survey_app.models.dialect import insert_ignoring_conflicts
from survey_app.models.types import UTCDateTime

from .settings import MailerSettings

SUPERSEDED = "Replaced by a later reminder before it was sent."
#: outbox rows written per executemany
WRITE_BATCH = 5000
OUTBOX_COLUMNS = ["campaign_id", "participant_id", "kind", "language", "due_at", "status", "attempts",
                  "next_attempt_at", "created_at"]


def message_language(policy: str, preference: str | None) -> str:
    """The languages of a message, in order (DESIGN.md; Welsh Language Standards).

    bilingual: both, the preferred one first, Welsh first when the preference is unknown.
    english: English, or Welsh alone to someone who prefers Welsh.
    """
    if policy == "bilingual":
        return "en+cy" if preference == "en" else "cy+en"
    return "cy" if preference == "cy" else "en"


def _language_sql(policy: str):
    """message_language() as a SQL expression over Participant.language."""
    if policy == "bilingual":
        return case((Participant.language == "en", "en+cy"), else_="cy+en")
    return case((Participant.language == "cy", "cy"), else_="en")


@dataclass
class PlanResult:
    invitations: int = 0
    reminders: int = 0
    superseded: int = 0

    def add(self, other: "PlanResult") -> None:
        self.invitations += other.invitations
        self.reminders += other.reminders
        self.superseded += other.superseded


def reminder_times(campaign: Campaign, settings: MailerSettings) -> list[tuple[str, datetime, datetime]]:
    """(kind, due, send_at) for each reminder that can go out before the campaign closes,
    ordered by when it goes out."""
    out = []
    for kind, due in campaign.reminder_schedule():
        send_at = settings.window.send_time(due, campaign.closes_at)
        if send_at is not None and send_at > campaign.opens_at:
            out.append((kind, due, send_at))
    return sorted(out, key=lambda item: item[2])


def plan_campaign(session: Session, campaign: Campaign, now: datetime, settings: MailerSettings) -> PlanResult:
    """Plan whatever of this campaign's schedule is due at `now`."""
    result = PlanResult()
    if not (campaign.status != "closed" and campaign.opens_at <= now < campaign.closes_at):
        return result
    policy = campaign.organisation.language_policy
    send_at = settings.window.send_time(now, campaign.closes_at)
    if send_at is not None:
        result.invitations = _plan_invitations(session, campaign, policy, now, send_at)
    schedule = reminder_times(campaign, settings)
    # planned from its due time (or from its send time when the window moved it earlier),
    # sent when the window allows
    due = [item for item in schedule if min(item[1], item[2]) <= now]
    if due:
        kind, due_at, send_at = due[-1]
        result.reminders = _plan_reminder(session, campaign, policy, kind, due_at, send_at, now, settings)
        earlier = [k for k, _d, _s in due[:-1]]
        if earlier:
            result.superseded = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.campaign_id == campaign.id, OutboxMessage.kind.in_(earlier),
                       OutboxMessage.status == "pending")
                .values(status="cancelled", last_error=SUPERSEDED)
                .execution_options(synchronize_session=False)
            ).rowcount
    return result


def _plan_invitations(session: Session, campaign: Campaign, policy: str, now: datetime, send_at: datetime) -> int:
    p, o = Participant, OutboxMessage
    opens = literal(campaign.opens_at, UTCDateTime)
    rows = select(
        p.campaign_id, p.id, literal("invitation"), _language_sql(policy),
        case((p.created_at > opens, p.created_at), else_=opens),
        literal("pending"), literal(0), literal(send_at, UTCDateTime), literal(now, UTCDateTime),
    ).where(
        p.campaign_id == campaign.id, p.status == "active", p.email.is_not(None),
        ~exists().where(o.participant_id == p.id, o.kind == "invitation"),
    )
    return _insert(session, rows)


def _plan_reminder(session: Session, campaign: Campaign, policy: str, kind: str, due_at: datetime,
                   send_at: datetime, now: datetime, settings: MailerSettings) -> int:
    p, o = Participant, OutboxMessage
    invitation, same_kind = aliased(OutboxMessage), aliased(OutboxMessage)
    next_attempt = max(send_at, settings.window.next_open(now))
    rows = select(
        p.campaign_id, p.id, literal(kind), _language_sql(policy), literal(due_at, UTCDateTime),
        literal("pending"), literal(0), literal(next_attempt, UTCDateTime), literal(now, UTCDateTime),
    ).select_from(p).join(
        invitation, and_(invitation.participant_id == p.id, invitation.kind == "invitation"),
    ).where(
        p.campaign_id == campaign.id, p.status == "active", p.email.is_not(None), p.opted_out_at.is_(None),
        invitation.sent_at.is_not(None),
        invitation.sent_at <= literal(send_at - settings.reminder_min_gap, UTCDateTime),
        p.submitted.is_(False),
        ~exists().where(same_kind.participant_id == p.id, same_kind.kind == kind),
    )
    if campaign.questionnaire_version.parsed().is_organisation_return:
        # contributors have no response of their own: the lead's submission of the
        # organisation's return ends every reminder (one look-up of the campaign's return)
        rows = rows.where(~exists().where(MaturityReturn.campaign_id == campaign.id,
                                          MaturityReturn.status == "submitted"))
    return _insert(session, rows)


def _insert(session: Session, rows) -> int:
    """Write the messages `rows` selects; the number written (ON CONFLICT DO NOTHING: a
    message another scheduler planned meanwhile is not written twice).

    The SELECT runs to the end before anything is written. As one INSERT ... SELECT, its
    NOT EXISTS on the outbox read the very table being filled: planned on an empty outbox
    (a new installation, a first large campaign), PostgreSQL scanned the growing outbox
    once per participant, and inviting 100,000 people did not finish in five minutes
    (bench/RESULTS.md)."""
    if session.get_bind().dialect.name == "postgresql":
        return _insert_staged(session, rows)
    planned = session.execute(rows).all()
    table = OutboxMessage.__table__
    stmt = insert_ignoring_conflicts(session, table, "participant_id", "kind").for_many().returning(table.c.id)
    written = 0
    for start in range(0, len(planned), WRITE_BATCH):
        values = [dict(zip(OUTBOX_COLUMNS, row)) for row in planned[start:start + WRITE_BATCH]]
        written += len(session.connection().execute(stmt, values).all())
    return written


#: the temporary table a PostgreSQL planning pass stages its messages in
_STAGING = "outbox_planned"


def _insert_staged(session: Session, rows) -> int:
    """PostgreSQL: the SELECT fills a temporary table inside the database (CREATE TEMPORARY
    TABLE ... AS: it runs to the end first), which one INSERT ... SELECT ... ON CONFLICT
    DO NOTHING then copies into the outbox. Nothing comes back to Python: fetching 100,000
    rows and sending them back in pages of parameters was nine tenths of the pass
    (bench/RESULTS.md, "Planning 100,000 invitations")."""
    selected, outbox = rows.subquery(), OutboxMessage.__table__
    # each column as the outbox's type (a parameter would otherwise make a text column)
    staged = CreateTableAs(select(*(cast(column, outbox.c[name].type).label(name)
                                    for column, name in zip(selected.c, OUTBOX_COLUMNS))), _STAGING, temporary=True)
    connection = session.connection()
    connection.execute(staged)
    copy = insert_ignoring_conflicts(session, outbox, "participant_id", "kind").from_select(
        OUTBOX_COLUMNS, select(*staged.table.c))
    # counted in the database (the driver gives no row count for INSERT ... SELECT here)
    written = connection.execute(select(func.count()).select_from(copy.returning(literal(1)).cte("written"))).scalar()
    # gone before the next campaign's stages its own (a failed statement rolls it back with the rest)
    connection.execute(DropTable(staged.table))
    return written


def plan_messages(session: Session, now: datetime, settings: MailerSettings) -> PlanResult:
    """Plan what is due in every campaign open at `now`."""
    total = PlanResult()
    campaigns = session.execute(
        select(Campaign).where(Campaign.status != "closed", Campaign.opens_at <= now, Campaign.closes_at > now)
        .order_by(Campaign.id)
    ).scalars().all()
    for campaign in campaigns:
        total.add(plan_campaign(session, campaign, now, settings))
    return total
