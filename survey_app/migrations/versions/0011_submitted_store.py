"""confidential by construction: the submitted store, the sealed queue, partial responses
found by a locator; submitted responses moved into the store and their link dropped

THIS MIGRATION CANNOT BE UNDONE. It moves every submitted response out of `response`
into `submitted_response` / `submitted_answer`, with a random id, no participant, the
participant list's values copied onto it (those shared by at least the anonymity
threshold's number of people) and only the UK day it was submitted (the days
of a campaign grouped as a release would group them: a day with fewer than k submissions
counts on the last day of its batch); the participant keeps only `submitted`. Nothing is
kept that could tie a stored response back to its participant, so there is nothing a
downgrade could restore from: `downgrade()` refuses. Take a backup first if you may need
the old link (README, "Upgrading").

Partial responses stay where they are, found from now on by `locator` (an HMAC of the
participant's link under SECRET_KEY) instead of `participant_id`: the migration computes
it with the application's SECRET_KEY, so run it with the same settings as the app.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 14:40:00

"""
import hashlib
import hmac
import json
import random
import secrets
from collections import defaultdict
from datetime import timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None
# contract: drops response's participant link and columns the previous release reads and
# makes `locator` NOT NULL; and this release needs the store it fills, so neither serves
# across it
phase = 'contract'
needs_downtime = True

UK = ZoneInfo("Europe/London")


def _old_response_table():
    """The response table as 0001 made it (so that SQLite's batch copy knows its named constraints)."""
    meta = sa.MetaData()
    return sa.Table(
        'response', meta,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('public_id', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('device_class', sa.String(length=16), nullable=True),
        sa.Column('last_page', sa.String(length=64), nullable=True),
        sa.Column('source', sa.String(length=8), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(), nullable=True),
        sa.Column('locator', sa.String(length=64), nullable=True),
        sa.CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name='ck_response_submitted_at'),
        sa.CheckConstraint("source IN ('web','import')", name='ck_response_source'),
        sa.CheckConstraint("status IN ('partial','submitted')", name='ck_response_status'),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name='fk_response_campaign_id_campaign'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name='fk_response_participant_id_participant'),
        sa.PrimaryKeyConstraint('id', name='pk_response'),
        sa.UniqueConstraint('participant_id', name='uq_response_participant_id'),
        sa.UniqueConstraint('public_id', name='uq_response_public_id'),
        sa.Index('ix_response_campaign_status', 'campaign_id', 'status'),
    )


def _locator(participant_id, secret):
    """links.response_locator, as it is today (kept here so that the migration never changes)."""
    import base64
    import struct

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    raw = secret.encode() if isinstance(secret, str) else secret
    link_key = HKDF(algorithm=hashes.SHA256(), length=64, salt=None,
                    info=b"survey personal link v2: respond").derive(raw)
    token = base64.urlsafe_b64encode(AESSIV(link_key).encrypt(struct.pack(">Q", participant_id), None)).rstrip(b"=")
    locator_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"survey response locator v1").derive(raw)
    return hmac.new(locator_key, token, hashlib.sha256).hexdigest()


def batch_days(day_counts, k):
    """{day: the day its batch is stamped with}: days are gathered, in order, until the
    batch holds k or more submissions; a last batch smaller than k joins the one before."""
    stamps, pending, total = {}, [], 0
    for day, n in sorted(day_counts.items()):
        pending.append(day)
        total += n
        if total >= k:
            stamps.update({d: day for d in pending})
            pending, total = [], 0
    if pending:
        last = max(stamps.values()) if stamps else None
        for d, s in list(stamps.items()):
            if s == last:
                stamps[d] = pending[-1]
        stamps.update({d: pending[-1] for d in pending})
    return stamps


def _json(value):
    if value is None:
        return {}
    return json.loads(value) if isinstance(value, str) else dict(value)


