"""The sending window (weekdays 08:00-18:00 UK time by default) and the retry delays."""
from __future__ import annotations

from datetime import timedelta

import pytest

from mailer.settings import MailerSettings
from mailer.window import SendWindow
from tests.mailer.mailtools import local

WINDOW = SendWindow()


@pytest.mark.parametrize("moment, inside", [
    (local(2030, 3, 4, 8, 0), True),     # Monday 08:00 GMT
    (local(2030, 3, 4, 7, 59), False),
    (local(2030, 3, 4, 17, 59), True),
    (local(2030, 3, 4, 18, 0), False),
    (local(2030, 3, 9, 12), False),      # Saturday
    (local(2030, 6, 3, 8, 0), True),     # Monday 08:00 BST, which is 07:00 UTC
    (local(2030, 6, 3, 7, 30), False),
])
def test_window_contains(moment, inside):
    assert WINDOW.contains(moment) is inside


def test_next_opening():
    assert WINDOW.next_open(local(2030, 3, 4, 10)) == local(2030, 3, 4, 10)
    assert WINDOW.next_open(local(2030, 3, 5, 6)) == local(2030, 3, 5, 8)
    assert WINDOW.next_open(local(2030, 3, 8, 19)) == local(2030, 3, 11, 8)   # Friday evening -> Monday
    assert WINDOW.next_open(local(2030, 3, 30, 0)) == local(2030, 4, 1, 8)    # over the clock change
    assert local(2030, 4, 1, 8).utcoffset() == timedelta(hours=1)


def test_send_time_moves_a_message_earlier_when_later_would_miss_the_deadline():
    deadline = local(2030, 4, 1, 0)  # a campaign closing at midnight starting Monday 1 April
    assert WINDOW.send_time(local(2030, 3, 30, 0), deadline) == local(2030, 3, 29, 8)  # Saturday -> Friday
    assert WINDOW.send_time(local(2030, 3, 25, 0), deadline) == local(2030, 3, 25, 8)
    assert WINDOW.send_time(local(2030, 3, 31, 12), local(2030, 3, 31, 13)) == local(2030, 3, 29, 8)
    assert WINDOW.send_time(local(2030, 3, 3, 12), local(2030, 3, 3, 13)) == local(2030, 3, 1, 8)


def test_a_round_the_clock_window():
    always = SendWindow(start_hour=0, end_hour=24, weekdays_only=False)
    for moment in (local(2030, 3, 9, 0), local(2030, 3, 9, 23, 59), local(2030, 3, 31, 1, 30)):
        assert always.contains(moment)
    assert always.describe() == "every day 00:00-24:00 Europe/London"


@pytest.mark.parametrize("start, end", [(18, 8), (8, 8), (-1, 10), (8, 25)])
def test_an_impossible_window_is_refused(start, end):
    with pytest.raises(ValueError, match="sending window"):
        SendWindow(start_hour=start, end_hour=end)


def test_retry_delays_double_up_to_the_cap():
    settings = MailerSettings(secret_key="s", base_url="http://x")
    assert [settings.retry_delay(n) / timedelta(minutes=1) for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert settings.retry_delay(10_000) == timedelta(minutes=30)


def test_settings_from_the_app_configuration(app):
    settings = MailerSettings.from_config(app.config)
    assert settings.window == SendWindow("Europe/London", 8, 18, True)
    assert settings.base_url == "http://survey.test" and settings.sender_domain == "localhost"
    assert settings.lease == timedelta(minutes=5) and settings.erase_grace == timedelta(days=30)
