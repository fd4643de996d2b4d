"""Real mail servers on loopback for the outbox tests: one that records what it accepts (a small
SMTP server speaking just enough of RFC 5321 for Django's smtplib backend) and one that accepts
the connection and never says a word (a hung server)."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable


def free_port() -> int:
    """A loopback port nothing listens on (connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        server: RecordingSMTPServer = self.server  # type: ignore[assignment]
        self.reply("220 localhost test SMTP")
        envelope: dict = {"to": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                envelope = {"from": command[10:], "to": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command[8:])
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                for raw in iter(self.rfile.readline, b""):
                    if raw in (b".\r\n", b".\n"):
                        break
                    data.append(raw)
                if server.before_accept is not None:
                    server.before_accept()
                server.messages.append({**envelope, "data": b"".join(data).decode()})
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP and anything else
                self.reply("250 OK")


class RecordingSMTPServer(socketserver.ThreadingTCPServer):
    """Accepts every message and keeps it in ``messages``. ``before_accept`` (if set) runs after
    the message data arrived and before the 250 that accepts it."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.messages: list[dict] = []
        self.before_accept: Callable[[], None] | None = None
        self.port = self.server_address[1]
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class HungSMTPServer:
    """Accepts connections and never answers: a mail server that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self._held: list[socket.socket] = []
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self._held.append(conn)  # keep it open, say nothing
            self.accepted.set()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop = True
        self._thread.join(timeout=2)
        for conn in self._held:
            conn.close()
        self.sock.close()


# --- the outbox under test: real SMTP backend, database task backend, the worker's own loop ------


def use_real_smtp(settings):
    """Django's real SMTP backend to a loopback port where nothing listens yet (connection
    refused), the django-tasks-db backend, one-second retries, an on-call address."""
    settings.ADMISSIONS_ONCALL_EMAIL = "oncall@clinic.example"
    settings.SITE_URL = "https://iop.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OUTBOX_RETRY_BASE_SECONDS = 1
    return settings


def run_worker(max_tasks=None):
    """The django-tasks-db worker's own loop, in batch mode: run every task that is due, exit."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def urgent_submission():
    """An EMERGENCY submission written and then shared as the assessment does it: the notice's
    outbox row is written in the sharing transaction (submission_shared), the task enqueued on
    commit."""
    from assessment import services
    from tests.admissions.factories import make_answers

    submission, created = services.create_submission(
        f"key-{time.monotonic_ns()}", make_answers(3, suicidal=True), consent_to_store=True
    )
    assert created and submission.urgent
    assert services.share_submission(submission, {"contact_phone": "+15025550142"})
    return submission


def wait_until_due(email):
    """Sleep until the outbox row's next try is due."""
    from django.utils import timezone

    email.refresh_from_db()
    pause = (email.next_attempt_at - timezone.now()).total_seconds()
    if pause > 0:
        time.sleep(pause + 0.05)
