from meute.naf.activities import search_activities, trade_words
from meute.naf.reference import naf_codes


def test_every_trade_word_names_existing_codes():
    """Each code of the committed trade-word list is a NAF rév. 2 sous-classe."""
    unknown = {word: code for word, codes in trade_words().items() for code in codes if code not in naf_codes()}
    assert unknown == {}


def test_trade_words_find_what_labels_do_not_say():
    """"plombier", "expert-comptable" and "boulanger" find their codes; trade words rank first."""
    assert [n.code for n in search_activities("plombier")] == ["43.22A"]
    assert [n.code for n in search_activities("Expert-Comptable")] == ["69.20Z"]
    assert [n.code for n in search_activities("boulanger")][:2] == ["10.71C", "47.24Z"]


def test_labels_are_matched_by_word_prefix_without_accents():
    """Every typed word must start a word of the label, accents and case aside."""
    codes = [n.code for n in search_activities("activites comptab")]
    assert codes == ["69.20Z"]
    assert search_activities("zzzz") == []


def test_results_are_bounded():
    """A one-letter-ish query gives at most the limit asked for."""
    assert len(search_activities("commerce", limit=5)) == 5
    assert search_activities("a") == []


def test_a_code_without_its_letter_suggests_its_sous_classes():
    """"43.22" (or "4322", "43 22") suggests 43.22A and 43.22B; "43.2" the codes of that groupe; "62.01Z" itself."""
    for typed in ("43.22", "4322", "43 22", " 43,22 "):
        assert [n.code for n in search_activities(typed)] == ["43.22A", "43.22B"], typed
    assert {n.code[:4] for n in search_activities("43.2")} == {"43.2"}
    assert [n.code for n in search_activities("62.01z")] == ["62.01Z"]
