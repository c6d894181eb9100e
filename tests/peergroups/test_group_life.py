"""Declared conflicts, and a published group's life: edits, a member leaving, a replacement."""

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation

from meute.core.audit import entries_for
from meute.members.models import MembershipStatus, Role
from meute.notifications.models import Channel, Kind, Notification, Preference
from meute.peergroups.conflicts import check_confirm_conflict, check_declare_conflict, confirmed_pairs
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.formation import FormationParams, build_problem
from meute.peergroups.life import (
    check_add_replacement,
    check_edit_group,
    check_member_leaves,
    check_set_sponsors,
    replacements,
)
from meute.peergroups.models import FacilitatorOffer, GroupMemberStatus
from tests.factories import CompanyFactory, LeaderFactory, MembershipFactory, NetworkRoleFactory, peer_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    g = peer_group(members=4)
    g.meeting_slot = "tue-1"
    g.save()
    return g


def _staff(group):
    return NetworkRoleFactory(network=group.network, role=Role.STAFF).user


def _candidate(group, naf="74.10Z"):
    leader = LeaderFactory(company=CompanyFactory(naf_code=naf))
    MembershipFactory(network=group.network, leader=leader, status=MembershipStatus.CANDIDATE)
    return leader


def test_member_declares_privately_and_staff_confirm(group):
    """A member's declaration waits for staff; once confirmed the engine treats it as a hard conflict."""
    a, b = (m.leader for m in group.members.all()[:2])
    found = check_declare_conflict(group.network, a, b.pk, "family", acting_user=a.user)
    assert found.confirmed_at is None and confirmed_pairs(group.network) == {}
    check_confirm_conflict(found, acting_user=_staff(group))
    problem = build_problem([a, b], FormationParams(size_min=1, size_max=2, groups=2), {},
                            confirmed_pairs(group.network))
    assert [c.reason.split("; ")[-1] for c in problem.conflicts] == ["family"]
    assert entries_for(found).filter(action="peergroups.conflict.confirmed").exists()


def test_conflict_with_oneself_or_unknown_person_is_refused(group):
    """A conflict with oneself or with nobody known is a clear message; nothing is stored."""
    a = group.members.first().leader
    with pytest.raises(PeerGroupError, match="themselves"):
        check_declare_conflict(group.network, a, a.pk, "family", acting_user=a.user)
    with pytest.raises(PeerGroupError, match="Unknown person"):
        check_declare_conflict(group.network, a, 10**8, "family", acting_user=a.user)
    assert not group.network.declared_conflicts.exists()


@override_settings(SITE_URL="https://reseau.example.org")
def test_a_change_of_the_group_is_mailed_to_each_member_in_their_language(group, django_capture_on_commit_callbacks):
    """The staff write in French; an English-speaking member is told in English, with the group's page."""
    staff = _staff(group)
    member = group.members.first().leader.user
    member.language = "en"
    member.save(update_fields=["language"])
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        check_edit_group(group, acting_user=staff, facilitator_id=group.facilitator_id, meeting_place="CCI",
                         visio_url="", slot="thu-3")
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    notification = Notification.objects.get(recipient=member, kind=Kind.GROUP_CHANGED)
    assert (message.subject.startswith("Your peer group"), "Monthly slot" in message.body,
            notification.url, f"https://reseau.example.org/notifications/{notification.pk}/" in message.body) == (
        True, True, f"/groups/{group.pk}/", True)


