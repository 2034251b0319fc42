"""Peer groups: the named groups the Improve team keeps, and reading any peer group
(scoring/peers.py) with a named group's members looked up."""
