"""What a batch shows on stderr while it works: the steps before and after
the extraction (Status: scanning, hashing, building the dataset) and the
extraction's bar (Progress: files done, rate, failures, time left).

On a terminal the line is redrawn in place a few times a second; in a log
(stderr not a terminal) a line is written at each step and every `log_every`
seconds, so a long run under nohup or a scheduler still shows it is alive.

The rate, on the bar and in the summary alike, is files finished (extracted
or failed) per second since the extraction started.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool = True,
                 log_every: float = 10.0) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = self.stream.isatty()
        self.interval = 0.2 if self.tty else log_every
        self.start = self._last = self._at = time.monotonic()

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        now = self._at = time.monotonic()
        if self.enabled and (now - self._last >= self.interval or self.done == self.total):
            self._last = now
            self._draw()

    @property
    def seconds(self) -> float:
        """From the start to the last file finished."""
        return self._at - self.start

    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        rate = self.rate()
        width = 24
        filled = int(width * self.done / self.total) if self.total else width
        left = f", {_clock((self.total - self.done) / rate)} left" if rate > 0 and self.done < self.total else ""
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files, {rate:.1f}/s, "
                f"{self.failed} failed{left}")

    def _draw(self) -> None:
        if self.tty:
            self.stream.write("\r" + self.line() + "\x1b[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()


class Status:
    """One step at a time ("building dataset: dataset.duckdb"), with a count
    of its items when it has any ("... 850/1700")."""

    def __init__(self, *, stream: TextIO | None = None, enabled: bool = True, log_every: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.interval = 0.2 if self.tty else log_every
        self._text, self._total, self._done = "", 0, 0
        self._transient = False
        self._last = 0.0
        self._open = False  # a line drawn on the terminal and not ended

    def step(self, text: str, total: int = 0, *, transient: bool = False) -> None:
        """A transient step is only shown on a terminal, and erased when it
        ends (a "working..." that must not stay above an error message)."""
        self._text, self._total, self._done, self._transient = text, total, 0, transient
        self._draw()

    def advance(self) -> None:
        self._done += 1
        if self.enabled and time.monotonic() - self._last >= self.interval:
            self._draw()

    def close(self) -> None:
        """End the line on a terminal, with the step's last count, or erase a
        transient step: what follows starts on a line of its own."""
        if self._open:
            if self._transient:
                self.stream.write("\r\x1b[K")
            else:
                self._draw()
                self.stream.write("\n")
            self.stream.flush()
            self._open = False

    def _draw(self) -> None:
        if not self.enabled or (self._transient and not self.tty):
            return
        self._last = time.monotonic()
        line = f"{self._text} {self._done}/{self._total}" if self._done else self._text
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
            self._open = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
