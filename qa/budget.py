"""A wall-clock time budget for one piece of work, so one hostile article cannot stall a run."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class OverBudget(BaseException):
    """Raised inside the budgeted work when its time is up (a BaseException, so no broad `except Exception` in a checker swallows it)."""

    def __init__(self, seconds: float):
        super().__init__(f"over the time budget of {seconds:g} s")
        self.seconds = seconds


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise OverBudget in the block after ``seconds`` of wall time.

    It uses SIGALRM, so it only applies in the main thread of a Unix process (where the CLI runs);
    elsewhere, or with ``seconds <= 0``, the block runs without a limit. Work inside a long C call is
    interrupted as soon as that call returns to Python.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
