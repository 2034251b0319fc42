"""Test clients."""
from __future__ import annotations

import contextvars

from flask.testing import FlaskClient


class FreshContextClient(FlaskClient):
    """Runs each request in a context of its own, as a real server would.

    Tests hold an app context to use the database; without this, Flask would reuse it
    for the request, sharing `g` and the database session between the test and the
    request (and across requests).
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)
