"""Writes that change what the two components of this app count mark the stored lights to recompute
(:func:`meute.engagement.stored.touch`), in the writing transaction. Wired to the models' signals in
:mod:`meute.engagement.apps`, so every write through the ORM (services, imports, the demo, the admin)
is seen; a cascade delete sends them too. A bulk ``update()`` or ``bulk_create`` sends none: code that
writes these rows in bulk calls ``touch`` itself (the benchmarks' seeders rebuild instead).

* attendance, an « I can't »: the member, in the meeting's network;
* a meeting saved (moved): everyone with attendance recorded at it;
* a registration: its member; when the event's check-in goes from unused to used or back (the
  first check-in, the last one removed), every confirmed member of the event, since an event
  counts only once its check-in is used;
* an event saved (moved, cancelled): every confirmed member;
* a membership changed (:data:`meute.members.access.access_changed`, sent by the membership
  signals and by every bulk membership write): the member (only active members have a light).
"""

from __future__ import annotations

from typing import Any

from meute.engagement.stored import touch


def _meeting_network(meeting_id: int) -> int | None:
    from meute.peergroups.models import Meeting

    return Meeting.objects.filter(pk=meeting_id).values_list("group__network_id", flat=True).first()


def attendance_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    network_id = _meeting_network(instance.meeting_id)
    if network_id is not None:
        touch(network_id, [instance.leader_id], create="created" in kwargs)


def meeting_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    from meute.peergroups.models import Attendance

    if created:
        return
    leaders = list(Attendance.objects.filter(meeting_id=instance.pk).values_list("leader_id", flat=True))
    if leaders:
        touch(instance.group.network_id, leaders)


def _event_members(event_id: int) -> list[int]:
    from meute.events.models import Registration, RegistrationStatus

    return list(Registration.objects.filter(event_id=event_id, status=RegistrationStatus.CONFIRMED,
                                            user__leader__isnull=False).values_list("user__leader__id", flat=True))


def registration_before_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    from meute.events.models import Registration

    before = None
    if instance.pk is not None:
        before = Registration.objects.filter(pk=instance.pk).values_list("checked_in_at", flat=True).first()
    instance._checked_before = before is not None


def registration_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from meute.events.models import Event, Registration
    from meute.members.models import Leader

    network_id = Event.objects.filter(pk=instance.event_id).values_list("network_id", flat=True).first()
    if network_id is None:
        return
    deleted = "created" not in kwargs
    checked = instance.checked_in_at is not None
    flipped = checked if deleted else checked != getattr(instance, "_checked_before", False)
    leaders = list(Leader.objects.filter(user_id=instance.user_id).values_list("pk", flat=True))
    if flipped and Registration.objects.filter(event_id=instance.event_id,
                                               checked_in_at__isnull=False)[:2].count() <= 1:
        leaders += _event_members(instance.event_id)
    touch(network_id, leaders, create=not deleted)


def event_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created:
        touch(instance.network_id, _event_members(instance.pk))


def access_changed(sender: Any, user_ids: list[int], **kwargs: Any) -> None:
    """Memberships of these people changed (saved, deleted or updated in bulk): a member who became
    active may have a light now, one who is no longer active has none."""
    from meute.engagement.models import StoredLight
    from meute.members.models import Membership, MembershipStatus

    active: dict[int, list[int]] = {}
    other: dict[int, list[int]] = {}
    for network_id, leader_id, status in Membership.objects.filter(leader__user_id__in=user_ids).values_list(
            "network_id", "leader_id", "status"):
        (active if status == MembershipStatus.ACTIVE else other).setdefault(network_id, []).append(leader_id)
    for network_id, leader_id in StoredLight.objects.filter(leader__user_id__in=user_ids).values_list(
            "network_id", "leader_id"):  # a membership deleted
        if leader_id not in active.get(network_id, ()):
            other.setdefault(network_id, []).append(leader_id)
    for network_id, leaders in active.items():
        touch(network_id, leaders)
    for network_id, leaders in other.items():
        touch(network_id, leaders, create=False)


def touch_everywhere(leader_ids: Any, *, create: bool = True) -> None:
    """Mark these members' stored lights to recompute in every network where they are active: for
    components that count what a member does wherever it happens (referrals, one-to-ones). Networks
    are taken in id order, so two writers never wait on each other's books crosswise."""
    from meute.members.models import Membership, MembershipStatus

    by_network: dict[int, list[int]] = {}
    rows = Membership.objects.filter(leader_id__in=set(leader_ids), status=MembershipStatus.ACTIVE)
    for network_id, leader_id in rows.values_list("network_id", "leader_id").order_by("network_id"):
        by_network.setdefault(network_id, []).append(leader_id)
    for network_id, ids in by_network.items():
        touch(network_id, ids, create=create)
