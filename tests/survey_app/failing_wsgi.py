"""The app as deploy/gunicorn.conf.py serves it (`create_app()` from the environment), with
one more route that fails on a personal link's path: what a failure there writes to the
logs (tests/survey_app/test_gunicorn_logs.py)."""
from survey_app import create_app

app = create_app()


@app.get("/s/<token>/fail")
def fail(token: str):
    raise RuntimeError("a deliberate failure, to see what the error log writes")
