"""Printable documents of a speed meeting: the table plan per round, a personal schedule."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from meute.accounts.models import User
from meute.events.models import Event, RotationPlan
from meute.events.queries import schedule_for


def names(plan: RotationPlan) -> dict[int, dict[str, str]]:
    ids = {x for round_ in plan.rounds for table in round_ for x in table}
    people = User.objects.filter(pk__in=ids).select_related("leader__company")
    out = {}
    for user in people:
        leader = getattr(user, "leader", None)
        company = leader.company.name if leader is not None and leader.company else ""
        out[user.pk] = {"name": user.get_full_name() or user.email, "company": company}
    return out


def rounds_with_names(plan: RotationPlan) -> list[list[list[dict[str, str]]]]:
    people = names(plan)
    return [[[people.get(x, {"name": str(x), "company": ""}) for x in table] for table in round_]
            for round_ in plan.rounds]


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def table_plan_pdf(event: Event, plan: RotationPlan) -> bytes:
    return _pdf("web/events/plan_pdf.html", {"event": event, "plan": plan, "rounds": rounds_with_names(plan)})


def schedule_pdf(event: Event, plan: RotationPlan, user: User, qr: str) -> bytes:
    people = names(plan)
    rows = [(n, t, [people.get(x, {"name": str(x)})["name"] for x in mates])
            for n, t, mates in schedule_for(plan, user.pk)]
    return _pdf("web/events/schedule_pdf.html", {"event": event, "person": user, "rows": rows, "qr": qr})
