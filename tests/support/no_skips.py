"""A pytest plugin: a test that would be skipped fails instead, saying why it would have skipped.

This suite never skips (a skipped check is a check CI did not make): missing shared data
(``../shared/data``), Chromium, npm tools or a binary must fail loudly with the reason and how
to fix it. Expected failures (``xfail``) are left alone.
"""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} would have been skipped ({reason}); this suite never skips a "
            "test: provide what it needs (see docs/testing.md)"
        )
    return report
