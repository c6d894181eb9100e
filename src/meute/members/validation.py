"""Checks on identifiers and reference codes, with messages written for the person typing them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from stdnum.fr import siret as stdnum_siret

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
    """A commune from its INSEE code, or from a postal code and a city name."""
    code = str(value or "").strip().upper()
    if code:
        if len(code) == 4 and code.isdigit():
            code = "0" + code  # spreadsheets drop the leading zero of Ain, Aisne…
        commune = Commune.objects.filter(pk=code).first()
        if commune is None:
            raise InvalidMemberData(
                _("“%(value)s” is not the INSEE code of a commune.") % {"value": value}, field="commune"
            )
        return commune
    if postal_code:
        return _commune_from_postal(postal_code.strip(), city)
    raise InvalidMemberData(_("The commune is missing."), field="commune")


def _commune_from_postal(postal_code: str, city: str) -> Commune:
    candidates = reference.commune_by_postal_code(postal_code)
    if city:
        named = [c for c in candidates if reference.name_matches(c.name, city)]
        candidates = named or candidates
    if len(candidates) == 1:
        return Commune.objects.get(pk=candidates[0].insee)
    if not candidates:
        raise InvalidMemberData(
            _("No commune has the postal code %(cp)s.") % {"cp": postal_code}, field="commune"
        )
    raise InvalidMemberData(
        _("Several communes share the postal code %(cp)s: give the commune's INSEE code.") % {"cp": postal_code},
        field="commune",
    )
