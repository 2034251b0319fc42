"""A small HTTP client for the faults: one browser (its cookies) at a source address of its
own in 127.0.0.0/8, so that behind nginx every browser is a different client to the
product's per-address limits. A new connection per request, no redirects followed, and
every failure (a timeout, a refused or reset connection) is an answer with status 0."""
from __future__ import annotations

import http.client
import socket
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

#: status of an answer that never came (timed out, connection refused or reset)
NO_ANSWER = 0


def address(group: int, n: int) -> str:
    """A loopback source address: each fault its own `group`, each client its own `n`."""
    return f"127.0.{group}.{n % 254 + 1}"


@dataclass
class Answer:
    status: int
    body: str = ""
    location: str = ""
    seconds: float = 0.0
    error: str = ""

    @property
    def timed_out(self) -> bool:
        return self.status == NO_ANSWER and "timed out" in self.error


@dataclass
class Browser:
    base: str
    source: str = "127.0.0.1"
    timeout: float = 10.0
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        url = urlsplit(self.base)
        headers = {"User-Agent": "faults", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=self.timeout,
                                                source_address=(self.source, 0))
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            return Answer(NO_ANSWER, seconds=time.perf_counter() - started,
                          error="timed out" if isinstance(error, socket.timeout) else repr(error))
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, text, response.headers.get("Location", ""), time.perf_counter() - started)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)
