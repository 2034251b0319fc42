"""WSGI entry point: `gunicorn wsgi:app`. The `flask` command finds it too."""
from survey_app import create_app

app = create_app()
