"""Email: the outbox, templates in English and Welsh, SMTP sending and the scheduler.

Knows nothing of Flask: configuration and database sessions are passed in.
"""
