"""No browser: a clear skip on a developer's machine, a failure in CI (so CI cannot pass with
the browser tests silently skipped)."""
from __future__ import annotations

import pytest

from .conftest import browser_required, no_browser


def test_a_missing_browser_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("THEMECODER_REQUIRE_BROWSER", raising=False)
    assert not browser_required()
    with pytest.raises(pytest.skip.Exception, match="no Chromium"):
        no_browser("no Chromium found")
    for name, value in (("CI", "true"), ("THEMECODER_REQUIRE_BROWSER", "1")):
        monkeypatch.setenv(name, value)
        assert browser_required()
        with pytest.raises(pytest.fail.Exception, match="must run in CI"):
            no_browser("no Chromium found")
        monkeypatch.delenv(name)
