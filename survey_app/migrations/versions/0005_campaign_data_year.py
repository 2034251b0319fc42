"""a campaign's data year follows the financial year (DESIGN.md definition 8)

Until now `campaign.year` was the calendar year the campaign opened in. It becomes the
data year: the financial year (1 April to 31 March) it opens in, held as the calendar year
that starts it (2026 for 2026/27), or the calendar year where the questionnaire declares
`data_year: calendar`. `campaign.year_kind` records which. Existing rows are worked out
again from their opening day in the UK, so a campaign that opened from January to March
moves to the year before (its organisation code's YY with it).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 09:00:00

"""
from datetime import timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None
# expand: a column with a server default and a check it satisfies; the previous release
# reads the worked-out years without failing (a campaign it creates meanwhile keeps its
# calendar year: create campaigns once the new release serves)
phase = 'expand'

LOCAL = ZoneInfo("Europe/London")
# the rule as it stands on this day, written out here so that later changes to
# scoring/years.py never change what this migration did
FINANCIAL_YEAR_START = 4

campaign = sa.table('campaign', sa.column('id', sa.Integer()), sa.column('year', sa.Integer()),
                    sa.column('year_kind', sa.String(16)), sa.column('opens_at', sa.DateTime()),
                    sa.column('questionnaire_version_id', sa.Integer()))
version = sa.table('questionnaire_version', sa.column('id', sa.Integer()), sa.column('content', sa.JSON()))


def _opening_days(conn):
    """(campaign id, the day it opened in the UK, the questionnaire's data_year if declared)."""
    rows = conn.execute(sa.select(campaign.c.id, campaign.c.opens_at, version.c.content)
                        .join(version, version.c.id == campaign.c.questionnaire_version_id))
    for campaign_id, opens_at, content in rows:
        day = opens_at.replace(tzinfo=timezone.utc).astimezone(LOCAL).date()  # stored as naive UTC
        yield campaign_id, day, (content or {}).get('data_year')


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year_kind', sa.String(length=16), server_default='financial', nullable=False))
        batch_op.create_check_constraint(op.f('ck_campaign_year_kind'), "year_kind IN ('financial','calendar')")

    conn = op.get_bind()
    for campaign_id, day, declared in list(_opening_days(conn)):
        kind = 'calendar' if declared == 'calendar' else 'financial'
        year = day.year - 1 if kind == 'financial' and day.month < FINANCIAL_YEAR_START else day.year
        conn.execute(campaign.update().where(campaign.c.id == campaign_id).values(year=year, year_kind=kind))


def downgrade():
    conn = op.get_bind()
    for campaign_id, day, _declared in list(_opening_days(conn)):
        conn.execute(campaign.update().where(campaign.c.id == campaign_id).values(year=day.year))

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_campaign_year_kind'), type_='check')
        batch_op.drop_column('year_kind')
