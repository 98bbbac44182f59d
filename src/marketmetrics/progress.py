"""What a person watching a long command sees: log lines, dbt's per-node progress, row bars.

`setup_logging(verbosity)` configures the `marketmetrics` logger for the command line:
-q (-1) shows warnings and errors only, the default (0) the steps and dbt's per-node results
as they happen, -v (1) every line dbt prints. `RowProgress` draws a bar with rows and rate
for generation and loading: redrawn in place on a terminal, a line every few seconds in a log
(CI, cron), so neither floods a log nor stays silent for minutes.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import TextIO

__all__ = ["LOG", "RowProgress", "dbt_line", "setup_logging"]

LOG = logging.getLogger("marketmetrics")

# dbt's per-node lines: "12 of 240 START sql table model staging.stg_orders ...",
# "12 of 240 OK created sql table model staging.stg_orders ... [OK in 0.31s]".
_NODE_LINE = re.compile(r"\b\d+ of \d+ (START|OK|PASS|WARN|ERROR|FAIL|SKIP)\b")
_SUMMARY = re.compile(r"(Done\. PASS=|Finished running|Completed (successfully|with))")


def setup_logging(verbosity: int = 0, stream: TextIO | None = None) -> None:
    """The command line's logging: `[marketmetrics] message` lines on stdout."""
    level = logging.WARNING if verbosity < 0 else logging.DEBUG if verbosity > 0 else logging.INFO
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(logging.Formatter("[marketmetrics] %(message)s"))
    LOG.handlers[:] = [handler]
    LOG.setLevel(level)
    LOG.propagate = False


def dbt_line(line: str) -> None:
    """One line of dbt's output as it happens: a node's start at DEBUG, its result and the
    run's summary at INFO (a failure at WARNING), anything else at DEBUG."""
    text = re.sub(r"^\x1b\[[0-9;]*m|\x1b\[[0-9;]*m", "", line).rstrip()
    # dbt prefixes its own clock: "08:37:20  12 of 240 OK ...".
    text = re.sub(r"^\d\d:\d\d:\d\d\s+", "", text)
    if not text:
        return
    found = _NODE_LINE.search(text)
    if found:
        status = found.group(1)
        level = (
            logging.DEBUG
            if status == "START"
            else logging.WARNING
            if status in ("ERROR", "FAIL")
            else logging.INFO
        )
        LOG.log(level, "dbt %s", text)
    elif _SUMMARY.search(text):
        LOG.info("dbt %s", text)
    else:
        LOG.debug("dbt %s", text)


class RowProgress:
    """A bar of rows done out of a total, with the rate, for one long step."""

    def __init__(
        self,
        label: str,
        total: int,
        stream: TextIO | None = None,
        every: float = 5.0,
        width: int = 24,
    ) -> None:
        self.label = label
        self.total = max(int(total), 0)
        self.done = 0
        self.stream = stream or sys.stderr
        self.every = every
        self.width = width
        self.started = time.perf_counter()
        self._last_line = 0.0
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def text(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        share = self.done / self.total if self.total else 1.0
        filled = int(round(share * self.width))
        rate = self.done / elapsed
        return (
            f"[marketmetrics] {self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{share:4.0%} {self.done:,}/{self.total:,} rows, {rate:,.0f} rows/s"
        )

    def advance(self, rows: int, note: str = "") -> None:
        self.done = min(self.done + int(rows), self.total) if self.total else self.done + rows
        if not LOG.isEnabledFor(logging.INFO):
            return
        now = time.perf_counter()
        if self._tty:
            self.stream.write("\r" + self.text() + (f" {note}" if note else "") + "\x1b[K")
            self.stream.flush()
        elif now - self._last_line >= self.every:
            self._last_line = now
            self.stream.write(self.text() + (f" {note}" if note else "") + "\n")
            self.stream.flush()

    def close(self) -> None:
        if not LOG.isEnabledFor(logging.INFO):
            return
        end = "\r" if self._tty else ""
        self.stream.write(end + self.text() + " done" + ("\x1b[K\n" if self._tty else "\n"))
        self.stream.flush()
