"""Development only: the mail the local catcher received, to see what the demo sent."""
