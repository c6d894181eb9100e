"""Changes to the peer-group programme: candidates, formation runs and their review,
publishing, cycles and fees. Meetings live in :mod:`meute.peergroups.meetings`."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meute.core import jobs
from meute.core.audit import diff, log_action, snapshot
from meute.core.submissions import create_once
from meute.members.access import touch_leaders
from meute.members.models import FeeStatus, Leader, Membership, MembershipStatus, Network, NetworkRole, Role
from meute.members.permissions import may_name_person
from meute.members.services import UNKNOWN_PERSON_MESSAGE, do_add_membership, do_set_membership_status
from meute.peergroups import permissions
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import (
    MAX_CANDIDATE_GROUPS,
    MAX_CANDIDATES,
    MAX_SECONDS,
    FormationParams,
    no_longer_waiting,
    parse_slot,
    review,
    run_leaders,
)
from meute.peergroups.meetings import do_create_monthly_meetings
from meute.peergroups.models import FormationRun, GroupMember, GroupMemberStatus, PeerGroup, RunStatus
from meute.territory.models import Commune

CYCLE_YEARS = 2
PROPOSAL_KEYS = ("groups", "places", "sponsors", "facilitators", "slots", "venues", "left_out")


def check_apply(network: Network, leader: Leader, *, acting_user: Any) -> Membership:
    """A leader applies to the programme (or staff add them): a candidate membership."""
    if not network.runs_peer_groups:
        raise PeerGroupError(_("This network runs no peer-group programme."))
    if leader.user_id != acting_user.pk:
        if not permissions.runs_programme(acting_user, network):
            raise PeerGroupError(_("Only the programme's staff may add someone else."))
        if not may_name_person(acting_user, leader.user):
            raise PeerGroupError(UNKNOWN_PERSON_MESSAGE, field="email")
    if GroupMember.objects.filter(leader=leader, group__network=network, status=GroupMemberStatus.ACTIVE).exists():
        raise PeerGroupError(_("%(n)s is already in a group of this programme.") % {"n": leader.full_name})
    existing = Membership.objects.filter(leader=leader, network=network).first()
    if existing and existing.status == MembershipStatus.CANDIDATE:
        raise PeerGroupError(_("%(n)s is already a candidate.") % {"n": leader.full_name})
    with transaction.atomic():
        if existing:
            return do_set_membership_status(existing, MembershipStatus.CANDIDATE, acting_user=acting_user)
        return do_add_membership(leader, network, status=MembershipStatus.CANDIDATE, acting_user=acting_user)


def check_add_candidate(network: Network, email: str, *, acting_user: Any) -> Membership:
    """Staff add a candidate by e-mail: only a person known to the networks they manage.

    An unknown e-mail and a person the actor does not manage get the same answer.
    """
    if not permissions.runs_programme(acting_user, network):
        raise PeerGroupError(_("Only the programme's staff may add someone else."))
    leader = Leader.objects.select_related("user").filter(user__email__iexact=str(email or "").strip()).first()
    if leader is None:
        raise PeerGroupError(UNKNOWN_PERSON_MESSAGE, field="email")
    return check_apply(network, leader, acting_user=acting_user)


def check_request_run(network: Network, params: FormationParams, *, acting_user: Any,
                      locks: dict[str, int] | None = None) -> FormationRun:
    if not (network.runs_peer_groups and permissions.runs_programme(acting_user, network)):
        raise PeerGroupError(_("Only the programme's staff may form groups."))
    if params.size_min < 2 or params.size_max < params.size_min:
        raise PeerGroupError(_("Group sizes must satisfy 2 ≤ minimum ≤ maximum."), field="size_min")
    if not 0 < params.seconds <= MAX_SECONDS:
        raise PeerGroupError(_("The computing time must be between 1 and %(n)s seconds.") % {"n": MAX_SECONDS},
                             field="seconds")
    if params.max_km and not 1 <= params.max_km <= 300:
        raise PeerGroupError(_("The maximum distance must be between 1 and 300 km."), field="max_km")
    if params.around and not Commune.objects.filter(pk=params.around).exists():
        raise PeerGroupError(_("Unknown commune %(c)s (an INSEE code such as 86194).") % {"c": params.around},
                             field="around")
    if params.around and not 0 < params.around_km <= 300:
        raise PeerGroupError(_("Give a radius between 1 and 300 km around the commune."), field="around_km")
    found = len(run_leaders(network, params))
    if found < params.size_min:
        raise PeerGroupError(_("%(n)s candidates in this zone: fewer than one group of %(m)s.")
                             % {"n": found, "m": params.size_min})
    _check_size(found, params)
    return do_request_run(network, params, acting_user=acting_user, locks=locks or {})


def _check_size(found: int, params: FormationParams) -> None:
    """Refuse, before anything is queued, a run too large to compute in memory and time."""
    if found > MAX_CANDIDATES:
        raise PeerGroupError(_("%(n)s candidates in this zone: a run handles at most %(m)s. Choose a département.")
                             % {"n": found, "m": MAX_CANDIDATES}, field="department")
    groups = params.groups or -(-found // params.size_max)
    if groups > found // params.size_min:
        raise PeerGroupError(_("%(g)s groups of at least %(m)s people need %(p)s candidates; there are %(n)s.")
                             % {"g": groups, "m": params.size_min, "p": groups * params.size_min, "n": found},
                             field="groups")
    if found * groups > MAX_CANDIDATE_GROUPS:
        raise PeerGroupError(_("%(n)s candidates in %(g)s groups is too large a run (candidates × groups at most "
                               "%(m)s): fewer groups or a smaller zone.")
                             % {"n": found, "g": groups, "m": MAX_CANDIDATE_GROUPS}, field="groups")


@transaction.atomic
def do_request_run(network: Network, params: FormationParams, *, acting_user: Any, locks: dict[str, int]
                   ) -> FormationRun:
    """Queue a run; the network's row lock makes a double click queue one run, not two."""
    Network.objects.select_for_update().filter(pk=network.pk).first()
    if network.formation_runs.filter(status__in=jobs.ACTIVE).exists():
        raise PeerGroupError(_("A formation run is already being computed for this programme: wait for it "
                               "or cancel it."))
    run = FormationRun.objects.create(network=network, seed=random.SystemRandom().randrange(1, 2**31),
                                      params=params.__dict__, locks=locks, requested_by=acting_user)
    log_action("peergroups.run.requested", actor=acting_user, obj=run, data={"params": run.params,
                                                                              "seed": run.seed})
    _enqueue(run)
    return run


