"""Participants: importing the people invited to a campaign, withdrawing those who left."""
