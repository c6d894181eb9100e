"""Tests for meute.naf.reference (pure Python, no Django)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from meute.naf.reference import (
    NafCode,
    UnknownNafCode,
    classes,
    divisions,
    groupes,
    naf_codes,
    normalise_naf,
    realistic_mix,
    sections,
)


def test_counts() -> None:
    """NAF rév. 2 has 732 sous-classes, 615 classes, 272 groupes, 88 divisions and 21 sections."""
    assert (len(naf_codes()), len(classes()), len(groupes()), len(divisions()), len(sections())) == (
        732,
        615,
        272,
        88,
        21,
    )


def test_sections_are_a_to_u() -> None:
    """Sections are the letters A to U."""
    assert "".join(sections()) == "ABCDEFGHIJKLMNOPQRSTU"


def test_known_code() -> None:
    """62.01Z is 'Programmation informatique' in division 62, section J."""
    n = naf_codes()["62.01Z"]
    assert isinstance(n, NafCode)
    assert (n.label, n.classe, n.groupe, n.division, n.section) == (
        "Programmation informatique",
        "62.01",
        "62.0",
        "62",
        "J",
    )
    assert n.section_label == "INFORMATION ET COMMUNICATION"


def test_hierarchy_prefixes() -> None:
    """Every sous-classe's classe, groupe and division are prefixes of its code."""
    for code, n in naf_codes().items():
        assert n.code == code
        assert code[:5] == n.classe and code[:4] == n.groupe and code[:2] == n.division, n


def test_hierarchy_labels_are_consistent() -> None:
    """Each level's label is the same for all sous-classes sharing that level."""
    for n in naf_codes().values():
        assert classes()[n.classe] == n.classe_label
        assert groupes()[n.groupe] == n.groupe_label
        assert divisions()[n.division] == n.division_label
        assert sections()[n.section] == n.section_label


def test_labels_are_clean() -> None:
    """Labels are stripped, without double or no-break spaces."""
    for n in naf_codes().values():
        for label in (n.label, n.classe_label, n.groupe_label, n.division_label, n.section_label):
            assert label and label == " ".join(label.split()), repr(label)


@pytest.mark.parametrize("text", ["6201Z", "62.01z", " 62.01Z ", "62.01Z", "62 01 Z", "62,01Z", "62,01 z"])
def test_normalise_naf_forms(text: str) -> None:
    """normalise_naf accepts common spellings of a code."""
    assert normalise_naf(text) == "62.01Z"


@pytest.mark.parametrize("text", ["99.99Z", "62.01", "6201", "J", "", "hello", "62.011Z"])
def test_normalise_naf_unknown_raises(text: str) -> None:
    """Malformed or unknown codes raise UnknownNafCode, a LookupError quoting the input."""
    with pytest.raises(UnknownNafCode, match="NAF") as info:
        normalise_naf(text)
    assert isinstance(info.value, LookupError)
    assert repr(text) in str(info.value)


def test_realistic_mix_sums_to_one() -> None:
    """realistic_mix probabilities are positive and sum to 1."""
    mix = realistic_mix()
    assert all(p > 0 for _, p in mix)
    assert sum(p for _, p in mix) == pytest.approx(1.0, abs=1e-9)


def test_realistic_mix_codes_are_valid_and_sorted() -> None:
    """realistic_mix uses only valid, distinct codes, in code order."""
    codes = [code for code, _ in realistic_mix()]
    assert codes == sorted(set(codes))
    assert set(codes) <= set(naf_codes())


def test_realistic_mix_excludes_o_t_u() -> None:
    """Public administration, households and extraterritorial bodies never appear."""
    assert not {naf_codes()[code].section for code, _ in realistic_mix()} & {"O", "T", "U"}


def test_realistic_mix_shape() -> None:
    """Building trades, trade and business services dominate; heavy industry is marginal."""
    by_section: dict[str, float] = {}
    for code, p in realistic_mix():
        section = naf_codes()[code].section
        by_section[section] = by_section.get(section, 0.0) + p
    assert by_section["F"] > 0.1 and by_section["M"] > 0.1 and by_section["G"] > 0.1
    assert by_section.get("B", 0.0) < 0.01 and by_section.get("D", 0.0) < 0.01


def test_realistic_mix_is_deterministic_and_a_copy() -> None:
    """realistic_mix returns equal, independent lists."""
    a = realistic_mix()
    a.clear()
    assert realistic_mix() and realistic_mix() == realistic_mix()


def test_reader_does_not_import_django() -> None:
    """Importing and loading the reader never imports Django."""
    code = (
        "import sys, meute.naf, meute.naf.reference as r; r.naf_codes(); r.realistic_mix();"
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
