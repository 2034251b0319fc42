"""The hand-over mark (mailer/dispatcher.py) is recorded at the last moment before the
server takes the message: after its whole text, before the "." that ends it. Before that
line the server keeps nothing, so a scheduler killed while the text is on its way loses no
message: the row is sent again after its lease (issue 14's fault suite found a quarter of
the interrupted messages lost when the mark came before the text)."""
from __future__ import annotations

import smtplib

from mailer.transport import OutgoingEmail
from survey_app.mailing import FlaskMailTransport


def email(n: int, text: str = "Hello.\n.A line that starts with a dot.\n") -> OutgoingEmail:
    return OutgoingEmail(recipient=f"person{n}@example.org", subject=f"Message {n}", text=text,
                         html=f"<p>{text}</p>")


def test_the_mark_comes_after_the_text_and_before_the_server_takes_it(app, smtp, monkeypatch):
    events = []  # what went to the server, and when the mark was made, in order
    send = smtplib.SMTP.send
    monkeypatch.setattr(smtplib.SMTP, "send", lambda host, data: events.append(
        data.encode() if isinstance(data, str) else bytes(data)) or send(host, data))

    def mark() -> bool:
        events.append(("mark", len(smtp.received)))
        return True

    with FlaskMailTransport(app).connect() as connection:
        accepted = connection.deliver(email(1), at_hand_over=mark)
    at = events.index(("mark", 0))  # not yet taken when the mark is made...
    before, after = events[:at], events[at + 1:]
    assert before[-2] == b"data\r\n" and b"Subject: Message 1" in before[-1]  # after the whole text
    assert after == [b".\r\n", b"quit\r\n"]  # and only the end of the message after it
    assert accepted
    assert [r.to for r in smtp.received] == ["person1@example.org"]  # ...taken once it is
    # the text as written, a line starting with a dot included (dot-stuffing undone by the server)
    assert smtp.received[0].text.replace("\r\n", "\n") == "Hello.\n.A line that starts with a dot.\n"


def test_declined_at_the_mark_the_server_keeps_nothing_and_the_next_message_goes(app, smtp):
    with FlaskMailTransport(app).connect() as connection:
        assert connection.deliver(email(1), at_hand_over=lambda: False) is False
        assert connection.deliver(email(2), at_hand_over=lambda: True) is True
    assert [r.to for r in smtp.received] == ["person2@example.org"]
