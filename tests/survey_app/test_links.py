from survey_app.links import make_token, read_token, respond_url, stop_reminders_url


def test_tokens_round_trip_and_refuse_tampering():
    token = make_token(42, "secret")
    assert read_token(token, "secret") == 42
    assert read_token(token, "other secret") is None
    assert read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "secret") is None
    assert read_token("not-a-token", "secret") is None
    # a stop-reminders token is not a survey link
    stop = stop_reminders_url(42, "secret", "http://x").rsplit("/", 1)[1]
    assert read_token(stop, "secret") is None
    assert respond_url(42, "secret", "http://x/").startswith("http://x/s/")
