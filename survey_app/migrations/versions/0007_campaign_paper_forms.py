"""paper forms handed out for a campaign

Responses imported without a participant (paper forms) counted as submitted but nobody
counted the forms, so the response rate could exceed 100%. `campaign.paper_forms` holds
how many were handed out (`flask responses import --paper-forms N`); the response rate
counts them as participants. Existing campaigns start at 0.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None
# expand: a column with a server default
phase = 'expand'


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paper_forms', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_campaign_paper_forms'), "paper_forms >= 0")


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_campaign_paper_forms'), type_='check')
        batch_op.drop_column('paper_forms')
