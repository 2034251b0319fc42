"""Run Debian's nginx with the repository's site (deploy/nginx.conf) in front of a server on
loopback, as an ordinary process: its own prefix, pid file, logs and temporary paths, a
generated main config that includes the site with the upstream port, the listening port
and the static root substituted, stopped by pid afterwards."""
from __future__ import annotations

import getpass
import grp
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..common import ROOT
from ..servers import free_port

NGINX = os.environ.get("NGINX", shutil.which("nginx") or "/usr/sbin/nginx")
SITE = ROOT / "deploy" / "nginx.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")

#: what the suite changes in the site, as written in deploy/nginx.conf; each must be found
#: exactly once, so a change to the file that the suite would silently miss stops it
LISTEN = "listen 80;"
UPSTREAM = "server 127.0.0.1:8000 max_fails=0;"
UPSTREAM_AGAIN = "server 127.0.0.1:8000 max_fails=0 backup;"
STATIC_ROOT = "root /srv/survey/survey_app;"
ACCESS_LOG = "/var/log/nginx/survey.access.log"
ERROR_LOG = "/var/log/nginx/survey.error.log"
#: an access log line's status after the request (deploy/nginx.conf's `survey` format)
ANSWERED = re.compile(r'HTTP/[\d.]+" [23]\d\d ')

#: the rest of Debian's /etc/nginx/nginx.conf that matters here (worker counts, mime types);
#: the temporary paths and logs are the prefix's own
MAIN = """\
{user}worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/main-error.log warn;
events {{ worker_connections 768; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include {mime_types};
    default_type application/octet-stream;
    access_log {prefix}/main-access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/survey.conf;
}}
"""


@dataclass
class Nginx:
    base: str
    pid: int
    access_log: Path
    error_log: Path

    def served(self) -> int:
        """Requests answered so far with a 2xx or 3xx status (from the access log)."""
        if not self.access_log.exists():
            return 0
        return len(ANSWERED.findall(self.access_log.read_text(errors="replace")))

    def logs(self) -> str:
        """Everything nginx has logged so far."""
        return "".join(p.read_text(errors="replace") for p in (self.access_log, self.error_log) if p.exists())


def site_config(upstreams: list[str], listen: str, prefix: Path, static_root: Path = ROOT / "survey_app") -> str:
    """deploy/nginx.conf with the listening address, the upstream servers ("host:port"), the
    static root and the log paths of this run. One upstream keeps the file's backup line (the
    same gunicorn again, for a request whose worker died); several load-balance, each the
    others' next server, and the backup line goes."""
    text = SITE.read_text()
    servers = "\n    ".join(f"server {u} max_fails=0;" for u in upstreams)
    again = f"server {upstreams[0]} max_fails=0 backup;" if len(upstreams) == 1 else "# (several hosts: each is the others' next server)"
    for old, new in ((LISTEN, f"listen {listen};"), (UPSTREAM, servers), (UPSTREAM_AGAIN, again),
                     (STATIC_ROOT, f"root {static_root};"), (ACCESS_LOG, str(prefix / "access.log")),
                     (ERROR_LOG, str(prefix / "error.log"))):
        if text.count(old) != 1:
            raise RuntimeError(f"deploy/nginx.conf should contain {old!r} once (found {text.count(old)})")
        text = text.replace(old, new)
    return text


def main_config(prefix: Path) -> str:
    # as root nginx would hand its workers to `nobody`; keep them this process's user
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};\n" if os.geteuid() == 0 else ""
    return MAIN.format(user=user, prefix=prefix, mime_types=MIME_TYPES)


@contextmanager
def nginx(upstream_port: int | None = None, ready_path: str = "/healthz", *, upstreams: list[str] | None = None,
          host: str = "127.0.0.1", port: int | None = None, wrap: list[str] = ()):
    """nginx in front of 127.0.0.1:`upstream_port` (or of several `upstreams`, "host:port"),
    listening on `host`:`port` (a free loopback port by default); `wrap` is a command prefix
    it starts under (`nsenter --net=...`, bench/cluster). Yields an `Nginx`."""
    if not os.access(NGINX, os.X_OK):
        raise RuntimeError(f"nginx is not installed ({NGINX}): apt-get install nginx")
    with tempfile.TemporaryDirectory(prefix="faults-nginx-") as tmp:
        prefix = Path(tmp)
        port = port or free_port()
        (prefix / "survey.conf").write_text(site_config(upstreams or [f"127.0.0.1:{upstream_port}"],
                                                        f"{host}:{port}", prefix))
        (prefix / "nginx.conf").write_text(main_config(prefix))
        args = [*wrap, NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "main-error.log"),
                "-g", "daemon off;"]
        checked = subprocess.run([*args, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{checked.stderr}")
        process = subprocess.Popen(args, start_new_session=True)
        server = Nginx(f"http://{host}:{port}", process.pid, prefix / "access.log", prefix / "error.log")
        try:
            _wait_ready(process, server.base + ready_path, prefix)
            yield server
        finally:
            process.send_signal(signal.SIGQUIT)  # graceful: finish what is under way
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # the master and its workers (its own session)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_ready(process: subprocess.Popen, url: str, prefix: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            log = (prefix / "main-error.log")
            raise RuntimeError(f"nginx exited with {process.returncode}:\n"
                               f"{log.read_text() if log.exists() else ''}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not answer on {url}") from None
            time.sleep(0.1)