def _enqueue(run: FormationRun) -> None:
    from meute.peergroups.tasks import run_formation

    transaction.on_commit(lambda: run_formation.enqueue(run.pk))


def execute_run(run_id: int) -> FormationRun | None:
    """Compute a requested run (the background task calls this); None if it was not ours to run."""
    from meute.peergroups.formation import run as formation_run

    def work(run: FormationRun, heartbeat: jobs.Heartbeat) -> dict[str, Any]:
        def progress(percent: int) -> None:
            heartbeat.check()
            jobs.update(FormationRun, run.pk, run.attempt, progress=percent)

        outcome = formation_run(run.network, FormationParams.from_json(run.params), seed=run.seed,
                                locks=run.locks, on_progress=progress, wrap_stop=heartbeat.stop)
        if outcome["feasible"]:
            return {"status": RunStatus.DONE, "objective": outcome["objective"], "progress": 100,
                    "proposal": {k: outcome[k] for k in PROPOSAL_KEYS}}
        return {"status": RunStatus.FAILED, "progress": 100, "message": outcome["message"] + (
            " — " + ", ".join(outcome["candidates"]) if outcome["candidates"] else "")}

    run = jobs.run_job(FormationRun, run_id, work=work,
                       budget_seconds=lambda r: FormationParams.from_json(r.params).seconds)
    if run is not None:
        log_action("peergroups.run.finished", actor=None, obj=run, data={"status": run.status,
                                                                          "message": run.message})
    return run