def upgrade():
    op.create_table('submission_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('queued_on', sa.Date(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_submission_queue_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_queue'))
    )
    with op.batch_alter_table('submission_queue', schema=None) as batch_op:
        batch_op.create_index('ix_submission_queue_campaign', ['campaign_id', 'queued_on'], unique=False)

    op.create_table('submitted_response',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('device_class', sa.String(length=16), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.CheckConstraint("source IN ('web','import')", name=op.f('ck_submitted_response_source')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_submitted_response_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submitted_response')),
    sa.UniqueConstraint('public_id', name=op.f('uq_submitted_response_public_id'))
    )
    with op.batch_alter_table('submitted_response', schema=None) as batch_op:
        batch_op.create_index('ix_submitted_response_campaign', ['campaign_id', 'source'], unique=False)

    op.create_table('submitted_answer',
    sa.Column('response_id', sa.BigInteger(), nullable=False),
    sa.Column('item_id', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['submitted_response.id'], name=op.f('fk_submitted_answer_response_id_submitted_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'item_id', name=op.f('pk_submitted_answer'))
    )

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_participant_submitted', ['campaign_id'], unique=False,
                              postgresql_where=sa.text('submitted'), sqlite_where=sa.text('submitted'))
    op.add_column('response', sa.Column('locator', sa.String(length=64), nullable=True))

    _move_submitted(op.get_bind())

    with op.batch_alter_table('response', schema=None, copy_from=_old_response_table()) as batch_op:
        batch_op.drop_index('ix_response_campaign_status')
        batch_op.drop_constraint(op.f('ck_response_submitted_at'), type_='check')
        batch_op.drop_constraint(op.f('ck_response_source'), type_='check')
        batch_op.drop_constraint(op.f('ck_response_status'), type_='check')
        batch_op.drop_constraint(op.f('uq_response_participant_id'), type_='unique')
        batch_op.drop_constraint(op.f('uq_response_public_id'), type_='unique')
        batch_op.drop_constraint(op.f('fk_response_participant_id_participant'), type_='foreignkey')
        for column in ('participant_id', 'public_id', 'status', 'source', 'submitted_at'):
            batch_op.drop_column(column)
        batch_op.alter_column('locator', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(op.f('uq_response_locator'), ['locator'])
        batch_op.create_index('ix_response_campaign', ['campaign_id'], unique=False)


def _move_submitted(conn):
    config = current_app.config
    secret, minimum = config["SECRET_KEY"], int(config.get("SUBMISSION_BATCH_MINIMUM") or 0)
    thresholds = dict(conn.execute(sa.text("SELECT id, anonymity_threshold FROM campaign")).all())
    found = conn.execute(sa.text(
        "SELECT r.id, r.campaign_id, r.public_id, r.language, r.device_class, r.source, r.submitted_at, "
        "p.attributes FROM response r LEFT JOIN participant p ON p.id = r.participant_id "
        "WHERE r.status = 'submitted'")).all()
    answers = defaultdict(dict)
    for response_id, item_id, value in conn.execute(sa.text(
            "SELECT a.response_id, a.item_id, a.value FROM answer a JOIN response r ON r.id = a.response_id "
            "WHERE r.status = 'submitted'")):
        answers[response_id][item_id] = value

    def day_of(moment):
        if isinstance(moment, str):
            from datetime import datetime
            moment = datetime.fromisoformat(moment)
        return moment.replace(tzinfo=timezone.utc).astimezone(UK).date()

    web = defaultdict(lambda: defaultdict(int))
    for row in found:
        if row.source == "web":
            web[row.campaign_id][day_of(row.submitted_at)] += 1
    stamps = {cid: batch_days(days, max(1, minimum or thresholds.get(cid) or 1)) for cid, days in web.items()}
    # the list values copied: only those at least the threshold's number of people share
    sharing = defaultdict(int)
    for campaign_id, attributes in conn.execute(sa.text("SELECT campaign_id, attributes FROM participant")):
        for name, value in _json(attributes).items():
            sharing[(campaign_id, name, str(value))] += 1

    def shared(campaign_id, attributes):
        k = thresholds.get(campaign_id) or 5
        return {n: v for n, v in _json(attributes).items() if sharing[(campaign_id, n, str(v))] >= k}

    groups = defaultdict(list)
    for row in found:
        day = day_of(row.submitted_at)
        if row.source == "web":
            day = stamps[row.campaign_id][day]
        groups[(row.campaign_id, day)].append(row)
    store = sa.table('submitted_response', sa.column('id'), sa.column('campaign_id'), sa.column('public_id'),
                     sa.column('language'), sa.column('device_class'), sa.column('source'),
                     sa.column('submitted_on'), sa.column('attributes', sa.JSON()))
    stored_answer = sa.table('submitted_answer', sa.column('response_id'), sa.column('item_id'), sa.column('value'))
    shuffle = random.SystemRandom().shuffle
    for (campaign_id, day), rows in sorted(groups.items()):
        shuffle(rows)
        out, out_answers = [], []
        for row in rows:
            new_id = secrets.randbits(62) + 1
            out.append({"id": new_id, "campaign_id": campaign_id, "public_id": row.public_id,
                        "language": row.language, "device_class": row.device_class, "source": row.source,
                        "submitted_on": day,
                        "attributes": shared(campaign_id, row.attributes) if row.source == "web" else {}})
            out_answers += [{"response_id": new_id, "item_id": k, "value": v}
                            for k, v in sorted(answers[row.id].items())]
        conn.execute(store.insert(), out)
        if out_answers:
            conn.execute(stored_answer.insert(), out_answers)

    conn.execute(sa.text(
        "UPDATE participant SET submitted = TRUE WHERE id IN "
        "(SELECT participant_id FROM response WHERE status = 'submitted' AND participant_id IS NOT NULL)"))
    conn.execute(sa.text(
        "DELETE FROM answer WHERE response_id IN (SELECT id FROM response WHERE status = 'submitted')"))
    conn.execute(sa.text("DELETE FROM response WHERE status = 'submitted'"))
    # partial responses: found by their locator from now on (one without a participant cannot be resumed)
    conn.execute(sa.text("DELETE FROM answer WHERE response_id IN "
                         "(SELECT id FROM response WHERE participant_id IS NULL)"))
    conn.execute(sa.text("DELETE FROM response WHERE participant_id IS NULL"))
    partial = conn.execute(sa.text("SELECT id, participant_id FROM response")).all()
    if partial:
        conn.execute(sa.text("UPDATE response SET locator = :locator WHERE id = :id"),
                     [{"id": rid, "locator": _locator(pid, secret)} for rid, pid in partial])


def downgrade():
    raise RuntimeError(
        "Migration 0011 cannot be undone: submitted responses were moved into the submitted store with "
        "nothing that ties them to their participants, so there is no link to restore. Restore a backup "
        "taken before the upgrade instead.")
