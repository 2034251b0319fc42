"""No plain email address in logs, printed output or stored errors, whatever happens."""
from __future__ import annotations

import logging

from mailer.transport import scrub_addresses
from survey_app.extensions import db
from survey_app.models import OutboxMessage
from tests.mailer.mailtools import scheduled_campaign

ADDRESSES = ["ann.jones@example.org", "bob@example.org", "gone@example.org", "busy@example.org"]


def test_an_import_and_a_send_never_log_or_print_an_address(app, runner, smtp, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    campaign = scheduled_campaign()
    path = tmp_path / "people.csv"
    path.write_text("email,language\n" + "\n".join(f"{a},en" for a in ADDRESSES) + "\nbroken@,en\n"
                    "ann.jones@example.org,cy\n", encoding="utf-8")
    smtp.refuse["gone@example.org"] = "550 5.1.1 <gone@example.org>: user unknown"
    smtp.refuse["busy@example.org"] = "452 4.2.2 busy@example.org is over quota"

    outputs = [runner.invoke(args=["participants", "import", str(campaign.id), str(path), "--show-duplicates"]),
               runner.invoke(args=["mail", "send-due", "--now", "2030-03-04T09:00"]),
               runner.invoke(args=["mail", "status"])]
    assert smtp.count == 2
    ours = [r for r in caplog.records if r.name != "mail.log"]  # mail.log: the test SMTP server itself
    assert any(r.name.startswith("mailer") for r in ours)  # the send did log
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in ours)
    printed = "\n".join(o.output for o in outputs)
    errors = "\n".join(m.last_error or "" for m in db.session.execute(db.select(OutboxMessage)).scalars())
    assert "452 4.2.2 [address] is over quota" in errors and "550 5.1.1 <[address]>" in errors
    for address in ADDRESSES + ["broken@"]:
        assert address not in logged and address not in printed and address not in errors


def test_scrub_addresses():
    assert scrub_addresses("550 <a.b+c@x.example.org>: no; also d@e.f, ok") == "550 <[address]>: no; also [address], ok"
    assert scrub_addresses("421 try later") == "421 try later"
