"""GDPR: the download holds everything; erasure is confirmed by staff and anonymises everywhere."""

import json

import pytest
from django.urls import reverse

from meute.core.audit import log_action
from meute.core.models import AuditEntry
from meute.events.models import Mailing, Registration
from meute.events.services import do_register
from meute.members.exceptions import MemberError
from meute.members.models import Company, ErasureRequest, ErasureStatus, Leader, MembershipStatus, Role
from meute.members.privacy import (
    check_confirm_erasure,
    check_request_erasure,
    list_pending_erasures,
    personal_data,
    placeholder_email,
)
from meute.members.services import do_update_profile
from meute.notifications.models import Announcement, Notification
from meute.peergroups.life import check_member_leaves
from meute.peergroups.models import Attendance, AttendanceStatus, GroupMember, Topic
from tests.factories import (
    EventFactory,
    LeaderFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkRoleFactory,
    UserFactory,
    peer_group,
)

pytestmark = pytest.mark.django_db


def _person_in_a_group():
    group = peer_group(members=3)
    member = GroupMember.objects.filter(group=group).select_related("leader__user").first()
    leader = Leader.objects.get(pk=member.leader_id)
    leader.user.first_name, leader.user.last_name = "Hélène", "Vassourdieu"
    leader.user.save()
    leader.expertise = "droit social"
    do_update_profile(leader, acting_user=leader.user, expertise="droit social, Hélène Vassourdieu conseil")
    meeting = group.meetings.order_by("starts_at").first()
    meeting.minutes = "Hélène Vassourdieu présente son projet de recrutement."
    meeting.save()
    Attendance.objects.create(meeting=meeting, leader=leader, status=AttendanceStatus.PRESENT)
    Topic.objects.create(meeting=meeting, proposed_by=leader.user, title="Recrutement chez Vassourdieu",
                         details="Hélène Vassourdieu demande conseil")
    event = EventFactory(network=group.network)
    do_register(event, leader.user, offers="conseil RH par Hélène", needs="clients", wishes=[])
    staff = NetworkRoleFactory(network=group.network).user
    return leader, group, staff, event


def test_download_holds_every_part():
    """The JSON download holds account, profile, company, memberships, groups, attendance, registrations…"""
    leader, _group, _staff, _event = _person_in_a_group()
    data = personal_data(leader.user)
    assert data["account"]["email"] == leader.user.email and data["leader"]["expertise"].startswith("droit social")
    assert data["company"]["siret"] == leader.company.siret
    assert len(data["memberships"]) == 1 and len(data["peer_groups"]) == 1 and len(data["attendance"]) == 1
    assert len(data["registrations"]) == 1 and len(data["topics"]) == 1
    assert any(a["action"] == "members.leader.profile_updated" for a in data["audit"])
    json.dumps(data, default=str)


def test_only_the_person_may_ask_for_erasure():
    """Staff cannot ask for someone else's erasure; the person's request is recorded once and logged."""
    leader, _group, staff, _event = _person_in_a_group()
    with pytest.raises(MemberError):
        check_request_erasure(leader.user, acting_user=staff)
    first = check_request_erasure(leader.user, acting_user=leader.user)
    again = check_request_erasure(leader.user, acting_user=leader.user)
    assert first.pk == again.pk and ErasureRequest.objects.count() == 1
    assert AuditEntry.objects.filter(action="members.erasure.requested").count() == 1


def test_pending_requests_are_shown_to_the_staff_of_their_networks_only():
    """Staff of the person's network see the request; staff of another network do not and cannot confirm."""
    leader, _group, staff, _event = _person_in_a_group()
    request = check_request_erasure(leader.user, acting_user=leader.user)
    outsider = NetworkRoleFactory(network=NetworkFactory()).user
    assert list(list_pending_erasures(staff)) == [request]
    assert not list_pending_erasures(outsider).exists()
    with pytest.raises(MemberError):
        check_confirm_erasure(request, acting_user=outsider)
    assert ErasureRequest.objects.get().status == ErasureStatus.PENDING


