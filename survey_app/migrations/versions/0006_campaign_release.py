"""a campaign's results are released by the Improve team, and every release is recorded

`campaign.released_at` (with who: a console user or the operator the command line named)
marks results as released; only a closed campaign can be. Benchmarks and the exports
across organisations count released campaigns only. `campaign_release_event` keeps every
release and un-release. Campaigns already closed when this runs are left provisional:
the Improve team releases them (console or `flask campaign release`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None
# expand: nullable columns whose checks hold while they are empty, and a new table
phase = 'expand'


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('released_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('released_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('released_by_operator', sa.String(length=100), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_campaign_released_by_id_app_user'), 'app_user',
                                    ['released_by_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_campaign_released_when_closed'),
                                         "released_at IS NULL OR status = 'closed'")
        batch_op.create_check_constraint(
            op.f('ck_campaign_released_by'),
            "(released_at IS NULL AND released_by_id IS NULL AND released_by_operator IS NULL) OR "
            "(released_at IS NOT NULL AND (released_by_id IS NULL) <> (released_by_operator IS NULL))")

    op.create_table('campaign_release_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('operator', sa.String(length=100), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action IN ('release','unrelease')", name=op.f('ck_campaign_release_event_action')),
    sa.CheckConstraint('(user_id IS NULL) <> (operator IS NULL)', name=op.f('ck_campaign_release_event_who')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'],
                            name=op.f('fk_campaign_release_event_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_campaign_release_event_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_release_event'))
    )
    with op.batch_alter_table('campaign_release_event', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_release_event_campaign_id', ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('campaign_release_event', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_release_event_campaign_id')

    op.drop_table('campaign_release_event')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_campaign_released_by'), type_='check')
        batch_op.drop_constraint(op.f('ck_campaign_released_when_closed'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_campaign_released_by_id_app_user'), type_='foreignkey')
        batch_op.drop_column('released_by_operator')
        batch_op.drop_column('released_by_id')
        batch_op.drop_column('released_at')
