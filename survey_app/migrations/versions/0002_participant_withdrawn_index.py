"""a partial index of the participants who withdrew (response counts)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 11:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None
# expand: an index only
phase = 'expand'


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index('ix_participant_withdrawn', ['campaign_id'], unique=False,
                              postgresql_where=sa.text("status = 'withdrawn'"),
                              sqlite_where=sa.text("status = 'withdrawn'"))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index('ix_participant_withdrawn', postgresql_where=sa.text("status = 'withdrawn'"),
                            sqlite_where=sa.text("status = 'withdrawn'"))