def _edit(group, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check_edit_group(group, acting_user=staff, facilitator_id=group.facilitator_id, meeting_place="CCI",
                         visio_url="", slot="thu-3")


def test_the_e_mail_about_a_change_of_the_group_carries_its_unsubscribe_links(group,
                                                                              django_capture_on_commit_callbacks):
    member = group.members.first().leader.user
    _edit(group, _staff(group), django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "List-Unsubscribe" in message.extra_headers


def test_a_member_who_chose_the_digest_is_not_mailed_at_once_about_a_change(group,
                                                                           django_capture_on_commit_callbacks):
    member = group.members.first().leader.user
    Preference.objects.create(user=member, kind=Kind.GROUP_CHANGED, channel=Channel.DIGEST)
    _edit(group, _staff(group), django_capture_on_commit_callbacks)
    assert not [m for m in mail.outbox if m.to == [member.email]]


def test_a_change_of_the_group_rings_each_members_bell(group, django_capture_on_commit_callbacks):
    _edit(group, _staff(group), django_capture_on_commit_callbacks)
    members = {m.leader.user_id for m in group.members.filter(status=GroupMemberStatus.ACTIVE)}
    told = set(Notification.objects.filter(kind=Kind.GROUP_CHANGED).values_list("recipient_id", flat=True))
    assert members <= told


def test_edit_moves_future_meetings_only_audited_and_notified(group, django_capture_on_commit_callbacks):
    """A new slot moves the meetings not yet started; past ones stay; old/new values audited; the group told."""
    staff = _staff(group)
    now = timezone.now()
    past = list(group.meetings.filter(starts_at__lt=now).values_list("starts_at", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        check_edit_group(group, acting_user=staff, facilitator_id=group.facilitator_id, meeting_place="CCI",
                         visio_url="", slot="thu-3")
    assert list(group.meetings.filter(starts_at__lt=now).values_list("starts_at", flat=True)) == past
    for m in group.meetings.filter(starts_at__gt=now):
        day = timezone.localtime(m.starts_at).date()
        assert day.weekday() == 3 and (day.day - 1) // 7 == 2 and m.place == "CCI"
    entry = entries_for(group).get(action="peergroups.group.edited")
    assert entry.changes["meeting_slot"] == ["tue-1", "thu-3"] and len(mail.outbox) >= 4


def test_slot_clash_of_the_facilitator_is_refused(group):
    """Giving a group the slot of another group of the same facilitator names both; nothing changes."""
    other = peer_group(network=group.network, name="Autre")
    other.meeting_slot, other.facilitator = "wed-2", group.facilitator
    other.save()
    with pytest.raises(PeerGroupError, match="already leads Autre"):
        check_edit_group(group, acting_user=_staff(group), facilitator_id=group.facilitator_id, meeting_place="",
                         visio_url="", slot="wed-2")
    group.refresh_from_db()
    assert group.meeting_slot == "tue-1"


def test_a_facilitator_at_capacity_is_refused_by_name(group):
    """A facilitator who already leads their capacity of running groups cannot be given another; nothing changes."""
    busy = NetworkRoleFactory(network=group.network, role=Role.FACILITATOR).user
    FacilitatorOffer.objects.create(network=group.network, user=busy, capacity=1, slots="mon-1;wed-2")
    other = peer_group(network=group.network, name="Autre")
    other.meeting_slot, other.facilitator = "wed-2", busy
    other.save()
    before = group.facilitator_id
    with pytest.raises(PeerGroupError, match="already leads 1 group"):
        check_edit_group(group, acting_user=_staff(group), facilitator_id=busy.pk, meeting_place="",
                         visio_url="", slot="tue-1")
    group.refresh_from_db()
    assert group.facilitator_id == before and not entries_for(group).filter(action="peergroups.group.edited")


def test_member_leaves_and_a_compatible_candidate_replaces(group, django_capture_on_commit_callbacks):
    """A member leaves with a reason; a competitor of a member is refused; a compatible candidate is invited."""
    staff = _staff(group)
    leaving = group.members.first()
    check_member_leaves(leaving, acting_user=staff, reason="Déménagement")
    leaving.refresh_from_db()
    assert (leaving.status, leaving.left_reason) == (GroupMemberStatus.LEFT, "Déménagement")
    naf = group.members.filter(status="active").first().leader.company.naf_code
    rival = _candidate(group, naf)
    fine = _candidate(group, "01.11Z")
    ranked = replacements(group)
    assert ranked[0].leader == fine and any(r.leader == rival and r.blockers for r in ranked)
    with pytest.raises(PeerGroupError, match="competitor"):
        check_add_replacement(group, rival, acting_user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        check_add_replacement(group, fine, acting_user=staff)
    assert group.members.filter(leader=fine, status="active").exists()
    assert entries_for(group).filter(action="peergroups.member.replaced").exists()
    assert any(fine.user.email in m.to for m in mail.outbox)


def test_a_competitor_replacement_is_refused_in_french_naming_both(group):
    """In French the refusal names the candidate, the member and the rule, with no English left in it."""
    member = group.members.first().leader
    rival = _candidate(group, member.company.naf_code)
    with translation.override("fr"), pytest.raises(PeerGroupError) as refused:
        check_add_replacement(group, rival, acting_user=_staff(group))
    text = refused.value.message
    assert rival.full_name in text and member.full_name in text and "même classe NAF" in text
    assert "same NAF" not in text and "apart" not in text
    assert not group.members.filter(leader=rival).exists()


def test_sponsor_capacity_and_slot_hold_when_staff_change_sponsors(group, django_capture_on_commit_callbacks):
    """A sponsor already in two running groups, or meeting another group in this slot, is refused by name."""
    staff = _staff(group)
    busy = NetworkRoleFactory(network=group.network, role=Role.SPONSOR).user
    for name, slot in (("A", "mon-1"), ("B", "wed-2")):
        other = peer_group(members=1, name=name, network=group.network)
        other.meeting_slot = slot
        other.save()
        other.sponsors.add(busy)
    with pytest.raises(PeerGroupError, match="capacity"):
        check_set_sponsors(group, [busy.pk], acting_user=staff)
    clash = NetworkRoleFactory(network=group.network, role=Role.SPONSOR).user
    third = peer_group(members=1, name="C", network=group.network)
    third.meeting_slot = "tue-1"
    third.save()
    third.sponsors.add(clash)
    with pytest.raises(PeerGroupError, match="already meets C"):
        check_set_sponsors(group, [clash.pk], acting_user=staff)
    free = NetworkRoleFactory(network=group.network, role=Role.SPONSOR).user
    with django_capture_on_commit_callbacks(execute=True):
        check_set_sponsors(group, [free.pk], acting_user=staff)
    assert list(group.sponsors.values_list("pk", flat=True)) == [free.pk]
    assert entries_for(group).filter(action="peergroups.group.sponsors").exists()


def test_a_sponsor_competing_with_a_member_is_refused_naming_the_clash(group):
    """A sponsor whose company competes with a member's (same NAF class, nearby) is refused, by name, in French."""
    member = group.members.first().leader
    rival = LeaderFactory(company=CompanyFactory(naf_code=member.company.naf_code))
    NetworkRoleFactory(network=group.network, role=Role.SPONSOR, user=rival.user)
    before = list(group.sponsors.values_list("pk", flat=True))
    with translation.override("fr"), pytest.raises(PeerGroupError) as refused:
        check_set_sponsors(group, [rival.user.pk], acting_user=_staff(group))
    text = refused.value.message
    named = [m.leader.full_name for m in group.members.all() if m.leader.full_name in text]
    assert rival.full_name in text and named and "concurrent" in text and "même classe NAF" in text
    assert list(group.sponsors.values_list("pk", flat=True)) == before
