"""The questionnaire's answers: a validated, frozen :class:`LeaderProfile`.

:func:`parse_profile` turns a mapping (JSON file, form data) into a profile or raises
:class:`~meute.advisor.exceptions.InvalidProfile` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meute.advisor.exceptions import InvalidProfile
from meute.advisor.models import AgeBracket, Goal
from meute.members.models import HEADCOUNT_ORDER, ProfileTag
from meute.naf.reference import UnknownNafCode, normalise_naf
from meute.territory.reference import UnknownCommune, commune

KNOWN_FIELDS = {"naf", "commune", "goals", "tags", "hours_per_month", "budget_eur", "age_bracket", "headcount",
                "text", "current_networks"}
# How the questionnaire labels each field: messages name the field so, never by its code name.
FIELD_LABELS = {
    "naf": gettext_lazy("Activity"), "commune": gettext_lazy("Commune"),
    "goals": gettext_lazy("What do you expect from a network?"), "tags": gettext_lazy("Profile"),
    "hours_per_month": gettext_lazy("Hours a month you can give"),
    "budget_eur": gettext_lazy("Budget per year (€)"), "age_bracket": gettext_lazy("Age"),
    "headcount": gettext_lazy("Headcount"), "text": gettext_lazy("In your own words: what are you looking for?"),
    "current_networks": gettext_lazy("Current networks"),
}
MAX_HOURS = 160
MAX_BUDGET = 100_000


@dataclass(frozen=True)
class LeaderProfile:
    """What a leader wants and can give: the input of :func:`meute.advisor.scoring.advise`."""

    goals: tuple[str, ...]
    commune: str
    hours_per_month: float
    budget_eur: float
    naf: str = ""
    tags: tuple[str, ...] = ()
    age_bracket: str = ""
    headcount: str = ""
    text: str = ""  # the leader's own words: what they look for
    current_networks: tuple[str, ...] = field(default=())  # slugs of the networks they already belong to

    def to_dict(self) -> dict[str, Any]:
        return {
            "goals": list(self.goals), "commune": self.commune, "hours_per_month": self.hours_per_month,
            "budget_eur": self.budget_eur, "naf": self.naf, "tags": list(self.tags),
            "age_bracket": self.age_bracket, "headcount": self.headcount, "text": self.text,
            "current_networks": list(self.current_networks),
        }


def _label(name: str) -> str:
    """« Label », as the questionnaire shows the field."""
    return f"« {FIELD_LABELS.get(name, name)} »"


def _choices(data: Mapping[str, Any], name: str, allowed: list[str]) -> tuple[str, ...]:
    value = data.get(name) or []
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list | tuple):
        raise InvalidProfile(_("%(field)s must be a list.") % {"field": _label(name)}, field=name)
    bad = [str(v) for v in value if v not in allowed]
    if bad:
        raise InvalidProfile(
            _("%(field)s: unknown value %(bad)s (expected among %(allowed)s).")
            % {"field": _label(name), "bad": ", ".join(bad), "allowed": ", ".join(allowed)}, field=name)
    return tuple(dict.fromkeys(value))


def _number(data: Mapping[str, Any], name: str, *, low: float, high: float, required: bool = True) -> float:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise InvalidProfile(_("%(field)s is required.") % {"field": _label(name)}, field=name)
        return 0.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidProfile(_("%(field)s must be a number.") % {"field": _label(name)}, field=name) from None
    if isinstance(value, bool) or not low <= number <= high or number != number:
        raise InvalidProfile(
            _("%(field)s must be between %(low)s and %(high)s, not %(value)s.")
            % {"field": _label(name), "low": f"{low:g}", "high": f"{high:g}", "value": value}, field=name)
    return number


def _commune(data: Mapping[str, Any]) -> str:
    code = str(data.get("commune") or "").strip()
    if not code:
        raise InvalidProfile(_("%(field)s is required: its name or INSEE code (e.g. Poitiers or 86194).")
                             % {"field": _label("commune")}, field="commune")
    try:
        return commune(code).insee
    except UnknownCommune:
        raise InvalidProfile(_("%(field)s: %(code)s is not a French commune.") % {"field": _label("commune"),
                                                                                  "code": code},
                             field="commune") from None


def _naf(data: Mapping[str, Any]) -> str:
    value = str(data.get("naf") or "").strip()
    if not value:
        return ""
    try:
        return normalise_naf(value)
    except UnknownNafCode:
        raise InvalidProfile(_("%(field)s: %(code)s is not a NAF code.") % {"field": _label("naf"), "code": value},
                             field="naf") from None


def parse_profile(data: Mapping[str, Any]) -> LeaderProfile:
    """Validate the questionnaire's answers; raises :class:`InvalidProfile` naming the field."""
    if not isinstance(data, Mapping):
        raise InvalidProfile(_("The profile must be an object of named fields."), field="profile")
    unknown = sorted(set(data) - KNOWN_FIELDS)
    if unknown:
        raise InvalidProfile(_("Unknown field: %(f)s") % {"f": ", ".join(unknown)}, field=unknown[0])
    goals = _choices(data, "goals", Goal.values)
    if not goals:
        raise InvalidProfile(_("%(field)s: choose at least one goal.") % {"field": _label("goals")}, field="goals")
    tags = _choices(data, "tags", ProfileTag.values)
    age = str(data.get("age_bracket") or "")
    if age and age not in AgeBracket.values:
        raise InvalidProfile(_("%(field)s: unknown value %(v)s.") % {"field": _label("age_bracket"), "v": age},
                             field="age_bracket")
    if "jeune_dirigeant" in tags and age in (AgeBracket.FROM_45, AgeBracket.FROM_55):
        raise InvalidProfile(_("%(field)s contradicts the young-leader profile (under 45).")
                             % {"field": _label("age_bracket")}, field="age_bracket")
    headcount = str(data.get("headcount") or "")
    if headcount and headcount not in HEADCOUNT_ORDER:
        raise InvalidProfile(_("%(field)s: unknown value %(v)s.") % {"field": _label("headcount"), "v": headcount},
                             field="headcount")
    hours = _number(data, "hours_per_month", low=0, high=MAX_HOURS)
    if hours == 0:
        raise InvalidProfile(_("%(field)s: a network needs some of your time; give at least one hour.")
                             % {"field": _label("hours_per_month")}, field="hours_per_month")
    budget = _number(data, "budget_eur", low=0, high=MAX_BUDGET)
    current = data.get("current_networks") or []
    if isinstance(current, str):
        current = current.split()
    return LeaderProfile(
        goals=goals, commune=_commune(data), hours_per_month=hours, budget_eur=budget, naf=_naf(data), tags=tags,
        age_bracket=age, headcount=headcount, text=str(data.get("text") or "")[:2000],
        current_networks=tuple(str(s) for s in current),
    )
