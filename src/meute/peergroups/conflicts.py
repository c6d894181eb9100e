"""Declared conflicts: pairs of leaders who must not sit together (client or supplier,
family, partner, former associate, a direct competitor with another NAF code).

A member declares privately about themselves (only the programme's staff see it); staff
declare any pair and confirm. Confirmed conflicts are hard conflicts of the engine, with
their kind as the reason."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core.audit import log_action
from meute.members.models import Leader, Network
from meute.peergroups import permissions
from meute.peergroups.exceptions import PeerGroupError
from meute.peergroups.models import ConflictKind, DeclaredConflict


def check_declare_conflict(network: Network, leader: Leader, other_id: int | None, kind: str, *, acting_user: Any,
                           note: str = "") -> DeclaredConflict:
    """``leader`` must not sit with ``other_id``; a member declares for themselves, staff for anyone."""
    staff = permissions.runs_programme(acting_user, network)
    if not staff and leader.user_id != acting_user.pk:
        raise PeerGroupError(_("You may declare a conflict only about yourself."))
    if kind not in ConflictKind.values:
        raise PeerGroupError(_("Choose the kind of conflict."), field="kind")
    # Both people belong to the programme (any membership but "left"): nobody outside it can be
    # named, and the answer for them is the answer for an unknown address.
    in_programme = Leader.objects.filter(memberships__network=network).exclude(memberships__status="left")
    other = in_programme.filter(pk=other_id).first() if other_id else None
    if other is None or not in_programme.filter(pk=leader.pk).exists():
        raise PeerGroupError(_("Unknown person: choose a leader from the list."), field="other")
    if other.pk == leader.pk:
        raise PeerGroupError(_("%(n)s cannot have a conflict with themselves.") % {"n": leader.full_name},
                             field="other")
    a, b = sorted((leader, other), key=lambda x: x.pk)
    try:
        with transaction.atomic():
            found = DeclaredConflict.objects.create(
                network=network, leader=a, other=b, kind=kind, note=note.strip()[:300], declared_by=acting_user,
                confirmed_by=acting_user if staff else None, confirmed_at=timezone.now() if staff else None)
            log_action("peergroups.conflict.declared", actor=acting_user, obj=found,
                       data={"leader": a.pk, "other": b.pk, "kind": kind, "confirmed": staff},
                       changes={"kind": [None, kind]})
    except IntegrityError:
        raise PeerGroupError(_("This conflict between %(a)s and %(b)s is already declared.")
                             % {"a": a.full_name, "b": b.full_name}, field="other") from None
    return found


def check_confirm_conflict(conflict: DeclaredConflict, *, acting_user: Any) -> DeclaredConflict:
    if not permissions.runs_programme(acting_user, conflict.network):
        raise PeerGroupError(_("Only the programme's staff may confirm a conflict."))
    with transaction.atomic():
        locked = DeclaredConflict.objects.select_for_update().get(pk=conflict.pk)
        if locked.confirmed_at is None:
            locked.confirmed_by, locked.confirmed_at = acting_user, timezone.now()
            locked.save(update_fields=["confirmed_by", "confirmed_at"])
            log_action("peergroups.conflict.confirmed", actor=acting_user, obj=locked,
                       changes={"confirmed": [False, True]})
    return locked


def confirmed_pairs(network: Network) -> dict[frozenset[int], str]:
    """Confirmed conflicts of the programme: {leader ids} → reason (the kind, in the staff's language)."""
    labels = dict(ConflictKind.choices)
    return {frozenset((c.leader_id, c.other_id)): str(labels[c.kind])
            for c in DeclaredConflict.objects.filter(network=network, confirmed_at__isnull=False)}
