import pytest


@pytest.fixture(autouse=True)
def notices_at_once(monkeypatch):
    """The question notices run at once instead of after a commit that a test transaction never makes."""
    from meute.questions import notices

    monkeypatch.setattr(notices.transaction, "on_commit", lambda fn, *a, **k: fn())
