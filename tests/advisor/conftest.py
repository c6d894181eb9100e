import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages(request):
    """Service and scoring tests read messages in the source language; web tests see French."""
    if "web" in request.node.path.name:
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def lexical_text(monkeypatch):
    """Tests use the lexical text backend unless they ask for embeddings (fast, deterministic)."""
    from meute.advisor import textmatch

    monkeypatch.setenv("MEUTE_TEXT_MODEL", "lexical")
    textmatch.reset_backend()
    yield
    textmatch.reset_backend()
