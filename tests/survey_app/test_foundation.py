"""Configuration, migrations on both databases, codes and email hashes."""
from __future__ import annotations

import html
import subprocess
import sys

import pytest
import sqlalchemy as sa

from survey_app import create_app
from survey_app.config import ConfigError
from survey_app.extensions import db
from survey_app.models import Organisation
from survey_app.privacy import email_hash, normalise_email


def test_production_refuses_development_secret(monkeypatch):
    monkeypatch.setenv("SURVEY_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("EMAIL_HASH_KEY", "s" * 40)
    with pytest.raises(ConfigError, match="must differ"):
        create_app()
    monkeypatch.setenv("EMAIL_HASH_KEY", "h" * 40)
    assert create_app().config["ENV"] == "production"


def test_wsgi_app_and_flask_command_need_no_flags(repo_root):
    result = subprocess.run([sys.executable, "-m", "flask", "--help"], cwd=repo_root, capture_output=True, text=True)
    assert result.returncode == 0
    assert "questionnaire" in result.stdout and "campaign" in result.stdout


def test_migrations_build_the_whole_schema(app):
    inspector = sa.inspect(db.engine)
    tables = set(inspector.get_table_names())
    assert {"organisation", "questionnaire_version", "campaign", "participant", "response", "answer",
            "outbox", "app_user", "alembic_version"} <= tables
    # the model and the migrations agree (no pending autogenerate diff)
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_the_submitted_store_migration_cannot_be_undone(app):
    """0011 dropped the link between participants and their responses: there is nothing a
    downgrade could put back, so it refuses and changes nothing (tests/survey_app/
    test_submitted_store_migration.py shows the upgrade itself)."""
    from flask_migrate import downgrade

    with pytest.raises(SystemExit):
        downgrade(revision="0010")
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"submitted_response", "submitted_answer", "submission_queue", "campaign"} <= tables
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0011"


def test_constraints_hold_in_the_database(app):
    db.session.add(Organisation(name="A", type_letter="E", number=1))
    db.session.commit()
    db.session.add(Organisation(name="B", type_letter="E", number=1))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Organisation(name="C", type_letter="Z", number=2))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_organisation_codes():
    org = Organisation(name="x", type_letter="S", number=17, partnership=False)
    assert org.code_for(2020) == "S2017"
    org.partnership = True
    assert org.code_for(2019) == "S1917(P)"
    assert Organisation.parse_code("l1931") == ("L", 19, 31, False)
    assert Organisation.parse_code("S2017(P)") == ("S", 20, 17, True)
    assert Organisation.parse_code("Q2017") is None


def test_email_normalisation_and_hash():
    assert normalise_email("  Ann.Jones@Example.ORG \n") == "ann.jones@example.org"
    # NFC: a decomposed é equals the composed one
    assert normalise_email("Re\u0301mi@example.org") == normalise_email("R\u00e9mi@example.org")
    import hashlib
    import hmac

    expected = hmac.new(b"key", b"ann@example.org", hashlib.sha256).hexdigest()
    assert email_hash(" ANN@example.org", "key") == expected
    assert email_hash("ann@example.org", "other") != expected


def test_home_and_error_pages_render_in_both_languages(client):
    page = client.get("/", headers={"Accept-Language": "cy"})
    assert page.status_code == 200
    assert 'lang="cy"' in page.text and "Arolwg defnyddwyr TGCh" in page.text
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in page.text and "ICT user survey" in page.text
    missing = client.get("/no/such/page", headers={"Accept-Language": "cy"})
    assert missing.status_code == 404 and "Heb ddod o hyd i'r dudalen" in html.unescape(missing.text)
    assert client.get("/healthz").json == {"status": "ok"}


def test_bad_requests_get_the_service_error_page_in_both_languages(client, monkeypatch):
    """400, 405 and 413 outside the respondent's pages: the service's own page in the
    visitor's language, never Werkzeug's bare one."""
    for language, texts in (("en", ("Sorry, we could not use what was sent", "What was sent is too big")),
                            ("cy", ("Mae'n ddrwg gennym, nid oeddem yn gallu defnyddio'r hyn a anfonwyd",
                                    "Mae'r hyn a anfonwyd yn rhy fawr"))):
        headers = {"Accept-Language": language}
        no_token = client.post("/sign-in", data={"email": "a@example.org", "password": "x"}, headers=headers)
        assert no_token.status_code == 400
        assert texts[0] in html.unescape(no_token.text) and "govuk-template" in no_token.text
        wrong_method = client.post("/", headers=headers)
        assert wrong_method.status_code == 405 and "govuk-template" in wrong_method.text
        monkeypatch.setitem(client.application.config, "MAX_CONTENT_LENGTH", 1000)
        too_big = client.post("/sign-in", data={"email": "a" * 2000}, headers=headers)
        monkeypatch.undo()
        assert too_big.status_code == 413
        assert texts[1] in html.unescape(too_big.text) and "govuk-template" in too_big.text