def _locked_run(run: FormationRun) -> FormationRun:
    """The run's row, locked until the end of the transaction, with its state as of now."""
    locked = FormationRun.objects.select_for_update(of=("self",)).select_related("network").get(pk=run.pk)
    for field in ("status", "proposal", "locks", "edited", "message", "progress", "attempt", "finished"):
        setattr(run, field, getattr(locked, field))
    return locked


def check_cancel_run(run: FormationRun, *, acting_user: Any) -> FormationRun:
    """Staff stop a waiting or running run; the worker notices within seconds and stores nothing."""
    if not permissions.runs_programme(acting_user, run.network):
        raise PeerGroupError(_("Only the programme's staff may cancel a run."))
    with transaction.atomic():
        locked = _locked_run(run)
        if locked.status not in jobs.ACTIVE:
            raise PeerGroupError(_("This run is no longer being computed: nothing to cancel."))
        old = locked.status
        locked.status, locked.finished = RunStatus.CANCELLED, timezone.now()
        locked.message = _("Cancelled by %(n)s.") % {"n": acting_user.get_full_name() or acting_user.email}
        locked.save(update_fields=["status", "finished", "message"])
        log_action("peergroups.run.cancelled", actor=acting_user, obj=locked, data={"from": old})
    return locked


def check_retry_run(run: FormationRun, *, acting_user: Any) -> FormationRun:
    """Queue a failed or cancelled run again, with its stored seed, parameters and locks."""
    if not permissions.runs_programme(acting_user, run.network):
        raise PeerGroupError(_("Only the programme's staff may retry a run."))
    with transaction.atomic():
        locked = _locked_run(run)
        if locked.status not in (RunStatus.FAILED, RunStatus.CANCELLED):
            raise PeerGroupError(_("Only a failed or cancelled run can be retried."))
        Network.objects.select_for_update().filter(pk=locked.network_id).first()
        if locked.network.formation_runs.filter(status__in=jobs.ACTIVE).exists():
            raise PeerGroupError(_("A formation run is already being computed for this programme: wait for it "
                                   "or cancel it."))
        old, reason = locked.status, locked.message
        locked.status, locked.progress, locked.message, locked.finished = RunStatus.PENDING, 0, "", None
        locked.proposal, locked.objective, locked.heartbeat, locked.deadline = {}, None, None, None
        locked.save(update_fields=["status", "progress", "message", "finished", "proposal", "objective",
                                   "heartbeat", "deadline"])
        log_action("peergroups.run.retried", actor=acting_user, obj=locked,
                   data={"from": old, "reason": reason, "seed": locked.seed, "attempt": locked.attempt + 1})
        _enqueue(locked)
    return locked


def _editable(run: FormationRun, acting_user: Any) -> None:
    if not permissions.runs_programme(acting_user, run.network):
        raise PeerGroupError(_("Only the programme's staff may change a proposal."))
    if run.status == RunStatus.PUBLISHED:
        raise PeerGroupError(_("This proposal is already published: it can no longer be changed."))
    if run.status != RunStatus.DONE:
        raise PeerGroupError(_("This proposal can no longer be changed."))


def _group_of(run: FormationRun, leader_id: int) -> int:
    for g, members in enumerate(run.proposal["groups"]):
        if leader_id in members:
            return g
    raise PeerGroupError(_("This person is not in the proposal."))


# Every change to a proposal locks the run's row and re-reads it: two staff members (or
# a double click) apply one after the other, each checked against the other's result.

