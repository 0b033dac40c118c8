"""pipeline.cleanup: what happens to signals once the command is over."""

from __future__ import annotations

import signal

import pytest

from pipeline import cleanup


def test_a_signal_after_the_command_is_over_is_ignored_not_fatal():
    # Python's shutdown resets Python-level handlers to the default action; a Ctrl-C in those
    # last milliseconds then killed the process by signal (exit -2, no message). Once the
    # command has returned, the signals must be ignored, whatever handler was there before.
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        cleanup.install()
        with pytest.raises(SystemExit, match="3"):
            cleanup.run(lambda: (_ for _ in ()).throw(SystemExit(3)))
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
