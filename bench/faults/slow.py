"""Row 8: slow clients. 200 connections each send a request line and then one header line
a second, never finishing (a connection the server closes is opened again), for a bounded
time; meanwhile respondents ask for their pages. Against nginx (deploy/nginx.conf) and,
to show why it is there, against gunicorn alone."""
from __future__ import annotations

import socket
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from .client import Answer, Browser, address
from .report import Tally
from .stack import Stack

CONNECTIONS = 200
PROBES = 4
#: a respondent gives up on a page after this long
PATIENCE = 5.0


@dataclass
class SlowClients:
    opened: int = 0
    #: connections the server closed (and were opened again)
    closed: int = 0


def _open(host: str, port: int, source: str) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=2, source_address=(source, 0))
    sock.sendall(b"GET / HTTP/1.1\r\nHost: survey.example\r\n")
    sock.setblocking(False)
    return sock


def _alive(sock: socket.socket, line: bytes) -> bool:
    """Send one more header line; False when the server has closed the connection."""
    try:
        if sock.recv(4096) == b"":
            return False
    except BlockingIOError:
        pass  # nothing from the server: still waiting for the rest of the header
    except OSError:
        return False
    try:
        sock.send(line)
        return True
    except BlockingIOError:
        return True
    except OSError:
        return False


@contextmanager
def slow_clients(base: str, count: int = CONNECTIONS):
    """`count` slow connections to `base` while the block runs (one thread, one line per
    connection a second); yields their `SlowClients` counts."""
    url = urlsplit(base)
    counts = SlowClients()
    stop = threading.Event()
    sockets: list[socket.socket | None] = [None] * count

    def keep_slow():
        tick = 0
        while not stop.is_set():
            tick += 1
            for i in range(count):
                if stop.is_set():
                    break
                sock = sockets[i]
                if sock is not None and not _alive(sock, f"X-Slow-{tick}: {i}\r\n".encode()):
                    sock.close()
                    sock, counts.closed = None, counts.closed + 1
                if sock is None:
                    try:
                        sock = _open(url.hostname, url.port, address(8, i))
                        counts.opened += 1
                    except OSError:
                        sock = None
                sockets[i] = sock
            stop.wait(1.0)

    thread = threading.Thread(target=keep_slow, daemon=True)
    thread.start()
    try:
        time.sleep(2)  # every connection open and sending before anyone measures
        yield counts
    finally:
        stop.set()
        thread.join()
        for sock in sockets:
            if sock is not None:
                sock.close()


def respondents_during(base: str, tokens: list[str], seconds: float, tally: Tally) -> list[Answer]:
    """Respondents asking for their first page again and again, each giving up after
    PATIENCE seconds: every answer they got."""
    answers: list[Answer] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def respondent(i: int) -> None:
        browser = Browser(base, address(9, i), timeout=PATIENCE)
        while time.monotonic() < deadline:
            answer = tally.record(browser.get(f"/s/{tokens[i]}"), (200,))
            with lock:
                answers.append(answer)
            time.sleep(0.5)

    threads = [threading.Thread(target=respondent, args=(i,)) for i in range(len(tokens))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def _served(answers: list[Answer]) -> str:
    served = [1000 * a.seconds for a in answers if a.status == 200]
    timed_out = sum(1 for a in answers if a.timed_out)
    times = f" (median {statistics.median(served):.0f} ms, slowest {max(served):.0f} ms)" if served else ""
    return f"{len(served)} of {len(answers)} pages served{times}, {timed_out} timed out after {PATIENCE:.0f} s"


def attack(stack: Stack, base: str, name: str, tag: str, seconds: float) -> Tally:
    tally = Tally(name)
    links = stack.campaign([f"{tag}-{i}@faults.example" for i in range(PROBES)])[1]
    tokens = [token for _pid, token in links]
    with slow_clients(base) as slow:
        answers = respondents_during(base, tokens, seconds, tally)
    tally.finding = (f"{CONNECTIONS} slow connections for {seconds:.0f} s ({slow.opened} opened, {slow.closed} closed "
                     f"by the server); respondents: {_served(answers)}")
    return tally


def through_nginx(quick: bool, stack: Stack) -> Tally:
    """Row 8: the slow connections against nginx in front of gunicorn."""
    return attack(stack, stack.proxy.base, "row 8: slow clients, nginx", "slow-nginx", 12 if quick else 30)


def bare_gunicorn(quick: bool, stack: Stack) -> Tally:
    """Row 8 without the proxy: the same against gunicorn alone (the README before nginx)."""
    tally = attack(stack, stack.web, "row 8: slow clients, gunicorn alone", "slow-gunicorn", 12 if quick else 30)
    recover(stack.web)
    return tally


def recover(base: str, seconds: float = 60) -> None:
    """Until the server answers again once the slow connections are gone."""
    deadline = time.monotonic() + seconds
    while Browser(base, timeout=5).get("/healthz").status != 200:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base} did not answer again within {seconds:.0f} s of the slow clients leaving")
        time.sleep(0.5)
