"""organisation returns (the Digital Maturity Assessment): contributors, one return, answers

An organisation-return campaign's lead and contributors are its participants, each with a
name the others see; the campaign has one return, answered statement by statement, each
answer recording who last changed it and a revision count that keeps two people from
overwriting each other silently. New tables only: nothing existing changes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None
# expand: new tables
phase = 'expand'


def upgrade():
    op.create_table('maturity_contributor',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('is_lead', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['participant.id'], name=op.f('fk_maturity_contributor_added_by_id_participant')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_maturity_contributor_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_maturity_contributor_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', name=op.f('pk_maturity_contributor'))
    )
    with op.batch_alter_table('maturity_contributor', schema=None) as batch_op:
        batch_op.create_index('ix_maturity_contributor_campaign_id', ['campaign_id'], unique=False)
        batch_op.create_index('uq_maturity_contributor_lead', ['campaign_id'], unique=True, postgresql_where=sa.text('is_lead'), sqlite_where=sa.text('is_lead'))

    op.create_table('maturity_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name=op.f('ck_maturity_return_submitted_at')),
    sa.CheckConstraint("source IN ('web','import')", name=op.f('ck_maturity_return_source')),
    sa.CheckConstraint("status IN ('draft','submitted')", name=op.f('ck_maturity_return_status')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_maturity_return_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['participant.id'], name=op.f('fk_maturity_return_submitted_by_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maturity_return')),
    sa.UniqueConstraint('campaign_id', name=op.f('uq_maturity_return_campaign_id'))
    )
    op.create_table('maturity_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=8), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("value IS NULL OR value IN ('yes','no')", name=op.f('ck_maturity_answer_value')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_maturity_answer_revision')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['participant.id'], name=op.f('fk_maturity_answer_changed_by_id_participant')),
    sa.ForeignKeyConstraint(['return_id'], ['maturity_return.id'], name=op.f('fk_maturity_answer_return_id_maturity_return'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_maturity_answer')),
    sa.UniqueConstraint('return_id', 'statement_id', name=op.f('uq_maturity_answer_return_id_statement_id'))
    )


def downgrade():
    op.drop_table('maturity_answer')
    op.drop_table('maturity_return')
    with op.batch_alter_table('maturity_contributor', schema=None) as batch_op:
        batch_op.drop_index('uq_maturity_contributor_lead', postgresql_where=sa.text('is_lead'), sqlite_where=sa.text('is_lead'))
        batch_op.drop_index('ix_maturity_contributor_campaign_id')

    op.drop_table('maturity_contributor')
