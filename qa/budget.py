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
        self.limit = limit  # the ``Deadline`` of the limit that ran out: which of nested limits it was


class Deadline:
    """The token of one ``time_limit`` block: work checks it between its steps (``check``)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds if seconds > 0 else float("inf")

    def check(self) -> None:
        """Raise OverBudget when the deadline has passed (the cooperative limit, wherever the work runs)."""
        if time.monotonic() >= self.ends:
            raise OverBudget(self.seconds, self)


def _alarms() -> bool:
    """Whether SIGALRM can interrupt work here: a Unix process's main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """Raise OverBudget in the block after ``seconds`` of wall time (``seconds <= 0``: no limit).

    In the main thread of a Unix process (where the CLI runs) SIGALRM interrupts the block anywhere;
    work inside a long C call is interrupted as soon as that call returns to Python. Everywhere
    (threads, Dask workers) the block's work can call ``check()`` on the ``Deadline`` it gets between
    its steps: the engine does so before each checker, so off the main thread an article over its
    budget still stops at the next checker. Limits nest: in the main thread the earlier deadline wins,
    and the outer limit goes on counting after the inner block. ``OverBudget.limit`` is the deadline
    that ran out, so a handler catches its own limit and lets an enclosing one through.
    """
    deadline = Deadline(seconds)
    if seconds <= 0 or not _alarms():
        yield deadline
        return
    outer, _ = signal.getitimer(signal.ITIMER_REAL)  # seconds left of an enclosing limit (0: none)
    if outer and outer <= seconds:
        yield deadline  # the enclosing limit ends first and raises its own OverBudget
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(seconds, deadline)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # the enclosing limit's time goes on (at least a moment, so a deadline passed still fires)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))
