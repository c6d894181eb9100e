import pytest


@pytest.fixture(autouse=True)
def lexical_text(monkeypatch):
    """Suggestions use the lexical text backend in tests (fast, deterministic)."""
    from meute.advisor import textmatch

    monkeypatch.setenv("MEUTE_TEXT_MODEL", "lexical")
    textmatch.reset_backend()
    yield
    textmatch.reset_backend()
