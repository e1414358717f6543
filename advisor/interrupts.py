"""Signals as exceptions, so that every ``finally`` runs: what ``verify`` and ``lint --trace``
need to drop their throwaway database on SIGINT, SIGTERM (what a CI cancel sends) or SIGHUP."""

from __future__ import annotations

import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class SignalledError(BaseException):
    """SIGINT or SIGTERM arrived: raised where the program is, so that every ``finally`` (the
    throwaway database's drop first) runs; the exit code is 128 + the signal's number. A
    ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception`` mistakes it for an
    engine's error."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.code = 128 + signum


@contextmanager
def interruptible(signals: Sequence[signal.Signals] = STOPPING) -> Iterator[None]:
    """``signals`` raise :class:`SignalledError` inside the block (the main thread only)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise SignalledError(signum)

    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextmanager
def signals_held() -> Iterator[None]:
    """The stopping signals wait until the block ends: a cleanup is not cut short by a second one."""
    held = set(STOPPING)
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
