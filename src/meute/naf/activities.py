"""Activities in plain words: "plombier" or "expert-comptable" finds its NAF rév. 2 codes.

Pure Python, like :mod:`meute.naf.reference`. Two sources are searched:

- the official labels of each sous-classe and of its classe (``"comptable"`` finds 69.20Z
  "Activités comptables");
- ``data/trade_words.csv``: the trade words people use that the official labels do not
  contain (``plombier`` → 43.22A "Travaux d'installation d'eau et de gaz en tous locaux");
  see ``data/PROVENANCE.md``.

Matching folds case, accents and punctuation; every typed word must start a word of the
label or of a trade word (``"plomb"`` finds 43.22A). Trade words rank first.

>>> [n.code for n in search_activities("plombier")]
['43.22A']
>>> [n.code for n in search_activities("expert-comptable")]
['69.20Z']
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from meute.core.text import fold_words
from meute.naf.reference import NafCode, naf_codes

TRADE_WORDS_FILE = Path(__file__).resolve().parent / "data" / "trade_words.csv"
MAX_RESULTS = 20


@cache
def trade_words() -> dict[str, tuple[str, ...]]:
    """Trade word (as written) → NAF codes, from the committed list."""
    with TRADE_WORDS_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["word"]: tuple(row["codes"].split()) for row in csv.DictReader(fh)}


@cache
def _index() -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """Per code: its code, the words of its labels, the words of its trade words (all folded)."""
    trades: dict[str, set[str]] = {}
    for word, codes in trade_words().items():
        for code in codes:
            trades.setdefault(code, set()).update(fold_words(word).split())
    return tuple(
        (n.code, frozenset(fold_words(f"{n.label} {n.classe_label}").split()), frozenset(trades.get(n.code, ())))
        for n in naf_codes().values()
    )


def _all_start(typed: list[str], words: frozenset[str]) -> bool:
    return all(any(w.startswith(t) for w in words) for t in typed)


_CODE_START = re.compile(r"(\d{2})(\d{1,2}[A-Z]?)?")


def _by_code(text: str) -> list[str] | None:
    """The sous-classes whose code starts with ``text`` when it is the start of a code ("43.22", "4322",
    "43.2"); None when it is not shaped like one."""
    compact = re.sub(r"[\s.,\-_]+", "", text).upper()
    match = _CODE_START.fullmatch(compact)
    if match is None:
        return None
    prefix = match[1] + (f".{match[2]}" if match[2] else "")
    return sorted(code for code in naf_codes() if code.startswith(prefix))


def search_activities(text: str, limit: int = MAX_RESULTS) -> list[NafCode]:
    """Sous-classes whose code starts as typed ("43.22" → 43.22A, 43.22B), or whose labels or trade words
    start with every typed word; trade words first."""
    codes = naf_codes()
    by_code = _by_code(text or "")
    if by_code is not None:
        return [codes[c] for c in by_code[: max(limit, 0)]]
    typed = [t for t in fold_words(text or "").split() if len(t) > 1 or t.isdigit()][:6]
    if not typed:
        return []
    by_trade, by_label = [], []
    for code, label_words, trade_words_ in _index():
        if trade_words_ and _all_start(typed, trade_words_):
            by_trade.append(code)
        elif _all_start(typed, label_words | trade_words_):
            by_label.append(code)
    return [codes[c] for c in (by_trade + by_label)[: max(limit, 0)]]


class UnknownActivity(LookupError):
    """No NAF sous-classe matches the words."""


class AmbiguousActivity(LookupError):
    """Several sous-classes match the words; ``candidates`` lists the first few."""

    def __init__(self, text: str, candidates: list[NafCode]) -> None:
        super().__init__(text)
        self.candidates = candidates


def resolve_activity(text: str) -> NafCode:
    """The one sous-classe that plain words name, as an import or a form needs it.

    A trade word or an official label written out in full names its code when it has only
    one; otherwise the words must match exactly one sous-classe (see :func:`search_activities`).

    >>> resolve_activity("Plombier").code
    '43.22A'
    >>> resolve_activity("Activités comptables").code
    '69.20Z'
    """
    folded = fold_words(text or "")
    if not folded:
        raise UnknownActivity(text)
    codes = naf_codes()
    exact = {code for word, word_codes in trade_words().items() if fold_words(word) == folded for code in word_codes}
    exact |= {n.code for n in codes.values() if fold_words(n.label) == folded}
    if len(exact) == 1:
        return codes[exact.pop()]
    found = search_activities(text, limit=4) if not exact else [codes[c] for c in sorted(exact)]
    if not found:
        raise UnknownActivity(text)
    if len(found) > 1:
        raise AmbiguousActivity(text, found[:3])
    return found[0]
