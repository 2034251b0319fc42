"""flask participants ...: the people invited to a campaign.

Commands are added to `participants_cli` by the modules that own them.
"""
from flask.cli import AppGroup

participants_cli = AppGroup("participants", help="Import, withdraw and look up participants.")
