"""Changes in the advisor: the territory's directory of networks, advisers, saved advice.

``do_*`` trust their input and run atomically; ``check_*`` validate first. Every change
names its actor and leaves an audit entry; e-mails leave after the commit.
Introductions live in :mod:`meute.advisor.introductions`, the café in :mod:`meute.advisor.cafe`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meute.advisor import permissions
from meute.advisor.exceptions import AdvisorError, InvalidProfile
from meute.advisor.models import Advice, Goal, NetworkProfile, TerritoryAdviser
from meute.advisor.profile import LeaderProfile
from meute.advisor.scoring import AdviceResult
from meute.core.audit import log_action
from meute.core.bounds import check_bounds
from meute.members.models import HEADCOUNT_ORDER, FeePeriod, Leader, Network, NetworkFamily, ProfileTag, ScopeLevel
from meute.territory.models import Commune, Department

NETWORK_FIELDS = {
    "name", "family", "scope", "fee_amount", "fee_period", "max_size", "cadence", "hours_per_month", "goals",
    "admission", "allows_business", "contact_name", "contact_email", "contact_phone", "website",
}
PROFILE_FIELDS = {"goals_served", "audience_tags", "max_age", "naf_prefixes", "max_headcount", "declared_size",
                  "places"}
LIST_FIELDS = {"goals_served": Goal.values, "audience_tags": ProfileTag.values}


def _clean_entry(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - NETWORK_FIELDS - PROFILE_FIELDS - {"departments", "home_commune"}
    if unknown:
        raise InvalidProfile(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0])
    if "name" in changes and not str(changes["name"]).strip():
        raise InvalidProfile(_("A network needs a name."), field="name")
    checks = {"family": NetworkFamily.values, "scope": ScopeLevel.values, "fee_period": FeePeriod.values}
    for name, allowed in checks.items():
        if name in changes and changes[name] not in allowed:
            raise InvalidProfile(_("Unknown value for %(f)s.") % {"f": name}, field=name)
    if "fee_amount" in changes and Decimal(changes["fee_amount"] or 0) < 0:
        raise InvalidProfile(_("A fee cannot be negative."), field="fee_amount")
    for name, allowed in LIST_FIELDS.items():
        if name in changes:
            values = changes[name].split() if isinstance(changes[name], str) else list(changes[name])
            bad = [v for v in values if v not in allowed]
            if bad:
                raise InvalidProfile(_("Unknown value: %(v)s") % {"v": ", ".join(bad)}, field=name)
            changes[name] = " ".join(sorted(set(values)))
    if changes.get("max_headcount") and changes["max_headcount"] not in HEADCOUNT_ORDER:
        raise InvalidProfile(_("Unknown headcount band."), field="max_headcount")
    if "naf_prefixes" in changes:
        prefixes = str(changes["naf_prefixes"] or "").replace(",", " ").split()
        if any(not p.replace(".", "").isalnum() for p in prefixes):
            raise InvalidProfile(_("NAF prefixes look like 43 or 43.2."), field="naf_prefixes")
        changes["naf_prefixes"] = " ".join(prefixes)
    return changes


def check_save_network_entry(network: Network | None, *, acting_user: Any, **changes: Any) -> Network:
    """Territory staff add a network not run in meute, or update any network's directory entry."""
    changes = _clean_entry(dict(changes))
    check_bounds(Network, changes, InvalidProfile)
    check_bounds(NetworkProfile, changes, InvalidProfile)
    codes = {d.code if isinstance(d, Department) else str(d) for d in changes.get("departments") or []}
    if network is None:
        if not permissions.can_create_territory_network(acting_user, codes):
            raise AdvisorError(_("Only the territory's staff may add networks to its directory."))
        if not changes.get("name") or not changes.get("family"):
            raise InvalidProfile(_("A network needs a name and a family."), field="name")
    elif not permissions.can_manage_territory_network(acting_user, network):
        raise AdvisorError(_("Only the territory's staff may change %(n)s.") % {"n": network.name})
    return do_save_network_entry(network, acting_user=acting_user, **changes)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "reseau"
    slug, n = base, 1
    while Network.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def do_save_network_entry(network: Network | None, *, acting_user: Any, **changes: Any) -> Network:
    created = network is None
    if created:
        network = Network(slug=_unique_slug(changes["name"]), managed=False)
    changed: dict[str, list[str]] = {}
    for name in NETWORK_FIELDS & set(changes):
        if getattr(network, name) != changes[name]:
            changed[name] = [getattr(network, name), changes[name]]
            setattr(network, name, changes[name])
    if "home_commune" in changes:
        home = changes["home_commune"]
        network.home_commune = home if isinstance(home, Commune) or home is None else Commune.objects.get(pk=home)
    network.save()
    if "departments" in changes:
        network.departments.set(changes["departments"])
    profile, _new = NetworkProfile.objects.get_or_create(network=network)
    for name in PROFILE_FIELDS & set(changes):
        if getattr(profile, name) != changes[name]:
            changed[name] = [getattr(profile, name), changes[name]]
            setattr(profile, name, changes[name])
    profile.save()
    log_action("advisor.network.created" if created else "advisor.network.updated", actor=acting_user, obj=network,
               changes=changed)
    return network


@transaction.atomic
def do_appoint_adviser(user: Any, department_code: str, *, acting_user: Any) -> TerritoryAdviser:
    adviser, created = TerritoryAdviser.objects.get_or_create(user=user, department_id=department_code)
    if created:
        log_action("advisor.adviser.appointed", actor=acting_user, obj=adviser,
                   data={"user": user.email, "department": department_code},
                   changes={"user": [None, user.email], "department": [None, department_code]})
    return adviser


def _advice_text(result: AdviceResult) -> str:
    lines = [_("Networks that fit you, best first:")]
    for r in (result.ranked or result.closest)[:8]:
        lines.append(f"- {r.network.name} ({r.score:g}) : " + " ; ".join(x.text for x in r.reasons))
    if result.strategy:
        lines += ["", _("Suggested network strategy: %(s)s") % {"s": " + ".join(r.network.name
                                                                                 for r in result.strategy)}]
    lines += [f"! {w}" for w in result.warnings]
    return "\n".join(lines)


def check_save_advice(profile: LeaderProfile, result: AdviceResult, *, acting_user: Any, email: str = "",
                      leader: Leader | None = None, reason: str = "questionnaire") -> Advice:
    """An adviser saves a leader's advice and, when an e-mail is given, sends it."""
    if not permissions.is_territory_staff(acting_user):
        raise AdvisorError(_("Only the territory's advisers may save and send an advice."))
    return do_save_advice(profile, result, acting_user=acting_user, email=email, leader=leader, reason=reason)


@transaction.atomic
def do_save_advice(profile: LeaderProfile, result: AdviceResult, *, acting_user: Any, email: str = "",
                   leader: Leader | None = None, reason: str = "questionnaire") -> Advice:
    advice = Advice.objects.create(
        adviser=acting_user if getattr(acting_user, "is_authenticated", False) else None, leader=leader,
        email=email, profile=profile.to_dict(), result=result.to_dict(), reason=reason)
    log_action("advisor.advice.saved", actor=acting_user, obj=advice,
               data={"email": email, "strategy": [r.network.slug for r in result.strategy], "reason": reason})
    if email:
        subject = _("Your network strategy") if reason == "questionnaire" else _("After your cycle: networks for you")
        body = _advice_text(result)
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return advice
