"""gunicorn's production settings: `gunicorn -c deploy/gunicorn.conf.py wsgi:app` (README,
"Deployment"). Options given on the command line win over these (e.g. --bind).

Each worker counts its own requests for Prometheus; prometheus_client's multiprocess mode
adds them up at /metrics (survey_app/metrics.py): the workers write them to files in
PROMETHEUS_MULTIPROC_DIR, a fresh directory made here unless the environment names one
(which must then be emptied before each start, e.g. by the service's ExecStartPre: files
of an earlier run would be added in). The directory made here is removed when gunicorn stops.

Neither log ever holds a personal link: the logger class writes `/s/…/p/comments` for
`/s/<token>/p/comments` and leaves every query string out (survey_app/gunicorn_logging.py).
"""
import os
import shutil
import tempfile

# before any worker imports prometheus_client, which reads it once, at import (a reload
# reads this file again and keeps the directory: the environment has it by then)
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ["SURVEY_METRICS_DIR_MADE"] = tempfile.mkdtemp(
        prefix="survey-metrics-")

#: loopback only: the reverse proxy in front is what the world talks to
bind = ["127.0.0.1:8000"]
#: one worker per CPU, two threads each: on two CPUs shared with PostgreSQL this served the
#: most journeys for the least CPU (bench/RESULTS.md, "The gunicorn settings")
workers = 2
worker_class = "gthread"
threads = 2
#: a worker silent for this long is restarted (a campaign's download takes seconds)
timeout = 60
#: on a restart or deploy, requests in flight have this long to finish
graceful_timeout = 30
#: idle keep-alive connections are closed after this many seconds
keepalive = 5

#: access log to standard output, error log to standard error (journald or the supervisor
#: keeps them); the remote address, time, request line without its query, status, bytes
#: and milliseconds in the worker, then the request's id (the logger class adds it; with
#: LOG_FORMAT=json each line is a JSON object). No Referer and no user agent: neither is
#: needed, and a Referer can name a page with a link in it.
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = "survey_app.gunicorn_logging.RedactingLogger"
#: no gunicornc control socket: the service manager starts, reloads and stops gunicorn, and
#: its default path ($HOME/.gunicorn/gunicorn.ctl) would be shared by two instances on a host
control_socket_disable = True


def child_exit(server, worker):
    """A worker that has gone (restarted, killed): its live gauges no longer count."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """gunicorn stops: the metrics directory made above goes (one the environment named stays)."""
    made = os.environ.get("SURVEY_METRICS_DIR_MADE")
    if made:
        shutil.rmtree(made, ignore_errors=True)
