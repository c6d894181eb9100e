"""Printable documents of an event (WeasyPrint, A4, French).

* the table plan: one landscape page per round with every table on it;
* the per-table sheets: one page per table, who sits there in every round;
* the personal schedules: one card per person, four cards per page with cut lines;
* the name badges: ten per page, with the check-in QR code;
* the attendance sheet of any event or peer-group meeting, with a signature column.

Layouts are computed here, not left to the page flow: each block has a fixed size chosen so
that it fits its page, which is what keeps a table from being split between two pages.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from meute.accounts.models import User
from meute.core.links import absolute_url
from meute.events.checkin import checkin_code, qr_png_data_uri
from meute.events.models import Event, Registration, RegistrationStatus, RotationPlan
from meute.events.queries import schedule_for

PT_PER_MM = 1 / 0.3528
# A4 landscape minus 10 mm margins and a 17 mm page header.
PLAN_WIDTH_MM, PLAN_HEIGHT_MM, PLAN_GAP_MM = 277.0, 172.0, 2.5
NAME_EMS = 11.0  # the width, in ems of DejaVu Sans Condensed, of a long name ("Marie-Claude Lefebvre")
MAX_PLAN_PT, MAX_SHEET_PT = 22.0, 16.0


def _person(user: User) -> dict[str, str]:
    leader = getattr(user, "leader", None)
    company = leader.company if leader is not None else None
    activity = ""
    if company is not None:
        from meute.naf.reference import naf_codes

        code = naf_codes().get(company.naf_code)
        activity = code.label if code is not None else ""
    return {"name": user.get_full_name() or user.email, "company": company.name if company else "",
            "activity": activity}


def names(plan: RotationPlan) -> dict[int, dict[str, str]]:
    ids = {x for round_ in plan.rounds for table in round_ for x in table}
    people = User.objects.filter(pk__in=ids).select_related("leader__company")
    return {user.pk: _person(user) for user in people}


def _unknown(user_id: int) -> dict[str, str]:
    return {"name": str(user_id), "company": "", "activity": ""}


def rounds_with_names(plan: RotationPlan) -> list[list[list[dict[str, str]]]]:
    people = names(plan)
    return [[[people.get(x) or _unknown(x) for x in table] for table in round_] for round_ in plan.rounds]


def round_start(event: Event, number: int) -> datetime.datetime:
    """When round ``number`` (from 1) starts, by the event's timetable."""
    return timezone.localtime(event.starts_at) + datetime.timedelta(minutes=event.round_minutes * (number - 1))


@dataclass(frozen=True)
class PlanLayout:
    """How the tables of one round share a landscape page."""

    columns: int
    rows: int
    width_mm: float
    height_mm: float
    font_pt: float


def plan_layout(tables: int, table_size: int) -> PlanLayout:
    """The grid of fixed-size table blocks with the largest readable font for this many tables."""
    tables = max(tables, 1)
    best = None
    for columns in range(1, min(tables, 10) + 1):
        rows = math.ceil(tables / columns)
        width = (PLAN_WIDTH_MM - PLAN_GAP_MM * (columns - 1)) / columns
        height = (PLAN_HEIGHT_MM - PLAN_GAP_MM * (rows - 1)) / rows
        # 3 mm of padding and border; a heading line (1.25 em) and one 1.2 em line per person.
        by_width = (width - 3) / NAME_EMS
        by_height = (height - 3.5) / (1.25 + 1.2 * table_size)
        font = min(by_width, by_height) * PT_PER_MM
        if best is None or font > best.font_pt:
            best = PlanLayout(columns, rows, width, height, min(font, MAX_PLAN_PT))
    return best


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def table_plan_pdf(event: Event, plan: RotationPlan) -> bytes:
    rounds = rounds_with_names(plan)
    layout = plan_layout(max((len(r) for r in rounds), default=1), event.table_size)
    pages = [{"number": n, "starts": round_start(event, n), "tables": tables}
             for n, tables in enumerate(rounds, start=1)]
    return _pdf("web/events/plan_pdf.html", {"event": event, "plan": plan, "pages": pages, "layout": layout})


