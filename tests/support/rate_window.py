"""Rate-limit tests count requests in one fixed window of a minute
(``iop_finder.core.ratelimit``); a minute boundary falling between two requests of a test would
reset the count. ``one_window(monkeypatch)`` keeps every request of the test in one window."""

from types import SimpleNamespace

from iop_finder.core import ratelimit


def one_window(monkeypatch) -> None:
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))
