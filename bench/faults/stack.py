"""The deployment the faults are tried on, as the README's Deployment section sets it up,
on loopback: a fresh PostgreSQL database migrated by the product (dropped afterwards),
gunicorn started with deploy/gunicorn.conf.py and the production configuration (2 workers x 2
threads, PROXY_COUNT=1; its access log and error log kept in the run's folder) and
nginx with deploy/nginx.conf in front of it. Every process is stopped by pid."""
from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..product import import_people, open_campaign, product_database, product_env
from ..servers import Server, gunicorn
from .nginx import Nginx, nginx

DATABASE = "bench_faults"
#: gunicorn's connections carry this name, so a fault can find them in pg_stat_activity
WEB_CONNECTIONS = "faults-web"
WORKERS, THREADS = 2, 2


@dataclass
class Stack:
    app: object
    database_url: str
    instance: str
    web: Server
    proxy: Nginx
    #: the run's files: gunicorn.log, scheduler.log, Locust's CSV files
    tmp: Path
    #: every personal link the faults were given, to look for in the logs afterwards
    tokens: list[str]
    _campaigns: int = 0

    def env(self, **extra) -> dict[str, str]:
        """The production environment for a process of the product (a scheduler)."""
        return product_env(self.database_url, self.instance, **extra)

    def campaign(self, emails: list[str]) -> tuple[int, list[tuple[int, str]]]:
        """A new organisation with a campaign open since yesterday, and these people in it:
        (campaign id, [(participant id, personal link token), ...])."""
        self._campaigns += 1
        campaign = open_campaign(self.app, number=self._campaigns)
        links = import_people(self.app, campaign, emails)
        self.tokens += [token for _pid, token in links]
        return campaign, links

    def logs(self) -> str:
        """What nginx, gunicorn (with the app) and the schedulers have logged so far."""
        return self.proxy.logs() + "".join(p.read_text(errors="replace") for p in sorted(self.tmp.glob("*.log")))


@contextmanager
def deployment():
    with product_database(DATABASE) as (app, url, instance), tempfile.TemporaryDirectory(prefix="faults-") as tmp:
        env = product_env(f"{url}?application_name={WEB_CONNECTIONS}", instance, PROXY_COUNT=1)
        log, access = Path(tmp) / "gunicorn.log", Path(tmp) / "gunicorn-access.log"
        with gunicorn("wsgi:app", env, workers=WORKERS, threads=THREADS, ready_path="/healthz",
                      access_log=str(access), error_log=str(log), production_config=True) as web, \
                nginx(int(web.rsplit(":", 1)[1])) as proxy:
            yield Stack(app, url, instance, web, proxy, Path(tmp), [])