def check_move(run: FormationRun, leader_id: int, target: int, *, acting_user: Any) -> FormationRun:
    with transaction.atomic():
        locked = _locked_run(run)
        _editable(locked, acting_user)
        groups = locked.proposal["groups"]
        if not 0 <= target < len(groups):
            raise PeerGroupError(_("There is no group %(g)s.") % {"g": target + 1})
        source = _group_of(locked, leader_id)
        if source == target:
            raise PeerGroupError(_("This person is already in that group."))
        size_max = FormationParams.from_json(locked.params).size_max
        if len(groups[target]) >= size_max:
            raise PeerGroupError(_("Group %(g)s is full (%(n)s members): swap someone instead.")
                                 % {"g": target + 1, "n": len(groups[target])})
        if str(leader_id) in locked.locks:
            raise PeerGroupError(_("This person is locked in their group: unlock them first."))
        groups[source].remove(leader_id)
        groups[target].append(leader_id)
        locked.edited = True
        locked.save(update_fields=["proposal", "edited"])
        log_action("peergroups.run.moved", actor=acting_user, obj=locked,
                   data={"leader": leader_id, "from": source, "to": target},
                   changes={f"group of {leader_id}": [source + 1, target + 1]})
    run.proposal, run.edited = locked.proposal, True
    return locked


def check_swap(run: FormationRun, a: int, b: int, *, acting_user: Any) -> FormationRun:
    with transaction.atomic():
        locked = _locked_run(run)
        _editable(locked, acting_user)
        ga, gb = _group_of(locked, a), _group_of(locked, b)
        if ga == gb:
            raise PeerGroupError(_("These two people are in the same group."))
        if str(a) in locked.locks or str(b) in locked.locks:
            raise PeerGroupError(_("A locked person cannot be swapped: unlock them first."))
        groups = locked.proposal["groups"]
        groups[ga][groups[ga].index(a)] = b
        groups[gb][groups[gb].index(b)] = a
        locked.edited = True
        locked.save(update_fields=["proposal", "edited"])
        log_action("peergroups.run.swapped", actor=acting_user, obj=locked,
                   data={"a": a, "b": b, "groups": [ga, gb]},
                   changes={f"group of {a}": [ga + 1, gb + 1], f"group of {b}": [gb + 1, ga + 1]})
    run.proposal, run.edited = locked.proposal, True
    return locked


def check_toggle_lock(run: FormationRun, leader_id: int, *, acting_user: Any) -> FormationRun:
    with transaction.atomic():
        locked = _locked_run(run)
        _editable(locked, acting_user)
        group = _group_of(locked, leader_id)
        if str(leader_id) in locked.locks:
            del locked.locks[str(leader_id)]
        else:
            locked.locks[str(leader_id)] = group
        locked.save(update_fields=["locks"])
        is_locked = str(leader_id) in locked.locks
        log_action("peergroups.run.lock", actor=acting_user, obj=locked,
                   data={"leader": leader_id, "locked": is_locked},
                   changes={f"lock of {leader_id}": [not is_locked, is_locked]})
    run.locks = locked.locks
    return locked


def check_rerun(run: FormationRun, *, acting_user: Any) -> FormationRun:
    """A new run over the same candidates, keeping every locked person in their group."""
    _editable(run, acting_user)
    params = FormationParams.from_json({**run.params, "groups": len(run.proposal["groups"])})
    return check_request_run(run.network, params, acting_user=acting_user, locks=dict(run.locks))


def check_publish(run: FormationRun, *, acting_user: Any, reason: str = "", start: datetime.date | None = None
                  ) -> list[PeerGroup]:
    """Create the proposal's groups, once: the run's row lock makes a second click find it published."""
    with transaction.atomic():
        locked = _locked_run(run)
        _editable(locked, acting_user)
        ids = [x for g in locked.proposal["groups"] for x in g]
        gone = no_longer_waiting(locked.network, ids, lock=True)
        if gone:
            raise PeerGroupError(_("%(names)s are no longer waiting candidates (placed in a group meanwhile, or "
                                   "gone): run the formation again.") % {"names": ", ".join(gone[:5]) + (
                                       " …" if len(gone) > 5 else "")})
        params = FormationParams.from_json(locked.params)
        _reviews, problems = review(locked.network, locked.proposal, params, locked.locks)
        if problems and not reason.strip():
            raise PeerGroupError(_("This grouping breaks %(n)s rule(s): give a reason to publish it anyway.")
                                 % {"n": len(problems)}, field="reason")
        groups = do_publish(locked, acting_user=acting_user, reason=reason.strip(), problems=problems,
                            start=start or _next_month_start())
    run.status, run.publish_reason = locked.status, locked.publish_reason
    return groups


