"""10,000 emails to an SMTP server on loopback, sent by the product's dispatcher in a fresh
process (time and peak RSS), against plain smtplib sending 10,000 messages of the same
size over one connection to the same server. The server counts what it receives: each
person exactly once."""
from __future__ import annotations

from . import dataset
from .common import Figures, python_job
from .product import import_people, open_campaign, product_database, product_env
from .smtp_sink import smtp_sink

PLAN_AND_SEND = """
import os, json
from datetime import datetime
from bench.product import make_app
from mailer.context import fixed_clock
from mailer.jobs import open_campaigns, plan_messages
from mailer.dispatcher import send_due
from survey_app.mailing import mailer_context
app = make_app(os.environ['DATABASE_URL'], os.environ['SURVEY_INSTANCE_PATH'], MAIL_SERVER='127.0.0.1',
               MAIL_PORT=int(os.environ['MAIL_PORT']))
now = datetime.fromisoformat(os.environ['BENCH_NOW'])
ctx = mailer_context(app, clock=fixed_clock(now))
if os.environ.get('BENCH_STEP') == 'plan':
    open_campaigns(ctx, now)
    print(plan_messages(ctx, now).invitations)
else:
    result = send_due(ctx, now)
    print(json.dumps({'sent': result.sent, 'stopped': result.stopped, 'failed': result.failed}))
"""
BASELINE = """
import os, smtplib
from email.message import EmailMessage
body = 'x' * int(os.environ['BENCH_BYTES'])
with smtplib.SMTP('127.0.0.1', int(os.environ['MAIL_PORT'])) as smtp:
    for i in range(int(os.environ['BENCH_COUNT'])):
        message = EmailMessage()
        message['From'], message['To'], message['Subject'] = 'survey@bench.example', f'base{i}@bench.example', 'Hi'
        message.set_content(body)
        smtp.send_message(message)
"""


def run(quick: bool) -> Figures:
    count = 300 if quick else 10_000
    figures = Figures("mail_10k", settings={"emails": count})
    with product_database("bench_mail") as (app, url, instance), smtp_sink() as (port, sink):
        campaign_id = open_campaign(app)
        import_people(app, campaign_id, [f"person{i}@bench.example" for i in range(count)])
        env = {**product_env(url, instance), "MAIL_PORT": str(port), "BENCH_NOW": dataset.bench_now().isoformat()}
        _s, _p, planned = python_job(PLAN_AND_SEND, {**env, "BENCH_STEP": "plan"})
        seconds, peak, out = python_job(PLAN_AND_SEND, {**env, "BENCH_STEP": "send"})
        received, repeated = sink.messages, sink.repeated
        size = 0
        figures.add(f"dispatch {count:,} emails (mailer dispatcher)", round(seconds, 3), "s",
                    f"{peak:.0f} MB peak; {int(planned):,} planned, {received:,} received, {repeated} more than "
                    f"once; {count / seconds:,.0f} emails/s; result {out.strip()}")
        figures.add("emails wrong (must be 0)", abs(received - count) + repeated, "missing, extra or repeated")
        size = 9_000  # about the size of a bilingual invitation with its HTML part
        before = sink.messages
        seconds, peak, _ = python_job(BASELINE, {"MAIL_PORT": str(port), "BENCH_COUNT": str(count),
                                                 "BENCH_BYTES": str(size)})
        figures.add(f"baseline: smtplib, {count:,} messages of {size:,} bytes, one connection", round(seconds, 3),
                    "s", f"{peak:.0f} MB peak; {sink.messages - before:,} received")
    return figures
