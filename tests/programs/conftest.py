"""Each test starts with no kept program snapshots (``programs.snapshot``): one test's cached
cards or program pages are never another's."""

import pytest

from programs import snapshot


@pytest.fixture(autouse=True)
def _no_kept_snapshots():
    snapshot.clear()
    yield
    snapshot.clear()