def table_sheets_pdf(event: Event, plan: RotationPlan) -> bytes:
    """One page per table: who sits at it in each round."""
    rounds = rounds_with_names(plan)
    count = max((len(r) for r in rounds), default=0)
    sheets = [{"number": t + 1, "rounds": [
        {"number": n, "starts": round_start(event, n), "people": tables[t] if t < len(tables) else []}
        for n, tables in enumerate(rounds, start=1)]} for t in range(count)]
    lines = len(rounds) * (math.ceil(event.table_size / 2) * 1.3 + 1.2)
    font = min(MAX_SHEET_PT, 230 / max(lines, 1) * PT_PER_MM)
    return _pdf("web/events/tables_pdf.html", {"event": event, "sheets": sheets, "font_pt": font})


def _schedule_rows(event: Event, plan: RotationPlan | None, user_id: int) -> list[dict[str, Any]]:
    if plan is None:
        return []
    return [{"number": n, "starts": round_start(event, n), "table": t, "mates": mates}
            for n, t, mates in schedule_for(plan, user_id)]


def schedules_pdf(event: Event, plan: RotationPlan, registrations: list[Registration]) -> bytes:
    """Every confirmed participant's schedule, one card each, four per page."""
    cards = [{"person": _person(r.user), "rows": _schedule_rows(event, plan, r.user_id)} for r in registrations]
    pages = [cards[i:i + 4] for i in range(0, len(cards), 4)]
    font = 11.0 if event.rounds <= 10 else max(6.0, 110 / event.rounds)
    return _pdf("web/events/schedules_pdf.html", {"event": event, "pages": pages, "font_pt": font})


def schedule_pdf(event: Event, plan: RotationPlan, user: User, qr: str) -> bytes:
    people = names(plan)
    rows = [{**row, "mates": [(people.get(x) or _unknown(x))["name"] for x in row["mates"]]}
            for row in _schedule_rows(event, plan, user.pk)]
    return _pdf("web/events/schedule_pdf.html", {"event": event, "person": user, "rows": rows, "qr": qr})


def confirmed_registrations(event: Event) -> list[Registration]:
    return list(event.registrations.filter(status=RegistrationStatus.CONFIRMED)
                .select_related("user__leader__company").order_by("user__last_name", "user__first_name", "seq"))


def checkin_url(event: Event, registration: Registration) -> str:
    return absolute_url("web:event_checkin", event.pk, checkin_code(registration.pk))


def badges_pdf(event: Event, registrations: list[Registration]) -> bytes:
    """Name badges (90 × 55 mm, ten per page) with a QR code opening the person's check-in."""
    badges = [{**_person(r.user), "qr": qr_png_data_uri(checkin_url(event, r))} for r in registrations]
    pages = [badges[i:i + 10] for i in range(0, len(badges), 10)]
    return _pdf("web/events/badges_pdf.html", {"event": event, "pages": pages})


BLANK_LINES = 5  # for people who come without having registered


def attendance_pdf(*, title: str, subtitle: str, starts: datetime.datetime, place: str,
                   people: list[dict[str, str]]) -> bytes:
    """A sign-in sheet: one line per expected person, a few blank ones, a signature column."""
    return _pdf("web/events/attendance_pdf.html", {
        "title": title, "subtitle": subtitle, "starts": timezone.localtime(starts), "place": place,
        "people": people, "blank": range(BLANK_LINES), "first_blank": len(people) + 1,
    })


def event_attendance_pdf(event: Event) -> bytes:
    people = [_person(r.user) for r in confirmed_registrations(event)]
    return attendance_pdf(title=event.title, subtitle=event.get_kind_display(), starts=event.starts_at,
                          place=event.place or (event.commune.name if event.commune else "") or event.visio_url,
                          people=people)


def meeting_attendance_pdf(meeting: Any) -> bytes:
    """The sign-in sheet of a peer-group meeting (``meeting`` comes from ``access_meeting``)."""
    from meute.peergroups.models import GroupMemberStatus

    members = (meeting.group.members.filter(status=GroupMemberStatus.ACTIVE)
               .select_related("leader__user", "leader__company").order_by("leader__sort_name"))
    people = [_person(m.leader.user) for m in members]
    return attendance_pdf(title=meeting.group.name, subtitle=meeting.group.network.name, starts=meeting.starts_at,
                          place=meeting.place or meeting.visio_url, people=people)
