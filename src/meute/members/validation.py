"""Checks on identifiers and reference codes, with messages written for the person typing them."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from stdnum.fr import siret as stdnum_siret

from meute.core.text import fold_words
from meute.members.exceptions import InvalidMemberData
from meute.naf.reference import UnknownNafCode, normalise_naf
from meute.territory import reference
from meute.territory.models import Commune


def clean_siret(value: str) -> str:
    """A SIRET as 14 digits, checksum verified."""
    digits = "".join(ch for ch in str(value) if not ch.isspace())
    if not digits:
        raise InvalidMemberData(_("The SIRET is missing."), field="siret")
    if not digits.isdigit() or len(digits) != 14:
        raise InvalidMemberData(
            _("“%(value)s” is not a SIRET: a SIRET has 14 digits.") % {"value": value}, field="siret"
        )
    if not stdnum_siret.is_valid(digits):
        raise InvalidMemberData(
            _("“%(value)s” is not a valid SIRET (wrong check digit).") % {"value": value}, field="siret"
        )
    return digits


def clean_naf(value: str) -> str:
    """A NAF rév. 2 code in its dotted form (``62.01Z``)."""
    if not str(value).strip():
        raise InvalidMemberData(_("The NAF code is missing."), field="naf_code")
    try:
        return normalise_naf(str(value))
    except UnknownNafCode:
        raise InvalidMemberData(
            _("“%(value)s” is not a NAF rév. 2 code (expected e.g. 62.01Z).") % {"value": value}, field="naf_code"
        ) from None


def find_commune(value: str, *, postal_code: str = "", city: str = "") -> Commune:
    """A commune row from its INSEE code, or from a name and/or a postal code (see :func:`resolve_commune`)."""
    found = resolve_commune(city, postal_code=postal_code, insee=value)
    return Commune.objects.get(pk=found.insee)


# --------------------------------------------------------------------------- communes by name

_CEDEX = re.compile(r"\s+cedex(\s+\d+)?$")
_LEADING_CP = re.compile(r"^(\d{5})\s+(.+)$")
_TRAILING_CODE = re.compile(r"^(.+?)\s+\(?(\d{5}|\d{2,3}|2a|2b)\)?$")
_ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille)\s+(\d{1,2})\s*(?:e|er|eme|ieme|è|ème)?(?:\s+arr(?:ondissement|t)?)?$"
)
_PLM = {"paris": ("75056", 20), "lyon": ("69123", 9), "marseille": ("13055", 16)}


def _describe(communes: list[reference.Commune] | tuple[reference.Commune, ...]) -> str:
    parts = []
    for c in communes:
        codes = c.postal_codes[0] if len(c.postal_codes) == 1 else (
            f"{c.postal_codes[0]}…" if c.postal_codes else c.department)
        parts.append(f"{c.name} ({codes}, {c.department})")
    return ", ".join(parts)


def _department_of_postal_code(postal_code: str) -> str:
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    return postal_code[:2]


def _clean_postal_code(value: str) -> str:
    code = "".join(str(value or "").split())
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    if code and not (len(code) == 5 and code.isdigit()):
        raise InvalidMemberData(_("“%(value)s” is not a postal code (5 digits).") % {"value": value},
                                field="postal_code")
    return code


def _narrow(candidates: list[reference.Commune], postal_code: str, department: str) -> list[reference.Commune]:
    if postal_code:
        exact = [c for c in candidates if postal_code in c.postal_codes]
        if exact:
            return exact
        department = department or _department_of_postal_code(postal_code)
    if department:
        return [c for c in candidates if c.department == department.upper()]
    return candidates


def resolve_commune(name: str, *, postal_code: str = "", insee: str = "") -> reference.Commune:
    """The commune a spreadsheet means: INSEE code, or name with or without postal code.

    Accepts accents or not, "St"/"Ste", hyphens or spaces, a leading article left out,
    "Paris 15e", "Lyon 3e arrondissement", "Marseille 13", "86000 Poitiers", "Poitiers (86)",
    a CEDEX suffix. An unknown or ambiguous name raises :class:`InvalidMemberData` listing
    the close candidates with their postal code and département.
    """
    postal_code = _clean_postal_code(postal_code)
    code = reference.normalise_insee(insee) if str(insee or "").strip() else ""
    text = str(name or "").strip()
    if not code and re.fullmatch(r"\d{4,5}|2[AaBb]\d{3}", text):
        code = reference.normalise_insee(text)
    if code:
        found = reference.communes().get(code)
        if found is not None:
            return found
        if not postal_code and len(code) == 5 and code.isdigit() and reference.commune_by_postal_code(code):
            postal_code, text = code, ""
        else:
            raise InvalidMemberData(
                _("“%(value)s” is not the INSEE code of a commune.") % {"value": insee or name}, field="commune")
    if not text:
        if postal_code:
            return _commune_from_postal_code(postal_code)
        raise InvalidMemberData(_("The commune is missing."), field="commune")
    return _commune_from_name(text, postal_code)


def _commune_from_postal_code(postal_code: str) -> reference.Commune:
    candidates = reference.commune_by_postal_code(postal_code)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise InvalidMemberData(
            _("No commune has the postal code %(cp)s.") % {"cp": postal_code}, field="postal_code")
    raise InvalidMemberData(
        _("Several communes share the postal code %(cp)s: give the commune's name (%(names)s).")
        % {"cp": postal_code, "names": _describe(candidates[:8])}, field="postal_code")


def _commune_from_name(text: str, postal_code: str) -> reference.Commune:
    key = _CEDEX.sub("", fold_words(text))
    department = ""
    match = _LEADING_CP.match(key)
    if match:
        postal_code = postal_code or match[1]
        key = match[2]
    match = _TRAILING_CODE.match(key)
    if match:
        key = match[1]
        if len(match[2]) == 5:
            postal_code = postal_code or match[2]
        else:
            department = match[2].upper()
    match = _ARRONDISSEMENT.match(key)
    if match:
        insee, count = _PLM[match[1]]
        if not 1 <= int(match[2]) <= count:
            raise InvalidMemberData(
                _("%(city)s has no arrondissement %(n)s.") % {"city": match[1].capitalize(), "n": match[2]},
                field="commune")
        return reference.communes()[insee]
    candidates = reference.communes_named(key)
    narrowed = _narrow(candidates, postal_code, department)
    if len(narrowed) == 1:
        return narrowed[0]
    if len(narrowed) > 1:
        raise InvalidMemberData(
            _("Several communes are called “%(value)s”: add the postal code (%(names)s).")
            % {"value": text, "names": _describe(narrowed[:8])}, field="commune")
    if candidates:
        raise InvalidMemberData(
            _("No commune called “%(value)s” has the postal code %(cp)s (known: %(names)s).")
            % {"value": text, "cp": postal_code or department, "names": _describe(candidates[:8])},
            field="commune")
    close = reference.close_communes(key)
    if postal_code or department:
        close = tuple(_narrow(list(close), postal_code, department)) or close
    if close:
        raise InvalidMemberData(
            _("Unknown commune “%(value)s”. Did you mean: %(names)s?") % {"value": text, "names": _describe(close)},
            field="commune")
    raise InvalidMemberData(_("Unknown commune “%(value)s”.") % {"value": text}, field="commune")


# --------------------------------------------------------------------------- phones

def clean_phone(value: str) -> str:
    """A phone number in its French display form (``05 49 00 00 00``), or international for abroad."""
    import phonenumbers

    text = str(value or "").strip()
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidMemberData(_("“%(value)s” is not a valid phone number.") % {"value": value}, field="phone")
    if number.country_code == 33 and not number.italian_leading_zero:
        digits = f"0{number.national_number:09d}"  # the French display: 05 49 00 00 00
        return " ".join(digits[i:i + 2] for i in range(0, 10, 2))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
