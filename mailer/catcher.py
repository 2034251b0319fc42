"""A local mail catcher for trying the demo: an SMTP server on loopback that keeps
every message it receives as an .eml file and never delivers anything.

    python -m mailer.catcher [--port 8025] [--dir instance/mail]
"""
from __future__ import annotations

import argparse
import email
import email.policy
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        path = self.folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{number:05d}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        # the subject only: recipients' addresses stay out of the terminal
        print(f"mail catcher: message {number} ({message['subject']}) saved to {path}", flush=True)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", default="instance/mail")
    args = parser.parse_args()
    controller = Controller(SaveToFolder(Path(args.dir)), hostname=args.host, port=args.port)
    controller.start()
    print(f"mail catcher: listening on {args.host}:{args.port}, saving to {args.dir}/", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
