"""The Improve team's console: organisations, campaigns, everything at once."""
