"""An SMTP server on loopback that accepts everything and counts messages per recipient
(aiosmtpd, in a thread of the benchmark process): what a mail server would receive."""
from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from .servers import free_port


class CountingHandler:
    def __init__(self):
        self.per_recipient: Counter[str] = Counter()
        self.messages = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
            self.per_recipient.update(envelope.rcpt_tos)
        return "250 Message accepted"

    @property
    def repeated(self) -> int:
        """Recipients who got more than one message."""
        return sum(1 for n in self.per_recipient.values() if n > 1)


@contextmanager
def smtp_sink():
    """Yield (port, handler); the server stops afterwards."""
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()
