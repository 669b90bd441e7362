"""A wall-clock time budget for one piece of work, so one hostile article cannot stall a run."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType


class OverBudget(BaseException):
    """Raised inside the budgeted work when its time is up (a BaseException, so no broad `except Exception` in a checker swallows it)."""

    def __init__(self, seconds: float, limit: object = None):
        super().__init__(f"over the time budget of {seconds:g} s")
        self.seconds = seconds
        self.limit = limit  # what ``time_limit`` yielded: which of nested limits ran out


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[object]:
    """Raise OverBudget in the block after ``seconds`` of wall time.

    It uses SIGALRM, so it only applies in the main thread of a Unix process (where the CLI runs);
    elsewhere, or with ``seconds <= 0``, the block runs without a limit. Work inside a long C call is
    interrupted as soon as that call returns to Python. Limits nest: inside a block that already has
    a limit, the earlier deadline wins, and the outer limit goes on counting after the inner block.
    The block gets a token; ``OverBudget.limit`` is the token of the limit that ran out, so a handler
    catches its own limit and lets an enclosing one through.
    """
    token = object()
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield token
        return
    outer, _ = signal.getitimer(signal.ITIMER_REAL)  # seconds left of an enclosing limit (0: none)
    if outer and outer <= seconds:
        yield token  # the enclosing limit ends first and raises its own OverBudget
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(seconds, token)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield token
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # the enclosing limit's time goes on (at least a moment, so a deadline passed still fires)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))
