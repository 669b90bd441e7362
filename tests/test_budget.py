"""The per-article time budget: SIGALRM in the main thread, a deadline checked between steps everywhere."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from qa.budget import OverBudget, time_limit


def test_work_over_the_budget_is_interrupted() -> None:
    started = time.monotonic()
    with pytest.raises(OverBudget, match="over the time budget of 0.2 s"), time_limit(0.2):
        while True:
            time.sleep(0.01)
    assert time.monotonic() - started < 2


def test_work_within_the_budget_runs_and_the_alarm_is_cleared() -> None:
    handler = signal.getsignal(signal.SIGALRM)
    with time_limit(0.2):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left armed to fire later
    assert signal.getsignal(signal.SIGALRM) is handler  # the process's own handler back in place
    time.sleep(0.3)  # and none fires past the budget


def test_off_the_main_thread_no_alarm_fires_but_the_deadline_does() -> None:
    done: list[str] = []

    def work() -> None:
        with time_limit(0.05) as deadline:
            deadline.check()  # within the budget
            time.sleep(0.2)  # not interrupted: no alarm in a thread
            done.append("slept")
            try:
                deadline.check()
            except OverBudget as exc:
                done.append(f"over {exc.limit is deadline}")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == ["slept", "over True"]


def test_no_limit_when_switched_off() -> None:
    with time_limit(0) as deadline:
        time.sleep(0.05)
        deadline.check()


def test_an_inner_limit_catches_its_own_alarm_and_the_outer_limit_keeps_counting() -> None:
    started = time.monotonic()
    with pytest.raises(OverBudget) as outer_alarm, time_limit(0.6) as outer:
        with pytest.raises(OverBudget) as inner_alarm, time_limit(0.1) as inner:
            time.sleep(5)
        assert inner_alarm.value.limit is inner
        time.sleep(5)  # the outer limit, 0.5 s on, still fires
    assert outer_alarm.value.limit is outer
    assert 0.5 < time.monotonic() - started < 2


def test_an_inner_limit_longer_than_the_outer_one_leaves_the_outer_deadline() -> None:
    started = time.monotonic()
    with pytest.raises(OverBudget) as alarm, time_limit(0.2) as outer:
        with time_limit(10):
            time.sleep(5)
    assert alarm.value.limit is outer
    assert time.monotonic() - started < 2
