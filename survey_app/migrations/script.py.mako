"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}
# decide: "expand" (adds only: the previous release runs against the result) or "contract"
# (drops, renames, NOT NULL on an existing column: runs once every host runs this release);
# survey_app/upgrades.py. tests/survey_app/test_upgrades.py refuses a migration without one
phase = None


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
