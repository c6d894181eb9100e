"""The monthly "café entre dirigeants" and the advice sent to alumni after a cycle.

Pairing is one round of the speed-meeting rotation engine (tables of two, one of three
when the count is odd): pairs who already met (same network, earlier cafés, introductions)
are its *history*, so they are not paired again; the département and the networks are
*attributes* to mix, so pairs cross networks and départements when they can.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from meute.advisor.exceptions import AdvisorError
from meute.advisor.models import Advice, CafePairing, CafeSubscription, Introduction, IntroductionStatus
from meute.core.audit import log_action
from meute.matching.rotations import RotationProblem, solve
from meute.matching.stop import MaxIterations
from meute.members.models import Leader, Membership, MembershipStatus, Network

GOALS_AFTER_CYCLE = ["isolement", "apprendre", "business"]


@transaction.atomic
def do_set_cafe(leader: Leader, *, active: bool, acting_user: Any) -> CafeSubscription:
    """Join or leave the monthly café."""
    was_active = CafeSubscription.objects.filter(leader=leader).values_list("active", flat=True).first()
    subscription, _created = CafeSubscription.objects.update_or_create(leader=leader, defaults={"active": active})
    log_action("advisor.cafe." + ("joined" if active else "left"), actor=acting_user, obj=leader,
               changes={"cafe": [was_active, active]})
    return subscription


def _history(ids: list[int]) -> list[list[list[int]]]:
    """Rounds of tables of people who already met: one round per network, café and introduction."""
    chosen = set(ids)
    rounds: list[list[list[int]]] = []
    by_network: dict[int, list[int]] = {}
    for leader_id, network_id in Membership.objects.filter(leader_id__in=ids).exclude(
            status=MembershipStatus.LEFT).values_list("leader_id", "network_id"):
        by_network.setdefault(network_id, []).append(leader_id)
    rounds += [[members] for members in by_network.values() if len(members) > 1]
    for pairing in CafePairing.objects.prefetch_related("leaders"):
        table = [x.pk for x in pairing.leaders.all() if x.pk in chosen]
        if len(table) > 1:
            rounds.append([table])
    for a, b in Introduction.objects.filter(status=IntroductionStatus.ACCEPTED, requester_id__in=ids,
                                            target_id__in=ids).values_list("requester_id", "target_id"):
        rounds.append([[a, b]])
    return rounds


def check_pair_cafe(month: datetime.date, *, acting_user: Any, seed: int = 0) -> list[CafePairing]:
    month = month.replace(day=1)
    if CafePairing.objects.filter(month=month).exists():
        raise AdvisorError(_("The café of %(m)s is already paired.") % {"m": month.strftime("%m/%Y")})
    return do_pair_cafe(month, acting_user=acting_user, seed=seed)


@transaction.atomic
def do_pair_cafe(month: datetime.date, *, acting_user: Any, seed: int = 0) -> list[CafePairing]:
    """Pair this month's café subscribers who never met, across networks and départements."""
    leaders = list(Leader.objects.filter(cafe__active=True, in_directory=True).select_related(
        "company", "user").order_by("pk"))
    if len(leaders) < 2:
        return []
    ids = [x.pk for x in leaders]
    networks: dict[int, list[int]] = {}
    for leader_id, network_id in Membership.objects.filter(leader_id__in=ids, status=MembershipStatus.ACTIVE
                                                           ).values_list("leader_id", "network_id"):
        networks.setdefault(leader_id, []).append(network_id)
    attributes = {x.pk: (f"d{x.company.department_id if x.company else ''}",
                         *(f"n{n}" for n in networks.get(x.pk, []))) for x in leaders}
    capacities = [2] * (len(ids) // 2)
    if len(ids) % 2:
        capacities[-1] = 3
    problem = RotationProblem(participants=ids, table_size=capacities, rounds=1, attributes=attributes,
                              history=_history(ids))
    result = solve(problem, seed=seed, stop=MaxIterations(300))
    by_id = {x.pk: x for x in leaders}
    pairings = []
    for table in result.rounds[0]:
        pairing = CafePairing.objects.create(month=month)
        pairing.leaders.set(table)
        pairings.append(pairing)
        people = [by_id[i] for i in table]
        body = _("Your café between leaders this month: %(p)s. Write to each other to set a date.") % {
            "p": ", ".join(f"{p.full_name} ({p.company.name if p.company else ''}, {p.user.email})" for p in people)}
        emails = [p.user.email for p in people]
        transaction.on_commit(lambda b=body, e=emails: send_mail(_("Your café between leaders"), b, None, e))
    log_action("advisor.cafe.paired", actor=acting_user, data={
        "month": month.isoformat(), "pairs": len(pairings), "repeats": result.repeats, "seed": seed})
    return pairings


def do_send_alumni_proposals(network: Network, *, acting_user: Any) -> list[Advice]:
    """Alumni of a peer-group cycle get the advisor's proposals to continue their network journey."""
    from meute.advisor.exceptions import InvalidProfile
    from meute.advisor.profile import parse_profile
    from meute.advisor.queries import advice_for, leader_answers
    from meute.advisor.services import do_save_advice

    sent = []
    already = set(Advice.objects.filter(reason=f"alumni:{network.slug}").values_list("leader_id", flat=True))
    alumni = Leader.objects.filter(memberships__network=network, memberships__status=MembershipStatus.ALUMNI
                                   ).select_related("company", "user").exclude(pk__in=already)
    for leader in alumni:
        answers = leader_answers(leader)
        answers.update(goals=GOALS_AFTER_CYCLE, hours_per_month=6, budget_eur=1500)
        answers["current_networks"] = [*answers["current_networks"], network.slug]
        try:
            profile = parse_profile({k: v for k, v in answers.items() if v not in ("", None)})
        except InvalidProfile:
            continue  # a profile without a commune cannot be advised; staff see it in the list
        result = advice_for(profile)
        sent.append(do_save_advice(profile, result, acting_user=acting_user, email=leader.user.email,
                                   leader=leader, reason=f"alumni:{network.slug}"))
    return sent
