"""Stopping reminders from the link in every email (it does not withdraw anyone)."""
