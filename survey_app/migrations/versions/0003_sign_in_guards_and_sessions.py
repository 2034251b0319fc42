"""sign-in guards in the database and server-side staff sessions

The per-account counters move off app_user to a table keyed by the address typed, so that
made-up addresses are counted the same way as real ones; the per-client limit, kept per
process until now, gets a table; staff sessions are rows the cookie names.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None
# contract: drops app_user's sign-in counters, which the previous release reads and
# writes; and this release needs the tables it creates, so neither serves across it
phase = 'contract'
needs_downtime = True


def upgrade():
    op.create_table('sign_in_account_guard',
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('counted_since', sa.DateTime(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('email_hash', name=op.f('pk_sign_in_account_guard'))
    )
    op.create_table('sign_in_client_window',
    sa.Column('client_hash', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('client_hash', name=op.f('pk_sign_in_client_window'))
    )
    with op.batch_alter_table('sign_in_client_window', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_client_window_started_at', ['started_at'], unique=False)

    op.create_table('staff_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_staff_session_user_id_app_user'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_staff_session_secret_hash'))
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index('ix_staff_session_user_id', ['user_id'], unique=False)

    # a lock in force when this runs is not carried over: the new table starts empty
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_sign_ins')


def downgrade():
    # the default fills the rows already there (0001 wrote the column without one)
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))

    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_session_user_id')

    op.drop_table('staff_session')
    with op.batch_alter_table('sign_in_client_window', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_client_window_started_at')

    op.drop_table('sign_in_client_window')
    op.drop_table('sign_in_account_guard')