def test_erasure_keeps_counts_and_removes_the_name_everywhere(client):
    """After confirmation: attendance, registration and group rows survive; the name and e-mail are gone."""
    leader, group, staff, event = _person_in_a_group()
    email, user_id = leader.user.email, leader.user_id
    log_action("members.custom", actor=staff, obj=leader, data={"email": email, "note": "Hélène Vassourdieu"})
    request = check_request_erasure(leader.user, acting_user=leader.user)
    check_confirm_erasure(request, acting_user=staff)

    leader = Leader.objects.select_related("user").get(pk=leader.pk)
    assert Attendance.objects.filter(leader=leader).count() == 1
    assert Registration.objects.filter(user_id=user_id, event=event).count() == 1
    assert GroupMember.objects.filter(group=group, leader=leader).count() == 1
    assert leader.user.email == placeholder_email(leader.user) and leader.user.get_full_name() == ""
    assert not leader.user.has_usable_password() and not leader.user.is_active
    assert (leader.phone, leader.function, leader.expertise, leader.search_text) == ("", "", "", "")
    assert leader.company is None and not leader.in_directory
    assert not leader.memberships.exclude(status=MembershipStatus.LEFT).exists()
    registration = Registration.objects.get(user_id=user_id)
    assert (registration.offers, registration.needs) == ("", "")
    topic = Topic.objects.get(proposed_by_id=user_id)
    assert "Vassourdieu" not in topic.title + topic.details
    assert "Vassourdieu" not in group.meetings.order_by("starts_at").first().minutes

    audit_text = " ".join(f"{a.object_repr} {json.dumps(a.data, ensure_ascii=False)}" for a in AuditEntry.objects.all())
    assert email not in audit_text and "Vassourdieu" not in audit_text
    assert AuditEntry.objects.filter(action="members.person.anonymised", object_id=str(leader.pk)).exists()
    assert ErasureRequest.objects.get().status == ErasureStatus.DONE

    client.force_login(staff)
    pages = [
        client.get(reverse("web:directory")).content.decode(),
        client.get(reverse("web:directory_export", args=["csv"])).content.decode(),
        client.get(reverse("web:network_members", args=[group.network.slug])).content.decode(),
        client.get(reverse("web:network_members_export", args=[group.network.slug, "csv"])).content.decode(),
    ]
    assert all("Vassourdieu" not in page and email not in page for page in pages)
    assert client.get(reverse("web:profile", args=[leader.pk])).status_code == 404


def test_company_shared_with_others_is_kept_and_a_lone_one_erased():
    """Erasure detaches the person's company; it is erased only when nobody else works there."""
    shared = MembershipFactory()
    colleague = MembershipFactory(network=shared.network, leader=LeaderFactory(company=shared.leader.company))
    alone = MembershipFactory(network=shared.network)
    staff = NetworkRoleFactory(network=shared.network).user
    lone_company = alone.leader.company_id
    for member in (shared, alone):
        check_confirm_erasure(check_request_erasure(member.leader.user, acting_user=member.leader.user),
                              acting_user=staff)
    assert Company.objects.filter(pk=colleague.leader.company_id).exists()
    assert not Company.objects.filter(pk=lone_company).exists()


def test_a_person_cannot_confirm_their_own_erasure_as_staff():
    """Staff who ask for their own erasure need another staff member to confirm it."""
    member = MembershipFactory(leader=LeaderFactory(user=UserFactory()))
    NetworkRoleFactory(network=member.network, user=member.leader.user)
    request = check_request_erasure(member.leader.user, acting_user=member.leader.user)
    with pytest.raises(MemberError):
        check_confirm_erasure(request, acting_user=member.leader.user)


def test_download_holds_the_old_and_new_values_and_what_the_person_did():
    """The audit part gives the changes made to the person and the entries written under their name."""
    leader, _group, staff, _event = _person_in_a_group()
    do_update_profile(leader, acting_user=staff, function="Présidente")
    data = personal_data(leader.user)
    changed = [a for a in data["audit"] if a["action"] == "members.leader.profile_updated" and a.get("changes")]
    assert any(a["changes"].get("function") == ["", "Présidente"] or "function" in a["changes"] for a in changed)
    done_by_staff = personal_data(staff)["audit_as_actor"]
    assert any(a["action"] == "members.leader.profile_updated" for a in done_by_staff)


def test_download_holds_the_messages_the_person_sent():
    """Announcements and event messages the person sent are theirs to download."""
    leader, _group, _staff, event = _person_in_a_group()
    Announcement.objects.create(sender=leader.user, subject="Plénière de mars", body="Rendez-vous le 12.", token="t1")
    Mailing.objects.create(event=event, sender=leader.user, subject="Le plan de table", recipients=4)
    sent = personal_data(leader.user)["messages_sent"]
    assert [a["text"] for a in sent["announcements"]] == ["Rendez-vous le 12."]
    assert [(m["event"], m["subject"]) for m in sent["event_messages"]] == [(event.title, "Le plan de table")]


def test_erasure_removes_the_name_from_the_subjects_of_event_messages():
    leader, _group, staff, event = _person_in_a_group()
    Mailing.objects.create(event=event, sender=leader.user, subject="Programme de Hélène Vassourdieu", recipients=4)
    check_confirm_erasure(check_request_erasure(leader.user, acting_user=leader.user), acting_user=staff)
    assert "Vassourdieu" not in Mailing.objects.get().subject


def test_erasure_removes_the_name_from_the_groups_notifications_that_name_the_person(
        django_capture_on_commit_callbacks):
    """« Hélène Vassourdieu leaves the group. », told to the others by the staff, loses her name."""
    leader, group, staff, _event = _person_in_a_group()
    member = GroupMember.objects.get(group=group, leader=leader)
    runs = NetworkRoleFactory(network=group.network, role=Role.STAFF).user
    with django_capture_on_commit_callbacks(execute=True):
        check_member_leaves(member, acting_user=runs, reason="déménagement")
    check_confirm_erasure(check_request_erasure(leader.user, acting_user=leader.user), acting_user=staff)
    texts = Notification.objects.values_list("title", "body")
    assert texts and not any("Vassourdieu" in title + body for title, body in texts)
