"""A peer group's life: members, meetings, agenda and votes, attendance, minutes. Confidential."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meute.core.exceptions import MeuteError
from meute.core.submissions import Resubmitted
from meute.documents.queries import documents_of_meeting
from meute.peergroups import permissions
from meute.peergroups.formation import slot_label
from meute.peergroups.meetings import (
    check_order_agenda,
    check_propose_topic,
    check_record_attendance,
    check_update_meeting,
    check_vote,
    check_write_minutes,
)
from meute.peergroups.models import AttendanceStatus, GroupMemberStatus, ReplyAnswer
from meute.peergroups.queries import (
    access_group,
    access_meeting,
    agenda,
    list_attendance,
    list_my_groups,
    networks_to_continue,
    next_meeting,
)
from meute.peergroups.replies import check_reply, list_replies, my_reply
from meute.peergroups.services import check_end_cycle
from meute.referrals.queries import list_meeting_referrals
from meute.web.exports import render_export
from meute.web.forms import labelled_errors
from meute.web.forms_peergroups import GroupEditForm, LeaveForm, MeetingForm, MinutesForm, SponsorsForm, TopicForm
from meute.web.once import already_sent
from meute.web.pwa.views import offline_readable


@login_required
def my_groups(request: HttpRequest) -> HttpResponse:
    return render(request, "web/peergroups/my_groups.html", {"groups": list_my_groups(request.user)})


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    now = timezone.now()
    members = group.members.select_related("leader__user", "leader__company").order_by("leader__sort_name")
    staff = permissions.runs_programme(request.user, group.network) and not group.ended
    manage = _manage_context(group) if staff else {}
    return render(request, "web/peergroups/group.html", {
        **manage,
        "slot_text": slot_label(group.meeting_slot) if group.meeting_slot else "",
        "group": group, "members": members, "sponsors": group.sponsors.all(),
        "upcoming": group.meetings.filter(ends_at__gte=now)[:6], "past": group.meetings.filter(
            ends_at__lt=now).order_by("-starts_at")[:12],
        "next": next_meeting(group), "plenaries": group.plenaries.prefetch_related("presented_networks"),
        "can_lead": permissions.can_lead_meetings(request.user, group),
        "runs_programme": permissions.runs_programme(request.user, group.network),
        "continue_with": networks_to_continue(group) if group.ended else [],
        "is_alumni": group.members.filter(leader__user=request.user, status=GroupMemberStatus.ALUMNI).exists(),
    })


def _facilitators(group) -> list[tuple[int, str]]:
    from meute.members.models import NetworkRole, Role

    roles = NetworkRole.objects.filter(network=group.network, role=Role.FACILITATOR).select_related("user")
    return [(r.user_id, r.user.get_full_name() or r.user.email) for r in roles.order_by("user__last_name")]


def _sponsor_choices(group) -> list[tuple[int, str]]:
    from meute.members.models import NetworkRole, Role

    roles = NetworkRole.objects.filter(network=group.network, role=Role.SPONSOR).select_related("user")
    return [(r.user_id, r.user.get_full_name() or r.user.email) for r in roles.order_by("user__last_name")]


def _venues(group) -> list[tuple[int, str]]:
    return [(v.pk, str(v)) for v in group.network.venues.select_related("commune")]


def _active(group) -> list[tuple[int, str]]:
    rows = group.members.filter(status=GroupMemberStatus.ACTIVE).select_related("leader")
    return [(m.pk, m.leader.full_name) for m in rows.order_by("leader__sort_name")]


def _manage_context(group, edit_form=None, leave_form=None) -> dict:
    from meute.peergroups.life import MAX_GROUP_SIZE, replacements

    active = group.members.filter(status=GroupMemberStatus.ACTIVE).count()

    initial = {"facilitator": group.facilitator_id, "slot": group.meeting_slot or "tue-1", "venue": group.venue_id,
               "meeting_place": group.meeting_place, "visio_url": group.visio_url}
    return {
        "edit_form": edit_form or GroupEditForm(initial=initial, facilitators=_facilitators(group),
                                                venues=_venues(group)),
        "leave_form": leave_form or LeaveForm(members=_active(group)),
        "sponsors_form": SponsorsForm(initial={"sponsors": list(group.sponsors.values_list("pk", flat=True))},
                                      sponsors=_sponsor_choices(group)),
        "replacements": replacements(group)[:6],
        "full": active >= MAX_GROUP_SIZE, "active_count": active,
        "left": group.members.filter(status=GroupMemberStatus.LEFT).select_related("leader"),
    }


@login_required
@require_POST
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    from meute.peergroups.life import check_edit_group

    group = access_group(request.user, group_id)
    form = GroupEditForm(request.POST, facilitators=_facilitators(group), venues=_venues(group))
    if not form.is_valid():
        messages.error(request, _("Please check the group's settings."))
        return redirect("web:group", group_id=group.pk)
    data = form.cleaned_data
    try:
        check_edit_group(group, acting_user=request.user, facilitator_id=data["facilitator"],
                         meeting_place=data["meeting_place"], visio_url=data["visio_url"], slot=data["slot"],
                         venue_id=data["venue"])
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The group is updated; its next meetings follow and its members are told."))
    return redirect("web:group", group_id=group.pk)


@login_required
@require_POST
def group_sponsors(request: HttpRequest, group_id: int) -> HttpResponse:
    from meute.peergroups.life import check_set_sponsors

    group = access_group(request.user, group_id)
    form = SponsorsForm(request.POST, sponsors=_sponsor_choices(group))
    if not form.is_valid():
        messages.error(request, _("Choose sponsors from the list."))
        return redirect("web:group", group_id=group.pk)
    try:
        check_set_sponsors(group, form.cleaned_data["sponsors"], acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The sponsors are updated and the group is told."))
    return redirect("web:group", group_id=group.pk)


@login_required
@require_POST
def group_leave(request: HttpRequest, group_id: int) -> HttpResponse:
    from meute.peergroups.life import check_member_leaves

    group = access_group(request.user, group_id)
    form = LeaveForm(request.POST, members=_active(group))
    if not form.is_valid():
        messages.error(request, _("Choose the member who leaves and say why."))
        return redirect("web:group", group_id=group.pk)
    try:
        member = group.members.get(pk=form.cleaned_data["member"])
        check_member_leaves(member, acting_user=request.user, reason=form.cleaned_data["reason"])
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s has left the group. Replacements are proposed below.")
                         % {"n": member.leader.full_name})
    return redirect("web:group", group_id=group.pk)


@login_required
@require_POST
def group_replace(request: HttpRequest, group_id: int) -> HttpResponse:
    from meute.members.models import Leader
    from meute.peergroups.life import check_add_replacement

    group = access_group(request.user, group_id)
    leader = Leader.objects.filter(pk=request.POST.get("leader") or 0).first() if (
        request.POST.get("leader") or "").isdigit() else None
    if leader is None:
        messages.error(request, _("Unknown person: choose a candidate from the list."))
        return redirect("web:group", group_id=group.pk)
    try:
        check_add_replacement(group, leader, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s is invited into the group.") % {"n": leader.full_name})
    return redirect("web:group", group_id=group.pk)


@login_required
@require_POST
def group_end(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    try:
        check_end_cycle(group, acting_user=request.user)
    except MeuteError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The cycle is over: its members are now alumni."))
    return redirect("web:group", group_id=group.pk)


@login_required
def group_attendance_export(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    rows = ({_("Meeting"): a.meeting.starts_at.strftime("%Y-%m-%d"), _("Member"): a.leader.full_name,
             _("Attendance"): a.get_status_display()}
            for a in list_attendance(request.user, group))
    return render_export(rows, "csv", f"presences-groupe-{group.pk}")


@login_required
@offline_readable
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id)
    group = meeting.group
    can_lead = permissions.can_lead_meetings(request.user, group)
    members = list(group.members.filter(status=GroupMemberStatus.ACTIVE).select_related("leader__user")
                   .order_by("leader__sort_name"))
    attendance = {a.leader_id: a.status for a in meeting.attendance.all()}
    topics = agenda(meeting)
    voted = set(meeting.topics.filter(votes__user=request.user).values_list("pk", flat=True))
    replies = {r.leader_id: r for r in list_replies(request.user, meeting)} if can_lead else {}
    return render(request, "web/peergroups/meeting.html", {
        "my_reply": my_reply(request.user, meeting), "answers": ReplyAnswer.choices,
        "can_reply": group.members.filter(leader__user=request.user, status=GroupMemberStatus.ACTIVE).exists(),
        "meeting": meeting, "group": group, "topics": topics, "voted": voted, "can_lead": can_lead,
        "can_propose": permissions.can_propose_topics(request.user, group),
        "topic_form": TopicForm(), "meeting_form": MeetingForm(initial={
            "starts_at": timezone.localtime(meeting.starts_at), "ends_at": timezone.localtime(meeting.ends_at),
            "place": meeting.place, "visio_url": meeting.visio_url, "speaker": meeting.speaker}),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes},
                                    members=[(m.leader_id, m.leader.full_name) for m in members]),
        "members": [(m, attendance.get(m.leader_id, ""), replies.get(m.leader_id)) for m in members],
        "statuses": AttendanceStatus.choices, "actions": meeting.action_items.select_related("owner__user"),
        "is_past": meeting.starts_at <= timezone.now(), "is_over": meeting.ends_at < timezone.now(),
        "linked_documents": documents_of_meeting(request.user, meeting),
        "meeting_referrals": list_meeting_referrals(meeting),
    })


@login_required
@require_POST
def meeting_action(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting(request.user, meeting_id)
    action = request.POST.get("action")
    try:
        _do(request, meeting, action)
    except MeuteError as exc:
        messages.error(request, exc.message)
    except (KeyError, ValueError):
        messages.error(request, _("The form is incomplete."))
    if request.POST.get("next") == "home":  # answered or voted from the home page: back there
        return redirect("web:home")
    return redirect("web:meeting", meeting_id=meeting.pk)


def _do(request: HttpRequest, meeting, action: str | None) -> None:
    post, user = request.POST, request.user
    if action == "propose":
        form = TopicForm(post)
        if not form.is_valid():  # a wrong one-time key says the form has expired
            raise MeuteError(_("Give the topic a title.") if "title" in form.errors
                             else " ".join(labelled_errors(form)))
        try:
            check_propose_topic(meeting, acting_user=user, **form.cleaned_data)
        except Resubmitted:  # the first topic is on this meeting's agenda, where the page goes back
            already_sent(request, _("This form was already sent: the topic was proposed once."))
        else:
            messages.success(request, _("Topic proposed."))
    elif action == "reply":
        check_reply(meeting, acting_user=user, answer=post.get("answer", ""))
        messages.success(request, _("Your answer is recorded."))
    elif action == "vote":
        topic = meeting.topics.filter(pk=int(post["topic"])).first()
        if topic is None:
            raise Http404
        check_vote(topic, acting_user=user)
    elif action == "order":
        positions = {int(k[4:]): int(v) for k, v in post.items() if k.startswith("pos_") and v}
        order = sorted(positions, key=lambda topic_id: (positions[topic_id], topic_id))
        urgent = int(post["urgent"]) if post.get("urgent") else None
        check_order_agenda(meeting, order, acting_user=user, urgent=urgent)
        messages.success(request, _("Agenda saved."))
    elif action == "attendance":
        statuses = {int(k.split("_", 1)[1]): v for k, v in post.items() if k.startswith("leader_") and v}
        check_record_attendance(meeting, statuses, acting_user=user)
        messages.success(request, _("Attendance recorded."))
    elif action == "minutes":
        _minutes(request, meeting)
    elif action == "meeting":
        form = MeetingForm(post)
        if not form.is_valid():
            raise MeuteError(" ".join(labelled_errors(form)))
        check_update_meeting(meeting, acting_user=user, **form.cleaned_data)
        messages.success(request, _("Meeting saved."))
    else:
        raise Http404


def _minutes(request: HttpRequest, meeting) -> None:
    members = list(meeting.group.members.values_list("leader_id", "leader__user__last_name"))
    form = MinutesForm(request.POST, members=members)
    if not form.is_valid():  # say which field is wrong: the minutes may well be written
        raise MeuteError(" ".join(labelled_errors(form)))
    data = form.cleaned_data
    actions = [(data["task"], data["owner"], data["due_on"])] if data.get("task") else []
    check_write_minutes(meeting, acting_user=request.user, minutes=data["minutes"], actions=actions)
    messages.success(request, _("Minutes saved."))
