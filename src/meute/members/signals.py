"""Signal receivers of members: a membership or a role changed, so the person's cached
networks and roles (:mod:`meute.members.access`) must be read again on their next request.

:data:`profiles_changed` is sent by the writes that skip the model signals (the import's bulk
writes) with ``leader_ids``: the leaders whose profile or company was written; other apps that keep
something computed from profiles (the questions' cached expert proposals) listen to it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from meute.members.access import touch_leaders, touch_users
from meute.members.models import Membership, NetworkRole

profiles_changed = Signal()  # leader_ids: profiles or companies written in bulk


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="members.membership.access")
def membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    touch_leaders([instance.leader_id])


@receiver([post_save, post_delete], sender=NetworkRole, dispatch_uid="members.role.access")
def role_changed(sender: Any, instance: NetworkRole, **kwargs: Any) -> None:
    touch_users([instance.user_id])
