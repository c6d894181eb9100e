"""Speed-meeting plans: build a rotation problem from an event's registrations, solve it
with :mod:`meute.matching.rotations`, store the result.

Wished meetings weigh most, then offer/need matches (shared words between one person's
needs and another's offers); competitors (same NAF classe) are kept apart; tables mix
départements. A re-plan keeps the rounds already held and seats the people present now.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core import jobs
from meute.core.audit import log_action
from meute.core.text import search_terms
from meute.events import permissions
from meute.events.exceptions import PlanError
from meute.events.models import Event, PlanStatus, Registration, RegistrationStatus, RotationPlan
from meute.matching.rotations import RotationInputError, RotationProblem, replan, solve
from meute.matching.rotations.bounds import problem_bound
from meute.matching.stop import MaxRuntime

WISH_WEIGHT = 3.0
MATCH_WEIGHT = 1.0
STOP_WORDS = {"de", "des", "du", "la", "le", "les", "un", "une", "et", "en", "pour", "a", "au", "aux", "d", "l",
              "mon", "ma", "mes", "notre", "nos", "sur", "avec", "dans", "par", "qui", "que"}


def present_registrations(event: Event) -> list[Registration]:
    """Confirmed participants not marked absent, in registration order."""
    return list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, absent=False)
        .select_related("user__leader__company")
        .prefetch_related("wishes")
        .order_by("seq")
    )


def _words(text: str) -> set[str]:
    return {w for w in search_terms(text, limit=40) if len(w) > 3 and w not in STOP_WORDS}


def _offer_need_matches(regs: list[Registration]) -> list[tuple[int, int, float]]:
    offers = {r.user_id: _words(r.offers) for r in regs}
    matches = []
    for r in regs:
        needs = _words(r.needs)
        if not needs:
            continue
        for other in regs:
            if other.user_id != r.user_id and needs & offers[other.user_id]:
                matches.append((r.user_id, other.user_id, MATCH_WEIGHT))
    return matches


def _company(reg: Registration) -> Any:
    leader = getattr(reg.user, "leader", None)
    return leader.company if leader is not None else None


def build_problem(event: Event, regs: list[Registration]) -> RotationProblem:
    ids = [r.user_id for r in regs]
    present = set(ids)
    wishes = [(r.user_id, w.pk, WISH_WEIGHT) for r in regs for w in r.wishes.all() if w.pk in present]
    classes: dict[str, list[int]] = {}
    attributes = {}
    for r in regs:
        company = _company(r)
        if company is not None:
            classes.setdefault(company.naf_code[:5], []).append(r.user_id)
            attributes[r.user_id] = company.department_id
    conflicts = [(a, b) for group in classes.values() for i, a in enumerate(group) for b in group[i + 1:]]
    return RotationProblem(
        participants=ids, table_size=event.table_size, rounds=event.rounds,
        wishes=wishes + _offer_need_matches(regs), conflicts=conflicts, attributes=attributes,
    )


def current_plan(event: Event) -> RotationPlan | None:
    return event.plans.filter(status=PlanStatus.DONE).first()


@dataclass(frozen=True)
class PlanChanges:
    """What happened since a plan was computed: people present but not seated in its last
    round (late registrations, promotions from the waiting list, walk-ins, people checked in
    after being marked absent), and people seated there who are no longer present
    (cancellations, absences)."""

    newcomers: list[Registration]
    gone: list[Registration]

    @property
    def stale(self) -> bool:
        return bool(self.newcomers or self.gone)


def plan_changes(event: Event, plan: RotationPlan | None) -> PlanChanges:
    """Compare the plan with the people present now (derived, so it cannot drift from the data)."""
    if plan is None or not plan.rounds:
        return PlanChanges([], [])
    seated = {x for table in plan.rounds[-1] for x in table}
    present = present_registrations(event)
    present_ids = {r.user_id for r in present}
    gone = list(event.registrations.filter(user_id__in=seated - present_ids).select_related("user").order_by("seq"))
    return PlanChanges([r for r in present if r.user_id not in seated], gone)


MAX_SECONDS = 60
MAX_PEOPLE = 1000
MAX_SEATINGS = 20_000  # people × rounds: the plan's size, and the search's cost per iteration


def check_request_plan(event: Event, *, acting_user: Any, seconds: float = 5.0, from_round: int = 0) -> RotationPlan:
    """Staff ask for a plan (``from_round=0``) or a re-plan of the rounds after ``from_round``."""
    if not permissions.can_manage_event(acting_user, event):
        raise PlanError(_("Only the network's staff may plan this speed meeting."))
    if not event.is_speed_meeting:
        raise PlanError(_("Only a speed meeting has a seating plan."))
    if not 0 < seconds <= MAX_SECONDS:
        raise PlanError(_("The computing time must be between 0.5 and %(n)s seconds.") % {"n": MAX_SECONDS},
                        field="seconds")
    present = len(present_registrations(event))
    if present < event.table_size:
        raise PlanError(_("%(n)s people present: fewer than one table of %(s)s.") % {"n": present,
                                                                                   "s": event.table_size})
    if present > MAX_PEOPLE or present * event.rounds > MAX_SEATINGS:
        raise PlanError(_("%(n)s people over %(r)s rounds is too large a plan (people × rounds at most %(m)s, "
                          "at most %(p)s people): fewer rounds, or split the event.")
                        % {"n": present, "r": event.rounds, "m": MAX_SEATINGS, "p": MAX_PEOPLE})
    if from_round:
        previous = current_plan(event)
        if previous is None:
            raise PlanError(_("There is no plan to re-plan yet."))
        if not 0 < from_round < event.rounds:
            raise PlanError(_("Re-plan from a round between 1 and %(n)s.") % {"n": event.rounds - 1},
                            field="from_round")
    return do_request_plan(event, acting_user=acting_user, seconds=seconds, from_round=from_round)


@transaction.atomic
def do_request_plan(event: Event, *, acting_user: Any, seconds: float, from_round: int) -> RotationPlan:
    """Queue a plan; the event's row lock makes a double click queue one plan, not two."""
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if event.plans.filter(status__in=jobs.ACTIVE).exists():
        raise PlanError(_("A plan is already being computed for this event: wait for it or cancel it."))
    plan = RotationPlan.objects.create(event=event, seed=random.SystemRandom().randrange(1, 2**31),
                                       seconds=seconds, from_round=from_round, requested_by=acting_user)
    log_action("events.plan.requested", actor=acting_user, obj=event, data={"plan": plan.pk,
                                                                             "from_round": from_round})
    _enqueue(plan)
    return plan