def _next_month_start() -> datetime.date:
    today = timezone.localdate()
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


@transaction.atomic
def do_publish(run: FormationRun, *, acting_user: Any, reason: str, problems: list[str], start: datetime.date
               ) -> list[PeerGroup]:
    network = run.network
    facilitators = list(NetworkRole.objects.filter(network=network, role=Role.FACILITATOR)
                        .order_by("user_id").values_list("user_id", flat=True))
    leaders = {leader.pk: leader for leader in Leader.objects.filter(
        pk__in=[x for g in run.proposal["groups"] for x in g]).select_related("user", "company__commune")}
    number = network.peer_groups.count()
    created = []
    chosen = run.proposal.get("facilitators")
    slots = run.proposal.get("slots") or []
    venue_ids = run.proposal.get("venues") or []
    venues = {v.pk: v for v in network.venues.select_related("commune").filter(pk__in=[v for v in venue_ids if v])}
    for g, members in enumerate(run.proposal["groups"]):
        if chosen is not None:
            facilitator = chosen[g] if g < len(chosen) else None
        else:  # runs computed before facilitators were planned
            facilitator = facilitators[g % len(facilitators)] if facilitators else None
        slot = slots[g] if g < len(slots) and slots[g] else ""
        place = leaders.get((run.proposal.get("places") or [None] * (g + 1))[g] or -1)
        commune = place.company.commune if place and place.company else None
        venue = venues.get(venue_ids[g]) if g < len(venue_ids) else None
        commune = venue.commune if venue else commune
        group = PeerGroup.objects.create(
            network=network, name=_("Group %(n)s — %(c)s") % {"n": number + g + 1, "c": commune.name if commune
                                                             else network.name},
            cycle_start=start, cycle_end=start.replace(year=start.year + CYCLE_YEARS),
            facilitator_id=facilitator, meeting_slot=slot, venue=venue,
            meeting_place=(", ".join(x for x in (venue.name, venue.address, venue.commune.name) if x)[:200] if venue
                           else _("to be confirmed, %(c)s") % {"c": commune.name} if commune else ""),
            commune=commune, formation_run=run,
        )
        group.sponsors.set((run.proposal.get("sponsors") or [[]] * (g + 1))[g])
        for leader_id in members:
            GroupMember.objects.create(group=group, leader_id=leader_id)
            Membership.objects.filter(leader_id=leader_id, network=network).update(status=MembershipStatus.ACTIVE)
            touch_leaders([leader_id])  # an update sends no signal
        weekday, nth = parse_slot(slot) or (1, 1)
        do_create_monthly_meetings(group, acting_user=acting_user, weekday=weekday, nth=nth)
        created.append(group)
        _notify_members(group, [leaders[x] for x in members if x in leaders])
    for leader in leaders.values():
        from meute.members.services import refresh_directory_flag

        refresh_directory_flag(leader)
    run.status, run.publish_reason = RunStatus.PUBLISHED, reason
    run.save(update_fields=["status", "publish_reason"])
    log_action("peergroups.run.published", actor=acting_user, obj=run,
               data={"groups": [g.pk for g in created], "reason": reason, "violations": problems},
               changes={"status": [RunStatus.DONE, run.status], "publish_reason": ["", reason]})
    return created


def _notify_members(group: PeerGroup, leaders: list[Leader]) -> None:
    """E-mail each new member, in their own language, after the commit."""
    letters = []
    for leader in leaders:
        with translation.override(leader.user.language or settings.LANGUAGE_CODE):
            subject = _("Your peer group: %(g)s") % {"g": group.name}
            body = _("You are a member of %(g)s from %(d)s. Your facilitator will send you the first meeting's "
                     "details.") % {"g": group.name, "d": date_format(group.cycle_start, "SHORT_DATE_FORMAT")}
        letters.append((subject, body, leader.user.email))
    transaction.on_commit(lambda: [send_mail(subject, body, None, [email]) for subject, body, email in letters])


