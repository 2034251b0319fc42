"""The respondent's journey: a personal link to a submitted response (blueprint in views.py)."""