def _enqueue(plan: RotationPlan) -> None:
    from meute.events.tasks import compute_plan

    transaction.on_commit(lambda: compute_plan.enqueue(plan.pk))


def _locked_plan(plan: RotationPlan) -> RotationPlan:
    return RotationPlan.objects.select_for_update(of=("self",)).select_related("event__network").get(pk=plan.pk)


def check_cancel_plan(plan: RotationPlan, *, acting_user: Any) -> RotationPlan:
    """Staff stop a waiting or running plan; the worker notices within seconds and stores nothing."""
    if not permissions.can_manage_event(acting_user, plan.event):
        raise PlanError(_("Only the network's staff may plan this speed meeting."))
    with transaction.atomic():
        locked = _locked_plan(plan)
        if locked.status not in jobs.ACTIVE:
            raise PlanError(_("This plan is no longer being computed: nothing to cancel."))
        old = locked.status
        locked.status, locked.finished = PlanStatus.CANCELLED, timezone.now()
        locked.message = _("Cancelled by %(n)s.") % {"n": acting_user.get_full_name() or acting_user.email}
        locked.save(update_fields=["status", "finished", "message"])
        log_action("events.plan.cancelled", actor=acting_user, obj=locked.event, data={"plan": locked.pk,
                                                                                       "from": old})
    return locked


def check_retry_plan(plan: RotationPlan, *, acting_user: Any) -> RotationPlan:
    """Queue a failed or cancelled plan again, with its stored seed, time and first round."""
    if not permissions.can_manage_event(acting_user, plan.event):
        raise PlanError(_("Only the network's staff may plan this speed meeting."))
    with transaction.atomic():
        locked = _locked_plan(plan)
        if locked.status not in (PlanStatus.FAILED, PlanStatus.CANCELLED):
            raise PlanError(_("Only a failed or cancelled plan can be retried."))
        Event.objects.select_for_update().filter(pk=locked.event_id).first()
        if locked.event.plans.filter(status__in=jobs.ACTIVE).exists():
            raise PlanError(_("A plan is already being computed for this event: wait for it or cancel it."))
        old, reason = locked.status, locked.message
        locked.status, locked.message, locked.finished, locked.heartbeat = PlanStatus.PENDING, "", None, None
        locked.deadline = None
        locked.save(update_fields=["status", "message", "finished", "heartbeat", "deadline"])
        log_action("events.plan.retried", actor=acting_user, obj=locked.event,
                   data={"plan": locked.pk, "from": old, "reason": reason, "seed": locked.seed})
        _enqueue(locked)
    return locked


