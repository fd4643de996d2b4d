"""A progress display for long imports: rows done, rows per second and time left.

On a terminal one line is rewritten in place (at most five times a second). When the output is
not a terminal (a log file, a pipe, a test) plain lines are written instead, one at each tenth
of a job of at least ``PLAIN_MIN_ROWS`` rows, so small imports print nothing extra.
"""

from __future__ import annotations

import time

PLAIN_MIN_ROWS = 5000


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


class Progress:
    """``advance(n)`` after each chunk of work, ``finish()`` at the end."""

    def __init__(self, stream, label: str, total: int, *, clock=time.monotonic):
        self.stream = stream
        self.label = label
        self.total = max(0, int(total))
        self.clock = clock
        self.done = 0
        self.started = clock()
        self.last_shown = float("-inf")
        self.next_plain = self.total // 10
        isatty = getattr(stream, "isatty", None)
        self.tty = bool(stream is not None and isatty and isatty())

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        text = f"{self.label}: {self.done:,}/{self.total:,} rows, {rate:,.0f} rows/s"
        if self.done < self.total and rate > 0:
            text += f", about {_duration((self.total - self.done) / rate)} left"
        elif self.done >= self.total:
            text += f", done in {_duration(elapsed)}"
        return text

    def _write(self, text: str) -> None:
        self.stream.write(text)
        if hasattr(self.stream, "flush"):
            self.stream.flush()

    def advance(self, rows: int = 1) -> None:
        self.done = min(self.total, self.done + rows)
        if self.stream is None:
            return
        if self.tty:
            now = self.clock()
            if now - self.last_shown >= 0.2 or self.done >= self.total:
                self.last_shown = now
                self._write("\r" + self.line() + "\033[K")
        elif self.total >= PLAIN_MIN_ROWS and self.done >= self.next_plain and self.done:
            while self.next_plain <= self.done:
                self.next_plain += max(1, self.total // 10)
            self._write(self.line() + "\n")

    def finish(self) -> None:
        if self.stream is None:
            return
        if self.tty:
            self._write("\r" + self.line() + "\033[K\n")
        elif self.total >= PLAIN_MIN_ROWS and self.done < self.total:
            self._write(self.line() + "\n")


class NoProgress(Progress):
    def __init__(self, *args, **kwargs):
        super().__init__(None, "", 0)


def start(stream, label: str, total: int) -> Progress:
    return Progress(stream, label, total) if stream is not None else NoProgress()
