"""Users and signed-in clients for the dashboard and console tests."""
from __future__ import annotations

import re

import pytest
from flask import current_app

from survey_app.auth.operations import create_user
from survey_app.extensions import db

PASSWORD = "correct horse battery staple"


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def sign_in(client, email: str, password: str = PASSWORD, next_path: str | None = None):
    page = client.get("/sign-in")
    url = "/sign-in" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"email": email, "password": password, "csrf_token": csrf_from(page.text)})


@pytest.fixture
def make_user(app):
    def make(email: str, role: str = "improve", organisation=None, password: str = PASSWORD):
        user = create_user(email=email, password=password, role=role, organisation=organisation,
                           hash_key=current_app.config["EMAIL_HASH_KEY"])
        db.session.commit()
        return user

    return make


@pytest.fixture
def signer():
    """sign_in(client, email, password=PASSWORD, next_path=None) -> response"""
    return sign_in


@pytest.fixture
def csrf():
    return csrf_from