def _why_impossible(reason: str, values: dict[str, int]) -> str:
    """The planner's proof that zero repeats is impossible, in the interface's language."""
    if reason == "pigeonhole":
        return _("%(seats)s seats per table but only %(tables)s tables: in round 2, two people of the same "
                 "round-1 table must sit together again") % values
    if reason == "counting":
        return _("each round a person meets %(new)s new people and only %(others)s others exist, so at most "
                 "%(rounds)s rounds are repeat-free") % values
    if reason in ("known", "affine_plane"):
        return _("a known mathematical result: with %(tables)s tables of %(seats)s, at most %(rounds)s rounds "
                 "are repeat-free") % values
    if reason == "person":
        return _("one person must meet at least %(needed)s people in the rounds planned, but only %(left)s are "
                 "left to meet") % values
    if reason == "pairs":
        return _("the tables seat more meetings than there are pairs of people, so at least %(floor)s meetings "
                 "repeat") % values
    return ""


def plan_message(problem: RotationProblem, repeats: int) -> str:
    """What the plan page says about repeats, worded here (the planner library speaks English)."""
    if repeats == 0:
        return _("No pair meets twice.")
    bound = problem_bound(problem)
    if bound.possible is False:
        return _("Zero repeats is impossible (%(why)s); this plan has %(n)s repeated meetings (at least %(m)s are "
                 "unavoidable).") % {"why": _why_impossible(bound.reason, bound.values), "n": repeats,
                                     "m": bound.min_repeats}
    return _("No repeat-free plan found in the time given; %(n)s repeated meetings.") % {"n": repeats}


def run_plan(plan_id: int) -> RotationPlan | None:
    """Compute a requested plan (called by the background task); None if it was not ours to run."""

    def work(plan: RotationPlan, heartbeat: jobs.Heartbeat) -> dict[str, Any]:
        event = plan.event
        regs = present_registrations(event)
        stop = heartbeat.stop(MaxRuntime(plan.seconds))
        try:
            problem = build_problem(event, regs)
            if plan.from_round:
                held = (current_plan(event).rounds or [])[: plan.from_round]
                result = replan(problem, held, seed=plan.seed, stop=stop, seconds=plan.seconds)
                rounds = [*held, *result.rounds]
            else:
                result = solve(problem, seed=plan.seed, stop=stop, seconds=plan.seconds)
                rounds = result.rounds
        except RotationInputError as exc:
            return {"status": PlanStatus.FAILED, "message": str(exc)}
        return {"status": PlanStatus.DONE, "rounds": rounds, "repeats": result.repeats,
                "wished_met": result.wished_met, "wished_total": result.wished_total,
                "message": plan_message(problem, result.repeats), "runtime": result.runtime}

    plan = jobs.run_job(RotationPlan, plan_id, work=work, budget_seconds=lambda p: p.seconds)
    if plan is not None:
        log_action("events.plan.finished", actor=None, obj=plan.event,
                   data={"plan": plan.pk, "status": plan.status, "repeats": plan.repeats})
        if plan.status == PlanStatus.DONE:
            _notify_plan_published(plan)
    return plan


def _notify_plan_published(plan: RotationPlan) -> None:
    """Each person seated in the new plan is told their schedule is ready (or changed)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from meute.notifications.models import Kind
    from meute.notifications.services import Text, notify

    event = plan.event
    seated = {person for round_tables in plan.rounds or [] for table in round_tables for person in table}
    notify(sorted(seated), Kind.PLAN_PUBLISHED, obj=event, url=reverse("web:event_schedule", args=[event.pk]),
           title=Text(gettext_lazy("Your speed-meeting schedule is ready: %(t)s"), t=event.title),
           body=Text(gettext_lazy("The tables of “%(t)s” are planned: see who you meet at each round."),
                     t=event.title), actor=plan.requested_by)
