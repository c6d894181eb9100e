"""NAF rév. 2, the French nomenclature of activities (APE codes).

Pure Python (standard library only, no Django), so the optimisation library and its
command-line tools can use it as well as the web application. The data file is
``data/naf_rev2.csv`` (one row per sous-classe; see ``data/PROVENANCE.md``).

Code levels, for sous-classe ``62.01Z``: section ``J`` > division ``62`` > groupe
``62.0`` > classe ``62.01`` > sous-classe ``62.01Z``.

>>> naf_codes()["62.01Z"].label
'Programmation informatique'
>>> normalise_naf(" 6201z ")
'62.01Z'

Realistic mix
-------------
:func:`realistic_mix` gives a sampling distribution over sous-classes for demo data
and benchmarks. It should look like the owner-managers of small and medium-sized
firms who join French business-leader networks. **The weights are hand-set
plausible values, not statistics.** Each division gets a weight from
:data:`DIVISION_WEIGHTS` (missing divisions get 0). The weight is shared among the
division's sous-classes in proportion to :data:`SUBCLASS_FACTORS` (default 1; 0
excludes a code, for example central banking or trade unions). Weights are relative
and normalised to probabilities. Roughly, they are percentages: the section totals
below add up to 103.4.

=======  =====  =================================================================
Section  Total  Rationale
=======  =====  =================================================================
M        18     accountants, lawyers, consultants, engineering, advertising
F        16     building trades (electricians, plumbers, masons...), builders
G        14     wholesale, shops, car dealers and garages
J         9     software and IT services, digital agencies, media
N         8     cleaning, landscaping, temp work and recruitment, security
C         7     small-scale manufacturing (bakeries, metalwork, printing...)
I         6     restaurants, hotels, caterers
K         5     insurance brokers, wealth advisers, holdings
Q         5     doctors, dentists, physiotherapists (pharmacies count as retail, G)
L         4     estate agents, property developers and managers
H         3     road haulage, taxis, removals, logistics
S         3     hairdressers, beauty salons, repairs, funeral services
P         2     training organisations, driving schools
R         1.5   sports and leisure, performing arts
A         1     wine growers, horticulture
E         0.5   waste collection and recycling
D         0.3   small power producers (photovoltaics)
B         0.1   quarries
O, T, U   0     public administration, households, extraterritorial bodies
=======  =====  =================================================================
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "DIVISION_WEIGHTS",
    "SUBCLASS_FACTORS",
    "NafCode",
    "UnknownNafCode",
    "classes",
    "divisions",
    "groupes",
    "naf_codes",
    "normalise_naf",
    "realistic_mix",
    "sections",
]

DATA_FILE = Path(__file__).resolve().parent / "data" / "naf_rev2.csv"


class UnknownNafCode(LookupError):
    """Text that is not a NAF rév. 2 sous-classe code."""

    def __init__(self, text: object) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a NAF rév. 2 code (expected a sous-classe such as '62.01Z')")


@dataclass(frozen=True, slots=True)
class NafCode:
    """A NAF rév. 2 sous-classe with its classe, groupe, division and section."""

    code: str  # "62.01Z"
    label: str
    classe: str  # "62.01"
    classe_label: str
    groupe: str  # "62.0"
    groupe_label: str
    division: str  # "62"
    division_label: str
    section: str  # "J"
    section_label: str

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


@cache
def naf_codes() -> dict[str, NafCode]:
    """All 732 sous-classes by code (``"62.01Z"``), in code order. Shared: do not mutate."""
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        return {row[0]: NafCode(*row) for row in reader}


def _level(code_index: int, label_index: int) -> dict[str, str]:
    result: dict[str, str] = {}
    for n in naf_codes().values():
        fields = (n.code, n.label, n.classe, n.classe_label, n.groupe, n.groupe_label,
                  n.division, n.division_label, n.section, n.section_label)
        result.setdefault(fields[code_index], fields[label_index])
    return dict(sorted(result.items()))


@cache
def sections() -> dict[str, str]:
    """The 21 sections, letter → label (``"F"`` → ``"CONSTRUCTION"``)."""
    return _level(8, 9)


@cache
def divisions() -> dict[str, str]:
    """The 88 divisions, two digits → label (``"43"`` → ``"Travaux de construction spécialisés"``)."""
    return _level(6, 7)


@cache
def groupes() -> dict[str, str]:
    """The 272 groupes, ``"43.2"`` → label."""
    return _level(4, 5)


@cache
def classes() -> dict[str, str]:
    """The 615 classes, ``"43.21"`` → label."""
    return _level(2, 3)


_SEPARATORS = re.compile(r"[\s.,\-_]+")
_SHAPE = re.compile(r"(\d{2})(\d{2})([A-Z])")


def normalise_naf(text: str) -> str:
    """The canonical ``"62.01Z"`` form of a sous-classe code.

    Case, surrounding spaces, and a missing or different separator are accepted:
    ``"6201Z"``, ``"62.01z"``, ``" 62.01Z "``, ``"62 01 Z"``, ``"62,01Z"``. Raises
    :class:`UnknownNafCode` if the text is not shaped like a code or is not in
    the nomenclature.
    """
    compact = _SEPARATORS.sub("", str(text)).upper()
    match = _SHAPE.fullmatch(compact)
    if match is None:
        raise UnknownNafCode(text)
    code = f"{match[1]}.{match[2]}{match[3]}"
    if code not in naf_codes():
        raise UnknownNafCode(text)
    return code


# --------------------------------------------------------------------------- realistic mix

#: Hand-set relative weight of each division (about percent of members; not statistics).
DIVISION_WEIGHTS: dict[str, float] = {
    # A agriculture (1)
    "01": 0.8, "02": 0.1, "03": 0.1,
    # B extractive industries (0.1)
    "08": 0.1,
    # C manufacturing (7): small firms and craft production, little heavy industry
    "10": 1.8, "11": 0.3, "13": 0.2, "14": 0.2, "15": 0.05, "16": 0.5, "17": 0.05, "18": 0.5,
    "20": 0.1, "22": 0.3, "23": 0.2, "24": 0.05, "25": 1.0, "26": 0.2, "27": 0.2, "28": 0.4,
    "29": 0.05, "30": 0.05, "31": 0.3, "32": 0.3, "33": 0.25,
    # D energy (0.3)
    "35": 0.3,
    # E water and waste (0.5)
    "37": 0.1, "38": 0.3, "39": 0.1,
    # F construction (16)
    "41": 3.0, "42": 1.0, "43": 12.0,
    # G trade (14)
    "45": 3.0, "46": 5.0, "47": 6.0,
    # H transport (3)
    "49": 2.0, "52": 0.7, "53": 0.3,
    # I hotels and restaurants (6)
    "55": 2.0, "56": 4.0,
    # J information and communication (9)
    "58": 1.0, "59": 0.5, "60": 0.1, "61": 0.4, "62": 6.0, "63": 1.0,
    # K finance and insurance (5)
    "64": 1.0, "65": 0.5, "66": 3.5,
    # L real estate (4)
    "68": 4.0,
    # M professional, scientific and technical (18)
    "69": 4.0, "70": 5.5, "71": 3.0, "72": 0.5, "73": 2.5, "74": 2.0, "75": 0.5,
    # N administrative and support services (8)
    "77": 1.0, "78": 1.5, "79": 0.5, "80": 1.0, "81": 2.5, "82": 1.5,
    # P education (2)
    "85": 2.0,
    # Q health and social work (5)
    "86": 4.0, "87": 0.5, "88": 0.5,
    # R arts and leisure (1.5)
    "90": 0.4, "91": 0.1, "93": 1.0,
    # S other services (3)
    "94": 0.3, "95": 0.7, "96": 2.0,
}

#: Share of a division's weight given to a sous-classe, relative to its siblings
#: (default 1; 0 excludes codes that are not small-business leaders).
SUBCLASS_FACTORS: dict[str, float] = {
    # excluded: state monopolies, large networks, non-business bodies
    "35.12Z": 0, "35.13Z": 0, "35.21Z": 0, "35.22Z": 0, "47.19A": 0, "49.10Z": 0, "49.20Z": 0,
    "49.50Z": 0, "53.10Z": 0, "64.11Z": 0, "65.30Z": 0, "66.11Z": 0, "86.90C": 0, "94.20Z": 0,
    "94.91Z": 0, "94.92Z": 0,
    # rare among network members
    "10.81Z": 0.2, "41.10D": 0.2, "43.13Z": 0.3, "43.21B": 0.3, "47.11F": 0.3, "49.31Z": 0.2,
    "49.39C": 0.2, "64.30Z": 0.2, "66.19A": 0.2, "68.32B": 0.2, "70.10Z": 0.5, "85.10Z": 0.2,
    "85.20Z": 0.2, "85.31Z": 0.2, "85.32Z": 0.3, "85.42Z": 0.5, "86.10Z": 0.5,
    # common among network members
    "01.21Z": 5, "10.13B": 3, "10.71C": 12, "10.71D": 4, "10.85Z": 2, "25.62B": 3, "33.12Z": 2,
    "35.11Z": 3, "41.20A": 2, "43.21A": 3, "43.22A": 2, "43.22B": 2.5, "43.29A": 1.5,
    "43.32A": 2, "43.34Z": 2, "43.91A": 1.5, "43.91B": 1.5, "43.99C": 3, "45.11Z": 2,
    "45.20A": 3, "47.11C": 2, "47.71Z": 2, "47.73Z": 3, "47.78A": 2, "47.91B": 3,
    "49.32Z": 2, "49.41A": 3, "49.41B": 3, "49.42Z": 1.5, "55.10Z": 3, "56.10A": 5,
    "56.10C": 3, "56.21Z": 2, "56.30Z": 2, "62.01Z": 2, "62.02A": 3, "63.11Z": 1.5,
    "64.20Z": 4, "66.19B": 2, "66.22Z": 4, "68.10Z": 1.5, "68.31Z": 4, "69.10Z": 1.2,
    "69.20Z": 1.5, "70.21Z": 2, "70.22Z": 6, "71.11Z": 2, "71.12B": 3, "73.11Z": 3,
    "74.90B": 2, "78.10Z": 2, "78.20Z": 1.5, "81.21Z": 3, "81.30Z": 3, "82.99Z": 2,
    "85.53Z": 2, "85.59A": 5, "86.21Z": 2, "86.23Z": 2, "86.90E": 2, "93.13Z": 2,
    "93.29Z": 1.5, "96.02A": 3, "96.02B": 2, "96.03Z": 1.5,
}


@cache
def _mix() -> tuple[tuple[str, float], ...]:
    codes = naf_codes()
    unknown = sorted(set(SUBCLASS_FACTORS) - set(codes)) + sorted(set(DIVISION_WEIGHTS) - set(divisions()))
    if unknown:
        raise ValueError(f"realistic_mix tables refer to unknown NAF codes: {unknown}")
    by_division: dict[str, list[str]] = {}
    for n in codes.values():
        by_division.setdefault(n.division, []).append(n.code)
    weights: dict[str, float] = {}
    for division, weight in DIVISION_WEIGHTS.items():
        factors = {code: SUBCLASS_FACTORS.get(code, 1.0) for code in by_division[division]}
        total = sum(factors.values())
        if weight <= 0 or total <= 0:
            continue
        for code, factor in factors.items():
            if factor > 0:
                weights[code] = weight * factor / total
    grand_total = sum(weights.values())
    return tuple((code, weights[code] / grand_total) for code in sorted(weights))


def realistic_mix() -> list[tuple[str, float]]:
    """``(sous-classe code, probability)`` pairs, sorted by code, probabilities summing to 1.

    A hand-set distribution that looks like the firms of small-business leaders in
    French networks. It is not a statistic: see the module docstring,
    :data:`DIVISION_WEIGHTS` and :data:`SUBCLASS_FACTORS`. Sections O, T and U
    never appear. Use it with ``random.choices(codes, weights=probabilities)``.
    """
    return list(_mix())
