"""The cluster's mail server: aiosmtpd on the mail host, accepting everything and writing
each recipient of each message as one line to a file, which the harness counts."""
from __future__ import annotations

import argparse
import signal
import threading

from aiosmtpd.controller import Controller


class Recording:
    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.file.write("".join(f"{r}\n" for r in envelope.rcpt_tos))
        return "250 Message accepted"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    controller = Controller(Recording(args.out), hostname=args.host, port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait(3600)  # bounded: the harness stops it long before
    controller.stop()


if __name__ == "__main__":
    main()