def check_set_fee(member: GroupMember, status: str, *, acting_user: Any) -> GroupMember:
    if not permissions.runs_programme(acting_user, member.group.network):
        raise PeerGroupError(_("Only the programme's staff may record fees."))
    if status not in FeeStatus.values:
        raise PeerGroupError(_("Unknown fee status."), field="fee_status")
    with transaction.atomic():
        before = snapshot(member, ["fee_status", "fee_paid_on"])
        member.fee_status = status
        member.fee_paid_on = timezone.localdate() if status == FeeStatus.PAID else None
        member.save(update_fields=["fee_status", "fee_paid_on"])
        log_action("peergroups.fee.updated", actor=acting_user, obj=member, data={"status": status},
                   changes=diff(before, snapshot(member, ["fee_status", "fee_paid_on"])))
    return member


def check_end_cycle(group: PeerGroup, *, acting_user: Any) -> PeerGroup:
    """Close a group's cycle: its members become alumni of the programme."""
    if not permissions.runs_programme(acting_user, group.network):
        raise PeerGroupError(_("Only the programme's staff may end a cycle."))
    with transaction.atomic():
        if PeerGroup.objects.select_for_update().filter(pk=group.pk).values_list("ended", flat=True).get():
            raise PeerGroupError(_("This cycle is already over."))
        group.ended = True
        group.save(update_fields=["ended"])
        for member in group.members.filter(status=GroupMemberStatus.ACTIVE).select_related("leader"):
            member.status = GroupMemberStatus.ALUMNI
            member.save(update_fields=["status"])
            membership = Membership.objects.filter(leader=member.leader, network=group.network).first()
            if membership:
                do_set_membership_status(membership, MembershipStatus.ALUMNI, acting_user=acting_user)
        log_action("peergroups.cycle.ended", actor=acting_user, obj=group, changes={"ended": [False, True]})
    return group


def check_create_plenary(network: Network, *, acting_user: Any, level: str, title: str,
                         starts_at: datetime.datetime, ends_at: datetime.datetime, place: str,
                         groups: list[PeerGroup], presented: list[Network], submission: str | None = None) -> Any:
    """A departmental or regional plenary bringing groups together; other networks present themselves.
    The same form sent again raises ``Resubmitted`` with the plenary its first sending created."""
    from meute.peergroups.models import PlenaryLevel

    if not permissions.runs_programme(acting_user, network):
        raise PeerGroupError(_("Only the programme's staff may organise plenaries."))
    if level not in PlenaryLevel.values:
        raise PeerGroupError(_("Choose departmental or regional."), field="level")
    if ends_at <= starts_at:
        raise PeerGroupError(_("The plenary must end after it starts."), field="ends_at")
    if starts_at < timezone.now():
        raise PeerGroupError(_("A plenary cannot be in the past."), field="starts_at")
    if any(g.network_id != network.pk for g in groups) or not groups:
        raise PeerGroupError(_("Choose at least one group of the programme."), field="groups")
    return do_create_plenary(network, acting_user=acting_user, level=level, title=title, starts_at=starts_at,
                             ends_at=ends_at, place=place, groups=groups, presented=presented,
                             submission=submission)


def do_create_plenary(network: Network, *, acting_user: Any, level: str, title: str, starts_at: datetime.datetime,
                      ends_at: datetime.datetime, place: str, groups: list[PeerGroup], presented: list[Network],
                      submission: str | None = None) -> Any:
    from meute.peergroups.models import Plenary

    def create(key: str | None) -> Plenary:
        plenary = Plenary.objects.create(network=network, level=level, title=title, starts_at=starts_at,
                                         ends_at=ends_at, place=place, submission=key)
        plenary.groups.set(groups)
        plenary.presented_networks.set(presented)
        log_action("peergroups.plenary.created", actor=acting_user, obj=plenary,
                   data={"groups": [g.pk for g in groups]})
        return plenary

    return create_once(Plenary.objects.filter(network=network), submission, create)
