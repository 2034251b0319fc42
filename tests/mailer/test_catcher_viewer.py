"""The local mail catcher (mailer/catcher.py) and the development-only /dev/mail pages."""
from __future__ import annotations

from aiosmtpd.controller import Controller

from mailer.catcher import SaveToFolder
from survey_app import create_app
from tests.helpers import TEST_CONFIG
from tests.mailer.mailtools import free_port, local, mail_pass, people, scheduled_campaign


def test_caught_mail_is_listed_and_shown_without_addresses(app, client, tmp_path, monkeypatch):
    folder = tmp_path / "mail"
    port = free_port()
    controller = Controller(SaveToFolder(folder), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_CATCHER_DIR", str(folder))
        campaign = scheduled_campaign(type_letter="W")
        people(campaign, "en", "cy")
        assert mail_pass(app, local(2030, 3, 4, 9))["send_outbox"].sent == 2
    finally:
        controller.stop()
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2

    listing = client.get("/dev/mail/").get_data(as_text=True)
    assert "2 messages, newest first" in listing
    assert "Dweud eich dweud: Arolwg Boddhad Defnyddwyr TGCh / Have your say" in listing
    assert "@example.org" not in listing
    shown = client.get(f"/dev/mail/{files[0].name}").get_data(as_text=True)
    assert "Annwyl gydweithiwr," in shown and "Dear colleague," in shown and "@example.org" not in shown
    html = client.get(f"/dev/mail/{files[0].name}/html")
    assert html.headers["Content-Security-Policy"].startswith("sandbox; ") and b"<div lang=\"cy\" id=\"cy\">" in html.data
    assert client.get("/dev/mail/..%2Fsecret.eml").status_code == 404
    assert client.get("/dev/mail/missing.eml").status_code == 404


def test_an_empty_folder(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_CATCHER_DIR", str(tmp_path / "none"))
    assert "No mail has been caught yet." in client.get("/dev/mail/").get_data(as_text=True)


def test_never_in_production(tmp_path):
    production = create_app({**TEST_CONFIG, "ENV": "production", "SECRET_KEY": "p" * 40, "EMAIL_HASH_KEY": "h" * 40,
                             "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                             "INSTANCE_PATH": str(tmp_path)})
    assert not [rule for rule in production.url_map.iter_rules() if rule.rule.startswith("/dev/")]
    assert production.test_client().get("/dev/mail/").status_code == 404
