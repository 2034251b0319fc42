"""named peer groups: organisations the Improve team benchmarks together

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 08:00:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None
# expand: new tables
phase = 'expand'


def upgrade():
    op.create_table(
        'peer_group',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_group')),
        sa.UniqueConstraint('name', name=op.f('uq_peer_group_name')),
    )
    op.create_table(
        'peer_group_member',
        sa.Column('peer_group_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['peer_group_id'], ['peer_group.id'], ondelete='CASCADE',
                                name=op.f('fk_peer_group_member_peer_group_id_peer_group')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE',
                                name=op.f('fk_peer_group_member_organisation_id_organisation')),
        sa.PrimaryKeyConstraint('peer_group_id', 'organisation_id', name=op.f('pk_peer_group_member')),
    )
    op.create_index(op.f('ix_peer_group_member_organisation_id'), 'peer_group_member', ['organisation_id'])


def downgrade():
    op.drop_index(op.f('ix_peer_group_member_organisation_id'), table_name='peer_group_member')
    op.drop_table('peer_group_member')
    op.drop_table('peer_group')
