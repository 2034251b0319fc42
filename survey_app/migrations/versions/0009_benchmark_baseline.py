"""historical baselines: a questionnaire's benchmark figures per factor from long ago

A baseline (e.g. "1999-2004", the benchmarking report's first five years) is imported
by the Improve team from a CSV (`flask baseline import`) and shown beside this year's
results. Its figures are on the 1-7 scale; the database refuses any outside it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None
# expand: new tables
phase = 'expand'


def upgrade():
    op.create_table('benchmark_baseline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_baseline')),
    sa.UniqueConstraint('questionnaire', 'label', name=op.f('uq_benchmark_baseline_questionnaire_label'))
    )
    op.create_table('benchmark_baseline_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('baseline_id', sa.Integer(), nullable=False),
    sa.Column('factor', sa.String(length=64), nullable=False),
    sa.Column('measure', sa.String(length=32), nullable=False),
    sa.Column('median', sa.Float(), nullable=False),
    sa.Column('q1', sa.Float(), nullable=True),
    sa.Column('q3', sa.Float(), nullable=True),
    sa.Column('organisations', sa.Integer(), nullable=True),
    sa.CheckConstraint('median BETWEEN 1 AND 7', name=op.f('ck_benchmark_baseline_figure_median')),
    sa.CheckConstraint('q1 IS NULL OR (q1 BETWEEN 1 AND 7 AND q1 <= median)',
                       name=op.f('ck_benchmark_baseline_figure_q1')),
    sa.CheckConstraint('q3 IS NULL OR (q3 BETWEEN 1 AND 7 AND q3 >= median)',
                       name=op.f('ck_benchmark_baseline_figure_q3')),
    sa.CheckConstraint('organisations IS NULL OR organisations >= 1',
                       name=op.f('ck_benchmark_baseline_figure_organisations')),
    sa.ForeignKeyConstraint(['baseline_id'], ['benchmark_baseline.id'],
                            name=op.f('fk_benchmark_baseline_figure_baseline_id_benchmark_baseline'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_baseline_figure')),
    sa.UniqueConstraint('baseline_id', 'factor', 'measure',
                        name=op.f('uq_benchmark_baseline_figure_baseline_id_factor_measure'))
    )
    with op.batch_alter_table('benchmark_baseline_figure', schema=None) as batch_op:
        batch_op.create_index('ix_benchmark_baseline_figure_baseline_id', ['baseline_id'], unique=False)


def downgrade():
    with op.batch_alter_table('benchmark_baseline_figure', schema=None) as batch_op:
        batch_op.drop_index('ix_benchmark_baseline_figure_baseline_id')
    op.drop_table('benchmark_baseline_figure')
    op.drop_table('benchmark_baseline')
